%%% RETAIN across restarts: a resource restarted by its supervisor, or
%%% started again later with the same store, gets its retained values back
%%% and fires START.WARM; one without an image (or with a broken one)
%%% starts COLD.
-module(plc_retain_SUITE).
-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_testcase/2, end_per_testcase/2]).
-export([a_restart_by_the_supervisor_keeps_the_count_and_fires_warm/1,
         a_resource_started_again_with_its_store_starts_warm/1,
         a_first_start_is_cold_and_non_retained_values_start_over/1,
         a_garbage_image_starts_cold_and_is_replaced/1,
         the_interval_batches_saves/1,
         an_async_writer_keeps_the_count_without_holding_the_program/1,
         a_system_keeps_each_resource_in_its_own_store/1,
         a_device_restarted_from_its_boot_file_starts_warm/1]).

suite() ->
    [{timetrap, {seconds, 60}}].

all() ->
    [a_restart_by_the_supervisor_keeps_the_count_and_fires_warm,
     a_resource_started_again_with_its_store_starts_warm,
     a_first_start_is_cold_and_non_retained_values_start_over,
     a_garbage_image_starts_cold_and_is_replaced,
     the_interval_batches_saves,
     an_async_writer_keeps_the_count_without_holding_the_program,
     a_system_keeps_each_resource_in_its_own_store,
     a_device_restarted_from_its_boot_file_starts_warm].

init_per_suite(Config) ->
    {ok, _} = application:ensure_all_started(plc),
    {ok, _} = plc:compile_file(filename:join(data_dir(Config), "retain_counter.st")),
    {ok, _} = plc:compile(<<"retain_system.st">>, system_text()),
    Config.

end_per_suite(_Config) ->
    ok = application:stop(plc).

init_per_testcase(Case, Config) ->
    Dir = filename:join([?config(priv_dir, Config), atom_to_list(Case)]),
    [{retain_dir, Dir} | Config].

end_per_testcase(_Case, _Config) ->
    ok = plc:stop_system(<<"RetainPlant">>),
    [plc:stop_resource(Id) || Id <- maps:keys(plc_mon:resources())],
    ok.

%%% Cases

a_restart_by_the_supervisor_keeps_the_count_and_fires_warm(Config) ->
    {ok, R} = start(<<"sup">>, Config, #{}),
    ?assertEqual(cold, started(R)),
    count(R, 5),
    exit(R, kill),
    R2 = restarted(<<"sup">>, R),
    ?assertEqual(warm, started(R2)),
    ?assertEqual(#{<<"COUNT">> => 5, <<"CHECK">> => 38, <<"TEXT">> => <<"n=5">>}, warmed(R2)),
    count(R2, 1),
    ?assertEqual({ok, 6}, plc:read(R2, <<"C.COUNT">>)),
    %% And again: each restart restores what the one before saved.
    exit(R2, kill),
    R3 = restarted(<<"sup">>, R2),
    ?assertEqual(warm, started(R3)),
    ?assertMatch(#{<<"COUNT">> := 6}, warmed(R3)).

a_resource_started_again_with_its_store_starts_warm(Config) ->
    {ok, R} = start(<<"again">>, Config, #{}),
    cold = started(R),
    count(R, 3),
    ok = plc:stop_resource(R),
    {ok, R2} = start(<<"again">>, Config, #{}),
    ?assertEqual(warm, started(R2)),
    ?assertEqual(#{<<"COUNT">> => 3, <<"CHECK">> => 24, <<"TEXT">> => <<"n=3">>}, warmed(R2)).

a_first_start_is_cold_and_non_retained_values_start_over(Config) ->
    %% The same counter without a store: every start is cold.
    {ok, R} = plc:start_resource(network(), #{name => <<"plain">>, subscribers => [self()], observe => observed()}),
    cold = started(R),
    count(R, 2),
    exit(R, kill),
    R2 = restarted(<<"plain">>, R),
    ?assertEqual(cold, started(R2)),
    ?assertEqual({ok, 0}, plc:read(R2, <<"C.COUNT">>)),
    ?assertNot(filelib:is_dir(?config(retain_dir, Config))).

a_garbage_image_starts_cold_and_is_replaced(Config) ->
    Dir = ?config(retain_dir, Config),
    {ok, Store, none} = plc_retain:open(Dir),
    %% A record with a valid CRC around bytes that are no image.
    {ok, _} = plc_retain:save(Store, <<"PLCRETN1 but not really">>),
    {ok, R} = start(<<"garbage">>, Config, #{}),
    ?assertEqual(cold, started(R)),
    count(R, 2),
    exit(R, kill),
    R2 = restarted(<<"garbage">>, R),
    ?assertEqual(warm, started(R2)),
    ?assertMatch(#{<<"COUNT">> := 2}, warmed(R2)).

the_interval_batches_saves(Config) ->
    {ok, R} = start(<<"batched">>, Config, #{retain_interval => 60000}),
    cold = started(R),
    count(R, 1),
    Seq1 = saved_seq(Config),
    count(R, 10),
    %% Within the interval nothing more is written ...
    ?assertEqual(Seq1, saved_seq(Config)),
    %% ... until the resource ends: the held-back save is done then.
    ok = plc:stop_resource(R),
    ?assertEqual(Seq1 + 1, saved_seq(Config)),
    {ok, R2} = start(<<"batched">>, Config, #{}),
    ?assertEqual(warm, started(R2)),
    ?assertMatch(#{<<"COUNT">> := 11}, warmed(R2)).

an_async_writer_keeps_the_count_without_holding_the_program(Config) ->
    {ok, R} = start(<<"async">>, Config, #{retain_write => async}),
    cold = started(R),
    count(R, 4),
    %% The writer saves on its own, after the slice: soon the store holds
    %% the image the resource has now.
    {ok, _, _, H} = plc_mon:lookup(R),
    Now = plc_nif:retain_capture(H),
    wait_until(fun() -> element(3, plc_retain:open(?config(retain_dir, Config))) =:= Now end),
    exit(R, kill),
    R2 = restarted(<<"async">>, R),
    ?assertEqual(warm, started(R2)),
    ?assertMatch(#{<<"COUNT">> := 4}, warmed(R2)),
    count(R2, 3),
    %% A resource that stops waits for its writer: nothing of it is lost.
    ok = plc:stop_resource(R2),
    {ok, R3} = start(<<"async">>, Config, #{retain_write => async}),
    ?assertEqual(warm, started(R3)),
    ?assertMatch(#{<<"COUNT">> := 7}, warmed(R3)),
    ?assertError({badarg, _}, plc:start_resource(network(), #{retain_dir => ?config(retain_dir, Config),
                                                              retain_write => later})).

a_system_keeps_each_resource_in_its_own_store(Config) ->
    Dir = ?config(retain_dir, Config),
    Opts = #{retain_dir => Dir, subscribers => [self()],
             observe => [<<"C.CNF">>, <<"C.WARMED">>, <<"D.CNF">>, <<"D.WARMED">>]},
    {ok, #{<<"Dev.R1">> := R1, <<"Dev.R2">> := R2}} = plc:start_system(<<"RetainPlant">>, Opts),
    count(R1, 4),
    count(R2, 2, <<"D">>),
    ok = plc:stop_system(<<"RetainPlant">>),
    ?assert(filelib:is_file(filename:join([Dir, "Dev.R1", "retain.a"]))),
    {ok, #{<<"Dev.R1">> := S1, <<"Dev.R2">> := S2}} = plc:start_system(<<"RetainPlant">>, Opts),
    ?assertMatch(#{<<"COUNT">> := 4}, warmed(S1)),
    ?assertMatch(#{<<"COUNT">> := 2}, warmed(S2, <<"D">>)).

a_device_restarted_from_its_boot_file_starts_warm(Config) ->
    Dir = ?config(retain_dir, Config),
    Boot = filename:join(?config(priv_dir, Config), "retain.fboot"),
    %% START.WARM counts once more: the count after a restart shows both
    %% that the value came back and that WARM fired.
    ok = file:write_file(Boot, [
        ";<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"R\" Type=\"EMB_RES\" /></Request>\n",
        "R;<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"C\" Type=\"RETAIN_COUNTER\" /></Request>\n",
        "R;<Request ID=\"3\" Action=\"CREATE\"><Connection Source=\"START.WARM\" Destination=\"C.REQ\" />"
        "</Request>\n",
        "R;<Request ID=\"4\" Action=\"START\"/>\n"]),
    Device = fun() ->
                     {ok, Pid} = plc:serve_management(#{port => 0, boot_file => Boot, retain_dir => Dir}),
                     [R] = [P || {_, P} <- resource_pids()],
                     {Pid, R}
             end,
    {D1, R1} = Device(),
    [ok = plc:inject(R1, <<"C.REQ">>) || _ <- lists:seq(1, 4)],
    wait_until(fun() -> plc:read(R1, <<"C.COUNT">>) =:= {ok, 4} end),
    _ = sys:get_state(R1),
    ok = plc:stop_management(D1),
    {D2, R2} = Device(),
    wait_until(fun() -> plc:read(R2, <<"C.COUNT">>) =:= {ok, 5} end),
    ?assertEqual({ok, <<"n=5">>}, plc:read(R2, <<"C.TEXT">>)),
    ?assert(filelib:is_file(filename:join([Dir, "R", "retain.a"]))),
    ok = plc:stop_management(D2).

%%% Helpers

resource_pids() ->
    [{Id, Pid} || {Id, Pid} <- [{Id, plc:whereis(Id)} || Id <- maps:keys(plc_mon:resources())], is_pid(Pid)].

wait_until(F) ->
    wait_until(F, 500).

wait_until(F, 0) ->
    ?assert(F());
wait_until(F, N) ->
    case F() of
        true -> ok;
        false -> timer:sleep(10), wait_until(F, N - 1)
    end.

network() ->
    #{fbs => [{<<"C">>, <<"RETAIN_COUNTER">>, []}],
      events => [{<<"START.WARM">>, <<"C.WARM">>}]}.

observed() ->
    [<<"START.COLD">>, <<"START.WARM">>, <<"C.CNF">>, <<"C.WARMED">>].

system_text() ->
    <<"SYSTEM RetainPlant\n"
      "DEVICE Dev : PLC_DEVICE\n"
      "  RESOURCE R1 : EMB_RES\n"
      "    FBS C : RETAIN_COUNTER; END_FBS\n"
      "    EVENT_CONNECTIONS START.WARM TO C.WARM; END_CONNECTIONS\n"
      "  END_RESOURCE\n"
      "  RESOURCE R2 : EMB_RES\n"
      "    FBS D : RETAIN_COUNTER; END_FBS\n"
      "    EVENT_CONNECTIONS START.WARM TO D.WARM; END_CONNECTIONS\n"
      "  END_RESOURCE\n"
      "END_DEVICE\n"
      "END_SYSTEM\n">>.

start(Name, Config, Extra) ->
    plc:start_resource(network(), maps:merge(#{name => Name, retain_dir => ?config(retain_dir, Config),
                                               subscribers => [self()], observe => observed()}, Extra)).

%% Which START event the resource fired.
started(R) ->
    receive
        {plc_event, R, <<"START.COLD">>, _} -> cold;
        {plc_event, R, <<"START.WARM">>, _} -> warm
    after 5000 -> error(no_start_event)
    end.

warmed(R) ->
    warmed(R, <<"C">>).

warmed(R, Fb) ->
    Port = <<Fb/binary, ".WARMED">>,
    receive {plc_event, R, Port, Data} -> Data
    after 5000 -> error(no_warmed_event)
    end.

%% N counts, each seen done.
count(R, N) ->
    count(R, N, <<"C">>).

count(R, N, Fb) ->
    {ok, C0} = plc:read(R, <<Fb/binary, ".COUNT">>),
    [ok = plc:inject(R, <<Fb/binary, ".REQ">>) || _ <- lists:seq(1, N)],
    Last = C0 + N,
    Cnf = <<Fb/binary, ".CNF">>,
    receive {plc_event, R, Cnf, #{<<"COUNT">> := Last}} -> ok
    after 5000 -> error({count_not_reached, Last})
    end,
    _ = sys:get_state(R),  % the slice that counted has ended, its save is done
    flush_counts(R).

flush_counts(R) ->
    receive {plc_event, R, Port, _} when binary_part(Port, byte_size(Port), -4) =:= <<".CNF">> -> flush_counts(R)
    after 0 -> ok
    end.

restarted(Name, Old) ->
    restarted(Name, Old, 500).

restarted(_Name, _Old, 0) ->
    error(not_restarted);
restarted(Name, Old, N) ->
    case plc:whereis(Name) of
        Pid when is_pid(Pid), Pid =/= Old -> Pid;
        _ -> timer:sleep(10), restarted(Name, Old, N - 1)
    end.

%% The sequence number of the newest image in the case's store (saves are
%% done before the slice's answer is taken, so a read after the count is
%% exact).
saved_seq(Config) ->
    {ok, Store, _} = plc_retain:open(?config(retain_dir, Config)),
    plc_retain:seq(Store).

%% The test profile compiles this suite into the application's ebin, where
%% Common Test's data_dir does not exist: then it is found in the sources.
data_dir(Config) ->
    Dir = ?config(data_dir, Config),
    case filelib:is_dir(Dir) of
        true -> Dir;
        false -> filename:join(filename:dirname(filename:absname(?FILE)), "plc_retain_SUITE_data")
    end.
