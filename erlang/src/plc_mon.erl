%%% @doc This node's monitor of plc resources: the registry of running
%%% resources, the subscriptions that outlive a resource's restart, the
%%% alarms, and the systems whose part on this node is gone.
%%%
%%% The state lives in ETS tables that plc_sup creates and owns
%%% (create_tables/0), not in this process: plc_mon can crash and be
%%% restarted without losing the registry, a subscription or the alarm
%%% history, and without restarting a single resource. A restarted plc_mon
%%% monitors again every process the tables name (resources, subscribers,
%%% system supervisors); one that died meanwhile is cleaned up by the
%%% immediate `DOWN'.
%%%
%%% - Registry (ETS `plc_registry', public reads): a resource's id (a name
%%%   such as `<<"Field.Ctl">>' or a reference) maps to its current process
%%%   and native handle, so that `plc:inject/3' enqueues from the caller's
%%%   own process without a round trip through the resource's server.
%%%   Written by the registering resource itself (register_resource/3);
%%%   plc_mon only monitors it and removes it when it dies.
%%% - Subscriptions (ETS `plc_subscriptions'): output events and watched
%%%   variables per resource id. A restarted resource finds them again; a
%%%   subscriber that dies is removed from all of them. Subscribers are
%%%   pids or `{Name, Node}' (atoms), checked before they are stored.
%%% - Alarms (ETS `plc_alarms'): the last 100 (queue overflow, algorithm
%%%   runaway, fault, link losses, a resource given up, a system gone), and
%%%   the processes that receive each as `{plc_alarm, Pid, Alarm}'. An alarm
%%%   is recorded only when the process reporting it is one of plc's own:
%%%   the registered resource of that id, or a child of that system's
%%%   supervisor (its plc_dist). Any
%%%   other caller of alarm/2 is logged (rate-limited) and dropped, never
%%%   recorded, so a forger cannot push genuine alarms out of the history.
%%%   (Erlang does not authenticate local processes: one that writes the
%%%   public tables itself, or kills processes, has the run of the node.)
%%% - Restarts (ETS `plc_mon_state'): each resource's recent starts, so
%%%   that a resource in a restart storm gives itself up (start_allowed/1).
%%% - Systems: each system supervisor registers itself; one that goes down
%%%   without stop_system being asked (it gave up) raises
%%%   `{plc_system_gone, Reason}' under the system's name, and system/1
%%%   says `{gone, #{reason, at}}' from then on.
%%% - Nodes: every node this one connects to, hidden ones included
%%%   (`net_kernel:monitor_nodes/2' with all node types): up or down, since
%%%   when, how often it went down (`nodes/0').
%%%
%%% Stray input: any message of the wrong shape (cast, call or info, from
%%% any process or node) is logged size-bounded and rate-limited (stray/3)
%%% and dropped (then hibernating, which collects what a large term left
%%% on the heap); a call of the wrong shape is answered `{error, bad_request}'.
-module(plc_mon).
-behaviour(gen_server).

%% Tables (created by plc_sup) and this server
-export([create_tables/0, start_link/0, node_stopping/0]).
%% Registry and subscriptions
-export([register_resource/3, lookup/1, resources/0, stats/0]).
-export([add_subscription/3, remove_subscription/3, subscriptions/1, forget/1, check_subscriber/1]).
-export([set_network/2, network/1]).
%% Restarts of resources, systems
-export([reset_restarts/1, start_allowed/1, given_up/1]).
-export([register_system/2, forget_system/1, system/1]).
%% Alarms and nodes
-export([alarm/2, alarms/0, subscribe_alarms/1, nodes/0]).
%% Stray input, for every plc process that holds state worth keeping
-export([stray/3, bounded/1, monitor/1]).
%% gen_server callbacks
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, format_status/1]).

-define(REGISTRY, plc_registry).
-define(SUBS, plc_subscriptions).
-define(ALARMS, plc_alarms).
-define(STATE, plc_mon_state).
-define(DIST, plc_dist_state).     % plc_dist's, by name; here only so that it outlives plc_dist
-define(MAX_ALARMS, 100).
-define(MAX_RESTARTS, 5).          % restarts of one resource within ?RESTART_PERIOD_MS: beyond, given up
-define(RESTART_PERIOD_MS, 10000).
-define(STRAY_LINES, 10).          % stray lines logged per second and process; the rest counted
-define(DEPTH, 8).                 % how deep a stray term is printed
-define(CHARS, 400).               % and how many characters of it at most

-type id() :: binary() | reference().
-type subscriber() :: pid() | {atom(), node()}.
-type subscription() :: {event, binary()} | {watch, binary()} | listen.
-type alarm() :: {plc_overflow, binary(), binary(), non_neg_integer()}
               | {plc_runaway, binary()}
               | {plc_fault, binary(), binary(), binary()}
               | {plc_test_end, binary()}
               | {plc_link_lost, node(), non_neg_integer()}
               | {plc_start_timeout, [node()]}
               | {plc_dist_restart_lost, non_neg_integer()}
               | {plc_version_mismatch, node()}
               | {plc_gave_up, Crashes :: pos_integer(), PeriodMs :: pos_integer()}
               | {plc_system_gone, Reason :: term()}.
-export_type([id/0, subscriber/0, subscription/0, alarm/0]).

-record(state, {
    watched = #{} :: #{subscriber() => reference()},   % monitored resources, subscribers, system sups
    nodes = #{} :: #{node() => #{up := boolean(), type := visible | hidden, since := integer(),
                                 downs := non_neg_integer()}},
    monitoring = false :: boolean()                % net_kernel:monitor_nodes/2 is on
}).

%%% Tables and this server

%% @doc Creates the tables of plc_mon and plc_dist in the calling process,
%% which owns them from then on: plc_sup, in its init, so that they
%% outlive a crash of plc_mon or plc_dist.
-spec create_tables() -> ok.
create_tables() ->
    ?REGISTRY = ets:new(?REGISTRY, [named_table, public, set, {read_concurrency, true}]),
    ?SUBS = ets:new(?SUBS, [named_table, public, bag]),
    ?ALARMS = ets:new(?ALARMS, [named_table, public, ordered_set]),
    ?STATE = ets:new(?STATE, [named_table, public, set]),
    %% plc_dist's state that outlives a restart of it (its gate, its counts).
    ?DIST = ets:new(?DIST, [named_table, public, set]),
    ok.

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% @doc The node is stopping plc (plc_app:prep_stop/1): the system
%% supervisors that go down from now on were stopped, they did not give up.
-spec node_stopping() -> ok.
node_stopping() ->
    true = ets:insert(?STATE, {stopping, true}),
    ok.

%%% Registry and subscriptions

%% @doc Called by a resource's server once its engine is loaded (`Pid' is
%% the caller). Written here, in the caller: no round trip, and no wait
%% while plc_mon restarts; plc_mon is told to monitor it.
-spec register_resource(id(), pid(), plc_nif:handle()) -> ok.
register_resource(Id, Pid, Handle) when is_pid(Pid) ->
    case ets:lookup(?REGISTRY, Id) of
        [{_, Old, _}] -> ets:delete(?REGISTRY, {pid, Old});
        [] -> ok
    end,
    true = ets:insert(?REGISTRY, [{Id, Pid, Handle}, {{pid, Pid}, Id, Handle}]),
    monitor_later(Pid).

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

%% @doc Keeps `What' of resource `Id' for `Subscriber' (a pid or
%% `{Name, Node}'; raises badarg otherwise, nothing stored).
-spec add_subscription(id(), subscription(), subscriber()) -> ok.
add_subscription(Id, What, Subscriber) ->
    keep(Id, What, Subscriber).

%% Alarm subscribers are kept with the resources' subscribers, under the
%% key `alarms' (no resource id is an atom).
keep(Key, What, Subscriber) ->
    ok = check_subscriber(Subscriber),
    ets:delete_object(?SUBS, {Key, What, Subscriber}),
    true = ets:insert(?SUBS, {Key, What, Subscriber}),
    monitor_later(Subscriber).

-spec remove_subscription(id(), subscription(), subscriber()) -> ok.
remove_subscription(Id, What, Subscriber) ->
    ets:delete_object(?SUBS, {Id, What, Subscriber}),
    ok.

%% @doc The subscriptions of a resource, as {What, Subscriber}.
-spec subscriptions(id()) -> [{subscription(), subscriber()}].
subscriptions(Id) ->
    [{What, Pid} || {_, What, Pid} <- ets:lookup(?SUBS, Id)].

%% @doc The network a reconfigured resource (plc:reconfigure/2) runs now:
%% if its supervisor restarts it, it loads this one, not the network it
%% was started with.
-spec set_network(id(), plc_nif:network()) -> ok.
set_network(Id, Network) ->
    true = ets:delete(?SUBS, {network, Id}),
    true = ets:insert(?SUBS, {{network, Id}, network, Network}),
    ok.

%% @doc The network set by set_network/2, if any.
-spec network(id()) -> {ok, plc_nif:network()} | none.
network(Id) ->
    case ets:lookup(?SUBS, {network, Id}) of
        [{_, network, Network}] -> {ok, Network};
        [] -> none
    end.

%% @doc A resource stopped for good: its subscriptions, its network and
%% restart count go.
-spec forget(id()) -> ok.
forget(Id) ->
    true = ets:delete(?SUBS, Id),
    true = ets:delete(?SUBS, {network, Id}),
    reset_restarts(Id).

%% @doc `ok' for a pid or `{Name, Node}' (atoms); raises `{badarg, Reason}'.
-spec check_subscriber(term()) -> ok.
check_subscriber(Pid) when is_pid(Pid) -> ok;
check_subscriber({Name, Node}) when is_atom(Name), is_atom(Node) ->
    %% erlang:monitor/2 refuses a name on another node when this node is
    %% not distributed: refuse it here, where the caller hears of it.
    case Node =:= node() orelse is_alive() of
        true -> ok;
        false -> error({badarg, <<"a {Name, Node} subscriber on another node, but this node is not distributed">>})
    end;
check_subscriber(_Other) -> error({badarg, <<"a subscriber is a pid or {Name, Node}">>}).

%% @doc erlang:monitor/2 of a subscriber that never raises: one that cannot
%% be monitored (`{Name, Node}' once this node has stopped being
%% distributed) is reported down at once, with the returned reference.
-spec monitor(pid() | {atom(), node()}) -> reference().
monitor(Who) ->
    try
        erlang:monitor(process, Who)
    catch
        error:badarg ->
            Ref = make_ref(),
            self() ! {'DOWN', Ref, process, Who, noconnection},
            Ref
    end.

%%% Restarts and systems

%% @doc A resource is started on purpose (not restarted): its count of
%% restarts starts again.
-spec reset_restarts(id()) -> ok.
reset_restarts(Id) ->
    true = ets:delete(?STATE, {starts, Id}),
    true = ets:delete(?STATE, {given_up, Id}),
    ok.

%% @doc Called by a resource's server as it starts: `ok', or `give_up'
%% when this start would be its ?MAX_RESTARTS + 1-th restart within
%% ?RESTART_PERIOD_MS (recorded, and alarmed as `{plc_gave_up, Crashes, Ms}':
%% it crashed Crashes times, each start within the last Ms).
-spec start_allowed(id()) -> ok | give_up.
start_allowed(Id) ->
    Now = erlang:monotonic_time(millisecond),
    Starts = [T || T <- case ets:lookup(?STATE, {starts, Id}) of
                            [{_, Ts}] -> Ts;
                            [] -> []
                        end, Now - T < ?RESTART_PERIOD_MS],
    case length(Starts) > ?MAX_RESTARTS of
        false ->
            true = ets:insert(?STATE, {{starts, Id}, [Now | Starts]}),
            ok;
        true ->
            true = ets:insert(?STATE, {{given_up, Id}, Now}),
            logger:error("plc resource ~0P: ~b crashes within ~b ms; given up (plc:start_resource or "
                         "plc:start_system starts it again)", [Id, ?DEPTH, length(Starts), ?RESTART_PERIOD_MS]),
            record(Id, self(), {plc_gave_up, length(Starts), ?RESTART_PERIOD_MS}),
            give_up
    end.

%% @doc Whether a resource was given up after a restart storm (and when,
%% monotonic ms).
-spec given_up(id()) -> {true, integer()} | false.
given_up(Id) ->
    case ets:lookup(?STATE, {given_up, Id}) of
        [{_, At}] -> {true, At};
        [] -> false
    end.

%% @doc Called by a system's supervisor (`Sup', the caller) as it starts.
-spec register_system(binary(), pid()) -> ok.
register_system(Name, Sup) when is_binary(Name), is_pid(Sup) ->
    Key = system_key(Name),
    true = ets:insert(?STATE, [{{system, Key}, Name, Sup}, {{system_pid, Sup}, Key}]),
    true = ets:delete(?STATE, {gone, Key}),
    monitor_later(Sup).

%% @doc A system is being stopped on purpose: its supervisor's end is no news.
-spec forget_system(binary()) -> ok.
forget_system(Name) ->
    Key = system_key(Name),
    case ets:lookup(?STATE, {system, Key}) of
        [{_, _, Sup}] -> true = ets:delete(?STATE, {system_pid, Sup});
        [] -> ok
    end,
    true = ets:delete(?STATE, {system, Key}),
    true = ets:delete(?STATE, {gone, Key}),
    ok.

%% @doc A system's part on this node: running (its supervisor), gone (it
%% gave up: why, and when in monotonic ms) or not started here.
-spec system(binary()) -> {running, pid()} | {gone, #{reason := term(), at := integer()}} | not_found.
system(Name) ->
    Key = system_key(Name),
    case ets:lookup(?STATE, {system, Key}) of
        [{_, _, Sup}] -> {running, Sup};
        [] ->
            case ets:lookup(?STATE, {gone, Key}) of
                [{_, Info}] -> {gone, Info};
                [] -> not_found
            end
    end.

system_key(Name) ->
    ok = plc_topology:check_name(Name),
    string:uppercase(Name).

%%% Alarms and nodes

%% @doc Reports an alarm (logged by the reporter itself). Recorded and sent
%% to the alarm subscribers only when the caller is the registered resource
%% `Id' or the plc_dist of system `Id'; dropped otherwise (see the module doc).
-spec alarm(id(), alarm()) -> ok.
alarm(Id, Alarm) ->
    case genuine(Id, self()) of
        true -> record(Id, self(), Alarm);
        false -> stray(?MODULE, forged_alarm, {Id, self(), Alarm})
    end.

%% The registered resource `Id' itself, or a child of system `Id''s
%% supervisor (its plc_dist). The parent is read from the caller's own
%% proc_lib ancestors: no call to the supervisor, no atom made from `Id'.
genuine(Id, Pid) ->
    case ets:lookup(?REGISTRY, {pid, Pid}) of
        [{_, Id, _}] -> true;
        _ -> is_binary(Id) andalso byte_size(Id) =< 1024 andalso system_child(Id)
    end.

system_child(Id) ->
    case get('$ancestors') of
        [Parent | _] when is_pid(Parent) ->
            ets:lookup(?STATE, {system_pid, Parent}) =:= [{{system_pid, Parent}, system_key(Id)}];
        _ ->
            false
    end.

record(Id, From, Alarm) ->
    true = ets:insert(?ALARMS, {erlang:unique_integer([monotonic]), erlang:monotonic_time(millisecond),
                                Id, Alarm}),
    trim(ets:info(?ALARMS, size) - ?MAX_ALARMS),
    [send(Pid, {plc_alarm, From, Alarm}) || {_, _, Pid} <- ets:lookup(?SUBS, alarms)],
    ok.

trim(N) when N =< 0 -> ok;
trim(N) ->
    case ets:first(?ALARMS) of
        '$end_of_table' -> ok;
        Key -> ets:delete(?ALARMS, Key), trim(N - 1)
    end.

%% @doc The last alarms, oldest first: {MonotonicMs, Id, Alarm}.
-spec alarms() -> [{integer(), id(), alarm()}].
alarms() ->
    [{T, Id, A} || {_, T, Id, A} <- ets:tab2list(?ALARMS)].

%% @doc Sends `Subscriber' every alarm as {plc_alarm, ReporterPid, Alarm}.
-spec subscribe_alarms(subscriber()) -> ok.
subscribe_alarms(Subscriber) ->
    keep(alarms, alarms, Subscriber).

%% @doc Every node seen since plc started (or since this node became
%% alive): whether it is connected now, visible or hidden, since when
%% (monotonic ms) and how many times its connection went down.
-spec nodes() -> #{node() => map()}.
nodes() ->
    gen_server:call(?MODULE, nodes).

%%% Stray input

%% @doc Logs a message `Who' (a process's name or id) did not expect and
%% drops it: printed at most ?DEPTH deep and ?CHARS characters (a 16 MB
%% term costs nothing), at most ?STRAY_LINES lines a second per process,
%% the others counted and the count logged with the next line.
-spec stray(term(), atom(), term()) -> ok.
stray(Who, Kind, Msg) ->
    Second = erlang:monotonic_time(second),
    {Logged, Suppressed} = case get(plc_stray) of
                               {Second, L, S} -> {L, S};
                               {_Before, _, S} -> {0, S};
                               undefined -> {0, 0}
                           end,
    case Logged < ?STRAY_LINES of
        true ->
            More = case Suppressed of
                       0 -> "";
                       _ -> io_lib:format(" (and ~b more not logged)", [Suppressed])
                   end,
            logger:warning("plc ~ts: dropped ~s: ~ts~s", [bounded(Who), Kind, bounded(Msg), More]),
            put(plc_stray, {Second, Logged + 1, 0});
        false ->
            put(plc_stray, {Second, Logged, Suppressed + 1})
    end,
    ok.

%% @doc A term printed ?DEPTH deep, in at most ?CHARS characters.
-spec bounded(term()) -> binary().
bounded(Term) ->
    unicode:characters_to_binary(io_lib:format("~0P", [Term, ?DEPTH], [{chars_limit, ?CHARS}])).

%%% gen_server callbacks

-spec init([]) -> {ok, #state{}}.
init([]) ->
    %% After a restart: monitor again every process the tables name.
    Pids = [P || {{pid, P}, _, _} <- ets:tab2list(?REGISTRY)]
        ++ [P || {_, _, P} <- ets:tab2list(?SUBS)]
        ++ [P || {{system_pid, P}, _} <- ets:tab2list(?STATE)],
    State = lists:foldl(fun monitor_pid/2, #state{}, lists:usort(Pids)),
    Nodes = case ets:lookup(?STATE, nodes) of
                [{_, Ns}] -> Ns;
                [] -> #{}
            end,
    {ok, monitor_nodes(State#state{nodes = Nodes})}.

-spec handle_call(term(), gen_server:from(), #state{}) ->
          {reply, term(), #state{}} | {reply, term(), #state{}, hibernate}.
handle_call(nodes, _From, State0) ->
    State = monitor_nodes(State0),
    {reply, State#state.nodes, State};
handle_call(Request, From, State) ->
    stray(?MODULE, call, {Request, From}),
    {reply, {error, bad_request}, State, hibernate}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}} | {noreply, #state{}, hibernate}.
handle_cast({monitor, Pid}, State) when is_pid(Pid); is_tuple(Pid), tuple_size(Pid) =:= 2,
                                                     is_atom(element(1, Pid)), is_atom(element(2, Pid)) ->
    {noreply, monitor_pid(Pid, State)};
handle_cast(Msg, State) ->
    stray(?MODULE, cast, Msg),
    {noreply, State, hibernate}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}} | {noreply, #state{}, hibernate}.
handle_info({'DOWN', Ref, process, Pid, Reason}, State = #state{watched = W}) when map_get(Pid, W) =:= Ref ->
    resource_down(Pid),
    system_down(Pid, Reason),
    %% A subscriber: its subscriptions go.
    ets:match_delete(?SUBS, {'_', '_', Pid}),
    {noreply, State#state{watched = maps:remove(Pid, W)}};
handle_info({'DOWN', _Ref, process, _Pid, _Reason}, State) ->
    %% Ignored: a monitor of a previous plc_mon can't reach us, so this is
    %% a forged or stale notice; the live monitor's DOWN does the cleanup.
    {noreply, State};
handle_info({nodeup, Node, Info}, State = #state{nodes = Ns}) when is_atom(Node), is_list(Info) ->
    Old = maps:get(Node, Ns, #{downs => 0}),
    Type = proplists:get_value(node_type, Info, visible),
    {noreply, save_nodes(State#state{nodes = Ns#{Node => Old#{up => true, type => Type,
                                                            since => erlang:monotonic_time(millisecond)}}})};
handle_info({nodedown, Node, Info}, State = #state{nodes = Ns}) when is_atom(Node), is_list(Info) ->
    Old = maps:get(Node, Ns, #{downs => 0, type => proplists:get_value(node_type, Info, visible)}),
    logger:notice("plc: node ~p is down (~0P)", [Node, proplists:get_value(nodedown_reason, Info), ?DEPTH]),
    {noreply, save_nodes(State#state{nodes = Ns#{Node => Old#{up => false, downs => maps:get(downs, Old) + 1,
                                                            since => erlang:monotonic_time(millisecond)}}})};
handle_info(Info, State) ->
    stray(?MODULE, info, Info),
    {noreply, State, hibernate}.

%% The last message and the state of a crash report, bounded.
-spec format_status(gen_server:format_status()) -> gen_server:format_status().
format_status(Status) ->
    maps:map(fun(message, M) -> bounded(M);
                (reason, R) -> bounded(R);
                (_, V) -> V
             end, Status).

%%% Internal

%% A resource: forget it unless it was already replaced.
resource_down(Pid) ->
    case ets:lookup(?REGISTRY, {pid, Pid}) of
        [{_, Id, _}] ->
            ets:delete(?REGISTRY, {pid, Pid}),
            case ets:lookup(?REGISTRY, Id) of
                [{_, Pid, _}] -> ets:delete(?REGISTRY, Id);
                _ -> ok
            end;
        [] -> ok
    end.

%% A system supervisor that went down without forget_system/1 (nor the
%% node stopping): it gave up.
system_down(Pid, Reason) ->
    case ets:lookup(?STATE, {system_pid, Pid}) of
        [{_, Key}] ->
            ets:delete(?STATE, {system_pid, Pid}),
            case ets:member(?STATE, stopping) of
                true -> ok;
                false -> system_gone(Key, Pid, Reason)
            end;
        [] -> ok
    end.

system_gone(Key, Pid, Reason) ->
    Now = erlang:monotonic_time(millisecond),
    case ets:lookup(?STATE, {system, Key}) of
        [{_, Name, Pid}] ->
            ets:delete(?STATE, {system, Key}),
            ets:insert(?STATE, {{gone, Key}, #{reason => Reason, at => Now}}),
            logger:error("plc system ~ts: its part on ~p is gone (~ts)", [Name, node(), bounded(Reason)]),
            record(Name, Pid, {plc_system_gone, Reason});
        [{_, Name, _Restarted}] ->
            %% Started again before this notice came: it was gone meanwhile.
            logger:error("plc system ~ts: its part on ~p was gone (~ts)", [Name, node(), bounded(Reason)]),
            record(Name, Pid, {plc_system_gone, Reason});
        [] ->
            ok
    end.

%% Asks plc_mon to monitor `Pid'. A plc_mon restarting meanwhile finds the
%% pid in the tables in its init (the caller wrote them first).
monitor_later(Pid) ->
    gen_server:cast(?MODULE, {monitor, Pid}).

send(Pid, Msg) ->
    try Pid ! Msg
    catch error:badarg -> ok      % a {Name, Node} that is not registered (now)
    end.

save_nodes(State = #state{nodes = Ns}) ->
    true = ets:insert(?STATE, {nodes, Ns}),
    State.

%% Node events, hidden nodes included; possible once this node is alive.
monitor_nodes(State = #state{monitoring = true}) ->
    State;
monitor_nodes(State) ->
    case is_alive() andalso net_kernel:monitor_nodes(true, [{node_type, all}, nodedown_reason]) of
        ok ->
            Now = erlang:monotonic_time(millisecond),
            Up = [{N, #{up => true, type => T, since => Now, downs => 0}}
                  || {T, Ns} <- [{visible, erlang:nodes(visible)}, {hidden, erlang:nodes(hidden)}], N <- Ns],
            save_nodes(State#state{monitoring = true, nodes = maps:merge(maps:from_list(Up), State#state.nodes)});
        _ ->
            State
    end.

monitor_pid(Pid, State = #state{watched = W}) ->
    case W of
        #{Pid := _} -> State;
        _ -> State#state{watched = W#{Pid => monitor(Pid)}}
    end.
