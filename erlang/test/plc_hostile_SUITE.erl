%%% @doc Common Test suite of a node's PLC program under stray and hostile
%%% input (issue 13, item 4): the bad-input list of the issue and its kin.
%%%
%%% What each case pins:
%%% - 11 and 50 rounds of stray casts, infos, exit signals and calls of the
%%%   wrong shape to one resource within a second: the same process, the same counter value,
%%%   START.COLD not fired again, events still delivered, calls answered
%%%   with an error;
%%% - junk cast, sent and called to plc_mon, then plc_mon killed: no
%%%   resource restarts, the alarm history and the subscriptions stay, and
%%%   the restarted plc_mon monitors what the old one did;
%%% - a subscriber that is not a pid or {Name, Node}: refused at the call
%%%   (badarg), never stored; {Name, Node} works;
%%% - calls carrying 4 MB and 16 MB terms (a binary, a list) to a resource
%%%   and to plc_mon: each answered within 100 ms, the node's memory grows
%%%   by less than 10% of the term's size; an exit signal carrying 16 MB
%%%   is dropped; a crash report would print such a term bounded;
%%% - names longer than 1024 bytes refused before they are processed;
%%% - the API given a resource that just died (not yet restarted, plc_mon
%%%   has not seen it yet) answers `{error, stopped}', never raises;
%%% - forged alarms (through plc_mon's API from a foreign process, as a
%%%   raw cast, or as engine messages sent to a resource) are not recorded
%%%   nor sent to alarm subscribers; genuine ones still are;
%%% - a restart storm of one resource of a system gives that resource up
%%%   with an alarm; the others, the system's supervisor and its plc_dist
%%%   keep running;
%%% - a system whose part on the node is gone (its supervisor killed, or
%%%   given up after a plc_dist crash storm) is reported: an alarm, and
%%%   system_info/1 says `{error, {gone, Info}}'.
-module(plc_hostile_SUITE).

-include_lib("stdlib/include/assert.hrl").

-export([all/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_testcase/2, end_per_testcase/2]).
-export([stray_messages_leave_the_resource_running/0, stray_messages_leave_the_resource_running/1,
         plc_mon_junk_and_kill_restart_no_resource/0, plc_mon_junk_and_kill_restart_no_resource/1,
         bad_subscribers_are_refused_at_the_call/0, bad_subscribers_are_refused_at_the_call/1,
         huge_terms_cost_neither_time_nor_memory/0, huge_terms_cost_neither_time_nor_memory/1,
         huge_names_are_refused_before_processing/0, huge_names_are_refused_before_processing/1,
         a_stale_pid_answers_stopped/0, a_stale_pid_answers_stopped/1,
         forged_alarms_are_not_recorded/0, forged_alarms_are_not_recorded/1,
         plc_dist_alarms_are_recorded/0, plc_dist_alarms_are_recorded/1,
         restart_storm_gives_one_resource_up/0, restart_storm_gives_one_resource_up/1,
         standalone_restart_storm_gives_it_up/0, standalone_restart_storm_gives_it_up/1,
         killed_system_supervisor_is_reported/0, killed_system_supervisor_is_reported/1,
         plc_dist_crash_storm_reports_the_system_gone/0, plc_dist_crash_storm_reports_the_system_gone/1]).

%% A logger handler: the log events of a case, sent to its process.
-export([log/2]).

-define(TIMEOUT, 5000).
-define(MB, (1 bsl 20)).

suite() ->
    [{timetrap, {seconds, 120}}].

all() ->
    [stray_messages_leave_the_resource_running,
     plc_mon_junk_and_kill_restart_no_resource,
     bad_subscribers_are_refused_at_the_call,
     huge_terms_cost_neither_time_nor_memory,
     huge_names_are_refused_before_processing,
     a_stale_pid_answers_stopped,
     forged_alarms_are_not_recorded,
     plc_dist_alarms_are_recorded,
     restart_storm_gives_one_resource_up,
     standalone_restart_storm_gives_it_up,
     killed_system_supervisor_is_reported,
     plc_dist_crash_storm_reports_the_system_gone].

init_per_suite(Config) ->
    {ok, _} = application:ensure_all_started(plc),
    Root = project_root(),
    [{ok, _} = plc:compile_file(filename:join([Root, "fblocks", F]))
     || F <- ["voter.st", "ampel.st", "mio_in.st", "mio_out.st", "myapp.st"]],
    Config.

end_per_suite(_Config) ->
    ok = application:stop(plc).

init_per_testcase(_Case, Config) ->
    Config.

end_per_testcase(_Case, _Config) ->
    ok = plc:stop_system(<<"MyApp">>),
    [plc:stop_resource(Id) || Id <- maps:keys(plc_mon:resources())],
    [plc:stop_resource(Id) || Id <- [<<"hostile">>, <<"hostile.storm">>, <<"hostile.other">>]],
    ok.

%%% Cases

stray_messages_leave_the_resource_running() ->
    [{doc, "11 then 50 rounds of stray casts, infos, exit signals and wrong calls to one resource "
           "within a second: the same pid, C.CV keeps its value (START.COLD counted once, not again), "
           "calls get error replies, events injected afterwards are delivered with the next counts; "
           "the log has at most 10 lines a second, each under 1000 bytes (a 16 MB term among them), "
           "and the lines plus the counts of those not logged add up to every stray."}].
stray_messages_leave_the_resource_running(_Config) ->
    {ok, R} = plc:start_resource(counter(), #{name => <<"hostile">>, subscribers => [self()],
                                              observe => [<<"C.CUO">>]}),
    expect(R, [cuo(R, 1)]),                               % START.COLD
    [ok = plc:inject(R, <<"C.CU">>) || _ <- [1, 2, 3]],
    expect(R, [cuo(R, 2), cuo(R, 3), cuo(R, 4)]),
    ok = logger:add_handler(hostile_capture, ?MODULE, #{level => warning, config => #{pid => self()}}),
    gen_server:cast(R, {junk, binary:copy(<<"x">>, 16 * ?MB), lists:seq(1, 100000)}),
    T0 = erlang:monotonic_time(millisecond),
    Calls = lists:flatmap(fun(N) -> strays(R, N) end, lists:seq(1, 11)),
    ?assert(lists:all(fun({error, _}) -> true; (_) -> false end, Calls)),
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    ?assertEqual({ok, 4}, plc:read(R, <<"C.CV">>)),
    Calls50 = lists:flatmap(fun(N) -> strays(R, N) end, lists:seq(12, 61)),
    ?assert(erlang:monotonic_time(millisecond) - T0 < 1000),
    ?assertEqual(50 * length(Calls) div 11, length(Calls50)),
    ?assert(lists:all(fun({error, _}) -> true; (_) -> false end, Calls50)),
    settle(R),
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    ?assertEqual({ok, 4}, plc:read(R, <<"C.CV">>)),
    ok = plc:inject(R, <<"C.CU">>),
    expect(R, [cuo(R, 5)]),
    quiet(R),
    ?assertEqual([], [A || {_, <<"hostile">>, A} <- plc_mon:alarms()]),
    %% Logged bounded, at most 10 lines a second, every other one counted:
    %% 1 + 61 * 6 strays, then one more in a later second that reports the rest.
    timer:sleep(1000),
    gen_server:cast(R, last),
    settle(R),
    ok = logger:remove_handler(hostile_capture),
    Lines = stray_lines(<<"{resource,<<\"hostile\">>}">>),
    Seconds = (erlang:monotonic_time(millisecond) - T0) div 1000 + 2,
    ?assert(length(Lines) =< 10 * Seconds),
    ?assert(lists:all(fun({Line, _}) -> byte_size(Line) < 1000 end, Lines)),
    ?assertEqual(1 + 61 * 6 + 1, length(Lines) + lists:sum([N || {_, N} <- Lines])),
    ?assertMatch({<<"plc {resource,<<\"hostile\">>}: dropped cast: last (and ", _/binary>>, _},
                 lists:last(Lines)),
    ok = plc:stop_resource(R).

plc_mon_junk_and_kill_restart_no_resource() ->
    [{doc, "plc_mon given a junk cast, info and call stays the same process (the call answered "
           "{error, bad_request}); killed (once, then ten times in a row), it is restarted while every resource keeps its pid and "
           "state; the alarm history, registry and subscriptions survive, and the new plc_mon "
           "monitors resources and subscribers again."}].
plc_mon_junk_and_kill_restart_no_resource(_Config) ->
    {ok, Pids} = plc:start_system(<<"MyApp">>, #{}),
    {ok, S} = plc:start_resource(storm_net(), #{name => <<"hostile.storm">>}),
    Alarm = {<<"hostile.storm">>, {plc_overflow, <<"Split">>, <<"EO2">>, 32}},
    storm(S),
    ?assert(lists:member(Alarm, id_alarms())),
    Subscriber = spawn(fun() -> receive stop -> ok end end),
    ok = plc_mon:subscribe_alarms(Subscriber),
    ok = plc_mon:subscribe_alarms(self()),
    {ok, C} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    ok = plc:subscribe(C, <<"C.CUO">>),
    Mon = whereis(plc_mon),
    gen_server:cast(plc_mon, junk),
    plc_mon ! junk,
    gen_server:cast(plc_mon, {alarm, <<"hostile">>, C, {plc_runaway, <<"C">>}}),
    ?assertEqual({error, bad_request}, gen_server:call(plc_mon, junk)),
    ?assertEqual(Mon, whereis(plc_mon)),
    Before = id_alarms(),
    exit(Mon, kill),
    wait_until(fun() -> is_pid(whereis(plc_mon)) andalso whereis(plc_mon) =/= Mon end),
    _ = plc_mon:nodes(),   % the new plc_mon has run its init
    ?assertEqual(Before, id_alarms()),
    ?assertEqual(Pids, maps:with(maps:keys(Pids), plc_mon:resources())),
    ?assertEqual({S, C}, {plc:whereis(<<"hostile.storm">>), plc:whereis(<<"hostile">>)}),
    ?assertEqual([{{event, <<"C.CUO">>}, self()}], plc_mon:subscriptions(<<"hostile">>)),
    ok = plc:inject(C, <<"C.CU">>),
    expect(C, [cuo(C, 2)]),
    %% Monitored again: a dead subscriber's subscriptions go, a killed
    %% resource is replaced in the registry.
    ?assert(lists:member({alarms, Subscriber}, plc_mon:subscriptions(alarms))),
    Subscriber ! stop,
    wait_until(fun() -> not lists:member({alarms, Subscriber}, plc_mon:subscriptions(alarms)) end),
    exit(C, kill),
    C2 = receive {plc_event, P, <<"C.CUO">>, _} = M when P =/= C -> ?assertEqual(cuo(P, 1), M), P
         after ?TIMEOUT -> ct:fail(not_restarted)
         end,
    ?assertEqual({error, not_found}, plc_mon:lookup(C)),
    ?assertMatch({ok, <<"hostile">>, C2, _}, plc_mon:lookup(<<"hostile">>)),
    %% Genuine alarms are recorded by the new plc_mon too.
    ok = plc:inject(S, <<"Ctr.R">>),
    storm(S),
    ?assert(lists:member({<<"hostile.storm">>, {plc_overflow, <<"Split">>, <<"EO2">>, 64}}, id_alarms())),
    receive {plc_alarm, S, {plc_overflow, <<"Split">>, <<"EO2">>, 64}} -> ok
    after ?TIMEOUT -> ct:fail(alarm_subscription_lost)
    end,
    %% Killed ten times in a row, plc_mon still restarts no resource.
    Resources = plc_mon:resources(),
    [begin
         Old = whereis(plc_mon),
         exit(Old, kill),
         wait_until(fun() -> is_pid(whereis(plc_mon)) andalso whereis(plc_mon) =/= Old end),
         _ = plc_mon:nodes()
     end || _ <- lists:seq(1, 10)],
    ?assertEqual(Resources, plc_mon:resources()),
    ?assertEqual({S, C2}, {plc:whereis(<<"hostile.storm">>), plc:whereis(<<"hostile">>)}),
    %% A resource that dies and is not restarted (its supervisor held) is
    %% removed from the registry: only the new plc_mon's monitor does that.
    ok = sys:suspend(plc_runtime_sup),
    try
        exit(S, kill),
        wait_until(fun() -> plc_mon:lookup(<<"hostile.storm">>) =:= {error, not_found} end),
        ?assertEqual({error, not_found}, plc_mon:lookup(S))
    after
        ok = sys:resume(plc_runtime_sup)
    end,
    ok = plc:stop_system(<<"MyApp">>).

bad_subscribers_are_refused_at_the_call() ->
    [{doc, "A watch, subscribe or listen for a subscriber that is not a pid or {Name, Node} raises "
           "badarg at plc_resource:call/2, is answered {error, _} when sent as a raw call, and nothing "
           "is stored: the resource keeps running and serving. Start options and alarm subscriptions "
           "check the same. A {Name, Node} subscriber gets its watch messages."}].
bad_subscribers_are_refused_at_the_call(_Config) ->
    {ok, R} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    Bad = [not_a_pid, {1, 2}, "pid", {a, b, c}, make_ref()],
    [begin
         ?assertError({badarg, _}, plc_resource:call(R, {watch, <<"C.CV">>, B})),
         ?assertError({badarg, _}, plc_resource:call(R, {subscribe, <<"C.CUO">>, B})),
         ?assertError({badarg, _}, plc_resource:call(R, {listen, B})),
         ?assertMatch({error, _}, gen_server:call(R, {watch, <<"C.CV">>, B})),
         ?assertMatch({error, _}, gen_server:call(R, {subscribe, <<"C.CUO">>, B})),
         ?assertMatch({error, _}, gen_server:call(R, {listen, B})),
         ?assertError({badarg, _}, plc_mon:subscribe_alarms(B)),
         ?assertError({badarg, _}, plc:start_resource(counter(), #{subscribers => [B]}))
     end || B <- Bad],
    ?assertEqual([], plc_mon:subscriptions(<<"hostile">>)),
    ?assertEqual([], [S || {alarms, S} <- plc_mon:subscriptions(alarms), not is_pid(S)]),
    %% Changes after the refused watches crash nothing.
    [ok = plc:inject(R, <<"C.CU">>) || _ <- [1, 2]],
    wait_until(fun() -> plc:read(R, <<"C.CV">>) =:= {ok, 3} end),
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    %% {Name, Node} is a subscriber.
    true = register(hostile_watcher, self()),
    ?assertEqual({ok, 3}, plc_resource:call(R, {watch, <<"C.CV">>, {hostile_watcher, node()}})),
    ok = plc:inject(R, <<"C.CU">>),
    receive {plc_watch, R, <<"C.CV">>, V} -> ?assertEqual(4, V)
    after ?TIMEOUT -> ct:fail(no_watch)
    end,
    true = unregister(hostile_watcher),
    ok = plc:inject(R, <<"C.CU">>),       % an unregistered name: dropped, no crash
    wait_until(fun() -> plc:read(R, <<"C.CV">>) =:= {ok, 5} end),
    settle(R),
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    %% {Name, Node} on another node cannot be monitored from a node that is
    %% not distributed (erlang:monitor/2 raises): refused at the call, and
    %% a raw request to plc_mon to monitor it crashes nothing.
    Mon = whereis(plc_mon),
    Remote = {hostile_nobody, 'nobody@nowhere'},
    case is_alive() of
        false ->
            ?assertError({badarg, _}, plc_resource:call(R, {watch, <<"C.CV">>, Remote})),
            ?assertError({badarg, _}, plc_resource:call(R, {subscribe, <<"C.CUO">>, Remote})),
            ?assertMatch({error, _}, gen_server:call(R, {subscribe, <<"C.CUO">>, Remote})),
            ?assertError({badarg, _}, plc_mon:subscribe_alarms(Remote));
        true ->
            ok
    end,
    [gen_server:cast(plc_mon, {monitor, Remote}) || _ <- lists:seq(1, 10)],
    _ = plc_mon:nodes(),
    ?assertEqual(Mon, whereis(plc_mon)),
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    %% A bad entry written into the (public) table behind plc_mon's back
    %% does not make the restart fail: the resource comes back, cold.
    true = ets:insert(plc_subscriptions, {<<"hostile">>, {watch, <<"C.CV">>}, not_a_pid}),
    ok = plc:subscribe(R, <<"C.CUO">>),
    exit(R, kill),
    R2 = receive {plc_event, P, <<"C.CUO">>, _} = M when P =/= R -> ?assertEqual(cuo(P, 1), M), P
         after ?TIMEOUT -> ct:fail(not_restarted)
         end,
    ?assertEqual(R2, plc:whereis(<<"hostile">>)),
    ok = plc:stop_resource(R2).

huge_terms_cost_neither_time_nor_memory() ->
    [{doc, "Calls, casts and infos carrying a 4 MB or a 16 MB term (a binary, a list) to a resource "
           "and to plc_mon, three times each: each call answered with an error, at best within 100 ms "
           "beyond what copying the term costs by itself, the receiver spends less than a reduction per 32 bytes of it, the node's memory "
           "grows by less than 10% of the term's size, the resource keeps its state."}].
huge_terms_cost_neither_time_nor_memory(_Config) ->
    {ok, R} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    ok = plc:inject(R, <<"C.CU">>),
    wait_until(fun() -> plc:read(R, <<"C.CV">>) =:= {ok, 2} end),
    [begin
         Term = big(Kind, Size),
         Bytes = term_bytes(Term),
         ?assert(Bytes >= Size),
         [begin
              Pid = if is_pid(Target) -> Target; true -> whereis(Target) end,
              Tries = [try_send(Send, Target, Pid, Term, R) || _ <- [1, 2, 3]],
              ct:pal("~p ~b MB to ~p by ~p: [{us, us copying it alone, reductions, memory growth}] ~0p",
                     [Kind, Size div ?MB, Target, Name, [T || {_, T} <- Tries]]),
              ?assert(lists:all(fun({Reply, _}) -> element(1, Reply) =:= error end, Tries)),
              %% The best of three: the machine's other load only adds.
              ?assert(lists:min([Us - CopyUs || {_, {Us, CopyUs, _, _}} <- Tries]) < 100000),
              %% Receiving the term (the garbage collection that copies a
              %% live message) costs about one reduction per 200 bytes;
              %% printing it would cost several per element.
              ?assert(lists:max([Red || {_, {_, _, Red, _}} <- Tries]) < Bytes div 32),
              ?assert(lists:max([Mem || {_, {_, _, _, Mem}} <- Tries]) < Bytes div 10)
          end || Target <- [R, plc_mon], {Name, Send} <- senders()]
     end || Kind <- [binary, list], Size <- [4 * ?MB, 16 * ?MB]],
    %% An exit signal carrying 16 MB, and a crash report's formatting.
    Big = big(list, 16 * ?MB),
    {ExitUs, _} = timer:tc(fun() -> exit(R, {junk, Big}), settle(R) end),
    ?assert(ExitUs - copy_us({junk, Big}) < 100000),
    [begin
         {FormatUs, Status} = timer:tc(fun() -> M:format_status(#{message => {junk, Big}, reason => {junk, Big},
                                                                    state => state, log => []}) end),
         ?assert(FormatUs < 100000),
         ?assert(byte_size(maps:get(message, Status)) < 1000),
         ?assert(byte_size(maps:get(reason, Status)) < 1000),
         ?assertEqual(state, maps:get(state, Status))
     end || M <- [plc_resource, plc_mon]],
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    ?assertEqual({ok, 2}, plc:read(R, <<"C.CV">>)),
    ok = plc:stop_resource(R).

huge_names_are_refused_before_processing() ->
    [{doc, "A 16 MB port, variable, resource or system name is refused with badarg or "
           "{error, _} within 100 ms; the resource keeps running."}].
huge_names_are_refused_before_processing(_Config) ->
    {ok, R} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    Big = <<(binary:copy(<<"a">>, 16 * ?MB))/binary, ".CU">>,
    Calls = [fun() -> plc:inject(R, Big) end,
             fun() -> plc:subscribe(R, Big) end,
             fun() -> plc:watch(R, Big) end,
             fun() -> plc:read(R, Big) end,
             fun() -> plc:system_info(Big) end,
             fun() -> plc:start_system(Big) end,
             fun() -> plc:start_resource(counter(), #{name => Big}) end,
             fun() -> plc:start_resource(counter(), #{observe => [Big]}) end],
    [begin
         {Us, Result} = timer:tc(fun() -> try F() catch error:{badarg, Why} -> {error, Why} end end),
         ?assertMatch({error, _}, Result),
         {error, Why} = Result,
         ?assert(not is_binary(Why) orelse byte_size(Why) < 1000),
         ?assert(Us < 100000)
     end || F <- Calls],
    ?assertEqual(R, plc:whereis(<<"hostile">>)),
    ok = plc:stop_resource(R).

a_stale_pid_answers_stopped() ->
    [{doc, "While plc_mon and the supervisor are suspended (the registry still maps the resource to "
           "its dead process's handle, no restart yet), inject, inject_batch, read, write, stats and "
           "describe, by id or by the old pid, answer {error, stopped}; once resumed, the restarted "
           "resource serves."}].
a_stale_pid_answers_stopped(_Config) ->
    {ok, R} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    ok = sys:suspend(plc_mon),
    ok = sys:suspend(plc_runtime_sup),
    try
        exit(R, kill),
        wait_until(fun() -> not is_process_alive(R) end),
        [?assertEqual([{error, stopped} || _ <- lists:seq(1, 6)],
                      [plc:inject(Ref, <<"C.CU">>), plc:inject_batch(Ref, <<"C.CU">>, [[], []]),
                       plc:read(Ref, <<"C.CV">>), plc:write(Ref, <<"C.PV">>, 3), plc:stats(Ref),
                       plc:describe(Ref)])
         || Ref <- [R, <<"hostile">>]]
    after
        ok = sys:resume(plc_runtime_sup),
        ok = sys:resume(plc_mon)
    end,
    wait_until(fun() -> is_pid(plc:whereis(<<"hostile">>)) andalso plc:whereis(<<"hostile">>) =/= R end),
    R2 = plc:whereis(<<"hostile">>),
    ok = plc:inject(R2, <<"C.CU">>),
    wait_until(fun() -> plc:read(R2, <<"C.CV">>) =:= {ok, 2} end),
    ok = plc:stop_resource(R2).

forged_alarms_are_not_recorded() ->
    [{doc, "Alarms reported through plc_mon:alarm/2 by a process that is not the resource (or the "
           "system's plc_dist), raw casts in plc_mon's old alarm format, and engine messages sent to a "
           "resource by another process (an FB it does not have, counts beyond the engine's) are not "
           "recorded and reach no subscriber; the resource keeps running; a genuine overflow is "
           "recorded and sent."}].
forged_alarms_are_not_recorded(_Config) ->
    {ok, R} = plc:start_resource(storm_net(), #{name => <<"hostile.storm">>, subscribers => [self()]}),
    ok = plc_mon:subscribe_alarms(self()),
    Before = plc_mon:alarms(),
    ok = plc_mon:alarm(<<"hostile.storm">>, {plc_fault, <<"Ctr">>, <<"ALG">>, <<"forged">>}),
    ok = plc_mon:alarm(<<"MyApp">>, {plc_link_lost, 'x@y', 1}),
    gen_server:cast(plc_mon, {alarm, <<"hostile.storm">>, R, {plc_runaway, <<"Ctr">>}}),
    R ! {plc_fault, <<"Ctr">>, <<"ALG">>, <<"forged: no fault counted">>},
    R ! {plc_runaway, <<"Ctr">>},
    R ! {plc_overflow, <<"Split">>, <<"EO2">>, 1},           % nothing dropped yet
    R ! {plc_overflow, <<"Nope">>, <<"EO">>, 1},
    R ! {plc_fault, not_binary, 1, 2},
    R ! {plc_overflow, <<"Split">>, <<"EO2">>, -1},
    settle(R),
    _ = plc_mon:nodes(),
    ?assertEqual(Before, plc_mon:alarms()),
    receive {plc_alarm, _, _} = M -> ct:fail({forged_alarm_delivered, M})
    after 100 -> ok
    end,
    ?assertEqual(R, plc:whereis(<<"hostile.storm">>)),
    %% Genuine: the engine's overflow (32 dropped), recorded and sent.
    storm(R),
    ?assert(lists:member({<<"hostile.storm">>, {plc_overflow, <<"Split">>, <<"EO2">>, 32}}, id_alarms())),
    receive {plc_alarm, R, {plc_overflow, <<"Split">>, <<"EO2">>, _}} -> ok
    after ?TIMEOUT -> ct:fail(no_genuine_alarm)
    end,
    %% Now within the count, but naming an FB the resource lacks: still dropped.
    N = length(plc_mon:alarms()),
    R ! {plc_overflow, <<"Nope">>, <<"EO2">>, 5},
    settle(R),
    ?assertEqual(N, length(plc_mon:alarms())),
    ok = plc:stop_resource(R).

plc_dist_alarms_are_recorded() ->
    [{doc, "The system's own plc_dist is a genuine reporter: MyApp's Field on this node, Crossing on a "
           "node that never comes, start_timeout 200 ms: {plc_start_timeout, [Node]} is recorded under "
           "<<\"MyApp\">> and sent to alarm subscribers as from plc_dist's pid."}].
plc_dist_alarms_are_recorded(_Config) ->
    {ok, _} = alive(),
    Nowhere = 'plc_hostile_nowhere@localhost',
    ok = plc_mon:subscribe_alarms(self()),
    {ok, _} = plc:start_system(<<"MyApp">>, #{mode => standard, start_timeout => 200,
                                              nodes => #{<<"Field">> => node(), <<"Crossing">> => Nowhere}}),
    Dist = whereis(plc_dist:name(<<"MyApp">>)),
    receive {plc_alarm, Dist, {plc_start_timeout, [Nowhere]}} -> ok
    after ?TIMEOUT -> ct:fail(no_start_timeout_alarm)
    end,
    ?assert(lists:member({<<"MyApp">>, {plc_start_timeout, [Nowhere]}}, id_alarms())),
    ok = plc:stop_system(<<"MyApp">>).

restart_storm_gives_one_resource_up() ->
    [{doc, "Field.Main of MyApp (standard mode, both devices on this node) killed until it gives up: "
           "6 crashes within 10 s, then it stays down with the alarm {plc_gave_up, 6, 10000}; "
           "Crossing.Main, the system's supervisor, its plc_dist and a standalone resource keep "
           "their pids and Crossing.Main its state; stop_resource and start_system recover it."}].
restart_storm_gives_one_resource_up(_Config) ->
    {ok, _} = alive(),
    Opts = #{mode => standard, nodes => #{<<"Field">> => node(), <<"Crossing">> => node()}},
    {ok, #{<<"Field.Main">> := F0, <<"Crossing.Main">> := X}} = plc:start_system(<<"MyApp">>, Opts),
    {ok, S} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    Sup = plc_runtime_sup:system_sup(<<"MyApp">>),
    Dist = whereis(plc_dist:name(<<"MyApp">>)),
    ?assert(is_pid(Sup) andalso is_pid(Dist)),
    ok = plc_mon:subscribe_alarms(self()),
    wait_until(fun() -> plc:read(X, <<"Light.CTL.RED">>) =:= {ok, true} end),   % START.COLD -> Light.INIT
    ok = plc:write(X, <<"Light.CTL.T_GREEN_SHORT">>, 7),   % a known value kept across the storm
    SystemAlarms = [A || {_, <<"MyApp">>, A} <- plc_mon:alarms()],
    Kills = kill_until_given_up(<<"Field.Main">>, F0, 0),
    ?assertEqual(6, Kills),
    ?assertEqual(undefined, plc:whereis(<<"Field.Main">>)),
    ?assertMatch({true, _}, plc_mon:given_up(<<"Field.Main">>)),
    ?assert(lists:member({<<"Field.Main">>, {plc_gave_up, 6, 10000}}, id_alarms())),
    receive {plc_alarm, _, {plc_gave_up, 6, 10000}} -> ok
    after ?TIMEOUT -> ct:fail(no_gave_up_alarm)
    end,
    ?assertEqual({X, S, Sup, Dist}, {plc:whereis(<<"Crossing.Main">>), plc:whereis(<<"hostile">>),
                                    plc_runtime_sup:system_sup(<<"MyApp">>), whereis(plc_dist:name(<<"MyApp">>))}),
    ?assertEqual({ok, 7}, plc:read(X, <<"Light.CTL.T_GREEN_SHORT">>)),
    ?assertMatch({ok, #{started := true}}, plc:system_info(<<"MyApp">>)),
    ok = plc:stop_resource(<<"Field.Main">>),
    ?assertEqual(false, plc_mon:given_up(<<"Field.Main">>)),
    ok = plc:stop_system(<<"MyApp">>),
    ?assertEqual(undefined, plc_runtime_sup:system_sup(<<"MyApp">>)),
    ?assertEqual({error, not_found}, plc:system_info(<<"MyApp">>)),
    {ok, #{<<"Field.Main">> := F1}} = plc:start_system(<<"MyApp">>, Opts),
    ?assertEqual(F1, plc:whereis(<<"Field.Main">>)),
    ok = plc:stop_system(<<"MyApp">>),
    ?assertEqual(SystemAlarms, [A || {_, <<"MyApp">>, A} <- plc_mon:alarms()]),   % stopped, not gone
    ok = plc:stop_resource(S).

standalone_restart_storm_gives_it_up() ->
    [{doc, "A standalone resource killed until it gives up (6 crashes in 10 s): the alarm "
           "{plc_gave_up, 6, 10000}; another standalone resource keeps its pid and counter; the name "
           "can be started again after stop_resource."}].
standalone_restart_storm_gives_it_up(_Config) ->
    {ok, A} = plc:start_resource(counter(), #{name => <<"hostile.storm">>}),
    {ok, B} = plc:start_resource(counter(), #{name => <<"hostile.other">>}),
    ok = plc:inject(B, <<"C.CU">>),
    wait_until(fun() -> plc:read(B, <<"C.CV">>) =:= {ok, 2} end),
    ?assertEqual(6, kill_until_given_up(<<"hostile.storm">>, A, 0)),
    ?assert(lists:member({<<"hostile.storm">>, {plc_gave_up, 6, 10000}}, id_alarms())),
    ?assertEqual(B, plc:whereis(<<"hostile.other">>)),
    ?assertEqual({ok, 2}, plc:read(B, <<"C.CV">>)),
    ok = plc:stop_resource(<<"hostile.storm">>),
    {ok, A2} = plc:start_resource(counter(), #{name => <<"hostile.storm">>}),
    ?assertEqual(A2, plc:whereis(<<"hostile.storm">>)),
    ok = plc:stop_resource(A2),
    ok = plc:stop_resource(B).

killed_system_supervisor_is_reported() ->
    [{doc, "MyApp (local mode) whose system supervisor is killed: its resources are gone, the alarm "
           "{plc_system_gone, killed} is raised under the system's name and system_info/1 answers "
           "{error, {gone, #{reason := killed}}}; starting it again clears that."}].
killed_system_supervisor_is_reported(_Config) ->
    ok = plc_mon:subscribe_alarms(self()),
    {ok, #{<<"Field.Main">> := F}} = plc:start_system(<<"MyApp">>, #{}),
    {ok, S} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    Sup = plc_runtime_sup:system_sup(<<"MyApp">>),
    ?assertEqual({error, not_found}, plc:system_info(<<"MyApp">>)),   % local mode: no links to report
    exit(Sup, kill),
    receive {plc_alarm, Sup, {plc_system_gone, killed}} -> ok
    after ?TIMEOUT -> ct:fail(no_system_gone_alarm)
    end,
    ?assert(lists:member({<<"MyApp">>, {plc_system_gone, killed}}, id_alarms())),
    ?assertMatch({error, {gone, #{reason := killed, at := _}}}, plc:system_info(<<"MyApp">>)),
    ?assertMatch({error, {gone, _}}, plc:system_info(<<"myapp">>)),
    wait_until(fun() -> plc:whereis(<<"Field.Main">>) =:= undefined end),
    ?assertNot(is_process_alive(F)),
    ?assertEqual(S, plc:whereis(<<"hostile">>)),
    {ok, _} = plc:start_system(<<"MyApp">>, #{}),
    ?assertEqual({error, not_found}, plc:system_info(<<"MyApp">>)),
    ok = plc:stop_system(<<"MyApp">>),
    ok = plc:stop_resource(S).

plc_dist_crash_storm_reports_the_system_gone() ->
    [{doc, "MyApp in standard mode on this node: plc_dist killed once restarts no resource; killed "
           "again and again, its system supervisor gives up (its intensity: 10 for plc_dist plus 6 per "
           "resource), the system is reported gone (alarm and system_info) and a standalone resource "
           "keeps running."}].
plc_dist_crash_storm_reports_the_system_gone(_Config) ->
    {ok, _} = alive(),
    Opts = #{mode => standard, nodes => #{<<"Field">> => node(), <<"Crossing">> => node()}},
    {ok, Pids} = plc:start_system(<<"MyApp">>, Opts),
    {ok, S} = plc:start_resource(counter(), #{name => <<"hostile">>}),
    ok = plc_mon:subscribe_alarms(self()),
    Name = plc_dist:name(<<"MyApp">>),
    D0 = whereis(Name),
    exit(D0, kill),
    wait_until(fun() -> is_pid(whereis(Name)) andalso whereis(Name) =/= D0 end),
    ?assertEqual(Pids, maps:with(maps:keys(Pids), plc_mon:resources())),
    Sup = plc_runtime_sup:system_sup(<<"MyApp">>),
    Kills = kill_dist_until_gone(Name, Sup, 1),
    ct:pal("plc_dist killed ~b times", [Kills]),
    ?assertEqual(10 + 6 * 2 + 1, Kills),
    receive {plc_alarm, Sup, {plc_system_gone, shutdown}} -> ok
    after ?TIMEOUT -> ct:fail(no_system_gone_alarm)
    end,
    ?assertMatch({error, {gone, #{reason := shutdown}}}, plc:system_info(<<"MyApp">>)),
    ?assertEqual(S, plc:whereis(<<"hostile">>)),
    ok = plc:stop_resource(S).

%%% Helpers

%% logger handler callback.
log(#{msg := {Format, Args}}, #{config := #{pid := Pid}}) ->
    Pid ! {logged, iolist_to_binary(io_lib:format(Format, Args))};
log(_Event, _Config) ->
    ok.

%% The stray lines logged for `Who', with the count of those not logged
%% each reports.
stray_lines(Who) ->
    receive
        {logged, <<"plc ", Rest/binary>> = Line} ->
            case binary:match(Rest, <<Who/binary, ": dropped ">>) of
                {0, _} ->
                    More = case re:run(Line, "\\(and ([0-9]+) more not logged\\)$", [{capture, [1], binary}]) of
                               {match, [N]} -> binary_to_integer(N);
                               nomatch -> 0
                           end,
                    [{Line, More} | stray_lines(Who)];
                _ -> stray_lines(Who)
            end;
        {logged, _} -> stray_lines(Who)
    after 0 -> []
    end.

counter() ->
    #{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, <<"1000">>}]}],
      events => [{<<"START.COLD">>, <<"C.CU">>}]}.

cuo(R, Cv) ->
    {plc_event, R, <<"C.CUO">>, #{<<"Q">> => false, <<"CV">> => Cv}}.

%% plc_SUITE's doubling cycle in a queue of 8: 32 events dropped.
storm_net() ->
    #{fbs => [{<<"Ctr">>, <<"E_CTU">>, [{<<"PV">>, <<"40">>}]}, {<<"Sw">>, <<"E_SWITCH">>, []},
              {<<"Split">>, <<"E_SPLIT">>, []}, {<<"Merge">>, <<"E_MERGE">>, []}],
      events => [{<<"Sw.EO0">>, <<"Split.EI">>}, {<<"Split.EO1">>, <<"Merge.EI1">>},
                 {<<"Split.EO2">>, <<"Merge.EI2">>}, {<<"Merge.EO">>, <<"Ctr.CU">>},
                 {<<"Ctr.CUO">>, <<"Sw.EI">>}],
      data => [{<<"Ctr.Q">>, <<"Sw.G">>}],
      queue_capacity => 8}.

storm(R) ->
    {ok, #{dropped := D0}} = plc:stats(R),
    ok = plc:inject(R, <<"Split.EI">>),
    wait_until(fun() -> {ok, #{dropped := D}} = plc:stats(R), D =:= D0 + 32 end),
    settle(R).

%% One round of stray input: a cast, two infos, an exit signal and two
%% calls of the wrong shape (each logged), a forged monitor notice; the
%% calls' replies.
strays(R, N) ->
    gen_server:cast(R, {junk, N}),
    R ! {junk, N},
    R ! {plc_start, {bad, N}},
    R ! {'DOWN', make_ref(), process, self(), forged},   % ignored without a line: no such monitor
    exit(R, {junk, N}),
    [gen_server:call(R, {junk, N}), gen_server:call(R, {watch, <<"C.CV">>, N})].

id_alarms() ->
    [{Id, A} || {_, Id, A} <- plc_mon:alarms()].

kill_until_given_up(Id, Pid, Kills) ->
    exit(Pid, kill),
    wait_until(fun() -> plc:whereis(Id) =/= Pid andalso
                            (is_pid(plc:whereis(Id)) orelse plc_mon:given_up(Id) =/= false) end),
    case plc:whereis(Id) of
        undefined -> Kills + 1;
        Next -> kill_until_given_up(Id, Next, Kills + 1)
    end.

kill_dist_until_gone(Name, Sup, Kills) ->
    Pid = whereis(Name),
    exit(Pid, kill),
    wait_until(fun() -> not is_process_alive(Sup) orelse
                            (is_pid(whereis(Name)) andalso whereis(Name) =/= Pid) end),
    case is_process_alive(Sup) of
        false -> Kills + 1;
        true -> kill_dist_until_gone(Name, Sup, Kills + 1)
    end.

big(binary, Size) -> binary:copy(<<"x">>, Size);
big(list, Size) -> lists:seq(1, Size div 16).     % a cons cell: 2 words

term_bytes(Term) when is_binary(Term) -> byte_size(Term);
term_bytes(Term) -> erts_debug:flat_size(Term) * erlang:system_info(wordsize).

senders() ->
    [{call, fun(T, Term) -> gen_server:call(T, {junk, Term}) end},
     {call_known_shape, fun(plc_mon, Term) -> gen_server:call(plc_mon, {subscribe_alarms, Term});
                           (T, Term) -> gen_server:call(T, {subscribe, Term, self()})
                        end},
     {cast_then_call, fun(T, Term) -> gen_server:cast(T, {junk, Term}), gen_server:call(T, junk) end},
     {info_then_call, fun(T, Term) -> T ! {junk, Term}, gen_server:call(T, junk) end}].

%% The node's memory but the caller's own heap (which holds the term, and
%% whose size after a collection varies by whole heap-size steps).
%% One send of a huge term: the reply, and {wall us, us copying it alone,
%% the receiver's reductions, the node's memory growth}.
try_send(Send, Target, Pid, Term, R) ->
    Mem0 = settled_memory([R, whereis(plc_mon)]),
    {reductions, Red0} = process_info(Pid, reductions),
    {Us, Reply} = timer:tc(fun() -> Send(Target, Term) end),
    {reductions, Red1} = process_info(Pid, reductions),
    Mem1 = settled_memory([R, whereis(plc_mon)]),
    {Reply, {Us, copy_us(Term), Red1 - Red0, Mem1 - Mem0}}.

%% What sending `Term' costs by itself (the copy into the receiver's heap,
%% Erlang's and not plc's), the same moment: taken from the wall time of a
%% call, what remains is what the receiver spent on it.
copy_us(Term) ->
    Sink = spawn(fun() -> receive stop -> ok end end),
    {Us, _} = timer:tc(fun() -> Sink ! {junk, Term} end),
    exit(Sink, kill),
    Us.

settled_memory(Pids) ->
    [erlang:garbage_collect(P) || P <- [self() | Pids]],
    {memory, Own} = process_info(self(), memory),
    erlang:memory(total) - Own.

settle(Pid) when is_pid(Pid) ->
    _ = sys:get_state(Pid),
    case process_info(Pid, message_queue_len) of
        {message_queue_len, 0} -> ok;
        _ -> settle(Pid)
    end.

next(Pid) ->
    receive
        M when is_tuple(M), tuple_size(M) >= 2, element(2, M) =:= Pid -> M
    after ?TIMEOUT ->
            ct:fail({no_message_from, Pid})
    end.

expect(Pid, Messages) ->
    lists:foreach(fun(M) -> ?assertEqual(M, next(Pid)) end, Messages).

quiet(Pid) ->
    settle(Pid),
    receive
        M when is_tuple(M), tuple_size(M) >= 2, element(2, M) =:= Pid -> ct:fail({unexpected, M})
    after 0 -> ok
    end.

wait_until(Done) ->
    wait_until(Done, erlang:monotonic_time(millisecond) + ?TIMEOUT).

wait_until(Done, Deadline) ->
    case Done() of
        true -> ok;
        false ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> ct:fail(timeout);
                false -> timer:sleep(2), wait_until(Done, Deadline)
            end
    end.

%% Distributed modes need an alive node (no peers: every device is here).
alive() ->
    case is_alive() of
        true -> {ok, node()};
        false ->
            _ = os:cmd("epmd -daemon"),
            case net_kernel:start(plc_hostile, #{name_domain => shortnames}) of
                {ok, _} -> {ok, node()};
                {error, Reason} -> ct:fail({not_alive, Reason})
            end
    end.

project_root() ->
    Candidates = [filename:dirname(filename:dirname(filename:dirname(filename:absname(?FILE)))),
                  element(2, file:get_cwd())],
    Up = fun(D) -> [D, filename:dirname(D), filename:dirname(filename:dirname(D))] end,
    case [D || C <- Candidates, D <- Up(C), filelib:is_regular(filename:join([D, "fblocks", "voter.st"]))] of
        [Root | _] -> Root;
        [] -> ct:fail({no_fblocks, Candidates})
    end.
