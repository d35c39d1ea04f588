%%% @doc Checks plc_shaped_dist (bench/c1k/shaped_check.sh runs main/0).
%%%
%%% The controller is not distributed: it starts pairs of nodes with
%%% `peer' over standard_io and has one of each pair measure the link to
%%% the other.
%%%   1. latency 20 ms, 100 Mbit/s, -sname: connection set-up (>= 2 RTTs),
%%%      ping round trip after the connection is up (40..60 ms), 12.5 MB in
%%%      1 KB messages (>= 0.9 s, 1.0 s is the cap's time)
%%%   2. latency 0, no cap vs plain inet_tcp: 12.5 MB in 1 KB messages,
%%%      throughput within 2x
%%%   3. latency 20, -name ...@127.0.0.1 -hidden: connects, ping 40..60 ms,
%%%      and the peers see each other as hidden
%%%   4. latency 20 ms: two nodes connect to each other at the same time;
%%%      the loser's handshake status (nok) must arrive before its close,
%%%      as over TCP, and one connection comes up (one connect_node may
%%%      return false, as with inet_tcp)
%%% Prints the figures and `shaped_check: N passed, N failed'; halts with 1
%%% when a check failed.
-module(shaped_check).

-export([main/0]).
%% Run on the peers.
-export([connect/1, connect_at/2, ping_rtts/2, throughput/3, start_sink/0, sink/2, hidden_view/0]).

-define(MB, 12500000).
-define(MSG, 1000).

main() ->
    Ebin = filename:dirname(code:which(?MODULE)),
    Results =
        try
            shaped_pair(Ebin) ++ unshaped_vs_tcp(Ebin) ++ hidden_longnames(Ebin) ++ simultaneous(Ebin)
        catch C:R:St ->
                io:format("shaped_check crashed: ~p:~p~n~p~n", [C, R, St]),
                [{crash, false}]
        end,
    Passed = length([ok || {_, true} <- Results]),
    Failed = length(Results) - Passed,
    io:format("shaped_check: ~b passed, ~b failed~n", [Passed, Failed]),
    halt(case Failed of 0 -> 0; _ -> 1 end).

shaped(Ebin, Latency, Mbit) ->
    ["-proto_dist", "plc_shaped", "-pa", Ebin,
     "-plc_shaped", "latency_ms", integer_to_list(Latency),
     "-plc_shaped", "mbit", integer_to_list(Mbit)].

%% Two peers: A measures, B receives.
pair(Tag, Args, Opts) ->
    Name = fun(S) -> list_to_atom(lists:concat(["shck_", Tag, "_", S, "_", os:getpid()])) end,
    Base = maps:merge(#{host => "localhost", connection => standard_io, args => Args}, Opts),
    {ok, A, _} = peer:start_link(Base#{name => Name(a)}),
    {ok, B, NodeB} = peer:start_link(Base#{name => Name(b)}),
    {A, B, NodeB}.

stop(Peers) ->
    [catch peer:stop(P) || P <- Peers],
    ok.

check(Name, Ok, Fmt, Args) ->
    io:format("  ~-44s ~s  " ++ Fmt ++ "~n",
              [Name, case Ok of true -> "ok  "; false -> "FAIL" end | Args]),
    {Name, Ok}.

shaped_pair(Ebin) ->
    io:format("latency 20 ms, 100 Mbit/s, -sname:~n"),
    {A, B, NodeB} = pair(l20, shaped(Ebin, 20, 100), #{}),
    try
        SetupMs = peer:call(A, ?MODULE, connect, [NodeB], 30000),
        Rtts = peer:call(A, ?MODULE, ping_rtts, [NodeB, 20], 30000),
        Median = median(Rtts),
        ok = peer:call(B, ?MODULE, start_sink, []),
        {Secs, Bytes} = peer:call(A, ?MODULE, throughput, [NodeB, ?MB div ?MSG, ?MSG], 60000),
        [check("connection set-up >= 2 RTTs (80 ms)", SetupMs >= 80,
               "~.1f ms (epmd 2 + connect 1 + handshake 2 RTTs = 200 ms expected)", [SetupMs]),
         check("ping round trip 40..60 ms", Median >= 40 andalso Median < 60,
               "median ~.1f ms, min ~.1f, max ~.1f over ~b", [Median, lists:min(Rtts), lists:max(Rtts), length(Rtts)]),
         check("12.5 MB in 1 KB messages >= 0.9 s", Secs >= 0.9,
               "~.3f s, ~.1f Mbit/s of payload", [Secs, Bytes * 8 / Secs / 1.0e6])]
    after
        stop([A, B])
    end.

unshaped_vs_tcp(Ebin) ->
    io:format("latency 0, no cap vs plain inet_tcp, 12.5 MB in 1 KB messages:~n"),
    Run = fun(Tag, Args) ->
                  {A, B, NodeB} = pair(Tag, Args, #{}),
                  try
                      Setup = peer:call(A, ?MODULE, connect, [NodeB], 30000),
                      ok = peer:call(B, ?MODULE, start_sink, []),
                      Rtt = median(peer:call(A, ?MODULE, ping_rtts, [NodeB, 20], 30000)),
                      {S, Bytes} = peer:call(A, ?MODULE, throughput, [NodeB, ?MB div ?MSG, ?MSG], 60000),
                      {Bytes * 8 / S / 1.0e6, Rtt, Setup}
                  after
                      stop([A, B])
                  end
          end,
    {Shaped, RttShaped, SetupShaped} = Run(l0, shaped(Ebin, 0, 0)),
    {Tcp, RttTcp, SetupTcp} = Run(tcp, ["-pa", Ebin]),
    Ratio = Tcp / Shaped,
    [check("throughput within 2x of inet_tcp", Ratio =< 2.0,
           "plc_shaped ~.1f Mbit/s (ping ~.2f ms, set-up ~.1f ms), "
           "inet_tcp ~.1f Mbit/s (ping ~.2f ms, set-up ~.1f ms), ratio ~.2f",
           [Shaped, RttShaped, SetupShaped, Tcp, RttTcp, SetupTcp, Ratio])].

hidden_longnames(Ebin) ->
    io:format("latency 20 ms, -name ...@127.0.0.1 -hidden:~n"),
    {A, B, NodeB} = pair(hid, shaped(Ebin, 20, 100) ++ ["-hidden"],
                         #{host => "127.0.0.1", longnames => true}),
    try
        SetupMs = peer:call(A, ?MODULE, connect, [NodeB], 30000),
        Median = median(peer:call(A, ?MODULE, ping_rtts, [NodeB, 10], 30000)),
        {Visible, Hidden} = peer:call(A, ?MODULE, hidden_view, []),
        [check("-name -hidden connects", is_float(SetupMs), "~p ms", [SetupMs]),
         check("-name -hidden ping 40..60 ms", Median >= 40 andalso Median < 60, "median ~.1f ms", [Median]),
         check("-hidden: not visible, hidden", Visible =:= [] andalso Hidden =:= [NodeB],
               "nodes() ~p, nodes(hidden) ~p", [Visible, Hidden])]
    after
        stop([A, B])
    end.

simultaneous(Ebin) ->
    io:format("latency 20 ms, simultaneous connect:~n"),
    {A, B, NodeB} = pair(sim, shaped(Ebin, 20, 100), #{}),
    try
        NodeA = peer:call(A, erlang, node, []),
        Self = self(),
        [spawn(fun() -> Self ! {P, peer:call(P, ?MODULE, connect_at, [Other, At], 30000)} end)
         || At <- [erlang:system_time(millisecond) + 500], {P, Other} <- [{A, NodeB}, {B, NodeA}]],
        Results = [receive {P, R} -> R after 30000 -> timeout end || P <- [A, B]],
        timer:sleep(500),
        Views = [peer:call(P, erlang, nodes, [connected]) || P <- [A, B]],
        [check("simultaneous connect: one connection", Views =:= [[NodeB], [NodeA]],
               "connect_node results ~w, connected ~w", [Results, Views])]
    after
        stop([A, B])
    end.

median(L) ->
    lists:nth((length(L) + 1) div 2, lists:sort(L)).

%%% On the peers

%% Milliseconds for net_kernel:connect_node (EPMD lookup, TCP, handshake).
connect(Node) ->
    T0 = erlang:monotonic_time(microsecond),
    true = net_kernel:connect_node(Node),
    (erlang:monotonic_time(microsecond) - T0) / 1000.

%% net_kernel:connect_node at system time At (ms): {Result, ms taken}.
connect_at(Node, At) ->
    timer:sleep(max(0, At - erlang:system_time(millisecond))),
    T0 = erlang:monotonic_time(microsecond),
    R = net_kernel:connect_node(Node),
    {R, (erlang:monotonic_time(microsecond) - T0) div 1000}.

ping_rtts(Node, N) ->
    [begin
         T0 = erlang:monotonic_time(microsecond),
         pong = net_adm:ping(Node),
         (erlang:monotonic_time(microsecond) - T0) / 1000
     end || _ <- lists:seq(1, N)].

hidden_view() ->
    {nodes(), nodes(hidden)}.

start_sink() ->
    Pid = spawn(?MODULE, sink, [0, 0]),
    register(shaped_check_sink, Pid),
    ok.

sink(Count, Bytes) ->
    receive
        {data, Bin} -> sink(Count + 1, Bytes + byte_size(Bin));
        {done, From} -> From ! {sink_done, Count, Bytes}, sink(0, 0)
    end.

%% Sends N messages of Size bytes (distinct binaries) to the sink on Node;
%% {seconds until the sink confirmed all, bytes}.
throughput(Node, N, Size) ->
    Sink = {shaped_check_sink, Node},
    Bins = [crypto_free_bin(I, Size) || I <- lists:seq(1, 64)],
    T0 = erlang:monotonic_time(microsecond),
    send_loop(Sink, Bins, Bins, N),
    Sink ! {done, self()},
    receive
        {sink_done, N, Bytes} ->
            {(erlang:monotonic_time(microsecond) - T0) / 1.0e6, Bytes}
    after 120000 ->
            error(sink_timeout)
    end.

send_loop(_Sink, _All, _Bins, 0) -> ok;
send_loop(Sink, All, [], N) -> send_loop(Sink, All, All, N);
send_loop(Sink, All, [B | Bins], N) ->
    Sink ! {data, B},
    send_loop(Sink, All, Bins, N - 1).

crypto_free_bin(I, Size) ->
    binary:part(binary:copy(<<I:32>>, Size div 4 + 1), 0, Size).
