%%% @doc Supervises this node's resources, one plc_resource process each.
%%% A resource that crashes is restarted from the network it was started
%%% with (a cold restart: START.COLD fires again); the others keep running.
-module(plc_runtime_sup).
-behaviour(supervisor).

-export([start_link/0, start_resource/2]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec start_resource(plc_nif:network(), plc_resource:options()) -> {ok, pid()} | {error, term()}.
start_resource(Network, Options) ->
    supervisor:start_child(?MODULE, [Network, Options]).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    Resource = #{id => plc_resource,
                 start => {plc_resource, start_link, []},
                 restart => transient,
                 shutdown => 5000},
    {ok, {#{strategy => simple_one_for_one, intensity => 10, period => 10}, [Resource]}}.
