#!/usr/bin/env escript
%%! -noshell
%%% PUBLISH_1 -> SUBSCRIBE_1 between two resources of this node, over
%%% plc[GROUP] (pg, Erlang messages) and over fbdk[].ip[127.0.0.1:PORT]
%%% (UDP on loopback, FBDK ASN.1).
%%%
%%% Latency: one REQ at a time, t0 before plc:inject(P.REQ) with an INT,
%%% t1 when the subscriber's S.IND arrives here (the NIF post, the
%%% publisher's slice, the channel's send, the subscriber's channel, the
%%% NIF answer, the subscriber's slice, the enif_send of IND). Throughput:
%%% N REQs injected back to back, until the N-th IND; a UDP packet lost
%%% on the way ends the run early (counted, printed).
%%%
%%%   escript bench/erlang/com_publish.escript [Samples [Burst]]
%%%   (or COM_SAMPLES / COM_BURST; 5000 and 20000 by default)
%%%
%%% Prints a summary and `BENCH com_<plc|udp>_p50|p99 <v> us',
%%% `BENCH com_<plc|udp>_throughput <v> events/s'.
-mode(compile).

main(Args) ->
    Root = filename:dirname(filename:dirname(filename:dirname(filename:absname(escript:script_name())))),
    true = code:add_patha(filename:join(Root, "_build/default/lib/plc/ebin")),
    N = arg(Args, 1, "COM_SAMPLES", 5000),
    Burst = arg(Args, 2, "COM_BURST", 20000),
    {ok, _} = application:ensure_all_started(plc),
    {ok, _} = plc:compile(<<"com_bench.st">>, sink()),
    io:format("PUBLISH_1 -> SUBSCRIBE_1 on one node (schedulers ~b):~n", [erlang:system_info(schedulers_online)]),
    {ok, U} = gen_udp:open(0, [{ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(U),
    ok = gen_udp:close(U),
    [run(Name, Id, N, Burst) || {Name, Id} <- [{"plc", <<"plc[bench]">>},
                                               {"udp", <<"127.0.0.1:", (integer_to_binary(Port))/binary>>}]],
    ok.

run(Name, Id, N, Burst) ->
    Q = <<"'", Id/binary, "'">>,
    {ok, S} = plc:start_resource(#{fbs => [{<<"S">>, <<"SUBSCRIBE_1">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, Q}]},
                                           {<<"K">>, <<"SINK1">>, []}],
                                   data => [{<<"S.RD_1">>, <<"K.A">>}]},
                                 #{subscribers => [self()], observe => [<<"S.INITO">>, <<"S.IND">>]}),
    {ok, P} = plc:start_resource(#{fbs => [{<<"P">>, <<"PUBLISH_1">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, Q},
                                                                      {<<"SD_1">>, <<"INT#0">>}]}]},
                                 #{subscribers => [self()], observe => [<<"P.INITO">>]}),
    [begin
         ok = plc:inject(R, <<Fb/binary, ".INIT">>),
         receive {plc_event, R, _, #{<<"QO">> := true}} -> ok after 5000 -> error({no_inito, Fb}) end
     end || {R, Fb} <- [{S, <<"S">>}, {P, <<"P">>}]],
    Us = lists:sort([latency(P, S, K rem 30000) / 1000 || K <- lists:seq(1, N)]),
    T = list_to_tuple(Us),
    T0 = erlang:monotonic_time(nanosecond),
    [ok = plc:inject(P, <<"P.REQ">>, [{<<"SD_1">>, K rem 30000}]) || K <- lists:seq(1, Burst)],
    {Got, T1} = receive_inds(S, Burst, 0, T0),
    Secs = (T1 - T0) / 1.0e9,
    [plc:stop_resource(R) || R <- [P, S]],
    io:format("  ~s: latency over ~b samples p50 ~.1f p99 ~.1f max ~.1f us; ~b of ~b events in ~.3f s: ~b events/s~n",
              [Name, N, pct(T, 50), pct(T, 99), element(N, T), Got, Burst, Secs, round(Got / Secs)]),
    io:format("BENCH com_~s_p50 ~.1f us~nBENCH com_~s_p99 ~.1f us~n", [Name, pct(T, 50), Name, pct(T, 99)]),
    io:format("BENCH com_~s_throughput ~b events/s~n", [Name, round(Got / Secs)]).

latency(P, S, V) ->
    T0 = erlang:monotonic_time(nanosecond),
    ok = plc:inject(P, <<"P.REQ">>, [{<<"SD_1">>, V}]),
    receive {plc_event, S, <<"S.IND">>, #{<<"RD_1">> := V}} -> erlang:monotonic_time(nanosecond) - T0
    after 5000 -> error(lost)
    end.

%% The INDs of a burst and when the last came; a quiet second means the
%% rest was lost (UDP).
receive_inds(_S, 0, Got, Last) ->
    {Got, Last};
receive_inds(S, Left, Got, Last) ->
    receive {plc_event, S, <<"S.IND">>, _} -> receive_inds(S, Left - 1, Got + 1, erlang:monotonic_time(nanosecond))
    after 1000 -> {Got, Last}
    end.

pct(T, P) -> element(max(1, min(tuple_size(T), round(tuple_size(T) * P / 100))), T).

arg(Args, K, Env, Default) ->
    case {length(Args) >= K, os:getenv(Env)} of
        {true, _} -> list_to_integer(lists:nth(K, Args));
        {false, false} -> Default;
        {false, V} -> list_to_integer(V)
    end.

sink() ->
    <<"FUNCTION_BLOCK SINK1
EVENT_INPUT
  REQ WITH A;
END_EVENT
EVENT_OUTPUT
  CNF;
END_EVENT
VAR_INPUT
  A : INT;
END_VAR
EC_STATES
  Idle;
END_STATES
END_FUNCTION_BLOCK
">>.
