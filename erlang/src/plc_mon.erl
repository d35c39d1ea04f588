%%% @doc This node's monitor of plc resources: the registry of running
%%% resources, the subscriptions that outlive a resource's restart, and the
%%% alarms.
%%%
%%% - Registry (ETS `plc_registry', public reads): a resource's id (a name
%%%   such as `<<"Field.Ctl">>' or a reference) maps to its current process
%%%   and native handle, so that `plc:inject/3' enqueues from the caller's
%%%   own process without a round trip through the resource's server.
%%% - Subscriptions (ETS `plc_subscriptions'): output events and watched
%%%   variables per resource id. A restarted resource finds them again; a
%%%   subscriber that dies is removed from all of them.
%%% - Alarms: the last 100 (queue overflow, algorithm runaway, fault), and
%%%   the processes that receive each as `{plc_alarm, ResourcePid, Alarm}'.
%%% - Counters: `stats/0' gathers every resource's event counters and queue
%%%   depths.
%%% - Nodes: every node this one connects to, hidden ones included
%%%   (`net_kernel:monitor_nodes/2' with all node types): up or down, since
%%%   when, how often it went down (`nodes/0'). Distributed systems report
%%%   their links' alarms here too (`{plc_link_lost, Node, Total}',
%%%   `{plc_start_timeout, Nodes}', `{plc_version_mismatch, Node}'), under
%%%   the system's name.
-module(plc_mon).
-behaviour(gen_server).

-export([start_link/0]).
-export([register_resource/3, lookup/1, resources/0, stats/0]).
-export([add_subscription/3, remove_subscription/3, subscriptions/1]).
-export([alarm/2, alarms/0, subscribe_alarms/1, nodes/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-define(REGISTRY, plc_registry).
-define(SUBS, plc_subscriptions).
-define(MAX_ALARMS, 100).

-type id() :: binary() | reference().
-type subscription() :: {event, binary()} | {watch, binary()} | listen.
-type alarm() :: {plc_overflow, binary(), binary(), non_neg_integer()}
               | {plc_runaway, binary()}
               | {plc_fault, binary(), binary(), binary()}
               | {plc_link_lost, node(), non_neg_integer()}
               | {plc_start_timeout, [node()]}
               | {plc_dist_restart_lost, non_neg_integer()}
               | {plc_version_mismatch, node()}.
-export_type([id/0, subscription/0, alarm/0]).

-record(state, {
    alarms = [] :: [{integer(), id(), alarm()}],   % newest first
    alarm_subscribers = [] :: [pid()],
    watched = #{} :: #{pid() => reference()},      % monitored resources and subscribers
    nodes = #{} :: #{node() => #{up := boolean(), type := visible | hidden, since := integer(),
                                 downs := non_neg_integer()}},
    monitoring = false :: boolean()                % net_kernel:monitor_nodes/2 is on
}).

%%% API

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% @doc Called by a resource's server once its engine is loaded.
-spec register_resource(id(), pid(), plc_nif:handle()) -> ok.
register_resource(Id, Pid, Handle) ->
    gen_server:call(?MODULE, {register, Id, Pid, Handle}).

%% @doc The current process and handle of a resource (by id or pid).
-spec lookup(id() | pid()) -> {ok, id(), pid(), plc_nif:handle()} | {error, not_found}.
lookup(Pid) when is_pid(Pid) ->
    case ets:lookup(?REGISTRY, {pid, Pid}) of
        [{_, Id, Handle}] -> {ok, Id, Pid, Handle};
        [] -> {error, not_found}
    end;
lookup(Id) ->
    case ets:lookup(?REGISTRY, Id) of
        [{_, Pid, Handle}] -> {ok, Id, Pid, Handle};
        [] -> {error, not_found}
    end.

%% @doc Every running resource: id => pid.
-spec resources() -> #{id() => pid()}.
resources() ->
    maps:from_list([{Id, Pid} || {Id, Pid, _} <- ets:tab2list(?REGISTRY), not is_tuple(Id)]).

%% @doc Every running resource's counters: id => #{dispatched, dropped, queue_depth, ...}.
-spec stats() -> #{id() => plc_nif:stats()}.
stats() ->
    maps:from_list([{Id, S} || {Id, _Pid, H} <- ets:tab2list(?REGISTRY), not is_tuple(Id),
                               S <- [catch plc_nif:stats(H)], is_map(S)]).

-spec add_subscription(id(), subscription(), pid()) -> ok.
add_subscription(Id, What, Pid) ->
    gen_server:call(?MODULE, {subscribe, Id, What, Pid}).

-spec remove_subscription(id(), subscription(), pid()) -> ok.
remove_subscription(Id, What, Pid) ->
    ets:delete_object(?SUBS, {Id, What, Pid}),
    ok.

%% @doc The subscriptions of a resource, as {What, Pid}.
-spec subscriptions(id()) -> [{subscription(), pid()}].
subscriptions(Id) ->
    [{What, Pid} || {_, What, Pid} <- ets:lookup(?SUBS, Id)].

%% @doc Reports an alarm of a resource (logged by the resource itself).
-spec alarm(id(), alarm()) -> ok.
alarm(Id, Alarm) ->
    gen_server:cast(?MODULE, {alarm, Id, self(), Alarm}).

%% @doc The last alarms, oldest first: {MonotonicMs, ResourceId, Alarm}.
-spec alarms() -> [{integer(), id(), alarm()}].
alarms() ->
    gen_server:call(?MODULE, alarms).

%% @doc Sends `Pid' every alarm of every resource as {plc_alarm, ResourcePid, Alarm}.
-spec subscribe_alarms(pid()) -> ok.
subscribe_alarms(Pid) ->
    gen_server:call(?MODULE, {subscribe_alarms, Pid}).

%% @doc Every node seen since plc started (or since this node became
%% alive): whether it is connected now, visible or hidden, since when
%% (monotonic ms) and how many times its connection went down.
-spec nodes() -> #{node() => map()}.
nodes() ->
    gen_server:call(?MODULE, nodes).

%%% gen_server callbacks

-spec init([]) -> {ok, #state{}}.
init([]) ->
    ets:new(?REGISTRY, [named_table, public, set, {read_concurrency, true}]),
    ets:new(?SUBS, [named_table, public, bag]),
    %% plc_dist's state that outlives a restart of it (its gate, its counts).
    ets:new(plc_dist_state, [named_table, public, set]),
    {ok, monitor_nodes(#state{})}.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call({register, Id, Pid, Handle}, _From, State) ->
    case ets:lookup(?REGISTRY, Id) of
        [{_, Old, _}] -> ets:delete(?REGISTRY, {pid, Old});
        [] -> ok
    end,
    ets:insert(?REGISTRY, [{Id, Pid, Handle}, {{pid, Pid}, Id, Handle}]),
    {reply, ok, monitor_pid(Pid, State)};
handle_call({subscribe, Id, What, Pid}, _From, State) ->
    ets:delete_object(?SUBS, {Id, What, Pid}),
    ets:insert(?SUBS, {Id, What, Pid}),
    {reply, ok, monitor_pid(Pid, State)};
handle_call(nodes, _From, State0) ->
    State = monitor_nodes(State0),
    {reply, State#state.nodes, State};
handle_call(alarms, _From, State = #state{alarms = Alarms}) ->
    {reply, lists:reverse(Alarms), State};
handle_call({subscribe_alarms, Pid}, _From, State = #state{alarm_subscribers = Subs}) ->
    {reply, ok, monitor_pid(Pid, State#state{alarm_subscribers = lists:usort([Pid | Subs])})}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast({alarm, Id, From, Alarm}, State = #state{alarms = Alarms, alarm_subscribers = Subs}) ->
    [Pid ! {plc_alarm, From, Alarm} || Pid <- Subs],
    Entry = {erlang:monotonic_time(millisecond), Id, Alarm},
    {noreply, State#state{alarms = lists:sublist([Entry | Alarms], ?MAX_ALARMS)}}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
handle_info({'DOWN', _Ref, process, Pid, _Reason}, State = #state{watched = W, alarm_subscribers = Subs}) ->
    %% A resource: forget it unless it was already replaced.
    case ets:lookup(?REGISTRY, {pid, Pid}) of
        [{_, Id, _}] ->
            ets:delete(?REGISTRY, {pid, Pid}),
            case ets:lookup(?REGISTRY, Id) of
                [{_, Pid, _}] -> ets:delete(?REGISTRY, Id);
                _ -> ok
            end;
        [] -> ok
    end,
    %% A subscriber: its subscriptions go.
    ets:match_delete(?SUBS, {'_', '_', Pid}),
    {noreply, State#state{watched = maps:remove(Pid, W), alarm_subscribers = Subs -- [Pid]}};
handle_info({nodeup, Node, Info}, State = #state{nodes = Ns}) ->
    Old = maps:get(Node, Ns, #{downs => 0}),
    Type = proplists:get_value(node_type, Info, visible),
    {noreply, State#state{nodes = Ns#{Node => Old#{up => true, type => Type,
                                                   since => erlang:monotonic_time(millisecond)}}}};
handle_info({nodedown, Node, Info}, State = #state{nodes = Ns}) ->
    Old = maps:get(Node, Ns, #{downs => 0, type => proplists:get_value(node_type, Info, visible)}),
    logger:notice("plc: node ~p is down (~p)", [Node, proplists:get_value(nodedown_reason, Info)]),
    {noreply, State#state{nodes = Ns#{Node => Old#{up => false, downs => maps:get(downs, Old) + 1,
                                                   since => erlang:monotonic_time(millisecond)}}}};
handle_info(_Other, State) ->
    {noreply, State}.

%%% Internal

%% Node events, hidden nodes included; possible once this node is alive.
monitor_nodes(State = #state{monitoring = true}) ->
    State;
monitor_nodes(State) ->
    case is_alive() andalso net_kernel:monitor_nodes(true, [{node_type, all}, nodedown_reason]) of
        ok ->
            Now = erlang:monotonic_time(millisecond),
            Up = [{N, #{up => true, type => T, since => Now, downs => 0}}
                  || {T, Ns} <- [{visible, erlang:nodes(visible)}, {hidden, erlang:nodes(hidden)}], N <- Ns],
            State#state{monitoring = true, nodes = maps:merge(maps:from_list(Up), State#state.nodes)};
        _ ->
            State
    end.

monitor_pid(Pid, State = #state{watched = W}) ->
    case W of
        #{Pid := _} -> State;
        _ -> State#state{watched = W#{Pid => erlang:monitor(process, Pid)}}
    end.
