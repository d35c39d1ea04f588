%%% @doc Top supervisor of plc.
%%%
%%% ```
%%% plc_sup (one_for_one)              owns the ETS tables of plc_mon and plc_dist
%%% ├── plc_mon                        registry, subscriptions, alarms, nodes
%%% ├── plc_runtime_sup (one_for_one)  this node's resources
%%% │   ├── {system, Name}: plc_system_sup (one_for_one, temporary), one per system
%%% │   │   ├── plc_dist               a system spread over nodes only
%%% │   │   └── <<"Device.Resource">>: plc_resource ...
%%% │   └── Id: plc_resource ...       standalone resources (plc:start_resource)
%%% ├── plc_mgmt_sup                   4diac's management protocol
%%% └── plc_com_sup                    communication blocks' channels (plc_com_sup)
%%% '''
%%%
%%% The tables are created here, in the supervisor's own process, so that
%%% their owner is the one process whose end ends plc anyway: plc_mon (a
%%% registry and a monitor, cheap to restart) can crash and come back
%%% without a resource noticing, hence one_for_one, not rest_for_one. The
%%% resources do not call plc_mon on any path that has to succeed: they
%%% write the tables themselves and only ask plc_mon to monitor them.
-module(plc_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    ok = plc_mon:create_tables(),
    Mon = #{id => plc_mon, start => {plc_mon, start_link, []}},
    Runtime = #{id => plc_runtime_sup,
                start => {plc_runtime_sup, start_link, []},
                type => supervisor, shutdown => infinity},
    Mgmt = #{id => plc_mgmt_sup, start => {plc_mgmt_sup, start_link, []},
             type => supervisor, shutdown => infinity},
    Com = #{id => plc_com_sup, start => {plc_com_sup, start_link, []}, type => supervisor, shutdown => infinity},
    %% plc_mon's restart is cheap and restarts no resource (its state is in
    %% the tables above), so it may crash often before the node gives up;
    %% plc_runtime_sup itself crashes only on a bug.
    {ok, {#{strategy => one_for_one, intensity => 50, period => 10}, [Mon, Runtime, Mgmt, Com]}}.
