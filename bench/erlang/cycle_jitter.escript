#!/usr/bin/env escript
%%! -noshell
%%% E_CYCLE period jitter and drift, seen from an Erlang subscriber, while
%%% every scheduler is kept busy by other Erlang processes.
%%%
%%% Resource: one E_CYCLE (CY) with DT = T#10ms, started by injecting
%%% CY.START; this process subscribes to CY.EO and timestamps each arrival
%%% with erlang:monotonic_time. One busy process per scheduler loops on
%%% list work (allocating, reducing) meanwhile, at normal priority.
%%% Jitter of cycle k = arrival_k - (arrival_0 + k * DT); drift = the jitter
%%% of the last cycle (the deadlines are absolute, so it should not grow).
%%%
%%%   escript bench/erlang/cycle_jitter.escript [Cycles [PeriodMs [BusyProcs]]]
%%%   (or CYCLES / PERIOD_MS / BUSY; 10000 cycles (100 s), 10 ms and
%%%   erlang:system_info(schedulers) busy processes by default;
%%%   PERIOD_US=100 for a sub-millisecond period, which has no reference)
%%%
%%% The subscriber timestamping the arrivals runs at high priority
%%% (SUB_PRIORITY=normal to measure a normal one), so the figures are the
%%% resource's timing, not the measuring process's wait behind the busy ones;
%%% the reference ticker runs at normal priority, as any process does.
%%% Cycle k is due at START + (k + 1) * DT: it is missed when it arrives
%%% after the next one was due (more than DT late), and doubled when it
%%% arrives more than DT / 2 early (an extra event shifts every later one).
%%%
%%% Prints a summary and `BENCH erlang_cycle_jitter_p50|p99|p999|max <v> us',
%%% `BENCH erlang_cycle_drift <v> us', `BENCH erlang_cycle_missed|doubled <n> cycles'.
-mode(compile).

main(Args) ->
    Root = root(),
    true = code:add_patha(filename:join(Root, "_build/default/lib/plc/ebin")),
    Cycles = arg(Args, 1, "CYCLES", 10000),
    NBusy = arg(Args, 3, "BUSY", erlang:system_info(schedulers)),
    {Period, DT} = case arg([], 1, "PERIOD_US", 0) of
                       0 -> Ms = arg(Args, 2, "PERIOD_MS", 10),
                            {Ms * 1000000, iolist_to_binary(["T#", integer_to_list(Ms), "ms"])};
                       Us -> {Us * 1000, iolist_to_binary(["T#", integer_to_list(Us), "us"])}
                   end,
    PeriodMs = Period div 1000000,
    SubPriority = list_to_atom(case os:getenv("SUB_PRIORITY") of
                                   false -> "high";
                                   "" -> "high";
                                   P -> P
                               end),
    _ = process_flag(priority, SubPriority),
    {ok, _} = application:ensure_all_started(plc),
    {ok, R} = plc:start_resource(#{fbs => [{<<"CY">>, <<"E_CYCLE">>, [{<<"DT">>, DT}]}]}),
    ok = plc:subscribe(R, <<"CY.EO">>),
    Busy = [spawn(fun busy/0) || _ <- lists:seq(1, NBusy)],
    %% Reference, at the same time in the same VM: a plain Erlang process
    %% ticking on absolute (millisecond) timers with the same period. What
    %% it sees is what the machine and the schedulers give any process.
    Me = self(),
    Ref = case PeriodMs of
              0 -> none;
              _ -> spawn(fun() -> ticker(Me, erlang:monotonic_time(millisecond) + PeriodMs, PeriodMs, Cycles, []) end)
          end,
    timer:sleep(200),  % let the busy processes spread over the schedulers
    io:format("E_CYCLE DT=~s, ~b cycles (~.1f s), ~b busy processes on ~b schedulers, subscriber at ~s priority~n",
              [DT, Cycles, Cycles * Period / 1.0e9, NBusy, erlang:system_info(schedulers_online), SubPriority]),
    TStart = erlang:monotonic_time(nanosecond),
    ok = plc:inject(R, <<"CY.START">>),
    Arrivals = collect(Cycles, Cycles, Period, TStart, []),
    RefArrivals = case Ref of
                      none -> [];
                      _ -> receive {ticker, Ref, L} -> L after 10 * PeriodMs + 5000 -> [] end
                  end,
    [exit(P, kill) || P <- Busy],
    ok = plc:stop_resource(R),
    [A0 | _] = Arrivals,
    Jitter = [A - (A0 + K * Period) || {K, A} <- lists:zip(lists:seq(0, Cycles - 1), Arrivals)],
    Abs = list_to_tuple(lists:sort([abs(J) / 1000 || J <- Jitter])),
    Signed = list_to_tuple(lists:sort([J / 1000 || J <- Jitter])),
    Drift = lists:last(Jitter) / 1000,
    %% Against the ideal schedule from START (EO k due (k + 1) * DT after it).
    Late = list_to_tuple(lists:sort([(A - (TStart + (K + 1) * Period)) / 1000
                                     || {K, A} <- lists:zip(lists:seq(0, Cycles - 1), Arrivals)])),
    Missed = length([L || L <- tuple_to_list(Late), L > Period / 1000]),
    Doubled = length([L || L <- tuple_to_list(Late), L < -Period / 2000]),
    Tail = lists:nthtail(Cycles - max(1, Cycles div 100), Jitter),
    Head = lists:sublist(Jitter, max(1, Cycles div 100)),
    io:format("  |jitter| vs arrival_0 + k*DT: p50 ~.1f  p90 ~.1f  p99 ~.1f  p99.9 ~.1f  max ~.1f us~n",
              [pct(Abs, 50), pct(Abs, 90), pct(Abs, 99), pct(Abs, 99.9), element(tuple_size(Abs), Abs)]),
    io:format("  signed jitter: min ~.1f  p50 ~.1f  max ~.1f us~n",
              [element(1, Signed), pct(Signed, 50), element(tuple_size(Signed), Signed)]),
    io:format("  drift: last cycle ~.1f us; median jitter of the last 1% ~.1f us vs first 1% ~.1f us~n",
              [Drift, median(Tail) / 1000, median(Head) / 1000]),
    io:format("  lateness vs START + (k+1)*DT: min ~.1f  p50 ~.1f  p99 ~.1f  max ~.1f us~n",
              [element(1, Late), pct(Late, 50), pct(Late, 99), element(tuple_size(Late), Late)]),
    %% The same without depending on arrival_0 alone: offsets from the
    %% median phase (arrival_k - k*DT - median over k).
    Med = median(Jitter),
    Aligned = list_to_tuple(lists:sort([abs(J - Med) / 1000 || J <- Jitter])),
    io:format("  |jitter| vs median phase: p50 ~.1f  p99 ~.1f  max ~.1f us (arrival_0 was ~.1f us off it)~n",
              [pct(Aligned, 50), pct(Aligned, 99), element(tuple_size(Aligned), Aligned), -Med / 1000]),
    io:format("  drift fitted over all cycles (least-squares slope x duration): ~.1f us~n",
              [fitted_drift(Jitter) / 1000]),
    io:format("  cycles more than DT late (missed): ~b, more than DT/2 early (doubled): ~b; ~b events in ~.3f s~n",
              [Missed, Doubled, Cycles, (lists:last(Arrivals) - TStart) / 1.0e9]),
    case length(RefArrivals) of
        _ when Ref =:= none ->
            io:format("  (no reference: the ticker has millisecond timers)~n");
        Cycles ->
            [R0 | _] = RefArrivals,
            RJ = [RA - (R0 + K * Period) || {K, RA} <- lists:zip(lists:seq(0, Cycles - 1), RefArrivals)],
            RAbs = list_to_tuple(lists:sort([abs(J) / 1000 || J <- RJ])),
            RMed = median(RJ),
            RAl = list_to_tuple(lists:sort([abs(J - RMed) / 1000 || J <- RJ])),
            io:format("  reference (plain Erlang process on ~b ms timers, same VM, same time):~n"
                      "    |jitter| vs arrival_0 + k*DT: p50 ~.1f  p99 ~.1f  max ~.1f us; vs median phase: "
                      "p50 ~.1f  p99 ~.1f us; drift ~.1f us~n",
                      [PeriodMs, pct(RAbs, 50), pct(RAbs, 99), element(tuple_size(RAbs), RAbs),
                       pct(RAl, 50), pct(RAl, 99), lists:last(RJ) / 1000]);
        _ ->
            io:format("  (the reference ticker did not finish)~n")
    end,
    io:format("BENCH erlang_cycle_jitter_p50 ~.1f us~n", [pct(Abs, 50)]),
    io:format("BENCH erlang_cycle_jitter_p99 ~.1f us~n", [pct(Abs, 99)]),
    io:format("BENCH erlang_cycle_jitter_p999 ~.1f us~n", [pct(Abs, 99.9)]),
    io:format("BENCH erlang_cycle_jitter_max ~.1f us~n", [element(tuple_size(Abs), Abs)]),
    io:format("BENCH erlang_cycle_drift ~.1f us~n", [Drift]),
    io:format("BENCH erlang_cycle_missed ~b cycles~n", [Missed]),
    io:format("BENCH erlang_cycle_doubled ~b cycles~n", [Doubled]).

collect(_Total, 0, _Period, _TStart, Acc) ->
    lists:reverse(Acc);
collect(Total, K, Period, TStart, Acc) ->
    receive
        {plc_event, _, <<"CY.EO">>, _} ->
            T = erlang:monotonic_time(nanosecond),
            Done = Total - K + 1,
            Done rem 2000 =:= 0 andalso Done < Total andalso
                io:format(standard_error, "  ~b/~b cycles~n", [Done, Total]),
            collect(Total, K - 1, Period, TStart, [T | Acc])
    after 10 * Period div 1000000 + 1000 ->
        io:format("no CY.EO within ~b ms~n", [10 * Period div 1000000 + 1000]),
        halt(1)
    end.

ticker(Parent, _T, _PeriodMs, 0, Acc) ->
    Parent ! {ticker, self(), lists:reverse(Acc)};
ticker(Parent, T, PeriodMs, K, Acc) ->
    erlang:start_timer(T, self(), tick, [{abs, true}]),
    receive {timeout, _, tick} -> ok end,
    ticker(Parent, T + PeriodMs, PeriodMs, K - 1, [erlang:monotonic_time(nanosecond) | Acc]).

%% Slope of jitter against cycle number (least squares), times the cycles:
%% a steady drift, insensitive to the lateness of any one arrival.
fitted_drift(Jitter) ->
    N = length(Jitter),
    Ks = lists:seq(0, N - 1),
    MK = (N - 1) / 2,
    MJ = lists:sum(Jitter) / N,
    Sxy = lists:sum([(K - MK) * (J - MJ) || {K, J} <- lists:zip(Ks, Jitter)]),
    Sxx = lists:sum([(K - MK) * (K - MK) || K <- Ks]),
    case Sxx of
        0 -> 0.0;
        _ -> Sxy / Sxx * (N - 1)
    end.

%% Keeps a scheduler busy with ordinary Erlang work: allocation, GC, reductions.
busy() ->
    _ = lists:sum(lists:seq(1, 1000)),
    _ = lists:reverse(lists:seq(1, 200)),
    busy().

median(L) ->
    T = list_to_tuple(lists:sort(L)),
    pct(T, 50).

%% Nearest-rank percentile of a sorted tuple.
pct(T, P) ->
    N = tuple_size(T),
    element(max(1, min(N, ceil(P * N / 100))), T).

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
