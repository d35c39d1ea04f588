%%% @doc One IEC 61499 resource: owns its native handle and drives it.
%%%
%%% Protocol. Events enter through `plc_nif:post/4' (a lock-free enqueue)
%%% followed by a `run' message to this process. On `run' the process
%%% calls `plc_nif:run/1', which executes one bounded slice on a dirty
%%% scheduler and says what comes next: `more' (send ourselves `run'
%%% again, so other messages interleave), `{wait, Ns}' (a timer is due:
%%% arm an Erlang timer) or `idle'. Observed output events arrive from the
%%% NIF as `{plc_output, Fb, Event, Data}' and are forwarded to every
%%% subscriber as `{plc_event, ResourcePid, <<"Fb.Event">>, Data}'. Alarms
%%% (a full queue, an algorithm that used up its slice, a run-time fault in
%%% an algorithm) are logged and sent to every subscriber as
%%% `{plc_alarm, ResourcePid, Alarm}'. Process-image writes (MIO_OUT) arrive
%%% as `{plc_io, Fb, Address, Value}' and go to every subscriber as
%%% `{plc_io, ResourcePid, Address, Value}'.
-module(plc_resource).
-behaviour(gen_server).

%% API
-export([start_link/2, inject/3, subscribe/3, write_input/3]).
%% gen_server callbacks
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-type options() :: #{subscribers => [pid()],   % receive every observed event
                     observe => [binary()]}.   % "Fb.EventOutput" to observe
-export_type([options/0]).

-record(state, {
    handle :: plc_nif:handle(),
    subscribers = [] :: [pid()],
    run_pending = false :: boolean(),        % a `run' message is in our mailbox
    timer = undefined :: undefined | reference()
}).

%%% API

-spec start_link(plc_nif:network(), options()) -> {ok, pid()} | {error, term()}.
start_link(Network, Options) ->
    gen_server:start_link(?MODULE, {Network, Options}, []).

%% @doc Queues event input `Fb.Event' with the given input values.
-spec inject(pid(), binary(), [{binary(), term()}]) -> ok.
inject(Pid, Port, Values) ->
    gen_server:call(Pid, {inject, Port, Values}).

%% @doc Sends `Subscriber' every event of output `Fb.Event'.
-spec subscribe(pid(), binary(), pid()) -> ok.
subscribe(Pid, Port, Subscriber) ->
    gen_server:call(Pid, {subscribe, Port, Subscriber}).

%% @doc Writes process-image input `Address' (a MIO_IN's ADDR).
-spec write_input(pid(), binary(), boolean()) -> ok.
write_input(Pid, Address, Value) ->
    gen_server:call(Pid, {write_input, Address, Value}).

%%% gen_server callbacks

-spec init({plc_nif:network(), options()}) -> {ok, #state{}} | {stop, term()}.
init({Network, Options}) ->
    case plc_nif:resource_new(maps:merge(#{library => plc:library()}, Network)) of
        {ok, Handle} ->
            [ok = observe(Handle, Port) || Port <- maps:get(observe, Options, [])],
            ok = plc_nif:start(Handle, cold),
            State = #state{handle = Handle, subscribers = maps:get(subscribers, Options, [])},
            {ok, schedule_run(State)};
        {error, Reasons} ->
            {stop, {invalid_network, Reasons}}
    end.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call({inject, Port, Values}, _From, State = #state{handle = H}) ->
    {Fb, Event} = split_port(Port),
    ok = plc_nif:post(H, Fb, Event, Values),
    {reply, ok, schedule_run(State)};
handle_call({write_input, Address, Value}, _From, State = #state{handle = H}) ->
    ok = plc_nif:write_input(H, Address, Value),
    {reply, ok, schedule_run(State)};
handle_call({subscribe, Port, Pid}, _From, State = #state{handle = H, subscribers = Subs}) ->
    ok = observe(H, Port),
    {reply, ok, State#state{subscribers = lists:usort([Pid | Subs])}}.

-spec handle_cast(term(), #state{}) -> no_return().
handle_cast(Msg, _State) ->
    error({unexpected_cast, Msg}).

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
handle_info(run, State) ->
    {noreply, run(State#state{run_pending = false})};
handle_info({timeout, Ref, wake}, State = #state{timer = Ref}) ->
    {noreply, run(State#state{timer = undefined})};
handle_info({timeout, _Stale, wake}, State) ->
    {noreply, State};
handle_info({plc_output, Fb, Event, Data}, State = #state{subscribers = Subs}) ->
    Msg = {plc_event, self(), <<Fb/binary, ".", Event/binary>>, Data},
    [Pid ! Msg || Pid <- Subs],
    {noreply, State};
handle_info({plc_io, _Fb, Address, Value}, State = #state{subscribers = Subs}) ->
    [Pid ! {plc_io, self(), Address, Value} || Pid <- Subs],
    {noreply, State};
handle_info({plc_overflow, Fb, Event, Total} = Alarm, State) ->
    logger:warning("plc resource ~p: event queue full, ~s.~s refused (~b dropped in all)",
                   [self(), Fb, Event, Total]),
    {noreply, alarm(Alarm, State)};
handle_info({plc_runaway, Fb} = Alarm, State) ->
    logger:warning("plc resource ~p: an algorithm of ~s used up its slice and is still running", [self(), Fb]),
    {noreply, alarm(Alarm, State)};
handle_info({plc_fault, Fb, Algorithm, What} = Alarm, State) ->
    logger:error("plc resource ~p: ~s in ~s/~s; the algorithm was stopped", [self(), What, Fb, Algorithm]),
    {noreply, alarm(Alarm, State)}.

%%% Internal

alarm(Alarm, State = #state{subscribers = Subs}) ->
    [Pid ! {plc_alarm, self(), Alarm} || Pid <- Subs],
    State.

run(State = #state{handle = H}) ->
    case plc_nif:run(H) of
        more -> schedule_run(State);
        idle -> State;
        {wait, Ns} -> arm_timer(State, Ns)
    end.

schedule_run(State = #state{run_pending = true}) ->
    State;
schedule_run(State) ->
    self() ! run,
    State#state{run_pending = true}.

arm_timer(State = #state{timer = Old}, Ns) ->
    Old =/= undefined andalso erlang:cancel_timer(Old),
    Ms = (Ns + 999999) div 1000000,
    State#state{timer = erlang:start_timer(Ms, self(), wake)}.

observe(Handle, Port) ->
    {Fb, Event} = split_port(Port),
    plc_nif:observe(Handle, Fb, Event).

split_port(Port) when is_binary(Port) ->
    case string:split(Port, ".", trailing) of
        [Fb, Event] when Fb =/= <<>>, Event =/= <<>> -> {Fb, Event};
        _ -> error({badarg, <<"not of the form FB.PORT: ", Port/binary>>})
    end;
split_port(Port) ->
    error({badarg, Port}).
