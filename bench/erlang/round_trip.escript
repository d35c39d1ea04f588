#!/usr/bin/env escript
%%! -noshell
%%% Round trip Erlang -> engine -> Erlang, one event at a time.
%%%
%%% A VOTER resource (fblocks/voter.st) with this process subscribed to
%%% V.Voted; each sample is: t0, plc:inject(R, <<"V.Vote">>, A/B/C), wait for
%%% the {plc_event, _, <<"V.Voted">>, _} message, t1. That covers the NIF
%%% post, the plc_wake message to the resource's gen_server, the dirty-CPU
%%% run/1 slice and the enif_send of the output event back to us.
%%% A positive vote holds VOTER in VotedPos until Reset, so after each
%%% sample (outside the timed part) V.Reset is injected and V.Ready awaited.
%%%
%%%   escript bench/erlang/round_trip.escript [Samples [Warmup]]
%%%   (or RT_SAMPLES / RT_WARMUP in the environment; 20000 and 2000 by default)
%%%
%%% Prints a summary and `BENCH erlang_round_trip_p50|p99 <v> us'.
-mode(compile).

main(Args) ->
    Root = root(),
    true = code:add_patha(filename:join(Root, "_build/default/lib/plc/ebin")),
    N = arg(Args, 1, "RT_SAMPLES", 20000),
    Warmup = arg(Args, 2, "RT_WARMUP", 2000),
    {ok, _} = application:ensure_all_started(plc),
    {ok, _} = plc:compile_file(filename:join(Root, "fblocks/voter.st")),
    {ok, R} = plc:start_resource(#{fbs => [{<<"V">>, <<"VOTER">>, []}]}),
    ok = plc:subscribe(R, <<"V.Voted">>),
    ok = plc:subscribe(R, <<"V.Ready">>),
    Values = [{<<"A">>, true}, {<<"B">>, true}, {<<"C">>, false}],
    _ = samples(R, Values, Warmup, []),
    Samples = samples(R, Values, N, []),
    ok = plc:stop_resource(R),
    Us = lists:sort([S / 1000 || S <- Samples]),
    T = list_to_tuple(Us),
    Mean = lists:sum(Us) / N,
    io:format("round trip inject -> V.Voted, ~b samples after ~b warm-up (schedulers ~b, dirty CPU ~b):~n",
              [N, Warmup, erlang:system_info(schedulers_online),
               erlang:system_info(dirty_cpu_schedulers_online)]),
    io:format("  min ~.1f  p50 ~.1f  p90 ~.1f  p99 ~.1f  p99.9 ~.1f  max ~.1f  mean ~.1f us~n",
              [element(1, T), pct(T, 50), pct(T, 90), pct(T, 99), pct(T, 99.9), element(N, T), Mean]),
    io:format("BENCH erlang_round_trip_p50 ~.1f us~n", [pct(T, 50)]),
    io:format("BENCH erlang_round_trip_p99 ~.1f us~n", [pct(T, 99)]).

samples(_R, _Values, 0, Acc) ->
    Acc;
samples(R, Values, K, Acc) ->
    T0 = erlang:monotonic_time(nanosecond),
    ok = plc:inject(R, <<"V.Vote">>, Values),
    receive
        {plc_event, _, <<"V.Voted">>, #{<<"State">> := true}} ->
            T1 = erlang:monotonic_time(nanosecond),
            reset(R),
            samples(R, Values, K - 1, [T1 - T0 | Acc])
    after 5000 ->
        io:format("no V.Voted within 5 s~n"),
        halt(1)
    end.

reset(R) ->
    ok = plc:inject(R, <<"V.Reset">>),
    receive
        {plc_event, _, <<"V.Ready">>, _} -> ok
    after 5000 ->
        io:format("no V.Ready within 5 s~n"),
        halt(1)
    end.

%% Nearest-rank percentile of a sorted tuple.
pct(T, P) ->
    N = tuple_size(T),
    element(max(1, min(N, ceil(P * N / 100))), T).

arg(Args, Pos, Env, Default) when length(Args) >= Pos ->
    _ = Env, _ = Default,
    list_to_integer(lists:nth(Pos, Args));
arg(_Args, _Pos, Env, Default) ->
    case os:getenv(Env) of
        false -> Default;
        "" -> Default;
        V -> list_to_integer(V)
    end.

root() ->
    filename:dirname(filename:dirname(filename:dirname(filename:absname(escript:script_name())))).
