%%% The ID of a communication block (plc_com_id), with the cases of FORTE's
%%% tests/core/cominfra/extractLayerAndParamsTest.cpp where they apply and
%%% the IDs 4diac IDE writes.
-module(plc_com_id_tests).

-include_lib("eunit/include/eunit.hrl").

-define(C, plc_com_id).

%%% FORTE's extractLayerAndParams cases

an_empty_id_names_no_layer_test() ->
    ?assertEqual({error, empty_id}, ?C:layers(<<>>)),
    ?assertEqual({error, empty_id}, ?C:parse("")).

a_layer_parameter_may_contain_brackets_test() ->
    ?assertEqual({ok, [{<<"layer">>, <<"param[subparam]">>}]}, ?C:layers(<<"layer[param[subparam]]">>)),
    ?assertEqual({error, {unsupported_layer, <<"layer">>}}, ?C:parse(<<"layer[param[subparam]]">>)).

an_id_without_opening_bracket_is_refused_test() ->
    ?assertEqual({error, {bad_id, <<"id1]">>}}, ?C:layers(<<"id1]">>)),
    ?assertEqual({error, {bad_id, <<"id1]">>}}, ?C:parse(<<"id1]">>)).

%% FORTE's test splits "id1[" alone; as an ID it has no `]', so it is the
%% parameter of the default stack, whose ip layer then never closes.
an_id_without_closing_bracket_is_refused_test() ->
    ?assertEqual({error, {bad_id, <<"id1[">>}}, ?C:layers(<<"id1[">>)),
    ?assertEqual({error, {bad_id, <<"a[b].c[d">>}}, ?C:parse(<<"a[b].c[d">>)).

a_layer_without_a_name_splits_but_is_no_layer_test() ->
    ?assertEqual({ok, [{<<>>, <<>>}]}, ?C:layers(<<"[]">>)),
    ?assertEqual({error, empty_layer_name}, ?C:parse(<<"[]">>)),
    ?assertEqual({error, empty_layer_name}, ?C:parse(<<"fbdk[].[1.2.3.4:5]">>)).

%%% FBDK over IP

the_explicit_fbdk_ip_stack_test() ->
    ?assertEqual({ok, [{<<"fbdk">>, <<>>}, {<<"ip">>, <<"192.168.0.10:61500">>}]},
                 ?C:layers(<<"fbdk[].ip[192.168.0.10:61500]">>)),
    ?assertEqual({ok, {fbdk_ip, {{192, 168, 0, 10}, 61500}, unicast}},
                 ?C:parse(<<"fbdk[].ip[192.168.0.10:61500]">>)).

a_bare_host_and_port_is_fbdk_over_ip_test() ->
    ?assertEqual({ok, [{<<"fbdk">>, <<>>}, {<<"ip">>, <<"239.0.0.1:61000">>}]}, ?C:layers(<<"239.0.0.1:61000">>)),
    ?assertEqual({ok, {fbdk_ip, {{239, 0, 0, 1}, 61000}, multicast}}, ?C:parse(<<"239.0.0.1:61000">>)),
    ?assertEqual({ok, {fbdk_ip, {{127, 0, 0, 1}, 61499}, unicast}}, ?C:parse("127.0.0.1:61499")).

a_host_name_is_kept_for_the_transport_to_resolve_test() ->
    ?assertEqual({ok, {fbdk_ip, {"localhost", 61500}, unicast}}, ?C:parse(<<"localhost:61500">>)),
    ?assertEqual({ok, {fbdk_ip, {"plc-2.plant.example", 61500}, unicast}},
                 ?C:parse(<<"fbdk[].ip[plc-2.plant.example:61500]">>)).

multicast_is_224_0_0_0_to_239_255_255_255_test() ->
    Cast = fun(Host) -> {ok, {fbdk_ip, _, C}} = ?C:parse(<<Host/binary, ":61000">>), C end,
    ?assertEqual(unicast, Cast(<<"223.255.255.255">>)),
    ?assertEqual(multicast, Cast(<<"224.0.0.0">>)),
    ?assertEqual(multicast, Cast(<<"239.255.255.255">>)),
    ?assertEqual(unicast, Cast(<<"240.0.0.0">>)).

a_multicast_interface_follows_an_at_sign_test() ->
    ?assertEqual({ok, {fbdk_ip, {{239, 0, 0, 1}, 61000}, {multicast, {192, 168, 1, 5}}}},
                 ?C:parse(<<"fbdk[].ip[239.0.0.1:61000@192.168.1.5]">>)),
    %% FORTE ignores the interface of a unicast address.
    ?assertEqual({ok, {fbdk_ip, {{10, 0, 0, 2}, 61000}, unicast}}, ?C:parse(<<"10.0.0.2:61000@10.0.0.1">>)),
    ?assertEqual({error, {bad_interface, <<"eth0">>}}, ?C:parse(<<"239.0.0.1:61000@eth0">>)).

an_empty_host_is_every_interface_test() ->
    ?assertEqual({ok, {fbdk_ip, {any, 61500}, unicast}}, ?C:parse(<<":61500">>)),
    ?assertEqual({ok, {fbdk_ip, {any, 61500}, unicast}}, ?C:parse(<<"fbdk[].ip[:61500]">>)).

any_one_character_separates_layers_and_may_end_the_id_as_in_forte_test() ->
    Expected = {ok, {fbdk_ip, {{10, 0, 0, 1}, 80}, unicast}},
    ?assertEqual(Expected, ?C:parse(<<"fbdk[]/ip[10.0.0.1:80]">>)),
    ?assertEqual(Expected, ?C:parse(<<"fbdk[].ip[10.0.0.1:80].">>)),
    %% Without a separator the first letter of the next layer is skipped.
    ?assertEqual({error, {unsupported_layer, <<"p">>}}, ?C:parse(<<"fbdk[]ip[10.0.0.1:80]">>)).

the_fbdk_layer_ignores_its_parameters_test() ->
    ?assertEqual({ok, {fbdk_ip, {{10, 0, 0, 1}, 80}, unicast}}, ?C:parse(<<"fbdk[x].ip[10.0.0.1:80]">>)).

bad_ports_and_hosts_are_refused_exactly_test() ->
    ?assertEqual({error, {missing_port, <<"10.0.0.1">>}}, ?C:parse(<<"fbdk[].ip[10.0.0.1]">>)),
    [?assertEqual({error, {bad_port, P}}, ?C:parse(<<"10.0.0.1:", P/binary>>))
     || P <- [<<>>, <<"0">>, <<"65536">>, <<"99999">>, <<"123456">>, <<"80x">>, <<"-1">>, <<" 80">>]],
    ?assertEqual({ok, {fbdk_ip, {{10, 0, 0, 1}, 65535}, unicast}}, ?C:parse(<<"10.0.0.1:65535">>)),
    [?assertEqual({error, {bad_host, H}}, ?C:parse(<<H/binary, ":80">>))
     || H <- [<<"999.1.1.1">>, <<"1.2.3">>, <<"-a">>, <<"a_b">>, <<"a..b">>, <<" 10.0.0.1">>]],
    %% The host ends at the first colon, as in FORTE: no IPv6.
    ?assertEqual({error, {bad_port, <<":1:80">>}}, ?C:parse(<<"::1:80">>)).

layers_other_than_fbdk_over_ip_are_unsupported_test() ->
    ?assertEqual({error, {unsupported_layer, <<"raw">>}}, ?C:parse(<<"raw[].ip[10.0.0.1:80]">>)),
    ?assertEqual({error, {unsupported_layer, <<"loc">>}}, ?C:parse(<<"loc[name]">>)),
    ?assertEqual({error, {unsupported_layer, <<"mqtt">>}}, ?C:parse(<<"fbdk[].mqtt[tcp://b:1883, c, t]">>)),
    %% Layer names are compared case-sensitively, as FORTE does.
    ?assertEqual({error, {unsupported_layer, <<"FBDK">>}}, ?C:parse(<<"FBDK[].ip[10.0.0.1:80]">>)),
    ?assertEqual({error, {unsupported_layer_stack, [<<"fbdk">>]}}, ?C:parse(<<"fbdk[]">>)),
    ?assertEqual({error, {unsupported_layer_stack, [<<"ip">>]}}, ?C:parse(<<"ip[10.0.0.1:80]">>)),
    ?assertEqual({error, {unsupported_layer_stack, [<<"ip">>, <<"fbdk">>]}},
                 ?C:parse(<<"ip[10.0.0.1:80].fbdk[]">>)).

%%% plc over Erlang distribution

a_plc_group_id_names_the_group_test() ->
    ?assertEqual({ok, {plc, <<"line1">>}}, ?C:parse(<<"plc[line1]">>)),
    ?assertEqual({ok, {plc, <<"cell.a[2]">>}}, ?C:parse("plc[cell.a[2]]")),
    ?assertEqual({error, empty_group}, ?C:parse(<<"plc[]">>)),
    ?assertEqual({error, {unsupported_layer_stack, [<<"fbdk">>, <<"plc">>]}}, ?C:parse(<<"fbdk[].plc[g]">>)),
    ?assertEqual({error, {unsupported_layer, <<"PLC">>}}, ?C:parse(<<"PLC[g]">>)).

random_ids_never_raise_test() ->
    rand:seed(exsss, {16, 2, 2028}),
    Alphabet = <<"fbdkip[].:@0123456789plc-a ">>,
    lists:foreach(fun(_) ->
                          Id = << <<(binary:at(Alphabet, rand:uniform(byte_size(Alphabet)) - 1))>>
                                  || _ <- lists:seq(1, rand:uniform(30))>>,
                          ?assertMatch({R, _} when R =:= ok; R =:= error, ?C:parse(Id))
                  end, lists:seq(1, 3000)).
