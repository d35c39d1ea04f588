%%% @doc Top supervisor of plc: plc_mon (registry, subscriptions, alarms),
%%% then plc_runtime_sup (this node's resources). rest_for_one: the
%%% resources depend on plc_mon's tables.
-module(plc_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    Mon = #{id => plc_mon, start => {plc_mon, start_link, []}},
    Runtime = #{id => plc_runtime_sup,
                start => {plc_runtime_sup, start_link, []},
                type => supervisor},
    {ok, {#{strategy => rest_for_one, intensity => 5, period => 10}, [Mon, Runtime]}}.
