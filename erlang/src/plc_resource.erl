%%% @doc One IEC 61499 resource: owns its native handle and drives it.
%%%
%%% Protocol. Events enter through `plc_nif:post/4' (an enqueue,
%%% done by `plc:inject/3' in the caller's own process); the NIF then wakes
%%% this process with one `plc_wake' message. On `plc_wake' (or `run') the
%%% process calls `plc_nif:run/1', which executes one bounded slice on a
%%% scheduler (a short step on this normal scheduler, the rest on a dirty
%%% one) and says what comes next: `more' (send ourselves `run' again, so
%%% other messages interleave), `{wait, Ns}' (a timer is due: the NIF's
%%% alarm clock sends `plc_wake' at the deadline, and an Erlang timer a
%%% millisecond later at most is its backstop) or `idle'. An idle resource
%%% uses no CPU.
%%%
%%% Priority. A resource waits at `high' process priority and works at
%%% `normal': while it is idle or waiting for a timer, the first slice after
%%% a wake-up (a deadline, an event from outside) is scheduled before every
%%% normal process, so an E_CYCLE keeps its period on a node whose
%%% schedulers are all busy; a resource that still has work after that slice
%%% (`more') drops to `normal' until it waits again, so an event storm in one
%%% resource cannot starve the node's other processes.
%%%
%%% Output events go from the engine straight to their subscribers as
%%% `{plc_event, ResourcePid, <<"Fb.Event">>, Data}'. Watched variables are
%%% read after each slice that did work and sent on change as
%%% `{plc_watch, ResourcePid, <<"Fb.Var">>, Value}'. Alarms (a full queue,
%%% an algorithm that used up its slice, a run-time fault) are logged,
%%% reported to plc_mon and sent to this resource's listeners as
%%% `{plc_alarm, ResourcePid, Alarm}'; process-image writes (MIO_OUT) go to
%%% them as `{plc_io, ResourcePid, Address, Value}'. The listeners are the
%%% `subscribers' of the start options and every process subscribed to
%%% anything of the resource.
%%%
%%% RETAIN. With `retain_dir', the values of the resource's RETAIN
%%% variables are saved in that directory (plc_retain) after each slice
%%% that changed one, at most every `retain_interval' ms (default 0:
%%% after every such slice, so a crash loses at most the events of the
%%% slice it interrupted). `retain_write' says who waits for the disk:
%%% `sync' (the default) saves in this process, so the next slice runs
%%% once the image is on the disk (a write and an fsync: the program
%%% pauses for them); `async' hands the image to a writer process
%%% (plc_retain:start_writer/2, newest image wins), so the program never
%%% waits for the disk and a crash loses what changed since the last save
%%% that completed. When this process starts (the first time, after
%%% a crash, after the node or the device restarted) with an image in the
%%% store, the image is restored before START, and START fires WARM
%%% instead of COLD. The image is captured between slices and never
%%% while a slice is paused inside an algorithm, so it holds only complete
%%% events.
%%%
%%% Subscriptions are kept by plc_mon under the resource's id, so a
%%% resource restarted by its supervisor (cold: START.COLD fires again)
%%% serves them again. A resource that crashes more than 5 times within
%%% 10 s gives itself up as it starts again (plc_mon:start_allowed/1: the
%%% alarm `{plc_gave_up, Crashes, Ms}', its supervisor keeps it stopped).
%%%
%%% Hostile input. This process holds a running program, so no message
%%% restarts or stalls it: a cast, a call of an unknown shape or with
%%% malformed arguments, an unknown info message, from any process or
%%% node, is logged size-bounded and rate-limited (plc_mon:stray/3) and
%%% dropped; a call is answered `{error, bad_request}' or
%%% `{error, Reason}'. Exits are trapped, so an exit signal from another
%%% process than the supervisor is such a message too. Subscribers must be pids or `{Name, Node}' (atoms):
%%% call/2 raises badarg in the caller, the server answers an error, and
%%% nothing is stored. The engine's messages (`plc_overflow', `plc_runaway',
%%% `plc_fault', `plc_test_end') carry no proof of their origin, so each is checked against
%%% the engine's own counters before it is reported as an alarm: an
%%% overflow's total is at most the `dropped' count, and there are never
%%% more runaways or faults than `budget_pauses' and `faults' say; an FB the
%%% resource does not have, a malformed message, or one beyond the counts
%%% is dropped as forged. (One forged within the counts, while a genuine
%%% one is in flight, still passes: the NIF would have to sign its messages.)
%%% The crash report of a crash, if one happens anyway, prints the last
%%% message and the reason bounded (format_status/1).
-module(plc_resource).
-behaviour(gen_server).

%% API
-export([start_link/3, call/2]).
%% gen_server callbacks
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, format_status/1]).

-type options() :: #{subscribers => [plc_mon:subscriber()],  % receive every observed event, alarms and I/O
                     observe => [binary()] | all,     % "Fb.EventOutput" sent to the subscribers;
                                                      % all: every FB's but the START block's
                     gate => binary() | {local, binary()},  % START waits for plc_dist, or for
                                                             % every resource of the system here
                     forces => [{binary(), term()}],  % "Fb.Var" forced before START fires
                     manager => pid(),  % runs the commands of management blocks (plc_mgmt_server)
                     retain_dir => file:filename_all(),  % the store of the RETAIN variables (plc_retain)
                     retain_interval => non_neg_integer(),  % ms at least between two saves
                     retain_write => sync | async}.         % who waits for the disk
-export_type([options/0]).

-define(RUN_OUT_MS, 200).      % the longest a STOP runs its event chain on
-define(RECONFIGURE_MS, 500).  % the longest a reconfiguration waits for a paused algorithm
-define(WRITER_STOP_MS, 5000). % the longest a stopping resource waits for its retain writer

%% The store of the RETAIN variables and what was saved last.
-record(retain, {
    store :: plc_retain:store(),
    interval :: non_neg_integer(),          % ms at least between two saves
    last = <<>> :: binary(),                 % the image saved last
    saved_at = undefined :: undefined | integer(),  % when (monotonic ms)
    flush = undefined :: undefined | reference(),   % a save due at the interval's end
    writer = undefined :: undefined | pid()         % retain_write async: the process that saves
}).

-record(state, {
    id :: plc_mon:id(),
    handle :: plc_nif:handle(),
    listeners = [] :: [plc_mon:subscriber()],
    watches = #{} :: #{{binary(), plc_mon:subscriber()} => {{binary(), binary()}, term()}},
    remote = [] :: [{binary(), plc_mon:subscriber()}],  % subscribers the engine can't send to (on other
                                                        % nodes, or {Name, Node}), by output (upper case)
    remote_monitors = #{} :: #{plc_mon:subscriber() => reference()},
    fbs = undefined :: undefined | [binary()],  % upper case, once an alarm needed them
    runaways = 0 :: non_neg_integer(),          % runaway alarms reported
    faults = 0 :: non_neg_integer(),            % fault alarms reported
    test_ends = 0 :: non_neg_integer(),         % STEST_END alarms reported
    started = false :: boolean(),            % START has fired
    stopped_at = undefined :: undefined | integer(),  % held by a STOP since (monotonic ns)
    manager = undefined :: undefined | pid(),         % for management blocks' commands
    run_pending = false :: boolean(),        % a `run' message is in our mailbox
    timer = undefined :: undefined | reference(),  % the backstop of the next deadline
    priority = normal :: high | normal,            % this process's priority (see Priority above)
    com = plc_com:new() :: plc_com:com(),          % the communication blocks' channels
    retain = undefined :: undefined | #retain{},   % the RETAIN variables' store, if any
    warm = false :: boolean()                      % START fires WARM: values were restored
}).

%%% API

-spec start_link(plc_mon:id(), plc_nif:spec(), options()) -> {ok, pid()} | {error, term()}.
start_link(Id, Spec, Options) ->
    gen_server:start_link(?MODULE, {Id, Spec, Options}, []).

%% @doc A request to the resource's server (subscriptions, watches, reads).
%% Raises `{badarg, Reason}' for a subscriber that is not a pid or
%% `{Name, Node}', before anything is sent.
-spec call(pid(), term()) -> term().
call(Pid, Request) ->
    ok = check_request(Request),
    gen_server:call(Pid, Request).

check_request({subscribe, _Port, Pid}) -> plc_mon:check_subscriber(Pid);
check_request({unsubscribe, _Port, Pid}) -> plc_mon:check_subscriber(Pid);
check_request({watch, _Var, Pid}) -> plc_mon:check_subscriber(Pid);
check_request({unwatch, _Var, Pid}) -> plc_mon:check_subscriber(Pid);
check_request({listen, Pid}) -> plc_mon:check_subscriber(Pid);
check_request(_Request) -> ok.

%%% gen_server callbacks

-spec init({plc_mon:id(), plc_nif:spec(), options()}) -> {ok, #state{}} | {stop, term()} | ignore.
init({Id, Spec, Options}) ->
    %% An exit signal from any process but the supervisor comes as a
    %% message, logged and dropped like any stray one: only `kill' (or the
    %% supervisor) ends a resource.
    process_flag(trap_exit, true),
    case plc_mon:start_allowed(Id) of
        ok -> load(Id, Spec, Options);
        give_up -> ignore
    end.

load(Id, Spec0, Options) ->
    Spec = case plc_mon:network(Id) of
               {ok, Reconfigured} -> maps:merge(Spec0, Reconfigured);
               none -> Spec0
           end,
    Loaded = case Spec of
                 #{system := _} -> plc_nif:resource_new(Spec);
                 _ -> plc_nif:resource_new(maps:merge(#{library => plc:library()}, Spec))
             end,
    case Loaded of
        {ok, Handle} ->
            Subscribers = [S || S <- maps:get(subscribers, Options, []), valid_subscriber(S)],
            Observe = case maps:get(observe, Options, []) of
                          all -> [<<Fb/binary, ".", Eo/binary>> || {Fb, Type, _, Outs} <- plc_nif:describe(Handle),
                                                                   Type =/= <<"E_RESTART">>, Eo <- Outs];
                          Ports -> Ports
                      end,
            Manager = case maps:get(manager, Options, undefined) of
                          M when is_pid(M) -> M;
                          _ -> undefined
                      end,
            State0 = #state{id = Id, handle = Handle, listeners = lists:usort(Subscribers), manager = Manager},
            State1 = lists:foldl(fun(Pid, S0) ->
                                         lists:foldl(fun(Port, S) -> {ok, S1} = subscribe_nif(Port, Pid, S), S1 end,
                                                     S0, Observe)
                                 end, State0, Subscribers),
            State2 = lists:foldl(fun restore/2, State1, plc_mon:subscriptions(Id)),
            State = restore_retained(Options, State2),
            _ = [force_at_start(Handle, Port, Value) || {Port, Value} <- maps:get(forces, Options, [])],
            ok = plc_mon:register_resource(Id, self(), Handle),
            %% START now, or when plc_dist opens the system's gate.
            Started = case maps:get(gate, Options, undefined) =:= undefined
                          orelse plc_dist:gate(maps:get(gate, Options)) =:= open of
                          true -> ok = plc_nif:start(Handle, start_mode(cold, State)), true;
                          false -> false
                      end,
            {ok, schedule_run(State#state{started = Started})};
        {error, Reasons} ->
            {stop, {invalid_network, Reasons}}
    end.

-spec handle_call(term(), gen_server:from(), #state{}) ->
          {reply, term(), #state{}} | {reply, term(), #state{}, hibernate}.
handle_call(Request, From, State) ->
    case safe(fun() -> check_request(Request) end) of
        ok -> request(Request, From, State);
        Error -> stray(call, Request, State), {reply, Error, State, hibernate}
    end.

request({subscribe, Port, Pid}, _From, State = #state{id = Id}) ->
    case safe(fun() -> subscribe_nif(Port, Pid, State) end) of
        {ok, State1} ->
            ok = plc_mon:add_subscription(Id, {event, Port}, Pid),
            {reply, ok, listen(Pid, State1)};
        Error ->
            {reply, Error, State}
    end;
request({unsubscribe, Port, Pid}, _From, State = #state{id = Id}) ->
    ok = plc_mon:remove_subscription(Id, {event, Port}, Pid),
    case safe(fun() -> unsubscribe_nif(Port, Pid, State) end) of
        {ok, State1} -> {reply, ok, State1};
        Error -> {reply, Error, State}
    end;
request({watch, Var, Pid}, _From, State = #state{id = Id, handle = H}) ->
    case safe(fun() ->
                      {Fb, Name} = plc:split_name(Var),
                      {{Fb, Name}, plc_nif:read(H, [{Fb, Name}])}
              end) of
        {{Fb, Name}, [Value]} ->
            %% Every message of the engine is a valid term, inf and NaN
            %% included (the atoms infinity, neg_infinity, nan).
            ok = plc_mon:add_subscription(Id, {watch, Var}, Pid),
            Watches = (State#state.watches)#{{Var, Pid} => {{Fb, Name}, Value}},
            {reply, {ok, Value}, listen(Pid, State#state{watches = Watches})};
        Error ->
            {reply, Error, State}
    end;
request({unwatch, Var, Pid}, _From, State = #state{id = Id, watches = W}) ->
    ok = plc_mon:remove_subscription(Id, {watch, Var}, Pid),
    {reply, ok, State#state{watches = maps:remove({Var, Pid}, W)}};
request({listen, Pid}, _From, State = #state{id = Id}) ->
    ok = plc_mon:add_subscription(Id, listen, Pid),
    {reply, ok, listen(Pid, State)};
request({reconfigure, Network}, _From, State = #state{id = Id, handle = H}) when is_map(Network) ->
    case safe(fun() -> reconfigure_nif(H, maps:merge(#{library => plc:library()}, Network), 1000) end) of
        {ok, Report} ->
            ok = plc_mon:set_network(Id, maps:with([fbs, events, data], Network)),
            {reply, {ok, Report}, schedule_run(State#state{fbs = undefined})};
        Error ->
            {reply, Error, State}
    end;
request(stop_execution, _From, State = #state{stopped_at = undefined, handle = H}) ->
    ok = plc_nif:start(H, stop),
    State1 = run_out(H, 100, State),
    {reply, ok, cancel_timer(State1#state{stopped_at = erlang:monotonic_time(nanosecond)})};
request(stop_execution, _From, State) ->
    {reply, {error, not_running}, State};
request(start_execution, _From, State = #state{stopped_at = T, handle = H}) when is_integer(T) ->
    ok = plc_nif:start(H, {warm, erlang:monotonic_time(nanosecond) - T}),
    {reply, ok, schedule_run(State#state{stopped_at = undefined})};
request(start_execution, _From, State) ->
    {reply, {error, running}, State};
request(handle, _From, State = #state{handle = H}) ->
    {reply, H, State};
request(Request, _From, State) ->
    stray(call, Request, State),
    {reply, {error, bad_request}, State, hibernate}.

%% Nothing casts to a resource: logged and dropped. Hibernating collects
%% what a large stray term left on the heap.
-spec handle_cast(term(), #state{}) -> {noreply, #state{}, hibernate}.
handle_cast(Msg, State) ->
    stray(cast, Msg, State),
    {noreply, State, hibernate}.

-spec handle_info(term(), #state{}) ->
          {noreply, #state{}} | {noreply, #state{}, hibernate} | {stop, term(), #state{}}.
handle_info(plc_wake, State = #state{run_pending = true}) ->
    %% Ignored: a `run' is already in the mailbox; it runs the slice.
    {noreply, State};
handle_info(plc_wake, State) ->
    {noreply, run(State)};
handle_info(run, State) ->
    {noreply, run(State#state{run_pending = false})};
handle_info({timeout, Ref, wake}, State = #state{timer = Ref}) ->
    {noreply, run(State#state{timer = undefined})};
handle_info({timeout, Ref, retain}, State = #state{retain = #retain{flush = Ref} = R}) ->
    {noreply, save_retained(State#state{retain = R#retain{flush = undefined}})};
handle_info({'EXIT', W, Reason}, State = #state{retain = #retain{writer = W}}) ->
    %% The writer died (a bug: it logs failed saves and goes on): so does
    %% this resource, which its supervisor restarts warm from the store.
    {stop, {retain_writer, Reason}, State};
handle_info({timeout, _Stale, retain}, State) ->
    %% Ignored: a save already done (the timer was cancelled after it fired).
    {noreply, State};
handle_info({timeout, _Stale, wake}, State) ->
    %% Ignored: the backstop of a deadline already served (the timer was
    %% cancelled asynchronously, or replaced, after it had fired).
    {noreply, State};
handle_info({plc_start, Mode}, State = #state{started = true}) when Mode =:= cold; Mode =:= warm ->
    %% Ignored: START fires once per start of this process; a second
    %% plc_start (plc_dist's gate opening again after its restart) is late.
    {noreply, State};
handle_info({plc_start, Mode}, State = #state{handle = H}) when Mode =:= cold; Mode =:= warm ->
    ok = plc_nif:start(H, start_mode(Mode, State)),
    {noreply, schedule_run(State#state{started = true})};
handle_info({'DOWN', Ref, process, Pid, _}, State = #state{remote_monitors = M}) when map_get(Pid, M) =:= Ref ->
    %% A subscriber on another node is gone: stop forwarding to it.
    Ports = lists:usort([P || {P, S} <- State#state.remote, S =:= Pid]),
    State1 = lists:foldl(fun(Port, S) ->
                                 case safe(fun() -> unsubscribe_nif(Port, Pid, S) end) of
                                     {ok, S1} -> S1;
                                     _ -> S
                                 end
                         end, State#state{remote_monitors = maps:remove(Pid, M)}, Ports),
    {noreply, State1#state{listeners = State1#state.listeners -- [Pid]}};
handle_info({plc_event, Self, Port, Data}, State = #state{remote = Remote})
  when Self =:= self(), is_binary(Port), byte_size(Port) =< 1024, is_map(Data) ->
    %% An output subscribed to by processes the engine can't send to.
    Key = string:uppercase(Port),
    [send(Pid, {plc_event, Self, Port, Data}) || {K, Pid} <- Remote, K =:= Key],
    {noreply, State};
handle_info({plc_io, Fb, Address, Value}, State = #state{listeners = L}) when is_binary(Fb), is_binary(Address) ->
    [send(Pid, {plc_io, self(), Address, Value}) || Pid <- L],
    {noreply, State};
handle_info({plc_overflow, Fb, Event, Total} = Alarm, State)
  when is_binary(Fb), is_binary(Event), is_integer(Total), Total > 0 ->
    case engine_alarm(Fb, dropped, Total - 1, State) of
        {true, State1} ->
            logger:warning("plc resource ~0P: event queue full, ~s.~s refused (~b dropped in all)",
                           [State#state.id, 8, Fb, Event, Total]),
            {noreply, alarm(Alarm, State1)};
        {false, State1} ->
            {noreply, forged(Alarm, State1)}
    end;
handle_info({plc_runaway, Fb} = Alarm, State = #state{runaways = N}) when is_binary(Fb) ->
    case engine_alarm(Fb, budget_pauses, N, State) of
        {true, State1} ->
            logger:warning("plc resource ~0P: an algorithm of ~s used up its slice and is still running",
                           [State#state.id, 8, Fb]),
            {noreply, alarm(Alarm, State1#state{runaways = N + 1})};
        {false, State1} ->
            {noreply, forged(Alarm, State1)}
    end;
handle_info({plc_fault, Fb, Algorithm, What} = Alarm, State = #state{faults = N})
  when is_binary(Fb), is_binary(Algorithm), is_binary(What) ->
    case engine_alarm(Fb, faults, N, State) of
        {true, State1} ->
            logger:error("plc resource ~0P: ~s in ~s/~s; the algorithm was stopped",
                         [State#state.id, 8, What, Fb, Algorithm]),
            {noreply, alarm(Alarm, State1#state{faults = N + 1})};
        {false, State1} ->
            {noreply, forged(Alarm, State1)}
    end;
handle_info({plc_manage, Fb, Type, Inputs} = Msg, State = #state{handle = H, manager = Manager})
  when is_binary(Fb), is_binary(Type), is_map(Inputs) ->
    %% A management block's command (runtime/stdfb/management.h), for the
    %% manager to run; only while the block says it waits for one (the
    %% message carries no proof of its origin).
    case catch plc_nif:read(H, [{Fb, <<"$pending">>}]) of
        [true] when is_pid(Manager) ->
            send(Manager, {plc_manage, self(), Fb, Type, Inputs}),
            {noreply, State};
        [true] ->
            _ = plc_nif:manage_answer(H, Fb, <<"UNSUPPORTED_CMD">>),
            {noreply, State};
        _ ->
            {noreply, forged(Msg, State)}
    end;
handle_info({plc_test_end, Fb} = Alarm, State = #state{test_ends = N}) when is_binary(Fb) ->
    case engine_alarm(Fb, test_ends, N, State) of
        {true, State1} ->
            logger:notice("plc resource ~0P: ~s (STEST_END): the test run is over", [State#state.id, 8, Fb]),
            {noreply, alarm(Alarm, State1#state{test_ends = N + 1})};
        {false, State1} ->
            {noreply, forged(Alarm, State1)}
    end;
handle_info({plc_service, _, _, _, _, _} = Request, State = #state{handle = H, id = Id, com = C}) ->
    case plc_com:service(Request, H, Id, C) of
        {ok, C1} -> {noreply, State#state{com = C1}};
        stray -> stray(info, Request, State), {noreply, State}
    end;
handle_info({plc_com_alarm, Pid, Alarm} = Msg, State = #state{com = C}) when is_pid(Pid) ->
    case plc_com:is_channel(Pid, C) of
        true -> {noreply, alarm(Alarm, State)};
        false -> stray(info, Msg, State), {noreply, State}
    end;
handle_info({'DOWN', Ref, process, _Pid, Reason}, State = #state{handle = H, com = C}) ->
    case plc_com:down(Ref, Reason, H, C) of
        {ok, C1} -> {noreply, State#state{com = C1}};
        %% Ignored: only remote subscribers (matched above) and channels
        %% are monitored here; any other notice is stale or forged.
        not_ours -> {noreply, State}
    end;
handle_info(Info, State) ->
    stray(info, Info, State),
    {noreply, State, hibernate}.

%% A save the interval held back is done now.
%% The writer saves what it was given before this process ends.
-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, #state{retain = #retain{flush = Ref}} = State) when is_reference(Ref) ->
    stop_writer(save_retained(State));
terminate(_Reason, State) ->
    stop_writer(State).

stop_writer(#state{retain = #retain{writer = W}, id = Id}) when is_pid(W) ->
    case plc_retain:stop_writer(W, ?WRITER_STOP_MS) of
        ok -> ok;
        timeout -> logger:error("plc resource ~0P: the last retained values were not saved in ~b ms", [Id, 8, ?WRITER_STOP_MS])
    end;
stop_writer(_State) ->
    ok.

%% A crash report prints the last message and the reason bounded: a call
%% carrying 16 MB costs nothing to report.
-spec format_status(gen_server:format_status()) -> gen_server:format_status().
format_status(Status) ->
    maps:map(fun(message, M) -> plc_mon:bounded(M);
                (reason, R) -> plc_mon:bounded(R);
                (_, V) -> V
             end, Status).

%%% Internal

restore({_What, Pid}, State) when not (is_pid(Pid) orelse (is_tuple(Pid) andalso tuple_size(Pid) =:= 2)) ->
    %% Not a subscriber: never stored by plc_mon (it checks), but a table
    %% is public; a bad entry must not make every restart fail.
    State;
restore({{event, Port}, Pid}, State) ->
    case safe(fun() -> subscribe_nif(Port, Pid, State) end) of
        {ok, State1} -> listen(Pid, State1);
        _ -> listen(Pid, State)
    end;
restore({{watch, Var}, Pid}, State = #state{handle = H, watches = W}) ->
    case safe(fun() ->
                      {Fb, Name} = plc:split_name(Var),
                      {{Fb, Name}, plc_nif:read(H, [{Fb, Name}])}
              end) of
        {{Fb, Name}, [Value]} ->
            send(Pid, {plc_watch, self(), Var, Value}),
            listen(Pid, State#state{watches = W#{{Var, Pid} => {{Fb, Name}, Value}}});
        _ ->
            State
    end;
restore({listen, Pid}, State) ->
    listen(Pid, State);
restore(_Other, State) ->
    State.

listen(Pid, State = #state{listeners = L}) ->
    State#state{listeners = lists:usort([Pid | L])}.

alarm(Alarm, State = #state{id = Id, listeners = L}) ->
    ok = plc_mon:alarm(Id, Alarm),
    [send(Pid, {plc_alarm, self(), Alarm}) || Pid <- L],
    State.

forged(Msg, State) ->
    stray(forged_alarm, Msg, State),
    State.

stray(Kind, Msg, #state{id = Id}) ->
    plc_mon:stray({resource, Id}, Kind, Msg).

%% Whether an engine message names an FB of this resource and the engine's
%% counter `Stat' is beyond `Seen' (what the alarms taken so far account for).
engine_alarm(Fb, Stat, Seen, State) ->
    case has_fb(Fb, State) of
        {true, State1 = #state{handle = H}} -> {Seen < maps:get(Stat, plc_nif:stats(H), 0), State1};
        {false, State1} -> {false, State1}
    end.

%% Whether the resource has FB `Fb' (any case); the names are read once.
has_fb(Fb, State = #state{fbs = undefined, handle = H}) ->
    has_fb(Fb, State#state{fbs = [string:uppercase(N) || {N, _, _, _} <- plc_nif:describe(H)]});
has_fb(Fb, State = #state{fbs = Fbs}) ->
    {byte_size(Fb) =< 1024 andalso lists:member(string:uppercase(Fb), Fbs), State}.

valid_subscriber(S) ->
    try plc_mon:check_subscriber(S)
    catch error:{badarg, _} -> false
    end =:= ok.

%% `Pid' ! Msg, for a pid or a {Name, Node} that may not be registered.
send(Pid, Msg) ->
    try Pid ! Msg
    catch error:badarg -> ok
    end.

run(State = #state{stopped_at = T}) when is_integer(T) ->
    %% Held by a STOP: nothing runs until START.
    cancel_timer(State);
run(State = #state{handle = H}) ->
    Next = plc_nif:run(H),
    State1 = retain_changed(check_watches(State)),
    case Next of
        more -> schedule_run(priority(normal, cancel_timer(State1)));
        idle -> priority(high, cancel_timer(State1));
        {wait, Ns} -> priority(high, backstop(State1, Ns))  % the NIF's alarm clock sends plc_wake then
    end.

priority(P, State = #state{priority = P}) ->
    State;
priority(P, State) ->
    _ = process_flag(priority, P),
    State#state{priority = P}.

%% The NIF's alarm clock wakes us at the deadline, to the microsecond when
%% its thread gets a CPU at once; on a node whose schedulers keep every
%% core busy the OS may let it wait several milliseconds. An Erlang timer at
%% the deadline's next millisecond (schedulers check their timers while
%% busy) bounds that lateness; whichever comes first runs the resource.
backstop(State, Ns) ->
    At = (erlang:monotonic_time(nanosecond) + Ns + 999999) div 1000000,
    State1 = cancel_timer(State),
    State1#state{timer = erlang:start_timer(At, self(), wake, [{abs, true}])}.

cancel_timer(State = #state{timer = undefined}) ->
    State;
cancel_timer(State = #state{timer = Ref}) ->
    _ = erlang:cancel_timer(Ref, [{async, true}, {info, false}]),
    State#state{timer = undefined}.

check_watches(State = #state{watches = W}) when map_size(W) =:= 0 ->
    State;
check_watches(State = #state{handle = H, watches = W}) ->
    Keys = maps:keys(W),
    Values = plc_nif:read(H, [Var || K <- Keys, {Var, _} <- [maps:get(K, W)]]),
    W1 = lists:foldl(
           fun({{Name, Pid} = K, New}, Acc) ->
                   case maps:get(K, Acc) of
                       {_, New} -> Acc;
                       {Var, _Old} ->
                           send(Pid, {plc_watch, self(), Name, New}),
                           Acc#{K => {Var, New}}
                   end
           end, W, lists:zip(Keys, Values)),
    State#state{watches = W1}.

schedule_run(State = #state{run_pending = true}) ->
    State;
schedule_run(State) ->
    self() ! run,
    State#state{run_pending = true}.

%% The engine sends output events to local processes only: those for a
%% subscriber on another node (or named `{Name, Node}') come to this
%% process, which forwards them.
subscribe_nif(Port, Pid, State = #state{handle = H, remote = Remote}) ->
    {Fb, Event} = plc:split_name(Port),
    case direct(Pid) of
        true ->
            ok = plc_nif:subscribe(H, Fb, Event, Pid),
            {ok, State};
        false ->
            ok = plc_nif:subscribe(H, Fb, Event, self()),
            M = State#state.remote_monitors,
            M1 = case M of
                     #{Pid := _} -> M;
                     _ -> M#{Pid => plc_mon:monitor(Pid)}
                 end,
            {ok, State#state{remote = lists:usort([{string:uppercase(Port), Pid} | Remote]), remote_monitors = M1}}
    end.

unsubscribe_nif(Port, Pid, State = #state{handle = H, remote = Remote}) ->
    {Fb, Event} = plc:split_name(Port),
    case direct(Pid) of
        true ->
            ok = plc_nif:unsubscribe(H, Fb, Event, Pid),
            {ok, State};
        false ->
            Key = string:uppercase(Port),
            Remote1 = Remote -- [{Key, Pid}],
            [ok = plc_nif:unsubscribe(H, Fb, Event, self()) || not lists:keymember(Key, 1, Remote1)],
            {ok, State#state{remote = Remote1}}
    end.

%% The engine sends to local pids; this process forwards to the others.
direct(Pid) ->
    is_pid(Pid) andalso node(Pid) =:= node().

%% A force given with the start options, before START.COLD's chain runs;
%% one the engine refuses (no such variable, a wrong value) is logged.
force_at_start(H, Port, Value) ->
    Result = try {Fb, Var} = plc:split_name(Port), plc_nif:force(H, Fb, Var, Value)
             catch error:{badarg, Why} -> {error, Why}
             end,
    _ = Result =:= ok orelse logger:warning("plc resource: force of ~ts at start refused: ~p", [Port, Result]),
    ok.

%% The STOP event chain runs to its end (at most Slices slices and
%% ?RUN_OUT_MS: a storm of events is cut there, and the caller, 4diac IDE
%% through the management protocol, has its answer well within its 3 s
%% even when every event goes to a subscriber).
run_out(H, Slices, State) ->
    run_out(H, Slices, erlang:monotonic_time(millisecond) + ?RUN_OUT_MS, State).

run_out(H, Slices, Deadline, State) ->
    case plc_nif:run(H) of
        more when Slices > 0 ->
            case erlang:monotonic_time(millisecond) < Deadline of
                true -> run_out(H, Slices - 1, Deadline, State);
                false -> retain_changed(check_watches(State))
            end;
        _ ->
            retain_changed(check_watches(State))
    end.

%% A slice paused inside an algorithm cannot move: run it to its end
%% first, for at most Tries slices and ?RECONFIGURE_MS (an endless
%% algorithm never ends: the change is refused, `{error, busy}', in time
%% for the management protocol's 3 s).
reconfigure_nif(H, Network, Tries) ->
    reconfigure_nif(H, Network, Tries, erlang:monotonic_time(millisecond) + ?RECONFIGURE_MS).

reconfigure_nif(H, Network, Tries, Deadline) ->
    case plc_nif:reconfigure(H, Network) of
        {error, busy} = Busy when Tries > 0 ->
            _ = plc_nif:run(H),
            case erlang:monotonic_time(millisecond) < Deadline of
                true -> reconfigure_nif(H, Network, Tries - 1, Deadline);
                false -> Busy
            end;
        Result ->
            Result
    end.

%% The image in the store (if any) goes into the resource before START,
%% which then fires WARM. An image that does not fit the program at all
%% (garbage, another format) is logged and the resource starts cold.
restore_retained(#{retain_dir := Dir} = Options, State = #state{id = Id, handle = H}) ->
    Interval = maps:get(retain_interval, Options, 0),
    case plc_retain:open(Dir) of
        {ok, Store, Image} ->
            Writer = case maps:get(retain_write, Options, sync) of
                         async -> plc_retain:start_writer(Store, Id);
                         sync -> undefined
                     end,
            R = #retain{store = Store, interval = Interval, writer = Writer},
            Warm = Image =/= none andalso
                case plc_nif:retain_restore(H, Image) of
                    ok ->
                        true;
                    {ok, Dropped} ->
                        logger:warning("plc resource ~0P: retained values not restored (the program changed): ~0P",
                                       [Id, 8, Dropped, 30]),
                        true;
                    {error, Why} ->
                        logger:error("plc resource ~0P: retain image in ~ts refused, starting cold: ~0P",
                                     [Id, 8, Dir, Why, 10]),
                        false
                end,
            State#state{retain = R#retain{last = if Warm -> Image; true -> <<>> end}, warm = Warm};
        {error, Why} ->
            logger:error("plc resource ~0P: retain store ~ts cannot be opened: ~p", [Id, 8, Dir, Why]),
            State
    end;
restore_retained(_Options, State) ->
    State.

start_mode(cold, #state{warm = true}) -> warm;
start_mode(Mode, _State) -> Mode.

%% After a slice: a changed image is saved, at once or when the interval
%% since the last save is over. A resource without RETAIN variables stops
%% looking; a slice paused inside an algorithm is looked at after it ends.
retain_changed(State = #state{retain = undefined}) ->
    State;
retain_changed(State = #state{retain = #retain{flush = Ref}}) when is_reference(Ref) ->
    State;
retain_changed(State = #state{retain = R = #retain{last = Last, saved_at = At, interval = I}, handle = H}) ->
    case plc_nif:retain_capture(H) of
        none -> ok = stop_writer(State), State#state{retain = undefined};
        Last -> State;
        Image when is_binary(Image) ->
            Now = erlang:monotonic_time(millisecond),
            case At =:= undefined orelse Now - At >= I of
                true -> save(Image, Now, State);
                false -> State#state{retain = R#retain{flush = erlang:start_timer(At + I, self(), retain, [{abs, true}])}}
            end;
        _Busy -> State
    end.

save_retained(State = #state{retain = #retain{last = Last}, handle = H}) ->
    case plc_nif:retain_capture(H) of
        Image when is_binary(Image), Image =/= Last -> save(Image, erlang:monotonic_time(millisecond), State);
        _ -> State
    end.

save(Image, Now, State = #state{retain = R = #retain{writer = W}}) when is_pid(W) ->
    ok = plc_retain:save_async(W, Image),
    State#state{retain = R#retain{last = Image, saved_at = Now}};
save(Image, Now, State = #state{retain = R = #retain{store = Store}, id = Id}) ->
    case plc_retain:save(Store, Image) of
        {ok, Store1} ->
            State#state{retain = R#retain{store = Store1, last = Image, saved_at = Now}};
        {error, Why} ->
            %% Kept running: the values live on, the store retries at the next change.
            logger:error("plc resource ~0P: retained values not saved: ~p", [Id, 8, Why]),
            State#state{retain = R#retain{saved_at = Now}}
    end.

safe(F) ->
    try F()
    catch error:{badarg, Why} -> {error, Why}
    end.

