%%% @doc The c1k start-up benchmark (make bench-c1k; bench/c1k/run.sh).
%%%
%%% For each mode (hidden, standard, global), N and one-way latency L, at
%%% MBIT Mbit/s per link direction (plc_shaped_dist):
%%% 1. boots N peer nodes (OTP peer over standard_io: the controller is not
%%%    a distributed node, so it adds no connection), -hidden in hidden
%%%    mode, in batches; starts plc and compiles the generated system
%%%    (c1k_system: N devices of 100 FB instances each) on every node;
%%% 2. starts the clock and sends every node the deploy command
%%%    (plc:start_system/2 with its device), all at once;
%%% 3. waits until every device's START has fired (its START.COLD counter,
%%%    D<i>_Started, counted, seen by a subscriber on the node), then
%%%    injects the probe at the source device and stops the clock when it
%%%    arrives at the far end of its path (c1k_system:plan/1);
%%% 4. counts each node's connections (nodes(connected)) right after the
%%%    probe and once steady (unchanged for SETTLE_MS), and its memory (PSS
%%%    and RSS of the VM, erlang:memory(total)); stops the nodes.
%%% Prints a summary line and BENCH lines per run, appends to
%%% OUT/results.csv and redraws OUT/c1k_startup.png from it.
%%%
%%% Parameters (environment): MODES, NS, LATENCY_MS (comma separated),
%%% MBIT, OUT, RUN_TIMEOUT_S (start-up longer than this is recorded as a
%%% timeout: its figure is a lower bound), SETTLE_MS (2000), SETTLE_MAX_S
%%% (60), BOOT_BATCH, PREPARE_CONC, PLC_EBIN.
-module(c1k).

-export([main/0, plot/1, selftest/0]).

%% The CSV's columns. startup_s is the whole window; its parts, each the
%% time from the window's start until the last node was done with it:
%% gen_s (the controller generated the parts, each in the process that
%% ships it), load_s (a node compiled its
%% part), start_s (start_system returned), all_started_s (START fired);
%% connect_s is the longest a node waited from start_system to START (its
%% neighbours connected and ready); probe_s the probe across the diameter.
-define(FIELDS, [date, mode, n, latency_ms, mbit, status, startup_s, gen_s, load_s, start_s, connect_s,
                 all_started_s, probe_s, probe_hops, conns_avg, conns_max, conns_probe, pss_idle_mb, rss_idle_mb,
                 pss_mb, rss_mb, erlang_mb, cpu_s, cpu_per_node_ms, boot_s, ready_s, started, deploy_max_s,
                 load1, load1_end, mem_used_pct,
                 killed, restart_s, recovery_s, rx_expected, rx_delivered, rx_short, link_lost, link_undelivered,
                 link_buffered, node_nice]).

main() ->
    Cfg = config(),
    #{modes := Modes, ns := Ns, latencies := Ls, out := Out} = Cfg,
    ok = filelib:ensure_dir(filename:join(Out, "x")),
    _ = mem_guard(maps:get(mem_max_pct, Cfg)),
    io:format("c1k: modes ~s, N ~w, one-way latency ~w ms, ~b Mbit/s; results in ~s~n",
              [lists:join(",", [atom_to_list(M) || M <- Modes]), Ns, Ls, maps:get(mbit, Cfg), Out]),
    Results = [R || N <- Ns, L <- Ls, Mode <- Modes, R <- [safe_run(Mode, N, L, Cfg)], is_map(R)],
    summary(Results),
    plot(Out),
    halt(0).

%% @doc One node, no distribution (bench/c1k/run.sh selftest): for each N
%% of NS, the generated system compiled and started with every device in
%% this VM (plc:start_system/1, mode local): START fired on every device,
%% the probe crossed its path, 100 FB instances per resource.
selftest() ->
    Cfg = config(),
    #{ns := Ns, out := Out} = Cfg,
    ok = filelib:ensure_dir(filename:join(Out, "x")),
    true = code:add_patha(maps:get(plc_ebin, Cfg)),
    Results =
        [begin
             Plan = #{probe := Path} = c1k_system:plan(N),
             File = filename:join(Out, "c1k_n" ++ integer_to_list(N) ++ ".st"),
             ok = file:write_file(File, c1k_system:text(Plan)),
             Degrees = maps:values(c1k_system:degrees(Plan)),
             R = try c1k_plc:local_check(File, N, Path)
                 catch C:E -> {C, E}
                 end,
             _ = (catch plc:stop_system(<<"C1K">>)),
             Ok = case R of
                      {ok, #{fbs_per_resource := [100]}} -> true;
                      _ -> false
                  end,
             io:format("selftest n=~b: ~s ~w~n   graph: ~b edges, degree avg ~.2f max ~b; probe D~s~n",
                       [N, case Ok of true -> "ok  "; false -> "FAIL" end, R,
                        length(maps:get(edges, Plan)), lists:sum(Degrees) / N, lists:max(Degrees),
                        lists:join("->D", [integer_to_list(I) || I <- Path])]),
             Ok
         end || N <- Ns],
    Failed = length([x || false <- Results]),
    io:format("c1k selftest: ~b passed, ~b failed~n", [length(Results) - Failed, Failed]),
    halt(case Failed of 0 -> 0; _ -> 1 end).

config() ->
    Ebin = c1k_peers:ebin(),
    Default = filename:join([Ebin, "..", "..", "..", "_build", "default", "lib", "plc", "ebin"]),
    #{modes => [list_to_atom(M) || M <- list_env("MODES", "hidden,standard,global")],
      ns => [list_to_integer(X) || X <- list_env("NS", "5,15,50,100,200")],
      latencies => [list_to_integer(X) || X <- list_env("LATENCY_MS", "0,5,20")],
      mbit => int_env("MBIT", 100),
      out => filename:absname(env("OUT", filename:join(filename:dirname(Ebin), "out"))),
      timeout_ms => int_env("RUN_TIMEOUT_S", 300) * 1000,
      settle_ms => int_env("SETTLE_MS", 2000),
      settle_max_ms => int_env("SETTLE_MAX_S", 60) * 1000,
      boot_batch => int_env("BOOT_BATCH", 4),
      prepare_conc => int_env("PREPARE_CONC", 2),
      mem_max_pct => int_env("MEM_MAX_PCT", 90),
      node_mb => int_env("NODE_MB", 19),
      fail => case int_env("FAIL_PCT", 0) of
                  0 -> off;
                  Pct -> #{pct => Pct, seed => int_env("FAIL_SEED", 1), at_ms => int_env("FAIL_AT_MS", 300),
                           restart_ms => int_env("FAIL_RESTART_MS", 3000),
                           start_timeout_ms => int_env("FAIL_START_TIMEOUT_MS", 1000)}
              end,
      plc_ebin => filename:absname(env("PLC_EBIN", Default))}.

env(Name, Default) ->
    case os:getenv(Name) of
        false -> Default;
        "" -> Default;
        V -> V
    end.

list_env(Name, Default) -> string:lexemes(env(Name, Default), ", ").
int_env(Name, Default) -> list_to_integer(env(Name, integer_to_list(Default))).

%%% One run

%% A run that fails (a node does not boot, plc does not start or compile)
%% is reported and skipped.
safe_run(Mode, N, L, Cfg) ->
    try
        run(Mode, N, L, Cfg)
    catch
        Class:Reason:Stack ->
            io:format("c1k: ~s n=~b l=~b failed: ~P~n   at ~P~n", [Mode, N, L, {Class, Reason}, 30, Stack, 12]),
            failed
    end.

mode_args(hidden) -> ["-hidden"];
mode_args(_) -> [].

run(Mode, N, L, Cfg) ->
    #{mbit := Mbit, out := Out, plc_ebin := PlcEbin} = Cfg,
    Key = io_lib:format("~s_n~b_l~b", [Mode, N, L]),
    io:format("~n== ~s: ~b nodes, ~s, one-way ~b ms, ~b Mbit/s~n", [Key, N, Mode, L, Mbit]),
    Load1 = load_avg(),
    ok = fits(N, Cfg),
    Plan = c1k_system:plan(N),
    Tag = integer_to_list(erlang:unique_integer([positive])),
    Names = [list_to_atom(lists:concat(["c1k", Tag, "_d", I])) || I <- lists:seq(1, N)],
    Args = c1k_peers:vm_args() ++ c1k_peers:shaped_args(L, Mbit) ++ ["-pa", PlcEbin] ++ mode_args(Mode),
    TB = erlang:monotonic_time(millisecond),
    Booted = c1k_peers:boot(Names, Args, maps:get(boot_batch, Cfg)),
    BootS = (erlang:monotonic_time(millisecond) - TB) / 1000,
    Peers = [P || {_, P, _} <- Booted],
    try
        %% Booted, plc started, nothing of the system: the state the window
        %% starts from.
        TP = erlang:monotonic_time(millisecond),
        Ready = c1k_peers:pmap(fun(P) -> c1k_peers:call(P, c1k_plc, ready, [], 600000) end,
                               Peers, maps:get(prepare_conc, Cfg)),
        OsPids = [Pid || {ok, {ok, Pid}} <- Ready],
        length(OsPids) =:= N orelse error({not_ready, [R || R <- Ready, not is_tuple(R) orelse element(1, R) =/= ok]}),
        ReadyS = (erlang:monotonic_time(millisecond) - TP) / 1000,
        Idle = memory(OsPids),
        io:format("   booted in ~.1f s, plc ready on every node in ~.1f s; idle node PSS ~s MB, RSS ~s MB~n",
                  [BootS, ReadyS, f(maps:get(pss_mb, Idle)), f(maps:get(rss_mb, Idle))]),
        Cpu0 = [c1k_peers:os_cpu_ms(Pid) || Pid <- OsPids],
        R = timed(Mode, Plan, Booted, Cfg#{os_pids => OsPids, args => Args}),
        Cpu1 = [c1k_peers:os_cpu_ms(Pid) || Pid <- OsPids],
        CpuS = lists:sum([B - A || {A, B} <- lists:zip(Cpu0, Cpu1), is_integer(A), is_integer(B)]) / 1000,
        Stats0 = stats(maps:get(peers, R, Peers), Cfg),
        Stats = Stats0#{cpu_s => CpuS, cpu_per_node_ms => CpuS * 1000 / N,
                        pss_idle_mb => maps:get(pss_mb, Idle), rss_idle_mb => maps:get(rss_mb, Idle)},
        Row = maps:merge(R, Stats#{mode => Mode, n => N, latency_ms => L, mbit => Mbit,
                                   boot_s => BootS, ready_s => ReadyS, load1 => Load1, load1_end => load_avg(),
                                   mem_used_pct => mem_used_pct(),
                                   node_nice => list_to_integer(os:getenv("NODE_NICE", "0"))}),
        report(Row, Key),
        append_csv(Out, Row),
        Row
    after
        c1k_peers:stop(Peers ++ get_restarted())
    end.

get_restarted() ->
    case erase(c1k_restarted) of
        undefined -> [];
        Ps -> Ps
    end.

%% Refuses a run whose nodes would not fit under MEM_MAX_PCT of the
%% machine's memory at NODE_MB (19: a loaded lean node's PSS at N = 50..1000 is 18.3-18.6)
%% each, beside what is in use now.
fits(N, #{mem_max_pct := Max, node_mb := NodeMb}) ->
    {ok, Bin} = file:read_file("/proc/meminfo"),
    Kb = fun(Key) ->
                 [_, Rest] = binary:split(Bin, Key),
                 [V | _] = binary:split(string:trim(Rest, leading), <<" ">>),
                 binary_to_integer(V)
         end,
    TotalMb = Kb(<<"MemTotal:">>) / 1024,
    UsedMb = TotalMb - Kb(<<"MemAvailable:">>) / 1024,
    case UsedMb + N * NodeMb =< TotalMb * Max / 100 of
        true -> ok;
        false -> error({does_not_fit, #{nodes => N, mb_per_node => NodeMb, in_use_mb => round(UsedMb),
                                        total_mb => round(TotalMb), max_pct => Max}})
    end.

%% The average PSS and RSS of the nodes (MB).
memory(OsPids) ->
    Mem = [c1k_peers:os_memory(Pid) || Pid <- OsPids],
    #{pss_mb => mb(avg([maps:get(pss, M) || M <- Mem])), rss_mb => mb(avg([maps:get(rss, M) || M <- Mem]))}.

avg(L) ->
    case [V || V <- L, is_number(V)] of
        [] -> undefined;
        Vs -> lists:sum(Vs) / length(Vs)
    end.

mb(undefined) -> undefined;
mb(B) -> B / 1.0e6.

%% The machine's 1-minute load average (uptime).
load_avg() ->
    case file:read_file("/proc/loadavg") of
        {ok, Bin} -> binary_to_float(hd(binary:split(Bin, <<" ">>)));
        _ -> undefined
    end.

%% The machine's memory in use, percent of the total (MemAvailable).
mem_used_pct() ->
    case file:read_file("/proc/meminfo") of
        {ok, Bin} ->
            Kb = fun(Key) ->
                         [_, Rest] = binary:split(Bin, Key),
                         [V | _] = binary:split(string:trim(Rest, leading), <<" ">>),
                         binary_to_integer(V)
                 end,
            100 * (1 - Kb(<<"MemAvailable:">>) / Kb(<<"MemTotal:">>));
        _ ->
            undefined
    end.

%% Stops the whole benchmark (and with it the peers, whose standard input
%% closes) when the machine's memory in use goes beyond MaxPct: other work
%% shares this machine.
mem_guard(MaxPct) ->
    spawn(fun Loop() ->
                  case mem_used_pct() of
                      P when is_number(P), P > MaxPct ->
                          io:format("~nc1k: memory in use ~.1f% > ~b%: stopping (every node with it)~n", [P, MaxPct]),
                          erlang:halt(3);
                      _ ->
                          timer:sleep(250),
                          Loop()
                  end
          end).

%% The timed part, from booted nodes with nothing of the system: the
%% controller generates each node's part (c1k_system:part/2, one after
%% the other, each shipped at once: its device, its neighbours' resources for the
%% layout, the connections between them) and ships it with the deploy
%% command, all at once; each node compiles
%% its part, starts it (plc:start_system/2 with the plan's version),
%% connects to its neighbours and fires START; then the probe crosses the
%% graph's diameter.
timed(Mode, #{n := N, probe := Path, neighbours := Nbrs} = Plan, Booted, Cfg) ->
    #{timeout_ms := Timeout, fail := Fail} = Cfg,
    Dev = fun(I) -> <<"D", (integer_to_binary(I))/binary>> end,
    BootedT = list_to_tuple(Booted),
    NodeOf = fun(I) -> element(3, element(I, BootedT)) end,
    Src = hd(Path),
    Far = lists:last(Path),
    %% The controller generates the parts one after the other and hands
    %% each to a process that ships it at once (generating overlaps shipping
    %% and loading; generating them in N processes at once took twice the
    %% CPU: 0.78 s against 0.33 s at N = 500, and generating them all
    %% before shipping any made the window longer at N = 500: 8.8 s against
    %% 7.3-7.7, one run each; then gen_s was 0.7 s).
    T0 = os:system_time(microsecond),
    Version = c1k_system:version(Plan),
    %% The failure mode counts with retained counters, each device keeping
    %% them in a store of its own (c1k_system: `retained'), so that what a
    %% killed VM had received and announced comes back with it.
    {PartPlan, RetainRoot} = case Fail of
                                 off -> {Plan, none};
                                 _ -> {Plan#{retained => true},
                                       filename:join("/tmp", "c1k_retain_" ++ os:getpid() ++ "_" ++
                                                         integer_to_list(T0))}
                             end,
    Part = fun(I) ->
                   Text = iolist_to_binary(c1k_system:part(PartPlan, I)),
                   Nodes = maps:from_list([{Dev(J), NodeOf(J)} || J <- [I | maps:get(I, Nbrs)]]),
                   {Text, Nodes, os:system_time(microsecond)}
           end,
    Extra = case Fail of
                #{start_timeout_ms := ST} -> #{start_timeout => ST};
                off -> #{}
            end,
    DeployOn = fun(P, I, {Text, Nodes, Generated}) ->
                       D = Dev(I),
                       R = <<D/binary, ".R">>,
                       Watch = [{started, R, <<D/binary, "_Started.CUO">>, <<D/binary, "_Started.CV">>}]
                           ++ [{probe, R, <<D/binary, "_Probe.EO">>, undefined} || I =:= Far],
                       Opts0 = Extra#{part => Text, mode => Mode, nodes => Nodes, devices => [D], watch => Watch,
                                      version => Version},
                       Opts = case RetainRoot of
                                  none -> Opts0;
                                  _ -> Opts0#{retain_dir => filename:join(RetainRoot, binary_to_list(D))}
                              end,
                       case c1k_peers:call(P, c1k_plc, deploy, [Opts], Timeout) of
                           {ok, Times} ->
                               case c1k_peers:call(P, c1k_plc, await, [[started], Timeout], Timeout + 5000) of
                                   {ok, #{started := T}} -> {ok, Times#{started => T, generated => Generated}};
                                   Other -> Other
                               end;
                           Error ->
                               {deploy_failed, D, Error}
                       end
               end,
    Victims = victims(Fail, N, [Src, Far]),
    Failer = failer(Fail, Victims, fun(P, I) -> DeployOn(P, I, Part(I)) end, Booted, Cfg),
    Started0 = pipelined(fun(I) -> {element(2, element(I, BootedT)), Part(I)} end, DeployOn, N),
    {Started, Restarted} = restarted(Failer, Started0),
    Times = [T || {ok, {ok, T}} <- Started],
    Rel = fun(Key, Ts) -> case Ts of
                              [] -> undefined;
                              _ -> (lists:max([maps:get(Key, T) || T <- Ts]) - T0) / 1.0e6
                          end
          end,
    Peers = [case lists:keyfind(I, 1, Restarted) of
                 {I, P, _, _} -> P;
                 false -> element(2, element(I, BootedT))
             end || I <- lists:seq(1, N)],
    Base = #{started => length(Times), deploy_max_s => (os:system_time(microsecond) - T0) / 1.0e6,
             probe_hops => length(Path) - 1, probe_path => Path, gen_s => Rel(generated, Times),
             load_s => Rel(loaded, Times), start_s => Rel(start_returned, Times),
             connect_s => case Times of
                              [] -> undefined;
                              _ -> lists:max([S - R || #{started := S, start_returned := R} <- Times]) / 1.0e6
                          end,
             peers => Peers, killed => length(Victims), victims => Victims,
             restart_s => case Restarted of
                              [] -> undefined;
                              _ -> (lists:max([At || {_, _, At, _} <- Restarted]) - T0) / 1.0e6
                          end},
    Result = case length(Times) of
        N ->
            AllStarted = Rel(started, Times),
            SrcPeer = lists:nth(Src, Peers),
            FarPeer = lists:nth(Far, Peers),
            Left = max(1000, Timeout - (os:system_time(microsecond) - T0) div 1000),
            {ok, TInject} = c1k_peers:call(SrcPeer, c1k_plc, inject, [<<(Dev(Src))/binary, ".R">>,
                                                                      <<(Dev(Src))/binary, "_Probe.EI1">>], 10000),
            Row = case c1k_peers:call(FarPeer, c1k_plc, await, [[probe], Left], Left + 5000) of
                      {ok, #{probe := TProbe}} ->
                          Base#{status => ok, startup_s => (TProbe - T0) / 1.0e6, all_started_s => AllStarted,
                                probe_s => (TProbe - TInject) / 1.0e6};
                      Other ->
                          io:format("   the probe did not arrive: ~p~n", [Other]),
                          Base#{status => probe_lost, startup_s => Timeout / 1000,
                                all_started_s => AllStarted, probe_s => undefined}
                  end,
            maps:merge(Row, recovery(Row, Base, Plan, Peers, Cfg));
        _ ->
            Failed = [{I, E} || {I, E} <- lists:zip(lists:seq(1, N), Started), not match_ok(E)],
            io:format("   only ~b of ~b devices started (first failures: ~P)~n",
                      [length(Times), N, lists:sublist(Failed, 3), 20]),
            Base#{status => timeout, startup_s => Timeout / 1000, all_started_s => undefined,
                  probe_s => undefined}
    end,
    %% The failure mode's stores go, whatever the run came to.
    _ = RetainRoot =:= none orelse file:del_dir_r(RetainRoot),
    Result.

%% For I in 1..N: Prepare(I) here, then Run(P, I, Prepared) in a process
%% of its own; the results in the order of I, as c1k_peers:pmap/3's.
pipelined(Prepare, Run, N) ->
    Refs = lists:foldl(fun(I, Acc) ->
                               {P, Prepared} = Prepare(I),
                               {_, Ref} = spawn_monitor(fun() -> exit({pmap_ok, Run(P, I, Prepared)}) end),
                               Acc#{Ref => I}
                       end, #{}, lists:seq(1, N)),
    collect(Refs, #{}).

collect(Refs, Done) when map_size(Refs) =:= 0 ->
    [V || {_, V} <- lists:sort(maps:to_list(Done))];
collect(Refs, Done) ->
    receive
        {'DOWN', Ref, process, _, Reason} when is_map_key(Ref, Refs) ->
            V = case Reason of
                    {pmap_ok, R} -> {ok, R};
                    Other -> {error, Other}
                end,
            collect(maps:remove(Ref, Refs), Done#{maps:get(Ref, Refs) => V})
    end.

%%% The failure mode (FAIL_PCT > 0)

%% FAIL_PCT % of the devices (at least one), drawn with FAIL_SEED, never
%% the probe's two ends (the probe is how the run sees the plant whole).
victims(off, _N, _Keep) ->
    [];
victims(#{pct := Pct, seed := Seed}, N, Keep) ->
    _ = rand:seed(exsss, {Seed, Seed, Seed}),
    Candidates = [I || I <- lists:seq(1, N), not lists:member(I, Keep)],
    Shuffled = [I || {_, I} <- lists:sort([{rand:uniform(), I} || I <- Candidates])],
    lists:sort(lists:sublist(Shuffled, max(1, N * Pct div 100))).

%% A process that kills the victims' VMs (kill -9) FAIL_AT_MS after the
%% window starts, boots each again under its name FAIL_RESTART_MS later,
%% readies it and deploys its part again: [{I, Peer, RestartedAt, Result}].
failer(off, _Victims, _DeployOn, _Booted, _Cfg) ->
    none;
failer(#{at_ms := At, restart_ms := RestartMs}, Victims, DeployOn, Booted, Cfg) ->
    #{os_pids := OsPids, args := Args, timeout_ms := Timeout} = Cfg,
    Self = self(),
    {Pid, _} = spawn_monitor(
                 fun() ->
                         timer:sleep(At),
                         _ = os:cmd(lists:flatten(["kill -9", [[" ", integer_to_list(lists:nth(I, OsPids))] || I <- Victims]])),
                         KilledAt = os:system_time(microsecond),
                         timer:sleep(RestartMs),
                         Again = c1k_peers:pmap(
                                   fun(I) ->
                                           {Name, _, _} = lists:nth(I, Booted),
                                           RestartedAt = os:system_time(microsecond),
                                           [{_, P, _}] = reboot(Name, Args, Timeout),
                                           {ok, _} = c1k_peers:call(P, c1k_plc, ready, [], Timeout),
                                           {I, P, RestartedAt, DeployOn(P, I)}
                                   end, Victims, length(Victims)),
                         Self ! {failer, self(), KilledAt, [R || {ok, R} <- Again]}
                 end),
    Pid.

%% The name of a VM killed a moment ago may still be registered in EPMD:
%% booting again is retried for a while.
reboot(Name, Args, Timeout) ->
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    reboot(Name, Args, Deadline, 0).

reboot(Name, Args, Deadline, Tries) ->
    try
        c1k_peers:boot([Name], Args, 1)
    catch
        error:{boot_failed, _, _} = Why when Tries < 50 ->
            case erlang:monotonic_time(millisecond) < Deadline of
                true -> timer:sleep(200), reboot(Name, Args, Deadline, Tries + 1);
                false -> error(Why)
            end
    end.

%% The devices' results with the victims' replaced by those of their
%% restarted VMs.
restarted(none, Started) ->
    {Started, []};
restarted(Failer, Started) ->
    receive
        {failer, Failer, _KilledAt, Again} ->
            put(c1k_restarted, [P || {_, P, _, _} <- Again]),
            Replaced = lists:foldl(fun({I, _P, _At, Result}, Acc) ->
                                           setelement(I, Acc, {ok, Result})
                                   end, list_to_tuple(Started), Again),
            {tuple_to_list(Replaced), Again};
        {'DOWN', _, process, Failer, Reason} ->
            error({failer, Reason})
    end.

%% After a run with failures: how long the plant took to run again after
%% the last restart, and what became of the steady traffic and of the
%% events the links counted as lost or undelivered. Each announcement of a
%% device (its START, again after a restart) sends one event to each
%% neighbour; its retained Sent counts them and each neighbour's retained
%% RxCount the events it received, over the lives of both VMs: expected
%% at device I is the sum of its neighbours' Sent, short what RxCount
%% lacks of it (beyond it: delivered > expected + short).
recovery(_Row, #{killed := 0}, _Plan, _Peers, _Cfg) ->
    #{};
recovery(Row, #{restart_s := RestartS, victims := Victims}, #{n := N, neighbours := Nbrs}, Peers, _Cfg) ->
    timer:sleep(1000),
    Counts = [c1k_peers:call(P, c1k_plc, counts, [<<"D", (integer_to_binary(I))/binary>>], 10000)
              || {I, P} <- lists:zip(lists:seq(1, N), Peers)],
    Ok = [C || {ok, C} <- Counts],
    Sent = maps:from_list([{I, S} || {I, {ok, #{sent := S}}} <- lists:zip(lists:seq(1, N), Counts)]),
    Expected = fun(I) -> lists:sum([maps:get(J, Sent, 0) || J <- maps:get(I, Nbrs)]) end,
    Shorts = [{I, max(0, Expected(I) - Rx)} || {I, {ok, #{rx := Rx}}} <- lists:zip(lists:seq(1, N), Counts)],
    Short = lists:sum([S || {_, S} <- Shorts]),
    %% Short at a killed VM: received (and acknowledged) by it, but not yet
    %% in the store when it was killed (its last slice, its inbox).
    AtVictims = lists:sum([S || {I, S} <- Shorts, lists:member(I, Victims)]),
    %% Short at a neighbour of one: announced by the killed VM (its Sent
    %% stored) but not yet gone out of it. Anything else is unexplained.
    NearVictims = lists:sum([S || {I, S} <- Shorts, not lists:member(I, Victims),
                                  lists:any(fun(J) -> lists:member(J, Victims) end, maps:get(I, Nbrs))]),
    Sum = fun(K) -> lists:sum([maps:get(K, C) || C <- Ok]) end,
    #{recovery_s => case maps:get(all_started_s, Row) of
                        undefined -> undefined;
                        A -> A - RestartS
                    end,
      rx_expected => lists:sum([Expected(I) || I <- lists:seq(1, N)]), rx_delivered => Sum(rx),
      rx_short => Short, rx_short_at_killed => AtVictims, rx_short_from_killed => NearVictims,
      rx_unexplained => Short - AtVictims - NearVictims, link_lost => Sum(lost), link_undelivered => Sum(undelivered),
      link_buffered => Sum(buffered)}.

match_ok({ok, {ok, #{started := _}}}) -> true;
match_ok(_) -> false.

%% Connections right after the probe, then once they are steady: global's
%% connect_all meshes visible nodes over seconds (standard mode: 4.1
%% connections per node 1 s after the probe at N = 15, 14 after 6 s). Steady:
%% the total has not changed for SETTLE_MS (checked every 500 ms), at most
%% SETTLE_MAX_S.
stats(Peers, #{settle_ms := Settle, settle_max_ms := Max}) ->
    Get = fun() ->
                  [S || {ok, S} <- c1k_peers:pmap(fun(P) -> c1k_peers:call(P, c1k_plc, stats, [], 30000) end, Peers, 32),
                        is_map(S)]
          end,
    First = Get(),
    Total = fun(Ss) -> lists:sum([maps:get(connected, S) || S <- Ss]) end,
    Deadline = erlang:monotonic_time(millisecond) + Max,
    Got = settle(Get, Total, First, erlang:monotonic_time(millisecond), Settle, Deadline),
    Mem = [c1k_peers:os_memory(maps:get(os_pid, S)) || S <- Got],
    Avg = fun avg/1,
    MB = fun mb/1,
    Conns = [maps:get(connected, S) || S <- Got],
    #{conns_avg => Avg(Conns), conns_max => lists:max([0 | Conns]),
      conns_probe => Avg([maps:get(connected, S) || S <- First]),
      pss_mb => MB(Avg([maps:get(pss, M) || M <- Mem])),
      rss_mb => MB(Avg([maps:get(rss, M) || M <- Mem])),
      erlang_mb => MB(Avg([maps:get(memory, S) || S <- Got])),
      global_names => lists:max([0 | [maps:get(global_names, S) || S <- Got]])}.

settle(Get, Total, Last, Since, Settle, Deadline) ->
    Now = erlang:monotonic_time(millisecond),
    case Now - Since >= Settle orelse Now >= Deadline of
        true ->
            Last;
        false ->
            timer:sleep(500),
            Next = Get(),
            case Total(Next) =:= Total(Last) of
                true -> settle(Get, Total, Next, Since, Settle, Deadline);
                false -> settle(Get, Total, Next, erlang:monotonic_time(millisecond), Settle, Deadline)
            end
    end.

report(Row, Key) ->
    #{mode := Mode, n := N, latency_ms := L, status := Status, startup_s := S} = Row,
    Path = lists:join("->D", [integer_to_list(I) || I <- maps:get(probe_path, Row)]),
    G = fun(K) -> f(maps:get(K, Row, undefined)) end,
    io:format("   ~s n=~b l=~bms: ~swhole window ~s s: parts generated ~s, loaded ~s, started ~s, START ~s s "
              "(longest wait for neighbours ~s s), probe ~s s over ~b hops D~s~n"
              "   connections/node ~s (max ~b; ~s right after the probe); per node PSS idle ~s / loaded ~s MB, "
              "RSS idle ~s / loaded ~s MB, erlang ~s MB; global names ~b; CPU used by the nodes while timed ~s s "
              "(~s ms per node); load average ~s -> ~s, memory in use ~s%~n",
              [Mode, N, L, case Status of ok -> ""; _ -> io_lib:format("~p: ", [Status]) end,
               f(S), G(gen_s), G(load_s), G(start_s), G(all_started_s), G(connect_s), G(probe_s),
               maps:get(probe_hops, Row), Path,
               G(conns_avg), maps:get(conns_max, Row), G(conns_probe), G(pss_idle_mb), G(pss_mb),
               G(rss_idle_mb), G(rss_mb), G(erlang_mb), maps:get(global_names, Row), G(cpu_s), G(cpu_per_node_ms),
               G(load1), G(load1_end), G(mem_used_pct)]),
    case maps:get(killed, Row, 0) of
        0 -> ok;
        K -> io:format("   failures: ~b nodes killed (kill -9), restarted at ~s s; whole plant started ~s s after the "
                       "last restart; steady traffic: ~s of ~s neighbour events counted, ~s short (~s at killed "
                       "VMs, received but not yet in their store; ~s from killed VMs, announced but not yet sent; "
                       "~s unexplained); links: ~s lost, ~s undelivered, ~s still buffered~n",
                       [K, G(restart_s), G(recovery_s), G(rx_delivered), G(rx_expected), G(rx_short),
                        G(rx_short_at_killed), G(rx_short_from_killed), G(rx_unexplained), G(link_lost),
                        G(link_undelivered), G(link_buffered)])
    end,
    case Status of
        ok -> ok;
        _ -> io:format("   (~s: the start-up figure below is a lower bound)~n", [Status])
    end,
    io:format("BENCH c1k_startup_~s ~s s~n", [Key, f(S)]),
    io:format("BENCH c1k_conns_~s ~s connections/node~n", [Key, f(maps:get(conns_avg, Row))]),
    io:format("BENCH c1k_mem_~s ~s MB/node~n", [Key, f(maps:get(pss_mb, Row))]).

f(undefined) -> "-";
f(V) when is_integer(V) -> integer_to_list(V);
f(V) when V >= 100 -> float_to_list(V, [{decimals, 1}]);
f(V) -> float_to_list(V, [{decimals, 3}]).

%%% CSV and plot

append_csv(Out, Row) ->
    File = filename:join(Out, "results.csv"),
    New = not filelib:is_file(File),
    Fields = ?FIELDS,
    {{Y, Mo, D}, {H, Mi, _}} = calendar:local_time(),
    Date = io_lib:format("~4..0b-~2..0b-~2..0bT~2..0b:~2..0b", [Y, Mo, D, H, Mi]),
    Line = lists:join(",", [case F of date -> Date; _ -> csv(maps:get(F, Row, undefined)) end || F <- Fields]),
    Header = [lists:join(",", [atom_to_list(F) || F <- Fields]), "\n"],
    ok = file:write_file(File, [[Header || New], Line, "\n"], [append]).

csv(undefined) -> "";
csv(V) when is_atom(V) -> atom_to_list(V);
csv(V) when is_integer(V) -> integer_to_list(V);
csv(V) when is_float(V) -> float_to_list(V, [{decimals, 4}, compact]).

%% @doc Redraws Out/c1k_startup.png from Out/results.csv (the latest row
%% of each mode, N and latency).
plot(Out) ->
    File = filename:join(Out, "results.csv"),
    case file:read_file(File) of
        {ok, Bin} ->
            [Header | Lines] = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
            Cols = binary:split(Header, <<",">>, [global]),
            Rows = [maps:from_list(lists:zip(Cols, pad(binary:split(L, <<",">>, [global]), length(Cols))))
                    || L <- Lines],
            Latest = lists:foldl(fun(R, Acc) ->
                                         Acc#{{maps:get(<<"mode">>, R), num(maps:get(<<"latency_ms">>, R)),
                                               num(maps:get(<<"n">>, R))} => R}
                                 end, #{}, Rows),
            Keys = lists:usort([{M, L} || {M, L, _} <- maps:keys(Latest)]),
            Series = [begin
                          Pts = [{num(Nb), num(maps:get(<<"startup_s">>, R)), maps:get(<<"status">>, R)}
                                 || {{M2, L2, Nb0}, R} <- maps:to_list(Latest), M2 =:= M, L2 =:= L,
                                    Nb <- [integer_to_binary(Nb0)], maps:get(<<"startup_s">>, R) =/= <<>>],
                          #{label => io_lib:format("~s ~b ms", [M, L]),
                            color => color(M, L), dash => dash(L),
                            points => [{X, Y} || {X, Y, _} <- Pts],
                            open => [{X, Y} || {X, Y, St} <- Pts, St =/= <<"ok">>]}
                      end || {M, L} <- Keys],
            Png = filename:join(Out, "c1k_startup.png"),
            case c1k_png:plot(Png, #{title => "c1k start-up time vs N (log-log, hollow: timeout, a lower bound)",
                                     xlabel => "N (nodes, 100 FBs each)", ylabel => "seconds",
                                     series => [S || S = #{points := [_ | _]} <- Series]}) of
                ok -> io:format("plot: ~s~ncsv: ~s~n", [Png, File]);
                Error -> io:format("plot: not drawn (~p)~n", [Error])
            end;
        _ ->
            io:format("plot: no ~s~n", [File])
    end.

pad(L, N) when length(L) >= N -> lists:sublist(L, N);
pad(L, N) -> L ++ lists:duplicate(N - length(L), <<>>).

num(B) ->
    try binary_to_integer(B)
    catch error:badarg -> binary_to_float(B)
    end.

color(<<"hidden">>, L) -> shade({31, 119, 180}, L);
color(<<"standard">>, L) -> shade({44, 160, 44}, L);
color(<<"global">>, L) -> shade({214, 39, 40}, L);
color(_, L) -> shade({120, 120, 120}, L).

%% Lighter for lower latencies.
shade({R, G, B}, L) ->
    K = if L >= 20 -> 1.0; L >= 5 -> 0.75; true -> 0.5 end,
    {round(255 - (255 - R) * K), round(255 - (255 - G) * K), round(255 - (255 - B) * K)}.

dash(L) when L >= 20 -> solid;
dash(L) when L >= 5 -> dashed;
dash(_) -> dotted.

%%% Summary and targets

summary(Results) ->
    io:format("~nc1k summary (start-up s / connections per node / PSS MB per node):~n"),
    [io:format("  ~-8s n=~-4b l=~-3b ~10s ~8s ~8s ~s~n",
               [M, N, L, f(S), f(C), f(P), case St of ok -> ""; _ -> atom_to_list(St) end])
     || #{mode := M, n := N, latency_ms := L, startup_s := S, conns_avg := C, pss_mb := P, status := St} <- Results],
    Find = fun(M, N, L) -> [R || R = #{mode := M2, n := N2, latency_ms := L2} <- Results,
                                 M2 =:= M, N2 =:= N, L2 =:= L, maps:get(killed, R, 0) =:= 0] end,
    %% Issue 19's targets, for the runs made (hidden, 20 ms, no failures).
    [io:format("target, failures at n=~b: the plant ran again ~s s after the last restart (=< 10: ~s)~n",
               [N, f(Rs), yes(Rs =< 10)])
     || #{n := N, killed := K, recovery_s := Rs} <- Results, K > 0, is_number(Rs)],
    [case Find(hidden, Nt, 20) of
         [#{startup_s := HS, conns_avg := HC, pss_mb := HP, status := ok}] ->
             io:format("target, hidden n=~b l=20: whole window ~s s (< ~b: ~s), ~s connections/node (=< 5: ~s)~s~n",
                       [Nt, f(HS), Limit, yes(HS < Limit), f(HC), yes(HC =< 5),
                        case {Nt, Find(hidden, 50, 20)} of
                            {1000, [#{pss_mb := P50}]} ->
                                io_lib:format(", PSS ~s MB vs ~s at n=50 (within 10%: ~s)",
                                              [f(HP), f(P50), yes(abs(HP - P50) =< 0.1 * P50)]);
                            _ -> ""
                        end]);
         _ ->
             ok
     end || {Nt, Limit} <- [{200, 5}, {1000, 30}]],
    ok.

yes(true) -> "yes";
yes(false) -> "NO".
