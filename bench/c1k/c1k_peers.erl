%%% @doc Peer nodes for the c1k benchmark and its calibration: booted with
%%% OTP `peer' over standard_io (the controller is not a distributed node,
%%% so it adds no connection to what is counted), in parallel batches,
%%% with small-VM flags so that 200 of them fit on the machine.
-module(c1k_peers).

-export([boot/3, stop/1, call/5, pmap/3, vm_args/0, shaped_args/2, os_memory/1, os_cpu_ms/1, ebin/0]).

%% The emulator flags of every peer, a lean node: one scheduler, one dirty
%% CPU and I/O scheduler, no async threads, small process, port and atom
%% tables, the memory allocators' minimal configuration (+Mea min: plain
%% malloc, no per-scheduler carriers), the clean boot (kernel and stdlib
%% only: no SASL).
vm_args() ->
    %% Many VMs share 2 cores here (a real plant has a CPU per device):
    %% schedulers sleep at once instead of spinning for work.
    ["+S", "1:1", "+SDcpu", "1:1", "+SDio", "1", "+A", "0", "+P", "16384", "+Q", "1024", "+t", "65536",
     "+Mea", "min", "-boot", "start_clean",
     "+sbwt", "none", "+sbwtdcpu", "none", "+sbwtdio", "none"] ++ string:lexemes(os:getenv("C1K_VM_ARGS", ""), " ").
%% Measured on one node, plc ready (private memory, smaps_rollup): 21 MB
%% with the flags of before (+S 1:1 ... +P 16384) and every module of
%% kernel and plc preloaded, 15 MB with these and only the modules a run
%% loads; MALLOC_ARENA_MAX=1 (C1K_MALLOC_ARENA_MAX) saves about 2 MB more
%% once loaded (+Mea min: the VM allocates with malloc). Not worth it:
%% +hms 100 (no change); refused: +MIscs 0, +JMsingle (not in this OTP).
%% Extra flags: C1K_VM_ARGS.

%% The shaped carrier: one-way latency (ms) and cap (Mbit/s, 0 = none).
shaped_args(LatencyMs, Mbit) ->
    ["-proto_dist", "plc_shaped",
     "-plc_shaped", "latency_ms", integer_to_list(LatencyMs),
     "-plc_shaped", "mbit", integer_to_list(Mbit)].

%% This benchmark's ebin (where plc_shaped_dist is).
ebin() ->
    filename:dirname(code:which(?MODULE)).

%% @doc Boots one peer per name (atoms, -sname Name@localhost) with Args,
%% Batch at a time. [{Name, PeerPid, Node}] in the order of Names; raises
%% if one does not boot.
boot(Names, Args, Batch) ->
    Opts0 = #{host => "localhost", connection => standard_io,
             args => ["-pa", ebin() | Args],
             env => [{"MALLOC_ARENA_MAX", os:getenv("C1K_MALLOC_ARENA_MAX", "1")}],
             wait_boot => 120000},
    %% NODE_NICE (default 0: off) runs the nodes at a lower priority than
    %% the controller, which stands for a machine of its own (with hundreds
    %% of busy node VMs on 2 cores the OS gives the controller's two
    %% schedulers a small share of the CPU).
    Opts = case os:getenv("NODE_NICE", "0") of
               "0" -> Opts0;
               Nice -> Opts0#{exec => {os:find_executable("nice"), ["-n", Nice, os:find_executable("erl")]}}
           end,
    Results = pmap(fun(Name) ->
                           {ok, Peer, Node} = peer:start(Opts#{name => Name}),
                           {Name, Peer, Node}
                   end, Names, Batch),
    case [E || {error, _} = E <- Results] of
        [] ->
            [R || {ok, R} <- Results];
        Errors ->
            stop([P || {ok, {_, P, _}} <- Results]),
            error({boot_failed, length(Errors), hd(Errors)})
    end.

%% @doc Stops peers (pids), 16 at a time.
stop(Peers) ->
    _ = pmap(fun(P) -> catch peer:stop(P) end, Peers, 16),
    ok.

%% @doc peer:call that returns {error, Reason} instead of raising.
call(Peer, M, F, A, Timeout) ->
    try peer:call(Peer, M, F, A, Timeout)
    catch
        exit:{timeout, _} -> {error, timeout};
        Class:Reason -> {error, {Class, Reason}}
    end.

%% @doc Applies F to each item, at most Conc at a time: [{ok, Result} |
%% {error, Reason}] in the order of Items.
pmap(F, Items, Conc) ->
    Indexed = lists:zip(lists:seq(1, length(Items)), Items),
    pmap_loop(F, Indexed, max(1, Conc), #{}, #{}).

pmap_loop(_F, [], _Conc, Running, Done) when map_size(Running) =:= 0 ->
    [V || {_, V} <- lists:sort(maps:to_list(Done))];
pmap_loop(F, [{I, X} | Rest], Conc, Running, Done) when map_size(Running) < Conc ->
    {Pid, Ref} = spawn_monitor(fun() -> exit({pmap_ok, F(X)}) end),
    pmap_loop(F, Rest, Conc, Running#{Ref => {I, Pid}}, Done);
pmap_loop(F, Todo, Conc, Running, Done) ->
    receive
        {'DOWN', Ref, process, _, Reason} when is_map_key(Ref, Running) ->
            {I, _} = maps:get(Ref, Running),
            V = case Reason of
                    {pmap_ok, R} -> {ok, R};
                    Other -> {error, Other}
                end,
            pmap_loop(F, Todo, Conc, maps:remove(Ref, Running), Done#{I => V})
    end.

%% @doc Resident and proportional memory of an OS process, bytes:
%% #{rss, pss} (pss undefined where smaps_rollup is missing).
os_memory(OsPid) ->
    P = "/proc/" ++ integer_to_list(OsPid),
    #{rss => kb_field(P ++ "/status", <<"VmRSS:">>),
      pss => kb_field(P ++ "/smaps_rollup", <<"Pss:">>)}.

%% @doc CPU time (user + system) an OS process has used so far, ms.
os_cpu_ms(OsPid) ->
    case file:read_file("/proc/" ++ integer_to_list(OsPid) ++ "/stat") of
        {ok, Bin} ->
            %% After the command name in parentheses: state is field 3,
            %% utime and stime are fields 14 and 15.
            [_, Rest] = binary:split(Bin, <<") ">>),
            Fields = binary:split(Rest, <<" ">>, [global]),
            Ticks = binary_to_integer(lists:nth(12, Fields)) + binary_to_integer(lists:nth(13, Fields)),
            Ticks * 1000 div clock_ticks();
        _ ->
            undefined
    end.

clock_ticks() ->
    case persistent_term:get({?MODULE, clk_tck}, undefined) of
        undefined ->
            T = try list_to_integer(string:trim(os:cmd("getconf CLK_TCK")))
                catch _:_ -> 100
                end,
            persistent_term:put({?MODULE, clk_tck}, T),
            T;
        T ->
            T
    end.

kb_field(File, Key) ->
    case file:read_file(File) of
        {ok, Bin} ->
            Lines = binary:split(Bin, <<"\n">>, [global]),
            case [L || L <- Lines, binary:longest_common_prefix([L, Key]) =:= byte_size(Key)] of
                [L | _] ->
                    [_, V | _] = binary:split(L, [<<" ">>, <<"\t">>], [global, trim_all]),
                    binary_to_integer(V) * 1024;
                [] ->
                    undefined
            end;
        _ ->
            undefined
    end.
