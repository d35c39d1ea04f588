%%% @doc Calibration of the shaped carrier with plain OTP (no plc), to be
%%% compared with figures measured on a real network:
%%%   global: N nodes join one seed node and register 10 names each in
%%%   `global' at 20 ms one-way: 1.4 s (N=5), 4.3 s (N=15), 8.6 s (N=30);
%%%   hidden ring: 15 hidden nodes, each connected to its 2 neighbours,
%%%   pass a token around: 0.6 s.
%%% bench/c1k/calibrate.sh runs main/0 (CAL_LATENCY_MS, CAL_MBIT, CAL_NS
%%% and CAL_RING_N in the environment change the defaults 20, 100, 5,15,30
%%% and 15).
%%%
%%% Global: the clock starts when the controller tells every node (all
%%% booted, none connected) to go; each node connects to the seed
%%% (net_kernel:connect_node), registers its 10 names one after the other
%%% (global:register_name, a process each) and waits until it sees all
%%% 10 N names (global:registered_names/0, polled every 2 ms); the figure
%%% is the time the last node saw them all, i.e. until the registry has
%%% converged. (Variants tried, at N = 5: waiting for global:sync/0 before
%%% registering took 11.9 s, each registration then costing 5 round trips
%%% and the first ones several seconds of lock back-off; the
%%% registrations alone, without sync, return at once, 0.26 s: they
%%% see no other node yet.)
%%% Ring: the clock starts at go; every node connects to both neighbours
%%% (in parallel); node 1 sends the token once connected to its next; each
%%% node passes it on; the figure is its return to node 1 (the first lap,
%%% connections included), and a second lap on the open connections.
-module(c1k_calibrate).

-export([main/0]).
%% On the peers.
-export([global_node/4, ring_node/3, ring_await/1]).

-define(REFERENCE, #{5 => 1.4, 15 => 4.3, 30 => 8.6}).
-define(RING_REFERENCE, 0.6).

main() ->
    L = env_int("CAL_LATENCY_MS", 20),
    Mbit = env_int("CAL_MBIT", 100),
    Ns = [list_to_integer(S) || S <- string:lexemes(os:getenv("CAL_NS", "5,15,30"), ",")],
    RingN = env_int("CAL_RING_N", 15),
    io:format("calibration, plain OTP over plc_shaped: one-way ~b ms, ~b Mbit/s~n", [L, Mbit]),
    Global = [{N, global_run(N, L, Mbit)} || N <- Ns],
    Ring = ring_run(RingN, L, Mbit),
    io:format("~nsummary (measured vs reference at 20 ms):~n"),
    [io:format("  global N=~-3b ~6.2f s   reference ~s~n",
               [N, S, case maps:find(N, ?REFERENCE) of {ok, R} -> io_lib:format("~.1f s (x~.2f)", [R, S / R]); error -> "-" end])
     || {N, #{all_registered := S}} <- Global],
    #{first_lap := Lap1, second_lap := Lap2} = Ring,
    io:format("  ring   N=~-3b ~6.2f s   reference ~.1f s (x~.2f); second lap ~.3f s~n",
              [RingN, Lap1, ?RING_REFERENCE, Lap1 / ?RING_REFERENCE, Lap2]),
    [io:format("BENCH c1k_calibrate_global_n~b_l~b ~.3f s~n", [N, L, S]) || {N, #{all_registered := S}} <- Global],
    io:format("BENCH c1k_calibrate_ring_n~b_l~b ~.3f s~n", [RingN, L, Lap1]),
    halt(0).

env_int(Name, Default) ->
    case os:getenv(Name) of
        false -> Default;
        "" -> Default;
        V -> list_to_integer(V)
    end.

names(Prefix, Count) ->
    Tag = integer_to_list(erlang:unique_integer([positive])),
    [list_to_atom(lists:concat(["c1kcal", Tag, "_", Prefix, I])) || I <- lists:seq(1, Count)].

%%% Global

global_run(N, L, Mbit) ->
    Args = c1k_peers:vm_args() ++ c1k_peers:shaped_args(L, Mbit),
    io:format("global: booting ~b nodes + seed ...~n", [N]),
    [{_, SeedPeer, Seed} | Nodes] = c1k_peers:boot(names(n, N + 1), Args, 4),
    Peers = [P || {_, P, _} <- Nodes],
    try
        preload([SeedPeer | Peers]),
        T0 = os:system_time(microsecond),
        Results = c1k_peers:pmap(fun(P) -> c1k_peers:call(P, ?MODULE, global_node, [Seed, 10, 10 * N, 300000], 310000) end,
                                 Peers, length(Peers)),
        Ends = [E || {ok, {ok, E}} <- Results],
        length(Ends) =:= N orelse error({global_failed, Results}),
        Registered = lists:max([maps:get(registered, E) || E <- Ends]),
        AllSeen = lists:max([maps:get(all_seen, E) || E <- Ends]),
        R = #{all_registered => (AllSeen - T0) / 1.0e6, registered => (Registered - T0) / 1.0e6,
              connect_ms => lists:max([maps:get(connect_ms, E) || E <- Ends])},
        io:format("  N=~b: every node saw all ~b names after ~.3f s (registrations returned by ~.3f s, "
                  "connections to the seed took up to ~b ms)~n",
                  [N, 10 * N, maps:get(all_registered, R), maps:get(registered, R), maps:get(connect_ms, R)]),
        R
    after
        c1k_peers:stop([SeedPeer | Peers])
    end.

%% Before the clock: the code of distribution and global loaded on every
%% node (as in embedded mode), so that 30 VMs loading it at once on 2
%% cores do not count as latency.
preload(Peers) ->
    {ok, Kernel} = application:get_key(kernel, modules),
    _ = c1k_peers:pmap(fun(P) -> c1k_peers:call(P, code, ensure_modules_loaded,
                                                [Kernel ++ [plc_shaped_dist, ?MODULE]], 60000)
                       end, Peers, 4),
    ok.

%% On a node: connect to the seed, register Count names (a process each),
%% wait until Total names are known here.
global_node(Seed, Count, Total, Timeout) ->
    T0 = erlang:monotonic_time(millisecond),
    true = net_kernel:connect_node(Seed),
    ConnectMs = erlang:monotonic_time(millisecond) - T0,
    lists:foreach(fun(K) ->
                          Pid = spawn(fun() -> receive stop -> ok end end),
                          yes = global:register_name({c1kcal, node(), K}, Pid)
                  end, lists:seq(1, Count)),
    Registered = os:system_time(microsecond),
    case poll(fun() -> length(global:registered_names()) >= Total end, T0 + Timeout, 2) of
        true -> {ok, #{connect_ms => ConnectMs, registered => Registered, all_seen => os:system_time(microsecond)}};
        false -> {error, {timeout, length(global:registered_names())}}
    end.

%% Polls Ready every SleepMs until it holds (true) or Deadline passes (false).
poll(Ready, Deadline, SleepMs) ->
    case Ready() of
        true -> true;
        false ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> false;
                false -> timer:sleep(SleepMs), poll(Ready, Deadline, SleepMs)
            end
    end.

%%% Hidden ring

ring_run(N, L, Mbit) ->
    Args = c1k_peers:vm_args() ++ c1k_peers:shaped_args(L, Mbit) ++ ["-hidden"],
    io:format("ring: booting ~b hidden nodes ...~n", [N]),
    Booted = c1k_peers:boot(names(r, N), Args, 4),
    Nodes = [Node || {_, _, Node} <- Booted],
    Peers = [P || {_, P, _} <- Booted],
    try
        preload(Peers),
        Arr = list_to_tuple(Nodes),
        At = fun(I) -> element((I + N - 1) rem N + 1, Arr) end,
        T0 = os:system_time(microsecond),
        Go = c1k_peers:pmap(fun({I, P}) ->
                                    c1k_peers:call(P, ?MODULE, ring_node, [At(I - 1), At(I + 1), I =:= 1], 60000)
                            end, lists:zip(lists:seq(1, N), Peers), N),
        [ok = R || {ok, R} <- Go],
        {ok, {T1, T2, Hops}} = c1k_peers:call(hd(Peers), ?MODULE, ring_await, [120000], 130000),
        {ok, Conns} = {ok, [C || {ok, C} <- c1k_peers:pmap(fun(P) -> c1k_peers:call(P, erlang, nodes, [connected], 10000) end, Peers, 8)]},
        R = #{first_lap => (T1 - T0) / 1.0e6, second_lap => (T2 - T1) / 1.0e6},
        io:format("  N=~b: token back after ~.3f s (~b hops, connections included), second lap ~.3f s; "
                  "connections per node ~p~n",
                  [N, maps:get(first_lap, R), Hops, maps:get(second_lap, R), lists:usort([length(C) || C <- Conns])]),
        R
    after
        c1k_peers:stop(Peers)
    end.

%% On a ring node: a registered process passes {token, Hops, Lap} to Next;
%% node 1 starts it once connected to Next, and records two laps.
ring_node(Prev, Next, First) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        register(c1kcal_ring, self()),
                        Parent ! registered,
                        %% Connect to both neighbours in parallel.
                        Self = self(),
                        [spawn(fun() -> Self ! {connected, Nb, connect(Nb, 30000)} end) || Nb <- [Prev, Next]],
                        case First of
                            true ->
                                receive {connected, Next, true} -> ok end,
                                {c1kcal_ring, Next} ! {token, 1, 1},
                                ring_first(Next, undefined);
                            false ->
                                ring_pass(Next)
                        end
                end),
    receive registered -> ok after 5000 -> exit(Pid, kill), error(no_ring_process) end,
    ok.

%% Connected to Node (by us or by it): when two nodes connect to each
%% other at the same time, one of the two connect_node calls returns false
%% while the other's connection comes up.
connect(Node, Timeout) ->
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    connect_loop(Node, Deadline).

connect_loop(Node, Deadline) ->
    case net_kernel:connect_node(Node) orelse poll(fun() -> lists:member(Node, nodes(connected)) end, erlang:monotonic_time(millisecond) + 1000, 1) of
        true -> true;
        false ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> false;
                false -> connect_loop(Node, Deadline)
            end
    end.

ring_pass(Next) ->
    receive
        {token, Hops, Lap} -> {c1kcal_ring, Next} ! {token, Hops + 1, Lap};
        _ -> ok
    end,
    ring_pass(Next).

ring_first(Next, Lap1) ->
    receive
        {token, Hops, 1} ->
            T1 = os:system_time(microsecond),
            {c1kcal_ring, Next} ! {token, 1, 2},
            ring_first(Next, {T1, Hops});
        {token, _Hops, 2} ->
            T2 = os:system_time(microsecond),
            {T1, Hops} = Lap1,
            ring_done({T1, T2, Hops})
    end.

ring_done(Result) ->
    receive
        {await, From, Ref} -> From ! {Ref, Result}, ring_done(Result)
    end.

ring_await(Timeout) ->
    Ref = make_ref(),
    c1kcal_ring ! {await, self(), Ref},
    receive {Ref, R} -> {ok, R} after Timeout -> {error, timeout} end.
