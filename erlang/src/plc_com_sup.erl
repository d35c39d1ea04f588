%%% @doc The supervisor of the communication channels (plc_com_channel) of
%%% every resource on this node, and of the `pg' scope `plc_com' that the
%%% `plc[GROUP]' channels join.
%%%
%%% ```
%%% plc_com_sup (one_for_one)
%%% ├── plc_com: pg scope
%%% └── plc_com_channels (simple_one_for_one, temporary children)
%%% '''
%%% A channel is temporary: its resource started it (plc_com) and monitors
%%% it, and answers its block `terminated' when it dies; the block's next
%%% INIT opens a new one. A channel monitors its resource and ends with it.
%%% Neither a channel's crash nor this supervisor's restart restarts a
%%% resource (plc_sup: one_for_one).
-module(plc_com_sup).
-behaviour(supervisor).

-export([start_link/0, start_channel/1]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, top).

%% @doc Starts a channel (plc_com_channel:start_link/1's arguments).
-spec start_channel(map()) -> {ok, pid()} | {error, term()}.
start_channel(Args) ->
    try supervisor:start_child(plc_com_channels, [Args]) of
        {ok, Pid} when is_pid(Pid) -> {ok, Pid};
        {error, Reason} -> {error, Reason}
    catch
        exit:Reason -> {error, Reason}  % plc_com_sup is down or restarting
    end.

-spec init(top | channels) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init(top) ->
    Scope = #{id => plc_com, start => {pg, start_link, [plc_com]}},
    Channels = #{id => plc_com_channels, type => supervisor, shutdown => infinity,
                 start => {supervisor, start_link, [{local, plc_com_channels}, ?MODULE, channels]}},
    {ok, {#{strategy => one_for_one, intensity => 10, period => 10}, [Scope, Channels]}};
init(channels) ->
    Channel = #{id => plc_com_channel, start => {plc_com_channel, start_link, []},
                restart => temporary, shutdown => 1000},
    {ok, {#{strategy => simple_one_for_one, intensity => 100, period => 10}, [Channel]}}.
