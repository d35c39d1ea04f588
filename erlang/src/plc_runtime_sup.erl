%%% @doc Supervises this node's part of plc's programs: one plc_system_sup
%%% per system started here (child id `{system, NAME}', upper case), and the
%%% standalone resources of plc:start_resource/2 (child id: the resource's
%%% id).
%%%
%%% Restart policy. A resource holds a running program: restarting it is a
%%% cold start that loses the program's state, so each resource polices
%%% its own restarts (plc_mon:start_allowed/1: more than 5 within 10 s and
%%% it gives itself up, with the alarm `{plc_gave_up, Crashes, Ms}'), and
%%% no supervisor above it ever gives up because of one resource. A
%%% supervisor per resource would do the same at the cost of one more
%%% process per resource (plants run thousands). This supervisor's own
%%% intensity (?INTENSITY in 10 s) only bounds a failure of that policy.
%%% A system supervisor is temporary: one that gave up stays down and is
%%% reported by plc_mon (plc:system_info/1 says `{error, {gone, Info}}').
-module(plc_runtime_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([start_resource/3, stop_resource/1]).
-export([start_system/2, stop_system/1, system_sup/1]).
%% Shared with plc_system_sup
-export([resource_child/3, start_child/3]).
-export([init/1]).

-define(INTENSITY, 1000).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% @doc A standalone resource (not part of a system).
-spec start_resource(plc_mon:id(), plc_nif:spec(), plc_resource:options()) -> {ok, pid()} | {error, term()}.
start_resource(Id, Spec, Options) ->
    ok = plc_mon:reset_restarts(Id),
    start_child(?MODULE, resource_child(Id, Spec, Options), Id).

%% @doc Stops a resource for good, standalone or of a system.
-spec stop_resource(plc_mon:id()) -> ok | {error, not_found}.
stop_resource(Id) ->
    Sups = [?MODULE | [Pid || {{system, _}, Pid, _, _} <- supervisor:which_children(?MODULE), is_pid(Pid)]],
    stop_in(Sups, Id).

stop_in([], _Id) ->
    {error, not_found};
stop_in([Sup | Rest], Id) ->
    case stop_child(Sup, Id) of
        ok -> ok;
        {error, not_found} -> stop_in(Rest, Id)
    end.

%% @doc Starts the supervisor of system `Name''s part on this node (it will
%% hold `Resources' resources).
-spec start_system(binary(), non_neg_integer()) -> {ok, pid()} | {error, term()}.
start_system(Name, Resources) ->
    Child = #{id => {system, string:uppercase(Name)},
              start => {plc_system_sup, start_link, [Name, Resources]},
              restart => temporary, shutdown => infinity, type => supervisor},
    start_child(?MODULE, Child, Name).

%% @doc Stops system `Name''s part on this node: its resources, then its plc_dist.
-spec stop_system(binary()) -> ok | {error, not_found}.
stop_system(Name) ->
    ok = plc_mon:forget_system(Name),
    stop_child(?MODULE, {system, string:uppercase(Name)}).

%% @doc The supervisor of system `Name''s part on this node.
-spec system_sup(binary()) -> pid() | undefined.
system_sup(Name) ->
    Id = {system, string:uppercase(Name)},
    case [Pid || {I, Pid, _, _} <- supervisor:which_children(?MODULE), I =:= Id, is_pid(Pid)] of
        [Pid] -> Pid;
        [] -> undefined
    end.

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    {ok, {#{strategy => one_for_one, intensity => ?INTENSITY, period => 10}, []}}.

%%% Shared with plc_system_sup

%% @doc A resource's child spec: transient (one stopped on purpose stays down).
-spec resource_child(plc_mon:id(), plc_nif:spec(), plc_resource:options()) -> supervisor:child_spec().
resource_child(Id, Spec, Options) ->
    #{id => Id, start => {plc_resource, start_link, [Id, Spec, Options]}, restart => transient, shutdown => 5000}.

%% @doc Starts `Child' under `Sup'; `Name' is what the errors name.
-spec start_child(supervisor:sup_ref(), supervisor:child_spec(), term()) -> {ok, pid()} | {error, term()}.
start_child(Sup, Child, Name) ->
    case supervisor:start_child(Sup, Child) of
        {ok, Pid} when is_pid(Pid) -> {ok, Pid};
        {ok, undefined} -> _ = supervisor:delete_child(Sup, maps:get(id, Child)), {error, gave_up};
        {error, {already_started, _Pid}} -> {error, {already_started, Name}};
        {error, already_present} -> {error, {already_started, Name}};
        {error, {Reason, _ChildSpec}} -> {error, Reason};
        {error, Reason} -> {error, Reason}
    end.

stop_child(Sup, Id) ->
    case supervisor:terminate_child(Sup, Id) of
        ok -> supervisor:delete_child(Sup, Id);
        {error, not_found} -> {error, not_found}
    end.
