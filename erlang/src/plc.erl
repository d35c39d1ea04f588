%%% @doc The public API of plc, a distributed IEC 61499 runtime.
%%%
%%% A resource is an FB network executed by the native engine and owned by
%%% one supervised process. It is named by an id: the name given at start
%%% (a system's resources are named `<<"Device.Resource">>') or a reference;
%%% every function taking a resource accepts its id or its current pid.
%%% Ports and variables are named `<<"Fb.Port">>'.
%%%
%%% ```
%%% {ok, _} = plc:compile_file("fblocks/voter.st"),
%%% {ok, R} = plc:start_resource(#{fbs => [{<<"V">>, <<"VOTER">>, []}]}),
%%% ok = plc:subscribe(R, <<"V.Voted">>),
%%% ok = plc:inject(R, <<"V.Vote">>, [{<<"A">>, true}, {<<"B">>, true}]),
%%% receive {plc_event, R, <<"V.Voted">>, #{<<"State">> := true}} -> ok end.
%%% '''
%%%
%%% Messages to subscribers: `{plc_event, Pid, <<"Fb.Event">>, #{Var => Value}}'
%%% (an output event with its WITH data), `{plc_watch, Pid, <<"Fb.Var">>, Value}'
%%% (a watched variable changed), `{plc_io, Pid, Address, Value}' (a MIO_OUT
%%% wrote), `{plc_alarm, Pid, Alarm}'. Pid is the resource's process, which
%%% changes when its supervisor restarts it.
%%%
%%% Expected failures return `{error, Reason}': `not_found' for an unknown
%%% resource, `stopped' for one whose process just ended (it is being
%%% restarted, or was stopped), a binary that says what is wrong for an
%%% unknown or malformed FB, port or variable name or a value of the wrong
%%% type. REAL and LREAL values that are not finite are the atoms
%%% `infinity', `neg_infinity' and `nan', both ways. Names longer than 1024
%%% bytes are refused before they are looked at; a subscriber that is not a
%%% pid or `{Name, Node}' raises badarg at the call.
-module(plc).

-export([start_resource/1, start_resource/2, stop_resource/1, whereis/1]).
-export([inject/2, inject/3, inject_batch/3]).
-export([subscribe/2, unsubscribe/2, listen/1, watch/2, unwatch/2, read/2, write/3, write_input/3]).
-export([force/3, clear_force/2, forced/1, manage_answer/3]).
-export([stats/1, stats/0, describe/1, var_types/1]).
-export([reconfigure/2, stop_execution/1, start_execution/1]).
-export([compile/2, compile_file/1, load_4diac/1, load_4diac/2, library/0, fblocks_dir/0]).
-export([split_name/1]).
-export([serve_management/1, serve_management/2, stop_management/1]).
-export([start_system/1, start_system/2, stop_system/1, system_info/1]).

-type resource() :: pid() | plc_mon:id().
-type start_options() :: #{name => binary() | reference(),
                           subscribers => [plc_mon:subscriber()],
                           observe => [binary()] | all,
                           forces => [{binary(), term()}],
                           manager => pid(),
                           retain_dir => file:filename_all(),
                           retain_interval => non_neg_integer(),
                           retain_write => sync | async}.
-type system_options() :: #{mode => local | plc_dist:mode(),
                            nodes => #{binary() => node()},
                            devices => [binary()],
                            buffer => pos_integer(),
                            start_timeout => timeout(),
                            allow => [node()],
                            version => term(),
                            subscribers => [plc_mon:subscriber()],
                            observe => [binary()] | all,
                            retain_dir => file:filename_all(),
                            retain_interval => non_neg_integer(),
                            retain_write => sync | async}.
-export_type([resource/0, start_options/0, system_options/0]).

-define(BATCH, 4096).

%%% Resources

%% @doc Starts a resource running `Network' under this node's supervisor.
-spec start_resource(plc_nif:network()) -> {ok, pid()} | {error, term()}.
start_resource(Network) ->
    start_resource(Network, #{}).

%% @doc Starts a resource. Options: `name' (its id; a reference otherwise),
%% `observe' (output events sent to every pid of `subscribers'; `all':
%% every event output but the START block's),
%% `subscribers' (also receive the resource's alarms and I/O writes),
%% `forces' (`[{<<"Fb.Var">>, Value}]', forced as force/3 does before
%% START.COLD fires, and again whenever its supervisor restarts it),
%% `manager' (the process that runs the commands of the resource's
%% management blocks, ST_CREATE_FB ...: it gets `{plc_manage, Pid, Fb,
%% Type, Inputs}' and answers with manage_answer/3; without one they are
%% answered `UNSUPPORTED_CMD'),
%% `retain_dir' (a directory of its own where the values of its RETAIN
%% variables are kept, plc_retain: saved after each slice that changed one,
%% at most every `retain_interval' ms, default 0; `retain_write' `sync',
%% the default, or `async': saved by this resource between two slices, or
%% by a writer process while the program runs on; when the resource starts
%% with values there, they are restored and START.WARM fires instead of
%% START.COLD, after a crash, a node restart or a device's boot file alike).
-spec start_resource(plc_nif:network(), start_options()) -> {ok, pid()} | {error, term()}.
start_resource(Network, Options) when is_map(Network), is_map(Options) ->
    ok = check_options(Options),
    Id = maps:get(name, Options, make_ref()),
    plc_runtime_sup:start_resource(Id, Network, maps:without([name], Options)).

%% @doc Stops a resource for good (no restart) and forgets its subscriptions;
%% also one that was given up after a restart storm.
-spec stop_resource(resource()) -> ok | {error, not_found}.
stop_resource(R) ->
    Id = case plc_mon:lookup(R) of
             {ok, I, _Pid, _} -> I;
             {error, not_found} -> R
         end,
    case is_pid(Id) orelse plc_runtime_sup:stop_resource(Id) of
        ok -> plc_mon:forget(Id);
        _ -> {error, not_found}
    end.

%% @doc The current process of a resource.
-spec whereis(resource()) -> pid() | undefined.
whereis(R) ->
    case plc_mon:lookup(R) of
        {ok, _, Pid, _} -> Pid;
        _ -> undefined
    end.

%%% Events and variables

%% @doc Triggers event input `Port' (`<<"Fb.Event">>').
-spec inject(resource(), binary()) -> ok | {error, term()}.
inject(R, Port) ->
    inject(R, Port, []).

%% @doc Triggers event input `Port' carrying values for the FB's inputs.
%% Enqueues from the caller's process (no round trip to the resource).
-spec inject(resource(), binary(), [{binary(), term()}]) -> ok | {error, term()}.
inject(R, Port, Values) ->
    with_handle(R, fun(H) ->
                           {Fb, Event} = split_name(Port),
                           plc_nif:post(H, Fb, Event, Values)
                   end).

%% @doc Triggers `Port' once per element of `Batch', each with its values,
%% in order. Waits (yielding) while the resource's inbox is full.
-spec inject_batch(resource(), binary(), [[{binary(), term()}]]) -> ok | {error, term()}.
inject_batch(R, Port, Batch) ->
    with_handle(R, fun(H) ->
                           {Fb, Event} = split_name(Port),
                           batch(H, Fb, Event, Batch)
                   end).

%% @doc Sends the caller every `Port' (an event output) as a plc_event message.
-spec subscribe(resource(), binary()) -> ok | {error, term()}.
subscribe(R, Port) ->
    call(R, {subscribe, Port, self()}).

-spec unsubscribe(resource(), binary()) -> ok | {error, term()}.
unsubscribe(R, Port) ->
    call(R, {unsubscribe, Port, self()}).

%% @doc Sends the caller the resource's alarms and process-image writes.
-spec listen(resource()) -> ok | {error, term()}.
listen(R) ->
    call(R, {listen, self()}).

%% @doc Changes a running resource's network without stopping it (online
%% reconfiguration, what 4diac IDE's CREATE and DELETE of FBs and
%% connections do on a running resource): `Network' is the whole changed
%% network, as for start_resource/1. FBs that keep their name and type keep
%% their state (variables, ECC state, armed timers), queued events go on to
%% the FBs and connections still there; events for a deleted FB or
%% connection are lost, counted (`lost' in stats/1) and listed in the
%% report. New FBs start with their initial values; nothing fires. A
%% network that does not load is `{error, [Diagnostic]}' and changes
%% nothing. If the resource's supervisor restarts it later, it restarts
%% (cold) with the changed network. Resources of a system
%% (start_system/2) are refused: `{error, system_resource}'.
-spec reconfigure(resource(), plc_nif:network()) ->
          {ok, plc_nif:reconfiguration()} | {error, term()}.
reconfigure(R, Network) when is_map(Network) ->
    call(R, {reconfigure, Network}).

%% @doc STOP (IEC 61499-1 management; 4diac IDE's STOP of a resource):
%% START.STOP fires and its event chain runs, then the resource is held:
%% no event is dispatched and no timer fires, its state stays as it is.
%% Events posted meanwhile wait in its inbox (bounded by inbox_capacity:
%% beyond it posts are refused and counted). `{error, not_running}' when
%% it is already stopped. A restart by its supervisor starts it cold and
%% running.
-spec stop_execution(resource()) -> ok | {error, term()}.
stop_execution(R) ->
    call(R, stop_execution).

%% @doc START after stop_execution/1: the resource continues warm, where it
%% stood: armed timers as far from their deadlines as they were at the STOP
%% (a cycle does not catch up on the cycles it missed), then START.WARM
%% fires and what was posted meanwhile runs. `{error, running}' when it was
%% not stopped.
-spec start_execution(resource()) -> ok | {error, term()}.
start_execution(R) ->
    call(R, start_execution).

%% @doc Watches a variable (input, output or internal, `<<"Fb.Var">>'):
%% returns its value now, then sends `{plc_watch, Pid, Var, Value}' each
%% time a slice of the resource changed it.
-spec watch(resource(), binary()) -> {ok, term()} | {error, term()}.
watch(R, Var) ->
    call(R, {watch, Var, self()}).

-spec unwatch(resource(), binary()) -> ok | {error, term()}.
unwatch(R, Var) ->
    call(R, {unwatch, Var, self()}).

%% @doc The value of a variable (`<<"Fb.Var">>') between two slices.
-spec read(resource(), binary()) -> {ok, term()} | {error, term()}.
read(R, Var) ->
    with_handle(R, fun(H) ->
                           {Fb, Name} = split_name(Var),
                           case plc_nif:read(H, [{Fb, Name}]) of
                               [Value] -> {ok, Value};
                               {error, stopped} = Stopped -> Stopped
                           end
                   end).

%% @doc Sets a variable (`<<"Fb.Var">>') between two events, in order
%% with injected events. A forced variable refuses: `{error, forced}'.
-spec write(resource(), binary(), term()) -> ok | {error, term()}.
write(R, Var, Value) ->
    with_handle(R, fun(H) ->
                           {Fb, Name} = split_name(Var),
                           plc_nif:write(H, Fb, Name, Value)
                   end).

%% @doc Forces a data input, output or internal (`<<"Fb.Var">>') to `Value'
%% (a term as write/3 takes it) until clear_force/2; forcing it again
%% changes the value. A forced input holds against its connections, the
%% values events bring, write/3 and its FB's own algorithm; a forced
%% output is what its connections, subscribers (`plc_event' data) and
%% read/2 see, whatever its FB computes. Clearing leaves the variable at
%% the forced value until its next event (an input) or its FB's next write
%% (an output). Forces are the running engine's: a resource restarted by
%% its supervisor starts unforced. The rules are in runtime/forcing.h.
-spec force(resource(), binary(), term()) -> ok | {error, term()}.
force(R, Var, Value) ->
    with_handle(R, fun(H) ->
                           {Fb, Name} = split_name(Var),
                           plc_nif:force(H, Fb, Name, Value)
                   end).

%% @doc Answers the command of a management block `Fb' (ST_CREATE_FB ...,
%% runtime/stdfb/management.h) of a resource whose manager (the `manager'
%% start option) got `{plc_manage, Pid, Fb, Type, Inputs}': `Response' is
%% the management protocol's text, `<<"RDY">>' or a reason.
-spec manage_answer(resource(), binary(), binary()) -> ok | {error, term()}.
manage_answer(R, Fb, Response) when is_binary(Fb), is_binary(Response) ->
    with_handle(R, fun(H) -> plc_nif:manage_answer(H, Fb, Response) end).

%% @doc Clears the force of a variable (`<<"Fb.Var">>'); `ok' also when it
%% was not forced.
-spec clear_force(resource(), binary()) -> ok | {error, term()}.
clear_force(R, Var) ->
    with_handle(R, fun(H) ->
                           {Fb, Name} = split_name(Var),
                           plc_nif:clear_force(H, Fb, Name)
                   end).

%% @doc The forced variables of a resource and their values.
-spec forced(resource()) -> {ok, #{binary() => term()}} | {error, term()}.
forced(R) ->
    with_handle(R, fun(H) ->
                           case plc_nif:forced(H) of
                               {error, stopped} = Stopped -> Stopped;
                               List -> {ok, maps:from_list([{<<Fb/binary, ".", Var/binary>>, V} || {Fb, Var, V} <- List])}
                           end
                   end).

%% @doc Writes process-image input `Address' (the ADDR of a MIO_IN, or the
%% PARAMS of a 4diac IX, IB, IW, ID, IL): a boolean for MIO_IN and IX, an
%% integer for the others. MIO_IN and IX emit IND; the others show it at
%% their next REQ.
-spec write_input(resource(), binary(), boolean() | non_neg_integer()) -> ok | {error, term()}.
write_input(R, Address, Value) ->
    with_handle(R, fun(H) -> plc_nif:write_input(H, Address, Value) end).

%% @doc A resource's event counters and queue depths.
-spec stats(resource()) -> {ok, plc_nif:stats()} | {error, term()}.
stats(R) ->
    with_handle(R, fun(H) -> ok_or_stopped(plc_nif:stats(H)) end).

%% @doc The FBs of a resource (composites expanded: `Outer.Inner'), in
%% load order: {Name, Type, EventInputs, EventOutputs}.
-spec describe(resource()) -> {ok, [{binary(), binary(), [binary()], [binary()]}]} | {error, term()}.
describe(R) ->
    with_handle(R, fun(H) -> ok_or_stopped(plc_nif:describe(H)) end).

%% @doc The types of every FB's data inputs and outputs as loaded: a
%% generic port (F_ADD's IN1) with the type its load decided, an array by
%% its element type, a structure by its type's name.
-spec var_types(resource()) -> {ok, #{binary() => #{binary() => binary()}}} | {error, term()}.
var_types(R) ->
    with_handle(R, fun(H) ->
                           case plc_nif:var_types(H) of
                               {error, stopped} = Stopped -> Stopped;
                               Fbs -> {ok, maps:from_list([{Fb, maps:from_list(Vars)} || {Fb, Vars} <- Fbs])}
                           end
                   end).

%% @doc Every resource's counters, by id.
-spec stats() -> #{plc_mon:id() => plc_nif:stats()}.
stats() ->
    plc_mon:stats().

%%% Management (4diac IDE)

%% @doc Serves the IEC 61499 management protocol (what 4diac IDE deploys
%% and monitors with, plc_mgmt_server) as a device of this node, under
%% plc's supervisor. Options: `host' (default "localhost", the address
%% bound), `port' (default 61499; 0: any free one, see
%% plc_mgmt_server:address/1), `boot_file' (run before the port opens).
%% `{ok, undefined}': the boot file killed the device.
-spec serve_management(plc_mgmt_server:options()) -> {ok, pid() | undefined} | {error, term()}.
serve_management(Options) when is_map(Options) ->
    plc_mgmt_sup:start_server(Options).

%% @doc As serve_management/1 on `"Host:Port"' (FORTE's `-c').
-spec serve_management(string() | binary(), plc_mgmt_server:options()) -> {ok, pid() | undefined} | {error, term()}.
serve_management(Address, Options) ->
    case string:split(unicode:characters_to_list(Address), ":", trailing) of
        [Host, Port] ->
            case string:to_integer(Port) of
                {P, []} when P >= 0, P =< 65535 -> serve_management(Options#{host => Host, port => P});
                _ -> {error, {bad_address, Address}}
            end;
        _ ->
            {error, {bad_address, Address}}
    end.

%% @doc Stops a management server: its device's resources and clients.
-spec stop_management(pid()) -> ok | {error, not_found}.
stop_management(Pid) ->
    plc_mgmt_sup:stop_server(Pid).

%%% Types and systems

%% @doc Compiles IEC 61499 text (FB types, structured types, systems) into
%% this node's library. All or nothing: on error nothing changes and every
%% diagnostic is returned as `<<"file:line:col: error: message">>'.
-spec compile(binary(), iodata()) -> {ok, plc_nif:compiled()} | {error, [binary()]}.
compile(FileName, Text) when is_binary(FileName) ->
    plc_nif:library_compile(library(), FileName, Text).

%% @doc Compiles a source file into this node's library.
-spec compile_file(file:filename_all()) -> {ok, plc_nif:compiled()} | {error, [binary()] | {file, term()}}.
compile_file(Path) ->
    case file:read_file(Path) of
        {ok, Text} -> compile(unicode:characters_to_binary(Path), Text);
        {error, Reason} -> {error, {file, Reason}}
    end.

%% @doc Loads a 4diac IDE file (.fbt, .adp, .dtp or .sys) into this
%% node's library; the types it uses are found in its folder.
-spec load_4diac(file:filename_all()) -> {ok, plc_nif:compiled()} | {error, [binary()]}.
load_4diac(Path) ->
    load_4diac(Path, []).

%% @doc As load_4diac/1, also searching the type folders `Folders'. A
%% loaded .sys is started with start_system/1, like a compiled one.
-spec load_4diac(file:filename_all(), [file:filename_all()]) -> {ok, plc_nif:compiled()} | {error, [binary()]}.
load_4diac(Path, Folders) ->
    plc_nif:library_load_4diac(library(), unicode:characters_to_binary(Path),
                               [unicode:characters_to_binary(F) || F <- Folders]).

%% @doc The folder of the FB types that come with plc (`voter.st',
%% `ampel.st', `mio_in.st', ...): priv/fblocks.
-spec fblocks_dir() -> file:filename().
fblocks_dir() ->
    filename:join(plc_nif:priv_dir(), "fblocks").

%% @doc This node's type library (created when the application starts).
-spec library() -> plc_nif:library().
library() ->
    case persistent_term:get({plc, library}, undefined) of
        undefined ->
            Library = plc_nif:library_new(),
            persistent_term:put({plc, library}, Library),
            Library;
        Library ->
            Library
    end.

%% @doc Starts every resource of a compiled system on this node.
-spec start_system(binary()) -> {ok, #{binary() => pid()}} | {error, term()}.
start_system(Name) ->
    start_system(Name, #{}).

%% @doc Starts the resources of a compiled system on this node: all of
%% them, or those of `devices'. Each runs under the system's plc_system_sup with the id
%% `<<"Device.Resource">>'; one that is restarted keeps receiving.
%% `subscribers' and `observe' (`<<"Device.Resource/Fb.Event">>' or
%% `<<"Fb.Event">>' for every resource holding Fb) are as in
%% start_resource/2; subscribers may be on other nodes. With `retain_dir',
%% each resource keeps its RETAIN variables in `RetainDir/Device.Resource'
%% (and `retain_interval', `retain_write' as in start_resource/2).
%%
%% `mode' says where the devices run:
%% - `local' (the default): every device here; events between resources
%%   go from inbox to inbox;
%% - `hidden', `standard' or `global': each device on its Erlang node, the
%%   `nodes' map (`#{<<"Device">> => Node}'), else the device's `NODE'
%%   parameter, else `device@ThisHost' (the device's name in lower case).
%%   This node starts its own devices (those mapped to node(), or
%%   `devices'); every node of the system calls start_system/2 with the
%%   same options. Events between devices cross Erlang distribution
%%   (plc_dist says how in each mode); START fires once the nodes this
%%   node exchanges events with have started theirs, or after
%%   `start_timeout' ms (default infinity). `buffer' (default 100 000) bounds
%%   the events per destination node not yet acknowledged (kept while it is
%%   down, resent when it is back; beyond it, lost and reported); `allow' adds
%%   nodes allowed to connect in hidden mode (a controller, an observer).
%%
%% Two nodes exchange events only when they agree on the system. Without
%% `version', each node compiled the whole system and they compare its
%% plan and device-to-node map. With `version' (any term, the same on
%% every node: a release number, a hash of the sources), each node may
%% have compiled only its part: its devices and those it exchanges events
%% with (their resources' FBs, for the layout of the events sent to them),
%% and the nodes compare the version alone; a part of another version is
%% refused (alarm `{plc_version_mismatch, Node}'). Events between nodes name
%% their target resource, so the parts need not list the resources in the
%% same order.
-spec start_system(binary(), system_options()) -> {ok, #{binary() => pid()}} | {error, term()}.
start_system(Name, Options) ->
    ok = plc_topology:check_name(Name),
    ok = check_options(Options),
    case maps:get(mode, Options, local) of
        local ->
            case plc_nif:system_new(library(), Name) of
                {ok, System, Info} -> start_local(System, Info, Options);
                {error, _} = Error -> Error
            end;
        Mode when Mode =:= hidden; Mode =:= standard; Mode =:= global ->
            %% The devices and links first (nothing loaded), then the plan
            %% of this node's devices only (its info names the FBs of the
            %% resources it loaded): a node of a large plant does not load,
            %% nor even flatten, the whole plant.
            case plc_nif:system_new(library(), Name, []) of
                {ok, _, Info} -> start_distributed(Mode, Name, Info, Options);
                {error, _} = Error -> Error
            end;
        Mode ->
            {error, {bad_mode, Mode}}
    end.

%% @doc Stops every resource of a system started on this node (and its
%% link to the other nodes): its supervisor, in one call.
-spec stop_system(binary()) -> ok.
stop_system(Name) ->
    case plc_nif:system_new(library(), Name, []) of
        {ok, _, #{name := Canonical, devices := Devices}} ->
            _ = plc_runtime_sup:stop_system(Canonical),
            [plc_mon:forget(R) || R <- plc_topology:resources_of(Devices, all)],
            ok;
        {error, _} ->
            ok
    end.

%% @doc A distributed system's state on this node: its mode, whether START
%% has fired, and per neighbour node whether it is connected and ready, and
%% the events sent, received, buffered (not yet acknowledged) and lost.
%% `{error, {gone, #{reason, at}}}' when the system's part on this node is
%% gone (its supervisor gave up; the alarm `{plc_system_gone, Reason}' was
%% raised then; `at' is monotonic ms), until it is started or stopped again.
-spec system_info(binary()) -> {ok, map()} | {error, not_found | {gone, map()}}.
system_info(Name) ->
    ok = plc_topology:check_name(Name),
    case plc_dist:info(Name) of
        {ok, _} = Ok -> Ok;
        {error, not_found} ->
            case plc_mon:system(Name) of
                {gone, Info} -> {error, {gone, Info}};
                _ -> {error, not_found}
            end
    end.

%%% Internal

%% Every resource is loaded before any START fires: an event START sends to
%% another resource finds it there. A resource restarted later starts at once.
start_local(System, #{name := Name, devices := Devices, fbs := Fbs}, Options) ->
    Resources = plc_topology:resources_of(Devices, maps:get(devices, Options, all)),
    ok = plc_dist:close_local(Name),
    case plc_runtime_sup:start_system(Name, length(Resources)) of
        {ok, Sup} ->
            case start_resources(Sup, System, Resources, Fbs, Options#{gate => {local, Name}}, #{}) of
                {ok, Started} ->
                    ok = plc_dist:open_local(Name),
                    [Pid ! {plc_start, cold} || Pid <- [maps:get(R, Started) || R <- Resources]],
                    {ok, Started};
                Error ->
                    _ = plc_runtime_sup:stop_system(Name),
                    Error
            end;
        Error ->
            Error
    end.

start_distributed(Mode, SystemName, #{devices := Devices}, Options) ->
    Nodes = plc_topology:device_nodes(Devices, maps:get(nodes, Options, #{}), node()),
    Here = case maps:get(devices, Options, undefined) of
               undefined -> plc_topology:devices_on(node(), Devices, Nodes);
               Ds -> [plc_topology:canonical(D, Devices) || D <- Ds]
           end,
    Elsewhere = plc_topology:elsewhere(Here, Nodes, node()),
    case Elsewhere =:= [] andalso check_distributed(Mode, Here) of
        false ->
            %% The other nodes would send its events to the node of the map.
            {error, {devices_mapped_elsewhere, Elsewhere}};
        ok ->
            case plc_nif:system_new(library(), SystemName, Here) of
                {ok, System, Planned} -> start_distributed(Mode, System, Planned, Options, Nodes, Here);
                {error, _} = Error -> Error
            end;
        Error ->
            Error
    end.

start_distributed(Mode, System, Info, Options, Nodes, Here) ->
    #{name := Name, devices := Devices, fbs := Fbs, resources := Resources, links := Links} = Info,
    Config = #{system => Name, handle => System, mode => Mode, nodes => Nodes, devices => Here,
               resources => Resources,
               device_of => plc_topology:device_of(Devices),
               links => Links, fbs => Fbs,
               buffer => maps:get(buffer, Options, 100000),
               start_timeout => maps:get(start_timeout, Options, infinity),
               allow => maps:get(allow, Options, []),
               hash => agreement(Info, Nodes, Options)},
    Local = plc_topology:resources_of(Devices, Here),
    case plc_runtime_sup:start_system(Name, length(Local)) of
        {ok, Sup} ->
            Started = case plc_system_sup:start_dist(Sup, Config) of
                          {ok, _} -> start_resources(Sup, System, Local, Fbs, Options#{gate => Name}, #{});
                          Error -> Error
                      end,
            case Started of
                {ok, _} -> Started;
                _ -> _ = plc_runtime_sup:stop_system(Name), Started
            end;
        Error ->
            Error
    end.

%% What both ends of a link must agree on: the version they were given
%% (each node may hold only its part of the system), else the plan of the
%% whole system and where each device runs.
agreement(_Info, _Nodes, #{version := Version}) ->
    erlang:phash2({version, Version}, 1 bsl 32);
agreement(#{hash := Hash, resources := Resources, links := Links}, Nodes, _Options) ->
    erlang:phash2({Hash, Resources, Links, lists:sort(maps:to_list(Nodes))}).

check_distributed(_Mode, _Here) when node() =:= nonode@nohost ->
    {error, not_alive};
check_distributed(_Mode, []) ->
    {error, {no_device_on, node()}};
check_distributed(hidden, _Here) ->
    Hidden = init:get_argument(hidden) =/= error orelse application:get_env(kernel, connect_all) =:= {ok, false},
    case Hidden of
        true -> ok;
        false -> {error, {hidden_mode_needs, "a node started with -hidden (or -connect_all false)"}}
    end;
check_distributed(_Mode, _Here) ->
    ok.

%% On error the caller stops the system's supervisor, and with it those
%% started.
start_resources(_Sup, _System, [], _Fbs, _Options, Started) ->
    {ok, Started};
start_resources(Sup, System, [R | Rest], Fbs, Options = #{gate := Gate}, Started) ->
    Here = [string:uppercase(F) || F <- maps:get(R, Fbs, [])],
    Observe = case maps:get(observe, Options, []) of
                  all -> all;
                  Ports -> [P || Port <- Ports, P <- plc_topology:observed_in(R, Here, Port)]
              end,
    Opts0 = #{subscribers => maps:get(subscribers, Options, []), observe => Observe, gate => Gate},
    Opts = case Options of
               #{retain_dir := Dir} -> Opts0#{retain_dir => filename:join(Dir, R),
                                              retain_interval => maps:get(retain_interval, Options, 0),
                                              retain_write => maps:get(retain_write, Options, sync)};
               _ -> Opts0
           end,
    case plc_system_sup:start_resource(Sup, R, #{system => System, resource => R}, Opts) of
        {ok, Pid} ->
            start_resources(Sup, System, Rest, Fbs, Options, Started#{R => Pid});
        {error, Reason} ->
            {error, {R, Reason}}
    end.

%% Options are checked where they enter: a bad subscriber or name raises
%% badarg here, before a resource stores or processes it.
check_options(Options) ->
    _ = [plc_mon:check_subscriber(S) || S <- list_option(subscribers, Options)],
    _ = [plc_topology:check_name(P) || P <- list_option(observe, Options)],
    _ = [plc_topology:check_name(P) || {P, _} <- list_option(forces, Options)],
    case Options of
        #{retain_dir := D} when not (is_list(D) orelse is_binary(D)) ->
            error({badarg, <<"option retain_dir is not a file name">>});
        #{retain_interval := I} when not (is_integer(I) andalso I >= 0) ->
            error({badarg, <<"option retain_interval is not a number of milliseconds">>});
        #{retain_write := W} when W =/= sync, W =/= async ->
            error({badarg, <<"option retain_write is not sync or async">>});
        _ -> ok
    end,
    case Options of
        #{name := Name} when not is_reference(Name) -> plc_topology:check_name(Name);
        _ -> ok
    end.

list_option(Key, Options) ->
    case maps:get(Key, Options, []) of
        all when Key =:= observe -> [];
        L when is_list(L) -> L;
        _ -> error({badarg, iolist_to_binary(["option ", atom_to_list(Key), " is not a list"])})
    end.

%% A resource's NIFs answer {error, stopped} once its process has ended
%% (it is being restarted, or was stopped): passed on as the answer.
ok_or_stopped({error, stopped} = Stopped) -> Stopped;
ok_or_stopped(Value) -> {ok, Value}.

with_handle(R, F) ->
    case plc_mon:lookup(R) of
        {ok, _Id, _Pid, H} ->
            try F(H)
            catch error:{badarg, Why} -> {error, Why}
            end;
        Error ->
            Error
    end.

call(R, Request) ->
    case plc_mon:lookup(R) of
        {ok, _Id, Pid, _} ->
            try plc_resource:call(Pid, Request)
            catch exit:{noproc, _} -> {error, not_found}
            end;
        Error ->
            Error
    end.

batch(_H, _Fb, _Event, []) ->
    ok;
batch(H, Fb, Event, Batch) ->
    {Chunk, Rest} = take(Batch, ?BATCH),
    case plc_nif:post_batch(H, Fb, Event, Chunk) of
        {error, stopped} = Stopped ->
            Stopped;
        Accepted when Accepted =:= length(Chunk) ->
            batch(H, Fb, Event, Rest);
        Accepted ->
            %% The inbox is full: let the resource drain it.
            timer:sleep(1),
            batch(H, Fb, Event, lists:nthtail(Accepted, Chunk) ++ Rest)
    end.

take(List, N) -> take(List, N, []).

take([], _N, Acc) -> {lists:reverse(Acc), []};
take(Rest, 0, Acc) -> {lists:reverse(Acc), Rest};
take([X | Rest], N, Acc) -> take(Rest, N - 1, [X | Acc]).

%% @doc Splits `<<"Fb.Name">>' at its last dot (FBs inside composites and
%% SubApps are named `Outer.Inner'); raises `{badarg, Reason}' otherwise.
-spec split_name(binary()) -> {binary(), binary()}.
split_name(Port) when is_binary(Port), byte_size(Port) > 1024 ->
    error({badarg, <<"a name longer than 1024 bytes">>});
split_name(Port) when is_binary(Port) ->
    case binary:matches(Port, <<".">>) of
        [_ | _] = Dots ->
            {At, 1} = lists:last(Dots),
            case Port of
                <<Fb:At/binary, ".", Name/binary>> when At > 0, Name =/= <<>> -> {Fb, Name};
                _ -> error({badarg, <<"not of the form FB.NAME: ", Port/binary>>})
            end;
        [] ->
            error({badarg, <<"not of the form FB.NAME: ", Port/binary>>})
    end;
split_name(Port) ->
    error({badarg, <<"not a binary FB.NAME: ", (plc_mon:bounded(Port))/binary>>}).
