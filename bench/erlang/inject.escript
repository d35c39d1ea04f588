#!/usr/bin/env escript
%%! -noshell
%%% Injection throughput from one Erlang process.
%%%
%%% Resource: one E_CTUD_UDINT (C) whose CV counts every CU (UDINT: no
%%% saturation at 65535). Each run injects N CU events and measures from the
%%% first call until the engine has dispatched all of them (plc:stats/1
%%% `dispatched' polled every millisecond; CV is checked at the end).
%%%  - batch:  plc:inject_batch(R, <<"C.CU">>, lists:duplicate(N, []))
%%%  - single: N times plc:inject(R, <<"C.CU">>, [])
%%% A fresh resource per run.
%%%
%%%   escript bench/erlang/inject.escript [BatchEvents [SingleEvents]]
%%%   (or INJECT_BATCH / INJECT_SINGLE; 2000000 and 1000000 by default)
%%%
%%% Prints a summary and `BENCH erlang_inject_batch|erlang_inject_single <v> events/s'.
-mode(compile).

main(Args) ->
    Root = root(),
    true = code:add_patha(filename:join(Root, "_build/default/lib/plc/ebin")),
    NBatch = arg(Args, 1, "INJECT_BATCH", 2000000),
    NSingle = arg(Args, 2, "INJECT_SINGLE", 1000000),
    {ok, _} = application:ensure_all_started(plc),
    %% Warm-up (code loading, allocators).
    _ = run(batch, 100000),
    _ = run(single, 100000),
    Batch = run(batch, NBatch),
    Single = run(single, NSingle),
    io:format("BENCH erlang_inject_batch ~b events/s~n", [round(Batch)]),
    io:format("BENCH erlang_inject_single ~b events/s~n", [round(Single)]).

run(Mode, N) ->
    {ok, R} = plc:start_resource(#{fbs => [{<<"C">>, <<"E_CTUD_UDINT">>, []}]}),
    {ok, #{dispatched := D0}} = plc:stats(R),
    Batch = lists:duplicate(N, []),
    garbage_collect(),
    T0 = erlang:monotonic_time(nanosecond),
    ok = inject(Mode, R, Batch, N),
    T1 = erlang:monotonic_time(nanosecond),
    wait(R, D0 + N, T0 + 120000000000),
    T2 = erlang:monotonic_time(nanosecond),
    {ok, N} = plc:read(R, <<"C.CV">>),
    {ok, #{dropped := 0, max_depth := MaxDepth}} = plc:stats(R),
    ok = plc:stop_resource(R),
    Rate = N / ((T2 - T0) / 1.0e9),
    io:format("~-6s ~b events: injected in ~.1f ms (~.2f M/s offered), all processed after ~.1f ms "
              "=> ~.2f M events/s (max queue depth ~b)~n",
              [Mode, N, (T1 - T0) / 1.0e6, N / ((T1 - T0) / 1.0e3), (T2 - T0) / 1.0e6, Rate / 1.0e6, MaxDepth]),
    Rate.

inject(batch, R, Batch, _N) ->
    plc:inject_batch(R, <<"C.CU">>, Batch);
inject(single, R, _Batch, N) ->
    single(R, N).

single(_R, 0) -> ok;
single(R, K) ->
    case plc:inject(R, <<"C.CU">>, []) of
        ok -> single(R, K - 1);
        {error, inbox_full} -> timer:sleep(1), single(R, K)
    end.

wait(R, Target, Deadline) ->
    {ok, #{dispatched := D}} = plc:stats(R),
    case D >= Target of
        true -> ok;
        false ->
            erlang:monotonic_time(nanosecond) > Deadline andalso error({timeout, D, Target}),
            timer:sleep(1),
            wait(R, Target, Deadline)
    end.

arg(Args, Pos, _Env, _Default) when length(Args) >= Pos ->
    list_to_integer(lists:nth(Pos, Args));
arg(_Args, _Pos, Env, Default) ->
    case os:getenv(Env) of
        false -> Default;
        "" -> Default;
        V -> list_to_integer(V)
    end.

root() ->
    filename:dirname(filename:dirname(filename:dirname(filename:absname(escript:script_name())))).
