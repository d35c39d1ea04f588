%%% @doc Supervises this node's resources, one plc_resource process each.
%%% A resource that crashes is restarted from the spec it was started with
%%% (a cold restart: START.COLD fires again, its subscriptions are served
%%% again); the others keep running. A system spread over several nodes
%%% has its plc_dist here too (child id `{plc_dist, System}'), started
%%% before the system's resources.
-module(plc_runtime_sup).
-behaviour(supervisor).

-export([start_link/0, start_resource/3, stop_resource/1, start_dist/2, stop_dist/1]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec start_resource(plc_mon:id(), plc_nif:spec(), plc_resource:options()) -> {ok, pid()} | {error, term()}.
start_resource(Id, Spec, Options) ->
    start_child(Id, Id, {plc_resource, start_link, [Id, Spec, Options]}).

-spec start_dist(binary(), plc_dist:config()) -> {ok, pid()} | {error, term()}.
start_dist(System, Config) ->
    start_child({plc_dist, System}, System, {plc_dist, start_link, [Config]}).

start_child(Id, Name, Start) ->
    Child = #{id => Id, start => Start, restart => transient, shutdown => 5000},
    case supervisor:start_child(?MODULE, Child) of
        {ok, Pid} -> {ok, Pid};
        {error, {already_started, _Pid}} -> {error, {already_started, Name}};
        {error, already_present} -> {error, {already_started, Name}};
        {error, {Reason, _ChildSpec}} -> {error, Reason};
        {error, Reason} -> {error, Reason}
    end.

-spec stop_dist(binary()) -> ok | {error, not_found}.
stop_dist(System) ->
    stop_resource({plc_dist, System}).

-spec stop_resource(plc_mon:id() | {plc_dist, binary()}) -> ok | {error, not_found}.
stop_resource(Id) ->
    case supervisor:terminate_child(?MODULE, Id) of
        ok -> supervisor:delete_child(?MODULE, Id);
        Error -> Error
    end.

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 10, period => 10}, []}}.
