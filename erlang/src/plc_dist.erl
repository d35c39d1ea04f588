%%% @doc One system's part on this node, when the system's devices run on
%%% several Erlang nodes (IEC 61499 device = Erlang node): the link between
%%% this node's resources and those of the other nodes.
%%%
%%% Outgoing. An event connection from a local resource to a resource on
%%% another node ends in a socket of the native system, routed here
%%% (`plc_nif:system_route/3'): each event arrives as `{plc_out, Index, Bin}'
%%% (the target resource's index in the system, the event and its WITH
%%% values). Events are numbered per destination node and kept until that
%%% node acknowledges them; those that arrive together leave together, as
%%% one message `{plc_events, From, Incarnation, FirstSeq, Events}' to the
%%% destination node's plc_dist. While the destination is down (or not yet
%%% started) they wait, up to `buffer' per node, and are sent (again) when
%%% it is back; events beyond the bound are counted as lost and reported
%%% to plc_mon as `{plc_link_lost, Node, Total}', never dropped silently.
%%%
%%% Incoming. Events are posted into the target resource's inbox in the
%%% order they were sent (`plc_nif:post_raw/2'), duplicates of a resend
%%% skipped by their number; acknowledged once posted. An inbox that is full
%%% or a resource that is restarting holds the rest back, in order.
%%%
%%% Start-up, with no global barrier: this node's resources are loaded at
%%% once, but their START block fires only when every neighbour (a node
%%% hosting a resource that exchanges events with a local one) has said it
%%% has started its part (`plc_hello' / `plc_welcome'). A node that starts
%%% late or restarts says hello and joins; the others keep running.
%%%
%%% Modes:
%%% - `hidden': the nodes are hidden (started with `-hidden'); this node
%%%   connects only to its neighbours (`net_kernel:connect_node/1', then
%%%   `noconnect' sends) and accepts connections only from the system's
%%%   nodes and `allow' (`net_kernel:allow/1').
%%% - `standard': addresses come from the configuration, `{Name, Node}';
%%%   ordinary visible connections, made on first send.
%%% - `global': the 2015 design kept as a baseline: every resource and FB
%%%   instance is registered in `global', and a neighbour is found by
%%%   looking its name up there.
-module(plc_dist).
-behaviour(gen_server).

-export([start_link/1, name/1, gate/2, info/1]).
-export([init/1, handle_continue/2, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-type mode() :: global | standard | hidden.
-type config() :: #{system := binary(),             % the system's name as compiled
                    handle := plc_nif:system(),
                    mode := mode(),
                    nodes := #{binary() => node()},   % device => node
                    devices := [binary()],            % the devices run here
                    resources := [binary()],          % every resource, in the plan's order
                    device_of := #{binary() => binary()},  % resource => device
                    links := [{binary(), binary()}],  % resource pairs with event connections
                    fbs := #{binary() => [binary()]},
                    buffer := pos_integer(),
                    start_timeout := timeout(),
                    allow := [node()],
                    hash := integer()}.
-export_type([mode/0, config/0]).

-define(RETRY_MS, 250).     % hello to a neighbour not ready yet, reconnect
-define(REPORT_MS, 1000).   % losses reported at most this often
-define(DRAIN, 2048).       % plc_out messages taken per batch
-define(CHUNK, 2048).       % events per plc_events message

-record(out, {
    seq = 0 :: non_neg_integer(),         % the last number given
    unacked = queue:new() :: queue:queue({pos_integer(), non_neg_integer(), binary()}),
    fresh = [] :: [{pos_integer(), non_neg_integer(), binary()}],  % not sent yet, newest first
    count = 0 :: non_neg_integer(),       % unacked + fresh
    lost = 0 :: non_neg_integer(),
    reported = 0 :: non_neg_integer(),    % lost when last reported
    sent = 0 :: non_neg_integer()
}).

-record(in, {
    inc :: integer() | undefined,         % the sender's incarnation
    next = 1 :: pos_integer(),            % the number expected next
    pending = queue:new() :: queue:queue({pos_integer(), non_neg_integer(), binary()}),
    delivered = 0 :: non_neg_integer(),   % the last number posted
    acked = 0 :: non_neg_integer(),
    received = 0 :: non_neg_integer()
}).

-record(state, {
    config :: config(),
    name :: atom(),
    inc :: integer(),                     % this plc_dist's incarnation
    node_of :: tuple(),                   % resource index + 1 => node
    res_names :: tuple(),                 % resource index + 1 => name
    local :: [binary()],                  % this node's resources
    neighbours :: [node()],
    ready = #{} :: #{node() => integer()},  % neighbour => its incarnation
    dest = #{} :: #{node() => pid() | {atom(), node()}},
    open = false :: boolean(),
    waiting = [] :: [pid()],
    out = #{} :: #{node() => #out{}},
    in = #{} :: #{node() => #in{}},
    connecting = #{} :: #{node() => pid()},
    retry_timer = false :: boolean(),
    deliver_timer = false :: boolean(),
    report_timer = false :: boolean(),
    started_at :: integer()
}).

%%% API

-spec start_link(config()) -> {ok, pid()} | {error, term()}.
start_link(Config = #{system := System}) ->
    gen_server:start_link({local, name(System)}, ?MODULE, Config, []).

%% @doc The registered name of a system's plc_dist on every node.
-spec name(binary()) -> atom().
name(System) ->
    binary_to_atom(<<"plc_dist:", (string:uppercase(System))/binary>>, utf8).

%% @doc Called by a resource of the system once loaded: `open' (fire START
%% now) or `wait' (the resource gets `{plc_start, cold}' when every
%% neighbour has started).
-spec gate(binary(), pid()) -> open | wait.
gate(System, Pid) ->
    try gen_server:call(name(System), {gate, Pid})
    catch exit:{noproc, _} -> open
    end.

%% @doc The state of the system's links on this node.
-spec info(binary()) -> {ok, map()} | {error, not_found}.
info(System) ->
    try gen_server:call(name(System), info)
    catch exit:{noproc, _} -> {error, not_found}
    end.

%%% gen_server callbacks

-spec init(config()) -> {ok, #state{}, {continue, connect}}.
init(Config = #{system := System, handle := Handle, mode := Mode, nodes := Nodes, devices := Devices,
                resources := Resources, device_of := DeviceOf, links := Links}) ->
    process_flag(trap_exit, true),
    NodeOf = [maps:get(maps:get(R, DeviceOf), Nodes) || R <- Resources],
    NodeMap = maps:from_list(lists:zip(Resources, NodeOf)),
    Local = [R || R <- Resources, lists:member(maps:get(R, DeviceOf), Devices)],
    Me = node(),
    Neighbours = lists:usort([N || {From, To} <- Links,
                                   {A, B} <- [{From, To}, {To, From}],
                                   lists:member(A, Local),
                                   N <- [maps:get(B, NodeMap)], N =/= Me]),
    %% Events of local resources for remote ones come here.
    [ok = plc_nif:system_route(Handle, R, self()) || {R, N} <- lists:zip(Resources, NodeOf), N =/= Me],
    ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
    _ = plc_mon:nodes(),   % plc_mon watches the nodes too, from now on if this node just became alive
    %% A restarted plc_dist finds the system's resources already started.
    Open = lists:any(fun(R) -> plc_mon:lookup(R) =/= {error, not_found} end, Local),
    State = #state{config = Config, name = name(System),
                   inc = erlang:unique_integer([positive]) bxor erlang:system_time(microsecond),
                   node_of = list_to_tuple(NodeOf), res_names = list_to_tuple(Resources),
                   local = Local, neighbours = Neighbours, open = Open,
                   started_at = erlang:monotonic_time(millisecond)},
    logger:info("plc ~s on ~p (~p mode): devices ~p, neighbours ~p", [System, Me, Mode, Devices, Neighbours]),
    {ok, State, {continue, connect}}.

-spec handle_continue(connect, #state{}) -> {noreply, #state{}}.
handle_continue(connect, State = #state{config = #{mode := Mode} = Config}) ->
    case Mode of
        hidden ->
            #{nodes := Nodes, allow := Allow} = Config,
            _ = net_kernel:allow(lists:usort(maps:values(Nodes) ++ Allow) -- [node()]);
        global ->
            register_globally(State);
        standard ->
            ok
    end,
    State1 = case Config of
                 #{start_timeout := infinity} -> State;
                 #{start_timeout := T} -> erlang:send_after(T, self(), start_timeout), State
             end,
    {noreply, maybe_open(hello_all(State1))}.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call({gate, _Pid}, _From, State = #state{open = true}) ->
    {reply, open, State};
handle_call({gate, Pid}, _From, State = #state{waiting = W}) ->
    {reply, wait, State#state{waiting = [Pid | W]}};
handle_call(info, _From, State) ->
    {reply, {ok, info_map(State)}, State}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast(_Msg, State) ->
    {noreply, State}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
handle_info({plc_out, K, Bin}, State) ->
    {noreply, flush(enqueue(drain(?DRAIN, [{K, Bin}]), State))};
handle_info({plc_events, From, Inc, First, Events}, State) ->
    {noreply, deliver(receive_events(From, Inc, First, Events, State))};
handle_info({plc_ack, From, Inc, UpTo}, State = #state{inc = Inc}) ->
    {noreply, acked(From, UpTo, State)};
handle_info({plc_ack, _From, _OldInc, _UpTo}, State) ->
    {noreply, State};
handle_info({plc_hello, System, From, Inc, Hash, ReplyTo}, State) ->
    case check_peer(System, From, Hash, State) of
        true ->
            send_to(From, ReplyTo, {plc_welcome, sys(State), node(), State#state.inc, hash(State), self()}, State),
            {noreply, maybe_open(peer_ready(From, Inc, ReplyTo, State))};
        false ->
            {noreply, State}
    end;
handle_info({plc_welcome, System, From, Inc, Hash, ReplyTo}, State) ->
    case check_peer(System, From, Hash, State) of
        true -> {noreply, maybe_open(peer_ready(From, Inc, ReplyTo, State))};
        false -> {noreply, State}
    end;
handle_info({nodeup, Node, _Info}, State) ->
    case lists:member(Node, State#state.neighbours) of
        true -> {noreply, hello(Node, State)};
        false -> {noreply, State}
    end;
handle_info({nodedown, Node, _Info}, State = #state{ready = Ready}) ->
    case maps:is_key(Node, Ready) of
        true ->
            logger:notice("plc ~s: neighbour ~p is down; its events wait (up to ~b)",
                          [sys(State), Node, maps:get(buffer, State#state.config)]),
            {noreply, retry_later(State#state{ready = maps:remove(Node, Ready)})};
        false ->
            {noreply, State}
    end;
handle_info({connected, Node, Result}, State = #state{connecting = C}) ->
    State1 = State#state{connecting = maps:remove(Node, C)},
    case Result of
        true -> {noreply, hello(Node, State1)};
        _ -> {noreply, retry_later(State1)}
    end;
handle_info(retry, State) ->
    {noreply, maybe_open(hello_all(State#state{retry_timer = false}))};
handle_info(deliver, State) ->
    {noreply, deliver(State#state{deliver_timer = false})};
handle_info(report, State) ->
    {noreply, report_losses(State#state{report_timer = false})};
handle_info(start_timeout, State = #state{open = false, neighbours = Ns, ready = Ready}) ->
    Missing = [N || N <- Ns, not maps:is_key(N, Ready)],
    logger:warning("plc ~s: starting without neighbours ~p (start_timeout)", [sys(State), Missing]),
    ok = plc_mon:alarm(sys(State), {plc_start_timeout, Missing}),
    {noreply, open(State)};
handle_info(_Other, State) ->
    {noreply, State}.

-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, _State) ->
    ok.

%%% Start-up

hello_all(State = #state{neighbours = Ns, ready = Ready}) ->
    lists:foldl(fun hello/2, State, [N || N <- Ns, not maps:is_key(N, Ready)]).

%% Says hello to a neighbour, connecting first where the mode wants it.
hello(Node, State = #state{config = #{mode := hidden}, connecting = C}) ->
    case lists:member(Node, nodes(connected)) of
        true ->
            send_hello(Node, {State#state.name, Node}, State);
        false when is_map_key(Node, C) ->
            State;
        false ->
            Self = self(),
            Pid = spawn(fun() -> Self ! {connected, Node, net_kernel:connect_node(Node)} end),
            State#state{connecting = C#{Node => Pid}}
    end;
hello(Node, State = #state{config = #{mode := standard}}) ->
    send_hello(Node, {State#state.name, Node}, State);
hello(Node, State = #state{config = #{mode := global}}) ->
    %% Neighbours are found in the global registry; visible connections
    %% (global meshes them) are made by asking for one.
    case global:whereis_name({plc_dist, sys(State), Node}) of
        Pid when is_pid(Pid) ->
            send_hello(Node, Pid, State);
        undefined ->
            _ = spawn(fun() -> net_kernel:connect_node(Node) end),
            retry_later(State)
    end.

send_hello(Node, Dest, State = #state{config = #{mode := Mode}}) ->
    raw_send(Mode, Dest, {plc_hello, sys(State), node(), State#state.inc, hash(State), self()}),
    retry_later(State#state{dest = (State#state.dest)#{Node => Dest}}).

check_peer(System, From, Hash, State = #state{neighbours = Ns}) ->
    Mine = hash(State),
    case {lists:member(From, Ns), string:uppercase(System) =:= string:uppercase(sys(State)), Hash} of
        {true, true, Mine} ->
            true;
        {true, true, _} ->
            logger:error("plc ~s: ~p runs another version of the system; no events exchanged", [sys(State), From]),
            ok = plc_mon:alarm(sys(State), {plc_version_mismatch, From}),
            false;
        _ ->
            false
    end.

%% A neighbour has started its part (again): send what waits for it.
peer_ready(Node, PeerInc, ReplyTo, State = #state{ready = Ready, dest = Dest}) ->
    Known = maps:get(Node, Ready, undefined),
    D = case State#state.config of
            #{mode := global} -> ReplyTo;
            _ -> {State#state.name, Node}
        end,
    State1 = State#state{ready = Ready#{Node => PeerInc}, dest = Dest#{Node => D}},
    case Known of
        PeerInc -> State1;
        _ -> resend(Node, State1)
    end.

maybe_open(State = #state{open = true}) ->
    State;
maybe_open(State = #state{neighbours = Ns, ready = Ready}) ->
    case lists:all(fun(N) -> maps:is_key(N, Ready) end, Ns) of
        true -> open(State);
        false -> State
    end.

open(State = #state{waiting = W, started_at = T0}) ->
    logger:info("plc ~s: every neighbour is ready after ~b ms; START", [sys(State), erlang:monotonic_time(millisecond) - T0]),
    [Pid ! {plc_start, cold} || Pid <- lists:reverse(W)],
    deliver(State#state{open = true, waiting = []}).

%% Global mode: this node's plc_dist, each local resource and each FB
%% instance get a name in `global' (one process each, as global allows one
%% name per process: the FB and resource names stand for processes that
%% forward to plc_dist).
register_globally(State = #state{config = #{fbs := Fbs}, local = Local}) ->
    S = sys(State),
    yes = global:register_name({plc_dist, S, node()}, self()),
    Names = lists:append([[{plc_resource, S, R} | [{plc_fb, S, R, Fb} || Fb <- maps:get(R, Fbs, [])]] || R <- Local]),
    Self = self(),
    lists:foreach(fun(Name) ->
                          Stand = spawn_link(fun() -> stand_in(Self) end),
                          yes = global:register_name(Name, Stand)
                  end, Names).

stand_in(Dist) ->
    receive Msg -> Dist ! Msg end,
    stand_in(Dist).

%%% Outgoing

%% Numbers the events per destination node, in the order they came; those
%% beyond the bound are counted as lost.
enqueue(Events, State = #state{node_of = NodeOf, out = Out, config = #{buffer := Max}}) ->
    ByNode = lists:foldl(fun({K, Bin}, Acc) when is_integer(K), K >= 0, K < tuple_size(NodeOf) ->
                                 Node = element(K + 1, NodeOf),
                                 Acc#{Node => [{K, Bin} | maps:get(Node, Acc, [])]};
                            (_, Acc) ->
                                 Acc
                         end, #{}, Events),
    Out1 = maps:fold(fun(Node, Rev, Acc) ->
                             O = maps:get(Node, Acc, #out{}),
                             Acc#{Node => number(lists:reverse(Rev), O, Max)}
                     end, Out, ByNode),
    State#state{out = Out1}.

number([], O, _Max) ->
    O;
number([_ | Rest], O = #out{count = C}, Max) when C >= Max ->
    number(Rest, O#out{lost = O#out.lost + 1}, Max);
number([{K, Bin} | Rest], O = #out{seq = S, count = C, fresh = F}, Max) ->
    number(Rest, O#out{seq = S + 1, count = C + 1, fresh = [{S + 1, K, Bin} | F]}, Max).

%% The plc_out messages waiting in the mailbox, oldest first.
drain(0, Acc) ->
    lists:reverse(Acc);
drain(N, Acc) ->
    receive
        {plc_out, K, Bin} -> drain(N - 1, [{K, Bin} | Acc])
    after 0 ->
        lists:reverse(Acc)
    end.

%% Sends the fresh events of every ready destination.
flush(State = #state{out = Out, ready = Ready}) ->
    Out1 = maps:map(fun(Node, O = #out{fresh = [_ | _] = Fresh}) when is_map_key(Node, Ready) ->
                            Events = lists:reverse(Fresh),
                            transmit(Node, Events, State),
                            O#out{fresh = [], unacked = queue:join(O#out.unacked, queue:from_list(Events)),
                                  sent = O#out.sent + length(Events)};
                       (_Node, O) ->
                            O
                    end, Out),
    report_soon(State#state{out = Out1}).

%% Sends everything not acknowledged (a neighbour came back, or restarted).
resend(Node, State = #state{out = Out}) ->
    case maps:get(Node, Out, undefined) of
        undefined ->
            State;
        O ->
            Events = queue:to_list(O#out.unacked) ++ lists:reverse(O#out.fresh),
            transmit(Node, Events, State),
            Sent = O#out.sent + length(O#out.fresh),
            State#state{out = Out#{Node => O#out{unacked = queue:from_list(Events), fresh = [], sent = Sent}}}
    end.

transmit(_Node, [], _State) ->
    ok;
transmit(Node, Events = [{First, _, _} | _], State) ->
    {Chunk, Rest} = split(?CHUNK, Events),
    send_to(Node, undefined, {plc_events, node(), State#state.inc, First, [{K, B} || {_, K, B} <- Chunk]}, State),
    transmit(Node, Rest, State).

send_to(Node, ReplyTo, Msg, State = #state{dest = Dest, config = #{mode := Mode}}) ->
    To = case maps:get(Node, Dest, undefined) of
             undefined when is_pid(ReplyTo), Mode =:= global -> ReplyTo;
             undefined -> {State#state.name, Node};
             D -> D
         end,
    raw_send(Mode, To, Msg).

%% Hidden mode never connects as a side effect of a send: the connections
%% are exactly those hello/2 made.
raw_send(hidden, To, Msg) ->
    _ = erlang:send(To, Msg, [noconnect]),
    ok;
raw_send(_Mode, To, Msg) ->
    _ = erlang:send(To, Msg),
    ok.

acked(From, UpTo, State = #state{out = Out}) ->
    case maps:get(From, Out, undefined) of
        undefined ->
            State;
        O ->
            Q = drop_acked(O#out.unacked, UpTo),
            Dropped = queue:len(O#out.unacked) - queue:len(Q),
            State#state{out = Out#{From => O#out{unacked = Q, count = O#out.count - Dropped}}}
    end.

drop_acked(Q, UpTo) ->
    case queue:peek(Q) of
        {value, {Seq, _, _}} when Seq =< UpTo -> drop_acked(queue:drop(Q), UpTo);
        _ -> Q
    end.

%%% Incoming

receive_events(From, Inc, First, Events, State = #state{in = In, neighbours = Ns}) ->
    case lists:member(From, Ns) of
        false ->
            State;
        true ->
            I0 = maps:get(From, In, #in{}),
            I1 = case I0#in.inc of
                     Inc -> I0;
                     _ -> #in{inc = Inc, next = First, delivered = First - 1, acked = First - 1,
                              received = I0#in.received}   % the sender restarted
                 end,
            I2 = append(First, Events, I1),
            State#state{in = In#{From => I2}}
    end.

append(_Seq, [], I) ->
    I;
append(Seq, [_ | Rest], I = #in{next = Next}) when Seq < Next ->
    append(Seq + 1, Rest, I);   % a duplicate of a resend
append(Seq, Events, I = #in{pending = P, received = R}) ->
    {Tagged, Next} = tag(Events, Seq, []),
    I#in{pending = queue:join(P, queue:from_list(Tagged)), next = Next, received = R + (Next - Seq)}.

tag([], Seq, Acc) -> {lists:reverse(Acc), Seq};
tag([{K, Bin} | Rest], Seq, Acc) -> tag(Rest, Seq + 1, [{Seq, K, Bin} | Acc]).

%% Posts what waits, per sender, in order; acknowledges what was posted.
deliver(State = #state{open = false}) ->
    State;
deliver(State = #state{in = In}) ->
    {In1, Blocked} = maps:fold(fun(From, I, {Acc, B}) ->
                                       {I1, B1} = post_pending(I, State),
                                       I2 = ack(From, I1, State),
                                       {Acc#{From => I2}, blocked(B, B1)}
                               end, {#{}, none}, In),
    State1 = State#state{in = In1},
    case Blocked of
        full -> deliver_later(2, State1);       % the resource drains its inbox
        absent -> deliver_later(50, State1);    % the resource is restarting
        none -> State1
    end.

%% What holds delivery back: a full inbox (retry soon) before a missing resource.
blocked(full, _) -> full;
blocked(_, full) -> full;
blocked(absent, _) -> absent;
blocked(_, absent) -> absent;
blocked(none, none) -> none.

post_pending(I = #in{pending = P}, State) ->
    case queue:peek(P) of
        empty ->
            {I, none};
        {value, {_, K, _}} ->
            {Run, Rest} = take_run(K, P, []),
            Name = element(K + 1, State#state.res_names),
            case plc_mon:lookup(Name) of
                {ok, _, _, H} ->
                    Bins = [B || {_, _, B} <- Run],
                    Accepted = try plc_nif:post_raw(H, Bins)
                               catch error:{badarg, Why} ->
                                       logger:error("plc ~s: refused events for ~s: ~s", [sys(State), Name, Why]),
                                       length(Bins)
                               end,
                    {Posted, Left} = lists:split(Accepted, Run),
                    Delivered = case Posted of
                                    [] -> I#in.delivered;
                                    _ -> element(1, lists:last(Posted))
                                end,
                    I1 = I#in{pending = queue:join(queue:from_list(Left), Rest), delivered = Delivered},
                    case Left of
                        [] -> post_pending(I1, State);
                        _ -> {I1, full}
                    end;
                {error, not_found} ->
                    {I, absent}
            end
    end.

%% The events at the head of the queue for the same resource (≤ 4096).
take_run(K, Q, Acc) ->
    take_run(K, Q, Acc, 4096).

take_run(_K, Q, Acc, 0) ->
    {lists:reverse(Acc), Q};
take_run(K, Q, Acc, N) ->
    case queue:peek(Q) of
        {value, {_, K, _} = E} -> take_run(K, queue:drop(Q), [E | Acc], N - 1);
        _ -> {lists:reverse(Acc), Q}
    end.

ack(_From, I = #in{delivered = D, acked = D}, _State) ->
    I;
ack(From, I = #in{delivered = D, inc = Inc}, State) ->
    send_to(From, undefined, {plc_ack, node(), Inc, D}, State),
    I#in{acked = D}.

%%% Timers and reports

retry_later(State = #state{retry_timer = true}) ->
    State;
retry_later(State) ->
    erlang:send_after(?RETRY_MS, self(), retry),
    State#state{retry_timer = true}.

deliver_later(_Ms, State = #state{deliver_timer = true}) ->
    State;
deliver_later(Ms, State) ->
    erlang:send_after(Ms, self(), deliver),
    State#state{deliver_timer = true}.

report_soon(State = #state{report_timer = true}) ->
    State;
report_soon(State = #state{out = Out}) ->
    case lists:any(fun(#out{lost = L, reported = R}) -> L > R end, maps:values(Out)) of
        true ->
            erlang:send_after(?REPORT_MS, self(), report),
            report_losses(State#state{report_timer = true});
        false ->
            State
    end.

report_losses(State = #state{out = Out}) ->
    Out1 = maps:map(fun(Node, O = #out{lost = L, reported = R}) when L > R ->
                            logger:warning("plc ~s: ~b events for ~p lost (its buffer of ~b was full)",
                                           [sys(State), L - R, Node, maps:get(buffer, State#state.config)]),
                            ok = plc_mon:alarm(sys(State), {plc_link_lost, Node, L}),
                            O#out{reported = L};
                       (_, O) ->
                            O
                    end, Out),
    State#state{out = Out1}.

info_map(State = #state{config = C, neighbours = Ns, ready = Ready, out = Out, in = In}) ->
    Connected = nodes(connected),
    Peers = maps:from_list(
              [{N, #{up => lists:member(N, Connected),
                     ready => maps:is_key(N, Ready),
                     buffered => O#out.count,
                     lost => O#out.lost,
                     sent => O#out.sent,
                     received => I#in.received,
                     pending => queue:len(I#in.pending)}}
               || N <- Ns, O <- [maps:get(N, Out, #out{})], I <- [maps:get(N, In, #in{})]]),
    #{system => sys(State), mode => maps:get(mode, C), node => node(), devices => maps:get(devices, C),
      resources => State#state.local, started => State#state.open, neighbours => Ns, peers => Peers}.

%%% Helpers

sys(#state{config = #{system := S}}) -> S.
hash(#state{config = #{hash := H}}) -> H.

split(N, List) when length(List) =< N -> {List, []};
split(N, List) -> lists:split(N, List).
