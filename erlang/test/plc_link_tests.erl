%%% @doc EUnit tests of plc_link, the pure protocol of one link between
%%% two plc_dist processes: given inputs, the exact effects, with no peer
%%% node, no NIF and no clock (times are given).
%%%
%%% Resource indexes of the test system: 0 and 1 run on the receiving node
%%% (`b@h'), 2 on the sending node (`a@h').
-module(plc_link_tests).
-include_lib("eunit/include/eunit.hrl").

-define(A, 'a@h').
-define(B, 'b@h').
-define(INC_A, 100).
-define(INC_B, 200).
-define(IS_LOCAL_B, {true, true, false}).

%%% Fixtures

sender() -> sender(#{}).

sender(Opts) ->
    plc_link:new(maps:merge(#{node => ?B, me => ?A, inc => ?INC_A, buffer => 10, is_local => {false, false, true}},
                            Opts)).

receiver() ->
    plc_link:new(#{node => ?A, me => ?B, inc => ?INC_B, buffer => 10, is_local => ?IS_LOCAL_B}).

peer() -> list_to_pid("<0.4242.0>").

%% A sender whose neighbour is ready.
ready_sender(Opts) ->
    {L, []} = plc_link:peer_ready(?INC_B, peer(), sender(Opts)),
    L.

ready_receiver() ->
    {L, []} = plc_link:peer_ready(?INC_A, peer(), receiver()),
    L.

bins(N) -> [<<I>> || I <- lists:seq(1, N)].

events(K, N) -> [{K, B} || B <- bins(N)].

sends(Effects) -> [M || {send, _, M} <- Effects].

posts(Effects) -> [{K, Bs} || {post, K, Bs} <- Effects].

%% Runs the receiver's posts against resources that take everything,
%% returning the link, every post and the other effects.
post_all(L, Effects) ->
    post_all(L, Effects, [], []).

post_all(L, [], Posted, Other) ->
    {L1, Ack} = plc_link:ack(L),
    {L1, lists:reverse(Posted), lists:reverse(Other) ++ Ack};
post_all(L, [{post, K, Bs} | Rest], Posted, Other) ->
    {L1, More} = plc_link:posted(K, {taken, length(Bs), []}, 0, L),
    post_all(L1, More ++ Rest, [{K, Bs} | Posted], Other);
post_all(L, [E | Rest], Posted, Other) ->
    post_all(L, Rest, Posted, [E | Other]).

%% Receives a batch and delivers it to resources that take everything.
receive_and_post(First, Events, L) ->
    {L1, E1} = plc_link:receive_events(?INC_A, First, Events, L),
    {L2, E2} = plc_link:deliver(L1),
    post_all(L2, E1 ++ E2).

%% One post's outcome, then the acknowledgement of the round (as plc_dist
%% does after each round of posts).
posted(K, Outcome, Now, L) ->
    {L1, E1} = plc_link:posted(K, Outcome, Now, L),
    {L2, E2} = plc_link:ack(L1),
    {L2, E1 ++ E2}.

%%% Outgoing

numbers_events_from_one_and_sends_them_once_the_neighbour_is_ready_test() ->
    {L1, [{persist, ?B, #{seq := 3, acked := 0, lost := 0}}]} = plc_link:enqueue(events(0, 3), sender()),
    ?assertEqual({L1, []}, plc_link:flush(L1)),   % not ready: they wait
    {L2, Sends} = plc_link:peer_ready(?INC_B, peer(), L1),
    ?assertEqual([{send, peer(), {plc_events, ?A, ?INC_A, ?INC_B, 1, events(0, 3)}}], Sends),
    {L3, []} = plc_link:flush(L2),
    ?assertMatch(#{sent := 3, buffered := 3, resent := 0}, plc_link:info(L3)).

events_that_arrive_together_leave_in_chunks_of_2048_test() ->
    {L1, _} = plc_link:enqueue(events(0, 5000), ready_sender(#{buffer => 10000})),
    {_, Effects} = plc_link:flush(L1),
    ?assertEqual([{1, 2048}, {2049, 2048}, {4097, 904}],
                 [{First, length(Es)} || {plc_events, _, _, _, First, Es} <- sends(Effects)]).

an_acknowledgement_drops_what_it_covers_and_persists_the_counts_test() ->
    {L1, _} = plc_link:enqueue(events(0, 5), ready_sender(#{})),
    {L2, _} = plc_link:flush(L1),
    {L3, [{persist, ?B, P}]} = plc_link:acked(3, ?INC_B, 0, L2),
    ?assertEqual(#{inc => ?INC_A, seq => 5, acked => 3, lost => 0, undelivered => 0, peer_count => {?INC_B, 0}}, P),
    ?assertMatch(#{buffered := 2}, plc_link:info(L3)),
    %% An older acknowledgement changes nothing.
    {L4, _} = plc_link:acked(2, ?INC_B, 0, L3),
    ?assertEqual(P, plc_link:persisted(L4)).

an_acknowledgement_beyond_what_was_numbered_is_ignored_test() ->
    {L1, _} = plc_link:enqueue(events(0, 5), ready_sender(#{})),
    ?assertEqual({L1, [{ignored, ack_beyond_numbered}]}, plc_link:acked(6, ?INC_B, 0, L1)),
    ?assertMatch(#{buffered := 5}, plc_link:info(L1)).

events_beyond_the_buffer_are_counted_as_lost_and_reported_once_test() ->
    {L0, _} = plc_link:enqueue(events(0, 13), ready_sender(#{})),
    {L1, _} = plc_link:flush(L0),
    ?assertMatch(#{buffered := 10, lost := 3}, plc_link:info(L1)),
    ?assert(plc_link:report_due(L1)),
    {L2, [{report_lost, ?B, #{buffer := 3, undelivered := 0}, 3}, {persist, ?B, #{lost := 3}}]} = plc_link:report(L1),
    ?assertNot(plc_link:report_due(L2)),
    ?assertEqual({L2, []}, plc_link:report(L2)),
    %% An acknowledgement makes room again.
    {L3, _} = plc_link:acked(4, ?INC_B, 0, L2),
    {L4, _} = plc_link:enqueue(events(0, 5), L3),
    ?assertMatch(#{buffered := 10, lost := 4}, plc_link:info(L4)),
    {_, [{report_lost, ?B, _, 4} | _]} = plc_link:report(L4).

a_neighbour_that_comes_back_gets_every_unacknowledged_event_again_test() ->
    {L1, _} = plc_link:enqueue(events(0, 4), ready_sender(#{})),
    {L2, _} = plc_link:flush(L1),
    {L3, _} = plc_link:acked(1, ?INC_B, 0, L2),
    L4 = plc_link:peer_down(L3),
    ?assertNot(plc_link:is_ready(L4)),
    {L5, _} = plc_link:enqueue(events(2, 1), L4),   % waits while it is down
    {L6, Sends} = plc_link:peer_ready(?INC_B + 1, peer(), L5),
    ?assertEqual([{plc_events, ?A, ?INC_A, ?INC_B + 1, 2, [{0, <<2>>}, {0, <<3>>}, {0, <<4>>}, {2, <<1>>}]}],
                 sends(Sends)),
    ?assertMatch(#{sent := 5, resent := 3}, plc_link:info(L6)).

the_same_neighbour_incarnation_saying_hello_again_resends_nothing_test() ->
    {L1, _} = plc_link:enqueue(events(0, 2), ready_sender(#{})),
    {L2, _} = plc_link:flush(L1),
    ?assertMatch({_, []}, plc_link:peer_ready(?INC_B, peer(), L2)).

a_late_hello_of_a_replaced_neighbour_incarnation_is_ignored_test() ->
    L = ready_sender(#{}),
    ?assertEqual({L, []}, plc_link:peer_ready(?INC_B - 1, peer(), L)).

a_resend_request_sends_again_from_the_number_asked_test() ->
    {L1, _} = plc_link:enqueue(events(0, 5), ready_sender(#{})),
    {L2, _} = plc_link:flush(L1),
    {L3, Sends} = plc_link:resend(4, L2),
    ?assertEqual([{plc_events, ?A, ?INC_A, ?INC_B, 4, [{0, <<4>>}, {0, <<5>>}]}], sends(Sends)),
    ?assertMatch(#{sent := 5, resent := 2}, plc_link:info(L3)).

%%% Sender restart (settlement)

a_restarted_sender_reports_lost_what_its_predecessor_numbered_and_the_neighbour_did_not_receive_test() ->
    Before = #{inc => ?INC_A - 50, seq => 900, acked => 700, lost => 4, undelivered => 0, peer_count => none},
    L = plc_link:restore(Before, sender()),
    %% The neighbour received up to 850 of the predecessor's numbers.
    {L1, Effects} = plc_link:settle({?INC_A - 50, 850}, L),
    ?assertEqual([{alarm, {plc_dist_restart_lost, 50}}], Effects),
    ?assertEqual({L1, []}, plc_link:settle({?INC_A - 50, 850}, L1)),   % settled once
    %% Its loss count continues; nothing new to report.
    ?assertMatch(#{lost := 4}, plc_link:info(L1)),
    ?assertNot(plc_link:report_due(L1)).

a_restarted_sender_without_news_of_its_predecessor_counts_every_unacknowledged_event_as_lost_test() ->
    L = plc_link:restore(#{inc => 7, seq => 900, acked => 700, lost => 0, undelivered => 0, peer_count => none},
                         sender()),
    ?assertMatch({_, [{alarm, {plc_dist_restart_lost, 200}}]}, plc_link:settle(none, L)),
    %% What the neighbour says of another incarnation does not count.
    ?assertMatch({_, [{alarm, {plc_dist_restart_lost, 200}}]}, plc_link:settle({8, 900}, L)).

a_sender_whose_predecessor_had_everything_acknowledged_has_nothing_to_settle_test() ->
    L = plc_link:restore(#{inc => 7, seq => 900, acked => 900, lost => 0, undelivered => 0, peer_count => none},
                         sender()),
    ?assertEqual({L, []}, plc_link:settle(none, L)).

%%% Incoming

a_batch_is_posted_per_target_in_order_and_acknowledged_test() ->
    Events = [{0, <<1>>}, {1, <<2>>}, {0, <<3>>}],
    {L, Posted, Other} = receive_and_post(1, Events, ready_receiver()),
    ?assertEqual([{0, [<<1>>, <<3>>]}, {1, [<<2>>]}], Posted),
    ?assertEqual([{plc_ack, ?B, ?INC_A, 3, ?INC_B, 0}], sends(Other)),
    ?assertEqual({?INC_A, 3}, plc_link:seen(L)),
    ?assertMatch(#{received := 3, pending := 0}, plc_link:info(L)).

a_gap_asks_for_a_resend_once_and_takes_nothing_test() ->
    {L1, _, _} = receive_and_post(1, events(0, 3), ready_receiver()),
    {L2, E2} = plc_link:receive_events(?INC_A, 6, events(0, 2), L1),
    ?assertEqual([{send, peer(), {plc_resend, ?B, ?INC_A, 4}}], E2),
    {L3, E3} = plc_link:receive_events(?INC_A, 8, events(0, 2), L2),
    ?assertEqual([], E3),   % asked already
    ?assertEqual({?INC_A, 3}, plc_link:seen(L3)),
    ?assertMatch(#{received := 3, pending := 0}, plc_link:info(L3)),
    %% The resend fills the gap.
    {L4, Posted, _} = receive_and_post(4, events(1, 4), L3),
    ?assertEqual([{1, bins(4)}], Posted),
    ?assertEqual({?INC_A, 7}, plc_link:seen(L4)).

duplicates_of_a_resend_are_skipped_and_acknowledged_again_test() ->
    {L1, _, _} = receive_and_post(1, events(0, 5), ready_receiver()),
    %% All duplicates: nothing posted, the acknowledgement repeated.
    {L2, E2} = plc_link:receive_events(?INC_A, 2, events(0, 3), L1),
    ?assertEqual([{send, peer(), {plc_ack, ?B, ?INC_A, 5, ?INC_B, 0}}], E2),
    %% Partly duplicates: only the new ones are posted.
    {L3, Posted, _} = receive_and_post(4, [{0, <<4>>}, {0, <<5>>}, {0, <<6>>}], L2),
    ?assertEqual([{0, [<<6>>]}], Posted),
    ?assertMatch(#{received := 6}, plc_link:info(L3)).

a_restarted_receiver_takes_the_resend_from_the_first_unacknowledged_number_test() ->
    %% A new receiver (its predecessor acknowledged up to 5000).
    {L, Posted, Other} = receive_and_post(5001, events(0, 2), ready_receiver()),
    ?assertEqual([{0, bins(2)}], Posted),
    ?assertEqual([{plc_ack, ?B, ?INC_A, 5002, ?INC_B, 0}], sends(Other)),
    ?assertEqual({?INC_A, 5002}, plc_link:seen(L)).

a_restarted_sender_numbers_again_and_what_its_predecessor_sent_goes_first_test() ->
    %% Target 0 is full: two events of the old sender wait.
    {L1, E1} = plc_link:receive_events(?INC_A, 1, events(0, 2), ready_receiver()),
    {L2, [{post, 0, _} | _] = E2} = plc_link:deliver(L1),
    ?assertEqual([], E1 ++ [E || E = {send, _, _} <- E2]),
    {L3, [{retry, 2}]} = posted(0, {taken, 0, []}, 0, L2),
    %% The new sender says hello; its numbers start at 1; the old events
    %% stay first and are not acknowledged to it.
    {L3a, _} = plc_link:peer_ready(?INC_A + 1, peer(), L3),
    {L4, []} = plc_link:receive_events(?INC_A + 1, 1, [{0, <<9>>}], L3a),
    {L5, E5} = plc_link:deliver(L4),
    ?assertEqual([{0, [<<1>>, <<2>>, <<9>>]}], posts(E5)),
    {_, E6} = posted(0, {taken, 3, []}, 0, L5),
    ?assertEqual([{plc_ack, ?B, ?INC_A + 1, 1, ?INC_B, 0}], sends(E6)).

events_of_a_replaced_sender_incarnation_are_ignored_test() ->
    {L1, _, _} = receive_and_post(1, events(0, 2), ready_receiver()),
    {L2, _} = plc_link:peer_ready(?INC_A + 1, peer(), L1),
    ?assertEqual({L2, []}, plc_link:receive_events(?INC_A, 3, events(0, 5), L2)).

events_of_an_incarnation_that_did_not_say_hello_are_ignored_test() ->
    %% Stale or forged: the hello always comes first on the connection.
    L = ready_receiver(),
    ?assertEqual({L, [{ignored, unknown_incarnation}]}, plc_link:receive_events(?INC_A + 1, 1, events(0, 1), L)),
    R = receiver(),
    ?assertEqual({R, [{ignored, unknown_incarnation}]}, plc_link:receive_events(?INC_A, 1, events(0, 1), R)).

events_queued_before_the_connection_dropped_are_still_taken_test() ->
    L = plc_link:peer_down(ready_receiver()),
    {L1, []} = plc_link:receive_events(?INC_A, 1, events(0, 2), L),
    ?assertEqual({?INC_A, 2}, plc_link:seen(L1)),
    %% Acknowledged once the neighbour is back.
    {L2, [{post, 0, _}]} = plc_link:deliver(L1),
    {L3, []} = posted(0, {taken, 2, []}, 0, L2),
    {_, E4} = plc_link:peer_ready(?INC_A, peer(), L3),
    ?assertEqual([{plc_ack, ?B, ?INC_A, 2, ?INC_B, 0}], sends(E4)).

a_malformed_batch_is_ignored_without_changing_the_link_test() ->
    L = ready_receiver(),
    ?assertEqual({L, [{ignored, malformed_events}]}, plc_link:receive_events(?INC_A, 1, [{0, <<1>>} | bad], L)),
    ?assertEqual({L, [{ignored, malformed_events}]}, plc_link:receive_events(?INC_A, 1, not_a_list, L)),
    Huge = lists:duplicate(65537, {0, <<>>}),
    ?assertEqual({L, [{ignored, malformed_events}]}, plc_link:receive_events(?INC_A, 1, Huge, L)).

an_event_for_a_resource_of_another_node_or_of_the_wrong_shape_is_refused_and_counted_test() ->
    Events = [{2, <<1>>}, {0, <<2>>}, {7, <<3>>}, not_an_event, {0, not_a_binary}],
    {L, Posted, Other} = receive_and_post(1, Events, ready_receiver()),
    ?assertEqual([{0, [<<2>>]}], Posted),
    %% Refused ones are counted as undelivered, for the sender to keep.
    ?assertEqual([{plc_ack, ?B, ?INC_A, 5, ?INC_B, 4}], sends(Other)),
    ?assertMatch(#{received := 5, refused := 4}, plc_link:info(L)).

%%% Per-target queues

a_full_inbox_holds_back_its_own_events_and_is_retried_soon_test() ->
    {L1, []} = plc_link:receive_events(?INC_A, 1, events(0, 3) ++ events(1, 1), ready_receiver()),
    {L2, E2} = plc_link:deliver(L1),
    ?assertEqual([{0, bins(3)}, {1, [<<1>>]}], posts(E2)),
    {L3, E3} = posted(0, {taken, 1, []}, 0, L2),
    ?assertEqual([{retry, 2}, {send, peer(), {plc_ack, ?B, ?INC_A, 1, ?INC_B, 0}}], E3),
    %% Target 1 takes its event; the acknowledgement stops at the first
    %% event still waiting (number 2, for target 0).
    {L4, E4} = posted(1, {taken, 1, []}, 0, L3),
    ?assertEqual([], E4),
    {L5, E5} = plc_link:deliver(L4),
    ?assertEqual([{0, [<<2>>, <<3>>]}], posts(E5)),
    {_, E6} = posted(0, {taken, 2, []}, 0, L5),
    ?assertEqual([{send, peer(), {plc_ack, ?B, ?INC_A, 4, ?INC_B, 0}}], E6).

an_absent_target_does_not_hold_back_events_for_other_targets_test() ->
    %% Numbers 1-2 for target 0 (absent), 3-4 for target 1.
    {L1, []} = plc_link:receive_events(?INC_A, 1, events(0, 2) ++ events(1, 2), ready_receiver()),
    {L2, _} = plc_link:deliver(L1),
    {L3, [{retry, 50}]} = posted(0, absent, 1000, L2),
    {L4, E4} = posted(1, {taken, 2, []}, 1000, L3),
    ?assertEqual([], E4),   % acknowledged: nothing, number 1 waits
    ?assertMatch(#{pending := 2}, plc_link:info(L4)),
    %% Later events for target 1 go in at once.
    {L5, []} = plc_link:receive_events(?INC_A, 5, events(1, 1), L4),
    {L6, E6} = plc_link:deliver(L5),
    ?assertEqual([{0, bins(2)}, {1, [<<1>>]}], posts(E6)),
    {L7, [{retry, 50}]} = posted(0, absent, 1050, L6),
    {L8, []} = posted(1, {taken, 1, []}, 1050, L7),
    %% Target 0 is back (restarted): everything is acknowledged.
    {L9, _} = plc_link:deliver(L8),
    {_, E10} = posted(0, {taken, 2, []}, 1100, L9),
    ?assertEqual([{send, peer(), {plc_ack, ?B, ?INC_A, 5, ?INC_B, 0}}], E10).

a_target_absent_for_five_seconds_is_stopped_for_good_and_its_events_are_undelivered_test() ->
    {L1, []} = plc_link:receive_events(?INC_A, 1, events(0, 3) ++ events(1, 1), ready_receiver()),
    {L2, _} = plc_link:deliver(L1),
    {L3, [{retry, 50}]} = posted(0, absent, 1000, L2),
    {L4, []} = posted(1, {taken, 1, []}, 1000, L3),
    {L5, _} = plc_link:deliver(L4),
    {L6, [{retry, 50}]} = posted(0, absent, 5999, L5),
    {L7, _} = plc_link:deliver(L6),
    {L8, E8} = posted(0, absent, 6000, L7),
    ?assertEqual([{undeliverable, 0, 3, stopped}, {send, peer(), {plc_ack, ?B, ?INC_A, 4, ?INC_B, 3}}], E8),
    ?assertMatch(#{dropped := 3, pending := 0}, plc_link:info(L8)),
    %% While it stays away, what comes for it is dropped at once.
    {L9, []} = plc_link:receive_events(?INC_A, 5, events(0, 1), L8),
    {L10, [{post, 0, [<<1>>]}]} = plc_link:deliver(L9),
    {_, E11} = posted(0, absent, 6100, L10),
    ?assertEqual([{undeliverable, 0, 1, stopped}, {send, peer(), {plc_ack, ?B, ?INC_A, 5, ?INC_B, 4}}], E11).

an_event_the_resource_refuses_is_counted_as_undelivered_test() ->
    {L1, []} = plc_link:receive_events(?INC_A, 1, events(0, 3), ready_receiver()),
    {L2, _} = plc_link:deliver(L1),
    {L3, E3} = posted(0, {taken, 3, [2]}, 0, L2),
    ?assertEqual([{undeliverable, 0, 1, refused}, {send, peer(), {plc_ack, ?B, ?INC_A, 3, ?INC_B, 1}}], E3),
    ?assertMatch(#{rejected := 1}, plc_link:info(L3)).

%%% The upstream's own count of what could not be delivered

the_sender_keeps_the_count_of_what_the_neighbour_could_not_deliver_test() ->
    {L1, _} = plc_link:enqueue(events(0, 10), ready_sender(#{})),
    {L2, _} = plc_link:flush(L1),
    {L3, _} = plc_link:acked(4, ?INC_B, 2, L2),
    ?assertMatch(#{undelivered := 2, lost := 0}, plc_link:info(L3)),
    {L4, [{report_lost, ?B, #{buffer := 0, undelivered := 2}, 2}, {persist, ?B, #{undelivered := 2}}]} =
        plc_link:report(L3),
    %% Cumulative per neighbour incarnation: a repeated count adds nothing.
    {L5, _} = plc_link:acked(6, ?INC_B, 2, L4),
    ?assertNot(plc_link:report_due(L5)),
    %% A restarted neighbour counts from zero again: the sender adds.
    {L6, _} = plc_link:acked(8, ?INC_B + 1, 1, L5),
    ?assertMatch(#{undelivered := 3}, plc_link:info(L6)),
    %% A late count of the replaced incarnation is not taken.
    {L7, []} = plc_link:acked(8, ?INC_B, 5, L6),
    ?assertMatch(#{undelivered := 3}, plc_link:info(L7)),
    %% It survives a restart of the sender.
    L8 = plc_link:restore(plc_link:persisted(L7), sender()),
    ?assertMatch(#{undelivered := 3, lost := 0}, plc_link:info(L8)),
    ?assertNot(plc_link:report_due(L8)),
    %% The neighbour's next acknowledgement repeats its count: not twice.
    {L9, _} = plc_link:acked(0, ?INC_B + 1, 1, L8),
    ?assertMatch(#{undelivered := 3}, plc_link:info(L9)),
    {L10, _} = plc_link:acked(0, ?INC_B + 1, 2, L9),
    ?assertMatch(#{undelivered := 4}, plc_link:info(L10)).

a_count_of_undelivered_events_beyond_the_acknowledged_prefix_waits_for_it_test() ->
    %% Number 1 waits for target 0 (full); number 2 is refused (not local).
    {L1, []} = plc_link:receive_events(?INC_A, 1, [{0, <<1>>}, {2, <<2>>}], ready_receiver()),
    {L2, _} = plc_link:deliver(L1),
    {L3, [{retry, 2}]} = posted(0, {taken, 0, []}, 0, L2),
    {L4, _} = plc_link:deliver(L3),
    {_, E5} = posted(0, {taken, 1, []}, 0, L4),
    ?assertEqual([{send, peer(), {plc_ack, ?B, ?INC_A, 2, ?INC_B, 1}}], E5).

%%% The two sides together

a_sender_and_a_receiver_exchange_events_through_a_lossy_connection_exactly_once_test() ->
    S0 = ready_sender(#{buffer => 100}),
    R0 = ready_receiver(),
    {S1, _} = plc_link:enqueue(events(0, 6), S0),
    {S2, E1} = plc_link:flush(S1),
    [{plc_events, _, _, _, 1, Batch1}] = sends(E1),
    {R1, P1, A1} = receive_and_post(1, Batch1, R0),
    [{plc_ack, _, _, 6, ?INC_B, 0}] = sends(A1),
    %% The next batch is lost with the connection; the one after shows the gap.
    {S3, _} = plc_link:enqueue(events(1, 3), S2),
    {S4, _Lost} = plc_link:flush(S3),
    {S5, _} = plc_link:enqueue(events(0, 2), S4),
    {S6, E2} = plc_link:flush(S5),
    [{plc_events, _, _, _, 10, Batch3}] = sends(E2),
    {R2, [{send, _, {plc_resend, _, _, 7}}]} = plc_link:receive_events(?INC_A, 10, Batch3, R1),
    {S6a, _} = plc_link:acked(6, ?INC_B, 0, S6),
    {S7, E3} = plc_link:resend(7, S6a),
    [{plc_events, _, _, _, 7, Again}] = sends(E3),
    {R3, P2, A2} = receive_and_post(7, Again, R2),
    [{plc_ack, _, _, 11, ?INC_B, 0}] = sends(A2),
    {S8, _} = plc_link:acked(11, ?INC_B, 0, S7),
    ?assertEqual([{0, bins(6)}, {0, bins(2)}, {1, bins(3)}], P1 ++ P2),
    ?assertMatch(#{buffered := 0, lost := 0, sent := 11, resent := 5}, plc_link:info(S8)),
    ?assertMatch(#{received := 11, pending := 0}, plc_link:info(R3)).
