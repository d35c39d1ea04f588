%%% @doc Every call the c1k benchmark makes to plc, run on the device
%%% nodes (through `peer:call' from the controller). Kept in one module so
%%% that a change of plc's API is fixed here only.
%%%
%%% Contract used: application plc; plc:compile/2, plc:start_system/2
%%% (mode, nodes, devices, allow, start_timeout) or start_system/1 (local),
%%% plc:subscribe/2 ({plc_event, Pid, Port, Data}), plc:read/2,
%%% plc:inject/2, plc:system_info/1, plc:describe/2 (the self-test only).
-module(c1k_plc).

-export([ready/0, prepare/1, deploy/1, await/2, inject/2, stats/0, counts/1, local_check/3]).
%% The holder process.
-export([holder/1]).

-define(SYSTEM, <<"C1K">>).

%% @doc A booted node with nothing of the system: plc started, the code
%% the timed part runs loaded. Its OS pid.
ready() ->
    {ok, _} = application:ensure_all_started(plc),
    preload(),
    {ok, list_to_integer(os:getpid())}.

%% @doc Starts plc and compiles the system text of File into this node's
%% library. {ok, Milliseconds} | {error, Diagnostics}.
prepare(File) ->
    T0 = erlang:monotonic_time(microsecond),
    {ok, _} = ready(),
    {ok, Text} = file:read_file(File),
    case plc:compile(<<"c1k.st">>, Text) of
        {ok, _} -> {ok, (erlang:monotonic_time(microsecond) - T0) div 1000};
        {error, _} = Error -> Error
    end.

%% Loads the code the timed part will run, as a node booted in embedded
%% mode would have it: the modules a node loads during a run beyond those
%% of a started plc (listed from code:all_loaded/0 after a run at N = 15).
%% Loading on first call costs milliseconds of CPU per node, which 1000
%% nodes on 2 cores would pay inside the measurement; loading every module
%% of kernel and plc instead costs 6 MB per node (171 modules against 110).
preload() ->
    _ = code:ensure_modules_loaded([?MODULE, plc, plc_com, plc_dist, plc_link, plc_resource, plc_system_sup,
                                    plc_topology, plc_shaped_dist, dist_util, string, timer, unicode_util,
                                    peer, erpc]),
    ok.

%% @doc Starts this node's part of the system. Options:
%%   part (optional): the text of this node's part, compiled first;
%%   mode (local | hidden | standard | global), nodes, devices, version,
%%   watch => [{Tag, Resource, Port, Var}]: the holder subscribes to Port of
%%   Resource and records when it first fired (os:system_time, us); Var
%%   (a counter's CV, or undefined) is read after subscribing, in case it
%%   fired already.
%% Returns {ok, #{start_system_us => time the call took, loaded => when
%% the part was compiled, start_returned => when start_system returned}}
%% (os:system_time, us) once start_system has returned (START fires later,
%% when the neighbours are there); the holder keeps running.
deploy(#{mode := Mode, watch := Watch} = Opts) ->
    case whereis(c1k_holder) of
        undefined -> ok;
        Old -> exit(Old, kill)
    end,
    Self = self(),
    Holder = spawn(fun() -> holder_init(Self, Mode, Opts, Watch) end),
    receive
        {Holder, Result} -> Result
    after 600000 ->
            {error, deploy_timeout}
    end.

holder_init(Parent, Mode, Opts, Watch) ->
    register(c1k_holder, self()),
    Compiled = case Opts of
                   #{part := Text} -> plc:compile(<<"c1k_part.st">>, Text);
                   _ -> {ok, none}
               end,
    Loaded = os:system_time(microsecond),
    T0 = erlang:monotonic_time(microsecond),
    Started = case {Compiled, Mode} of
                  {{error, _}, _} ->
                      Compiled;
                  {_, local} ->
                      plc:start_system(?SYSTEM);
                  _ ->
                      plc:start_system(?SYSTEM, maps:with([mode, nodes, devices, allow, start_timeout, version,
                                                           retain_dir], Opts))
              end,
    T1 = erlang:monotonic_time(microsecond),
    Returned = os:system_time(microsecond),
    case Started of
        {ok, _} ->
            Seen = lists:foldl(fun({Tag, R, Port, Var}, Acc) ->
                                       ok = plc:subscribe(R, Port),
                                       case Var of
                                           undefined -> Acc;
                                           _ ->
                                               case plc:read(R, Var) of
                                                   {ok, N} when is_integer(N), N > 0 ->
                                                       Acc#{Tag => os:system_time(microsecond)};
                                                   _ -> Acc
                                               end
                                       end
                               end, #{}, Watch),
            Ports = maps:from_list([{Port, Tag} || {Tag, _R, Port, _} <- Watch]),
            PortsByRes = maps:from_list([{{R, Port}, Tag} || {Tag, R, Port, _} <- Watch]),
            Parent ! {self(), {ok, #{start_system_us => T1 - T0, loaded => Loaded, start_returned => Returned}}},
            holder(#{seen => Seen, ports => Ports, by_res => PortsByRes, waiting => []});
        Error ->
            Parent ! {self(), Error}
    end.

holder(#{seen := Seen, waiting := Waiting} = S) ->
    receive
        {plc_event, Pid, Port, _Data} ->
            Tag = tag(Pid, Port, S),
            case Tag =/= undefined andalso not maps:is_key(Tag, Seen) of
                true ->
                    Seen1 = Seen#{Tag => os:system_time(microsecond)},
                    holder(answer(S#{seen := Seen1}));
                false ->
                    holder(S)
            end;
        {await, From, Ref, Tags} ->
            holder(answer(S#{waiting := [{From, Ref, Tags} | Waiting]}));
        _ ->
            holder(S)
    end.

%% A port names its tag unless several resources have it (local mode):
%% then the resource whose process sent it.
tag(Pid, Port, #{ports := Ports, by_res := ByRes}) ->
    Candidates = [Tag || {{_R, P}, Tag} <- maps:to_list(ByRes), P =:= Port],
    case Candidates of
        [One] -> One;
        [] -> maps:get(Port, Ports, undefined);
        _ -> hd([Tag || {{R, P}, Tag} <- maps:to_list(ByRes), P =:= Port,
                        plc:whereis(R) =:= Pid] ++ [undefined])
    end.

answer(#{seen := Seen, waiting := Waiting} = S) ->
    Still = lists:filter(fun({From, Ref, Tags}) ->
                                 case lists:all(fun(T) -> maps:is_key(T, Seen) end, Tags) of
                                     true -> From ! {Ref, {ok, maps:with(Tags, Seen)}}, false;
                                     false -> true
                                 end
                         end, Waiting),
    S#{waiting := Still}.

%% @doc Waits until every tag of Tags has fired: {ok, #{Tag => SystemUs}}
%% or {timeout, Missing}.
await(Tags, TimeoutMs) ->
    Ref = make_ref(),
    c1k_holder ! {await, self(), Ref, Tags},
    receive
        {Ref, Result} -> Result
    after TimeoutMs ->
            {timeout, Tags}
    end.

%% @doc Triggers event input Port of Resource: the os:system_time (us)
%% just before.
inject(Resource, Port) ->
    T = os:system_time(microsecond),
    ok = plc:inject(Resource, Port),
    {ok, T}.

%% @doc This node's connections (others, as seen by this node), memory
%% and the system's state here.
stats() ->
    Info = try plc:system_info(?SYSTEM) of
               {ok, I} -> maps:with([started, mode, neighbours], I);
               _ -> #{}
           catch _:_ -> #{}
           end,
    #{connected => length(nodes(connected)),
      visible => length(nodes(visible)),
      hidden => length(nodes(hidden)),
      %% Not there with +Mea min (the allocators that count it are off).
      memory => try erlang:memory(total) catch error:notsup -> undefined end,
      processes => erlang:system_info(process_count),
      global_names => length(global:registered_names()),
      os_pid => list_to_integer(os:getpid()),
      info => Info}.

%% @doc Device D's steady traffic and its node's links (the failure
%% mode's retained counters, c1k_system `retained'): #{rx => the
%% neighbours' events counted by D_RxCount, sent => the announcements
%% counted by D_Sent (one event to every neighbour each), and over the
%% links to the neighbours the events lost, undelivered and still buffered}.
counts(D) ->
    R = <<D/binary, ".R">>,
    {ok, Rx} = plc:read(R, <<D/binary, "_RxCount.CV">>),
    {ok, Sent} = plc:read(R, <<D/binary, "_Sent.CV">>),
    {ok, #{peers := Peers}} = plc:system_info(?SYSTEM),
    Sum = fun(K) -> lists:sum([maps:get(K, P, 0) || P <- maps:values(Peers)]) end,
    {ok, #{rx => Rx, sent => Sent, lost => Sum(lost), undelivered => Sum(undelivered), buffered => Sum(buffered)}}.

%% @doc The harness's self-test on one node (no distribution): compiles
%% the text of File (N devices), starts every device here (mode local),
%% checks that each device's START fired and that the probe crosses Path
%% (device numbers), and counts the FB instances of each resource.
local_check(File, N, Path) ->
    {ok, CompileMs} = prepare(File),
    Devices = [<<"D", (integer_to_binary(I))/binary>> || I <- lists:seq(1, N)],
    Resources = [<<D/binary, ".R">> || D <- Devices],
    Dev = fun(I) -> <<"D", (integer_to_binary(I))/binary>> end,
    Last = lists:last(Path),
    Watch = [{{started, R}, R, <<D/binary, "_Started.CUO">>, <<D/binary, "_Started.CV">>}
             || D <- Devices, R <- [<<D/binary, ".R">>]]
        ++ [{probe, <<(Dev(Last))/binary, ".R">>, <<(Dev(Last))/binary, "_Probe.EO">>, undefined}],
    T0 = os:system_time(microsecond),
    {ok, _} = deploy(#{mode => local, watch => Watch}),
    StartedTags = [{started, R} || R <- Resources],
    {ok, _} = await(StartedTags, 30000),
    T1 = os:system_time(microsecond),
    Src = Dev(hd(Path)),
    {ok, TInject} = inject(<<Src/binary, ".R">>, <<Src/binary, "_Probe.EI1">>),
    {ok, #{probe := TProbe}} = await([probe], 30000),
    Counts = [begin {ok, Fbs} = plc:describe(R), length(Fbs) end || R <- Resources],
    {ok, #{compile_ms => CompileMs, devices => length(Devices), all_started_ms => (T1 - T0) / 1000,
           probe_ms => (TProbe - TInject) / 1000, fbs_per_resource => lists:usort(Counts)}}.
