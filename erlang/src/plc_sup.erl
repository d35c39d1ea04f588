%%% @doc Top supervisor of plc. Its one child, plc_runtime_sup, holds this
%%% node's resources.
-module(plc_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    Runtime = #{id => plc_runtime_sup,
                start => {plc_runtime_sup, start_link, []},
                type => supervisor},
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, [Runtime]}}.
