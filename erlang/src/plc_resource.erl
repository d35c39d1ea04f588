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
%%% Subscriptions are kept by plc_mon under the resource's id, so a
%%% resource restarted by its supervisor (cold: START.COLD fires again)
%%% serves them again.
-module(plc_resource).
-behaviour(gen_server).

%% API
-export([start_link/3, call/2]).
%% gen_server callbacks
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-type options() :: #{subscribers => [pid()],          % receive every observed event, alarms and I/O
                     observe => [binary()] | all,     % "Fb.EventOutput" sent to the subscribers;
                                                      % all: every FB's but the START block's
                     gate => binary() | {local, binary()}}.  % START waits for plc_dist, or for
                                                               % every resource of the system here
-export_type([options/0]).

-record(state, {
    id :: plc_mon:id(),
    handle :: plc_nif:handle(),
    listeners = [] :: [pid()],
    watches = #{} :: #{{binary(), pid()} => {{binary(), binary()}, term()}},
    remote = [] :: [{binary(), pid()}],      % subscribers on other nodes, by output (upper case)
    remote_monitors = #{} :: #{pid() => reference()},
    started = false :: boolean(),            % START has fired
    run_pending = false :: boolean(),        % a `run' message is in our mailbox
    timer = undefined :: undefined | reference()  % the backstop of the next deadline
}).

%%% API

-spec start_link(plc_mon:id(), plc_nif:spec(), options()) -> {ok, pid()} | {error, term()}.
start_link(Id, Spec, Options) ->
    gen_server:start_link(?MODULE, {Id, Spec, Options}, []).

%% @doc A request to the resource's server (subscriptions, watches, reads).
-spec call(pid(), term()) -> term().
call(Pid, Request) ->
    gen_server:call(Pid, Request).

%%% gen_server callbacks

-spec init({plc_mon:id(), plc_nif:spec(), options()}) -> {ok, #state{}} | {stop, term()}.
init({Id, Spec, Options}) ->
    Loaded = case Spec of
                 #{system := _} -> plc_nif:resource_new(Spec);
                 _ -> plc_nif:resource_new(maps:merge(#{library => plc:library()}, Spec))
             end,
    case Loaded of
        {ok, Handle} ->
            Subscribers = maps:get(subscribers, Options, []),
            Observe = case maps:get(observe, Options, []) of
                          all -> [<<Fb/binary, ".", Eo/binary>> || {Fb, Type, _, Outs} <- plc_nif:describe(Handle),
                                                                   Type =/= <<"E_RESTART">>, Eo <- Outs];
                          Ports -> Ports
                      end,
            State0 = #state{id = Id, handle = Handle, listeners = lists:usort(Subscribers)},
            State1 = lists:foldl(fun(Pid, S0) ->
                                         lists:foldl(fun(Port, S) -> {ok, S1} = subscribe_nif(Port, Pid, S), S1 end,
                                                     S0, Observe)
                                 end, State0, Subscribers),
            State = lists:foldl(fun restore/2, State1, plc_mon:subscriptions(Id)),
            ok = plc_mon:register_resource(Id, self(), Handle),
            %% START now, or when plc_dist opens the system's gate.
            Started = case maps:get(gate, Options, undefined) =:= undefined
                          orelse plc_dist:gate(maps:get(gate, Options)) =:= open of
                          true -> ok = plc_nif:start(Handle, cold), true;
                          false -> false
                      end,
            {ok, schedule_run(State#state{started = Started})};
        {error, Reasons} ->
            {stop, {invalid_network, Reasons}}
    end.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call({subscribe, Port, Pid}, _From, State = #state{id = Id}) ->
    case safe(fun() -> subscribe_nif(Port, Pid, State) end) of
        {ok, State1} ->
            ok = plc_mon:add_subscription(Id, {event, Port}, Pid),
            {reply, ok, listen(Pid, State1)};
        Error ->
            {reply, Error, State}
    end;
handle_call({unsubscribe, Port, Pid}, _From, State = #state{id = Id}) ->
    ok = plc_mon:remove_subscription(Id, {event, Port}, Pid),
    case safe(fun() -> unsubscribe_nif(Port, Pid, State) end) of
        {ok, State1} -> {reply, ok, State1};
        Error -> {reply, Error, State}
    end;
handle_call({watch, Var, Pid}, _From, State = #state{id = Id, handle = H}) ->
    case safe(fun() ->
                      {Fb, Name} = plc:split_name(Var),
                      {{Fb, Name}, plc_nif:read(H, [{Fb, Name}])}
              end) of
        {{Fb, Name}, [Value]} ->
            ok = plc_mon:add_subscription(Id, {watch, Var}, Pid),
            Watches = (State#state.watches)#{{Var, Pid} => {{Fb, Name}, Value}},
            {reply, {ok, Value}, listen(Pid, State#state{watches = Watches})};
        Error ->
            {reply, Error, State}
    end;
handle_call({unwatch, Var, Pid}, _From, State = #state{id = Id, watches = W}) ->
    ok = plc_mon:remove_subscription(Id, {watch, Var}, Pid),
    {reply, ok, State#state{watches = maps:remove({Var, Pid}, W)}};
handle_call({listen, Pid}, _From, State = #state{id = Id}) ->
    ok = plc_mon:add_subscription(Id, listen, Pid),
    {reply, ok, listen(Pid, State)};
handle_call(handle, _From, State = #state{handle = H}) ->
    {reply, H, State}.

-spec handle_cast(term(), #state{}) -> no_return().
handle_cast(Msg, _State) ->
    error({unexpected_cast, Msg}).

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
handle_info(plc_wake, State = #state{run_pending = true}) ->
    {noreply, State};
handle_info(plc_wake, State) ->
    {noreply, run(State)};
handle_info(run, State) ->
    {noreply, run(State#state{run_pending = false})};
handle_info({timeout, Ref, wake}, State = #state{timer = Ref}) ->
    {noreply, run(State#state{timer = undefined})};
handle_info({timeout, _Stale, wake}, State) ->
    {noreply, State};
handle_info({plc_start, _Mode}, State = #state{started = true}) ->
    {noreply, State};
handle_info({plc_start, Mode}, State = #state{handle = H}) ->
    ok = plc_nif:start(H, Mode),
    {noreply, schedule_run(State#state{started = true})};
handle_info({'DOWN', Ref, process, Pid, _}, State = #state{remote_monitors = M}) when is_map_key(Pid, M) ->
    %% A subscriber on another node is gone: stop forwarding to it.
    Ref = maps:get(Pid, M),
    Ports = lists:usort([P || {P, S} <- State#state.remote, S =:= Pid]),
    State1 = lists:foldl(fun(Port, S) ->
                                 case safe(fun() -> unsubscribe_nif(Port, Pid, S) end) of
                                     {ok, S1} -> S1;
                                     _ -> S
                                 end
                         end, State#state{remote_monitors = maps:remove(Pid, M)}, Ports),
    {noreply, State1#state{listeners = State1#state.listeners -- [Pid]}};
handle_info({plc_event, Self, Port, Data}, State = #state{remote = Remote}) when Self =:= self() ->
    %% An output subscribed to by processes on other nodes.
    Key = string:uppercase(Port),
    [Pid ! {plc_event, Self, Port, Data} || {K, Pid} <- Remote, K =:= Key],
    {noreply, State};
handle_info({plc_io, _Fb, Address, Value}, State = #state{listeners = L}) ->
    [Pid ! {plc_io, self(), Address, Value} || Pid <- L],
    {noreply, State};
handle_info({plc_overflow, Fb, Event, Total} = Alarm, State) ->
    logger:warning("plc resource ~p: event queue full, ~s.~s refused (~b dropped in all)",
                   [State#state.id, Fb, Event, Total]),
    {noreply, alarm(Alarm, State)};
handle_info({plc_runaway, Fb} = Alarm, State) ->
    logger:warning("plc resource ~p: an algorithm of ~s used up its slice and is still running",
                   [State#state.id, Fb]),
    {noreply, alarm(Alarm, State)};
handle_info({plc_fault, Fb, Algorithm, What} = Alarm, State) ->
    logger:error("plc resource ~p: ~s in ~s/~s; the algorithm was stopped",
                 [State#state.id, What, Fb, Algorithm]),
    {noreply, alarm(Alarm, State)};
handle_info(_Other, State) ->
    {noreply, State}.

-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, _State) ->
    ok.

%%% Internal

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
            Pid ! {plc_watch, self(), Var, Value},
            listen(Pid, State#state{watches = W#{{Var, Pid} => {{Fb, Name}, Value}}});
        _ ->
            State
    end;
restore({listen, Pid}, State) ->
    listen(Pid, State).

listen(Pid, State = #state{listeners = L}) ->
    State#state{listeners = lists:usort([Pid | L])}.

alarm(Alarm, State = #state{id = Id, listeners = L}) ->
    ok = plc_mon:alarm(Id, Alarm),
    [Pid ! {plc_alarm, self(), Alarm} || Pid <- L],
    State.

run(State = #state{handle = H}) ->
    Next = plc_nif:run(H),
    State1 = check_watches(State),
    case Next of
        more -> schedule_run(cancel_timer(State1));
        idle -> cancel_timer(State1);
        {wait, Ns} -> backstop(State1, Ns)    % the NIF's alarm clock sends plc_wake then
    end.

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
                           Pid ! {plc_watch, self(), Name, New},
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
%% subscriber on another node come to this process, which forwards them.
subscribe_nif(Port, Pid, State = #state{handle = H, remote = Remote}) ->
    {Fb, Event} = plc:split_name(Port),
    case node(Pid) =:= node() of
        true ->
            ok = plc_nif:subscribe(H, Fb, Event, Pid),
            {ok, State};
        false ->
            ok = plc_nif:subscribe(H, Fb, Event, self()),
            M = State#state.remote_monitors,
            M1 = case M of
                     #{Pid := _} -> M;
                     _ -> M#{Pid => erlang:monitor(process, Pid)}
                 end,
            {ok, State#state{remote = lists:usort([{string:uppercase(Port), Pid} | Remote]), remote_monitors = M1}}
    end.

unsubscribe_nif(Port, Pid, State = #state{handle = H, remote = Remote}) ->
    {Fb, Event} = plc:split_name(Port),
    case node(Pid) =:= node() of
        true ->
            ok = plc_nif:unsubscribe(H, Fb, Event, Pid),
            {ok, State};
        false ->
            Key = string:uppercase(Port),
            Remote1 = Remote -- [{Key, Pid}],
            [ok = plc_nif:unsubscribe(H, Fb, Event, self()) || not lists:keymember(Key, 1, Remote1)],
            {ok, State#state{remote = Remote1}}
    end.

safe(F) ->
    try F()
    catch error:{badarg, Why} -> {error, Why}
    end.

