%%% @doc One open channel of a communication block: the thin process around
%%% plc_com_core. Started by plc_com (in the resource's process) under
%%% plc_com_sup; it answers the block itself (plc_nif:service_answer/6).
%%%
%%% Opening (after init, so the resource never waits), by the block's ID
%%% (plc_com_id:parse/1):
%%% - `plc[GROUP]': PUBLISH and CLIENT connect to the nodes configured for
%%%   the group, `{plc, com_peers}' = `#{<<"GROUP">> => [Node]}' (that is
%%%   how a publisher learns where its subscribers run; no other node is
%%%   connected), and make the `pg' scopes of both nodes meet (pg itself
%%%   watches visible nodes only; see discover/1), then wait up to
%%%   `{plc, com_peer_wait}' ms (1000) until each such node has a member in
%%%   the group. SUBSCRIBE joins `{publish, GROUP}', SERVER `{server,
%%%   GROUP}'. A CLIENT that finds no server gives INITO with QO FALSE,
%%%   'INVALID_ID', as FORTE's client whose TCP connect fails.
%%% - `fbdk[].ip[HOST:PORT]': PUBLISH sends UDP datagrams to HOST:PORT
%%%   (multicast when HOST is in 224.0.0.0/4), SUBSCRIBE binds PORT (and
%%%   joins the multicast group), SERVER listens on PORT over TCP and serves
%%%   one connection at a time (FORTE's single-connection server), CLIENT
%%%   connects. A socket that cannot be opened: INITO with QO FALSE,
%%%   'INVALID_ID', an alarm, and the channel ends.
%%% The block's INITO follows the open (`{answer, init, ok, []}').
%%%
%%% Errors never crash the channel: a failed send gives CNF/IND with QO
%%% FALSE and 'SEND_FAILED' plus an alarm; a lost TCP connection gives a
%%% CLIENT INITO 'TERMINATED' (FORTE's e_InitTerminated) and ends the
%%% channel, a SERVER listens again, silently. Alarms go to the resource as
%%% `{plc_com_alarm, Pid, {plc_com, Fb, What}}'. A message of an unknown
%%% shape (anyone may send to a pg member) is logged size-bounded and
%%% dropped (plc_mon:stray/3). The channel ends with its resource.
-module(plc_com_channel).
-behaviour(gen_server).

-export([start_link/1, send/2, close/1, stats/1]).
-export([init/1, handle_continue/2, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(SCOPE, plc_com).
-define(CONNECT_TIMEOUT, 2000).

-record(state, {
    handle :: plc_nif:handle(),
    resource :: pid(),
    resource_id :: plc_mon:id(),
    fb :: binary(),
    role :: plc_com:role(),
    channel :: non_neg_integer(),
    id :: binary(),
    types :: #{sd := list(), rd := list()},
    core = undefined :: undefined | plc_com_core:core(),
    group = undefined :: undefined | {publish | server, binary()},
    socket = undefined :: undefined | gen_udp:socket() | gen_tcp:socket(),  % UDP, TCP listen or client
    conn = undefined :: undefined | gen_tcp:socket(),                     % a server's accepted connection
    dest = undefined :: undefined | {inet:ip_address() | inet:hostname(), inet:port_number()}
}).

%%% API

-spec start_link(map()) -> {ok, pid()} | {error, term()}.
start_link(Args) ->
    gen_server:start_link(?MODULE, Args, []).

%% @doc The block's REQ or RSP with its SDs (plc_com_core:send/3).
-spec send(pid(), [term()] | binary() | {error, term()}) -> ok.
send(Pid, Values) ->
    gen_server:cast(Pid, {send, Values}).

-spec close(pid()) -> ok.
close(Pid) ->
    gen_server:cast(Pid, close).

%% @doc What the channel has counted: sent, delivered, bad, lost, failed.
-spec stats(pid()) -> #{atom() => non_neg_integer()}.
stats(Pid) ->
    gen_server:call(Pid, stats).

%%% gen_server callbacks

-spec init(map()) -> {ok, #state{}, {continue, open}}.
init(#{handle := H, resource := R, resource_id := ResId, fb := Fb, role := Role, channel := Ch, id := Id,
       sd := Sd, rd := Rd}) ->
    erlang:monitor(process, R),
    {ok, #state{handle = H, resource = R, resource_id = ResId, fb = Fb, role = Role, channel = Ch, id = Id,
                types = #{sd => Sd, rd => Rd}}, {continue, open}}.

-spec handle_continue(open, #state{}) -> {noreply, #state{}} | {stop, normal, #state{}}.
handle_continue(open, S = #state{id = Id, role = Role}) ->
    case plc_com_id:parse(Id) of
        {ok, Target} ->
            S1 = S#state{core = plc_com_core:new(Role, Target, self(), S#state.types)},
            case open(Target, S1) of
                {ok, S2} ->
                    answer(init, ok, wire(Target), S2),
                    {noreply, S2};
                {error, Why} ->
                    refuse(Why, S1)
            end;
        {error, Why} ->
            refuse({bad_id, Why}, S)
    end.

-spec handle_call(stats, gen_server:from(), #state{}) -> {reply, map(), #state{}}.
handle_call(stats, _From, S = #state{core = C}) ->
    {reply, plc_com_core:stats(C), S}.

-spec handle_cast({send, [term()] | binary() | {error, term()}} | close, #state{}) -> {noreply, #state{}} | {stop, normal, #state{}}.
handle_cast({send, Values}, S = #state{core = C}) ->
    run(plc_com_core:send(Values, members(S), C), S);
handle_cast(close, S) ->
    {stop, normal, S}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}} | {stop, normal, #state{}}.
handle_info({'DOWN', _, process, Pid, _}, S = #state{resource = Pid}) ->
    {stop, normal, S};
handle_info({'DOWN', _, process, Pid, _}, S = #state{core = C}) ->
    run(plc_com_core:down(Pid, C), S);
handle_info({udp, Sock, _Ip, _Port, Bin}, S = #state{socket = Sock, core = C}) ->
    run(plc_com_core:received({datagram, Bin}, C), S);
handle_info({tcp, Sock, Bin}, S = #state{core = C}) when Sock =:= S#state.socket; Sock =:= S#state.conn ->
    run(plc_com_core:received({stream, Bin}, C), S);
handle_info({tcp_closed, Sock}, S = #state{role = client, socket = Sock}) ->
    answer(init, terminated, values, S),
    {stop, normal, S};
handle_info({tcp_closed, Sock}, S = #state{role = server, conn = Sock}) ->
    {noreply, S#state{conn = undefined}};
handle_info({tcp_closed, _Sock}, S = #state{role = server}) ->
    {noreply, S};  % a connection already replaced
handle_info({tcp_error, Sock, _}, S) when Sock =:= S#state.socket; Sock =:= S#state.conn ->
    {noreply, S};  % tcp_closed follows
handle_info({plc_com_accepted, Listen, Conn}, S = #state{socket = Listen, conn = undefined}) ->
    {noreply, S#state{conn = Conn}};
handle_info({plc_com_accepted, Listen, Conn}, S = #state{socket = Listen}) ->
    ok = gen_tcp:close(Conn),  % busy: FORTE's single-connection server refuses so
    {noreply, S};
handle_info({plc_com_accept_failed, Listen, Why}, S = #state{socket = Listen}) ->
    alarm({accept_failed, Why}, S),
    {noreply, S};
handle_info(Msg, S = #state{core = C}) when element(1, Msg) =:= plc_com_publish; element(1, Msg) =:= plc_com_request;
                                             element(1, Msg) =:= plc_com_response ->
    run(plc_com_core:received(Msg, C), S);
handle_info(Msg, S = #state{fb = Fb}) ->
    plc_mon:stray({com_channel, Fb}, info, Msg),
    {noreply, S}.

-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, #state{socket = Sock, conn = Conn}) ->
    [catch gen_udp:close(P) || P <- [Sock, Conn], P =/= undefined],
    ok.

%%% Opening

open({plc, Group}, S = #state{role = publisher}) ->
    wait_for_peers(Group, publish, connect_peers(Group)),
    {ok, S#state{group = {publish, Group}}};
open({plc, Group}, S = #state{role = client}) ->
    wait_for_peers(Group, server, connect_peers(Group)),
    S1 = S#state{group = {server, Group}},
    case members(S1) of
        [] -> {error, {no_server, Group}};
        _ -> {ok, S1}
    end;
open({plc, Group}, S = #state{role = subscriber}) ->
    ok = pg:join(?SCOPE, {publish, Group}, self()),
    {ok, S};
open({plc, Group}, S = #state{role = server}) ->
    ok = pg:join(?SCOPE, {server, Group}, self()),
    {ok, S};
open({fbdk_ip, {Host, Port}, Cast}, S = #state{role = publisher}) when Host =/= any ->
    Opts = case Cast of
               unicast -> [];
               multicast -> [{multicast_loop, true}, {multicast_ttl, 1}];
               {multicast, If} -> [{multicast_loop, true}, {multicast_ttl, 1}, {multicast_if, If}]
           end,
    case gen_udp:open(0, [binary, {active, false} | Opts]) of
        {ok, Sock} -> {ok, S#state{socket = Sock, dest = {Host, Port}}};
        {error, Why} -> {error, {udp, Why}}
    end;
open({fbdk_ip, {Host, Port}, Cast}, S = #state{role = subscriber}) ->
    Opts = case Cast of
               unicast -> [];
               multicast -> [{add_membership, {Host, {0, 0, 0, 0}}}];
               {multicast, If} -> [{add_membership, {Host, If}}]
           end,
    %% A large receive buffer (as the OS allows) holds a publisher's burst.
    case gen_udp:open(Port, [binary, {active, true}, {reuseaddr, true}, {recbuf, 4 bsl 20} | Opts]) of
        {ok, Sock} -> {ok, S#state{socket = Sock}};
        {error, Why} -> {error, {udp, Why}}
    end;
open({fbdk_ip, {_Host, Port}, _}, S = #state{role = server}) ->
    case gen_tcp:listen(Port, [binary, {active, true}, {reuseaddr, true}, {packet, raw}]) of
        {ok, L} -> {ok, accept(S#state{socket = L})};
        {error, Why} -> {error, {tcp_listen, Why}}
    end;
open({fbdk_ip, {Host, Port}, unicast}, S = #state{role = client}) when Host =/= any ->
    case gen_tcp:connect(Host, Port, [binary, {active, true}, {packet, raw}], ?CONNECT_TIMEOUT) of
        {ok, Sock} -> {ok, S#state{socket = Sock}};
        {error, Why} -> {error, {tcp_connect, Why}}
    end;
open(Target, _S) ->
    {error, {unusable_id, Target}}.

refuse(Why, S) ->
    answer(init, invalid_id, values, S),
    alarm({open_failed, Why}, S),
    {stop, normal, S}.

%% The nodes configured for the group, connected.
connect_peers(Group) ->
    Peers = maps:get(Group, application:get_env(plc, com_peers, #{}), []),
    [discover(N) || N <- Peers, N =/= node(), net_kernel:connect_node(N)].

%% pg learns of other nodes from nodeup, which comes for visible nodes
%% only: over a hidden connection the scopes are made to meet by the
%% message pg sends itself on nodeup ({discover, ScopePid}), answered by
%% the other side with its members and a discover of its own.
discover(Node) ->
    case whereis(?SCOPE) of
        undefined -> ok;
        Scope -> erlang:send({?SCOPE, Node}, {discover, Scope}, [noconnect])
    end,
    Node.

wait_for_peers(Group, Kind, Nodes) ->
    Wait = application:get_env(plc, com_peer_wait, 1000),
    Deadline = erlang:monotonic_time(millisecond) + Wait,
    wait_for_peers({Kind, Group}, Nodes, Deadline, ok).

wait_for_peers(Key, Nodes, Deadline, ok) ->
    Have = lists:usort([node(P) || P <- pg:get_members(?SCOPE, Key)]),
    case Nodes -- Have of
        [] -> ok;
        _ ->
            case erlang:monotonic_time(millisecond) >= Deadline of
                true -> ok;
                false -> timer:sleep(10), wait_for_peers(Key, Nodes, Deadline, ok)
            end
    end.

%% A server takes one connection at a time: an acceptor process takes
%% every connection and hands it over; one that comes while another is
%% served is closed at once, as FORTE's server does to tell the client it
%% is busy.
accept(S = #state{socket = L}) ->
    Self = self(),
    spawn_link(fun() -> acceptor(L, Self) end),
    S.

acceptor(L, Channel) ->
    case gen_tcp:accept(L) of
        {ok, Conn} ->
            ok = gen_tcp:controlling_process(Conn, Channel),
            Channel ! {plc_com_accepted, L, Conn},
            acceptor(L, Channel);
        {error, closed} ->
            ok;
        {error, Why} ->
            Channel ! {plc_com_accept_failed, L, Why}
    end.

%% The form in which the block hands over its SDs (plc_nif:service_answer/6):
%% as values for Erlang distribution, as one FBDK message for IP.
wire({plc, _}) -> values;
wire({fbdk_ip, _, _}) -> fbdk.

%%% Effects

members(#state{group = undefined}) ->
    [];
members(#state{group = Key}) ->
    Local = pg:get_local_members(?SCOPE, Key),
    Local ++ (pg:get_members(?SCOPE, Key) -- Local).

run({Core, Effects}, S) ->
    lists:foldl(fun effect/2, {noreply, S#state{core = Core}}, Effects).

effect(_Effect, Stop = {stop, _, _}) ->
    Stop;
effect({answer, Kind, Code, Values}, {noreply, S}) ->
    {noreply, answer(Kind, Code, Values, S)};
effect({send, Pid, Msg}, {noreply, S}) ->
    _ = erlang:send(Pid, Msg, [noconnect]),
    {noreply, S};
effect({decode, Framing, Bin}, {noreply, S = #state{handle = H, fb = Fb, channel = Ch, core = C}}) ->
    try plc_nif:service_data(H, Fb, Ch, Framing, Bin) of
        Outcome -> run(plc_com_core:decoded(Framing, Bin, Outcome, C), S)
    catch
        error:{badarg, Why} -> run(plc_com_core:rejected(Why, C), S)  % the block is gone (online change)
    end;
effect({monitor, Pid}, {noreply, S}) ->
    erlang:monitor(process, Pid),
    {noreply, S};
effect({transmit, Bin}, {noreply, S}) ->
    case transmit(Bin, S) of
        ok -> {noreply, S};
        {error, Why} ->
            answer(data, send_failed, [], S),
            alarm({send_failed, Why}, S),
            {noreply, S}
    end;
effect({alarm, What}, {noreply, S}) ->
    alarm(What, S),
    {noreply, S}.

transmit(Bin, #state{role = publisher, socket = Sock, dest = {Host, Port}}) ->
    gen_udp:send(Sock, Host, Port, Bin);
transmit(Bin, #state{role = client, socket = Sock}) ->
    gen_tcp:send(Sock, Bin);
transmit(Bin, #state{role = server, conn = Conn}) when Conn =/= undefined ->
    gen_tcp:send(Conn, Bin);
transmit(_Bin, #state{}) ->
    {error, not_connected}.

%% The answer to the block; values that do not fit its RDs are counted
%% and reported, not delivered.
answer(Kind, Code, Values, S = #state{handle = H, fb = Fb, channel = Ch, core = C}) ->
    try plc_nif:service_answer(H, Fb, Ch, Kind, Code, Values) of
        ok -> S;
        {error, stopped} -> S;
        {error, inbox_full} -> alarm({inbox_full, Kind}, S), S
    catch
        error:{badarg, Why} when C =/= undefined ->
            {C1, Effects} = plc_com_core:rejected(Why, C),
            [alarm(What, S) || {alarm, What} <- Effects],
            S#state{core = C1}
    end.

alarm(What, #state{resource = R, fb = Fb, resource_id = Id}) ->
    logger:warning("plc resource ~0P: communication block ~s: ~0P", [Id, 8, Fb, What, 12]),
    R ! {plc_com_alarm, self(), {plc_com, Fb, What}},
    ok.
