%%% EUnit tests of forcing through the public API (plc:force/3,
%%% plc:clear_force/2, plc:forced/1) over the real engine: what a forced
%%% input and a forced output do to a running resource, and what a wrong
%%% argument gets.
-module(plc_force_tests).
-include_lib("eunit/include/eunit.hrl").

%% C1.CUO -> C2.CU with C1.CV -> C2.PV; T echoes a STRING.
-define(NETWORK, #{fbs => [{<<"C1">>, <<"E_CTU">>, []}, {<<"C2">>, <<"E_CTU">>, []}, {<<"T">>, <<"FORCE_ECHO">>, []}],
                   events => [{<<"C1.CUO">>, <<"C2.CU">>}],
                   data => [{<<"C1.CV">>, <<"C2.PV">>}]}).

-define(ECHO, <<"FUNCTION_BLOCK FORCE_ECHO\n"
                "EVENT_INPUT REQ WITH IN; END_EVENT\n"
                "EVENT_OUTPUT CNF WITH OUT; END_EVENT\n"
                "VAR_INPUT IN : STRING[20]; END_VAR\n"
                "VAR_OUTPUT OUT : STRING[20]; END_VAR\n"
                "EC_STATES S0; S1 : Run -> CNF; END_STATES\n"
                "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
                "ALGORITHM Run IN ST: OUT := CONCAT(IN, '!'); END_ALGORITHM\n"
                "END_FUNCTION_BLOCK\n">>).

force_test_() ->
    {setup,
     fun() ->
             {ok, Apps} = application:ensure_all_started(plc),
             {ok, _} = plc:compile(<<"force_echo.st">>, ?ECHO),
             Apps
     end,
     fun(Apps) -> [application:stop(A) || A <- lists:reverse(Apps)] end,
     [{"a forced input holds against its connection and refuses writes", fun forced_input/0},
      {"a forced output is what subscribers and connections see", fun forced_output/0},
      {"a STRING is forced and read back", fun forced_string/0},
      {"wrong arguments are errors, the VM stays up", fun bad_arguments/0}]}.

forced_input() ->
    {ok, R} = plc:start_resource(?NETWORK),
    ?assertEqual(ok, plc:force(R, <<"C2.PV">>, 3)),
    ?assertEqual({error, forced}, plc:write(R, <<"C2.PV">>, 9)),
    _ = [ok = plc:inject(R, <<"C1.CU">>) || _ <- lists:seq(1, 5)],
    wait_until(fun() -> plc:read(R, <<"C2.CV">>) =:= {ok, 5} end),
    ?assertEqual({ok, 3}, plc:read(R, <<"C2.PV">>)),
    ?assertEqual({ok, #{<<"C2.PV">> => 3}}, plc:forced(R)),
    ?assertEqual(ok, plc:force(R, <<"C2.PV">>, 4)),  % forcing again changes the value
    ?assertEqual({ok, #{<<"C2.PV">> => 4}}, plc:forced(R)),
    ?assertEqual(ok, plc:clear_force(R, <<"C2.PV">>)),
    ?assertEqual(ok, plc:clear_force(R, <<"C2.PV">>)),  % not forced: still ok
    ?assertEqual({ok, #{}}, plc:forced(R)),
    ?assertEqual({ok, 4}, plc:read(R, <<"C2.PV">>)),  % until its next event
    ok = plc:inject(R, <<"C1.CU">>),
    wait_until(fun() -> plc:read(R, <<"C2.PV">>) =:= {ok, 6} end),
    ?assertEqual(ok, plc:write(R, <<"C2.PV">>, 9)),
    ok = plc:stop_resource(R).

forced_output() ->
    {ok, R} = plc:start_resource(?NETWORK),
    ok = plc:subscribe(R, <<"C1.CUO">>),
    ?assertEqual(ok, plc:force(R, <<"C1.CV">>, 40)),
    ok = plc:inject(R, <<"C1.CU">>),
    Pid = plc:whereis(R),
    receive {plc_event, Pid, <<"C1.CUO">>, Data} -> ?assertEqual(#{<<"CV">> => 40, <<"Q">> => true}, Data)
    after 2000 -> ?assert(false)
    end,
    wait_until(fun() -> plc:read(R, <<"C2.CV">>) =:= {ok, 1} end),
    ?assertEqual({ok, 40}, plc:read(R, <<"C2.PV">>)),
    ?assertEqual({ok, 40}, plc:read(R, <<"C1.CV">>)),
    ok = plc:clear_force(R, <<"C1.CV">>),
    ok = plc:inject(R, <<"C1.CU">>),
    receive {plc_event, Pid, <<"C1.CUO">>, Data2} -> ?assertEqual(#{<<"CV">> => 41, <<"Q">> => true}, Data2)
    after 2000 -> ?assert(false)
    end,
    ok = plc:stop_resource(R).

forced_string() ->
    {ok, R} = plc:start_resource(?NETWORK),
    ?assertEqual(ok, plc:force(R, <<"T.IN">>, <<"forced">>)),
    ok = plc:inject(R, <<"T.REQ">>, [{<<"IN">>, <<"other">>}]),  % the event's value is held off
    wait_until(fun() -> plc:read(R, <<"T.OUT">>) =:= {ok, <<"forced!">>} end),
    ?assertEqual({ok, #{<<"T.IN">> => <<"forced">>}}, plc:forced(R)),
    ?assertEqual(ok, plc:force(R, <<"T.OUT">>, <<"out">>)),
    ?assertEqual({ok, <<"out">>}, plc:read(R, <<"T.OUT">>)),
    ok = plc:stop_resource(R).

bad_arguments() ->
    {ok, R} = plc:start_resource(?NETWORK),
    ?assertEqual({error, <<"no FB C9">>}, plc:force(R, <<"C9.PV">>, 1)),
    ?assertEqual({error, <<"no variable C2.NOPE">>}, plc:force(R, <<"C2.NOPE">>, 1)),
    ?assertMatch({error, <<"value for C2.PV is not a UINT", _/binary>>}, plc:force(R, <<"C2.PV">>, <<"text">>)),
    ?assertMatch({error, <<"value for T.IN", _/binary>>}, plc:force(R, <<"T.IN">>, binary:copy(<<"x">>, 21))),
    ?assertMatch({error, _}, plc:force(R, <<"nodot">>, 1)),
    ?assertMatch({error, _}, plc:force(R, 42, 1)),
    ?assertMatch({error, _}, plc:clear_force(R, <<"C9.PV">>)),
    ?assertEqual({error, not_found}, plc:force(make_ref(), <<"C2.PV">>, 1)),
    ?assertEqual({ok, #{}}, plc:forced(R)),
    ?assertError({badarg, _}, plc_nif:force(not_a_handle, <<"C2">>, <<"PV">>, 1)),
    ?assertError({badarg, _}, plc_nif:clear_force(make_ref(), <<"C2">>, <<"PV">>)),
    ?assertError({badarg, _}, plc_nif:forced(self())),
    ok = plc:stop_resource(R).

wait_until(F) -> wait_until(F, 200).

wait_until(F, 0) -> ?assert(F());
wait_until(F, N) ->
    case F() of
        true -> ok;
        false -> timer:sleep(10), wait_until(F, N - 1)
    end.
