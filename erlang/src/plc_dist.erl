%%% @doc One system's part on this node, when the system's devices run on
%%% several Erlang nodes (IEC 61499 device = Erlang node): the process that
%%% runs the links between this node's resources and those of the other
%%% nodes. The protocol of each link (numbering, acknowledgement, resend,
%%% gap, duplicate, restart settlement, the loss bound) is the pure module
%%% plc_link; this process feeds it the messages, the outcomes of posts and
%%% the time, and runs the effects it returns (sends, posts, ETS writes,
%%% alarms, timers), plus the hello/welcome handshake.
%%%
%%% Outgoing. An event connection from a local resource to a resource on
%%% another node ends in a socket of the native system, routed here
%%% (`plc_nif:system_route/4'): each event arrives as `{plc_out, Index, Bin}'
%%% (the target resource's index in the system, the event and its WITH
%%% values). Each leaves naming its target resource (the other node may hold
%%% another part of the system, where the index differs: `version' in
%%% plc:start_system/2). plc_link numbers them per destination node and keeps them until
%%% that node acknowledges them; those that arrive together leave together,
%%% as `{plc_events, From, Incarnation, ItsIncarnation, FirstSeq, Events}' to
%%% the destination node's plc_dist. While the destination is down (or not
%%% yet started) they wait, up to `buffer' per node, and are sent (again)
%%% when it is back; events beyond the bound are counted as lost. The
%%% destination's acknowledgements carry its count of the events it could
%%% not deliver; this side keeps that count too (in plc_mon's ETS table, so
%%% it outlives this process), so the losses stay reported when the
%%% destination's node dies. Both are reported to plc_mon as
%%% `{plc_link_lost, Node, Total}', never dropped silently.
%%%
%%% Incoming. Events are posted into the target resource's inbox in the
%%% order they were sent (`plc_nif:post_raw/2'), one queue per target
%%% resource, duplicates of a resend skipped by their number; acknowledged
%%% once posted. A full inbox or a restarting resource holds back its own
%%% events only; a resource absent for 5 s is taken as stopped for good and
%%% its events are counted as undelivered.
%%%
%%% Start-up, with no global barrier: this node's resources are loaded at
%%% once, but their START block fires only when every neighbour (a node
%%% hosting a resource that exchanges events with a local one) has said it
%%% has started its part (`plc_hello' / `plc_welcome'). A node that starts
%%% late or restarts says hello and joins; the others keep running. Each
%%% neighbour's plc_dist is monitored: when it is gone (its system stopped
%%% or given up there, the node still up) its link is not ready any more
%%% and its events wait, as for a node that is down.
%%%
%%% Input from elsewhere. This process holds the link of a running program:
%%% a restart is survived, but must not happen for stray input. A message
%%% of the wrong shape, or from a node that is not a neighbour, is logged
%%% (size-bounded, at most ?LOG_PER_S lines a second, with a count of the
%%% others) and dropped; a call of the wrong shape gets
%%% `{error, {unknown_call, Summary}}'. Names are bounded before they are
%%% compared.
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
-export([init/1, handle_continue/2, handle_call/3, handle_cast/2, handle_info/2, terminate/2,
         format_status/1]).

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
-define(MAILBOX, 65536).    % plc_out messages not yet taken, beyond the buffer
-define(MAX_NAME, 1024).    % bytes of a system name in a hello (ours are far shorter)
-define(LOG_PER_S, 10).     % dropped messages logged per second
-define(LOG_DEPTH, 8).      % how deep a dropped message is printed
-define(LOG_CHARS, 400).    % and how long
-define(TABLE, plc_dist_state).  % owned by plc_sup: what outlives a restart of this process

%% A hello or welcome: bounded name, and the answer goes to a process on
%% the node it says it comes from.
-define(IS_PEER_MSG, is_binary(System), byte_size(System) =< ?MAX_NAME, is_atom(From), is_integer(Inc),
        is_integer(Hash), is_pid(ReplyTo), node(ReplyTo) =:= From).

-record(state, {
    config :: config(),
    name :: atom(),
    upper :: binary(),                    % the system's name, upper case (names compare so)
    inc :: integer(),                     % this plc_dist's incarnation
    node_of :: tuple(),                   % resource index + 1 => node
    res_names :: tuple(),                 % resource index + 1 => name
    index_of :: #{binary() => non_neg_integer()},  % local resource (name, and upper case) => index
    is_local :: tuple(),                  % resource index + 1 => runs here
    local :: [binary()],                  % this node's resources
    neighbours :: [node()],
    links = #{} :: #{node() => plc_link:link()},   % one per neighbour
    open = false :: boolean(),
    connecting = #{} :: #{node() => pid()},
    %% The neighbours' plc_dist processes, monitored: one that is gone
    %% (its system stopped or given up there) is not ready any more.
    watching = #{} :: #{node() => {reference(), pid()}},
    mismatched = [] :: [{node(), integer()}],
    retry_timer = false :: boolean(),
    deliver_timer = false :: boolean(),
    report_timer = false :: boolean(),
    started_at :: integer(),
    %% Rate-limited log (dropped messages, undelivered events):
    %% {WindowStartMs, LoggedInWindow, NotLogged}.
    drops :: {integer(), non_neg_integer(), non_neg_integer()}
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
    %% Grows with each restart: a message from an older one is stale.
    Inc = erlang:system_time(microsecond) * 1000 + erlang:unique_integer([positive]) rem 1000,
    IsLocal = list_to_tuple([lists:member(R, Local) || R <- Resources]),
    Indexed = [{R, K} || {R, K} <- lists:zip(Resources, lists:seq(0, length(Resources) - 1)),
                         lists:member(R, Local)],
    IndexOf = maps:from_list([{string:uppercase(R), K} || {R, K} <- Indexed] ++ Indexed),
    New = fun(Node) -> plc_link:new(#{node => Node, me => Me, inc => Inc, buffer => Buffer, is_local => IsLocal}) end,
    Held = restart_losses(System, InFlight),
    LinkMap = maps:from_list([{N, New(N)} || N <- Neighbours]
                             ++ [{N, plc_link:restore(P, New(N))} || {N, P} <- Held]),
    State = #state{config = Config, name = name(System), upper = string:uppercase(System), inc = Inc,
                   node_of = list_to_tuple(NodeOf), res_names = list_to_tuple(Resources), is_local = IsLocal,
                   index_of = IndexOf,
                   local = Local, neighbours = Neighbours, links = LinkMap,
                   open = ets:member(?TABLE, {gate, System}),
                   started_at = erlang:monotonic_time(millisecond),
                   drops = {erlang:monotonic_time(millisecond) - 1000, 0, 0}},
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
    case Config of
        #{start_timeout := infinity} -> ok;
        #{start_timeout := T} -> erlang:send_after(T, self(), start_timeout)
    end,
    {noreply, report_soon(maybe_open(hello_all(State)))}.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call(gate, _From, State = #state{open = true}) ->
    {reply, open, State};
handle_call(gate, _From, State) ->
    {reply, wait, State};
handle_call(info, _From, State) ->
    {reply, {ok, info_map(State)}, State};
handle_call(Other, {Pid, _}, State) ->
    {reply, {error, {unknown_call, summary(Other)}}, dropped(unknown_call, Pid, Other, State)}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast(Msg, State) ->
    %% This process takes no casts.
    {noreply, dropped(cast, undefined, Msg, State)}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
%% Outgoing: from this node's native system (system_route/4).
handle_info({plc_out, K, Bin}, State = #state{config = #{handle := H}}) when is_integer(K), is_binary(Bin) ->
    Events = drain(?DRAIN, [{K, Bin}]),
    State1 = enqueue(Events, State),
    %% Credit only once they are numbered and persisted: a crash in between
    %% counts them twice (reported lost, maybe delivered), never not at all.
    ok = plc_nif:system_credit(H, length(Events)),
    {noreply, report_soon(flush(State1))};
%% Incoming: a neighbour's events, acknowledgements and resend requests,
%% for this incarnation.
handle_info({plc_events, From, FromInc, Inc, First, Events} = Msg, State = #state{inc = Inc})
  when is_atom(From), is_integer(FromInc), is_integer(First), First >= 1 ->
    case State#state.links of
        #{From := Link} when From =/= node() ->
            Indexed = indexed(Events, State#state.index_of),
            {noreply, deliver(run(From, plc_link:receive_events(FromInc, First, Indexed, Link), State))};
        _ ->
            {noreply, dropped(not_a_neighbour, From, Msg, State)}
    end;
handle_info({plc_events, From, FromInc, ToInc, First, _Events}, State)
  when is_atom(From), is_integer(FromInc), is_integer(ToInc), ToInc < State#state.inc, is_integer(First) ->
    %% Sent to a previous incarnation of this process, before it restarted:
    %% the sender sends it all again once our hello reaches it.
    {noreply, State};
handle_info({plc_ack, From, Inc, UpTo, PeerInc, Undelivered} = Msg, State = #state{inc = Inc})
  when is_atom(From), is_integer(UpTo), UpTo >= 0, is_integer(PeerInc), is_integer(Undelivered), Undelivered >= 0 ->
    case State#state.links of
        #{From := Link} -> {noreply, report_soon(run(From, plc_link:acked(UpTo, PeerInc, Undelivered, Link), State))};
        _ -> {noreply, dropped(not_a_neighbour, From, Msg, State)}
    end;
handle_info({plc_ack, From, Inc, _UpTo, _PeerInc, _Undelivered}, State)
  when is_atom(From), is_integer(Inc), Inc < State#state.inc ->
    %% For what a previous incarnation of this process sent: settled by
    %% the hello/welcome exchange (plc_link:settle/2), not by this.
    {noreply, State};
handle_info({plc_resend, From, Inc, FromSeq} = Msg, State = #state{inc = Inc})
  when is_atom(From), is_integer(FromSeq), FromSeq >= 1 ->
    case State#state.links of
        #{From := Link} -> {noreply, run(From, plc_link:resend(FromSeq, Link), State)};
        _ -> {noreply, dropped(not_a_neighbour, From, Msg, State)}
    end;
handle_info({plc_resend, From, Inc, FromSeq}, State)
  when is_atom(From), is_integer(Inc), Inc < State#state.inc, is_integer(FromSeq) ->
    %% Asked of a previous incarnation of this process: this one sends
    %% everything not acknowledged when the neighbour says hello or welcome.
    {noreply, State};
%% The handshake.
handle_info({plc_hello, System, From, Inc, Hash, ReplyTo, Seen} = Msg, State) when ?IS_PEER_MSG ->
    case check_peer(System, From, Inc, Hash, State) of
        {true, State1} ->
            _ = send_noconnect(ReplyTo, {plc_welcome, sys(State), node(), State#state.inc, hash(State), self(),
                                         seen(From, State1)}),
            {noreply, maybe_open(peer_ready(From, Inc, ReplyTo, Seen, State1))};
        {mismatch, State1} ->
            %% Another version of the system: alarmed once (check_peer/5),
            %% its hello comes again every ?RETRY_MS.
            {noreply, State1};
        false ->
            {noreply, dropped(hello_refused, From, Msg, State)}
    end;
handle_info({plc_welcome, System, From, Inc, Hash, ReplyTo, Seen} = Msg, State) when ?IS_PEER_MSG ->
    case check_peer(System, From, Inc, Hash, State) of
        {true, State1} -> {noreply, maybe_open(peer_ready(From, Inc, ReplyTo, Seen, State1))};
        {mismatch, State1} -> {noreply, State1};   % as for a hello
        false -> {noreply, dropped(welcome_refused, From, Msg, State)}
    end;
%% Connections.
handle_info({nodeup, Node, _Info}, State) when is_map_key(Node, State#state.links) ->
    {noreply, hello(Node, State)};
handle_info({nodeup, _Node, _Info}, State) ->
    %% Not a neighbour: nothing to say to it.
    {noreply, State};
handle_info({nodedown, Node, _Info}, State) when is_map_key(Node, State#state.links) ->
    {noreply, not_ready(Node, State)};
handle_info({nodedown, _Node, _Info}, State) ->
    %% Not a neighbour: nothing waits for it.
    {noreply, State};
handle_info({'DOWN', Ref, process, Pid, Reason}, State = #state{watching = W}) when is_reference(Ref) ->
    case [N || {N, {R, P}} <- maps:to_list(W), R =:= Ref, P =:= Pid] of
        [Node] ->
            logger:notice("plc ~s: the plc_dist of ~p is gone (~0P)", [sys(State), Node, Reason, ?LOG_DEPTH]),
            {noreply, not_ready(Node, State#state{watching = maps:remove(Node, W)})};
        [] ->
            %% A monitor replaced by a newer one (demonitored with flush,
            %% so only a forged DOWN comes here).
            {noreply, State}
    end;
handle_info({connected, Node, Result}, State = #state{connecting = C}) when is_map_key(Node, C) ->
    State1 = State#state{connecting = maps:remove(Node, C)},
    case Result of
        true -> {noreply, hello(Node, State1)};
        _ -> {noreply, retry_later(State1)}
    end;
%% Timers.
handle_info(retry, State) ->
    {noreply, maybe_open(hello_all(State#state{retry_timer = false}))};
handle_info(deliver, State) ->
    {noreply, deliver(State#state{deliver_timer = false})};
handle_info(report, State) ->
    {noreply, report_losses(State#state{report_timer = false})};
handle_info(start_timeout, State = #state{open = false, neighbours = Ns}) ->
    Missing = [N || N <- Ns, not plc_link:is_ready(maps:get(N, State#state.links))],
    logger:warning("plc ~s: starting without neighbours ~p (start_timeout)", [sys(State), Missing]),
    ok = plc_mon:alarm(sys(State), {plc_start_timeout, Missing}),
    {noreply, open(State)};
handle_info(start_timeout, State) ->
    %% Every neighbour was ready in time: START has fired already.
    {noreply, State};
handle_info(Other, State) ->
    {noreply, dropped(info, undefined, Other, State)}.

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
    ets:match_delete(?TABLE, {{out, System, '_'}, '_'}),
    ok.

%%% Running plc_link's effects

%% Stores the link and runs its effects, in order.
run(Node, {Link, Effects}, State = #state{links = Links}) ->
    lists:foldl(fun(E, S) -> effect(Node, E, S) end, State#state{links = Links#{Node => Link}}, Effects).

effect(Node, {send, Pid, Msg}, State) ->
    case send_noconnect(Pid, Msg) of
        ok -> State;
        noconnect -> not_ready(Node, State)
    end;
effect(Node, {post, K, Bins}, State) ->
    {Outcome, Why} = post(K, Bins, State),
    State1 = log_refused(K, Outcome, Why, State),
    Now = erlang:monotonic_time(millisecond),
    run(Node, plc_link:posted(K, Outcome, Now, maps:get(Node, State1#state.links)), State1);
effect(_Node, {persist, Node, Persisted}, State) ->
    true = ets:insert(?TABLE, {{out, sys(State), Node}, Persisted}),
    State;
effect(_Node, {retry, Ms}, State) ->
    deliver_later(Ms, State);
effect(_Node, {report_lost, Node, #{buffer := Buffer, undelivered := Undelivered}, Total}, State) ->
    logger:warning("plc ~s: ~b events for ~p lost so far (~b beyond its buffer of ~b, ~b it could not deliver)",
                   [sys(State), Total, Node, Buffer, maps:get(buffer, State#state.config), Undelivered]),
    ok = plc_mon:alarm(sys(State), {plc_link_lost, Node, Total}),
    State;
effect(_Node, {alarm, {plc_dist_restart_lost, N}}, State) ->
    report_restart_loss(sys(State), N),
    State;
effect(Node, {undeliverable, K, N, Why}, State) ->
    %% One line per post at most: under steady traffic to a resource
    %% stopped for good, as rate-limited as a flood of stray messages.
    limited(fun() ->
                    logger:error("plc ~s: ~b events from ~p for ~s not delivered (~p)",
                                 [sys(State), N, Node, element(K + 1, State#state.res_names), Why])
            end, State);
effect(Node, {ignored, Why}, State) ->
    dropped(Why, Node, Why, State).

%%% Start-up

hello_all(State = #state{links = Links}) ->
    lists:foldl(fun hello/2, State, [N || {N, L} <- maps:to_list(Links), not plc_link:is_ready(L)]).

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

%% Whether a hello or welcome comes from a neighbour running the same
%% system and plan (`true'), another version of it (`mismatch', alarmed
%% once per incarnation of the neighbour), or from elsewhere (`false'). The
%% name is compared only once the sender is known to be a neighbour (and
%% the name is bounded by the clause's guard).
check_peer(System, From, Inc, Hash, State = #state{mismatched = Seen}) ->
    Mine = hash(State),
    case is_map_key(From, State#state.links) andalso string:uppercase(System) =:= State#state.upper of
        false ->
            false;
        true when Hash =:= Mine ->
            {true, State};
        true ->
            case lists:member({From, Inc}, Seen) of
                true ->
                    {mismatch, State};
                false ->
                    logger:error("plc ~s: ~p runs another version of the system (or another device-to-node "
                                 "map); no events exchanged", [sys(State), From]),
                    ok = plc_mon:alarm(sys(State), {plc_version_mismatch, From}),
                    {mismatch, State#state{mismatched = [{From, Inc} | Seen]}}
            end
    end.

%% A neighbour has started its part (again): settle what a previous
%% incarnation of this process left, send what waits for it.
peer_ready(Node, PeerInc, Pid, Seen, State) ->
    State1 = run(Node, plc_link:settle(Seen, link(Node, State)), State),
    State2 = run(Node, plc_link:peer_ready(PeerInc, Pid, link(Node, State1)), State1),
    flush(watch(Node, Pid, State2)).

%% Monitors the neighbour's plc_dist (once ready), in place of an older one.
watch(Node, Pid, State = #state{watching = W}) ->
    case {plc_link:is_ready(link(Node, State)), W} of
        {true, #{Node := {_, Pid}}} ->
            State;
        {true, _} ->
            _ = case W of
                    #{Node := {Old, _}} -> erlang:demonitor(Old, [flush]);
                    _ -> true
                end,
            State#state{watching = W#{Node => {erlang:monitor(process, Pid), Pid}}};
        {false, _} ->
            State
    end.

not_ready(Node, State) ->
    Link = link(Node, State),
    case plc_link:is_ready(Link) of
        true ->
            logger:notice("plc ~s: neighbour ~p is down; its events wait (up to ~b)",
                          [sys(State), Node, maps:get(buffer, State#state.config)]),
            retry_later(State#state{links = (State#state.links)#{Node => plc_link:peer_down(Link)}});
        false ->
            State
    end.

maybe_open(State = #state{open = true}) ->
    State;
maybe_open(State = #state{neighbours = Ns}) ->
    case lists:all(fun(N) -> plc_link:is_ready(link(N, State)) end, Ns) of
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

%% Hands the events to the link of their destination node, in the order
%% they came, each naming its target resource: the receiving node may
%% hold another part of the system, where the resource has another index.
enqueue(Events, State = #state{node_of = NodeOf, res_names = Names}) ->
    ByNode = lists:foldl(fun({K, Bin}, Acc) when K >= 0, K < tuple_size(NodeOf) ->
                                 Node = element(K + 1, NodeOf),
                                 Acc#{Node => [{element(K + 1, Names), Bin} | maps:get(Node, Acc, [])]};
                            (_, Acc) ->
                                 %% Not a resource of the system: the native
                                 %% system routes none such here.
                                 Acc
                         end, #{}, Events),
    maps:fold(fun(Node, Rev, S) -> run(Node, plc_link:enqueue(lists:reverse(Rev), link(Node, S)), S) end,
              State, ByNode).

%% The plc_out messages waiting in the mailbox, oldest first.
drain(0, Acc) ->
    lists:reverse(Acc);
drain(N, Acc) ->
    receive
        {plc_out, K, Bin} when is_integer(K), is_binary(Bin) -> drain(N - 1, [{K, Bin} | Acc])
    after 0 ->
        lists:reverse(Acc)
    end.

%% Sends the fresh events of every ready destination.
flush(State = #state{links = Links}) ->
    maps:fold(fun(Node, Link, S) -> run(Node, plc_link:flush(Link), S) end, State, Links).

send_noconnect(Pid, Msg) ->
    case erlang:send(Pid, Msg, [noconnect]) of
        noconnect -> noconnect;
        _ -> ok
    end.

%% At start: what the previous plc_dist of this system had not taken from
%% its mailbox is lost (reported now); what it had numbered for a node is
%% settled when that node says how much of it arrived (plc_link:settle/2).
restart_losses(System, InFlight) ->
    Held = [{Node, P} || {{out, S, Node}, P} <- ets:tab2list(?TABLE), S =:= System, is_map(P)],
    [ets:delete(?TABLE, {out, System, Node}) || {Node, _} <- Held],
    report_restart_loss(System, InFlight),
    Held.

report_restart_loss(_System, 0) ->
    ok;
report_restart_loss(System, N) ->
    logger:error("plc ~s: plc_dist restarted; ~b events it held for other nodes were lost", [System, N]),
    ok = plc_mon:alarm(System, {plc_dist_restart_lost, N}).

%% The last number this node received from `Node''s current incarnation.
seen(Node, State) ->
    plc_link:seen(link(Node, State)).

%%% Incoming

%% The events of a neighbour, each naming its target resource, with this
%% node's index of it; a name that is not one of this node's resources (or
%% anything else in the list) gets an index plc_link refuses, counted as
%% undelivered. A list that is not proper keeps its tail, for plc_link to
%% judge.
indexed([{Name, Bin} | Rest], IndexOf) when is_binary(Name), byte_size(Name) =< ?MAX_NAME ->
    K = case IndexOf of
            #{Name := I} -> I;
            _ -> maps:get(string:uppercase(Name), IndexOf, -1)
        end,
    [{K, Bin} | indexed(Rest, IndexOf)];
indexed([{_, Bin} | Rest], IndexOf) ->
    [{-1, Bin} | indexed(Rest, IndexOf)];
indexed([Other | Rest], IndexOf) ->
    [Other | indexed(Rest, IndexOf)];
indexed(Other, _IndexOf) ->
    Other.

%% Posts what waits, per sender and target, in order; acknowledges what
%% was posted.
deliver(State = #state{open = false}) ->
    State;
deliver(State = #state{links = Links}) ->
    maps:fold(fun(Node, Link, S) ->
                      S1 = run(Node, plc_link:deliver(Link), S),
                      run(Node, plc_link:ack(link(Node, S1)), S1)
              end, State, Links).

%% Posts into the resource's inbox: how many it took (in order), or absent
%% while it is not registered or stopped (its owner died), and the reason
%% of the first binary the resource refused (another version of a type):
%% those are dropped alone and logged by log_refused/4.
post(K, Bins, State) ->
    Name = element(K + 1, State#state.res_names),
    case plc_mon:lookup(Name) of
        {ok, _, _Pid, H} ->
            try plc_nif:post_raw(H, Bins) of
                {error, stopped} -> {absent, none};
                N when is_integer(N) -> {{taken, N, []}, none}
            catch
                error:{badarg, _} -> one_by_one(H, Bins, 1, [], none)
            end;
        {error, not_found} ->
            {absent, none}
    end.

one_by_one(_H, [], Pos, Rejected, Why) ->
    {{taken, Pos - 1, lists:reverse(Rejected)}, Why};
one_by_one(H, [B | Rest], Pos, Rejected, Why) ->
    try plc_nif:post_raw(H, [B]) of
        1 -> one_by_one(H, Rest, Pos + 1, Rejected, Why);
        0 -> {{taken, Pos - 1, lists:reverse(Rejected)}, Why};
        {error, stopped} when Pos =:= 1 -> {absent, Why};
        {error, stopped} -> {{taken, Pos - 1, lists:reverse(Rejected)}, Why}
    catch
        error:{badarg, Reason} ->
            First = case Why of none -> Reason; _ -> Why end,
            one_by_one(H, Rest, Pos + 1, [Pos | Rejected], First)
    end.

%% One line per post with refused events at most, rate-limited like
%% dropped messages: a neighbour sending refused events cannot flood the log.
log_refused(_K, _Outcome, none, State) ->
    State;
log_refused(K, {taken, _, Rejected}, Why, State) ->
    limited(fun() ->
                    logger:error("plc ~s: refused ~b events for ~s: ~0P",
                                 [sys(State), length(Rejected), element(K + 1, State#state.res_names),
                                  Why, ?LOG_DEPTH])
            end, State);
log_refused(_K, absent, _Why, State) ->
    State.

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
report_soon(State = #state{links = Links}) ->
    case lists:any(fun plc_link:report_due/1, maps:values(Links)) of
        true ->
            erlang:send_after(?REPORT_MS, self(), report),
            report_losses(State#state{report_timer = true});
        false ->
            State
    end.

report_losses(State = #state{links = Links}) ->
    maps:fold(fun(Node, Link, S) -> run(Node, plc_link:report(Link), S) end, State, Links).

info_map(State = #state{config = C, neighbours = Ns}) ->
    Connected = nodes(connected),
    Peers = maps:from_list([{N, (plc_link:info(link(N, State)))#{up => lists:member(N, Connected)}} || N <- Ns]),
    #{system => sys(State), mode => maps:get(mode, C), node => node(), devices => maps:get(devices, C),
      resources => State#state.local, started => State#state.open, neighbours => Ns, peers => Peers,
      incarnation => State#state.inc,
      started_at => case ets:lookup(?TABLE, {gate, sys(State)}) of
                        [{_, At}] when is_integer(At) -> At;   % when START fired, system time in ms
                        _ -> undefined
                    end}.

%% A crash report prints the last message, the reason and the state
%% bounded: the state holds up to `buffer' events per neighbour, and a
%% message may be 16 MB.
-spec format_status(gen_server:format_status()) -> gen_server:format_status().
format_status(Status) ->
    maps:map(fun(message, M) -> plc_mon:bounded(M);
                (reason, R) -> plc_mon:bounded(R);
                (state, S) -> plc_mon:bounded(S);
                (_, V) -> V
             end, Status).

%%% Dropped input

%% Logs a message this process does not take (rate-limited, see
%% limited/2), printed to a bounded depth and length so that a huge term
%% costs nothing; the message itself is dropped.
dropped(Why, From, Msg, State) ->
    limited(fun() ->
                    Text = io_lib:format("~P", [Msg, ?LOG_DEPTH], [{chars_limit, ?LOG_CHARS}]),
                    logger:warning("plc ~s: dropped a message (~p) from ~0P: ~s",
                                   [sys(State), Why, From, ?LOG_DEPTH, lists:flatten(Text)])
            end, State).

%% Runs Log unless ?LOG_PER_S lines were logged this second; then says how
%% many were not.
limited(Log, State = #state{drops = {Start, Logged, NotLogged}}) ->
    Now = erlang:monotonic_time(millisecond),
    if
        Now - Start >= 1000 ->
            [logger:warning("plc ~s: ~b more dropped messages not logged", [sys(State), NotLogged])
             || NotLogged > 0],
            Log(),
            State#state{drops = {Now, 1, 0}};
        Logged < ?LOG_PER_S ->
            Log(),
            State#state{drops = {Start, Logged + 1, NotLogged}};
        true ->
            State#state{drops = {Start, Logged, NotLogged + 1}}
    end.

%% What an unknown call was, in a few words for its reply.
summary(Req) when is_atom(Req) -> Req;
summary(Req) when is_tuple(Req), tuple_size(Req) > 0, is_atom(element(1, Req)) -> {element(1, Req), '...'};
summary(Req) when is_tuple(Req) -> tuple;
summary(Req) when is_list(Req) -> list;
summary(Req) when is_binary(Req) -> binary;
summary(_) -> term.

%%% Helpers

sys(#state{config = #{system := S}}) -> S.
hash(#state{config = #{hash := H}}) -> H.

%% The link to a node; a node that is not a neighbour gets an empty one
%% (events the native system routes to it wait there, unsent).
link(Node, #state{links = Links, inc = Inc, is_local = IsLocal, config = #{buffer := Buffer}}) ->
    case Links of
        #{Node := L} -> L;
        _ -> plc_link:new(#{node => Node, me => node(), inc => Inc, buffer => Buffer, is_local => IsLocal})
    end.
