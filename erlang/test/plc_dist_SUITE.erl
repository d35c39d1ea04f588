%%% @doc Common Test suite of plc's distribution (issue 7): one system's
%%% devices on several Erlang nodes, started with OTP's `peer'.
%%%
%%% The peers are controlled over their standard I/O (`connection =>
%%% standard_io'), so the node running the suite is not connected to them by
%%% distribution: the connections a case counts are exactly those plc made.
%%% Each peer compiles the same sources, starts its own device with
%%% `plc:start_system/2', and a collector process on the peer records what
%%% the case observes there (plc_event, plc_io and plc_alarm messages, in
%%% arrival order, with a timestamp).
%%%
%%% What each case pins:
%%% - a VOTER on one node driving a lamp on another: the exact truth table
%%%   across nodes, the lamp's confirmation coming back as the voter's Reset;
%%% - fblocks/myapp.st's crossing on two nodes: the exact lamp sequence, a
%%%   pedestrian vote crossing to the light and cutting green short;
%%% - 50 000 numbered events in order across two nodes (hidden and standard
%%%   modes), none missing;
%%% - a node killed and restarted while events are sent to it: the buffered
%%%   ones are delivered after it is back, in order, those beyond the bound
%%%   are counted as lost and reported through plc_mon;
%%% - traffic cut mid-flight (connection drops, a killed plc_dist on either
%%%   side, a killed receiving resource): nothing lost or doubled, or every
%%%   loss accounted for; cut mid-flight is asserted, not hoped for (the
%%%   receiving plc_dist is suspended while the sender's events are sent);
%%% - a chain of four hidden nodes: each connected to its graph neighbours
%%%   only, a node outside the configuration refused (net_kernel:allow/1);
%%% - the same chain with each node given only its part of the system (its
%%%   device and its neighbours' resources, listed in another order in each
%%%   part) and a `version': events cross end to end; parts of different
%%%   versions exchange nothing until they agree;
%%% - START waits for the neighbours (a late node), or for start_timeout;
%%% - global mode registers every resource and FB in `global';
%%% - distribution over TLS (inet_tls_dist) carries the events;
%%% - hostile input to plc_dist (a 16 MB hello, malformed events, forged
%%%   acknowledgements, stray casts, calls and messages): no restart, no
%%%   stall, bounded and rate-limited logs, exact delivery afterwards;
%%% - a neighbour whose system is stopped (its node up) is not ready: what
%%%   is sent to it waits, and arrives once the system runs there again;
%%% - a resource stopped for good holds back only its own events, not
%%%   those for another resource of its node (one queue per target);
%%% - a downstream resource stopped for good: its events are counted as
%%%   undelivered, and the upstream still reports them once the downstream
%%%   node is dead.
-module(plc_dist_SUITE).

-include_lib("stdlib/include/assert.hrl").
-include_lib("common_test/include/ct.hrl").

-export([all/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_testcase/2, end_per_testcase/2]).
-export([voter_truth_table_across_nodes/1,
         crossing_on_two_nodes_vote_cuts_green_short/1,
         order_under_load_hidden/1, order_under_load_standard/1,
         killed_node_gets_buffered_events_and_losses_are_counted/1,
         connection_blips_lose_nothing/1,
         receiver_link_restart_loses_nothing/1,
         sender_link_restart_counts_its_losses/1,
         resource_restart_under_load_holds_events/1,
         hidden_nodes_connect_to_graph_neighbours_only/1,
         nodes_given_only_their_part_run_the_chain/1,
         parts_agree_only_on_the_same_version/1,
         start_waits_for_a_late_neighbour/1,
         start_timeout_starts_without_the_neighbour/1,
         global_mode_registers_resources_and_fbs/1,
         tls_distribution_carries_events/1,
         a_stopped_resource_holds_back_only_its_own_events/1,
         a_neighbour_whose_system_is_gone_is_not_ready/1,
         a_hello_with_a_huge_name_costs_nothing/1,
         stray_and_malformed_messages_leave_plc_dist_running/1,
         dropped_messages_are_logged_at_most_ten_a_second/1,
         a_killed_nodes_losses_are_still_reported_by_the_upstream/1]).
%% Run on the peers.
-export([collect/1, collected/0, peeked/0, capture_log/0, log/2]).

suite() ->
    [{timetrap, {seconds, 90}}].

all() ->
    [voter_truth_table_across_nodes,
     crossing_on_two_nodes_vote_cuts_green_short,
     order_under_load_hidden, order_under_load_standard,
     killed_node_gets_buffered_events_and_losses_are_counted,
     connection_blips_lose_nothing,
     receiver_link_restart_loses_nothing,
     sender_link_restart_counts_its_losses,
     resource_restart_under_load_holds_events,
     hidden_nodes_connect_to_graph_neighbours_only,
     nodes_given_only_their_part_run_the_chain,
     parts_agree_only_on_the_same_version,
     start_waits_for_a_late_neighbour,
     start_timeout_starts_without_the_neighbour,
     global_mode_registers_resources_and_fbs,
     tls_distribution_carries_events,
     a_stopped_resource_holds_back_only_its_own_events,
     a_neighbour_whose_system_is_gone_is_not_ready,
     a_hello_with_a_huge_name_costs_nothing,
     stray_and_malformed_messages_leave_plc_dist_running,
     dropped_messages_are_logged_at_most_ten_a_second,
     a_killed_nodes_losses_are_still_reported_by_the_upstream].

init_per_suite(Config) ->
    Config.

end_per_suite(_Config) ->
    ok.

init_per_testcase(_Case, Config) ->
    [{peers, []} | Config].

end_per_testcase(_Case, _Config) ->
    [catch peer:stop(P) || P <- get_peers()],
    erase(peers),
    ok.

%%% Cases

voter_truth_table_across_nodes(Config) ->
    [{L, Left}, {R, Right}] = peers(Config, [dv_left, dv_right], ["voter.st", "dist_vote.st"]),
    Opts = #{mode => hidden, nodes => #{<<"Left">> => Left, <<"Right">> => Right}},
    {ok, _} = peer:call(L, plc, start_system, [<<"DistVote">>, Opts]),
    {ok, _} = peer:call(R, plc, start_system, [<<"DistVote">>, Opts]),
    ok = peer:call(L, ?MODULE, collect, [[{<<"Left.R">>, <<"V.Voted">>}, {<<"Left.R">>, <<"V.Ready">>}]]),
    ok = peer:call(R, ?MODULE, collect, [[{<<"Right.R">>, listen}]]),
    wait_started([L, R], <<"DistVote">>),
    Table = [{A, B, C} || A <- [false, true], B <- [false, true], C <- [false, true]],
    lists:foreach(
      fun({A, B, C}) ->
              ok = peer:call(L, plc, inject, [<<"Left.R">>, <<"V.Vote">>, [{<<"A">>, A}, {<<"B">>, B}, {<<"C">>, C}]]),
              Majority = (A and B) or (A and C) or (B and C),
              %% The lamp shows the vote; a positive one is confirmed back.
              Expected = [{<<"V.Voted">>, Majority}] ++ [{<<"V.Ready">>, false} || Majority],
              wait_for(L, length(Expected)),
              wait_for(R, 1),
              ?assertEqual(Expected, [{P, S} || {event, P, #{<<"State">> := S}} <- take(L)]),
              ?assertEqual([{io, <<"Q1.0">>, Majority}], take(R))
      end, Table).

crossing_on_two_nodes_vote_cuts_green_short(Config) ->
    [{F, Field}, {X, Crossing}] = peers(Config, [dc_field, dc_crossing], ["voter.st", "ampel.st", "dist_crossing.st"]),
    Opts = #{mode => hidden, nodes => #{<<"Field">> => Field, <<"Crossing">> => Crossing}},
    %% The light waits for Field before its START: its first red is seen.
    {ok, _} = peer:call(X, plc, start_system, [<<"DistCrossing">>, Opts]),
    ok = peer:call(X, ?MODULE, collect, [[{<<"Crossing.Main">>, listen}]]),
    {ok, _} = peer:call(F, plc, start_system, [<<"DistCrossing">>, Opts]),
    ok = peer:call(F, ?MODULE, collect, [[{<<"Field.Main">>, <<"Vote.Voted">>}, {<<"Field.Main">>, <<"Vote.Ready">>}]]),
    Green = lamps(true, false, false),
    wait_until(fun() -> lists:member(Green, lamp_states(peek(X))) end, 5000),
    %% Two of three pedestrians: the vote crosses to the light.
    ok = peer:call(F, plc, write_input, [<<"Field.Main">>, <<"I0.0">>, true]),
    ok = peer:call(F, plc, write_input, [<<"Field.Main">>, <<"I0.1">>, true]),
    Red = lamps(false, false, true),
    wait_until(fun() -> length(lamp_states(peek(X))) >= 5 end, 5000),
    States = lamp_states(peek(X)),
    ?assertEqual([Red, lamps(false, true, true), Green, lamps(false, true, false), Red], lists:sublist(States, 5)),
    %% Green lasted far less than its 3 s: the request cut it short.
    Times = lamp_times(peek(X)),
    GreenFor = lists:nth(4, Times) - lists:nth(3, Times),
    ?assert(GreenFor < 2500, {green_lasted_ms, GreenFor}),
    wait_for(F, 3),
    ?assertEqual([{<<"Vote.Voted">>, false}, {<<"Vote.Voted">>, true}, {<<"Vote.Ready">>, false}],
                 [{P, S} || {event, P, #{<<"State">> := S}} <- take(F)]).

order_under_load_hidden(Config) ->
    order_under_load(Config, hidden, [ol_src, ol_dst]).

order_under_load_standard(Config) ->
    order_under_load(Config, standard, [os_src, os_dst]).

order_under_load(Config, Mode, Names) ->
    [{S, Src}, {D, Dst}] = peers(Config, Names, ["dist_seq.st"], Mode),
    Opts = #{mode => Mode, nodes => #{<<"Src">> => Src, <<"Dst">> => Dst}},
    {ok, _} = peer:call(S, plc, start_system, [<<"DistSeq">>, Opts]),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistSeq">>, Opts]),
    wait_started([S, D], <<"DistSeq">>),
    N = 50000,
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(N, [])]),
    wait_until(fun() -> peer:call(D, plc, read, [<<"Dst.R">>, <<"Check.Count">>]) =:= {ok, N} end, 30000),
    ?assertEqual([{ok, 1}, {ok, N}, {ok, 0}], [peer:call(D, plc, read, [<<"Dst.R">>, V])
                                                || V <- [<<"Check.First">>, <<"Check.Last">>, <<"Check.Bad">>]]),
    {ok, #{peers := #{Dst := #{sent := N, lost := 0}}}} = peer:call(S, plc, system_info, [<<"DistSeq">>]),
    {ok, #{peers := #{Src := #{received := N}}}} = peer:call(D, plc, system_info, [<<"DistSeq">>]),
    ExpectedType = case Mode of hidden -> hidden; standard -> visible end,
    ?assertEqual([Dst], peer:call(S, erlang, nodes, [ExpectedType])).

killed_node_gets_buffered_events_and_losses_are_counted(Config) ->
    [{S, Src}, {D, Dst}] = peers(Config, [kn_src, kn_dst], ["dist_seq.st"]),
    Opts = #{mode => hidden, nodes => #{<<"Src">> => Src, <<"Dst">> => Dst}, buffer => 3000},
    {ok, _} = peer:call(S, plc, start_system, [<<"DistSeq">>, Opts]),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistSeq">>, Opts]),
    ok = peer:call(S, ?MODULE, collect, [[alarms]]),
    wait_started([S, D], <<"DistSeq">>),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(1000, [])]),
    wait_until(fun() -> peer:call(D, plc, read, [<<"Dst.R">>, <<"Check.Count">>]) =:= {ok, 1000} end, 10000),
    %% Dst dies; Src keeps sending: 3000 wait for it, 2000 are lost.
    ok = peer:stop(D),
    wait_until(fun() -> peer:call(S, erlang, nodes, [connected]) =:= [] end, 5000),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(5000, [])]),
    wait_until(fun() -> lost(S, Dst) =:= 2000 end, 5000),
    {ok, #{peers := #{Dst := #{buffered := 3000, up := false, ready := false}}, started := true}} =
        peer:call(S, plc, system_info, [<<"DistSeq">>]),
    %% Reported as they happen, at most once a second, with the total so far.
    wait_until(fun() -> lists:member({alarm, {plc_link_lost, Dst, 2000}}, [I || {_, I} <- peek(S)]) end, 3000),
    Totals = [N || {alarm, {plc_link_lost, Node, N}} <- take(S), Node =:= Dst],
    ?assertEqual(Totals, lists:usort(Totals)),
    ?assertEqual(2000, lists:last(Totals)),
    ?assertMatch({_, <<"DistSeq">>, {plc_link_lost, Dst, 2000}},
                 lists:last([A || {_, _, {plc_link_lost, _, _}} = A <- peer:call(S, plc_mon, alarms, [])])),
    %% Dst comes back: it gets the 3000 that waited, in order, then new ones.
    [{D2, Dst}] = peers(Config, [kn_dst], ["dist_seq.st"]),
    {ok, _} = peer:call(D2, plc, start_system, [<<"DistSeq">>, Opts]),
    wait_until(fun() -> peer:call(D2, plc, read, [<<"Dst.R">>, <<"Check.Count">>]) =:= {ok, 3000} end, 10000),
    ?assertEqual([{ok, 1001}, {ok, 4000}, {ok, 1}],
                 [peer:call(D2, plc, read, [<<"Dst.R">>, V]) || V <- [<<"Check.First">>, <<"Check.Last">>, <<"Check.Bad">>]]),
    ok = peer:call(S, plc, inject, [<<"Src.R">>, <<"Gen.REQ">>]),
    wait_until(fun() -> peer:call(D2, plc, read, [<<"Dst.R">>, <<"Check.Last">>]) =:= {ok, 6001} end, 5000),
    wait_until(fun() ->
                       {ok, #{peers := #{Dst := P}}} = peer:call(S, plc, system_info, [<<"DistSeq">>]),
                       maps:with([buffered, lost, ready], P) =:= #{buffered => 0, lost => 2000, ready => true}
               end, 5000),
    %% Src was not restarted: its resource kept its pid and its count.
    ?assertEqual({ok, 6001}, peer:call(S, plc, read, [<<"Src.R">>, <<"Gen.N">>])).

%% The connection drops five times while batches are on the way: at each
%% drop the receiver's plc_dist has not taken events the sender has sent
%% (it is suspended, so they are surely on the way); the sender sends again
%% everything not acknowledged; nothing is lost or doubled.
connection_blips_lose_nothing(Config) ->
    %% A buffer for all of them: while the link is down they wait.
    {S, D, Dst} = seq_pair(Config, [cb_src, cb_dst], #{buffer => 200000}),
    Src = peer:call(S, erlang, node, []),
    InFlight = [begin
                    Blip = K rem 8 =:= 3,
                    %% Both ends are back from the previous blip.
                    [wait_until(fun() -> ready(S, Dst) andalso ready(D, Src) end, 10000) || Blip],
                    [suspend_link(D) || Blip],
                    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(4000, [])]),
                    case Blip of
                        true ->
                            wait_until(fun() -> sent(S, Dst) =:= 4000 * K end, 10000),
                            Waiting = link_queue(D),
                            peer:call(S, erlang, disconnect_node, [Dst]),
                            resume_link(D),
                            [Waiting];
                        false ->
                            []
                    end
                end || K <- lists:seq(1, 40)],
    %% Traffic was cut mid-flight every time.
    ?assertEqual(5, length([W || [W] <- InFlight, W > 0]), InFlight),
    wait_until(fun() ->
                       {ok, #{peers := #{Dst := #{buffered := B, lost := L}}}} =
                           peer:call(S, plc, system_info, [<<"DistSeq">>]),
                       ?assertEqual(0, L),
                       B =:= 0
               end, 30000),
    wait_until(fun() -> maps:get(last, check(D), 0) =:= 160000 end, 10000),
    ?assertEqual(#{first => 1, count => 160000, last => 160000, gaps => 0, repeats => 0}, check(D)),
    {ok, #{peers := #{Dst := #{lost := 0, buffered := 0, resent := Resent}}}} =
        peer:call(S, plc, system_info, [<<"DistSeq">>]),
    ?assert(Resent > 0, {resent, Resent}).

%% The receiving node's plc_dist is killed while events arrive: its
%% supervisor restarts it, the sender resends what was not acknowledged.
%% None is lost; at most the one batch that was posted but not yet
%% acknowledged when it died comes twice.
receiver_link_restart_loses_nothing(Config) ->
    %% A buffer for all of them: the sender keeps sending while acks wait.
    {S, D, Dst} = seq_pair(Config, [rr_src, rr_dst], #{buffer => 200000}),
    lists:foreach(fun(K) ->
                          ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(4000, [])]),
                          [kill_link(D) || K rem 10 =:= 5]
                  end, lists:seq(1, 30)),
    wait_until(fun() -> maps:get(last, check(D), 0) =:= 120000 end, 20000),
    {ok, #{peers := #{Dst := #{lost := 0}}}} = peer:call(S, plc, system_info, [<<"DistSeq">>]),
    #{gaps := 0, repeats := Repeats, count := Count} = check(D),
    ?assert(Repeats =< 3, {repeats, Repeats}),
    ?assert(Count >= 120000 andalso Count =< 120000 + 3 * 4096, {count, Count}).

%% The sending node's plc_dist is killed: what it held is lost, and said so
%% (plc_dist_restart_lost); what the resource sent while it was gone was
%% refused and counted by the resource (dropped, with its overflow alarm);
%% the link then carries on, in order. At the kill, events are on their
%% way (the receiver's plc_dist is suspended: it has taken none of them).
sender_link_restart_counts_its_losses(Config) ->
    {S, D, Dst} = seq_pair(Config, [sr_src, sr_dst], #{}),
    ok = peer:call(S, ?MODULE, collect, [[alarms]]),
    suspend_link(D),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(20000, [])]),
    wait_until(fun() -> sent(S, Dst) > 0 end, 5000),
    Sent = sent(S, Dst),
    ?assert(link_queue(D) > 0),
    kill_link(S),
    resume_link(D),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(20000, [])]),
    wait_until(fun() -> maps:get(last, check(D), 0) =:= 40000 end, 20000),
    #{count := Count, repeats := 0, gaps := Gaps} = check(D),
    ?assert(Count >= Sent, {count, Count, sent_before_the_kill, Sent}),
    Lost = lists:sum([N || {alarm, {plc_dist_restart_lost, N}} <- take(S)]),
    {ok, #{dropped := Dropped}} = peer:call(S, plc, stats, [<<"Src.R">>]),
    %% Every event is accounted for: arrived, or reported lost, or refused
    %% by the resource. The loss is what the dead plc_dist had numbered and
    %% the neighbour says it had not received when asked: an event still
    %% on its way at that moment is reported lost and then arrives (seen
    %% once in a few runs), never the other way round.
    ?assert(Count + Lost + Dropped >= 40000 andalso Count + Lost + Dropped =< 40000 + 4096,
            {count, Count, lost, Lost, dropped, Dropped}),
    %% What was lost was lost in one piece: at most one gap.
    ?assert(Gaps =< 1, {gaps, Gaps}).

%% The receiving resource is killed while events are on their way to it
%% (sent by Src, not yet taken by Dst's plc_dist, which is suspended; its
%% inbox is empty): they wait for its restart (it starts cold: its count
%% begins again), none goes to the dead one, and every number arrives
%% exactly once, 1-5000 at the old instance, 5001-10000 at the new one.
resource_restart_under_load_holds_events(Config) ->
    {S, D, Dst} = seq_pair(Config, [rs_src, rs_dst], #{}),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(5000, [])]),
    wait_count(D, 5000),
    suspend_link(D),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(5000, [])]),
    wait_until(fun() -> sent(S, Dst) =:= 10000 end, 10000),
    ?assert(link_queue(D) > 0),
    ?assertEqual(#{first => 1, count => 5000, last => 5000, gaps => 0, repeats => 0}, check(D)),
    {ok, #{queue_depth := 0}} = peer:call(D, plc, stats, [<<"Dst.R">>]),
    Old = peer:call(D, plc, whereis, [<<"Dst.R">>]),
    ok = peer:call(D, erlang, apply, [fun() -> exit(Old, kill), ok end, []]),
    resume_link(D),
    wait_until(fun() -> maps:get(last, check(D), 0) =:= 10000 end, 20000),
    %% One gap: the new instance's first number (5001) after its cold 0.
    ?assertEqual(#{first => 5001, count => 5000, last => 10000, gaps => 1, repeats => 0}, check(D)),
    ?assertNotEqual(Old, peer:call(D, plc, whereis, [<<"Dst.R">>])),
    wait_until(fun() -> buffered(S, Dst) =:= 0 end, 5000),
    ?assertMatch(#{lost := 0, undelivered := 0}, peer_info(S, Dst)).

%% A resource stopped for good holds back only its own events: those the
%% same sender sends to another resource of the node go in at once (well
%% before the 5 s after which the stopped one's are counted undelivered).
a_stopped_resource_holds_back_only_its_own_events(Config) ->
    [{S, Src}, {D, Dst}] = peers(Config, [pt_src, pt_dst], ["dist_two.st"]),
    Opts = #{mode => hidden, nodes => #{<<"Src">> => Src, <<"Dst">> => Dst}},
    {ok, _} = peer:call(S, plc, start_system, [<<"DistTwo">>, Opts]),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistTwo">>, Opts]),
    wait_started([S, D], <<"DistTwo">>),
    ok = peer:call(D, plc, stop_resource, [<<"Dst.A">>]),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"SA.EI">>, lists:duplicate(100, [])]),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"SB.EI">>, lists:duplicate(100, [])]),
    T0 = erlang:monotonic_time(millisecond),
    wait_until(fun() -> peer:call(D, plc, read, [<<"Dst.B">>, <<"CB.CV">>]) =:= {ok, 100} end, 2000),
    ?assert(erlang:monotonic_time(millisecond) - T0 < 2000),
    {ok, #{peers := #{Src := #{pending := 100}}}} = peer:call(D, plc, system_info, [<<"DistTwo">>]),
    %% The stopped one's events are counted undelivered, and the sender is told.
    wait_until(fun() -> maps:get(undelivered, peer_info(S, Dst, <<"DistTwo">>)) =:= 100 end, 10000),
    {ok, #{peers := #{Src := #{pending := 0, dropped := 100}}}} = peer:call(D, plc, system_info, [<<"DistTwo">>]),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"SB.EI">>, lists:duplicate(100, [])]),
    wait_until(fun() -> peer:call(D, plc, read, [<<"Dst.B">>, <<"CB.CV">>]) =:= {ok, 200} end, 2000),
    %% Acknowledged (the acknowledgement may still be on its way).
    wait_until(fun() -> maps:get(buffered, peer_info(S, Dst, <<"DistTwo">>)) =:= 0 end, 2000),
    ?assertMatch(#{buffered := 0, lost := 0, undelivered := 100}, peer_info(S, Dst, <<"DistTwo">>)).

%% The system is stopped on Dst, the node staying up: Src sees that its
%% link is not ready (it monitors Dst's plc_dist), keeps what it sends in
%% its buffer instead of sending it to a dead process, and delivers it
%% once the system is started there again.
a_neighbour_whose_system_is_gone_is_not_ready(Config) ->
    {S, D, Dst} = seq_pair(Config, [ng_src, ng_dst], #{}),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(100, [])]),
    wait_count(D, 100),
    wait_until(fun() -> buffered(S, Dst) =:= 0 end, 5000),
    ok = peer:call(D, plc, stop_system, [<<"DistSeq">>]),
    wait_until(fun() -> not ready(S, Dst) end, 2000),
    ?assertMatch(#{up := true, ready := false}, peer_info(S, Dst)),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(100, [])]),
    wait_until(fun() -> buffered(S, Dst) =:= 100 end, 2000),
    ?assertEqual(100, sent(S, Dst)),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistSeq">>, #{mode => hidden, nodes => #{<<"Src">> => node_of(S),
                                                                                       <<"Dst">> => Dst}}]),
    wait_until(fun() -> maps:get(last, check(D), 0) =:= 200 end, 10000),
    ?assertEqual(#{first => 101, count => 100, last => 200, gaps => 1, repeats => 0}, check(D)),
    wait_until(fun() -> buffered(S, Dst) =:= 0 end, 5000),
    ?assertMatch(#{lost := 0, undelivered := 0, ready := true}, peer_info(S, Dst)).

%%% Hostile input to plc_dist

%% A hello whose system name is 16 MB: refused by its size before the name
%% is looked at, in well under 100 ms, costing far less than the term.
a_hello_with_a_huge_name_costs_nothing(Config) ->
    {_S, D, _Dst} = seq_pair(Config, [hh_src, hh_dst], #{}),
    {Ms, Grown, Same} = peer:call(D, erlang, apply, [fun huge_hello/0, []]),
    ct:log("three 16 MB hellos: ~b ms, memory grew by ~b bytes", [Ms, Grown]),
    ?assert(Ms < 100, {ms, Ms}),
    ?assert(Grown < (16 bsl 20) div 10, {grown, Grown}),
    ?assert(Same).

huge_hello() ->
    Name = plc_dist:name(<<"DistSeq">>),
    Pid = whereis(Name),
    {ok, #{neighbours := [Neighbour]}} = plc_dist:info(<<"DistSeq">>),
    %% A process on the neighbour's node: everything else about the hello is right.
    There = erpc:call(Neighbour, erlang, whereis, [Name]),
    Big = binary:copy(<<"x">>, 16 bsl 20),
    Named = <<"DistSeq", Big/binary>>,
    erlang:garbage_collect(Pid),
    M0 = erlang:memory(total),
    T0 = erlang:monotonic_time(millisecond),
    Pid ! {plc_hello, Big, Neighbour, 1, 0, There, none},
    Pid ! {plc_welcome, Big, Neighbour, 1, 0, There, none},
    Pid ! {plc_hello, Named, Neighbour, 1, 0, There, none},
    {ok, _} = plc_dist:info(<<"DistSeq">>),
    T1 = erlang:monotonic_time(millisecond),
    M1 = erlang:memory(total),
    _ = {byte_size(Big), byte_size(Named)},
    {T1 - T0, M1 - M0, whereis(Name) =:= Pid}.

%% Malformed events, forged acknowledgements and stray casts, calls and
%% messages: plc_dist stays the same process, answers a wrong call with an
%% error, and the link keeps delivering every event exactly once.
stray_and_malformed_messages_leave_plc_dist_running(Config) ->
    {S, D, Dst} = seq_pair(Config, [sm_src, sm_dst], #{}),
    Name = plc_dist:name(<<"DistSeq">>),
    [SPid, DPid] = [peer:call(P, erlang, whereis, [Name]) || P <- [S, D]],
    {ok, #{incarnation := SInc}} = peer:call(S, plc, system_info, [<<"DistSeq">>]),
    {ok, #{incarnation := DInc}} = peer:call(D, plc, system_info, [<<"DistSeq">>]),
    Src = node(SPid),
    ToD = [{plc_events, Src, SInc, DInc, 1, [{0, <<1>>} | improper]},
           {plc_events, Src, SInc, DInc, 1, not_a_list},
           {plc_events, Src, SInc, DInc, 1, lists:duplicate(70000, {0, <<>>})},
           {plc_events, 'stranger@nowhere', 1, DInc, 1, []},
           {plc_events, junk},
           {plc_ack, Src, DInc, not_an_integer, 1, 0},
           {plc_resend, Src, DInc, -1},
           {plc_hello, <<"DistSeq">>, 'stranger@nowhere', 1, 0, self(), none},
           {plc_hello, <<"DistSeq">>, Src, 1, 0, not_a_pid, none},
           {'EXIT', self(), kill},
           {nodeup, 'stranger@nowhere', []},
           {connected, 'stranger@nowhere', true},
           retry, deliver, report, start_timeout,
           junk, <<"junk">>, {}],
    ToS = [{plc_ack, Dst, SInc, 1000000000, DInc, 0},       % beyond what was numbered
           {plc_ack, Dst, SInc, 1, DInc, -5},               % a negative count
           {plc_ack, Dst, SInc, 1, DInc},                   % too short
           {plc_resend, Dst, SInc, 0}],
    ok = peer:call(D, erlang, apply, [fun() -> [DPid ! M || M <- ToD], ok end, []]),
    ok = peer:call(S, erlang, apply, [fun() -> [SPid ! M || M <- ToS], ok end, []]),
    ok = peer:call(D, gen_server, cast, [Name, junk]),
    ?assertEqual({error, {unknown_call, junk}}, peer:call(D, gen_server, call, [Name, junk])),
    ?assertEqual({error, {unknown_call, {gate, '...'}}}, peer:call(D, gen_server, call, [Name, {gate, [1, 2]}])),
    ?assertEqual({error, {unknown_call, binary}}, peer:call(D, gen_server, call, [Name, <<1, 2, 3>>])),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(3000, [])]),
    wait_count(D, 3000),
    ?assertEqual(#{first => 1, count => 3000, last => 3000, gaps => 0, repeats => 0}, check(D)),
    wait_until(fun() -> buffered(S, Dst) =:= 0 end, 5000),
    ?assertEqual([SPid, DPid], [peer:call(P, erlang, whereis, [Name]) || P <- [S, D]]),
    {ok, #{peers := #{Src := #{received := 3000, refused := 0}}}} = peer:call(D, plc, system_info, [<<"DistSeq">>]).

%% A flood of stray messages is logged at most ten lines a second, then
%% how many were not logged.
dropped_messages_are_logged_at_most_ten_a_second(Config) ->
    {_S, D, _Dst} = seq_pair(Config, [dl_src, dl_dst], #{}),
    ok = peer:call(D, ?MODULE, capture_log, []),
    Name = plc_dist:name(<<"DistSeq">>),
    ok = peer:call(D, erlang, apply, [fun() -> [Name ! {junk, N} || N <- lists:seq(1, 1000)], ok end, []]),
    {ok, _} = peer:call(D, plc, system_info, [<<"DistSeq">>]),
    timer:sleep(1100),
    ok = peer:call(D, erlang, apply, [fun() -> Name ! {junk, last}, ok end, []]),
    {ok, _} = peer:call(D, plc, system_info, [<<"DistSeq">>]),
    Lines = [L || {log, L} <- take(D)],
    Dropped = [L || L <- Lines, string:find(L, "dropped a message") =/= nomatch],
    NotLogged = [L || L <- Lines, string:find(L, "more dropped messages not logged") =/= nomatch],
    ?assertEqual(11, length(Dropped), Lines),
    ?assertMatch([_], NotLogged),
    ?assertNotEqual(nomatch, string:find(hd(NotLogged), " 990 more")).

%% The downstream resource is stopped for good: after 5 s the downstream
%% node counts its events as undelivered and says so in its
%% acknowledgements; the upstream keeps that count, so when the downstream
%% node is killed the losses are still reported by the upstream (in
%% system_info and as an alarm), and after a restart of its plc_dist.
a_killed_nodes_losses_are_still_reported_by_the_upstream(Config) ->
    {S, D, Dst} = seq_pair(Config, [kl_src, kl_dst], #{}),
    ok = peer:call(S, ?MODULE, collect, [[alarms]]),
    ok = peer:call(D, plc, stop_resource, [<<"Dst.R">>]),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(100, [])]),
    wait_until(fun() -> undelivered(S, Dst) =:= 100 end, 10000),
    ok = peer:stop(D),
    wait_until(fun() -> peer:call(S, erlang, nodes, [connected]) =:= [] end, 5000),
    {ok, #{peers := #{Dst := #{undelivered := 100, lost := 0, buffered := 0, up := false}}}} =
        peer:call(S, plc, system_info, [<<"DistSeq">>]),
    wait_until(fun() -> lists:member({alarm, {plc_link_lost, Dst, 100}}, [I || {_, I} <- peek(S)]) end, 3000),
    ?assertMatch({_, <<"DistSeq">>, {plc_link_lost, Dst, 100}},
                 lists:last([A || {_, _, {plc_link_lost, _, _}} = A <- peer:call(S, plc_mon, alarms, [])])),
    kill_link(S),
    ?assertEqual(100, undelivered(S, Dst)).

hidden_nodes_connect_to_graph_neighbours_only(Config) ->
    Peers = [{_, A}, {_, B}, {_, C}, {_, D}] = peers(Config, [hc_a, hc_b, hc_c, hc_d], ["dist_chain.st"]),
    Nodes = #{<<"A">> => A, <<"B">> => B, <<"C">> => C, <<"D">> => D},
    [{ok, _} = peer:call(P, plc, start_system, [<<"DistChain">>, #{mode => hidden, nodes => Nodes}]) || {P, _} <- Peers],
    Ps = [P || {P, _} <- Peers],
    wait_started(Ps, <<"DistChain">>),
    [PA, _, _, PD] = Ps,
    ok = peer:call(PA, plc, inject_batch, [<<"A.R">>, <<"S1.EI">>, lists:duplicate(100, [])]),
    wait_until(fun() -> peer:call(PD, plc, read, [<<"D.R">>, <<"Ctr.CV">>]) =:= {ok, 100} end, 10000),
    Connected = [lists:sort(peer:call(P, erlang, nodes, [connected])) || P <- Ps],
    ?assertEqual([[B], [A, C], [B, D], [C]], Connected),
    ?assertEqual([[], [], [], []], [peer:call(P, erlang, nodes, [visible]) || P <- Ps]),
    %% 3 edges, 6 connection ends: 1.5 per node.
    ?assertEqual(6, lists:sum([length(Cs) || Cs <- Connected])),
    %% A node outside the system's configuration is refused.
    [{E, _}] = peers(Config, [hc_stranger], []),
    ?assertEqual(false, peer:call(E, net_kernel, connect_node, [A])),
    ?assertEqual([B], peer:call(PA, erlang, nodes, [connected])),
    %% plc_mon knows the hidden neighbours.
    #{B := #{up := true, type := hidden}} = peer:call(PA, plc_mon, nodes, []).

%% Each node compiled only its part (dist_chain_part_*.st): its device and
%% the resources it exchanges events with, for their layout (D's part of
%% C holds D's Pad before Ctr, as D's own part does), the devices in
%% another order in each part, so a resource's index differs from part to
%% part. The parts agree on the version given; events name their target.
nodes_given_only_their_part_run_the_chain(Config) ->
    Names = [pc_a, pc_b, pc_c, pc_d],
    Ps = [start_part(Config, Name, Part) || {Name, Part} <- lists:zip(Names, ["a", "b", "c", "d"])],
    [A, B, C, D] = [node_of(P) || P <- Ps],
    Nodes = #{<<"A">> => A, <<"B">> => B, <<"C">> => C, <<"D">> => D},
    [{ok, _} = peer:call(P, plc, start_system, [<<"DistChain">>, #{mode => hidden, nodes => Nodes, version => 1}])
     || P <- Ps],
    wait_started(Ps, <<"DistChain">>),
    [PA, PB, _, PD] = Ps,
    %% B's part: the neighbours A and C, not D.
    {ok, #{neighbours := [A, C], resources := [<<"B.R">>]}} = peer:call(PB, plc, system_info, [<<"DistChain">>]),
    ok = peer:call(PA, plc, inject_batch, [<<"A.R">>, <<"S1.EI">>, lists:duplicate(100, [])]),
    wait_until(fun() -> peer:call(PD, plc, read, [<<"D.R">>, <<"Ctr.CV">>]) =:= {ok, 100} end, 10000),
    ?assertEqual([[B], [A, C], [B, D], [C]], [lists:sort(peer:call(P, erlang, nodes, [connected])) || P <- Ps]),
    %% Every event delivered, none refused on the way.
    ?assertEqual([{100, 0}, {100, 0}, {100, 0}],
                 [{Received, Refused} || {P, From} <- [{PB, A}, {lists:nth(3, Ps), B}, {PD, C}],
                                         #{received := Received, refused := Refused}
                                             <- [peer_info(P, From, <<"DistChain">>)]]).

%% C and D run version 2 of the system, A and B version 1: B and C
%% refuse each other (an alarm on each), nothing crosses from B to C and
%% neither starts (A, whose only neighbour B agrees, does). Once C and D
%% run version 1, the chain runs end to end.
parts_agree_only_on_the_same_version(Config) ->
    Ps = [PA, PB, PC, PD] = [start_part(Config, Name, Part)
                             || {Name, Part} <- lists:zip([pv_a, pv_b, pv_c, pv_d], ["a", "b", "c", "d"])],
    [A, B, C, D] = [node_of(P) || P <- Ps],
    Nodes = #{<<"A">> => A, <<"B">> => B, <<"C">> => C, <<"D">> => D},
    Opts = fun(V) -> #{mode => hidden, nodes => Nodes, version => V} end,
    [ok = peer:call(P, ?MODULE, collect, [[alarms]]) || P <- [PB, PC]],
    [{ok, _} = peer:call(P, plc, start_system, [<<"DistChain">>, Opts(V)])
     || {P, V} <- [{PA, <<"v1">>}, {PB, <<"v1">>}, {PC, <<"v2">>}, {PD, <<"v2">>}]],
    wait_for(PB, 1),
    wait_for(PC, 1),
    ?assertEqual([{alarm, {plc_version_mismatch, C}}], take(PB)),
    ?assertEqual([{alarm, {plc_version_mismatch, B}}], take(PC)),
    wait_started([PA, PD], <<"DistChain">>),
    ?assertMatch({ok, #{started := false, peers := #{C := #{ready := false}}}},
                 peer:call(PB, plc, system_info, [<<"DistChain">>])),
    ?assertMatch({ok, #{started := false}}, peer:call(PC, plc, system_info, [<<"DistChain">>])),
    %% Injected at A: the events wait at B (not started), nothing reaches C.
    ok = peer:call(PA, plc, inject_batch, [<<"A.R">>, <<"S1.EI">>, lists:duplicate(10, [])]),
    timer:sleep(300),
    ?assertMatch(#{received := 0}, peer_info(PC, B, <<"DistChain">>)),
    [ok = peer:call(P, plc, stop_system, [<<"DistChain">>]) || P <- [PC, PD]],
    [{ok, _} = peer:call(P, plc, start_system, [<<"DistChain">>, Opts(<<"v1">>)]) || P <- [PC, PD]],
    wait_started(Ps, <<"DistChain">>),
    wait_until(fun() -> peer:call(PD, plc, read, [<<"D.R">>, <<"Ctr.CV">>]) =:= {ok, 10} end, 10000).

start_waits_for_a_late_neighbour(Config) ->
    [{L, Left}, {R, Right}] = peers(Config, [lw_left, lw_right], ["voter.st", "dist_vote.st"]),
    Opts = #{mode => hidden, nodes => #{<<"Left">> => Left, <<"Right">> => Right}},
    {ok, _} = peer:call(L, plc, start_system, [<<"DistVote">>, Opts]),
    timer:sleep(600),
    {ok, #{started := false, peers := #{Right := #{ready := false}}}} = peer:call(L, plc, system_info, [<<"DistVote">>]),
    %% An event injected before START waits in order; the vote reaches the lamp once both run.
    {ok, _} = peer:call(R, plc, start_system, [<<"DistVote">>, Opts]),
    ok = peer:call(R, ?MODULE, collect, [[{<<"Right.R">>, listen}]]),
    wait_started([L, R], <<"DistVote">>),
    ok = peer:call(L, plc, inject, [<<"Left.R">>, <<"V.Vote">>, [{<<"A">>, true}, {<<"B">>, true}]]),
    wait_for(R, 1),
    ?assertEqual([{io, <<"Q1.0">>, true}], take(R)).

start_timeout_starts_without_the_neighbour(Config) ->
    [{L, Left}] = peers(Config, [st_left], ["voter.st", "dist_vote.st"]),
    Right = list_to_atom("st_right@" ++ host(Left)),
    Opts = #{mode => hidden, nodes => #{<<"Left">> => Left, <<"Right">> => Right}, start_timeout => 300},
    ok = peer:call(L, ?MODULE, collect, [[alarms]]),
    {ok, _} = peer:call(L, plc, start_system, [<<"DistVote">>, Opts]),
    wait_for(L, 1),
    ?assertEqual([{alarm, {plc_start_timeout, [Right]}}], take(L)),
    {ok, #{started := true}} = peer:call(L, plc, system_info, [<<"DistVote">>]),
    %% The vote is kept for the lamp's node, which is not there.
    ok = peer:call(L, plc, inject, [<<"Left.R">>, <<"V.Vote">>, [{<<"A">>, true}, {<<"B">>, true}]]),
    wait_until(fun() ->
                       {ok, #{peers := #{Right := #{buffered := Bu}}}} = peer:call(L, plc, system_info, [<<"DistVote">>]),
                       Bu =:= 1
               end, 3000).

global_mode_registers_resources_and_fbs(Config) ->
    [{L, Left}, {R, Right}] = peers(Config, [gm_left, gm_right], ["voter.st", "dist_vote.st"], global),
    Opts = #{mode => global, nodes => #{<<"Left">> => Left, <<"Right">> => Right}},
    {ok, _} = peer:call(L, plc, start_system, [<<"DistVote">>, Opts]),
    {ok, _} = peer:call(R, plc, start_system, [<<"DistVote">>, Opts]),
    ok = peer:call(R, ?MODULE, collect, [[{<<"Right.R">>, listen}]]),
    wait_started([L, R], <<"DistVote">>),
    Names = lists:sort(peer:call(L, global, registered_names, [])),
    ?assertEqual(lists:sort([{plc_dist, <<"DistVote">>, Left}, {plc_dist, <<"DistVote">>, Right},
                             {plc_resource, <<"DistVote">>, <<"Left.R">>}, {plc_resource, <<"DistVote">>, <<"Right.R">>},
                             {plc_fb, <<"DistVote">>, <<"Left.R">>, <<"V">>},
                             {plc_fb, <<"DistVote">>, <<"Right.R">>, <<"Lamp">>}]), Names),
    ok = peer:call(L, plc, inject, [<<"Left.R">>, <<"V.Vote">>, [{<<"A">>, true}, {<<"C">>, true}]]),
    wait_for(R, 1),
    ?assertEqual([{io, <<"Q1.0">>, true}], take(R)),
    ?assertEqual([Right], peer:call(L, erlang, nodes, [visible])).

tls_distribution_carries_events(Config) ->
    Dir = ?config(priv_dir, Config),
    OptFile = make_tls_config(Dir),
    Tls = ["-proto_dist", "inet_tls", "-ssl_dist_optfile", OptFile],
    [{S, Src}, {D, Dst}] = peers(Config, [tls_src, tls_dst], ["dist_seq.st"], hidden, Tls),
    Opts = #{mode => hidden, nodes => #{<<"Src">> => Src, <<"Dst">> => Dst}},
    {ok, _} = peer:call(S, plc, start_system, [<<"DistSeq">>, Opts]),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistSeq">>, Opts]),
    wait_started([S, D], <<"DistSeq">>),
    ok = peer:call(S, plc, inject_batch, [<<"Src.R">>, <<"Gen.REQ">>, lists:duplicate(2000, [])]),
    wait_until(fun() -> peer:call(D, plc, read, [<<"Dst.R">>, <<"Check.Count">>]) =:= {ok, 2000} end, 10000),
    ?assertEqual({ok, 0}, peer:call(D, plc, read, [<<"Dst.R">>, <<"Check.Bad">>])),
    %% The connection really is TLS.
    {ok, Info} = peer:call(S, net_kernel, node_info, [Dst]),
    {net_address, _, _, Protocol, _} = proplists:get_value(address, Info),
    ?assertEqual(tls, Protocol).

%%% On the peers

%% Starts (or re-targets) this node's collector: `{Resource, Port}'
%% subscribes to an output, `{Resource, listen}' to its I/O and alarms,
%% `alarms' to every alarm of plc_mon.
collect(What) ->
    Pid = case whereis(plc_collector) of
              undefined ->
                  P = spawn(fun() -> collector([]) end),
                  register(plc_collector, P),
                  P;
              P -> P
          end,
    lists:foreach(fun({R, listen}) -> relisten(Pid, R);
                     ({R, Port}) -> resubscribe(Pid, R, Port);
                     (alarms) -> ok = plc_mon:subscribe_alarms(Pid)
                  end, What),
    ok.

relisten(Pid, R) ->
    Ref = make_ref(),
    Pid ! {do, self(), Ref, fun() -> plc:listen(R) end},
    receive {Ref, ok} -> ok end.

resubscribe(Pid, R, Port) ->
    Ref = make_ref(),
    Pid ! {do, self(), Ref, fun() -> plc:subscribe(R, Port) end},
    receive {Ref, ok} -> ok end.

collector(Acc) ->
    receive
        {do, From, Ref, F} ->
            From ! {Ref, F()},
            collector(Acc);
        {get, From, Ref} ->
            From ! {Ref, lists:reverse(Acc)},
            collector([]);
        {peek, From, Ref} ->
            From ! {Ref, lists:reverse(Acc)},
            collector(Acc);
        {plc_event, _, Port, Data} ->
            collector([{stamp(), {event, Port, Data}} | Acc]);
        {plc_io, _, Address, Value} ->
            collector([{stamp(), {io, Address, Value}} | Acc]);
        {plc_alarm, _, Alarm} ->
            collector([{stamp(), {alarm, Alarm}} | Acc]);
        {log, Text} ->
            collector([{stamp(), {log, Text}} | Acc]);
        _ ->
            collector(Acc)
    end.

stamp() -> erlang:monotonic_time(millisecond).

%% What the collector recorded, with timestamps; peek leaves it there.
collected() ->
    ask(get).

peeked() ->
    ask(peek).

%% Sends the warnings plc_dist logs to the collector, as {log, Text}.
capture_log() ->
    ok = collect([]),
    logger:add_handler(plc_dist_capture, ?MODULE, #{level => warning, config => #{to => whereis(plc_collector)}}).

%% The logger handler of capture_log/0.
log(#{msg := {Format, Args}}, #{config := #{to := Pid}}) when is_list(Format) ->
    Pid ! {log, lists:flatten(io_lib:format(Format, Args))};
log(_Event, _Config) ->
    ok.

ask(What) ->
    Ref = make_ref(),
    plc_collector ! {What, self(), Ref},
    receive {Ref, Items} -> Items after 5000 -> timeout end.

%%% Helpers

%% Src and Dst of dist_seq.st on two hidden nodes, both started.
seq_pair(Config, Names, Extra) ->
    [{S, Src}, {D, Dst}] = peers(Config, Names, ["dist_seq.st"]),
    Opts = maps:merge(#{mode => hidden, nodes => #{<<"Src">> => Src, <<"Dst">> => Dst}}, Extra),
    {ok, _} = peer:call(S, plc, start_system, [<<"DistSeq">>, Opts]),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistSeq">>, Opts]),
    wait_started([S, D], <<"DistSeq">>),
    {S, D, Dst}.

check(D) ->
    maps:from_list([{K, V} || {K, Name} <- [{first, <<"Check.First">>}, {last, <<"Check.Last">>},
                                            {count, <<"Check.Count">>}, {gaps, <<"Check.Gaps">>},
                                            {repeats, <<"Check.Repeats">>}],
                              {ok, V} <- [peer:call(D, plc, read, [<<"Dst.R">>, Name])]]).

%% The peer's plc_dist of DistSeq takes no message until resumed (it
%% answers system messages: the test can still look at it).
suspend_link(P) ->
    ok = peer:call(P, sys, suspend, [plc_dist:name(<<"DistSeq">>)]).

resume_link(P) ->
    ok = peer:call(P, sys, resume, [plc_dist:name(<<"DistSeq">>)]).

%% How many messages wait in the mailbox of the peer's plc_dist.
link_queue(P) ->
    Pid = peer:call(P, erlang, whereis, [plc_dist:name(<<"DistSeq">>)]),
    {message_queue_len, N} = peer:call(P, erlang, process_info, [Pid, message_queue_len]),
    N.

peer_info(P, Node) ->
    peer_info(P, Node, <<"DistSeq">>).

peer_info(P, Node, System) ->
    {ok, #{peers := #{Node := Info}}} = peer:call(P, plc, system_info, [System]),
    Info.

sent(P, Node) -> maps:get(sent, peer_info(P, Node)).
node_of(P) -> peer:call(P, erlang, node, []).
ready(P, Node) -> maps:get(ready, peer_info(P, Node)).
buffered(P, Node) -> maps:get(buffered, peer_info(P, Node)).
undelivered(P, Node) -> maps:get(undelivered, peer_info(P, Node)).

wait_count(D, N) ->
    wait_until(fun() -> peer:call(D, plc, read, [<<"Dst.R">>, <<"Check.Count">>]) =:= {ok, N} end, 20000).

kill_link(P) ->
    Name = plc_dist:name(<<"DistSeq">>),
    Old = peer:call(P, erlang, whereis, [Name]),
    true = peer:call(P, erlang, exit, [Old, kill]),
    wait_until(fun() -> case peer:call(P, erlang, whereis, [Name]) of
                            Pid when is_pid(Pid), Pid =/= Old -> true;
                            _ -> false
                        end
               end, 5000).

peers(Config, Names, Sources) ->
    peers(Config, Names, Sources, hidden).

peers(Config, Names, Sources, Mode) ->
    peers(Config, Names, Sources, Mode, []).

peers(Config, Names, Sources, Mode, Extra) ->
    Data = data_dir(Config),
    Fblocks = filename:join(code:priv_dir(plc), "fblocks"),
    Paths = lists:usort([filename:dirname(code:which(M)) || M <- [plc, ?MODULE]]),
    Hidden = case Mode of hidden -> ["-hidden"]; _ -> [] end,
    Args = Hidden ++ lists:append([["-pa", P] || P <- Paths]) ++ Extra,
    Started = [begin
                   {ok, P, N} = peer:start_link(#{name => Name, args => Args, connection => standard_io}),
                   put(peers, [P | get_peers()]),
                   {P, N}
               end || Name <- Names],
    lists:foreach(
      fun({P, _}) ->
              {ok, _} = peer:call(P, application, ensure_all_started, [plc]),
              [{ok, _} = peer:call(P, plc, compile_file, [source(Data, Fblocks, S)]) || S <- Sources]
      end, Started),
    Started.

%% A hidden peer that compiled only its part of DistChain,
%% dist_chain_part_<Part>.st.
start_part(Config, Name, Part) ->
    [{P, _}] = peers(Config, [Name], ["dist_chain_part_" ++ Part ++ ".st"]),
    P.

source(Data, Fblocks, S) ->
    case filelib:is_file(filename:join(Data, S)) of
        true -> filename:join(Data, S);
        false -> filename:join(Fblocks, S)
    end.

%% The test profile compiles this suite into the application's ebin, where
%% Common Test's data_dir does not exist: then it is found in the sources.
data_dir(Config) ->
    Dir = ?config(data_dir, Config),
    case filelib:is_dir(Dir) of
        true -> Dir;
        false -> filename:join(filename:dirname(filename:absname(?FILE)), "plc_dist_SUITE_data")
    end.

get_peers() ->
    case get(peers) of
        undefined -> [];
        Ps -> Ps
    end.

host(Node) ->
    [_, H] = string:split(atom_to_list(Node), "@"),
    H.

wait_started(Peers, System) ->
    wait_until(fun() ->
                       lists:all(fun(P) ->
                                         {ok, #{started := S}} = peer:call(P, plc, system_info, [System]),
                                         S
                                 end, Peers)
               end, 10000).

wait_until(F, Ms) when Ms =< 0 ->
    ?assert(F(), timeout);
wait_until(F, Ms) ->
    case F() of
        true -> ok;
        false -> timer:sleep(20), wait_until(F, Ms - 20)
    end.

%% Waits until the peer's collector holds at least N items.
wait_for(P, N) ->
    wait_until(fun() -> length(peek(P)) >= N end, 5000).

peek(P) ->
    peer:call(P, ?MODULE, peeked, []).

take(P) ->
    [Item || {_, Item} <- peer:call(P, ?MODULE, collected, [])].

lost(P, Node) ->
    {ok, #{peers := #{Node := #{lost := Lost}}}} = peer:call(P, plc, system_info, [<<"DistSeq">>]),
    Lost.

%% The lamps after each change of the light: every change writes the three
%% MIO_OUTs, red (Q0.0), yellow (Q0.1), green (Q0.2), in that order.
lamps(Green, Yellow, Red) ->
    #{<<"Q0.0">> => Red, <<"Q0.1">> => Yellow, <<"Q0.2">> => Green}.

lamp_states(Items) ->
    [S || {_, S} <- lamp_changes(Items)].

lamp_times(Items) ->
    [T || {T, _} <- lamp_changes(Items)].

lamp_changes(Items) ->
    Writes = [{T, A, V} || {T, {io, A, V}} <- Items],
    group3(Writes).

group3([{_, <<"Q0.0">>, R}, {_, <<"Q0.1">>, Y}, {T, <<"Q0.2">>, G} | Rest]) ->
    [{T, lamps(G, Y, R)} | group3(Rest)];
group3(_) ->
    [].

make_tls_config(Dir) ->
    Run = fun(Cmd) -> "" = os:cmd(Cmd ++ " >/dev/null 2>&1; test $? -eq 0 || echo failed: " ++ Cmd) end,
    F = fun(Name) -> filename:join(Dir, Name) end,
    Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=plc-test-ca -keyout " ++ F("ca.key") ++
            " -out " ++ F("ca.pem")),
    Run("openssl req -newkey rsa:2048 -nodes -subj /CN=plc-node -keyout " ++ F("node.key") ++ " -out " ++ F("node.csr")),
    %% The client checks the server's host name: the nodes' host is in the certificate.
    {ok, Host} = inet:gethostname(),
    ok = file:write_file(F("san.ext"), "subjectAltName=DNS:" ++ Host ++ ",DNS:localhost,IP:127.0.0.1\n"),
    Run("openssl x509 -req -days 2 -in " ++ F("node.csr") ++ " -CA " ++ F("ca.pem") ++ " -CAkey " ++ F("ca.key") ++
            " -CAcreateserial -extfile " ++ F("san.ext") ++ " -out " ++ F("node.pem")),
    Common = [{certfile, F("node.pem")}, {keyfile, F("node.key")}, {cacertfile, F("ca.pem")}, {verify, verify_peer}],
    Terms = [{server, Common ++ [{fail_if_no_peer_cert, true}]},
             {client, Common}],
    OptFile = F("ssl_dist.conf"),
    ok = file:write_file(OptFile, io_lib:format("~p.~n", [Terms])),
    OptFile.
