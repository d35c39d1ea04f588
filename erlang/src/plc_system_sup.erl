%%% @doc One system's part on this node: its plc_dist (a system spread over
%%% several nodes only, child id `plc_dist') and its resources (child id
%%% `<<"Device.Resource">>'), started in that order and stopped in the
%%% reverse one (plc_runtime_sup:stop_system/1: one call).
%%%
%%% one_for_one: a crash of plc_dist (a communication process, cheap to
%%% restart: its counts and its gate are kept in ETS) restarts no resource,
%%% and a resource that crashes is restarted alone, cold. Each resource
%%% gives itself up after a restart storm (see plc_runtime_sup), so the
%%% intensity is their budgets (6 crashes each in 10 s) plus 10 for
%%% plc_dist: this supervisor gives up only when plc_dist crashes more than
%%% 10 times in 10 s, or resources and plc_dist together fail beyond what
%%% each is allowed. It registers with plc_mon, which reports its end as
%%% `{plc_system_gone, Reason}' unless the system was stopped on purpose.
-module(plc_system_sup).
-behaviour(supervisor).

-export([start_link/2, start_dist/2, start_resource/4]).
-export([init/1]).

-define(DIST_INTENSITY, 10).
-define(RESOURCE_BUDGET, 6).   % plc_mon's ?MAX_RESTARTS + 1: the crash that gives it up
-define(PERIOD, 10).

-spec start_link(binary(), non_neg_integer()) -> {ok, pid()} | {error, term()}.
start_link(Name, Resources) ->
    supervisor:start_link(?MODULE, {Name, Resources}).

%% @doc Starts the system's plc_dist (before its resources).
-spec start_dist(pid(), plc_dist:config()) -> {ok, pid()} | {error, term()}.
start_dist(Sup, Config = #{system := System}) ->
    Child = #{id => plc_dist, start => {plc_dist, start_link, [Config]}, restart => transient, shutdown => 5000},
    plc_runtime_sup:start_child(Sup, Child, System).

%% @doc Starts one of the system's resources.
-spec start_resource(pid(), binary(), plc_nif:spec(), plc_resource:options()) -> {ok, pid()} | {error, term()}.
start_resource(Sup, Id, Spec, Options) ->
    ok = plc_mon:reset_restarts(Id),
    plc_runtime_sup:start_child(Sup, plc_runtime_sup:resource_child(Id, Spec, Options), Id).

-spec init({binary(), non_neg_integer()}) -> {ok, {supervisor:sup_flags(), []}}.
init({Name, Resources}) ->
    ok = plc_mon:register_system(Name, self()),
    Intensity = ?DIST_INTENSITY + ?RESOURCE_BUDGET * Resources,
    {ok, {#{strategy => one_for_one, intensity => Intensity, period => ?PERIOD}, []}}.
