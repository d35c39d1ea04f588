%%% @doc The protocol of one link between this node's plc_dist and a
%%% neighbour's (another node running devices of the same system), both
%%% directions, as pure functions: each takes the link and an input (events
%%% to send, a message from the neighbour, the outcome of a post, the time)
%%% and returns the new link and a list of effects for plc_dist to run, the
%%% way `ra_server' returns effects to `ra_server_proc'. Nothing here sends,
%%% posts, writes ETS or reads a clock.
%%%
%%% Outgoing (events of local resources for resources on the neighbour):
%%% - enqueue/2 numbers them 1, 2, ... per incarnation of this side and
%%%   keeps them until acknowledged, at most `buffer'; beyond, they are
%%%   counted as lost (reported with `report/1', never dropped silently).
%%% - flush/1 sends what is not sent yet, once the neighbour has said it is
%%%   ready (peer_ready/3), in chunks: `{plc_events, From, FromInc, ToInc,
%%%   First, [{ResourceIndex, Bin}]}'.
%%% - acked/4 drops what the neighbour acknowledged (`{plc_ack, From, Inc,
%%%   UpTo, ItsInc, Undelivered}') and records its count of events it could
%%%   not deliver: this side keeps that count (persisted with the rest), so
%%%   the losses stay reported when the neighbour's node dies.
%%% - resend/2 (the neighbour found a gap) and peer_ready/3 (it came back or
%%%   restarted) send again every event not acknowledged.
%%% - settle/2: after a restart of this side, what the previous incarnation
%%%   had numbered and the neighbour says it did not receive is lost.
%%%
%%% Incoming (events from the neighbour for local resources):
%%% - receive_events/4 takes a batch numbered from First, from the
%%%   incarnation of the neighbour that said hello or welcome: a gap (a
%%%   batch lost with a connection) asks for a resend and takes nothing;
%%%   duplicates of a resend are skipped and acknowledged again; an event
%%%   for a resource that is not on this node is refused (counted).
%%% - Events wait in one queue per target resource: a resource that is
%%%   full, restarting or gone holds back its own events only. deliver/1
%%%   asks for posts (`{post, Index, Bins}'); plc_dist reports each outcome
%%%   with posted/4, then calls ack/1 once for the round. A target absent
%%%   for 5 s (`?HOLD_MS') is taken as stopped for good: its events are
%%%   dropped and counted as undelivered.
%%% - The acknowledgement covers the longest prefix of numbers that has been
%%%   posted or counted as undelivered, with this side's cumulative count of
%%%   undelivered events (of that prefix) for the neighbour to keep.
-module(plc_link).

%% Creation
-export([new/1, restore/2]).
%% Outgoing
-export([enqueue/2, flush/1, acked/4, resend/2, peer_ready/3, peer_down/1, settle/2, report/1,
         report_due/1]).
%% Incoming
-export([receive_events/4, deliver/1, posted/4, ack/1]).
%% Queries
-export([is_ready/1, seen/1, persisted/1, info/1]).

-export_type([link/0, options/0, effect/0, outcome/0, persisted/0]).

-define(CHUNK, 2048).       % events per plc_events message
-define(RUN, 4096).         % events per post into one resource
-define(MAX_BATCH, 65536).  % events a plc_events message may carry
-define(HOLD_MS, 5000).     % a target absent this long is stopped for good
-define(FULL_RETRY_MS, 2).  % the resource drains its inbox
-define(ABSENT_RETRY_MS, 50).   % the resource is restarting

-type options() :: #{node := node(),          % the neighbour
                     me := node(),            % this node
                     inc := integer(),        % this plc_dist's incarnation
                     buffer := pos_integer(),
                     is_local := tuple()}.    % resource index + 1 => runs on this node
-type index() :: non_neg_integer().          % a resource's index in this node's system
%% An outgoing event's target: what the receiving side's plc_dist turns into
%% its index (plc_dist sends the target resource's name).
-type target() :: index() | binary().
-type numbered() :: {pos_integer(), target(), binary()}.  % an outgoing event: {Seq, Target, Bin}
%% What a previous incarnation of this side left in ETS for the next one.
%% `undelivered' is the total, `peer_count' the part of it counted by the
%% neighbour's current incarnation (its next acknowledgement repeats it).
-type persisted() :: #{inc := integer(), seq := non_neg_integer(), acked := non_neg_integer(),
                       lost := non_neg_integer(), undelivered := non_neg_integer(),
                       peer_count := none | {integer(), non_neg_integer()}}.
-type effect() :: {send, pid(), tuple()}
                | {persist, node(), persisted()}
                | {post, index(), [binary()]}
                | {retry, pos_integer()}
                | {report_lost, node(), #{buffer := non_neg_integer(), undelivered := non_neg_integer()},
                   non_neg_integer()}
                | {alarm, {plc_dist_restart_lost, pos_integer()}}
                | {undeliverable, index(), non_neg_integer(), stopped | refused}
                | {ignored, atom()}.
%% How a post of a run went: how many of its events the resource took,
%% in order, and which of those (1-based) it refused (dropped); or
%% the resource is not there (not registered, or stopped).
-type outcome() :: {taken, non_neg_integer(), [pos_integer()]} | absent.

-record(out, {
    seq = 0 :: non_neg_integer(),          % the last number given
    acked = 0 :: non_neg_integer(),        % the last number acknowledged
    unacked = queue:new() :: queue:queue(numbered()),
    fresh = [] :: [numbered()],            % not sent yet, newest first
    count = 0 :: non_neg_integer(),        % unacked + fresh
    lost = 0 :: non_neg_integer(),         % beyond the buffer (all incarnations)
    %% The neighbour's count of events it could not deliver: the sum over
    %% its finished incarnations, and its current one's {Inc, Count}.
    undelivered_base = 0 :: non_neg_integer(),
    undelivered_now = none :: none | {integer(), non_neg_integer()},
    reported = 0 :: non_neg_integer(),     % lost + undelivered when last reported
    sent = 0 :: non_neg_integer(),
    resent = 0 :: non_neg_integer()
}).

-record(in, {
    inc :: integer() | undefined,          % the sender's incarnation
    next = 1 :: pos_integer(),             % the number expected next
    %% Per target, {Seq, Bin} in order; Seq 0: sent by a replaced incarnation
    %% of the sender (delivered first, never acknowledged).
    targets = #{} :: #{index() => queue:queue({non_neg_integer(), binary()})},
    absent = #{} :: #{index() => integer()},  % targets found absent: since when (ms)
    acked = 0 :: integer(),                % the last number acknowledged
    reack = false :: boolean(),            % acknowledge again (a resend of what was posted)
    asked = 0 :: non_neg_integer(),        % the number a resend was asked from
    received = 0 :: non_neg_integer(),
    refused = 0 :: non_neg_integer(),      % not for a resource of this node
    rejected = 0 :: non_neg_integer(),     % refused by the resource (post)
    dropped = 0 :: non_neg_integer(),      % for a resource stopped for good
    uncounted = [] :: [pos_integer()],     % undelivered, beyond the acknowledged prefix
    undelivered = 0 :: non_neg_integer()   % undelivered and acknowledged, by this incarnation of this side
}).

-record(link, {
    node :: node(),
    me :: node(),
    inc :: integer(),
    buffer :: pos_integer(),
    is_local :: tuple(),
    %% The neighbour's plc_dist: its incarnation and process while ready;
    %% once down, the incarnation it had (its events may still be queued).
    peer = none :: none | {up, integer(), pid()} | {down, integer()},
    %% After a restart of this side: what the previous incarnation had
    %% numbered, {ItsIncarnation, LastSeq, LastAcked}; the neighbour's hello
    %% or welcome says how much of it arrived (settle/2).
    unsettled = none :: none | {integer(), non_neg_integer(), non_neg_integer()},
    out = #out{} :: #out{},
    in = #in{} :: #in{}
}).

-opaque link() :: #link{}.

%%% Creation

%% @doc A link to `node' that has sent and received nothing.
-spec new(options()) -> link().
new(#{node := Node, me := Me, inc := Inc, buffer := Buffer, is_local := IsLocal}) ->
    #link{node = Node, me = Me, inc = Inc, buffer = Buffer, is_local = IsLocal}.

%% @doc A new link taking over from a previous incarnation of this side:
%% its loss counts continue, what it numbered waits for settle/2.
-spec restore(persisted(), link()) -> link().
restore(#{inc := Inc, seq := Seq, acked := Acked, lost := Lost, undelivered := Undelivered,
          peer_count := PeerCount}, L) ->
    Unsettled = case Seq > Acked of
                    true -> {Inc, Seq, Acked};
                    false -> none
                end,
    Base = case PeerCount of
               {_, C} -> Undelivered - C;
               none -> Undelivered
           end,
    L#link{unsettled = Unsettled,
           out = #out{lost = Lost, undelivered_base = Base, undelivered_now = PeerCount,
                      reported = Lost + Undelivered}}.

%%% Outgoing

%% @doc Numbers events for the neighbour, in the order given; those beyond
%% the buffer are counted as lost.
-spec enqueue([{target(), binary()}], link()) -> {link(), [effect()]}.
enqueue([], L) ->
    {L, []};
enqueue(Events, L = #link{out = O, buffer = Max}) ->
    L1 = L#link{out = number(Events, O, Max)},
    {L1, [persist_effect(L1)]}.

number([], O, _Max) ->
    O;
number([_ | Rest], O = #out{count = C}, Max) when C >= Max ->
    number(Rest, O#out{lost = O#out.lost + 1}, Max);
number([{K, Bin} | Rest], O = #out{seq = S, count = C, fresh = F}, Max) ->
    number(Rest, O#out{seq = S + 1, count = C + 1, fresh = [{S + 1, K, Bin} | F]}, Max).

%% @doc Sends what was not sent yet, if the neighbour is ready.
-spec flush(link()) -> {link(), [effect()]}.
flush(L = #link{peer = Peer}) when not is_tuple(Peer); element(1, Peer) =:= down ->
    {L, []};
flush(L = #link{out = #out{fresh = []}}) ->
    {L, []};
flush(L = #link{out = O}) ->
    Events = lists:reverse(O#out.fresh),
    O1 = O#out{fresh = [], unacked = queue:join(O#out.unacked, queue:from_list(Events)),
               sent = O#out.sent + length(Events)},
    L1 = L#link{out = O1},
    {L1, transmit(Events, L1)}.

%% @doc The neighbour acknowledges every number up to `UpTo', and says how
%% many events its incarnation `PeerInc' could not deliver so far.
-spec acked(integer(), integer(), non_neg_integer(), link()) -> {link(), [effect()]}.
acked(UpTo, _PeerInc, _Undelivered, L = #link{out = #out{seq = Seq}}) when UpTo > Seq ->
    %% More than was ever numbered: not an acknowledgement of this link.
    {L, [{ignored, ack_beyond_numbered}]};
acked(_UpTo, PeerInc, _Undelivered, L = #link{out = #out{undelivered_now = {Now, _}}}) when PeerInc < Now ->
    %% From an incarnation of the neighbour that has been replaced: its
    %% successor's acknowledgements count.
    {L, []};
acked(UpTo, PeerInc, Undelivered, L = #link{out = O}) ->
    Q = drop_acked(O#out.unacked, UpTo),
    Dropped = queue:len(O#out.unacked) - queue:len(Q),
    O1 = count_undelivered(PeerInc, Undelivered, O),
    L1 = L#link{out = O1#out{unacked = Q, count = O#out.count - Dropped, acked = max(O#out.acked, UpTo)}},
    {L1, [persist_effect(L1)]}.

count_undelivered(PeerInc, U, O = #out{undelivered_now = {PeerInc, C}}) ->
    O#out{undelivered_now = {PeerInc, max(C, U)}};
count_undelivered(PeerInc, U, O = #out{undelivered_now = none}) ->
    O#out{undelivered_now = {PeerInc, U}};
count_undelivered(PeerInc, U, O = #out{undelivered_now = {_, C}, undelivered_base = B}) ->
    O#out{undelivered_base = B + C, undelivered_now = {PeerInc, U}}.

drop_acked(Q, UpTo) ->
    case queue:peek(Q) of
        {value, {Seq, _, _}} when Seq =< UpTo -> drop_acked(queue:drop(Q), UpTo);
        _ -> Q
    end.

%% @doc Sends again every event not acknowledged from number `From' on
%% (the neighbour found a gap), then the fresh ones.
-spec resend(integer(), link()) -> {link(), [effect()]}.
resend(_From, L = #link{peer = Peer}) when not is_tuple(Peer); element(1, Peer) =:= down ->
    %% Not ready: everything is sent again when it is (peer_ready/3).
    {L, []};
resend(From, L = #link{out = O}) ->
    Again = [E || {Seq, _, _} = E <- queue:to_list(O#out.unacked), Seq >= From],
    Fresh = lists:reverse(O#out.fresh),
    O1 = O#out{unacked = queue:join(O#out.unacked, queue:from_list(Fresh)), fresh = [],
               sent = O#out.sent + length(Fresh), resent = O#out.resent + length(Again)},
    L1 = L#link{out = O1},
    {L1, transmit(Again ++ Fresh, L1)}.

%% @doc The neighbour's plc_dist (incarnation `PeerInc', process `Pid') said
%% hello or welcome: a new one gets every event not acknowledged.
-spec peer_ready(integer(), pid(), link()) -> {link(), [effect()]}.
peer_ready(PeerInc, _Pid, L = #link{peer = Peer}) when is_tuple(Peer), element(2, Peer) > PeerInc ->
    %% A late hello or welcome of an incarnation that has been replaced.
    {L, []};
peer_ready(PeerInc, Pid, L = #link{peer = {up, PeerInc, _}}) ->
    %% The same incarnation again (its retry crossed our answer).
    {L#link{peer = {up, PeerInc, Pid}}, []};
peer_ready(PeerInc, Pid, L) ->
    %% Back, or new: everything not acknowledged goes (again), and what
    %% was posted while it was away is acknowledged now.
    {L1, Sends} = resend(1, L#link{peer = {up, PeerInc, Pid}}),
    {L2, Ack} = ack(L1),
    {L2, Sends ++ Ack}.

%% @doc The neighbour's node went down, or a send found no connection.
-spec peer_down(link()) -> link().
peer_down(L = #link{peer = {up, Inc, _}}) ->
    L#link{peer = {down, Inc}};
peer_down(L) ->
    L.

%% @doc The neighbour's hello or welcome says the last number it received
%% from each of our incarnations it heard from (`{Inc, Last}' or `none'):
%% what the previous incarnation of this side numbered beyond it is lost.
-spec settle({integer(), integer()} | none, link()) -> {link(), [effect()]}.
settle(_Seen, L = #link{unsettled = none}) ->
    {L, []};
settle(Seen, L = #link{unsettled = {Inc, Seq, Acked}}) ->
    Arrived = case Seen of
                  {Inc, Last} when is_integer(Last) -> max(Acked, Last);
                  _ -> Acked
              end,
    Effects = case Seq - Arrived of
                  N when N > 0 -> [{alarm, {plc_dist_restart_lost, N}}];
                  _ -> []
              end,
    {L#link{unsettled = none}, Effects}.

%% @doc Whether losses were counted since the last report.
-spec report_due(link()) -> boolean().
report_due(#link{out = O}) ->
    total_lost(O) > O#out.reported.

%% @doc Reports the losses counted since the last report: the total so far,
%% lost at the buffer bound or undelivered by the neighbour.
-spec report(link()) -> {link(), [effect()]}.
report(L = #link{node = Node, out = O}) ->
    case total_lost(O) of
        Total when Total > O#out.reported ->
            L1 = L#link{out = O#out{reported = Total}},
            {L1, [{report_lost, Node, #{buffer => O#out.lost, undelivered => undelivered(O)}, Total},
                  persist_effect(L1)]};
        _ ->
            {L, []}
    end.

total_lost(O) ->
    O#out.lost + undelivered(O).

undelivered(#out{undelivered_base = B, undelivered_now = none}) -> B;
undelivered(#out{undelivered_base = B, undelivered_now = {_, C}}) -> B + C.

transmit(Events, #link{peer = {up, PeerInc, Pid}, me = Me, inc = Inc}) ->
    [{send, Pid, {plc_events, Me, Inc, PeerInc, First, [{K, B} || {_, K, B} <- Chunk]}}
     || [{First, _, _} | _] = Chunk <- chunks(Events)].

chunks([]) -> [];
chunks(Events) when length(Events) =< ?CHUNK -> [Events];
chunks(Events) ->
    {Chunk, Rest} = lists:split(?CHUNK, Events),
    [Chunk | chunks(Rest)].

persist_effect(#link{node = Node, inc = Inc, out = O}) ->
    {persist, Node, #{inc => Inc, seq => O#out.seq, acked => O#out.acked, lost => O#out.lost,
                      undelivered => undelivered(O), peer_count => O#out.undelivered_now}}.

%%% Incoming

%% @doc A batch of events from the neighbour's incarnation `FromInc',
%% numbered from `First'.
-spec receive_events(integer(), pos_integer(), term(), link()) -> {link(), [effect()]}.
receive_events(FromInc, _First, _Events, L = #link{peer = Peer}) when is_tuple(Peer), FromInc < element(2, Peer) ->
    %% Sent by an incarnation of the neighbour that has been replaced (its
    %% successor said hello): what it sent is settled by the successor.
    {L, []};
receive_events(FromInc, _First, _Events, L = #link{peer = Peer}) when not is_tuple(Peer); FromInc > element(2, Peer) ->
    %% From an incarnation that has not said hello or welcome (which always
    %% arrives first, on the same connection): not of this link.
    {L, [{ignored, unknown_incarnation}]};
receive_events(FromInc, First, Events, L) ->
    case proper_length(Events, 0) of
        N when is_integer(N), N =< ?MAX_BATCH ->
            take(FromInc, First, Events, L);
        _ ->
            {L, [{ignored, malformed_events}]}
    end.

proper_length([], N) -> N;
proper_length([_ | T], N) when N =< ?MAX_BATCH -> proper_length(T, N + 1);
proper_length(_, _) -> malformed.

take(FromInc, First, Events, L = #link{in = I0}) ->
    I1 = case I0#in.inc of
             FromInc ->
                 I0;
             _ ->
                 %% The sender restarted: its numbers start again. What it
                 %% sent before and still waits here goes first, outside
                 %% the numbering (its successor settles it).
                 Old = maps:map(fun(_, Q) -> queue:from_list([{0, B} || {_, B} <- queue:to_list(Q)]) end,
                                I0#in.targets),
                 I0#in{inc = FromInc, next = First, acked = First - 1, asked = 0, targets = Old, uncounted = [],
                       undelivered = I0#in.undelivered + length(I0#in.uncounted)}
         end,
    append(First, Events, L#link{in = I1}).

append(First, _Events, L = #link{in = I = #in{next = Next}}) when First > Next ->
    case I#in.asked of
        Next ->
            {L, []};
        _ ->
            {L#link{in = I#in{asked = Next}}, request(Next, L)}
    end;
append(First, Events, L = #link{in = I = #in{next = Next}}) ->
    case lists:nthtail(min(Next - First, length(Events)), Events) of
        [] ->
            %% Every one a duplicate of a resend: acknowledge again.
            ack(L#link{in = I#in{reack = true}});
        New ->
            {L#link{in = file(New, Next, I, L#link.is_local)}, []}
    end.

request(Next, #link{peer = {up, _, Pid}, me = Me, in = #in{inc = Inc}}) ->
    [{send, Pid, {plc_resend, Me, Inc, Next}}];
request(_Next, _L) ->
    [].

%% Files each event in its target's queue, numbered; one that is not for a
%% resource of this node is refused, counted as undelivered.
file([], Seq, I, _IsLocal) ->
    I#in{next = Seq};
file([{K, Bin} | Rest], Seq, I = #in{targets = T}, IsLocal)
  when is_integer(K), K >= 0, K < tuple_size(IsLocal), is_binary(Bin), element(K + 1, IsLocal) ->
    Q = maps:get(K, T, queue:new()),
    file(Rest, Seq + 1, I#in{targets = T#{K => queue:in({Seq, Bin}, Q)}, received = I#in.received + 1}, IsLocal);
file([_ | Rest], Seq, I, IsLocal) ->
    file(Rest, Seq + 1, I#in{received = I#in.received + 1, refused = I#in.refused + 1,
                             uncounted = [Seq | I#in.uncounted]}, IsLocal).

%% @doc Asks to post the run at the head of each target's queue, the
%% absent ones included (a retry finds them back, or finds them stopped
%% for good: see posted/4).
-spec deliver(link()) -> {link(), [effect()]}.
deliver(L = #link{in = I}) ->
    {L, [{post, K, run(Q)} || {K, Q} <- lists:sort(maps:to_list(I#in.targets))]}.

%% @doc How the post of the run at the head of target `K''s queue went
%% (see outcome()), at time `Now' (ms). Acknowledges nothing: ack/1 does,
%% once the round of posts is over.
-spec posted(index(), outcome(), integer(), link()) -> {link(), [effect()]}.
posted(K, Outcome, Now, L = #link{in = I}) ->
    case maps:get(K, I#in.targets, undefined) of
        undefined ->
            %% Nothing waits for it (dropped in between): nothing to settle.
            {L, []};
        Q ->
            {I1, Effects} = took(K, Outcome, Now, Q, I),
            {L#link{in = I1}, Effects}
    end.

took(K, {taken, N, Rejected}, _Now, Q, I) ->
    RunLength = min(?RUN, queue:len(Q)),
    {Taken, Rest} = out_n(min(N, RunLength), Q, []),
    RejectedSeqs = [S || {P, {S, _}} <- lists:zip(lists:seq(1, length(Taken)), Taken), lists:member(P, Rejected)],
    I1 = undeliverable(RejectedSeqs, I#in{rejected = I#in.rejected + length(RejectedSeqs),
                                          absent = maps:remove(K, I#in.absent)}),
    I2 = store(K, Rest, I1),
    Effects = [{undeliverable, K, length(RejectedSeqs), refused} || RejectedSeqs =/= []],
    case queue:is_empty(Rest) of
        true -> {I2, Effects};
        false when N < RunLength -> {I2, Effects ++ [{retry, ?FULL_RETRY_MS}]};   % its inbox is full
        false -> {I2, Effects ++ [{post, K, run(Rest)}]}
    end;
took(K, absent, Now, Q, I = #in{absent = A}) ->
    Since = maps:get(K, A, Now),
    case Now - Since >= ?HOLD_MS of
        true ->
            Seqs = [S || {S, _} <- queue:to_list(Q)],
            I1 = undeliverable(Seqs, I#in{dropped = I#in.dropped + length(Seqs), absent = A#{K => Since}}),
            {store(K, queue:new(), I1), [{undeliverable, K, length(Seqs), stopped}]};
        false ->
            {I#in{absent = A#{K => Since}}, [{retry, ?ABSENT_RETRY_MS}]}
    end.

store(K, Q, I = #in{targets = T}) ->
    case queue:is_empty(Q) of
        true -> I#in{targets = maps:remove(K, T)};
        false -> I#in{targets = T#{K => Q}}
    end.

out_n(0, Q, Acc) ->
    {lists:reverse(Acc), Q};
out_n(N, Q, Acc) ->
    case queue:out(Q) of
        {{value, E}, Q1} -> out_n(N - 1, Q1, [E | Acc]);
        {empty, Q1} -> {lists:reverse(Acc), Q1}
    end.

run(Q) ->
    {Run, _} = out_n(?RUN, Q, []),
    [B || {_, B} <- Run].

%% Events that will never be posted: counted in the next acknowledgement
%% that covers them (those of a replaced sender at once).
undeliverable(Seqs, I) ->
    {Numbered, Old} = lists:partition(fun(S) -> S > 0 end, Seqs),
    I#in{uncounted = Numbered ++ I#in.uncounted, undelivered = I#in.undelivered + length(Old)}.

%% @doc Acknowledges the longest prefix of numbers posted or counted as
%% undelivered, if it grew (or a resend asks to hear it again).
-spec ack(link()) -> {link(), [effect()]}.
ack(L = #link{in = #in{inc = undefined}}) ->
    {L, []};
ack(L = #link{peer = {up, _, Pid}, me = Me, inc = MyInc, in = I}) ->
    UpTo = prefix(I),
    case UpTo > I#in.acked orelse I#in.reack of
        true ->
            {Counted, Rest} = lists:partition(fun(S) -> S =< UpTo end, I#in.uncounted),
            U = I#in.undelivered + length(Counted),
            I1 = I#in{acked = UpTo, reack = false, uncounted = Rest, undelivered = U},
            {L#link{in = I1}, [{send, Pid, {plc_ack, Me, I#in.inc, UpTo, MyInc, U}}]};
        false ->
            {L, []}
    end;
ack(L) ->
    %% Not ready: acknowledged when it is (peer_ready/3).
    {L, []}.

prefix(#in{next = Next, targets = T}) ->
    maps:fold(fun(_, Q, Min) ->
                      case first_numbered(Q) of
                          none -> Min;
                          S -> min(Min, S - 1)
                      end
              end, Next - 1, T).

first_numbered(Q) ->
    case queue:peek(Q) of
        {value, {0, _}} -> first_numbered_in(queue:to_list(Q));
        {value, {S, _}} -> S;
        empty -> none
    end.

first_numbered_in([]) -> none;
first_numbered_in([{0, _} | Rest]) -> first_numbered_in(Rest);
first_numbered_in([{S, _} | _]) -> S.

%%% Queries

%% @doc Whether the neighbour's plc_dist has said it is ready.
-spec is_ready(link()) -> boolean().
is_ready(#link{peer = {up, _, _}}) -> true;
is_ready(#link{}) -> false.

%% @doc The last number received from the neighbour's current incarnation,
%% for the hello or welcome of this side.
-spec seen(link()) -> {integer(), non_neg_integer()} | none.
seen(#link{in = #in{inc = undefined}}) -> none;
seen(#link{in = #in{inc = Inc, next = Next}}) -> {Inc, Next - 1}.

%% @doc What a restart of this side must find of this link.
-spec persisted(link()) -> persisted().
persisted(L) ->
    {persist, _, P} = persist_effect(L),
    P.

%% @doc The link's counters (plc:system_info/1).
-spec info(link()) -> map().
info(L = #link{out = O, in = I}) ->
    #{ready => is_ready(L),
      buffered => O#out.count,
      lost => O#out.lost,
      undelivered => undelivered(O),
      sent => O#out.sent,
      resent => O#out.resent,
      received => I#in.received,
      refused => I#in.refused,
      rejected => I#in.rejected,
      dropped => I#in.dropped,
      pending => maps:fold(fun(_, Q, N) -> N + queue:len(Q) end, 0, I#in.targets)}.
