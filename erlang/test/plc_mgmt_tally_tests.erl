%%% EUnit tests of plc_mgmt_tally: the event counts of a device's watched
%%% event outputs, kept out of the device's mailbox.
-module(plc_mgmt_tally_tests).
-include_lib("eunit/include/eunit.hrl").

counts_events_by_resource_and_port_test() ->
    T = plc_mgmt_tally:start_link(),
    Sub = plc_mgmt_tally:subscriber(T),
    R1 = resource(),
    R2 = resource(),
    ?assertEqual(none, plc_mgmt_tally:count(T, R1, <<"T.EO">>)),
    Before = erlang:monotonic_time(millisecond),
    _ = [Sub ! {plc_event, R1, <<"t.Eo">>, #{}} || _ <- lists:seq(1, 3)],
    Sub ! {plc_event, R2, <<"T.EO">>, #{<<"Q">> => true}},
    {3, At} = until(fun() -> plc_mgmt_tally:count(T, R1, <<"T.EO">>) end, 3),
    ?assert(At >= Before),
    ?assertMatch({1, _}, until(fun() -> plc_mgmt_tally:count(T, R2, <<"T.EO">>) end, 1)),
    %% $er: counting starts again.
    ok = plc_mgmt_tally:reset(T, R1, <<"T.EO">>),
    ?assertEqual(none, plc_mgmt_tally:count(T, R1, <<"T.EO">>)),
    Sub ! {plc_event, R1, <<"T.EO">>, #{}},
    ?assertMatch({1, _}, until(fun() -> plc_mgmt_tally:count(T, R1, <<"T.EO">>) end, 1)),
    %% Alarms and anything else a subscriber hears are not counted.
    Sub ! {plc_alarm, R1, {plc_runaway, <<"S">>}},
    Sub ! hello,
    %% A resource that ends loses its counts.
    exit(R1, kill),
    none = until(fun() -> plc_mgmt_tally:count(T, R1, <<"T.EO">>) end, none),
    ?assertMatch({1, _}, plc_mgmt_tally:count(T, R2, <<"T.EO">>)),
    ?assert(is_process_alive(Sub)),
    ok = plc_mgmt_tally:stop(T),
    ?assertNot(is_process_alive(Sub)),
    exit(R2, kill).

resource() ->
    spawn(fun() -> receive after infinity -> ok end end).

%% F's answer once it is Expected (a count, or none), polled for at most 1 s.
until(F, Expected) ->
    until(F, Expected, 100).

until(F, Expected, Tries) ->
    case F() of
        {Expected, _} = Count -> Count;
        Expected -> Expected;
        Other when Tries =< 1 -> Other;
        _ -> timer:sleep(10), until(F, Expected, Tries - 1)
    end.
