%%% @doc The supervisor of this node's management servers
%%% (plc_mgmt_server, one per device served with plc:serve_management/1,2).
%%% Each is a transient child: it is restarted when it crashes, not when a
%%% device KILL or plc:stop_management/1 ends it.
-module(plc_mgmt_sup).
-behaviour(supervisor).

-export([start_link/0, start_server/1, stop_server/1]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% @doc Starts a management server under this supervisor.
-spec start_server(plc_mgmt_server:options()) -> {ok, pid()} | {ok, undefined} | {error, term()}.
start_server(Options) ->
    Spec = plc_mgmt_server:child_spec(Options),
    case supervisor:start_child(?MODULE, Spec) of
        {ok, undefined} -> _ = supervisor:delete_child(?MODULE, maps:get(id, Spec)), {ok, undefined};
        {ok, Pid} -> {ok, Pid};
        {error, {Reason, _Child}} when not is_atom(Reason) orelse Reason =/= already_present -> {error, Reason};
        {error, _} = Error -> Error
    end.

%% @doc Stops a management server for good.
-spec stop_server(pid()) -> ok | {error, not_found}.
stop_server(Pid) ->
    case [Id || {Id, P, _, _} <- supervisor:which_children(?MODULE), P =:= Pid] of
        [Id] ->
            ok = supervisor:terminate_child(?MODULE, Id),
            supervisor:delete_child(?MODULE, Id);
        [] ->
            {error, not_found}
    end.

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, []}}.
