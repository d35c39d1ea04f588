%%% @doc A shaped Erlang distribution carrier for benchmarks: TCP, with an
%%% emulated one-way latency and a per-direction bandwidth cap, for a
%%% machine without netem.
%%%
%%%   erl -sname a -proto_dist plc_shaped -pa bench/c1k/ebin \
%%%       -plc_shaped latency_ms 20 -plc_shaped mbit 100
%%%
%%% Options (all `-plc_shaped Key Value', read once at the first use):
%%%   latency_ms  one-way delay of every packet, both directions, the
%%%               handshake included (default 0)
%%%   mbit        cap of each direction of each connection in Mbit/s
%%%               (default 0 = unlimited)
%%%   epmd_rtts   round trips charged for the EPMD port lookup before a
%%%               connect (default 2: TCP connect + request/reply, as a
%%%               remote epmd costs with netem; 0 to skip)
%%%   connect_rtts round trips charged for TCP's connect (default 1: the
%%%               SYN/SYN-ACK before the first byte can be sent)
%%%
%%% How: the side that writes does the shaping, so both directions are
%%% delayed and each direction of a link has its own cap. Every packet
%%% (handshake messages, distribution data, ticks) goes through a sender
%%% process per connection, which models the link as a FIFO wire: a packet
%%% starts its serialization when it is handed over or when the previous
%%% one has left, whichever is later, takes (4 + Size) * 8 / Mbit
%%% microseconds, and is written to the TCP socket one latency after its
%%% serialization ended. Packets in flight are pipelined (the sender holds
%%% a queue with release times, it does not wait for anything), so the
%%% throughput is the cap, not window / RTT. The receiving side reads
%%% without delay. The sender stops pulling from the VM while more than
%%% about two bandwidth-delay products are queued, so a busy link pushes
%%% back on the senders as a real one would (busy_dist_port).
%%%
%%% Structure as in OTP's process-based example carrier (gen_tcp_dist):
%%% per connection a receiver process (socket owner; serves the handshake's
%%% recv and later feeds the VM with dist_ctrl_put_data) and a sender
%%% process (the distribution controller the VM knows; pulls with
%%% dist_ctrl_get_data and writes). The socket is in {packet, 4} mode from
%%% the start: both ends are this carrier, so the framing of the handshake
%%% (normally 2-byte lengths) may differ from inet_tcp's.
-module(plc_shaped_dist).

%% The carrier's interface (net_kernel).
-export([listen/1, accept/1, accept_connection/5, setup/5, close/1,
         select/1, is_node_name/1, setopts/2, getopts/2]).

%% Internal: spawned processes.
-export([accept_loop/2, do_accept/6, do_setup/6, rx_init/2, tx_init/3]).

%% For the tools (shaped_check, c1k): the options in force on this node.
-export([config/0]).

-include_lib("kernel/include/net_address.hrl").
-include_lib("kernel/include/dist.hrl").
-include_lib("kernel/include/dist_util.hrl").

-define(SPAWN_OPTS, [{message_queue_data, off_heap}, {fullsweep_after, 0}]).
-define(ACTIVE_N, 16).
%% Timing of the sender (see arm/1).
-define(EARLY_US, 20).
-define(SPIN_US, 250).
-define(TIMER_LATE_US, 950).

%%% Configuration

%% @doc #{latency_us, mbit, epmd_rtts, connect_rtts} (from -plc_shaped).
config() ->
    case persistent_term:get({?MODULE, config}, undefined) of
        undefined ->
            C = read_config(),
            persistent_term:put({?MODULE, config}, C),
            C;
        C ->
            C
    end.

read_config() ->
    Pairs = case init:get_argument(plc_shaped) of
                {ok, Lists} -> pairs(lists:append(Lists));
                error -> []
            end,
    Num = fun(Key, Default) ->
                  case lists:keyfind(Key, 1, Pairs) of
                      {_, V} -> to_number(V);
                      false -> Default
                  end
          end,
    #{latency_us => round(Num("latency_ms", 0) * 1000),
      mbit => Num("mbit", 0),
      epmd_rtts => Num("epmd_rtts", 2),
      connect_rtts => Num("connect_rtts", 1)}.

pairs([K, V | Rest]) -> [{K, V} | pairs(Rest)];
pairs(_) -> [].

to_number(S) ->
    try list_to_integer(S)
    catch error:badarg -> list_to_float(S)
    end.

%% Sleeps for N round trips of the emulated link (the setup's costs that
%% are not packets of this carrier: the EPMD lookup and TCP's connect).
sleep_rtts(N) ->
    #{latency_us := L} = config(),
    case round(N * 2 * L / 1000) of
        Ms when Ms > 0 -> timer:sleep(Ms);
        _ -> ok
    end.

%%% Selection, listening, accepting

select(Node) ->
    case split_node(atom_to_list(Node), $@, []) of
        [_, Host] ->
            case inet:getaddr(Host, inet) of
                {ok, _} -> true;
                _ -> false
            end;
        _ ->
            false
    end.

is_node_name(Node) when is_atom(Node) ->
    case split_node(atom_to_list(Node), $@, []) of
        [_, _Host] -> true;
        _ -> false
    end;
is_node_name(_) ->
    false.

listen(Name) ->
    Opts = [binary, {active, false}, {packet, 4}, {reuseaddr, true},
            {backlog, 1024}, {nodelay, true}],
    case listen_port(Opts) of
        {ok, Socket} ->
            {ok, {_Ip, Port} = Address} = inet:sockname(Socket),
            {ok, Host} = inet:gethostname(),
            NetAddress = #net_address{address = Address, host = Host,
                                      protocol = tcp, family = inet},
            ErlEpmd = net_kernel:epmd_module(),
            case ErlEpmd:register_node(Name, Port) of
                {ok, Creation} -> {ok, {Socket, NetAddress, Creation}};
                Error -> Error
            end;
        Error ->
            Error
    end.

listen_port(Opts0) ->
    Opts = case application:get_env(kernel, inet_dist_use_interface) of
               {ok, Ip} -> [{ip, Ip} | Opts0];
               _ -> Opts0
           end,
    {First, Last} =
        case application:get_env(kernel, inet_dist_listen_min) of
            {ok, Min} when is_integer(Min) ->
                case application:get_env(kernel, inet_dist_listen_max) of
                    {ok, Max} when is_integer(Max) -> {Min, Max};
                    _ -> {Min, Min}
                end;
            _ ->
                {0, 0}
        end,
    listen_port(First, Last, Opts).

listen_port(First, Last, _) when First > Last ->
    {error, eaddrinuse};
listen_port(First, Last, Opts) ->
    case gen_tcp:listen(First, Opts) of
        {error, eaddrinuse} -> listen_port(First + 1, Last, Opts);
        Other -> Other
    end.

close(Listen) ->
    gen_tcp:close(Listen).

accept(Listen) ->
    spawn_opt(?MODULE, accept_loop, [self(), Listen], [link, {priority, max}]).

accept_loop(Kernel, Listen) ->
    case gen_tcp:accept(Listen) of
        {ok, Socket} ->
            Rx = start_controller(Socket),
            Kernel ! {accept, self(), Rx, inet, tcp},
            receive
                {Kernel, controller, SupPid} ->
                    call(Rx, {supervisor, SupPid}),
                    SupPid ! {self(), controller};
                {Kernel, unsupported_protocol} ->
                    exit(unsupported_protocol)
            end,
            accept_loop(Kernel, Listen);
        Error ->
            exit(Error)
    end.

accept_connection(AcceptPid, Rx, MyNode, Allowed, SetupTime) ->
    spawn_opt(?MODULE, do_accept,
              [self(), AcceptPid, Rx, MyNode, Allowed, SetupTime],
              [link, {priority, max}]).

do_accept(Kernel, AcceptPid, Rx, MyNode, Allowed, SetupTime) ->
    receive
        {AcceptPid, controller} ->
            Timer = dist_util:start_timer(SetupTime),
            HSData = (hs_data(Rx))#hs_data{kernel_pid = Kernel,
                                           this_node = MyNode,
                                           timer = Timer,
                                           this_flags = 0,
                                           allowed = Allowed},
            dist_util:handshake_other_started(HSData)
    end.

%%% Connecting

setup(Node, Type, MyNode, LongOrShortNames, SetupTime) ->
    spawn_opt(?MODULE, do_setup,
              [self(), Node, Type, MyNode, LongOrShortNames, SetupTime],
              [link, {priority, max}]).

do_setup(Kernel, Node, Type, MyNode, LongOrShortNames, SetupTime) ->
    [Name, Address] = splitnode(Node, LongOrShortNames),
    case inet:getaddr(Address, inet) of
        {ok, Ip} ->
            Timer = dist_util:start_timer(SetupTime),
            #{epmd_rtts := EpmdRtts, connect_rtts := ConnectRtts} = config(),
            sleep_rtts(EpmdRtts),
            ErlEpmd = net_kernel:epmd_module(),
            case ErlEpmd:port_please(Name, Ip) of
                {port, TcpPort, Version} ->
                    dist_util:reset_timer(Timer),
                    Opts = [binary, {active, false}, {packet, 4}, {nodelay, true}],
                    case gen_tcp:connect(Ip, TcpPort, Opts) of
                        {ok, Socket} ->
                            sleep_rtts(ConnectRtts),
                            Rx = start_controller(Socket),
                            call(Rx, {supervisor, self()}),
                            HSData = (hs_data(Rx))#hs_data{kernel_pid = Kernel,
                                                           other_node = Node,
                                                           this_node = MyNode,
                                                           timer = Timer,
                                                           this_flags = 0,
                                                           other_version = Version,
                                                           request_type = Type},
                            dist_util:handshake_we_started(HSData);
                        _ ->
                            ?shutdown(Node)
                    end;
                _ ->
                    ?shutdown(Node)
            end;
        _ ->
            ?shutdown(Node)
    end.

splitnode(Node, LongOrShortNames) ->
    case split_node(atom_to_list(Node), $@, []) of
        [Name | Tail] when Tail =/= [] ->
            Host = lists:append(Tail),
            case split_node(Host, $., []) of
                [_] when LongOrShortNames =:= longnames ->
                    case inet:parse_address(Host) of
                        {ok, _} -> [Name, Host];
                        _ -> ?shutdown(Node)
                    end;
                L when length(L) > 1, LongOrShortNames =:= shortnames ->
                    ?shutdown(Node);
                _ ->
                    [Name, Host]
            end;
        _ ->
            ?shutdown(Node)
    end.

split_node([Chr | T], Chr, Acc) -> [lists:reverse(Acc) | split_node(T, Chr, [])];
split_node([H | T], Chr, Acc) -> split_node(T, Chr, [H | Acc]);
split_node([], _, Acc) -> [lists:reverse(Acc)].

%%% The handshake's view of a connection

hs_data(Rx) ->
    Tx = call(Rx, tx),
    #hs_data{socket = Rx,
             f_send = fun(_, Packet) -> Tx ! {send, Packet}, ok end,
             f_recv = fun(_, Length, Timeout) ->
                              case call(Rx, {recv, Length, Timeout}) of
                                  {ok, Bin} when is_binary(Bin) -> {ok, binary_to_list(Bin)};
                                  Other -> Other
                              end
                      end,
             f_setopts_pre_nodeup = fun(_) -> ok end,
             f_setopts_post_nodeup = fun(_) -> ok end,
             f_getll = fun(_) -> {ok, Tx} end,
             f_address = fun(_, Node) ->
                                 case call(Rx, {address, Node}) of
                                     {error, no_node} -> ?shutdown(no_node);
                                     Res -> Res
                                 end
                         end,
             f_handshake_complete = fun(_, _Node, DHandle) ->
                                            call(Tx, {handshake_complete, DHandle})
                                    end,
             mf_tick = fun(_) -> Tx ! tick, ok end,
             mf_getstat = fun(_) -> call(Rx, getstat) end,
             mf_setopts = fun(_, Opts) -> call(Rx, {setopts, Opts}) end,
             mf_getopts = fun(_, Opts) -> call(Rx, {getopts, Opts}) end}.

setopts(Socket, Opts) ->
    case [O || {K, _} = O <- Opts, K =:= active orelse K =:= deliver orelse K =:= packet] of
        [] -> inet:setopts(Socket, Opts);
        Bad -> {error, {badopts, Bad}}
    end.

getopts(Socket, Opts) ->
    inet:getopts(Socket, Opts).

call(Pid, Msg) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {Ref, self(), Msg},
    receive
        {Ref, Res} ->
            erlang:demonitor(Ref, [flush]),
            Res;
        {'DOWN', Ref, process, Pid, Reason} ->
            exit({dist_controller_exit, Reason})
    end.

%%% The receiver: owns the socket

%% Called by the process that owns Socket now (acceptor or setup).
start_controller(Socket) ->
    Rx = spawn_opt(?MODULE, rx_init, [Socket, self()], [{priority, max} | ?SPAWN_OPTS]),
    ok = gen_tcp:controlling_process(Socket, Rx),
    Rx ! {self(), socket_given},
    Rx.

rx_init(Socket, Owner) ->
    receive {Owner, socket_given} -> ok end,
    process_flag(trap_exit, true),
    Tx = spawn_opt(?MODULE, tx_init, [Socket, self(), config()],
                   [link, {priority, high} | ?SPAWN_OPTS]),
    rx_setup(Socket, Tx).

%% During the handshake: serve dist_util's calls.
rx_setup(Socket, Tx) ->
    receive
        {Ref, From, Req} when is_reference(Ref) ->
            case rx_request(Req, Socket, Tx) of
                {reply, Res} ->
                    From ! {Ref, Res},
                    rx_setup(Socket, Tx);
                {input, DHandle} ->
                    From ! {Ref, ok},
                    process_flag(priority, normal),
                    rx_loop(DHandle, Socket, Tx, 0)
            end;
        {tcp_closed, Socket} ->
            exit(connection_closed);
        {'EXIT', From, Reason} ->
            rx_down(Socket, Tx, From, Reason);
        _ ->
            rx_setup(Socket, Tx)
    end.

rx_request({supervisor, Sup}, _Socket, Tx) ->
    link(Sup),
    call(Tx, {supervisor, Sup}),
    {reply, true};
rx_request(tx, _Socket, Tx) ->
    {reply, Tx};
rx_request({recv, Length, Timeout}, Socket, Tx) ->
    {reply, recv(Socket, Tx, Length, deadline(Timeout))};
rx_request({address, Node}, Socket, _Tx) ->
    {reply, case inet:peername(Socket) of
                {ok, Address} ->
                    case split_node(atom_to_list(Node), $@, []) of
                        [_, Host] ->
                            #net_address{address = Address, host = Host,
                                         protocol = tcp, family = inet};
                        _ ->
                            {error, no_node}
                    end;
                Error ->
                    Error
            end};
rx_request(getstat, Socket, _Tx) ->
    {reply, case inet:getstat(Socket, [recv_cnt, send_cnt, send_pend]) of
                {ok, Stat} ->
                    {ok, proplists:get_value(recv_cnt, Stat, 0),
                     proplists:get_value(send_cnt, Stat, 0),
                     proplists:get_value(send_pend, Stat, 0)};
                Error ->
                    Error
            end};
rx_request({setopts, Opts}, Socket, _Tx) ->
    {reply, setopts(Socket, Opts)};
rx_request({getopts, Opts}, Socket, _Tx) ->
    {reply, getopts(Socket, Opts)};
rx_request({input, DHandle}, _Socket, _Tx) ->
    {input, DHandle};
rx_request(_, _Socket, _Tx) ->
    {reply, {error, unknown_request}}.

%% The handshake's recv, in slices of at most a second, so that an exit
%% signal (trapped) is seen while waiting: the handshake process may be
%% gone (its setup timer), and the remote quiet.
recv(Socket, Tx, Length, Deadline) ->
    Slice = case Deadline of
                infinity -> 1000;
                _ -> max(0, min(1000, Deadline - erlang:monotonic_time(millisecond)))
            end,
    case gen_tcp:recv(Socket, Length, Slice) of
        {error, timeout} ->
            receive
                {'EXIT', From, Reason} -> rx_down(Socket, Tx, From, Reason)
            after 0 ->
                    case Deadline =/= infinity andalso erlang:monotonic_time(millisecond) >= Deadline of
                        true -> {error, timeout};
                        false -> recv(Socket, Tx, Length, Deadline)
                    end
            end;
        Other ->
            Other
    end.

deadline(infinity) -> infinity;
deadline(Ms) -> erlang:monotonic_time(millisecond) + Ms.

%% After the handshake: feed the VM. Requests (getstat, setopts) still
%% come from the connection's supervisor.
rx_loop(DHandle, Socket, Tx, N) when N =< ?ACTIVE_N div 2 ->
    ok = inet:setopts(Socket, [{active, ?ACTIVE_N - N}]),
    rx_loop(DHandle, Socket, Tx, ?ACTIVE_N);
rx_loop(DHandle, Socket, Tx, N) ->
    receive
        {tcp, Socket, Data} ->
            try erlang:dist_ctrl_put_data(DHandle, Data)
            catch _:_ -> death_row()
            end,
            rx_loop(DHandle, Socket, Tx, N - 1);
        {tcp_closed, Socket} ->
            exit(connection_closed);
        {Ref, From, Req} when is_reference(Ref) ->
            {reply, Res} = rx_request(Req, Socket, Tx),
            From ! {Ref, Res},
            rx_loop(DHandle, Socket, Tx, N);
        {'EXIT', From, Reason} ->
            rx_down(Socket, Tx, From, Reason);
        _ ->
            rx_loop(DHandle, Socket, Tx, N)
    end.

%% The connection is going down (a linked process exited: the handshake
%% failed, or the connection's supervisor stopped). As TCP would, the
%% packets already written still arrive, and the close after them: the
%% sender drains its queue and says when the socket may be closed, one
%% latency after now at the earliest. (The status `nok' of a simultaneous
%% connect, for one, is written just before the handshake process exits.)
rx_down(Socket, Tx, Tx, Reason) ->
    gen_tcp:close(Socket),
    exit(down_reason(Reason));
rx_down(Socket, Tx, _From, Reason) ->
    Tx ! {linger, self()},
    receive
        {Tx, close} -> ok;
        {'EXIT', Tx, _} -> ok
    after 60000 ->
            ok
    end,
    gen_tcp:close(Socket),
    exit(down_reason(Reason)).

down_reason(normal) -> connection_closed;
down_reason(Reason) -> Reason.

%% A call on a connection that is going down failed: wait for the exit
%% signal of whoever started the teardown and keep its reason.
death_row() ->
    receive {'EXIT', _, Reason} -> exit(down_reason(Reason))
    after 5000 -> exit(connection_closed)
    end.

%%% The sender: the distribution controller, shapes and writes

-record(tx, {socket,
             rx,
             latency,          % one-way latency, microseconds
             mbit,             % cap, bits per microsecond; 0 = none
             shaped,           % false: write at once
             dhandle,          % undefined during the handshake
             queue = queue:new(), % {ReleaseUs, Size, Data}
             queued = 0,       % bytes in queue
             limit,            % stop pulling from the VM above this
             link_free = 0,    % when the wire has sent all queued, us
             timer,            % {Ref, AtUs} | undefined
             paused = false}). % stopped pulling at the limit

tx_init(Socket, Rx, #{latency_us := L, mbit := Mbit}) ->
    process_flag(trap_exit, true),
    Shaped = L > 0 orelse Mbit > 0,
    %% About two bandwidth-delay products (at least 256 KB); unlimited
    %% bandwidth: 16 MB in flight at most.
    Limit = case Mbit > 0 of
                true -> max(256 * 1024, round(2 * Mbit * max(L, 1000) / 8));
                false -> 16 * 1024 * 1024
            end,
    tx_loop(#tx{socket = Socket, rx = Rx, latency = L, mbit = Mbit,
                shaped = Shaped, limit = Limit, link_free = now_us()}).

tx_loop(S) ->
    receive
        dist_data ->
            tx_loop(pull(S));
        {send, Packet} ->
            tx_loop(put(iolist_size(Packet), Packet, S));
        tick ->
            tx_loop(put(0, <<>>, S));
        {timeout, Ref, release} when element(1, S#tx.timer) =:= Ref ->
            tx_loop(release(S#tx{timer = undefined}));
        {Ref, From, Req} when is_reference(Ref) ->
            {Res, S1} = tx_request(Req, S),
            From ! {Ref, Res},
            tx_loop(S1);
        {'EXIT', Rx, Reason} when Rx =:= S#tx.rx ->
            %% The socket went with its owner.
            exit(down_reason(Reason));
        {'EXIT', _, Reason} ->
            linger(S, Reason);
        {linger, _} ->
            linger(S, connection_closed);
        _ ->
            tx_loop(S)
    end.

%% Going down: write what is queued at its time, then let the receiver
%% close the socket one latency after the last packet (the FIN's trip).
linger(S0, Reason) ->
    S = S0#tx{dhandle = undefined, paused = false},
    FinAt = max(now_us(), S#tx.link_free) + S#tx.latency,
    linger_loop(S, FinAt, Reason).

linger_loop(#tx{rx = Rx} = S, FinAt, Reason) ->
    case queue:is_empty(S#tx.queue) of
        true ->
            Wait = max(0, ceil((FinAt - now_us()) / 1000)),
            receive {'EXIT', Rx, _} -> ok after Wait -> ok end,
            Rx ! {self(), close},
            exit(down_reason(Reason));
        false ->
            receive
                {timeout, Ref, release} when element(1, S#tx.timer) =:= Ref ->
                    linger_loop(release(S#tx{timer = undefined}), FinAt, Reason);
                {'EXIT', Rx, _} ->
                    exit(down_reason(Reason));
                _ ->
                    linger_loop(S, FinAt, Reason)
            end
    end.

tx_request({supervisor, Sup}, S) ->
    {link(Sup), S};
tx_request({handshake_complete, DHandle}, S) ->
    ok = erlang:dist_ctrl_input_handler(DHandle, S#tx.rx),
    ok = call(S#tx.rx, {input, DHandle}),
    _ = erlang:dist_ctrl_set_opt(DHandle, get_size, true),
    {ok, pull(S#tx{dhandle = DHandle})};
tx_request(_, S) ->
    {{error, unknown_request}, S}.

%% Takes what the VM has for this connection, up to the limit.
pull(#tx{dhandle = undefined} = S) ->
    S;
pull(#tx{queued = Q, limit = Limit} = S) when Q > Limit ->
    S#tx{paused = true};
pull(#tx{dhandle = DHandle} = S) ->
    try erlang:dist_ctrl_get_data(DHandle) of
        none ->
            erlang:dist_ctrl_get_data_notification(DHandle),
            S#tx{paused = false};
        {Size, Data} ->
            pull(put(Size, Data, S))
    catch _:_ ->
            death_row()
    end.

%% One packet onto the emulated wire.
put(_Size, Data, #tx{shaped = false} = S) ->
    send(S#tx.socket, Data),
    S;
put(Size, Data, #tx{latency = L, mbit = Mbit, queue = Q, queued = Queued} = S) ->
    Now = now_us(),
    Start = max(Now, S#tx.link_free),
    Done = case Mbit > 0 of
               true -> Start + (Size + 4) * 8 / Mbit;
               false -> Start
           end,
    Release = Done + L,
    arm(S#tx{queue = queue:in({Release, Size, Data}, Q), queued = Queued + Size,
             link_free = Done}).

%% Writes every packet that is due, then waits for the next one.
release(#tx{queue = Q, socket = Socket} = S) ->
    Now = now_us(),
    case queue:peek(Q) of
        {value, {At, Size, Data}} when At =< Now + ?EARLY_US ->
            send(Socket, Data),
            Q1 = queue:drop(Q),
            S1 = S#tx{queue = Q1, queued = S#tx.queued - Size},
            S2 = case S1#tx.paused andalso S1#tx.queued =< S1#tx.limit div 2 of
                     true -> pull(S1);
                     false -> S1
                 end,
            release(S2);
        {value, {At, _, _}} when At =< Now + ?SPIN_US ->
            spin_until(At - ?EARLY_US),
            release(S);
        _ ->
            arm(S)
    end.

%% Keeps a timer armed for the head of the queue. Erlang's timers count
%% whole milliseconds and fire late (measured here: 0.9..1.0 ms after the
%% time asked, sometimes more), so the timer is asked for the latest whole
%% millisecond that should fire no more than ?SPIN_US before the packet is
%% due, and the rest is waited for by yielding. A packet is never written
%% early and about 0..0.75 ms late (later when the schedulers are busy).
arm(#tx{timer = undefined, queue = Q} = S) ->
    case queue:peek(Q) of
        {value, {At, _, _}} ->
            Ms = max(0, ceil((At - now_us() - ?TIMER_LATE_US - ?SPIN_US) / 1000)),
            Ref = erlang:start_timer(Ms, self(), release),
            S#tx{timer = {Ref, At}};
        empty ->
            S
    end;
arm(S) ->
    S.

spin_until(T) ->
    case now_us() >= T of
        true -> ok;
        false -> erlang:yield(), spin_until(T)
    end.

send(Socket, Data) ->
    try gen_tcp:send(Socket, Data) of
        ok -> ok;
        {error, _} -> death_row()
    catch _:_ -> death_row()
    end.

now_us() ->
    erlang:monotonic_time(microsecond).
