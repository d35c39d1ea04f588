%%% @doc EUnit tests of plc_topology: where devices and resources run,
%%% neighbours, observed ports, bounded names. Pure: no node, no NIF.
-module(plc_topology_tests).

-include_lib("eunit/include/eunit.hrl").

-define(DEVICES, [#{name => <<"Field">>, parameters => #{}, resources => [<<"Field.Main">>]},
                  #{name => <<"Crossing">>, parameters => #{<<"node">> => <<"'cross@box'">>},
                    resources => [<<"Crossing.Main">>, <<"Crossing.Aux">>]},
                  #{name => <<"Panel">>, parameters => [{<<"QUEUE">>, <<"8">>}], resources => [<<"Panel.Main">>]}]).

device_nodes_option_then_parameter_then_default_test() ->
    ?assertEqual(#{<<"Field">> => 'f1@h', <<"Crossing">> => 'cross@box', <<"Panel">> => 'panel@here'},
                 plc_topology:device_nodes(?DEVICES, #{<<"FIELD">> => 'f1@h'}, 'me@here')).

device_nodes_option_wins_over_the_parameter_in_any_case_test() ->
    ?assertEqual('c2@h', maps:get(<<"Crossing">>,
                                  plc_topology:device_nodes(?DEVICES, #{"crossing" => 'c2@h'}, 'me@here'))).

device_nodes_on_a_node_not_alive_use_nohost_test() ->
    ?assertEqual('field@nohost', maps:get(<<"Field">>, plc_topology:device_nodes(?DEVICES, #{}, nonode@nohost))).

canonical_spelling_of_a_device_test() ->
    ?assertEqual(<<"Crossing">>, plc_topology:canonical(<<"CROSSING">>, ?DEVICES)),
    ?assertEqual(<<"Crossing">>, plc_topology:canonical("crossing", ?DEVICES)),
    ?assertEqual(<<"Nowhere">>, plc_topology:canonical(<<"Nowhere">>, ?DEVICES)).

devices_on_and_elsewhere_test() ->
    Nodes = #{<<"Field">> => a@h, <<"Crossing">> => b@h, <<"Panel">> => a@h},
    ?assertEqual([<<"Field">>, <<"Panel">>], plc_topology:devices_on(a@h, ?DEVICES, Nodes)),
    ?assertEqual([], plc_topology:devices_on(c@h, ?DEVICES, Nodes)),
    ?assertEqual([{<<"Crossing">>, b@h}, {<<"Gone">>, undefined}],
                 plc_topology:elsewhere([<<"Field">>, <<"Crossing">>, <<"Gone">>], Nodes, a@h)).

resources_of_devices_in_plan_order_test() ->
    ?assertEqual([<<"Field.Main">>, <<"Crossing.Main">>, <<"Crossing.Aux">>, <<"Panel.Main">>],
                 plc_topology:resources_of(?DEVICES, all)),
    ?assertEqual([<<"Crossing.Main">>, <<"Crossing.Aux">>, <<"Panel.Main">>],
                 plc_topology:resources_of(?DEVICES, [<<"Panel">>, <<"Crossing">>])),
    ?assertEqual([], plc_topology:resources_of(?DEVICES, [])).

device_of_and_resource_nodes_test() ->
    DeviceOf = plc_topology:device_of(?DEVICES),
    ?assertEqual(#{<<"Field.Main">> => <<"Field">>, <<"Crossing.Main">> => <<"Crossing">>,
                   <<"Crossing.Aux">> => <<"Crossing">>, <<"Panel.Main">> => <<"Panel">>}, DeviceOf),
    ?assertEqual(#{<<"Field.Main">> => a@h, <<"Crossing.Main">> => b@h, <<"Crossing.Aux">> => b@h,
                   <<"Panel.Main">> => c@h},
                 plc_topology:resource_nodes(DeviceOf, #{<<"Field">> => a@h, <<"Crossing">> => b@h,
                                                         <<"Panel">> => c@h})).

neighbours_both_directions_not_self_test() ->
    NodeOf = #{<<"F">> => a@h, <<"C">> => b@h, <<"P">> => c@h, <<"Q">> => a@h, <<"X">> => d@h},
    Links = [{<<"F">>, <<"C">>}, {<<"P">>, <<"F">>}, {<<"F">>, <<"Q">>}, {<<"C">>, <<"X">>}],
    %% C and P are linked with F; Q is on a@h itself; X only with C.
    ?assertEqual([b@h, c@h], plc_topology:neighbours(Links, [<<"F">>, <<"Q">>], NodeOf, a@h)),
    ?assertEqual([a@h, d@h], plc_topology:neighbours(Links, [<<"C">>], NodeOf, b@h)),
    ?assertEqual([], plc_topology:neighbours([], [<<"F">>], NodeOf, a@h)).

observed_in_names_a_resource_or_every_holder_of_the_fb_test() ->
    Here = [<<"VOTE">>, <<"LIGHT">>],
    ?assertEqual([<<"Vote.Voted">>], plc_topology:observed_in(<<"Field.Main">>, Here, <<"Field.Main/Vote.Voted">>)),
    ?assertEqual([], plc_topology:observed_in(<<"Field.Main">>, Here, <<"Crossing.Main/Light.CHANGE">>)),
    ?assertEqual([<<"light.CHANGE">>], plc_topology:observed_in(<<"X">>, Here, <<"light.CHANGE">>)),
    ?assertEqual([], plc_topology:observed_in(<<"X">>, Here, <<"Lamp.CNF">>)).

names_are_bounded_before_they_are_processed_test() ->
    Big = binary:copy(<<"a">>, 16 bsl 20),
    ?assertEqual(ok, plc_topology:check_name(binary:copy(<<"a">>, 1024))),
    ?assertError({badarg, <<"a name of 1025 bytes (at most 1024)">>},
                 plc_topology:check_name(binary:copy(<<"a">>, 1025))),
    {Us, Result} = timer:tc(fun() -> catch plc_topology:device_nodes(?DEVICES, #{Big => a@h}, a@h) end),
    ?assertMatch({'EXIT', {{badarg, <<"a name of 16777216 bytes (at most 1024)">>}, _}}, Result),
    ?assert(Us < 100000),
    ?assertError({badarg, <<"not a name">>}, plc_topology:check_name(42)),
    ?assertError({badarg, <<"not a name">>}, plc_topology:check_name([$a | b])).
