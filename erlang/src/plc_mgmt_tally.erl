%%% @doc The event counts of a plc device's watched event ports
%%% (`../shared/4diac-management.md' section 3 (c): an event port's watch
%%% shows how many events it had and the time of the last one).
%%%
%%% The engine sends a subscriber one message per output event. In an
%%% event storm (an output wired back into its own FB's input) that is
%%% millions of messages a second: were the device's process the
%%% subscriber, every management request would queue behind them and the
%%% IDE's 3 s would pass. So one tally process per device is the
%%% subscriber instead: it does nothing but count, into a public ETS table
%%% keyed by the resource's pid and the upper-case port name, and the
%%% device reads the table (and clears an entry for `$er') without a
%%% message to it; a resource that ends loses its counts (the tally
%%% monitors each resource it hears). It answers no request, so nothing
%%% ever waits behind its mailbox; its queue lives off its heap, so a long
%%% one costs no garbage collection of the counts.
-module(plc_mgmt_tally).

-export([start_link/0, stop/1, subscriber/1, count/3, reset/3]).

-export_type([tally/0]).

-opaque tally() :: {pid(), ets:tid()}.

%% @doc A tally linked to the caller, with its table (owned by the tally).
-spec start_link() -> tally().
start_link() ->
    Parent = self(),
    Pid = spawn_link(fun() ->
                             process_flag(message_queue_data, off_heap),
                             Table = ets:new(?MODULE, [public, set, {write_concurrency, true}]),
                             Parent ! {?MODULE, self(), Table},
                             loop(Table)
                     end),
    receive {?MODULE, Pid, Table} -> {Pid, Table} end.

-spec stop(tally()) -> ok.
stop({Pid, _}) ->
    unlink(Pid),
    exit(Pid, kill),
    ok.

%% @doc The process to subscribe to the engine's output events.
-spec subscriber(tally()) -> pid().
subscriber({Pid, _}) -> Pid.

%% @doc The events counted on `Port' (upper case) of the resource running
%% as `Resource', and the time of the last one (erlang:monotonic_time/1,
%% ms); `none' when it had none.
-spec count(tally(), pid(), binary()) -> {pos_integer(), integer()} | none.
count({_, Table}, Resource, Port) ->
    case ets:lookup(Table, {Resource, Port}) of
        [{_, N, T}] -> {N, T};
        [] -> none
    end.

%% @doc Counting starts again from 0 on `Port' of `Resource'.
-spec reset(tally(), pid(), binary()) -> ok.
reset({_, Table}, Resource, Port) ->
    true = ets:delete(Table, {Resource, Port}),
    ok.

loop(Table) ->
    receive
        {plc_event, Resource, Port, _Data} when is_pid(Resource), is_binary(Port) ->
            _ = get(Resource) =:= undefined andalso put(Resource, erlang:monitor(process, Resource)),
            Key = {Resource, upper(Port)},
            _ = ets:update_counter(Table, Key, {2, 1}, {Key, 0, 0}),
            true = ets:update_element(Table, Key, {3, erlang:monotonic_time(millisecond)}),
            loop(Table);
        {'DOWN', _, process, Resource, _} ->
            %% A resource that ended (KILL, a redeploy) counts no more.
            _ = erase(Resource),
            true = ets:match_delete(Table, {{Resource, '_'}, '_', '_'}),
            loop(Table);
        _ ->
            %% A subscriber also hears its resources' alarms and
            %% process-image writes: the device hears them itself.
            loop(Table)
    end.

upper(Bin) -> << <<(if C >= $a, C =< $z -> C - 32; true -> C end)>> || <<C>> <= Bin >>.
