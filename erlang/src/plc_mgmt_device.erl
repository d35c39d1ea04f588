%%% @doc A plc device as 4diac IDE sees it through the IEC 61499
%%% management protocol (`../shared/4diac-management.md', sections 2-6):
%%% the model of its resources, FBs, connections, parameters and watches,
%%% and what each command does to it. No socket: plc_mgmt_server owns one
%%% state, feeds it the requests its clients send, and passes the engine's
%%% event messages to event/3.
%%%
%%% `handle(Destination, Command, State, Engine)' runs one parsed command
%%% (plc_mgmt_codec:parse_request/1) and answers `{reply, Response, State}'
%%% with the response text FORTE would give, or `{close, State}' for a
%%% device KILL (FORTE exits without answering: the server closes the
%%% client's connection and ends). `Engine' is a map of functions (engine/0
%%% is the real one, over plc and plc_nif; the EUnit tests give a fake), so
%%% the model is tested without a running engine. The engine functions run
%%% in the caller's process; with engine/0 it receives the `plc_event'
%%% messages of the ports it subscribed, with engine/2 (the server's) a
%%% tally counts them, so an event storm never delays a request.
%%%
%%% The model follows FORTE 3.x:
%%% - The device holds resources of type `EMB_RES' (a type `pkg__EMB_RES'
%%%   too; any other is `UNSUPPORTED_TYPE'). Each has the implicit,
%%%   undeletable FB `START' (E_RESTART: COLD, WARM, STOP).
%%% - Managed objects (the device, each resource) follow FORTE's state
%%%   machine: idle -START-> running -STOP-> stopped -START-> running,
%%%   running -KILL-> killed, stopped/killed -RESET-> idle; anything else is
%%%   `INVALID_STATE'. The device starts running; its START, STOP and RESET
%%%   go to every resource.
%%% - A resource is built with CREATE/DELETE of FBs and connections and
%%%   WRITE of parameters. Its START loads the network into the engine
%%%   (plc:start_resource/2, which fires START.COLD). STOP holds it
%%%   (plc:stop_execution/1: START.STOP fires, then no event or timer runs)
%%%   and START continues it warm, as FORTE does (plc:start_execution/1:
%%%   timers continue where they stood, START.WARM fires). KILL, and RESET
%%%   of a stopped resource, end the engine's resource
%%%   (plc:stop_resource/1): the next START is cold, with the FBs' initial
%%%   values and the parameters written.
%%% - Every FB is a managed object too (IEC 61499-1 figure 24, FORTE):
%%%   START/STOP/KILL/RESET of `<FB Name="N"/>' in a resource follow the
%%%   same state machine; the resource's START starts all its FBs. An FB
%%%   created in a running resource is idle until its own START; a running
%%%   FB of a running resource cannot be deleted (`INVALID_STATE': STOP or
%%%   KILL it first). An FB that is not running gets no event: the engine
%%%   runs the running FBs and the connections between them.
%%% - Online reconfiguration: on a running (or stopped) resource, every
%%%   change of which FBs run and how they are connected goes into the
%%%   engine at once, without a restart (plc:reconfigure/2): the FBs not
%%%   touched keep their variables, ECC states and armed timers, queued
%%%   events go on; events on their way to a deleted FB or connection are
%%%   lost and logged. An FB STOPped and STARTed again on its own starts
%%%   anew (FORTE keeps its values: here it leaves the engine). A change the
%%%   engine refuses is `INVALID_OPERATION' and changes nothing.
%%% - Force (`force="true"') parses its literal as WRITE does (an empty or
%%%   unparseable one is `BAD_PARAMS' and changes nothing; an event port or
%%%   an unknown one `NO_SUCH_OBJECT') and forces the data port in the
%%%   engine (plc:force/3, runtime/forcing.h: a forced input holds against
%%%   its connection and its FB, a forced output is what its connections
%%%   and watches see); forcing again changes the value. On a resource that
%%%   is not running the force is remembered and applied when START has
%%%   loaded the network (the first events of the cold start, START.COLD's
%%%   chain, may run before it); it stays remembered across STOP and START
%%%   until cleared. A port whose FB was deleted loses its force at START.
%%%   Clear force (`force="false"', Source ignored) answers the long form
%%%   for any data port, forced or not, as FORTE does; the port keeps the
%%%   forced value until its next event (an input) or its FB's next write
%%%   (an output). Watches print `forced="true"' for a forced port, with the
%%%   engine's value while running (the forced one) and the forced value
%%%   while not. A plain WRITE to a port forced in a running engine is
%%%   refused there (plc:write/3 answers `{error, forced}'), so it answers
%%%   `BAD_PARAMS' (FORTE writes the variable and keeps it forced).
%%% - QUERY AdapterType lists the adapter types loaded into the engine's
%%%   library (with the 4diac FB types that use them; plc:load_4diac/1,2),
%%%   QUERY DataType is `UNSUPPORTED_CMD' as in FORTE.
%%% - FB names may be dotted (`SUB.S1', the IDE's flattened subapps): the
%%%   engine's instances are named so, and QUERY lists them so.
%%% - Type names `pkg__Type' (IDE 3.0) resolve to `Type', and a
%%%   configurable FB's `Type_1Config' (STRUCT_MUX_1MyStruct) to `Type'
%%%   when no type has the whole name (find_type/2).
%%% - A connection is an event connection when its source is an event
%%%   output and its destination an event input, a data connection for a
%%%   data output into a data input, as the FB types' interfaces say; an
%%%   event port into a data port is `INVALID_OPERATION', and so is a data
%%%   connection the engine would refuse (plc_nif:library_connectable/3:
%%%   same shape, a type that widens, a generic end any type of its class).
%%%   FORTE is more lenient (it took BOOL into UINT). Whatever the engine
%%%   still refuses when START loads the network (a generic port no type
%%%   fits) answers START with `INVALID_OPERATION'; the resource stays idle.
%%% - WRITE parses the literal for the port's type (plc_nif:library_literal/4:
%%%   the full IEC 61131-3 syntax; a generic port takes any literal of its
%%%   class), plus FORTE 3.x's bare integer for a TIME, in ns (`1000' is
%%%   `T#1us'), and its typed strings (`STRING#'abc''); an empty or
%%%   unparseable one is `BAD_PARAMS' and changes
%%%   nothing (FORTE clobbers the variable). A written input is kept as the
%%%   FB's parameter (its initial value at the next START, as in 3.x) and,
%%%   on a running resource, also written into the engine. Outputs and
%%%   internals can only be written while running.
%%% - Watches: data ports show the engine's current value, printed as FORTE
%%%   prints it (format_value/2); while the resource is killed, the value
%%%   the engine had at KILL (FORTE's killed FBs keep their data) or one
%%%   written since; while it is idle (RESET), the written parameter; else
%%%   the port is left out of the answer. Event
%%%   ports show a count and the time of the last event in ms since the
%%%   device started: an event output's count is the engine's events on it
%%%   while it is watched (the device subscribes to the watched outputs,
%%%   and to the sources of watched inputs, and unsubscribes when the last
%%%   watch needing one is deleted; each event is then a message to the
%%%   device's tally, plc_mgmt_tally, engine/1, or to the caller of
%%%   engine/0's functions, which passes it to event/4), an event input's
%%%   the sum over its incoming
%%%   connections, plus the triggers (`$e') of that port; `$er' resets it.
%%% - `$e' on an event input injects it (plc:inject/2); on an event output
%%%   it injects the event inputs connected to it, without WITH data. On a
%%%   resource that is not running it is counted and answered, as FORTE
%%%   accepts it, but no event runs.
-module(plc_mgmt_device).

-export([new/0, handle/4, event/4, owns/3, boot/3, boot_text/3, engine/0, engine/1, engine/2, stop_all/2]).
-export([format_value/2, resolve_type/1, configuration/1, block_commands/2, manage/5]).

-export_type([state/0, engine/0, boot_error/0]).

-type mo_state() :: idle | running | stopped | killed.
-type fb() :: #{type := binary(), info := plc_nif:type_info()}.
-type resource() :: #{type := binary(),
                      state := mo_state(),
                      fbs := [binary()],                          % creation order
                      fb := #{binary() => fb()},                  % by upper-case name
                      params := [{binary(), binary(), binary()}], % {Fb, Var, Literal}, in write order
                      events := [{binary(), binary()}],
                      data := [{binary(), binary()}],
                      engine_id := plc:resource() | undefined,     % while running
                      watches := [{binary(), [binary()]}],        % {Fb, Ports} in order of first watch
                      counts := #{binary() => {non_neg_integer(), non_neg_integer()}},
                      subscribed := [binary()],
                      last => #{binary() => term()},              % killed: the watched values it had
                      forced => #{binary() => {binary(), term()}},  % by upper-case port: {Port, Value}
                      name => binary()}.                          % as created (the RETAIN store's name)
-opaque state() :: #{state := mo_state(),
                     start_ms := integer(),
                     resources := [binary()],
                     resource := #{binary() => resource()},
                     mgr_id => binary()}.  % the MGR_ID written, kept

%% The engine the model drives: plc and plc_nif (engine/0), or a fake.
-type engine() :: #{type := fun((binary()) -> {ok, plc_nif:type_info()} | {error, not_found}),
                    types := fun(() -> [binary()]),
                    adapter_types := fun(() -> [binary()]),
                    literal := fun((binary(), binary(), binary()) -> {ok, term()} | error),
                    connectable := fun(({binary(), binary()}, {binary(), binary()}) -> boolean()),
                    start := fun((binary(), plc_nif:network(), [{binary(), term()}]) -> {ok, plc:resource()} | {error, term()}),
                    whereis := fun((plc:resource()) -> pid() | undefined),
                    stop := fun((plc:resource()) -> ok | {error, term()}),
                    answer := fun((pid(), binary(), binary()) -> ok | {error, term()}),
                    reconfigure := fun((plc:resource(), plc_nif:network()) ->
                                               {ok, plc_nif:reconfiguration()} | {error, term()}),
                    stop_execution := fun((plc:resource()) -> ok | {error, term()}),
                    start_execution := fun((plc:resource()) -> ok | {error, term()}),
                    inject := fun((plc:resource(), binary()) -> ok | {error, term()}),
                    read := fun((plc:resource(), binary()) -> {ok, term()} | {error, term()}),
                    read_all := fun((plc:resource(), [binary()]) -> {ok, [term()]} | {error, term()}),
                    write := fun((plc:resource(), binary(), term()) -> ok | {error, term()}),
                    force := fun((plc:resource(), binary(), term()) -> ok | {error, term()}),
                    clear_force := fun((plc:resource(), binary()) -> ok | {error, term()}),
                    subscribe := fun((plc:resource(), binary()) -> ok | {error, term()}),
                    unsubscribe := fun((plc:resource(), binary()) -> ok | {error, term()}),
                    tallied := fun((plc:resource(), binary()) -> {pos_integer(), integer()} | none),
                    untally := fun((plc:resource(), binary()) -> ok),
                    now_ms := fun(() -> integer())}.

-type boot_error() :: {Line :: pos_integer(), missing_separator | binary()}.

-define(START_FB, <<"START">>).
-define(IS_CHANGE(C), (C =:= start orelse C =:= stop orelse C =:= kill orelse C =:= reset)).

%%% The state

%% @doc A device with no resource, running.
-spec new() -> state().
new() ->
    #{state => running, start_ms => erlang:monotonic_time(millisecond), resources => [], resource => #{}}.

%% @doc The real engine: this node's type library and resources.
-spec engine() -> engine().
engine() ->
    engine(#{}).

%% @doc The real engine; with `retain_dir', each resource keeps its RETAIN
%% variables in `RetainDir/ResourceName' (plc:start_resource/2), so a
%% device restarted from its boot file starts them warm.
-spec engine(#{retain_dir => file:filename_all()}) -> engine().
engine(Options) ->
    Lib = plc:library(),
    Retain = fun(Name) when is_map_key(retain_dir, Options), Name =/= <<>> ->
                     #{retain_dir => filename:join(maps:get(retain_dir, Options), Name)};
                (_) -> #{}
             end,
    #{type => fun(Name) -> plc_nif:library_type(Lib, Name) end,
      types => fun() -> plc_nif:library_types(Lib) end,
      adapter_types => fun() -> plc_nif:library_adapter_types(Lib) end,
      literal => fun(Type, Var, Literal) -> plc_nif:library_literal(Lib, Type, Var, Literal) end,
      connectable => fun(From, To) -> plc_nif:library_connectable(Lib, From, To) end,
      %% By id, not pid: a resource its supervisor restarts (cold) is
      %% still the device's, with its subscriptions.
      start => fun(Name, Network, Forces) ->
                       Id = make_ref(),
                       %% The caller (the server) hears the resource's
                       %% alarms: STEST_END ends the device.
                       Opts = #{name => Id, subscribers => [self()], forces => Forces, manager => self()},
                       case plc:start_resource(Network, maps:merge(Opts, Retain(Name))) of
                           {ok, _Pid} -> {ok, Id};
                           Error -> Error
                       end
               end,
      whereis => fun(Id) -> plc:whereis(Id) end,
      stop => fun(Id) -> plc:stop_resource(Id) end,
      answer => fun(Pid, Fb, Response) -> plc:manage_answer(Pid, Fb, Response) end,
      reconfigure => fun(Id, Network) -> plc:reconfigure(Id, Network) end,
      stop_execution => fun(Id) -> plc:stop_execution(Id) end,
      start_execution => fun(Id) -> plc:start_execution(Id) end,
      inject => fun(Pid, Port) -> plc:inject(Pid, Port) end,
      read => fun(Pid, Var) -> plc:read(Pid, Var) end,
      read_all => fun read_all/2,
      write => fun(Pid, Var, Value) -> plc:write(Pid, Var, Value) end,
      force => fun(Pid, Var, Value) -> plc:force(Pid, Var, Value) end,
      clear_force => fun(Pid, Var) -> plc:clear_force(Pid, Var) end,
      subscribe => fun(Pid, Port) -> plc:subscribe(Pid, Port) end,
      unsubscribe => fun(Pid, Port) -> plc:unsubscribe(Pid, Port) end,
      tallied => fun(_Id, _Port) -> none end,
      untally => fun(_Id, _Port) -> ok end,
      now_ms => fun() -> erlang:monotonic_time(millisecond) end}.

%% @doc The real engine of engine/1, with the watched output events
%% counted by `Tally' (plc_mgmt_tally), not sent to the caller: the
%% caller's process (the device's server) then gets no message per event,
%% and answers its clients whatever the event rate (an event storm).
-spec engine(plc_mgmt_tally:tally(), #{retain_dir => file:filename_all()}) -> engine().
engine(Tally, Options) ->
    Subscriber = plc_mgmt_tally:subscriber(Tally),
    OnResource = fun(Id, F) ->
                         case plc:whereis(Id) of
                             undefined -> {error, not_found};
                             Pid -> try F(Pid) catch exit:_ -> {error, not_found} end
                         end
                 end,
    (engine(Options))#{subscribe => fun(Id, Port) ->
                                     OnResource(Id, fun(Pid) -> plc_resource:call(Pid, {subscribe, Port, Subscriber}) end)
                             end,
                unsubscribe => fun(Id, Port) ->
                                       OnResource(Id, fun(Pid) -> plc_resource:call(Pid, {unsubscribe, Port, Subscriber}) end)
                               end,
                tallied => fun(Id, Port) ->
                                   case plc:whereis(Id) of
                                       undefined -> none;
                                       Pid -> plc_mgmt_tally:count(Tally, Pid, key(Port))
                                   end
                           end,
                untally => fun(Id, Port) ->
                                   case plc:whereis(Id) of
                                       undefined -> ok;
                                       Pid -> plc_mgmt_tally:reset(Tally, Pid, key(Port))
                                   end
                           end}.

%% Variables `<<"Fb.Var">>' of a resource read in one engine call, between
%% two slices (plc:read/2 reads one).
read_all(Id, Vars) ->
    case plc_mon:lookup(Id) of
        {ok, _, _, Handle} ->
            try plc_nif:read(Handle, [plc:split_name(V) || V <- Vars]) of
                Values when is_list(Values) -> {ok, Values};
                Error -> Error
            catch error:{badarg, Why} -> {error, Why}
            end;
        Error ->
            Error
    end.

%% @doc Stops the engine's resources of every running resource (a device
%% KILL, or the server ending).
-spec stop_all(state(), engine()) -> state().
stop_all(State = #{resources := Names}, Engine) ->
    lists:foldl(fun(N, S) -> update(N, S, fun(R) -> halt_engine(R, killed, Engine) end) end, State, Names).

%% @doc An event the engine sent (`{plc_event, Pid, Port, _}'): counted
%% for the watches of the resource running as `Pid'.
-spec event(pid(), binary(), state(), engine()) -> state().
event(Pid, Port, State = #{start_ms := T0}, Engine) ->
    case resource_of(Pid, State, Engine) of
        {ok, N} ->
            Now = (maps:get(now_ms, Engine))() - T0,
            update(N, State, fun(R = #{counts := C}) ->
                                     {Count, _} = maps:get(key(Port), C, {0, 0}),
                                     R#{counts := C#{key(Port) => {Count + 1, Now}}}
                             end);
        error ->
            State
    end.

%% @doc Whether `Pid' runs one of the device's resources (a message that
%% claims to come from one is believed only then).
-spec owns(pid(), state(), engine()) -> boolean().
owns(Pid, State, Engine) ->
    resource_of(Pid, State, Engine) =/= error.

resource_of(Pid, #{resources := Names, resource := Rs}, Engine) ->
    Running = fun(#{engine_id := undefined}) -> false;
                 (#{engine_id := Id}) -> (maps:get(whereis, Engine))(Id) =:= Pid
              end,
    case [N || N <- Names, Running(maps:get(key(N), Rs))] of
        [N] -> {ok, N};
        _ -> error
    end.

%%% Commands

%% @doc Runs one command for `Destination' (`<<>>': the device, else a
%% resource name) and answers FORTE's response.
-spec handle(binary(), {binary(), plc_mgmt_codec:command()}, state(), engine()) ->
          {reply, binary(), state()} | {close, state()}.
handle(<<>>, {_Id, {kill, all}}, State, Engine) ->
    {close, stop_all(State, Engine)};
handle(<<>>, {Id, Command}, State, Engine) ->
    device(Id, Command, State, Engine);
handle(Dst, {Id, Command}, State = #{resource := Rs}, Engine) ->
    case maps:find(key(Dst), Rs) of
        {ok, R} ->
            Name = name_of(Dst, State),
            case resource(Id, Command, Name, R, State, Engine) of
                {Response, R1} when is_map(R1) -> {reply, Response, State#{resource := Rs#{key(Name) := R1}}};
                {Response, keep} -> {reply, Response, State}
            end;
        error ->
            {reply, short_or_long(Id, Command, invalid_dst), State}
    end.

%% WRITE answers in the long form, everything else in the short one.
short_or_long(Id, {write, _}, Reason) -> plc_mgmt_codec:long_error(Id, Reason);
short_or_long(Id, _, Reason) -> plc_mgmt_codec:error(Id, Reason).

%%% The device (destination "")

device(Id, {create, {fb, Name, Type}}, State = #{resources := Names, resource := Rs}, Engine) ->
    case {maps:is_key(key(Name), Rs), resolve_type(Type)} of
        {true, _} ->
            {reply, plc_mgmt_codec:error(Id, invalid_state), State};
        {false, _} when Name =:= <<>> ->
            {reply, plc_mgmt_codec:error(Id, invalid_object), State};
        {false, <<"EMB_RES">>} ->
            {ok, Start} = start_type(Engine),
            R = #{type => <<"EMB_RES">>, state => idle, fbs => [], fb => #{key(?START_FB) => Start},
                  params => [], events => [], data => [], engine_id => undefined, watches => [], counts => #{},
                  subscribed => [], name => Name},
            {reply, plc_mgmt_codec:ok(Id), State#{resources := Names ++ [Name], resource := Rs#{key(Name) => R}}};
        {false, _} ->
            {reply, plc_mgmt_codec:error(Id, unsupported_type), State}
    end;
device(Id, {delete, {fb, Name, _}}, State = #{resources := Names, resource := Rs}, _Engine) ->
    case maps:find(key(Name), Rs) of
        {ok, #{state := running}} ->
            {reply, plc_mgmt_codec:error(Id, invalid_state), State};
        {ok, _} ->
            {reply, plc_mgmt_codec:ok(Id),
             State#{resources := [N || N <- Names, key(N) =/= key(Name)], resource := maps:remove(key(Name), Rs)}};
        error ->
            {reply, plc_mgmt_codec:error(Id, no_such_object), State}
    end;
device(Id, {Change, {fb, Name, _}}, State = #{resource := Rs}, Engine) when ?IS_CHANGE(Change) ->
    case maps:find(key(Name), Rs) of
        {ok, R} ->
            case change(Change, R, State, Engine) of
                {ok, R1} -> {reply, plc_mgmt_codec:ok(Id), State#{resource := Rs#{key(Name) := R1}}};
                {error, Reason} -> {reply, plc_mgmt_codec:error(Id, Reason), State}
            end;
        error ->
            {reply, plc_mgmt_codec:error(Id, no_such_object), State}
    end;
device(Id, {Change, all}, State = #{state := S, resources := Names}, Engine) when ?IS_CHANGE(Change) ->
    case transition(Change, S) of
        {ok, S1} ->
            %% The change goes to every resource that can take it.
            State1 = lists:foldl(fun(N, St) ->
                                         update(N, St, fun(R) ->
                                                               case change(Change, R, State, Engine) of
                                                                   {ok, R1} -> R1;
                                                                   {error, _} -> R
                                                               end
                                                       end)
                                 end, State, Names),
            {reply, plc_mgmt_codec:ok(Id), State1#{state := S1}};
        error ->
            {reply, plc_mgmt_codec:error(Id, invalid_state), State}
    end;
device(Id, {write, {parameter, Value, Dst}}, State, _Engine) ->
    %% The device's one parameter, FORTE_PC's MGR_ID (IDE 3.0 writes it
    %% when the device's parameters are selected for the deploy, then
    %% START of the device: INVALID_STATE, it runs). It is kept, as FORTE
    %% keeps its RMT_DEV's input, and changes nothing: the device listens
    %% where it was started (bin/plc device -c). EMB_RES has no parameter.
    case {key(Dst), mgr_id(Value)} of
        {<<"MGR_ID">>, {ok, Text}} -> {reply, plc_mgmt_codec:long_ok(Id, <<>>), State#{mgr_id => Text}};
        {<<"MGR_ID">>, error} -> {reply, plc_mgmt_codec:long_error(Id, bad_params), State};
        _ -> {reply, plc_mgmt_codec:long_error(Id, no_such_object), State}
    end;
device(Id, {write, _}, State, _Engine) ->
    {reply, plc_mgmt_codec:long_error(Id, no_such_object), State};
device(Id, {read, watches}, State = #{resources := Names}, Engine) ->
    {reply, plc_mgmt_codec:watches(Id, [watch_report(N, State, Engine) || N <- Names]), State};
device(Id, {query, {fb, Name, _}}, State = #{resources := Names, resource := Rs}, _Engine) ->
    List = [{N, maps:get(type, maps:get(key(N), Rs))} || N <- Names, Name =:= <<"*">> orelse key(N) =:= key(Name)],
    {reply, plc_mgmt_codec:fb_list(Id, List), State};
device(Id, Command, State, Engine) ->
    common(Id, Command, State, Engine).

%% What the device and a resource answer alike.
common(Id, {query, fb_types}, State, Engine) ->
    {reply, plc_mgmt_codec:name_list(Id, lists:sort((maps:get(types, Engine))())), State};
common(Id, {query, adapter_types}, State, Engine) ->
    {reply, plc_mgmt_codec:name_list(Id, lists:sort((maps:get(adapter_types, Engine))())), State};
common(Id, {query, data_types}, State, _Engine) ->
    {reply, plc_mgmt_codec:error(Id, unsupported_cmd), State};
common(Id, {query, {connection, _, _}}, State, _Engine) ->
    {reply, plc_mgmt_codec:endpoint_list(Id, []), State};
common(Id, {write, _}, State, _Engine) ->
    {reply, plc_mgmt_codec:long_error(Id, no_such_object), State};
common(Id, _Command, State, _Engine) ->
    {reply, plc_mgmt_codec:error(Id, no_such_object), State}.

%%% A resource (destination: its name)

%% -> {Response, Resource | keep}
resource(Id, {create, {fb, Name, Type}}, _Res, R = #{fbs := Fbs, fb := FbMap}, _State, Engine) ->
    case {maps:is_key(key(Name), FbMap), valid_name(Name)} of
        {true, _} ->
            {plc_mgmt_codec:error(Id, invalid_state), keep};
        {false, false} ->
            {plc_mgmt_codec:error(Id, invalid_object), keep};
        {false, true} ->
            case find_type(Type, Engine) of
                {ok, Info = #{name := TypeName}} ->
                    {plc_mgmt_codec:ok(Id),
                     R#{fbs := Fbs ++ [Name], fb := FbMap#{key(Name) => #{type => TypeName, info => Info, mo => idle}}}};
                {error, not_found} ->
                    {plc_mgmt_codec:error(Id, unsupported_type), keep}
            end
    end;
resource(Id, {delete, {fb, Name, _}}, _Res, R = #{fbs := Fbs, fb := FbMap}, _State, Engine) ->
    case maps:find(key(Name), FbMap) of
        error ->
            {plc_mgmt_codec:error(Id, no_such_object), keep};
        {ok, #{mo := running}} when map_get(state, R) =:= running ->
            %% IEC 61499-1 figure 24, FORTE: a running FB is not deleted;
            %% STOP or KILL it first.
            {plc_mgmt_codec:error(Id, invalid_state), keep};
        {ok, _} when Name =/= <<>> ->
            case key(Name) =:= key(?START_FB) of
                true ->
                    {plc_mgmt_codec:error(Id, invalid_operation), keep};
                false ->
                    K = key(Name),
                    Touches = fun({Src, Dst}) -> key(fb_of(Src)) =:= K orelse key(fb_of(Dst)) =:= K end,
                    #{events := Es, data := Ds, params := Ps, watches := Ws} = R,
                    online(Id,
                           R#{fbs := [F || F <- Fbs, key(F) =/= K], fb := maps:remove(K, FbMap),
                              events := [C || C <- Es, not Touches(C)], data := [C || C <- Ds, not Touches(C)],
                              params := [P || P = {F, _, _} <- Ps, key(F) =/= K],
                              watches := [W || W = {F, _} <- Ws, key(F) =/= K]},
                           Engine)
            end
    end;
resource(Id, {create, {connection, Src, Dst}}, _Res, R, _State, Engine) ->
    case connection_kind(Src, Dst, R, Engine) of
        {error, Reason} ->
            {plc_mgmt_codec:error(Id, Reason), keep};
        {ok, Kind} ->
            List = maps:get(Kind, R),
            Dup = lists:any(fun({S, D}) -> key(S) =:= key(Src) andalso key(D) =:= key(Dst) end, List),
            Taken = Kind =:= data andalso lists:any(fun({_, D}) -> key(D) =:= key(Dst) end, List),
            case Dup orelse Taken of
                true -> {plc_mgmt_codec:error(Id, invalid_state), keep};
                false -> online(Id, R#{Kind := List ++ [{Src, Dst}]}, Engine)
            end
    end;
resource(Id, {delete, {connection, Src, Dst}}, _Res, R, _State, Engine) ->
    Same = fun({S, D}) -> key(S) =:= key(Src) andalso key(D) =:= key(Dst) end,
    #{events := Es, data := Ds} = R,
    case lists:any(Same, Es) orelse lists:any(Same, Ds) of
        false -> {plc_mgmt_codec:error(Id, no_such_object), keep};
        true -> online(Id, R#{events := [C || C <- Es, not Same(C)], data := [C || C <- Ds, not Same(C)]}, Engine)
    end;
resource(Id, {Change, all}, _Res, R, State, Engine) when ?IS_CHANGE(Change) ->
    case change(Change, R, State, Engine) of
        {ok, R1} -> {plc_mgmt_codec:ok(Id), R1};
        {error, Reason} -> {plc_mgmt_codec:error(Id, Reason), keep}
    end;
resource(Id, {Change, {fb, Name, _}}, _Res, R = #{fb := FbMap}, _State, Engine) when ?IS_CHANGE(Change) ->
    case port_fb(Name, R) of
        error ->
            {plc_mgmt_codec:error(Id, no_such_object), keep};
        {ok, Fb} ->
            case key(Name) =/= key(?START_FB) andalso transition(Change, maps:get(mo, Fb, running)) of
                {ok, Mo} -> online(Id, R#{fb := FbMap#{key(Name) := Fb#{mo => Mo}}}, Engine);
                _ -> {plc_mgmt_codec:error(Id, invalid_state), keep}
            end
    end;
resource(Id, {write, {parameter, Value, Dst}}, _Res, R, _State, Engine) ->
    write_parameter(Id, Value, Dst, R, Engine);
resource(Id, {write, {force, Value, Dst}}, _Res, R, _State, Engine) ->
    force(Id, Value, Dst, R, Engine);
resource(Id, {write, {clear_force, Dst}}, _Res, R, _State, Engine) ->
    clear_force(Id, Dst, R, Engine);
resource(Id, {write, {trigger, Dst}}, _Res, R, #{start_ms := T0}, Engine) ->
    case port_kind(Dst, R) of
        {ok, event_input} ->
            ok = inject(R, Dst, Engine),
            {plc_mgmt_codec:long_ok(Id, <<>>), count(Dst, R, (maps:get(now_ms, Engine))() - T0)};
        {ok, event_output} ->
            _ = [ok = inject(R, D, Engine) || {S, D} <- maps:get(events, R), key(S) =:= key(Dst)],
            {plc_mgmt_codec:long_ok(Id, <<>>), trigger_output(Dst, R, (maps:get(now_ms, Engine))() - T0)};
        _ ->
            {plc_mgmt_codec:long_error(Id, no_such_object), keep}
    end;
resource(Id, {write, {reset_count, Dst}}, _Res, R = #{counts := C}, _State, Engine) ->
    case port_kind(Dst, R) of
        {ok, K} when K =:= event_input; K =:= event_output ->
            _ = [(maps:get(untally, Engine))(E, Dst) || E <- [maps:get(engine_id, R)], E =/= undefined],
            {plc_mgmt_codec:long_ok(Id, <<>>), R#{counts := C#{key(Dst) => {0, 0}}}};
        _ ->
            {plc_mgmt_codec:long_error(Id, no_such_object), keep}
    end;
resource(Id, {create, {watch, Src, _}}, _Res, R = #{watches := Ws}, _State, Engine) ->
    case port_kind(Src, R) of
        {ok, _} ->
            {Fb, Port} = split(Src),
            Ws1 = case lists:keyfind(Fb, 1, Ws) of
                      false -> Ws ++ [{Fb, [Port]}];
                      {_, Ports} -> lists:keyreplace(Fb, 1, Ws, {Fb, add_new(Port, Ports)})
                  end,
            {plc_mgmt_codec:ok(Id), subscribe_watched(R#{watches := Ws1}, Engine)};
        error ->
            {plc_mgmt_codec:error(Id, no_such_object), keep}
    end;
resource(Id, {delete, {watch, Src, _}}, _Res, R = #{watches := Ws}, _State, Engine) ->
    {Fb, Port} = split(Src),
    case lists:keyfind(Fb, 1, Ws) of
        {_, Ports} ->
            case lists:member(Port, Ports) of
                true ->
                    Ws1 = case Ports -- [Port] of
                              [] -> lists:keydelete(Fb, 1, Ws);
                              Left -> lists:keyreplace(Fb, 1, Ws, {Fb, Left})
                          end,
                    {plc_mgmt_codec:ok(Id), subscribe_watched(R#{watches := Ws1}, Engine)};
                false ->
                    {plc_mgmt_codec:error(Id, no_such_object), keep}
            end;
        false ->
            {plc_mgmt_codec:error(Id, no_such_object), keep}
    end;
resource(Id, {read, watches}, Res, _R, State, Engine) ->
    {plc_mgmt_codec:watches(Id, [watch_report(Res, State, Engine)]), keep};
resource(Id, {read, {connection, Src}}, _Res, R, _State, Engine) ->
    case port_kind(Src, R) of
        {ok, {data, _, Type}} ->
            case data_value(Src, Type, R, Engine) of
                {ok, Text} ->
                    Body = [<<"<Connection Source=\"">>, plc_mgmt_codec:escape(Src), <<"\" Destination=\"">>,
                            plc_mgmt_codec:escape(Text), <<"\" />">>],
                    {plc_mgmt_codec:long_ok(Id, Body), keep};
                error ->
                    {plc_mgmt_codec:error(Id, invalid_state), keep}
            end;
        _ ->
            {plc_mgmt_codec:error(Id, no_such_object), keep}
    end;
resource(Id, {query, {fb, Name, _}}, _Res, #{fbs := Fbs, fb := FbMap}, _State, _Engine) ->
    All = [?START_FB | Fbs],
    List = [{F, maps:get(type, maps:get(key(F), FbMap))} || F <- All, Name =:= <<"*">> orelse key(F) =:= key(Name)],
    {plc_mgmt_codec:fb_list(Id, List), keep};
resource(Id, {query, {connection, _, _}}, Res, #{events := Es, data := Ds}, _State, _Engine) ->
    %% FORTE's quirk: endpoints prefixed with the resource's name, but for START.
    Prefix = fun(P) -> case key(fb_of(P)) =:= key(?START_FB) of
                           true -> P;
                           false -> <<Res/binary, ".", P/binary>>
                       end
             end,
    {plc_mgmt_codec:endpoint_list(Id, [{Prefix(S), Prefix(D)} || {S, D} <- Es ++ Ds]), keep};
resource(Id, Command, _Res, _R, State, Engine) ->
    {reply, Response, _} = common(Id, Command, State, Engine),
    {Response, keep}.

%% The literal of a WRITE or a force for data port `Dst': its text as
%% the engine reads it and its value.
port_literal(Text, Dst, R, Engine) ->
    case port_kind(Dst, R) of
        {ok, {data, Dir, PortType}} ->
            Value = forte_literal(PortType, Text),
            {Fb, Var} = split(Dst),
            #{type := Type} = maps:get(key(Fb), maps:get(fb, R)),
            case Value =/= <<>> andalso (maps:get(literal, Engine))(Type, Var, Value) of
                {ok, Term} -> {ok, {Fb, Var, Dir}, Value, Term};
                _ -> {error, bad_params}
            end;
        _ ->
            {error, no_such_object}
    end.

%% WRITE of a parameter: the literal must be one of the port's type.
write_parameter(Id, Text, Dst, R = #{state := S, engine_id := Pid, params := Ps}, Engine) ->
    case port_literal(Text, Dst, R, Engine) of
        {ok, {Fb, Var, Dir}, Value, Term} ->
            Written = case S =:= running andalso in_engine(Fb, R) of
                          true -> (maps:get(write, Engine))(Pid, Dst, Term);
                          false when Dir =:= input -> ok;
                          false -> {error, not_running}
                      end,
            case {Written, Dir} of
                {ok, input} ->
                    Same = fun({F, V, _}) -> key(F) =:= key(Fb) andalso key(V) =:= key(Var) end,
                    Ps1 = case lists:any(Same, Ps) of
                              true -> [case Same(P) of true -> {Fb, Var, Value}; false -> P end || P <- Ps];
                              false -> Ps ++ [{Fb, Var, Value}]
                          end,
                    %% A killed FB's value written is what it shows now.
                    Last = maps:remove(key(Dst), maps:get(last, R, #{})),
                    {plc_mgmt_codec:long_ok(Id, <<>>), R#{params := Ps1, last => Last}};
                {ok, _} ->
                    {plc_mgmt_codec:long_ok(Id, <<>>), keep};
                {{error, not_running}, _} ->
                    {plc_mgmt_codec:long_error(Id, invalid_state), keep};
                {{error, _}, _} ->
                    {plc_mgmt_codec:long_error(Id, bad_params), keep}
            end;
        {error, Reason} ->
            {plc_mgmt_codec:long_error(Id, Reason), keep}
    end.

%%% Forcing

%% Force: the literal parsed as WRITE parses it; forced in the engine at
%% once on a running resource, else remembered for the next START.
force(Id, Text, Dst, R, Engine) ->
    case port_literal(Text, Dst, R, Engine) of
        {ok, _, _, Term} ->
            case engine_force(R, Dst, Term, Engine) of
                ok -> {plc_mgmt_codec:long_ok(Id, <<>>), R#{forced => (forces(R))#{key(Dst) => {Dst, Term}}}};
                {error, _} -> {plc_mgmt_codec:long_error(Id, invalid_operation), keep}
            end;
        {error, Reason} ->
            {plc_mgmt_codec:long_error(Id, Reason), keep}
    end.

engine_force(#{state := running, engine_id := Pid}, Port, Term, Engine) -> (maps:get(force, Engine))(Pid, Port, Term);
engine_force(_R, _Port, _Term, _Engine) -> ok.

%% Clear force: FORTE answers it for any data port, forced or not.
clear_force(Id, Dst, R, Engine) ->
    case port_kind(Dst, R) of
        {ok, {data, _, _}} ->
            _ = map_get(state, R) =:= running andalso (maps:get(clear_force, Engine))(map_get(engine_id, R), Dst),
            {plc_mgmt_codec:long_ok(Id, <<>>), R#{forced => maps:remove(key(Dst), forces(R))}};
        _ ->
            {plc_mgmt_codec:long_error(Id, no_such_object), keep}
    end.

forces(R) -> maps:get(forced, R, #{}).

%% The forces remembered while the resource was not running, into its
%% engine after START; a port that is gone (its FB deleted) or that the
%% engine refuses is forgotten.
apply_forces(R = #{engine_id := Pid}, Engine) ->
    Kept = maps:filter(fun(_, {Port, Term}) ->
                               case port_kind(Port, R) of
                                   {ok, {data, _, _}} -> (maps:get(force, Engine))(Pid, Port, Term) =:= ok;
                                   _ -> false
                               end
                       end, forces(R)),
    R#{forced => Kept}.

%% The two literal forms FORTE 3.x takes that the engine's IEC 61131-3
%% literals do not, as the engine's: a bare integer for a TIME is
%% nanoseconds (`1000' is `T#1000ns', `-5' `T#-5ns'), and a typed character
%% string `STRING#'abc'' (`WSTRING#"abc"') is the string. Anything else is
%% left to the engine.
-spec forte_literal(binary(), binary()) -> binary().
forte_literal(Type, Text) ->
    Trimmed = string:trim(Text),
    case {Type, re:run(Trimmed, <<"^(-?)([0-9]+)$">>, [{capture, all_but_first, binary}]),
          re:run(Trimmed, <<"^W?STRING#\\s*(['\"].*)$">>, [caseless, dotall, {capture, all_but_first, binary}])} of
        {<<"TIME">>, {match, [Sign, Digits]}, _} -> <<"T#", Sign/binary, Digits/binary, "ns">>;
        {_, _, {match, [Quoted]}} -> Quoted;
        _ -> Text
    end.

%%% Managed-object states

transition(start, S) when S =:= idle; S =:= stopped -> {ok, running};
transition(stop, running) -> {ok, stopped};
transition(kill, running) -> {ok, killed};
transition(reset, S) when S =:= stopped; S =:= killed -> {ok, idle};
transition(_, _) -> error.

change(Change, R = #{state := S}, #{start_ms := T0}, Engine) ->
    case transition(Change, S) of
        {ok, running} when S =:= stopped -> continue(R, Engine);
        {ok, running} -> launch(R, (maps:get(now_ms, Engine))() - T0, Engine);
        {ok, stopped} -> hold(R, Engine);
        {ok, S1} -> {ok, halt_engine(R, S1, Engine)};
        error -> {error, invalid_state}
    end.

%% The resource's network as the engine loads it: its running FBs (an FB
%% idle, stopped or killed gets no event, as in FORTE: it is left out, and
%% so are its connections).
network(#{fbs := Fbs, fb := FbMap, params := Ps, events := Es, data := Ds}) ->
    Running = [F || F <- Fbs, maps:get(mo, maps:get(key(F), FbMap)) =:= running],
    Keys = maps:from_keys([key(?START_FB) | [key(F) || F <- Running]], []),
    Both = fun({S, D}) -> maps:is_key(key(fb_of(S)), Keys) andalso maps:is_key(key(fb_of(D)), Keys) end,
    #{fbs => [{F, maps:get(type, maps:get(key(F), FbMap)), [{V, L} || {PF, V, L} <- Ps, key(PF) =:= key(F)]}
              || F <- Running],
      events => [C || C <- Es, Both(C)], data => [C || C <- Ds, Both(C)]}.

%% Whether an FB runs in the engine now.
in_engine(Fb, #{engine_id := Pid, fb := FbMap}) ->
    Pid =/= undefined andalso
        (key(Fb) =:= key(?START_FB) orelse maps:get(mo, maps:get(key(Fb), FbMap, #{}), idle) =:= running).

%% A change of a running resource's FBs or connections goes into the
%% engine at once (online reconfiguration, plc:reconfigure/2): the FBs not
%% touched keep their state. One the engine refuses (a generic port no type
%% fits) changes nothing: INVALID_OPERATION. Events that were on their way
%% to a deleted FB or connection are lost, counted and logged.
online(Id, R1 = #{engine_id := Pid}, Engine) when Pid =/= undefined ->
    case (maps:get(reconfigure, Engine))(Pid, network(R1)) of
        {ok, Report = #{lost := Lost}} ->
            _ = Lost > 0 andalso
                logger:warning("plc_mgmt: ~b events in flight to deleted FBs or connections were lost: ~p",
                               [Lost, maps:get(lost_events, Report)]),
            {plc_mgmt_codec:ok(Id), subscribe_watched(R1, Engine)};
        {error, _} ->
            {plc_mgmt_codec:error(Id, invalid_operation), keep}
    end;
online(Id, R1, _Engine) ->
    {plc_mgmt_codec:ok(Id), R1}.

%% The resource's network into the engine, every FB running;
%% plc:start_resource fires START.COLD (counted here: it fires before any
%% subscription).
launch(R0 = #{fb := FbMap}, Now, Engine) ->
    R = R0#{fb := maps:map(fun(_, Fb) -> Fb#{mo => running} end, FbMap)},
    %% The remembered forces hold from the first event (START.COLD's chain).
    case (maps:get(start, Engine))(maps:get(name, R, <<>>), network(R), [{P, T} || {P, T} <- maps:values(forces(R))]) of
        {ok, Pid} ->
            Started = count(<<?START_FB/binary, ".COLD">>, R#{state := running, engine_id := Pid, subscribed := [], last => #{}},
                            Now),
            {ok, apply_forces(subscribe_watched(Started, Engine), Engine)};
        {error, _} -> {error, invalid_operation}
    end.

%% STOP holds the engine's resource (plc:stop_execution/1): START.STOP
%% fires, then nothing runs; START continues it warm.
hold(R = #{engine_id := Pid}, Engine) when Pid =/= undefined ->
    _ = (maps:get(stop_execution, Engine))(Pid),
    {ok, R#{state := stopped}};
hold(R, _Engine) ->
    {ok, R#{state := stopped}}.

continue(R = #{engine_id := Pid}, Engine) when Pid =/= undefined ->
    case (maps:get(start_execution, Engine))(Pid) of
        ok -> {ok, apply_forces(R#{state := running}, Engine)};
        {error, running} -> {ok, apply_forces(R#{state := running}, Engine)};  % restarted by its supervisor meanwhile
        {error, _} -> {error, invalid_operation}
    end;
continue(_R, _Engine) ->
    {error, invalid_operation}.

%% KILL keeps the watched values the engine had (FORTE's killed FBs keep
%% their data, and its watches show it); RESET forgets them (FORTE: the
%% initial values).
halt_engine(R = #{engine_id := Pid}, S1, Engine) ->
    Last = case S1 of
               killed -> engine_values(R, Engine);
               _ -> #{}
           end,
    _ = Pid =/= undefined andalso (maps:get(stop, Engine))(Pid),
    R#{state := S1, engine_id := undefined, subscribed := [], last => Last}.

%%% Ports

%% What a port `Fb.Port' of the resource is.
port_kind(Port, R) ->
    case split(Port) of
        {Fb, Name} when Fb =/= <<>>, Name =/= <<>> ->
            case port_fb(Fb, R) of
                {ok, #{info := Info}} -> kind_in(Name, Info);
                error -> error
            end;
        _ ->
            error
    end.

kind_in(Name, #{event_inputs := EIs, event_outputs := EOs, inputs := Is, outputs := Os} = Info) ->
    K = key(Name),
    Find = fun(Vars) -> [T || {V, T} <- Vars, key(V) =:= K] end,
    case {[E || E <- EIs, key(E) =:= K], [E || E <- EOs, key(E) =:= K]} of
        {[_ | _], _} -> {ok, event_input};
        {_, [_ | _]} -> {ok, event_output};
        _ ->
            case {Find(Is), Find(Os), Find(maps:get(internals, Info, []))} of
                {[T | _], _, _} -> {ok, {data, input, T}};
                {_, [T | _], _} -> {ok, {data, output, T}};
                {_, _, [T | _]} -> {ok, {data, internal, T}};
                _ -> error
            end
    end.

port_fb(Fb, #{fb := FbMap}) ->
    maps:find(key(Fb), FbMap).

connection_kind(Src, Dst, R, Engine) ->
    case {port_kind(Src, R), port_kind(Dst, R)} of
        {{ok, event_output}, {ok, event_input}} ->
            {ok, events};
        {{ok, {data, output, _}}, {ok, {data, input, _}}} ->
            {SF, SP} = split(Src),
            {DF, DP} = split(Dst),
            {ok, #{type := ST}} = port_fb(SF, R),
            {ok, #{type := DT}} = port_fb(DF, R),
            case (maps:get(connectable, Engine))({ST, SP}, {DT, DP}) of
                true -> {ok, data};
                false -> {error, invalid_operation}
            end;
        {{ok, _}, {ok, _}} -> {error, invalid_operation};
        _ -> {error, no_such_object}
    end.

inject(#{state := running, engine_id := Pid}, Port, Engine) ->
    _ = (maps:get(inject, Engine))(Pid, Port),
    ok;
inject(_R, _Port, _Engine) ->
    ok.

%%% Watches

count(Port, R = #{counts := C}, Now) ->
    {N, _} = maps:get(key(Port), C, {0, 0}),
    R#{counts := C#{key(Port) => {N + 1, Now}}}.

trigger_output(Port, R, Now) ->
    count(Port, R, Now).

%% The engine's events on the outputs that watched event ports count:
%% subscribed while a watch needs them (an unwatched port costs nothing).
subscribe_watched(R = #{state := running, engine_id := Pid, subscribed := Subscribed}, Engine) ->
    Needed = lists:usort([key(Src) || P <- event_watches(R), Src <- counted_outputs(P, R)]),
    _ = [(maps:get(subscribe, Engine))(Pid, P) || P <- Needed -- Subscribed],
    _ = [(maps:get(unsubscribe, Engine))(Pid, P) || P <- Subscribed -- Needed],
    R#{subscribed := Needed};
subscribe_watched(R, _Engine) ->
    R.

event_watches(R = #{watches := Ws}) ->
    [P || {Fb, Ports} <- Ws, Port <- Ports, P <- [<<Fb/binary, ".", Port/binary>>],
          lists:member(port_kind(P, R), [{ok, event_input}, {ok, event_output}])].

counted_outputs(Port, R = #{events := Es}) ->
    case port_kind(Port, R) of
        {ok, event_output} -> [Port];
        _ -> [S || {S, D} <- Es, key(D) =:= key(Port)]
    end.

%% {Count, LastMs} of an event port: an output's own, an input's own (its
%% triggers) plus those of the outputs connected to it. Each is what the
%% model counted plus what the tally counted for it.
event_count(Port, R = #{events := Es}, Engine, T0) ->
    Count = fun(P) -> counted(P, R, Engine, T0) end,
    case port_kind(Port, R) of
        {ok, event_output} ->
            Count(Port);
        _ ->
            lists:foldl(fun({S, D}, {N, T}) ->
                                case key(D) =:= key(Port) of
                                    true -> {N1, T1} = Count(S), {N + N1, max(T, T1)};
                                    false -> {N, T}
                                end
                        end, Count(Port), Es)
    end.

counted(Port, #{counts := C, engine_id := E}, Engine, T0) ->
    {N, T} = maps:get(key(Port), C, {0, 0}),
    case E =/= undefined andalso (maps:get(tallied, Engine))(E, Port) of
        {N1, Abs} -> {N + N1, max(T, Abs - T0)};
        _ -> {N, T}
    end.

watch_report(Name, #{resource := Rs, start_ms := T0}, Engine) ->
    R = #{watches := Ws} = maps:get(key(Name), Rs),
    Values = engine_values(R, Engine),
    {Name, [{Fb, watch_ports(Fb, Ports, R, Values, Engine, T0)} || {Fb, Ports} <- Ws]}.

%% The engine's values of the resource's watched data ports, by upper-case
%% port, read at once: each read waits for the engine's slice to end (in
%% an event storm a slice is long), so one read per port would keep the
%% answer past the IDE's 3 s. Empty when the engine refuses the batch:
%% each port is then read on its own (data_value/4).
engine_values(R = #{engine_id := E, watches := Ws}, Engine) when E =/= undefined ->
    Ports = [P || {Fb, Ps} <- Ws, in_engine(Fb, R), Port <- Ps, P <- [<<Fb/binary, ".", Port/binary>>],
                  case port_kind(P, R) of {ok, {data, _, _}} -> true; _ -> false end],
    case Ports =/= [] andalso (maps:get(read_all, Engine))(E, Ports) of
        {ok, Terms} -> maps:from_list(lists:zip([key(P) || P <- Ports], Terms));
        _ -> #{}
    end;
engine_values(#{last := Last}, _Engine) ->
    Last;  % killed: what the engine had
engine_values(_R, _Engine) ->
    #{}.

watch_ports(Fb, Ports, R, Values, Engine, T0) ->
    Kinds = [{P, port_kind(<<Fb/binary, ".", P/binary>>, R)} || P <- Ports],
    Forced = forces(R),
    Data = [{data, P, Text, maps:is_key(key(Port), Forced)}
            || {P, {ok, {data, _, Type}}} <- Kinds, Port <- [<<Fb/binary, ".", P/binary>>],
               {ok, Text} <- [watched_value(Port, Type, R, Forced, Values, Engine)]],
    Events = [begin {N, T} = event_count(<<Fb/binary, ".", P/binary>>, R, Engine, T0), {event, P, N, T} end
              || {P, {ok, K}} <- Kinds, K =:= event_input orelse K =:= event_output],
    Data ++ Events.

%% A watched data port's value: a forced one, while not running, is its
%% forced value; else the engine's as read with the others
%% (engine_values/2), else data_value/4.
watched_value(Port, Type, R = #{state := S}, Forced, Values, Engine) ->
    case {maps:find(key(Port), Forced), maps:find(key(Port), Values)} of
        {{ok, {_, Term}}, _} when S =/= running -> {ok, format_value(Type, Term)};
        {_, {ok, Term}} -> {ok, format_value(Type, Term)};
        _ -> data_value(Port, Type, R, Engine)
    end.

%% A data port's value as FORTE prints it: the engine's while its FB runs
%% there (also while the resource is held by STOP), else the parameter
%% written.
data_value(Port, Type, R = #{engine_id := Pid}, Engine) when Pid =/= undefined ->
    case in_engine(fb_of(Port), R) of
        true ->
            case (maps:get(read, Engine))(Pid, Port) of
                {ok, Term} -> {ok, format_value(Type, Term)};
                {error, _} -> error
            end;
        false ->
            data_value(Port, Type, R#{engine_id := undefined}, Engine)
    end;
data_value(Port, Type, R = #{params := Ps}, Engine) ->
    {Fb, Var} = split(Port),
    case [L || {F, V, L} <- Ps, key(F) =:= key(Fb), key(V) =:= key(Var)] of
        [L | _] ->
            {ok, #{type := FbType}} = port_fb(Fb, R),
            case (maps:get(literal, Engine))(FbType, Var, L) of
                {ok, Term} -> {ok, format_value(Type, Term)};
                error -> error
            end;
        [] ->
            error
    end.

%%% Values as FORTE 3.x prints them (section 5)

%% @doc A value (a term as plc:read/2 gives it) printed as FORTE prints a
%% watched value of type `Type' (the type text of plc_nif:type_info()),
%% before XML escaping: TRUE/FALSE, integers in decimal, REAL as `%.9g'
%% (with `.0' when integral), LREAL as `%.17g', TIME as `T#1h2m3s4ms'
%% (zero: `T#0ns'), STRING as `'..'' with `$' escapes, WSTRING as
%% `".."', arrays as `[1,2,3]', structures as `(a:=1,b:=2)'.
-spec format_value(binary(), term()) -> binary().
format_value(<<"ARRAY ", Rest/binary>>, List) when is_list(List) ->
    [_, Element] = binary:split(Rest, <<" OF ">>),
    iolist_to_binary([$[, lists:join($,, [format_value(Element, V) || V <- List]), $]]);
format_value(_Type, Map) when is_map(Map) ->
    iolist_to_binary([$(, lists:join($,, [[K, <<":=">>, format_value(<<"ANY">>, V)]
                                          || {K, V} <- lists:sort(maps:to_list(Map))]), $)]);
format_value(_Type, true) -> <<"TRUE">>;
format_value(_Type, false) -> <<"FALSE">>;
format_value(<<"REAL">>, X) -> real(X, 9);
format_value(<<"TIME">>, Ns) when is_integer(Ns) -> time_text(Ns);
format_value(<<"DATE">>, Ns) when is_integer(Ns) ->
    {{Y, Mo, D}, _} = date_time(Ns),
    iolist_to_binary(io_lib:format("D#~4..0b-~2..0b-~2..0b", [Y, Mo, D]));
format_value(<<"TIME_OF_DAY">>, Ns) when is_integer(Ns) ->
    {_, {H, Mi, S, Ms}} = date_time(Ns),
    iolist_to_binary(io_lib:format("TOD#~2..0b:~2..0b:~2..0b.~3..0b", [H, Mi, S, Ms]));
format_value(<<"DATE_AND_TIME">>, Ns) when is_integer(Ns) ->
    {{Y, Mo, D}, {H, Mi, S, Ms}} = date_time(Ns),
    iolist_to_binary(io_lib:format("DT#~4..0b-~2..0b-~2..0b-~2..0b:~2..0b:~2..0b.~3..0b", [Y, Mo, D, H, Mi, S, Ms]));
format_value(<<"WSTRING">>, Bin) when is_binary(Bin) -> string_text($", Bin);
format_value(_Type, Bin) when is_binary(Bin) -> string_text($', Bin);
format_value(_Type, X) when is_integer(X) -> integer_to_binary(X);
format_value(_Type, X) -> real(X, 17).

real(nan, _) -> <<"nan">>;
real(infinity, _) -> <<"inf">>;
real(neg_infinity, _) -> <<"-inf">>;
real(X, Precision) when is_integer(X) -> real(float(X), Precision);
real(X, Precision) ->
    Text = c_g(X, Precision),
    Integral = lists:all(fun(C) -> C >= $0 andalso C =< $9 orelse C =:= $- end, Text),
    case Integral andalso Precision =:= 9 of
        true -> iolist_to_binary([Text, ".0"]);
        false -> iolist_to_binary(Text)
    end.

%% C's printf %.{P}g.
c_g(X, _P) when X == 0 ->
    case <<X/float>> of <<1:1, _/bits>> -> "-0"; _ -> "0" end;
c_g(X, P) ->
    [Mantissa, Exp] = string:split(io_lib:format("~.*e", [P - 1, X]), "e"),
    E = list_to_integer(Exp),
    case E < -4 orelse E >= P of
        true ->
            Sign = case E < 0 of true -> "-"; false -> "+" end,
            Digits = integer_to_list(abs(E)),
            strip(Mantissa) ++ "e" ++ Sign ++ lists:duplicate(max(0, 2 - length(Digits)), $0) ++ Digits;
        false ->
            strip(lists:flatten(io_lib:format("~.*f", [P - 1 - E, X])))
    end.

strip(Text) ->
    case lists:member($., Text) of
        true -> string:trim(string:trim(Text, trailing, "0"), trailing, ".");
        false -> Text
    end.

time_text(0) -> <<"T#0ns">>;
time_text(Ns) when Ns < 0 -> <<"T#-", (binary:part(time_text(-Ns), 2, byte_size(time_text(-Ns)) - 2))/binary>>;
time_text(Ns) ->
    Units = [{<<"d">>, 86400000000000}, {<<"h">>, 3600000000000}, {<<"m">>, 60000000000}, {<<"s">>, 1000000000},
             {<<"ms">>, 1000000}, {<<"us">>, 1000}, {<<"ns">>, 1}],
    {Parts, 0} = lists:foldl(fun({U, N}, {Acc, Left}) ->
                                     case Left div N of
                                         0 -> {Acc, Left};
                                         K -> {[Acc, integer_to_binary(K), U], Left rem N}
                                     end
                             end, {[], Ns}, Units),
    iolist_to_binary(["T#", Parts]).

%% Nanoseconds since 1970-01-01 -> {{Y, M, D}, {H, M, S, Milliseconds}}.
date_time(Ns) ->
    NsPerDay = 86400000000000,
    Days = floor_div(Ns, NsPerDay),
    InDay = Ns - Days * NsPerDay,
    Date = calendar:gregorian_days_to_date(Days + calendar:date_to_gregorian_days({1970, 1, 1})),
    Sec = InDay div 1000000000,
    {Date, {Sec div 3600, Sec div 60 rem 60, Sec rem 60, InDay rem 1000000000 div 1000000}}.

floor_div(A, B) when A >= 0 -> A div B;
floor_div(A, B) -> -((-A + B - 1) div B).

string_text(Quote, Bin) ->
    Escaped = [case C of
                   $$ -> "$$";
                   Quote -> [$$, Quote];
                   $\n -> "$n";
                   $\r -> "$r";
                   $\t -> "$t";
                   $\f -> "$p";
                   C when C < 32 -> io_lib:format("$~2.16.0B", [C]);
                   C -> C
               end || <<C>> <= Bin],
    iolist_to_binary([Quote, Escaped, Quote]).

%%% Management blocks (runtime/stdfb/management.h)

%% @doc The commands a management block of type `Type' gives, from its
%% inputs (`#{<<"FB_NAME">> => ..., <<"DST">> => ...}'), as parsed requests
%% to its destination resource (DST; empty: the device), in order;
%% `error' for a type that is no management block or inputs it lacks.
-spec block_commands(binary(), #{binary() => term()}) -> {binary(), [plc_mgmt_codec:command()]} | error.
block_commands(Type, Inputs) ->
    In = fun(K) -> case maps:get(K, Inputs) of V when is_binary(V) -> V end end,
    Dot = fun(A, B) -> <<(In(A))/binary, ".", (In(B))/binary>> end,
    Conn = fun(Prefix) ->
                   {connection, Dot(<<Prefix/binary, "SRC_FB">>, <<Prefix/binary, "SRC_FB_OUT">>),
                    Dot(<<Prefix/binary, "DST_FB">>, <<Prefix/binary, "DST_FB_IN">>)}
           end,
    try
        Commands = case Type of
                       <<"ST_CREATE_FB">> -> [{create, {fb, In(<<"FB_NAME">>), In(<<"FB_TYPE">>)}}];
                       <<"ST_DEL_FB">> -> [{delete, {fb, In(<<"FB_NAME">>), <<>>}}];
                       <<"ST_CREATE_CONN">> -> [{create, Conn(<<>>)}];
                       <<"ST_DEL_CONN">> -> [{delete, Conn(<<>>)}];
                       <<"ST_REC_CONN">> -> [{delete, Conn(<<"OLD_">>)}, {create, Conn(<<"NEW_">>)}];
                       <<"ST_SET_PARM">> ->
                           [{write, {parameter, In(<<"PARM_VAL">>), Dot(<<"ELEM_NAME">>, <<"ELEM_DATA_IN">>)}}];
                       <<"EC_START_ELEM">> -> [{start, {fb, In(<<"ELEM_NAME">>), <<>>}}];
                       <<"EC_STOP_ELEM">> -> [{stop, {fb, In(<<"ELEM_NAME">>), <<>>}}];
                       <<"EC_KILL_ELEM">> -> [{kill, {fb, In(<<"ELEM_NAME">>), <<>>}}];
                       <<"EC_SET_EVT">> -> [{write, {trigger, Dot(<<"FB_NAME">>, <<"FB_EVENT_IO">>)}}]
                   end,
        {In(<<"DST">>), Commands}
    catch
        error:_ -> error
    end.

%% @doc Runs the commands of management block `Fb' of the resource running
%% as `Pid' (its message `{plc_manage, Pid, Fb, Type, Inputs}') as the
%% protocol's requests, up to the first that fails, and answers the block
%% with the last response's reason (`RDY' when none). A resource that is
%% not this device's, or a block that does not wait for an answer (the
%% message carries no proof of its origin), is not answered.
-spec manage(pid(), binary(), {binary(), #{binary() => term()}}, state(), engine()) -> state().
manage(Pid, Fb, {Type, Inputs}, State, Engine) ->
    case owns(Pid, State, Engine) andalso (maps:get(read, Engine))(Pid, <<Fb/binary, ".$pending">>) of
        {ok, true} ->
            {Response, State1} =
                case block_commands(Type, Inputs) of
                    error -> {<<"UNSUPPORTED_CMD">>, State};
                    {Dst, Commands} -> run_block(Dst, Commands, State, Engine)
                end,
            _ = (maps:get(answer, Engine))(Pid, Fb, Response),
            State1;
        _ ->
            State
    end.

run_block(_Dst, [], State, _Engine) ->
    {<<"RDY">>, State};
run_block(Dst, [C | Rest], State, Engine) ->
    case handle(Dst, {<<"0">>, C}, State, Engine) of
        {reply, Response, State1} ->
            case re:run(Response, <<" Reason=\"([A-Z_]+)\"">>, [{capture, all_but_first, binary}]) of
                {match, [Reason]} -> {Reason, State1};
                nomatch -> run_block(Dst, Rest, State1, Engine)
            end;
        {close, State1} ->
            {<<"RDY">>, State1}
    end.

%%% Boot files (section 6)

%% @doc The device's configuration as a boot file (section 6) that brings
%% a new device to it: each resource created, its FBs created and their
%% parameters written in the order they were, its connections, and the
%% resource's START if it runs (START then STOP if it is stopped); an FB
%% of a running resource that is not running gets the commands that bring
%% it back to its state (STOP; KILL; KILL and RESET for idle). Forces and
%% watches are not configuration (the IDE's boot files have none).
-spec configuration(state()) -> binary().
configuration(#{resources := Names, resource := Rs}) ->
    Counter = counters:new(1, []),
    Line = fun(Dst, Action, Child) ->
                   ok = counters:add(Counter, 1, 1),
                   Id = integer_to_binary(counters:get(Counter, 1)),
                   case Child of
                       [] -> [Dst, ";<Request ID=\"", Id, "\" Action=\"", Action, "\"/>\n"];
                       _ -> [Dst, ";<Request ID=\"", Id, "\" Action=\"", Action, "\">", Child, "</Request>\n"]
                   end
           end,
    Attr = fun plc_mgmt_codec:escape/1,
    iolist_to_binary(
      [begin
           #{fbs := Fbs, fb := FbMap, params := Ps, events := Es, data := Ds, state := S} = maps:get(key(Name), Rs),
           Conn = fun({Src, Dst}) ->
                          Line(Name, "CREATE", ["<Connection Source=\"", Attr(Src), "\" Destination=\"", Attr(Dst), "\" />"])
                  end,
           Mo = fun(Fb, Action) -> Line(Name, Action, ["<FB Name=\"", Attr(Fb), "\" Type=\"\" />"]) end,
           [Line(<<>>, "CREATE", ["<FB Name=\"", Attr(Name), "\" Type=\"EMB_RES\" />"]),
            [Line(Name, "CREATE", ["<FB Name=\"", Attr(F), "\" Type=\"", Attr(maps:get(type, maps:get(key(F), FbMap))), "\" />"])
             || F <- Fbs],
            [Line(Name, "WRITE", ["<Connection Source=\"", Attr(L), "\" Destination=\"", Attr(F), ".", Attr(V), "\" />"])
             || {F, V, L} <- Ps],
            [Conn(C) || C <- Es ++ Ds],
            case S of
                running -> [Line(Name, "START", []) | fb_states(Fbs, FbMap, Mo)];
                stopped -> [Line(Name, "START", []), fb_states(Fbs, FbMap, Mo), Line(Name, "STOP", [])];
                _ -> []
            end]
       end || Name <- Names]).

fb_states(Fbs, FbMap, Mo) ->
    [case maps:get(mo, maps:get(key(F), FbMap)) of
         running -> [];
         stopped -> Mo(F, "STOP");
         killed -> Mo(F, "KILL");
         idle -> [Mo(F, "KILL"), Mo(F, "RESET")]
     end || F <- Fbs].

%% @doc Runs a boot file (plc_mgmt_codec:boot_commands/1 reads it). Stops
%% at the first command that fails
%% (its response has a Reason), giving its line and response; what ran
%% before stays. `killed': the file killed the device.
-spec boot(file:filename_all(), state(), engine()) ->
          {ok, state()} | {error, boot_error() | {file, term()}, state()} | {killed, state()}.
boot(File, State, Engine) ->
    case file:read_file(File) of
        {ok, Text} -> boot_text(Text, State, Engine);
        {error, Reason} -> {error, {file, Reason}, State}
    end.

%% @doc Runs the text of a boot file (boot/3; the format is
%% plc_mgmt_codec:boot_commands/1).
-spec boot_text(binary(), state(), engine()) -> {ok, state()} | {error, boot_error(), state()} | {killed, state()}.
boot_text(Text, State, Engine) ->
    boot_lines(plc_mgmt_codec:boot_commands(Text), State, Engine).

boot_lines([], State, _Engine) ->
    {ok, State};
boot_lines([{N, missing_separator} | _], State, _Engine) ->
    {error, {N, missing_separator}, State};
boot_lines([{N, Dst, Request} | Rest], State, Engine) ->
    case run_text(Dst, Request, State, Engine) of
        {ok, State1} -> boot_lines(Rest, State1, Engine);
        {failed, Response, State1} -> {error, {N, Response}, State1};
        {close, State1} -> {killed, State1}
    end.

run_text(Dst, Request, State, Engine) ->
    case plc_mgmt_codec:parse_request(Request) of
        {ok, Id, Command} ->
            case handle(Dst, {Id, Command}, State, Engine) of
                {reply, Response, State1} ->
                    case binary:match(Response, <<" Reason=\"">>) of
                        nomatch -> {ok, State1};
                        _ -> {failed, Response, State1}
                    end;
                {close, State1} ->
                    {close, State1}
            end;
        {error, Id, Reason} ->
            {failed, plc_mgmt_codec:error(Id, Reason), State}
    end.

%% MGR_ID's value: a WSTRING or STRING literal (IDE 3.0 quotes it, `"a:1"';
%% a typed one, `WSTRING#"a:1"'), or the bare text IDE 2.x sends.
mgr_id(Value) ->
    Text = case binary:split(Value, <<"#">>) of
               [Prefix, Rest] when Prefix =/= <<>> ->
                   case key(Prefix) of
                       P when P =:= <<"WSTRING">>; P =:= <<"STRING">> -> Rest;
                       _ -> Value
                   end;
               _ -> Value
           end,
    case Text of
        <<Q, Inner/binary>> when (Q =:= $" orelse Q =:= $'), byte_size(Inner) >= 1 ->
            case binary:last(Inner) of
                Q -> {ok, binary:part(Inner, 0, byte_size(Inner) - 1)};
                _ -> error
            end;
        <<Q, _/binary>> when Q =:= $"; Q =:= $' -> error;
        <<>> -> error;
        _ -> {ok, Text}
    end.

%%% Names

%% @doc An FB type name as the IDE sends it: `pkg__sub__Type' is `Type'.
-spec resolve_type(binary()) -> binary().
resolve_type(Type) ->
    lists:last(binary:split(Type, <<"__">>, [global])).

%% The library's type for a type name as the IDE sends it: `pkg__Type'
%% (resolve_type/1), or a configurable FB's `pkg__Type_1pkg__Config'
%% (IDE 3.0's ForteTypeNameCreator: `_1' separates the configuration,
%% FORTE's BASE_cfg of a generic GEN_BASE), the type before the first `_1'
%% that names one, when the whole name names none. The configuration
%% itself is not used: a generic type's ports take their types at START
%% from their connections (PUBLISH_2 is a library type of its own).
find_type(Name, Engine) ->
    Lookup = maps:get(type, Engine),
    case Lookup(resolve_type(Name)) of
        {ok, Info} -> {ok, Info};
        {error, not_found} -> configured_type(Name, [At || {At, _} <- binary:matches(Name, <<"_1">>), At > 0], Lookup)
    end.

configured_type(_Name, [], _Lookup) ->
    {error, not_found};
configured_type(Name, [At | More], Lookup) ->
    case resolve_type(binary:part(Name, 0, At)) of
        <<>> -> configured_type(Name, More, Lookup);
        Base ->
            case Lookup(Base) of
                {ok, Info} -> {ok, Info};
                {error, not_found} -> configured_type(Name, More, Lookup)
            end
    end.

start_type(Engine) ->
    case (maps:get(type, Engine))(<<"E_RESTART">>) of
        {ok, Info} -> {ok, #{type => <<"E_RESTART">>, info => Info}};
        Error -> Error
    end.

valid_name(Name) ->
    Parts = binary:split(Name, <<".">>, [global]),
    lists:all(fun(P) -> P =/= <<>> end, Parts) andalso byte_size(Name) =< 1024.

%% "A.B.PORT" -> {"A.B", "PORT"}
split(Name) ->
    case binary:matches(Name, <<".">>) of
        [] -> {<<>>, Name};
        Dots ->
            {At, 1} = lists:last(Dots),
            {binary:part(Name, 0, At), binary:part(Name, At + 1, byte_size(Name) - At - 1)}
    end.

fb_of(Port) -> element(1, split(Port)).

add_new(X, List) ->
    case lists:member(X, List) of
        true -> List;
        false -> List ++ [X]
    end.

key(Bin) -> << <<(if C >= $a, C =< $z -> C - 32; true -> C end)>> || <<C>> <= Bin >>.

name_of(Dst, #{resources := Names}) ->
    hd([N || N <- Names, key(N) =:= key(Dst)]).

update(Name, State = #{resource := Rs}, F) ->
    State#{resource := Rs#{key(Name) := F(maps:get(key(Name), Rs))}}.
