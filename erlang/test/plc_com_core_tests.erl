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

a_plc_channel_refuses_a_send_that_is_not_values_test() ->
    C0 = core(publisher, {plc, <<"g">>}),
    {_, E} = plc_com_core:send(<<16#43, 0, 5>>, [self()], C0),
    ?assertEqual([{answer, data, send_failed, []}, {alarm, {plc_com_failed, send_failed, not_values}}], E).

client_without_a_server_fails_the_send_test() ->
    C0 = plc_com_core:new(client, {plc, <<"s">>}, self(), #{sd => [int], rd => [int]}),
    {_, E} = plc_com_core:send([5], [], C0),
    ?assertEqual([{answer, data, send_failed, []}, {alarm, {plc_com_failed, send_failed, {no_server, <<"s">>}}}], E).

%% Over IP the engine hands over the SDs as one FBDK message (nif/observer.cc):
%% the core transmits the binary as it is, or fails the send the engine
%% could not encode.
fbdk_publisher_transmits_the_message_the_engine_encoded_test() ->
    C0 = core(publisher, {fbdk_ip, {{127, 0, 0, 1}, 61000}, unicast}),
    {C1, E} = plc_com_core:send(<<16#43, 0, 5, 16#50, 0, 2, $a, $b>>, [], C0),
    ?assertEqual([{transmit, <<16#43, 0, 5, 16#50, 0, 2, $a, $b>>}], E),
    Why = {encode, 2, <<"data point 2, byte 3: a length of 65536 is beyond the capacity">>},
    {C2, Bad} = plc_com_core:send({error, Why}, [], C1),
    ?assertEqual([{answer, data, data_type_error, []}, {alarm, {plc_com_failed, data_type_error, Why}}], Bad),
    {C3, Values} = plc_com_core:send([5, <<"ab">>], [], C2),
    ?assertEqual([{answer, data, send_failed, []}, {alarm, {plc_com_failed, send_failed, not_encoded}}], Values),
    ?assertMatch(#{sent := 1, failed := 2}, plc_com_core:stats(C3)).

%% The NIF decodes (plc_nif:service_data/5); the core asks for it and
%% counts what came of it.
fbdk_subscriber_has_a_datagram_decoded_and_counts_the_outcome_test() ->
    C0 = core(subscriber, {fbdk_ip, {any, 61000}, unicast}),
    Good = <<16#43, 255, 254, 16#50, 0, 1, $z>>,
    {C1, E1} = plc_com_core:received({datagram, Good}, C0),
    ?assertEqual([{decode, datagram, Good}], E1),
    {C2, []} = plc_com_core:decoded(datagram, Good, ok, C1),
    Why = {1, 0, {bad_tag, 16#43, 1}},
    {C3, E3} = plc_com_core:decoded(datagram, <<1>>, {error, {decode, Why}}, C2),
    ?assertEqual([{alarm, {plc_com_bad_packet, 1, {decode, Why}}}], E3),
    {C4, E4} = plc_com_core:decoded(datagram, <<1>>, {error, {decode, Why}}, C3),
    ?assertEqual([{alarm, {plc_com_bad_packet, 2, {decode, Why}}}], E4),
    {C5, E5} = plc_com_core:decoded(datagram, <<1>>, {error, {decode, Why}}, C4),
    ?assertEqual([], E5),  % the third is counted, not reported
    ?assertEqual({C5, [{alarm, {inbox_full, data}}]}, plc_com_core:decoded(datagram, Good, {error, inbox_full}, C5)),
    ?assertMatch(#{delivered := 1, bad := 3}, plc_com_core:stats(C5)).

fbdk_stream_is_decoded_message_by_message_and_keeps_a_cut_one_test() ->
    C0 = plc_com_core:new(server, {fbdk_ip, {any, 61500}, unicast}, self(), #{sd => [int], rd => [int]}),
    {C1, E1} = plc_com_core:received({stream, <<16#43, 0, 1, 16#43, 0, 2, 16#43>>}, C0),
    ?assertEqual([{decode, stream, <<16#43, 0, 1, 16#43, 0, 2, 16#43>>}], E1),
    {C2, E2} = plc_com_core:decoded(stream, <<16#43, 0, 1, 16#43, 0, 2, 16#43>>, {ok, <<16#43, 0, 2, 16#43>>}, C1),
    ?assertEqual([{decode, stream, <<16#43, 0, 2, 16#43>>}], E2),
    {C3, E3} = plc_com_core:decoded(stream, <<16#43, 0, 2, 16#43>>, {ok, <<16#43>>}, C2),
    ?assertEqual([{decode, stream, <<16#43>>}], E3),
    {C4, []} = plc_com_core:decoded(stream, <<16#43>>, incomplete, C3),
    %% The next segment completes the message that was cut.
    {C5, E5} = plc_com_core:received({stream, <<0, 3>>}, C4),
    ?assertEqual([{decode, stream, <<16#43, 0, 3>>}], E5),
    {C6, []} = plc_com_core:decoded(stream, <<16#43, 0, 3>>, {ok, <<>>}, C5),
    %% Junk loses the framing: the buffer is dropped.
    {C7, E7} = plc_com_core:decoded(stream, <<16#50>>, {error, {decode, {1, 0, {bad_tag, 16#43, 16#50}}}}, C6),
    ?assertEqual([{alarm, {plc_com_bad_packet, 1, {decode, {1, 0, {bad_tag, 16#43, 16#50}}}}}], E7),
    {_, E8} = plc_com_core:received({stream, <<16#43, 0, 5>>}, C7),
    ?assertEqual([{decode, stream, <<16#43, 0, 5>>}], E8),
    ?assertMatch(#{delivered := 3, bad := 1}, plc_com_core:stats(C7)).
