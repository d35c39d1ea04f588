%%% @doc EUnit tests of plc_com_core: what a communication channel sends,
%%% delivers, counts and reports, with exact effects.
-module(plc_com_core_tests).

-include_lib("eunit/include/eunit.hrl").

types() -> #{sd => [int, string], rd => [int, string]}.

core(Role, Transport) -> plc_com_core:new(Role, Transport, self(), types()).

publisher_sends_to_every_member_with_a_sequence_number_test() ->
    C0 = core(publisher, {plc, <<"g">>}),
    [A, B] = [spawn(fun() -> ok end) || _ <- [1, 2]],
    Me = self(),
    {C1, E1} = plc_com_core:send([1, <<"x">>], [A, B], C0),
    ?assertEqual([{send, A, {plc_com_publish, <<"g">>, Me, 1, [1, <<"x">>]}},
                  {send, B, {plc_com_publish, <<"g">>, Me, 1, [1, <<"x">>]}}], E1),
    {C2, E2} = plc_com_core:send([2, <<"y">>], [], C1),
    ?assertEqual([], E2),
    ?assertMatch(#{sent := 2}, plc_com_core:stats(C2)).

subscriber_delivers_in_order_and_counts_a_gap_as_lost_test() ->
    C0 = core(subscriber, {plc, <<"g">>}),
    P = spawn(fun() -> ok end),
    {C1, E1} = plc_com_core:received({plc_com_publish, <<"g">>, P, 1, [1, <<"a">>]}, C0),
    ?assertEqual([{answer, data, ok, [1, <<"a">>]}], E1),
    {C2, E2} = plc_com_core:received({plc_com_publish, <<"g">>, P, 4, [4, <<"d">>]}, C1),
    ?assertEqual([{alarm, {plc_com_lost, 2}}, {answer, data, ok, [4, <<"d">>]}], E2),
    ?assertMatch(#{delivered := 2, lost := 2}, plc_com_core:stats(C2)).

subscriber_of_another_group_counts_the_packet_as_bad_test() ->
    C0 = core(subscriber, {plc, <<"g">>}),
    P = spawn(fun() -> ok end),
    {C1, E1} = plc_com_core:received({plc_com_publish, <<"other">>, P, 1, [1, <<"a">>]}, C0),
    ?assertEqual([{alarm, {plc_com_bad_packet, 1, unexpected_message}}], E1),
    {C2, E2} = plc_com_core:received({plc_com_publish, <<"g">>, P, 1, [1]}, C1),
    ?assertEqual([{alarm, {plc_com_bad_packet, 2, {wrong_number_of_values, 1}}}], E2),
    {C3, E3} = plc_com_core:rejected(<<"not an INT">>, C2),
    ?assertEqual([], E3),  % the third is counted, not reported (1, 2, 4, ...)
    {_, E4} = plc_com_core:rejected(<<"not an INT">>, C3),
    ?assertEqual([{alarm, {plc_com_bad_packet, 4, {rejected, <<"not an INT">>}}}], E4).

server_answers_requests_in_the_order_they_came_test() ->
    C0 = plc_com_core:new(server, {plc, <<"s">>}, self(), #{sd => [int], rd => [int, string]}),
    [X, Y] = [spawn(fun() -> ok end) || _ <- [1, 2]],
    {C1, E1} = plc_com_core:received({plc_com_request, <<"s">>, X, 7, [1, <<"a">>]}, C0),
    ?assertEqual([{answer, data, ok, [1, <<"a">>]}], E1),
    {C2, _} = plc_com_core:received({plc_com_request, <<"s">>, Y, 3, [2, <<"b">>]}, C1),
    {C3, E3} = plc_com_core:send([10], [], C2),
    ?assertEqual([{send, X, {plc_com_response, <<"s">>, 7, [10]}}], E3),
    {C4, E4} = plc_com_core:send([20], [], C3),
    ?assertEqual([{send, Y, {plc_com_response, <<"s">>, 3, [20]}}], E4),
    {_, E5} = plc_com_core:send([30], [], C4),
    ?assertEqual([{answer, data, send_failed, []}, {alarm, {plc_com_failed, send_failed, no_request}}], E5).

client_waits_for_the_response_to_its_last_request_test() ->
    C0 = plc_com_core:new(client, {plc, <<"s">>}, self(), #{sd => [int], rd => [int]}),
    S = spawn(fun() -> ok end),
    Me = self(),
    {C1, E1} = plc_com_core:send([5], [S], C0),
    ?assertEqual([{monitor, S}, {send, S, {plc_com_request, <<"s">>, Me, 1, [5]}}], E1),
    {C2, E2} = plc_com_core:send([6], [S], C1),
    ?assertEqual([{send, S, {plc_com_request, <<"s">>, Me, 2, [6]}}], E2),
    {C3, E3} = plc_com_core:received({plc_com_response, <<"s">>, 1, [50]}, C2),
    ?assertEqual([], E3),
    {C4, E4} = plc_com_core:received({plc_com_response, <<"s">>, 2, [60]}, C3),
    ?assertEqual([{answer, data, ok, [60]}], E4),
    {C5, _} = plc_com_core:send([7], [S], C4),
    {_, E6} = plc_com_core:down(S, C5),
    ?assertEqual([{answer, data, recv_failed, []}, {alarm, {plc_com_failed, recv_failed, server_down}}], E6).

client_without_a_server_fails_the_send_test() ->
    C0 = plc_com_core:new(client, {plc, <<"s">>}, self(), #{sd => [int], rd => [int]}),
    {_, E} = plc_com_core:send([5], [], C0),
    ?assertEqual([{answer, data, send_failed, []}, {alarm, {plc_com_failed, send_failed, {no_server, <<"s">>}}}], E).

fbdk_publisher_transmits_the_encoded_sds_test() ->
    C0 = core(publisher, {fbdk_ip, {{127, 0, 0, 1}, 61000}, unicast}),
    {_, E} = plc_com_core:send([5, <<"ab">>], [], C0),
    ?assertEqual([{transmit, <<16#43, 0, 5, 16#50, 0, 2, $a, $b>>}], E),
    {_, Bad} = plc_com_core:send([100000, <<"ab">>], [], C0),
    ?assertMatch([{answer, data, data_type_error, []}, {alarm, {plc_com_failed, data_type_error, {encode, _}}}], Bad).

fbdk_subscriber_decodes_a_datagram_or_counts_it_test() ->
    C0 = core(subscriber, {fbdk_ip, {any, 61000}, unicast}),
    {C1, E1} = plc_com_core:received({datagram, <<16#43, 255, 254, 16#50, 0, 1, $z>>}, C0),
    ?assertEqual([{answer, data, ok, [-2, <<"z">>]}], E1),
    {C2, E2} = plc_com_core:received({datagram, <<16#43, 0>>}, C1),
    ?assertMatch([{alarm, {plc_com_bad_packet, 1, {decode, _}}}], E2),
    ?assertMatch(#{delivered := 1, bad := 1}, plc_com_core:stats(C2)).

fbdk_stream_delivers_each_message_however_it_is_cut_test() ->
    C0 = plc_com_core:new(server, {fbdk_ip, {any, 61500}, unicast}, self(), #{sd => [int], rd => [int]}),
    Two = <<16#43, 0, 1, 16#43, 0, 2>>,
    {C1, E1} = plc_com_core:received({stream, <<Two/binary, 16#43>>}, C0),
    ?assertEqual([{answer, data, ok, [1]}, {answer, data, ok, [2]}], E1),
    {C2, E2} = plc_com_core:received({stream, <<0>>}, C1),
    ?assertEqual([], E2),
    {C3, E3} = plc_com_core:received({stream, <<3>>}, C2),
    ?assertEqual([{answer, data, ok, [3]}], E3),
    {C4, E4} = plc_com_core:received({stream, <<16#50, 0, 0, 16#43, 0, 4>>}, C3),
    ?assertMatch([{alarm, {plc_com_bad_packet, 1, {decode, _}}}], E4),
    {_, E5} = plc_com_core:received({stream, <<16#43, 0, 5>>}, C4),
    ?assertEqual([{answer, data, ok, [5]}], E5).
