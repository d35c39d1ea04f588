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

-export([start_link/1, name/1, gate/1, open_local/1, close_local/1, info/1]).
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
-define(MAILBOX, 65536).    % plc_out messages not yet taken, beyond the buffer
-define(TABLE, plc_dist_state).  % owned by plc_mon: what outlives a restart of this process

-type event() :: {pos_integer(), integer(), binary()}.   % {Seq, ResourceIndex (-1: refused), Bin}

-record(out, {
    seq = 0 :: non_neg_integer(),         % the last number given
    acked = 0 :: non_neg_integer(),       % the last number acknowledged
    unacked = queue:new() :: queue:queue(event()),
    fresh = [] :: [event()],              % not sent yet, newest first
    count = 0 :: non_neg_integer(),       % unacked + fresh
    lost = 0 :: non_neg_integer(),
    reported = 0 :: non_neg_integer(),    % lost when last reported
    sent = 0 :: non_neg_integer()
}).

-record(in, {
    inc :: integer() | undefined,         % the sender's incarnation
    next = 1 :: pos_integer(),            % the number expected next
    pending = queue:new() :: queue:queue(event()),
    delivered = 0 :: non_neg_integer(),   % the last number posted
    acked = 0 :: integer(),               % -1: acknowledge again
    asked = 0 :: non_neg_integer(),       % the number a resend was asked from
    received = 0 :: non_neg_integer(),
    refused = 0 :: non_neg_integer()      % not events of a resource of this node
}).

-record(state, {
    config :: config(),
    name :: atom(),
    inc :: integer(),                     % this plc_dist's incarnation
    node_of :: tuple(),                   % resource index + 1 => node
    res_names :: tuple(),                 % resource index + 1 => name
    is_local :: tuple(),                  % resource index + 1 => runs here
    local :: [binary()],                  % this node's resources
    neighbours :: [node()],
    ready = #{} :: #{node() => integer()},  % neighbour => its plc_dist's incarnation
    dest = #{} :: #{node() => pid()},     % neighbour => its plc_dist (from its hello or welcome)
    open = false :: boolean(),
    out = #{} :: #{node() => #out{}},
    in = #{} :: #{node() => #in{}},
    connecting = #{} :: #{node() => pid()},
    mismatched = [] :: [{node(), integer()}],
    %% After a restart: per node, what the previous plc_dist had numbered
    %% ({ItsIncarnation, LastSeq}); the neighbour's hello or welcome says how
    %% much of it arrived, the rest is reported lost.
    unsettled = #{} :: #{node() => {integer(), non_neg_integer()}},
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

%% @doc Called by a resource once loaded, with its `gate' option: `open'
%% (fire START now) or `wait' (`{plc_start, cold}' comes later; a second one
%% is ignored). A system spread over nodes opens when every neighbour has
%% started its part; a system on one node (`{local, System}') when all its
%% resources are loaded (open_local/1).
-spec gate(binary() | {local, binary()}) -> open | wait.
gate({local, _} = Gate) ->
    case ets:member(?TABLE, {gate, Gate}) of
        true -> open;
        false -> wait
    end;
gate(System) ->
    try gen_server:call(name(System), gate, infinity)
    catch exit:{noproc, _} -> open
    end.

%% @doc A system about to be started on one node: its resources wait.
-spec close_local(binary()) -> ok.
close_local(System) ->
    true = ets:delete(?TABLE, {gate, {local, System}}),
    ok.

%% @doc Every resource of a system on one node is loaded: those restarted
%% from now on start at once (the caller sends START to the others).
-spec open_local(binary()) -> ok.
open_local(System) ->
    true = ets:insert(?TABLE, {{gate, {local, System}}, true}),
    ok.

%% @doc The state of the system's links on this node.
-spec info(binary()) -> {ok, map()} | {error, not_found}.
info(System) ->
    try gen_server:call(name(System), info)
    catch exit:{noproc, _} -> {error, not_found}
    end.

%%% gen_server callbacks

-spec init(config()) -> {ok, #state{}, {continue, connect}}.
init(Config = #{system := System, handle := Handle, mode := Mode, nodes := Nodes, devices := Devices,
                resources := Resources, device_of := DeviceOf, links := Links, buffer := Buffer}) ->
    process_flag(trap_exit, true),
    NodeOf = [maps:get(maps:get(R, DeviceOf), Nodes) || R <- Resources],
    NodeMap = maps:from_list(lists:zip(Resources, NodeOf)),
    Local = [R || R <- Resources, lists:member(maps:get(R, DeviceOf), Devices)],
    Me = node(),
    Neighbours = lists:usort([N || {From, To} <- Links,
                                   {A, B} <- [{From, To}, {To, From}],
                                   lists:member(A, Local),
                                   N <- [maps:get(B, NodeMap)], N =/= Me]),
    %% Events of local resources for remote ones come here; what a previous
    %% plc_dist of this system held or had not taken yet is lost with it.
    Remote = [R || {R, N} <- lists:zip(Resources, NodeOf), N =/= Me],
    %% The mailbox bound: a burst beyond what this process can take is
    %% refused at the sending resource (counted there as dropped, with its
    %% overflow alarm) rather than growing the mailbox without end.
    InFlight = plc_nif:system_route(Handle, Remote, self(), Buffer + ?MAILBOX),
    ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
    _ = plc_mon:nodes(),   % plc_mon watches the nodes too, from now on if this node just became alive
    Open = ets:member(?TABLE, {gate, System}),
    {Out, Unsettled} = restart_losses(System, InFlight),
    State = #state{config = Config, name = name(System),
                   %% Grows with each restart: a message from an older one is stale.
                   inc = erlang:system_time(microsecond) * 1000 + erlang:unique_integer([positive]) rem 1000,
                   node_of = list_to_tuple(NodeOf), res_names = list_to_tuple(Resources),
                   is_local = list_to_tuple([lists:member(R, Local) || R <- Resources]),
                   local = Local, neighbours = Neighbours, open = Open, out = Out, unsettled = Unsettled,
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
    {noreply, report_soon(maybe_open(hello_all(State1)))}.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call(gate, _From, State = #state{open = true}) ->
    {reply, open, State};
handle_call(gate, _From, State) ->
    {reply, wait, State};
handle_call(info, _From, State) ->
    {reply, {ok, info_map(State)}, State};
handle_call(_Other, _From, State) ->
    {reply, {error, unknown_call}, State}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast(_Msg, State) ->
    {noreply, State}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
handle_info({plc_out, K, Bin}, State = #state{config = #{handle := H}}) ->
    Events = drain(?DRAIN, [{K, Bin}]),
    State1 = enqueue(Events, State),
    %% Credit only once they are numbered and persisted: a crash in between
    %% counts them twice (reported lost, maybe delivered), never not at all.
    ok = plc_nif:system_credit(H, length(Events)),
    {noreply, flush(State1)};
handle_info({plc_events, From, FromInc, ToInc, First, Events}, State = #state{inc = ToInc})
  when is_atom(From), is_integer(FromInc), is_integer(First), First >= 1, is_list(Events) ->
    {noreply, deliver(receive_events(From, FromInc, First, Events, State))};
handle_info({plc_ack, From, Inc, UpTo}, State = #state{inc = Inc}) when is_integer(UpTo) ->
    {noreply, acked(From, UpTo, State)};
handle_info({plc_resend, From, Inc, FromSeq}, State = #state{inc = Inc, ready = Ready})
  when is_integer(FromSeq), is_map_key(From, Ready) ->
    {noreply, resend(From, FromSeq, State)};
handle_info({plc_hello, System, From, Inc, Hash, ReplyTo, Seen}, State) when is_pid(ReplyTo) ->
    case check_peer(System, From, Inc, Hash, State) of
        {true, State1} ->
            _ = send_noconnect(ReplyTo, {plc_welcome, sys(State), node(), State#state.inc, hash(State), self(),
                                                seen(From, State)}),
            {noreply, maybe_open(peer_ready(From, Inc, ReplyTo, settle(From, Seen, State1)))};
        {false, State1} ->
            {noreply, State1}
    end;
handle_info({plc_welcome, System, From, Inc, Hash, ReplyTo, Seen}, State) when is_pid(ReplyTo) ->
    case check_peer(System, From, Inc, Hash, State) of
        {true, State1} -> {noreply, maybe_open(peer_ready(From, Inc, ReplyTo, settle(From, Seen, State1)))};
        {false, State1} -> {noreply, State1}
    end;
handle_info({nodeup, Node, _Info}, State) ->
    case lists:member(Node, State#state.neighbours) of
        true -> {noreply, hello(Node, State)};
        false -> {noreply, State}
    end;
handle_info({nodedown, Node, _Info}, State) ->
    {noreply, not_ready(Node, State)};
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
terminate(normal, #state{config = #{system := S}}) ->
    forget(S);
terminate(shutdown, #state{config = #{system := S}}) ->
    forget(S);
terminate(_Crash, _State) ->
    ok.

%% Stopped on purpose (stop_system): nothing to carry over to a next start.
forget(System) ->
    ets:match_delete(?TABLE, {{gate, System}, '_'}),
    ets:match_delete(?TABLE, {{out, System, '_'}, '_', '_', '_', '_'}),
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

%% A hello may make the connection (standard and global modes); every
%% later message goes to the pid that answered, without connecting.
send_hello(Node, Dest, State = #state{config = #{mode := Mode}}) ->
    Msg = {plc_hello, sys(State), node(), State#state.inc, hash(State), self(), seen(Node, State)},
    _ = case Mode of
            hidden -> erlang:send(Dest, Msg, [noconnect]);
            _ -> erlang:send(Dest, Msg)
        end,
    retry_later(State).

check_peer(System, From, Inc, Hash, State = #state{neighbours = Ns, mismatched = Seen}) when is_binary(System) ->
    Mine = hash(State),
    case {lists:member(From, Ns), string:uppercase(System) =:= string:uppercase(sys(State)), Hash} of
        {true, true, Mine} ->
            {true, State};
        {true, true, _} ->
            case lists:member({From, Inc}, Seen) of
                true ->
                    {false, State};
                false ->
                    logger:error("plc ~s: ~p runs another version of the system (or another device-to-node "
                                 "map); no events exchanged", [sys(State), From]),
                    ok = plc_mon:alarm(sys(State), {plc_version_mismatch, From}),
                    {false, State#state{mismatched = [{From, Inc} | Seen]}}
            end;
        _ ->
            {false, State}
    end;
check_peer(_System, _From, _Inc, _Hash, State) ->
    {false, State}.

%% A neighbour has started its part (again): send what waits for it.
peer_ready(Node, PeerInc, _Pid, State = #state{ready = Ready}) when is_map_key(Node, Ready),
                                                                    map_get(Node, Ready) > PeerInc ->
    State;   % a late hello or welcome of an incarnation that has been replaced
peer_ready(Node, PeerInc, Pid, State = #state{ready = Ready, dest = Dest}) ->
    Known = maps:get(Node, Ready, undefined),
    State1 = State#state{ready = Ready#{Node => PeerInc}, dest = Dest#{Node => Pid}},
    case Known of
        PeerInc -> State1;
        _ -> resend(Node, 1, State1)
    end.

not_ready(Node, State = #state{ready = Ready}) ->
    case maps:is_key(Node, Ready) of
        true ->
            logger:notice("plc ~s: neighbour ~p is down; its events wait (up to ~b)",
                          [sys(State), Node, maps:get(buffer, State#state.config)]),
            retry_later(State#state{ready = maps:remove(Node, Ready)});
        false ->
            State
    end.

maybe_open(State = #state{open = true}) ->
    State;
maybe_open(State = #state{neighbours = Ns, ready = Ready}) ->
    case lists:all(fun(N) -> maps:is_key(N, Ready) end, Ns) of
        true -> open(State);
        false -> State
    end.

%% START for every local resource (each fires it once, however often told).
open(State = #state{local = Local, started_at = T0}) ->
    logger:info("plc ~s: every neighbour is ready after ~b ms; START", [sys(State), erlang:monotonic_time(millisecond) - T0]),
    ets:insert(?TABLE, {{gate, sys(State)}, erlang:system_time(millisecond)}),
    [Pid ! {plc_start, cold} || R <- Local, {ok, _, Pid, _} <- [plc_mon:lookup(R)]],
    deliver(State#state{open = true}).

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
                             O = number(lists:reverse(Rev), maps:get(Node, Acc, #out{}), Max),
                             persist(State, Node, O),
                             Acc#{Node => O}
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
    {Out1, Gone} = maps:fold(
                     fun(Node, O = #out{fresh = [_ | _] = Fresh}, {Acc, G}) when is_map_key(Node, Ready) ->
                             Events = lists:reverse(Fresh),
                             O1 = O#out{fresh = [], unacked = queue:join(O#out.unacked, queue:from_list(Events)),
                                        sent = O#out.sent + length(Events)},
                             case transmit(Node, Events, State) of
                                 ok -> {Acc#{Node => O1}, G};
                                 noconnect -> {Acc#{Node => O1}, [Node | G]}
                             end;
                        (Node, O, {Acc, G}) ->
                             {Acc#{Node => O}, G}
                     end, {#{}, []}, Out),
    report_soon(lists:foldl(fun not_ready/2, State#state{out = Out1}, Gone)).

%% Sends again every event not acknowledged from number `From' on (a
%% neighbour came back or restarted, or its receiver found a gap), then the
%% fresh ones.
resend(Node, From, State = #state{out = Out}) ->
    case maps:get(Node, Out, undefined) of
        undefined ->
            State;
        O ->
            Again = [E || {Seq, _, _} = E <- queue:to_list(O#out.unacked), Seq >= From],
            Fresh = lists:reverse(O#out.fresh),
            O1 = O#out{unacked = queue:join(O#out.unacked, queue:from_list(Fresh)), fresh = [],
                       sent = O#out.sent + length(Fresh)},
            State1 = State#state{out = Out#{Node => O1}},
            case transmit(Node, Again ++ Fresh, State1) of
                ok -> State1;
                noconnect -> not_ready(Node, State1)
            end
    end.

transmit(_Node, [], _State) ->
    ok;
transmit(Node, Events = [{First, _, _} | _], State = #state{ready = Ready}) ->
    {Chunk, Rest} = split(?CHUNK, Events),
    Msg = {plc_events, node(), State#state.inc, maps:get(Node, Ready), First, [{K, B} || {_, K, B} <- Chunk]},
    case send_to(Node, Msg, State) of
        ok -> transmit(Node, Rest, State);
        noconnect -> noconnect
    end.

%% Messages after the hello go to the neighbour's plc_dist pid, never
%% making a connection: a lost connection shows as noconnect here.
send_to(Node, Msg, #state{dest = Dest}) ->
    case Dest of
        #{Node := Pid} -> send_noconnect(Pid, Msg);
        _ -> noconnect
    end.

send_noconnect(Pid, Msg) ->
    case erlang:send(Pid, Msg, [noconnect]) of
        noconnect -> noconnect;
        _ -> ok
    end.

acked(From, UpTo, State = #state{out = Out}) ->
    case maps:get(From, Out, undefined) of
        undefined ->
            State;
        O ->
            Q = drop_acked(O#out.unacked, UpTo),
            Dropped = queue:len(O#out.unacked) - queue:len(Q),
            O1 = O#out{unacked = Q, count = O#out.count - Dropped, acked = max(O#out.acked, UpTo)},
            persist(State, From, O1),
            State#state{out = Out#{From => O1}}
    end.

drop_acked(Q, UpTo) ->
    case queue:peek(Q) of
        {value, {Seq, _, _}} when Seq =< UpTo -> drop_acked(queue:drop(Q), UpTo);
        _ -> Q
    end.

%% What a restart of this process would leave unsettled: numbered events.
persist(State = #state{inc = Inc}, Node, #out{seq = Seq, acked = Acked, lost = Lost}) ->
    ets:insert(?TABLE, {{out, sys(State), Node}, Inc, Seq, Acked, Lost}).

%% At start: what the previous plc_dist of this system had not taken from
%% its mailbox is lost (reported now); what it had numbered for a node is
%% settled when that node says how much of it arrived (settle/3).
restart_losses(System, InFlight) ->
    Held = [{Node, Inc, Seq, Acked, Lost}
            || {{out, S, Node}, Inc, Seq, Acked, Lost} <- ets:tab2list(?TABLE), S =:= System],
    [ets:delete(?TABLE, {out, System, Node}) || {Node, _, _, _, _} <- Held],
    report_restart_loss(System, InFlight),
    {maps:from_list([{Node, #out{lost = Lost, reported = Lost}} || {Node, _, _, _, Lost} <- Held]),
     maps:from_list([{Node, {Inc, Seq, Acked}} || {Node, Inc, Seq, Acked, _} <- Held, Seq > Acked])}.

report_restart_loss(_System, 0) ->
    ok;
report_restart_loss(System, N) ->
    logger:error("plc ~s: plc_dist restarted; ~b events it held for other nodes were lost", [System, N]),
    ok = plc_mon:alarm(System, {plc_dist_restart_lost, N}).

%% A neighbour's hello or welcome says the last number it received from
%% each of our incarnations it heard from: what our previous incarnation
%% numbered beyond it is lost.
settle(Node, Seen, State = #state{unsettled = U}) ->
    case maps:take(Node, U) of
        error ->
            State;
        {{Inc, Seq, Acked}, U1} ->
            Arrived = case Seen of
                          {Inc, Last} when is_integer(Last) -> max(Acked, Last);
                          _ -> Acked
                      end,
            report_restart_loss(sys(State), max(0, Seq - Arrived)),
            State#state{unsettled = U1}
    end.

%% The last number this node received from `Node''s current incarnation.
seen(Node, #state{in = In}) ->
    case In of
        #{Node := #in{inc = Inc, next = Next}} when Inc =/= undefined -> {Inc, Next - 1};
        _ -> none
    end.

%%% Incoming

receive_events(From, FromInc, First, Events, State = #state{in = In, neighbours = Ns}) ->
    case lists:member(From, Ns) of
        false ->
            State;
        true ->
            I0 = maps:get(From, In, #in{}),
            I1 = case I0#in.inc of
                     FromInc ->
                         I0;
                     _ ->
                         %% The sender restarted: its numbers start again. What
                         %% it sent before and is still pending here goes first.
                         I0#in{inc = FromInc, next = First, delivered = First - 1, acked = First - 1, asked = 0,
                               pending = queue:from_list([{0, K, B} || {_, K, B} <- queue:to_list(I0#in.pending)])}
                 end,
            State#state{in = In#{From => append(From, First, Events, I1, State)}}
    end.

%% Appends a batch numbered from First: a gap (a batch lost with a
%% connection) asks for a resend and takes nothing; duplicates of a resend
%% are skipped and acknowledged again.
append(From, First, _Events, I = #in{next = Next}, State) when First > Next ->
    case I#in.asked of
        Next -> I;
        _ ->
            _ = send_to(From, {plc_resend, node(), I#in.inc, Next}, State),
            I#in{asked = Next}
    end;
append(_From, First, Events, I = #in{next = Next}, State) ->
    New = lists:nthtail(min(Next - First, length(Events)), Events),
    I1 = case New of
             [] -> I#in{acked = -1};   % all duplicates: acknowledge again
             _ -> I
         end,
    {Tagged, Next1, Refused} = tag(New, Next, State, [], 0),
    I1#in{pending = queue:join(I1#in.pending, queue:from_list(Tagged)), next = Next1,
          received = I1#in.received + length(New), refused = I1#in.refused + Refused}.

%% Numbers the events; one that is not for a resource of this node is
%% marked refused (-1): counted, never posted.
tag([], Seq, _State, Acc, Refused) ->
    {lists:reverse(Acc), Seq, Refused};
tag([{K, Bin} | Rest], Seq, State, Acc, Refused) when is_integer(K), K >= 0, K < tuple_size(State#state.is_local),
                                                     is_binary(Bin) ->
    case element(K + 1, State#state.is_local) of
        true -> tag(Rest, Seq + 1, State, [{Seq, K, Bin} | Acc], Refused);
        false -> tag(Rest, Seq + 1, State, [{Seq, -1, <<>>} | Acc], Refused + 1)
    end;
tag([_ | Rest], Seq, State, Acc, Refused) ->
    tag(Rest, Seq + 1, State, [{Seq, -1, <<>>} | Acc], Refused + 1).

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
        {value, {Seq, -1, _}} ->
            post_pending(I#in{pending = queue:drop(P), delivered = max(I#in.delivered, Seq)}, State);
        {value, {_, K, _}} ->
            {Run, Rest} = take_run(K, P, []),
            Name = element(K + 1, State#state.res_names),
            case post(Name, [B || {_, _, B} <- Run], State) of
                absent ->
                    {I, absent};
                Accepted ->
                    {Posted, Left} = lists:split(Accepted, Run),
                    Delivered = lists:foldl(fun({Seq, _, _}, D) -> max(D, Seq) end, I#in.delivered, Posted),
                    I1 = I#in{pending = queue:join(queue:from_list(Left), Rest), delivered = Delivered},
                    case Left of
                        [] -> post_pending(I1, State);
                        _ -> {I1, full}
                    end
            end
    end.

%% Posts into the resource's inbox: how many it took (in order), or absent
%% while it is restarting. A binary the resource refuses (another version
%% of a type) is dropped alone, with an error.
post(Name, Bins, State) ->
    case plc_mon:lookup(Name) of
        {ok, _, _, H} ->
            try plc_nif:post_raw(H, Bins) of
                {error, stopped} -> absent;
                Accepted -> Accepted
            catch
                error:{badarg, _} -> post_one_by_one(H, Name, Bins, 0, State)
            end;
        {error, not_found} ->
            absent
    end.

post_one_by_one(_H, _Name, [], N, _State) ->
    N;
post_one_by_one(H, Name, [B | Rest], N, State) ->
    try plc_nif:post_raw(H, [B]) of
        1 -> post_one_by_one(H, Name, Rest, N + 1, State);
        0 -> N;
        {error, stopped} when N =:= 0 -> absent;
        {error, stopped} -> N
    catch
        error:{badarg, Why} ->
            logger:error("plc ~s: refused an event for ~s: ~s", [sys(State), Name, Why]),
            post_one_by_one(H, Name, Rest, N + 1, State)
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
    _ = send_to(From, {plc_ack, node(), Inc, D}, State),
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
                            persist(State, Node, O),
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
                     refused => I#in.refused,
                     pending => queue:len(I#in.pending)}}
               || N <- Ns, O <- [maps:get(N, Out, #out{})], I <- [maps:get(N, In, #in{})]]),
    #{system => sys(State), mode => maps:get(mode, C), node => node(), devices => maps:get(devices, C),
      resources => State#state.local, started => State#state.open, neighbours => Ns, peers => Peers,
      started_at => case ets:lookup(?TABLE, {gate, sys(State)}) of
                        [{_, At}] when is_integer(At) -> At;   % when START fired, system time in ms
                        _ -> undefined
                    end}.

%%% Helpers

sys(#state{config = #{system := S}}) -> S.
hash(#state{config = #{hash := H}}) -> H.

split(N, List) when length(List) =< N -> {List, []};
split(N, List) -> lists:split(N, List).
