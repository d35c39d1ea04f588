#!/usr/bin/env escript
%%! -noshell
%%% Events per second between two nodes, plc against raw Erlang messages.
%%%
%%% Two hidden nodes on this machine (OTP peer, controlled over stdio, so
%%% this script's node is not part of the measurement). System: device Src
%%% runs SEQ_GEN, whose CNF carries a UDINT N to SEQ_CHECK on device Dst,
%%% which counts them and checks their order (plc_dist_SUITE's dist_seq.st).
%%%  - plc: on Src, plc:inject_batch of N events into Gen.REQ; the clock
%%%    stops when Dst's Check.Count reaches N (polled with erpc every ms
%%%    over the same connection); Check.Bad must be 0.
%%%  - raw: on Src, one process sends N messages {event, Seq, <<Payload>>}
%%%    (the size of one plc event on the wire) to a process on Dst, which
%%%    answers when it has all of them.
%%% Runs alternate (raw, plc, raw, plc, ...); the best of each is reported.
%%%
%%%   escript bench/erlang/cross_node.escript [Events [Rounds]]
%%%   (or CROSS_EVENTS / CROSS_ROUNDS; 200000 and 3 by default)
%%%
%%% Prints `BENCH cross_node_plc <v> events/s', `BENCH cross_node_raw <v>
%%% messages/s' and `BENCH cross_node_ratio <plc/raw> x'.
-mode(compile).

main(Args) ->
    Root = root(),
    Ebin = filename:join(Root, "_build/default/lib/plc/ebin"),
    N = arg(Args, 1, "CROSS_EVENTS", 200000),
    Rounds = arg(Args, 2, "CROSS_ROUNDS", 3),
    Source = filename:join(Root, "erlang/test/plc_dist_SUITE_data/dist_seq.st"),
    Unique = integer_to_list(erlang:unique_integer([positive])),
    [{S, Src}, {D, Dst}] =
        [begin
             {ok, P, Node} = peer:start_link(#{name => list_to_atom(Name ++ Unique),
                                               args => ["-hidden", "-pa", Ebin], connection => standard_io}),
             {ok, _} = peer:call(P, application, ensure_all_started, [plc]),
             {ok, _} = peer:call(P, plc, compile_file, [Source]),
             {P, Node}
         end || Name <- ["bench_src", "bench_dst"]],
    %% The code that runs on the nodes: bench/erlang/cross_node_peer.erl.
    {ok, Mod, Bin} = compile:file(filename:join(Root, "bench/erlang/cross_node_peer.erl"), [binary, report]),
    [{module, Mod} = peer:call(P, code, load_binary, [Mod, "cross_node_peer.erl", Bin]) || P <- [S, D]],
    Opts = #{mode => hidden, nodes => #{<<"Src">> => Src, <<"Dst">> => Dst}, buffer => 4 * N},
    {ok, _} = peer:call(S, plc, start_system, [<<"DistSeq">>, Opts]),
    {ok, _} = peer:call(D, plc, start_system, [<<"DistSeq">>, Opts]),
    wait_started(S),
    wait_started(D),
    Results = [{peer:call(S, Mod, raw, [Dst, N], 600000), peer:call(S, Mod, plc, [Dst, N, K], 600000)}
               || K <- lists:seq(1, Rounds)],
    Raw = lists:max([R || {R, _} <- Results]),
    Plc = lists:max([P || {_, P} <- Results]),
    io:format("cross-node, ~b events per run, ~b runs (best): plc ~.3g events/s, raw Erlang ~.3g messages/s, "
              "plc/raw ~.2f~n", [N, Rounds, Plc, Raw, Plc / Raw]),
    io:format("BENCH cross_node_plc ~b events/s~n", [round(Plc)]),
    io:format("BENCH cross_node_raw ~b messages/s~n", [round(Raw)]),
    io:format("BENCH cross_node_ratio ~.3f x~n", [Plc / Raw]),
    peer:stop(S),
    peer:stop(D).

wait_started(P) ->
    case peer:call(P, plc, system_info, [<<"DistSeq">>]) of
        {ok, #{started := true}} -> ok;
        _ -> timer:sleep(20), wait_started(P)
    end.

root() ->
    filename:dirname(filename:dirname(filename:dirname(filename:absname(escript:script_name())))).

arg(Args, K, Env, Default) ->
    case {length(Args) >= K, os:getenv(Env)} of
        {true, _} -> list_to_integer(lists:nth(K, Args));
        {false, false} -> Default;
        {false, V} -> list_to_integer(V)
    end.
