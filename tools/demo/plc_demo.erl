%%% @doc `make demo': the pedestrian crossing of fblocks/crossing3.st on
%%% three local Erlang nodes in hidden mode, one IEC 61499 device each
%%% (sensors, field, crossing), with a live terminal view that ends by itself.
%%%
%%% This module is the controller (run by tools/demo.sh on a hidden node of
%%% its own, `erl -sname plc_demo -hidden'): it starts the three device nodes
%%% with OTP `peer', has each compile the system and start its device
%%% (`plc:start_system/2' with `mode => hidden' and the node map), and shows
%%% what happens: the crossing's lamps, the sensors and the vote, events/s
%%% per node (`plc:stats/1'), each node's connections (`nodes(connected)')
%%% and links (`plc:system_info/1'), all through erpc. The scenario, timed
%%% from the moment the light first turns red (START.COLD on crossing, which
%%% waits for its neighbour field):
%%%
%%%    0 s  red; red-yellow at 4 s, green at 5 s
%%%    6 s  two sensors pressed on sensors: the VOTER on field votes yes, the
%%%         request crosses to crossing and cuts green short: yellow at 8 s
%%%         (not 11 s), red at 9 s
%%%   10 s  the field node is killed (kill -9); sensors and crossing go on
%%%   11 s  it is started again and rejoins; the others are not restarted
%%%   15 s  two sensors pressed again: the new field votes, yellow at 17 s
%%%   19.5 s the end: the nodes are stopped
%%%
%%% Output: an ANSI view redrawn in place 5 times a second (`--tty'), or,
%%% when stdout is not a terminal, plain lines, one per change, with the
%%% time since the first red (tools/demo_test.sh checks them).
%%%
%%% Without plc's distribution API (`plc:system_info/1' missing) or with
%%% `--local', the three devices run as three resources in this VM and
%%% "killing field" kills its resource process (its supervisor restarts it).
-module(plc_demo).

-export([main/0, main/1]).
-export([start_keeper/1]).    % called on the device nodes

-define(SYSTEM, <<"Crossing3">>).
-define(TICK_MS, 200).
-define(SETUP_TIMEOUT_MS, 30000).
-define(LOG_LINES, 10).
%% Devices, in display order, with the short name of their node.
-define(DEVICES, [{<<"Sensors">>, "sensors"}, {<<"Field">>, "field"}, {<<"Crossing">>, "crossing"}]).
-define(SENSORS, [{<<"Sensor_A">>, <<"I0.0">>, "A"}, {<<"Sensor_B">>, <<"I0.1">>, "B"},
                  {<<"Sensor_C">>, <<"I0.2">>, "C"}]).
-define(LAMPS, [{<<"Q0.0">>, red}, {<<"Q0.1">>, yellow}, {<<"Q0.2">>, green}]).

-record(dev, {
    name :: binary(),                     % <<"Field">>
    short :: string(),                    % "field"
    node :: node(),
    res :: binary(),                      % <<"Field.Main">>
    state = starting :: starting | running | not_running | down | restarting | killed,
    peer :: pid() | undefined,
    os_pid :: string() | undefined,
    keeper :: pid() | undefined,
    first_pid :: pid() | undefined,       % the resource's first process
    pid :: pid() | undefined,             % its current one
    rate = 0.0 :: float(),
    total = 0 :: non_neg_integer(),
    links = [] :: [node()],
    started = false :: boolean() | unknown,   % system_info: START opened
    peers = #{} :: #{node() => map()},
    starts = 0 :: non_neg_integer()
}).

-record(st, {
    opts :: map(),
    dist :: boolean(),
    launch :: integer(),                  % ms, monotonic
    t0 :: integer() | undefined,          % ms of the first red
    devs :: #{binary() => #dev{}},
    lamps = #{red => false, yellow => false, green => false} :: map(),
    lamps_at :: integer() | undefined,    % ms of the first unflushed lamp write
    lamps_written = [] :: [binary()],     % the lamps written since
    lamps_shown :: string() | undefined,
    phases = [] :: [{integer(), string()}],   % newest first
    sensors = #{} :: #{binary() => boolean()},
    presses = 0 :: non_neg_integer(),
    vote :: undefined | {boolean(), integer()},
    requests = [] :: [integer()],         % ms of each Light.REQ seen on crossing
    resets = 0 :: non_neg_integer(),
    log = [] :: [iodata()],               % newest first
    steps = [] :: [{non_neg_integer(), term(), string()}],
    step = 0 :: non_neg_integer(),        % steps done
    pairs = [] :: [{string(), string()}], % device pairs seen connected
    killed :: undefined | binary(),
    rejoined = false :: boolean(),
    saw_down = [] :: [string()],          % neighbours that saw the killed node down
    failed = false :: false | string(),
    ticks = 0 :: non_neg_integer(),
    rates_shown :: undefined | string()
}).

%%% Entry

-spec main() -> no_return().
main() ->
    main(init:get_plain_arguments()).

-spec main([string()]) -> no_return().
main(Args) ->
    Opts = parse(Args, #{tty => false, local => false, root => ".", logdir => "/tmp",
                         ebin => "_build/default/lib/plc/ebin", demo_ebin => ""}),
    Code = try run(Opts)
           catch Class:Reason:Stack ->
                   restore_terminal(Opts),
                   io:format(standard_error, "plc demo: crashed: ~p:~p~n~p~n", [Class, Reason, Stack]),
                   2
           end,
    halt(Code).

parse(["--tty" | Rest], O) -> parse(Rest, O#{tty => true});
parse(["--plain" | Rest], O) -> parse(Rest, O#{tty => false});
parse(["--local" | Rest], O) -> parse(Rest, O#{local => true});
parse(["--root", D | Rest], O) -> parse(Rest, O#{root => D});
parse(["--logdir", D | Rest], O) -> parse(Rest, O#{logdir => D});
parse(["--size", Rows, Cols | Rest], O) ->   % the terminal's (stty size)
    case {string:to_integer(Rows), string:to_integer(Cols)} of
        {{R, ""}, {C, ""}} when R > 0, C > 0 -> parse(Rest, O#{rows => R, cols => C});
        _ -> parse(Rest, O)
    end;
parse(["--ebin", D | Rest], O) -> parse(Rest, O#{ebin => D});
parse(["--demo-ebin", D | Rest], O) -> parse(Rest, O#{demo_ebin => D});
parse([], O) ->
    O1 = O#{root => filename:absname(maps:get(root, O)), ebin => filename:absname(maps:get(ebin, O))},
    case maps:get(demo_ebin, O1) of
        "" -> O1#{demo_ebin => filename:dirname(code:which(?MODULE))};
        D -> O1#{demo_ebin => filename:absname(D)}
    end;
parse([Other | _], _) ->
    io:format(standard_error, "plc demo: unknown argument ~s~n"
              "usage: plc_demo [--tty|--plain] [--local] [--root DIR] [--logdir DIR] [--ebin DIR]~n", [Other]),
    halt(2).

run(Opts = #{logdir := LogDir}) ->
    ok = io:setopts(standard_io, [{encoding, unicode}]),
    process_flag(trap_exit, true),     % a helper that crashes is reported, not fatal
    %% This node's log (and, in one VM, plc's) goes to a file: the view owns the terminal.
    _ = logger:remove_handler(default),
    ok = logger:add_handler(default, logger_std_h,
                            #{config => #{file => filename:join(LogDir, "demo.log")}}),
    {module, plc} = code:ensure_loaded(plc),
    Dist = not maps:get(local, Opts) andalso erlang:function_exported(plc, system_info, 1),
    case {Dist, node()} of
        {true, nonode@nohost} ->
            io:format(standard_error, "plc demo: this node is not distributed (run it with -sname)~n", []),
            1;
        _ ->
            Launch = now_ms(),
            Devs = devices(Dist),
            St0 = #st{opts = Opts, dist = Dist, launch = Launch, devs = Devs,
                      sensors = maps:from_list([{A, false} || {_, A, _} <- ?SENSORS])},
            case maps:get(tty, Opts) of
                true -> io:put_chars("\e[?25l\e[2J");
                false -> ok
            end,
            St1 = case Dist of
                      true ->
                          ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
                          say(St0, "demo", ["fblocks/crossing3.st on 3 hidden nodes: ",
                                            lists:join(", ", [atom_to_list(D#dev.node) || D <- dev_list(St0)]),
                                            "; controller ", atom_to_list(node())]);
                      false ->
                          Why = case maps:get(local, Opts) of
                                    true -> "--local";
                                    false -> "plc has no distribution API yet (plc:system_info/1)"
                                end,
                          say(St0, "demo", ["fblocks/crossing3.st in ONE VM, 3 devices as 3 resources: ", Why])
                  end,
            St2 = start_devices(St1),
            erlang:send_after(?TICK_MS, self(), tick),
            erlang:send_after(?SETUP_TIMEOUT_MS, self(), setup_timeout),
            St = loop(St2),
            finish(St)
    end.

devices(Dist) ->
    Host = case string:split(atom_to_list(node()), "@") of
               [_, H] -> H;
               _ -> "nohost"
           end,
    Taken = case erl_epmd:names() of
                {ok, Names} -> [N || {N, _} <- Names];
                _ -> []
            end,
    maps:from_list(
      [{Dev, #dev{name = Dev, short = Short, res = <<Dev/binary, ".Main">>,
                  node = case Dist of
                             true ->
                                 Name = case lists:member(Short, Taken) of
                                            true -> Short ++ "_" ++ os:getpid();   % another demo runs
                                            false -> Short
                                        end,
                                 list_to_atom(Name ++ "@" ++ Host);
                             false ->
                                 node()
                         end}}
       || {Dev, Short} <- ?DEVICES]).

dev_list(#st{devs = Devs}) ->
    [maps:get(D, Devs) || {D, _} <- ?DEVICES].

%%% Starting the devices

start_devices(St = #st{dist = true}) ->
    [start_node(St, D) || D <- dev_list(St)],
    St;
start_devices(St = #st{dist = false, opts = Opts}) ->
    Viewer = self(),
    {ok, _} = start_keeper(#{viewer => Viewer, device => all, root => maps:get(root, Opts),
                             controller => node(), dist => false}),
    St.

%% Starts a device's node and its keeper, from a helper process (the view
%% goes on meanwhile); the keeper reports {keeper, ...} when its device runs.
start_node(St = #st{opts = Opts}, #dev{name = Dev, node = Node}) ->
    Viewer = self(),
    [Name, _Host] = string:split(atom_to_list(Node), "@"),
    LogFile = filename:join(maps:get(logdir, Opts), Name ++ ".log"),
    Logger = lists:flatten(io_lib:format("[{handler,default,logger_std_h,#{config=>#{file=>~p}}}]", [LogFile])),
    Args = ["-hidden", "-pa", maps:get(ebin, Opts), "-pa", maps:get(demo_ebin, Opts),
            "-kernel", "logger", Logger],
    NodesMap = maps:from_list([{D#dev.name, D#dev.node} || D <- dev_list(St)]),
    spawn_link(
      fun() ->
              T = now_ms(),
              try
              case peer:start(#{name => list_to_atom(Name), args => Args, wait_boot => 20000}) of
                  {ok, Peer, Node} ->
                      OsPid = erpc:call(Node, os, getpid, []),
                      Viewer ! {node_booted, Dev, Peer, OsPid, now_ms() - T},
                      {ok, _Keeper} = erpc:call(Node, ?MODULE, start_keeper,
                                                [#{viewer => Viewer, device => Dev, nodes => NodesMap,
                                                   root => maps:get(root, Opts), controller => node(),
                                                   dist => true}]);
                  {ok, _Peer, Other} ->
                      Viewer ! {node_failed, Dev, {unexpected_node_name, Other}};
                  {error, Reason} ->
                      Viewer ! {node_failed, Dev, Reason}
              end
              catch
                  C:E -> Viewer ! {node_failed, Dev, {C, E}}
              end
      end).

%% @doc On a device node (or, in one VM, on this one): a process that loads
%% the system, starts this node's device and reports to the viewer; it relays
%% the device's events to the viewer when the runtime refuses a remote
%% subscriber, and lives as long as the device.
-spec start_keeper(map()) -> {ok, pid()}.
start_keeper(Cfg) ->
    {ok, spawn(fun() -> keeper(Cfg) end)}.

keeper(Cfg = #{viewer := Viewer, device := Dev}) ->
    T = now_ms(),
    Result = try keeper_start(Cfg)
             catch C:E:S -> {error, {C, E, S}}
             end,
    Viewer ! {keeper, Dev, node(), self(), Result, now_ms() - T},
    case Result of
        {ok, {relay, _}, _} -> relay(Viewer);
        {ok, _, _} -> receive stop -> ok end;
        _ -> ok
    end.

keeper_start(Cfg = #{viewer := Viewer, device := Dev, root := Root}) ->
    {ok, _} = application:ensure_all_started(plc),
    [case plc:compile_file(filename:join([Root, "fblocks", F])) of
         {ok, _} -> ok;
         {error, E} -> throw({compile, F, E})
     end || F <- ["voter.st", "ampel.st", "crossing3.st"]],
    Opts = case Cfg of
               #{dist := true, nodes := Nodes, controller := Controller} ->
                   #{mode => hidden, nodes => Nodes, devices => [Dev], allow => [Controller],
                     observe => all};
               #{dist := false} ->
                   #{observe => all}
           end,
    case plc:start_system(?SYSTEM, Opts#{subscribers => [Viewer]}) of
        {ok, Resources} ->
            {ok, direct, Resources};
        {error, Reason} = Error when node(Viewer) =/= node() ->
            %% The contract says remote subscribers work; if this runtime
            %% refuses them, relay through this (local) process.
            case string:find(io_lib:format("~0p", [Reason]), "local pid") of
                nomatch ->
                    Error;
                _ ->
                    case plc:start_system(?SYSTEM, Opts#{subscribers => [self()]}) of
                        {ok, Resources} -> {ok, {relay, Reason}, Resources};
                        Error2 -> Error2
                    end
            end;
        Error ->
            Error
    end.

relay(Viewer) ->
    receive
        stop -> ok;
        Msg when is_tuple(Msg), element(1, Msg) =:= plc_event;
                 is_tuple(Msg), element(1, Msg) =:= plc_io;
                 is_tuple(Msg), element(1, Msg) =:= plc_alarm ->
            Viewer ! Msg,
            relay(Viewer);
        _ ->
            relay(Viewer)
    end.

%% One poller per device: counters, resource pid, connections and links,
%% every tick, through erpc (the controller is connected to every node).
poller(Viewer, Dev, Node, Res, Dist, Hist) ->
    Now = now_ms(),
    {Result, Hist1} =
        case poll_once(Node, Res, Dist) of
            {ok, N, Pid, Links, Info} ->
                H0 = case Hist of
                         [{_, N0, Pid0} | _] when N0 > N; Pid0 =/= Pid -> [];   % restarted
                         _ -> Hist
                     end,
                H = [{Now, N, Pid} | [S || S = {T, _, _} <- H0, Now - T =< 1000]],
                {T1, N1, _} = lists:last(H),
                Rate = case Now - T1 of
                           Dt when Dt >= 400 -> (N - N1) * 1000 / Dt;
                           _ -> 0.0
                       end,
                {{ok, N, Rate, Pid, Links, Info}, H};
            Other ->
                {Other, []}
        end,
    Viewer ! {poll, Dev, Result},
    timer:sleep(max(0, ?TICK_MS - (now_ms() - Now))),
    poller(Viewer, Dev, Node, Res, Dist, Hist1).

poll_once(Node, Res, Dist) ->
    try erpc:call(Node, plc, stats, [Res], 1000) of
        {ok, #{dispatched := N}} ->
            try
                Pid = erpc:call(Node, plc, whereis, [Res], 1000),
                Links = erpc:call(Node, erlang, nodes, [connected], 1000),
                Info = case Dist of
                           true ->
                               case erpc:call(Node, plc, system_info, [?SYSTEM], 1000) of
                                   {ok, I} when is_map(I) -> I;
                                   _ -> #{}
                               end;
                           false -> #{}
                       end,
                {ok, N, Pid, Links, Info}
            catch _:_ -> unreachable
            end;
        _ ->
            not_running
    catch
        _:_ -> unreachable
    end.

start_poller(St, #dev{name = Dev, node = Node, res = Res}) ->
    Viewer = self(),
    Dist = St#st.dist,
    spawn_link(fun() -> poller(Viewer, Dev, Node, Res, Dist, []) end),
    St.

%%% The view's loop

loop(St = #st{step = Step, steps = Steps}) when Steps =/= [], Step >= length(Steps) ->
    St;
loop(St = #st{failed = Failed}) when Failed =/= false ->
    St;
loop(St) ->
    receive
        Msg -> loop(handle(Msg, St))
    end.

handle({plc_event, Pid, Port, Data}, St) ->
    event(who(St, Pid, Port), Port, Data, St);
handle({plc_io, _Pid, Address, Value}, St = #st{lamps = Lamps, lamps_written = W}) ->
    %% Each phase change writes the three lamps: shown once all are written
    %% (or 20 ms after the first, should one be missing).
    case lists:keyfind(Address, 1, ?LAMPS) of
        {_, Lamp} ->
            St1 = St#st{lamps = Lamps#{Lamp => Value}, lamps_written = lists:usort([Address | W])},
            St2 = case St#st.lamps_at of
                      undefined ->
                          Now = now_ms(),
                          erlang:send_after(20, self(), {lamps, Now}),
                          St1#st{lamps_at = Now};
                      _ ->
                          St1
                  end,
            case length(St2#st.lamps_written) =:= length(?LAMPS) of
                true -> flush_lamps(St2);
                false -> St2
            end;
        false ->
            St
    end;
handle({lamps, At}, St = #st{lamps_at = At}) ->
    flush_lamps(St);
handle({lamps, _Stale}, St) ->
    St;
handle({plc_alarm, Pid, Alarm}, St) ->
    say(St, who(St, Pid, <<>>), io_lib:format("alarm ~0p", [Alarm]));
handle({node_booted, Dev, Peer, OsPid, Ms}, St) ->
    D = dev(St, Dev),
    St1 = put_dev(St, D#dev{peer = Peer, os_pid = OsPid}),
    say(St1, D#dev.short, io_lib:format("node ~s booted in ~b ms (os pid ~s)", [D#dev.node, Ms, OsPid]));
handle({node_failed, Dev, Reason}, St) ->
    fail(St, io_lib:format("cannot start the node of ~s: ~0p", [Dev, Reason]));
handle({keeper, all, _Node, Keeper, {ok, _, Resources}, Ms}, St) ->
    %% One VM: the three devices at once.
    lists:foldl(fun(D, Acc) ->
                        Pid = maps:get(D#dev.res, Resources, undefined),
                        Acc1 = put_dev(Acc, D#dev{keeper = Keeper, state = running, first_pid = Pid,
                                                  pid = Pid, starts = 1}),
                        start_poller(Acc1, D),
                        say(Acc1, D#dev.short, io_lib:format("~s started in ~b ms", [D#dev.res, Ms]))
                end, St, dev_list(St));
handle({keeper, Dev, Node, Keeper, {ok, How, Resources}, Ms}, St) ->
    D = dev(St, Dev),
    Pid = maps:get(D#dev.res, Resources, undefined),
    Again = D#dev.starts > 0,
    D1 = D#dev{keeper = Keeper, state = running, pid = Pid, starts = D#dev.starts + 1,
               first_pid = case Again of true -> D#dev.first_pid; false -> Pid end},
    St1 = put_dev(St, D1),
    case Again of
        false -> start_poller(St1, D1);
        true -> ok
    end,
    St2 = say(St1, D#dev.short, io_lib:format("~s started on ~s in ~b ms~s", [D#dev.res, Node, Ms,
                                                                             case Again of true -> " (again)"; false -> "" end])),
    case How of
        {relay, Why} ->
            say(St2, D#dev.short, io_lib:format("NOTE: remote subscriber refused (~0p); events relayed by a local process",
                                                [short_reason(Why)]));
        direct ->
            St2
    end;
handle({keeper, Dev, _Node, _Keeper, Error, _Ms}, St) ->
    fail(St, io_lib:format("~s did not start: ~0p", [Dev, short_reason(Error)]));
handle({poll, Dev, Result}, St) ->
    poll(dev(St, Dev), Result, St);
handle({nodedown, Node, _}, St) ->
    case node_dev(St, Node) of
        undefined -> St;
        D ->
            St1 = put_dev(St, D#dev{state = down, rate = 0.0, links = [], peers = #{}, started = false}),
            say(St1, D#dev.short, ["node ", atom_to_list(Node), " is down"])
    end;
handle({nodeup, _Node, _}, St) ->
    St;
handle(tick, St = #st{ticks = Ticks}) ->
    erlang:send_after(?TICK_MS, self(), tick),
    St1 = St#st{ticks = Ticks + 1},
    case maps:get(tty, St#st.opts) of
        true -> render(St1), St1;
        false when Ticks rem 5 =:= 4 -> rates_line(St1);
        false -> St1
    end;
handle(setup_timeout, St = #st{t0 = undefined}) ->
    fail(St, "the light did not turn red within 30 s of the start (START.COLD on crossing never fired?)");
handle(setup_timeout, St) ->
    St;
handle({step, N}, St) ->
    step(N, St);
handle({'EXIT', _, normal}, St) ->
    St;
handle({'EXIT', Pid, Reason}, St) ->
    fail(St, io_lib:format("helper ~p crashed: ~0p", [Pid, Reason]));
handle(_Other, St) ->
    St.

%% The device of an event: its node (3 nodes) or its FB (one VM).
who(#st{dist = true} = St, Pid, _Port) when is_pid(Pid), node(Pid) =/= node() ->
    case node_dev(St, node(Pid)) of
        undefined -> atom_to_list(node(Pid));
        D -> D#dev.short
    end;
who(_St, _Pid, Port) ->
    case Port of
        <<"Sensor", _/binary>> -> "sensors";
        <<"AnySensor", _/binary>> -> "sensors";
        <<"Presses", _/binary>> -> "sensors";
        <<"Vote", _/binary>> -> "field";
        <<"Permit", _/binary>> -> "field";
        _ -> "crossing"
    end.

event(Who, <<"Light.CTL.STOP_T">>, _, St = #st{requests = R}) ->
    say(St#st{requests = [now_ms() | R]}, Who, "Light.REQ (from field) during green: cut short, yellow in 2 s");
event(Who, <<"Vote.Voted">>, #{<<"State">> := State}, St) ->
    Pressed = [L || {_, A, L} <- ?SENSORS, maps:get(A, St#st.sensors)],
    Text = case State of
               true -> ["Vote.Voted State=TRUE: YES, ", integer_to_list(length(Pressed)), " of 3 (",
                        lists:join(" ", Pressed), ") -> Permit"];
               false -> "Vote.Voted State=FALSE: no"
           end,
    say(St#st{vote = {State, now_ms()}}, Who, Text);
event(Who, <<"Permit.EO">>, _, St) ->
    say(St, Who, "Permit.EO -> Light.REQ on crossing");
event(Who, <<"Vote.Ready">>, _, St = #st{resets = N}) ->
    say(St#st{resets = N + 1, vote = undefined}, Who, "Vote.Ready: reset by crossing's Light.CHANGE");
event(_Who, <<"Presses.CUO">>, #{<<"CV">> := CV}, St) ->
    St#st{presses = CV};
event(Who, <<Fb:8/binary, ".IND">>, #{<<"IN">> := In}, St = #st{sensors = S}) ->
    case lists:keyfind(Fb, 1, ?SENSORS) of
        {_, Addr, Letter} ->
            say(St#st{sensors = S#{Addr => In}}, Who,
                [Fb, ".IND ", Addr, "=", bool(In), " -> Vote.Vote (", Letter, ") on field"]);
        false ->
            St
    end;
event(_Who, _Port, _Data, St) ->
    St.

flush_lamps(St = #st{lamps = L, lamps_at = At, lamps_shown = Shown, phases = Ph}) ->
    Phase = phase(L),
    St1 = St#st{lamps_at = undefined, lamps_written = []},
    case Phase =:= Shown of
        true ->
            St1;
        false ->
            St2 = case St#st.t0 of
                      undefined when Phase =:= "RED" -> start_scenario(St1#st{t0 = At});
                      _ -> St1
                  end,
            St3 = St2#st{lamps_shown = Phase, phases = [{At, Phase} | Ph]},
            say_at(St3, At, "crossing", ["lamps: ", Phase])
    end.

phase(#{red := true, yellow := false, green := false}) -> "RED";
phase(#{red := true, yellow := true, green := false}) -> "RED+YELLOW";
phase(#{red := false, yellow := false, green := true}) -> "GREEN";
phase(#{red := false, yellow := true, green := false}) -> "YELLOW";
phase(#{red := R, yellow := Y, green := G}) ->
    lists:flatten(io_lib:format("red=~s yellow=~s green=~s", [bool(R), bool(Y), bool(G)])).

%%% Polls

poll(D = #dev{state = killed}, {ok, _, _, _, _, _}, St) ->
    %% The old node answered after the kill: ignore until it is down.
    put_dev(St, D);
poll(D, {ok, Total, Rate, Pid, Connected, Info}, St) ->
    Links = lists:sort(Connected -- [node()]),
    Peers = maps:get(peers, Info, #{}),
    Started = maps:get(started, Info, unknown),
    D1 = D#dev{total = Total, rate = float(Rate), pid = Pid, links = Links, peers = Peers,
               started = Started, state = running},
    St1 = put_dev(St, D1),
    St2 = case D#dev.pid =/= Pid andalso D#dev.pid =/= undefined andalso not St#st.dist of
              true -> say(St1, D#dev.short, io_lib:format("~s restarted by its supervisor: ~p", [D#dev.res, Pid]));
              false -> St1
          end,
    St3 = case Links =/= D#dev.links andalso St#st.dist of
              true ->
                  Names = [short(St2, N) || N <- Links],
                  Pairs = lists:usort(St2#st.pairs ++ [pair(D#dev.short, N) || N <- Names]),
                  say(St2#st{pairs = Pairs}, D#dev.short,
                      ["connected to: ", case Names of [] -> "none"; _ -> lists:join(", ", Names) end]);
              false ->
                  St2
          end,
    St4 = case Started =/= D#dev.started andalso Started =:= true of
              true -> say(St3, D#dev.short, "system_info: started (every neighbour is ready)");
              false -> St3
          end,
    St5 = maps:fold(fun(Node, P, Acc) ->
                            Old = maps:get(Node, D#dev.peers, #{}),
                            Flags = peer_flags(P),
                            case peer_flags(Old) =:= Flags of
                                true -> Acc;
                                false -> say(Acc, D#dev.short, ["link to ", short(Acc, Node), ": ", Flags])
                            end
                    end, St4, Peers),
    check_rejoined(saw_down(D1, St5));
poll(D = #dev{state = State}, Bad, St) when State =:= running ->
    St1 = put_dev(St, D#dev{state = Bad, rate = 0.0}),
    say(St1, D#dev.short, [D#dev.res, " ", atom_to_list(Bad)]);
poll(_D, _Bad, St) ->
    St.

peer_flags(P) when map_size(P) =:= 0 -> "";
peer_flags(P) ->
    [case maps:get(up, P, false) of true -> "up"; false -> "DOWN" end,
     case maps:get(ready, P, false) of true -> ", ready"; false -> ", not ready" end].

pair(A, B) when A < B -> {A, B};
pair(A, B) -> {B, A}.

saw_down(_D, St = #st{killed = undefined}) ->
    St;
saw_down(D, St = #st{killed = Dev, saw_down = Saw}) ->
    K = dev(St, Dev),
    case maps:get(K#dev.node, D#dev.peers, undefined) of
        #{ready := false} -> St#st{saw_down = lists:usort([D#dev.short | Saw])};
        #{up := false} -> St#st{saw_down = lists:usort([D#dev.short | Saw])};
        _ -> St
    end.

%% After the restart: the neighbours of the killed device see its new node
%% up and ready, and were not restarted themselves.
check_rejoined(St = #st{killed = undefined}) ->
    St;
check_rejoined(St = #st{rejoined = true}) ->
    St;
check_rejoined(St = #st{killed = Dev, dist = Dist}) ->
    K = dev(St, Dev),
    Others = [D || D <- dev_list(St), D#dev.name =/= Dev],
    Ready = K#dev.state =:= running andalso K#dev.starts >= 2 orelse not Dist andalso K#dev.state =:= running
            andalso K#dev.pid =/= K#dev.first_pid,
    Seen = [D || D <- Others, P <- [maps:get(K#dev.node, D#dev.peers, undefined)], is_map(P),
                 maps:get(up, P, false), maps:get(ready, P, false),
                 lists:member(D#dev.short, St#st.saw_down)],
    Neighbours = [D || D <- Others, maps:is_key(K#dev.node, D#dev.peers)],
    case Ready andalso (not Dist orelse (Neighbours =/= [] andalso length(Seen) =:= length(Neighbours))) of
        false ->
            St;
        true ->
            Same = [D#dev.short || D <- Others, D#dev.pid =:= D#dev.first_pid],
            Changed = [D#dev.short || D <- Others, D#dev.pid =/= D#dev.first_pid],
            St1 = say(St#st{rejoined = true}, "demo",
                      [K#dev.short, " rejoined",
                       case Dist of
                           true -> [": ", lists:join(" and ", [D#dev.short || D <- Seen]), " see it up and ready"];
                           false -> []
                       end,
                       "; ", lists:join(" and ", Same), " kept running (same resource pids, no new START.COLD)"]),
            case Changed of
                [] -> St1;
                _ -> say(St1, "demo", ["WARNING: restarted meanwhile: ", lists:join(", ", Changed)])
            end
    end.

%%% The scenario

start_scenario(St = #st{t0 = T0, dist = Dist}) ->
    {Kill, Restart} = case Dist of
                          true -> {"10 s: kill field (kill -9); sensors and crossing run on",
                                   "11 s: start field again; it rejoins, the others untouched"};
                          false -> {"10 s: kill the process of Field.Main (one VM)",
                                    "11 s: its supervisor has restarted it, the others untouched"}
                      end,
    Steps = [{6000, {press, [<<"I0.0">>, <<"I0.1">>]},
              "6 s: press I0.0 + I0.1 on sensors; field votes yes: yellow at 8 s, not 11 s"},
             {9500, {release, [<<"I0.0">>, <<"I0.1">>]}, "9.5 s: they crossed; I0.0 + I0.1 released"},
             {10000, {kill, <<"Field">>}, Kill},
             {11000, {restart, <<"Field">>}, Restart},
             {15000, {press, [<<"I0.2">>, <<"I0.0">>]},
              "15 s: press I0.2 + I0.0; the new field votes -> yellow at 17 s, not 20 s"},
             {19500, finish, "19.5 s: the end; the nodes are stopped"}],
    Now = now_ms(),
    [erlang:send_after(max(0, T0 + At - Now), self(), {step, N})
     || {N, {At, _, _}} <- lists:zip(lists:seq(1, length(Steps)), Steps)],
    St#st{steps = Steps}.

step(N, St = #st{steps = Steps}) ->
    {_, Action, _Text} = lists:nth(N, Steps),
    St1 = St#st{step = N},
    act(Action, St1).

act({press, Addrs}, St) -> write_inputs(Addrs, true, St);
act({release, Addrs}, St) -> write_inputs(Addrs, false, St);
act({kill, Dev}, St = #st{dist = true}) ->
    D = dev(St, Dev),
    _ = os:cmd("kill -9 " ++ D#dev.os_pid),
    St1 = put_dev(St#st{killed = Dev}, D#dev{state = killed, rate = 0.0}),
    say(St1, "demo", io_lib:format("kill -9 ~s (the node of ~s, os pid ~s)", [D#dev.node, Dev, D#dev.os_pid]));
act({kill, Dev}, St = #st{dist = false}) ->
    D = dev(St, Dev),
    Pid = plc:whereis(D#dev.res),
    exit(Pid, kill),
    say(St#st{killed = Dev}, "demo", io_lib:format("exit(~p, kill): the resource ~s (one VM)", [Pid, D#dev.res]));
act({restart, Dev}, St = #st{dist = true}) ->
    D = dev(St, Dev),
    St1 = put_dev(St, D#dev{state = restarting}),
    start_node(St1, D),
    say(St1, "demo", io_lib:format("starting ~s again (plc:start_system with devices => [~s])", [D#dev.node, Dev]));
act({restart, Dev}, St = #st{dist = false}) ->
    say(St, "demo", [Dev, ".Main: restarted by plc_runtime_sup (one VM)"]);
act(finish, St) ->
    say(St, "demo", "the end").

write_inputs(Addrs, Value, St) ->
    S = dev(St, <<"Sensors">>),
    Results = [{A, try erpc:call(S#dev.node, plc, write_input, [S#dev.res, A, Value], 2000)
                   catch C:E -> {C, E}
                   end} || A <- Addrs],
    Text = [case Value of true -> "press "; false -> "release " end,
            lists:join(" ", Addrs), " on ", atom_to_list(S#dev.node), " (plc:write_input)"],
    St1 = say(St, "demo", Text),
    case [R || {_, R} <- Results, R =/= ok] of
        [] -> St1;
        Bad -> say(St1, "demo", io_lib:format("ERROR: write_input: ~0p", [Bad]))
    end.

%%% The end

finish(St = #st{failed = Failed}) ->
    Tty = maps:get(tty, St#st.opts),
    St1 = case Failed of
              false when not Tty -> summary(St);
              _ -> St
          end,
    case Tty of
        true -> render(St1);
        false -> ok
    end,
    stop_devices(St1),
    restore_terminal(St1#st.opts),
    case Failed of
        false when Tty -> [io:put_chars(["summary: ", L, "\n"]) || L <- summary_lines(St1)];
        _ -> ok
    end,
    case Failed of
        false ->
            0;
        Why ->
            LogDir = maps:get(logdir, St1#st.opts),
            io:format(standard_error, "plc demo: FAILED: ~ts~n(the nodes' logs: ~ts/*.log)~n", [Why, LogDir]),
            1
    end.

summary(St) ->
    lists:foldl(fun(L, Acc) -> say(Acc, "summary", L) end, St, summary_lines(St)).

summary_lines(St = #st{phases = Ph, t0 = T0}) ->
    Phases = [P || {_, P} <- lists:reverse(Ph)],
    Yellows = [io_lib:format("~.2f s", [(At - T0) / 1000]) || {At, "YELLOW"} <- lists:reverse(Ph), T0 =/= undefined],
    Events = [[D#dev.short, " ", integer_to_list(D#dev.total)] || D <- dev_list(St)],
    Pairs = [[A, "-", B] || {A, B} <- St#st.pairs],
    Never = [[A, "-", B] || A <- shorts(St), B <- shorts(St), A < B, not lists:member({A, B}, St#st.pairs)],
    [["lamps ", lists:join(" > ", Phases)],
     ["yellow at ", lists:join(", ", Yellows), " (green cut short by the votes: 8 s and 17 s, not 11 s and 20 s)"],
     ["events dispatched (current incarnations): ", lists:join(", ", Events)],
     case St#st.dist of
         true -> ["connections between the device nodes: ", lists:join(", ", Pairs),
                  case Never of [] -> ""; _ -> ["; never: ", lists:join(", ", Never)] end];
         false -> "connections: none (one VM)"
     end].

shorts(St) -> lists:sort([D#dev.short || D <- dev_list(St)]).

stop_devices(#st{dist = true} = St) ->
    [catch peer:stop(D#dev.peer) || D <- dev_list(St), is_pid(D#dev.peer)],
    ok;
stop_devices(#st{dist = false}) ->
    catch plc:stop_system(?SYSTEM),
    ok.

fail(St, Why) ->
    St1 = say(St, "demo", ["FAILED: ", Why]),
    St1#st{failed = lists:flatten(io_lib:format("~ts", [Why]))}.

restore_terminal(#{tty := true}) -> io:put_chars("\e[?25h");
restore_terminal(_) -> ok.

%%% Output

%% A line of the event log: printed at once without a terminal, kept for
%% the view with one.
say(St, Who, Text) ->
    say_at(St, now_ms(), Who, Text).

say_at(St = #st{log = Log, opts = #{tty := Tty}}, At, Who, Text) ->
    Line = [stamp(St, At), " ", pad(Who, 8), " ", Text],
    case Tty of
        false -> io:put_chars([Line, "\n"]);
        true -> ok
    end,
    St#st{log = lists:sublist([Line | Log], 200)}.

stamp(#st{t0 = undefined}, _At) -> "[  setup ]";
stamp(#st{t0 = T0}, At) -> io_lib:format("[~7.3fs]", [(At - T0) / 1000]).

rates_line(St = #st{rates_shown = Shown}) ->
    Line = lists:flatten([lists:join("  ", [[D#dev.short, " ", rate(D)] || D <- dev_list(St)])]),
    case Line =:= Shown of
        true -> St;
        false -> (say(St, "events/s", Line))#st{rates_shown = Line}
    end.

rate(#dev{state = running, rate = R}) -> io_lib:format("~.1f", [R]);
rate(#dev{state = S}) -> atom_to_list(S).

%% The live view: one frame, drawn over the previous one.
render(St) ->
    U = unicode_ok(),
    Now = now_ms(),
    T = case St#st.t0 of
            undefined -> "setup";
            T0 -> io_lib:format("t = ~5.1f s", [(Now - T0) / 1000])
        end,
    Width = min(maps:get(cols, St#st.opts, 200) - 1, 88),
    Dash = case U of true -> $─; false -> $- end,
    Rule = fun(Name) -> dim([lists:duplicate(2, Dash), " ", Name, " ", lists:duplicate(Width - length(Name) - 4, Dash)]) end,
    Title = case St#st.dist of
                true -> "plc demo: fblocks/crossing3.st on 3 hidden Erlang nodes";
                false -> "plc demo: fblocks/crossing3.st, 3 devices in one VM"
            end,
    Top = [[bold(pad(Title, 62)), T], Rule("devices")]
        ++ panel(St, U) ++ [Rule("nodes")] ++ node_table(St, U) ++ [Rule("scenario")] ++ scenario(St, U)
        ++ [Rule("events")],
    %% As many log lines as the terminal has room for: a frame that scrolls
    %% (or a line that wraps) would not be redrawn in place.
    LogLines = max(2, min(?LOG_LINES, maps:get(rows, St#st.opts, 40) - length(Top) - 1)),
    Frame = Top ++ lists:reverse(lists:sublist(St#st.log, LogLines)),
    Cols = maps:get(cols, St#st.opts, 200),
    io:put_chars(["\e[H", [[clip(L, Cols - 1), "\e[K\n"] || L <- Frame], "\e[J"]).

%% The first N visible characters of a line (escape sequences kept, not counted).
clip(Line, N) ->
    clip(unicode:characters_to_list(Line), N, []).

clip([], _N, Acc) -> lists:reverse(Acc);
clip([$\e, $[ | Rest], N, Acc) ->
    {Seq, [Final | After]} = lists:splitwith(fun(C) -> (C >= $0 andalso C =< $9) orelse C =:= $; orelse C =:= $? end, Rest),
    clip(After, N, lists:reverse([$\e, $[ | Seq] ++ [Final], Acc));
clip(_Rest, 0, Acc) -> lists:reverse(Acc, "\e[0m");
clip([C | Rest], N, Acc) -> clip(Rest, N - 1, [C | Acc]).

panel(St = #st{lamps = L, sensors = S}, U) ->
    Lamp = fun(Color, Name) ->
                   On = maps:get(Color, L),
                   Dot = case {On, U} of
                             {true, true} -> color(Color, "●");
                             {true, false} -> color(Color, "#");
                             {false, true} -> dim("○");
                             {false, false} -> dim(".")
                         end,
                   [case U of true -> "│ "; false -> "| " end, Dot,
                    case U of true -> " │ "; false -> " | " end,
                    case On of true -> color(Color, pad(Name, 7)); false -> dim(pad(Name, 7)) end]
           end,
    Sensor = fun({_, Addr, Letter}) ->
                     case maps:get(Addr, S) of
                         true -> [Addr, " ", Letter, "  ", bold(pad(case U of true -> "■ pressed"; false -> "[x] pressed" end, 20))];
                         false -> [Addr, " ", Letter, "  ", dim(pad(case U of true -> "□"; false -> "[ ]" end, 20))]
                     end
             end,
    [SA, SB, SC] = [Sensor(X) || X <- ?SENSORS],
    Vote = case St#st.vote of
               undefined -> dim("ready");
               {true, _} -> color(green, "YES");
               {false, _} -> "no"
           end,
    Req = case St#st.requests of
              [] -> dim("none yet");
              Rs -> [integer_to_list(length(Rs)), " (", secs(St, hd(Rs)), ")"]
          end,
    Head = fun(Dev) -> bold(pad(node_label(St, dev(St, Dev)), 28)) end,
    Box = fun(top) -> case U of true -> "╭───╮"; false -> "+---+" end;
             (bottom) -> case U of true -> "╰───╯"; false -> "+---+" end
          end,
    Phase = case St#st.lamps_shown of undefined -> "off"; P -> P end,
    [["  ", Head(<<"Crossing">>), Head(<<"Sensors">>), Head(<<"Field">>)],
     ["  ", pad_raw(Box(top), 5), pad("", 23), SA, "vote      ", Vote],
     ["  ", Lamp(red, "red"), pad("", 15), SB, "requests  ", Req],
     ["  ", Lamp(yellow, "yellow"), pad("", 15), SC, "resets    ", integer_to_list(St#st.resets)],
     ["  ", Lamp(green, "green"), pad("", 15), "presses ", pad(integer_to_list(St#st.presses), 20)],
     ["  ", pad_raw(Box(bottom), 5), " ", bold(Phase)]].

node_table(St, U) ->
    [bold(["  ", pad("node", 16), pad("state", 11), pad("ev/s", 6), pad("events", 7), pad("connected", 18),
           case St#st.dist of
               true -> "plc links (sent/recv)";
               false -> "plc links: n/a"
           end])]
        ++ [["  ", pad(node_label(St, D), 16), state(D), pad(rate_text(D), 6), pad(integer_to_list(D#dev.total), 7),
             pad(case St#st.dist of
                     true -> string:join([short(St, N) || N <- D#dev.links], ",");
                     false -> "-"
                 end, 18),
             links(St, D, U)]
            || D <- dev_list(St)].

rate_text(#dev{state = running, rate = R}) -> io_lib:format("~4.1f", [R]);
rate_text(_) -> "   -".

state(#dev{state = running}) -> color(green, pad("running", 11));
state(#dev{state = S}) when S =:= starting; S =:= restarting -> color(yellow, pad(atom_to_list(S), 11));
state(#dev{state = S}) -> color(red, pad(atom_to_list(S), 11)).

links(St, #dev{peers = Peers}, U) ->
    lists:join(" ", [[short(St, N), " ",
                       case {maps:get(up, P, false), maps:get(ready, P, false)} of
                           {true, true} -> color(green, case U of true -> "✓"; false -> "ok" end);
                           {true, false} -> color(yellow, "up");
                           _ -> color(red, case U of true -> "✗"; false -> "DOWN" end)
                       end,
                       dim(io_lib:format(" ~b/~b", [maps:get(sent, P, 0), maps:get(received, P, 0)])),
                       case maps:get(buffered, P, 0) of 0 -> ""; B -> color(yellow, io_lib:format(" buf ~b", [B])) end,
                       case maps:get(lost, P, 0) of 0 -> ""; Lo -> color(red, io_lib:format(" LOST ~b", [Lo])) end]
                      || {N, P} <- lists:sort(maps:to_list(Peers))]).

scenario(#st{steps = [], t0 = undefined}, _U) ->
    ["  waiting for the light: START.COLD on crossing fires once field is ready"];
scenario(#st{steps = Steps, step = Done}, U) ->
    Mark = fun(N) when N =< Done -> color(green, case U of true -> "✓"; false -> "x" end);
              (N) when N =:= Done + 1 -> bold(case U of true -> "▶"; false -> ">" end);
              (_) -> " "
           end,
    [["  ", color(green, case U of true -> "✓"; false -> "x" end),
                        " 0 s: START.COLD: red; red-yellow at 4 s, green at 5 s"]]
        ++ [["  ", Mark(N), " ", Text] || {N, {_, _, Text}} <- lists:zip(lists:seq(1, length(Steps)), Steps)].

%%% Helpers

dev(#st{devs = Devs}, Dev) -> maps:get(Dev, Devs).

put_dev(St = #st{devs = Devs}, D = #dev{name = Name}) -> St#st{devs = Devs#{Name => D}}.

node_dev(St, Node) ->
    case [D || D <- dev_list(St), D#dev.node =:= Node] of
        [D | _] -> D;
        [] -> undefined
    end.

node_label(#st{dist = true}, D) -> atom_to_list(D#dev.node);
node_label(#st{dist = false}, D) -> D#dev.short ++ " (one VM)".

short(St, Node) ->
    case node_dev(St, Node) of
        undefined when Node =:= node() -> "demo";
        undefined -> atom_to_list(Node);
        D -> D#dev.short
    end.

secs(#st{t0 = undefined}, _) -> "-";
secs(#st{t0 = T0}, At) -> io_lib:format("~.1f s", [(At - T0) / 1000]).

short_reason({error, {C, E, _Stack}}) -> {C, E};
short_reason({{badarg, Why}, _Stack}) -> {badarg, Why};
short_reason({R, {{badarg, Why}, _Stack}}) -> {R, {badarg, Why}};
short_reason(R) -> R.

bool(true) -> "TRUE";
bool(false) -> "FALSE".

now_ms() -> erlang:monotonic_time(millisecond).

pad(S, N) ->
    Flat = unicode:characters_to_list(io_lib:format("~ts", [S])),
    case length(Flat) of
        L when L >= N -> Flat;
        L -> Flat ++ lists:duplicate(N - L, $\s)
    end.

%% Pads text that contains no escape sequences but may be unicode.
pad_raw(S, N) -> pad(S, N).

unicode_ok() ->
    Env = [os:getenv(V, "") || V <- ["LC_ALL", "LC_CTYPE", "LANG"]],
    lists:any(fun(E) -> string:find(string:uppercase(E), "UTF") =/= nomatch end, Env).

color(red, S) -> ["\e[1;31m", S, "\e[0m"];
color(yellow, S) -> ["\e[1;33m", S, "\e[0m"];
color(green, S) -> ["\e[1;32m", S, "\e[0m"].

bold(S) -> ["\e[1m", S, "\e[0m"].
dim(S) -> ["\e[2m", S, "\e[0m"].
