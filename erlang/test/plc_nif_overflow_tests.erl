%%% EUnit tests of the NIF's overflow reports: a burst that meets a full
%%% queue drops many events, and the owner gets at most one
%%% `{plc_overflow, Fb, Port, Total}' per (Fb, Port) per slice, Total being
%%% the resource's cumulative count of drops (before, one message per
%%% dropped event flooded the owner and its log).
%%%
%%%   rebar3 eunit --module=plc_nif_overflow_tests
-module(plc_nif_overflow_tests).
-include_lib("eunit/include/eunit.hrl").

%% Two E_SPLITs whose EO1 and EO2 both go to a counter, in a queue of one:
%% each EI dispatched queues EO1 and drops EO2.
-define(NET, #{fbs => [{<<"S">>, <<"E_SPLIT">>, []}, {<<"T">>, <<"E_SPLIT">>, []},
                       {<<"A">>, <<"E_CTU">>, []}, {<<"B">>, <<"E_CTU">>, []}],
               events => [{<<"S.EO1">>, <<"A.CU">>}, {<<"S.EO2">>, <<"B.CU">>},
                          {<<"T.EO1">>, <<"A.CU">>}, {<<"T.EO2">>, <<"B.CU">>}],
               queue_capacity => 1}).

overflow_test_() ->
    [{"drops in one slice are one message per port with the cumulative total", fun one_per_port_per_slice/0},
     {"the next slice reports its own drops, the total going on", fun next_slice_reports_again/0},
     {"a slice without drops reports nothing", fun no_drop_no_message/0}].

one_per_port_per_slice() ->
    {ok, H} = plc_nif:resource_new(?NET),
    10 = plc_nif:post_batch(H, <<"S">>, <<"EI">>, lists:duplicate(10, [])),
    5 = plc_nif:post_batch(H, <<"T">>, <<"EI">>, lists:duplicate(5, [])),
    ?assertEqual(idle, plc_nif:run(H)),
    ?assertEqual([{plc_overflow, <<"S">>, <<"EO2">>, 10}, {plc_overflow, <<"T">>, <<"EO2">>, 15}], overflows()),
    ?assertMatch(#{dropped := 15, dispatched := 30}, plc_nif:stats(H)).

next_slice_reports_again() ->
    {ok, H} = plc_nif:resource_new(?NET),
    3 = plc_nif:post_batch(H, <<"S">>, <<"EI">>, lists:duplicate(3, [])),
    ?assertEqual(idle, plc_nif:run(H)),
    ?assertEqual([{plc_overflow, <<"S">>, <<"EO2">>, 3}], overflows()),
    4 = plc_nif:post_batch(H, <<"S">>, <<"EI">>, lists:duplicate(4, [])),
    ?assertEqual(idle, plc_nif:run(H)),
    ?assertEqual([{plc_overflow, <<"S">>, <<"EO2">>, 7}], overflows()).

no_drop_no_message() ->
    {ok, H} = plc_nif:resource_new(?NET#{queue_capacity => 4}),
    ok = plc_nif:post(H, <<"S">>, <<"EI">>, []),
    ?assertEqual(idle, plc_nif:run(H)),
    ?assertEqual([], overflows()),
    ?assertMatch(#{dropped := 0, dispatched := 3}, plc_nif:stats(H)).

%% The overflow messages in the mailbox, in order (the NIF sent them during
%% run/1, which has returned).
overflows() ->
    receive
        {plc_overflow, _, _, _} = M -> [M | overflows()]
    after 0 -> []
    end.
