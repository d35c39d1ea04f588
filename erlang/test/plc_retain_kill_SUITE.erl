%%% RETAIN under `kill -9': a node runs a retained counter fed by E_CYCLE
%%% (every 5 ms) and is killed with SIGKILL at random moments (seeded), then
%%% started again with the same store. After every kill:
%%% - the store's newest image is complete and consistent: COUNT, CHECK
%%%   (7 * COUNT + 3) and TEXT ('n=' COUNT) saved together, never torn;
%%% - the restarted resource fires START.WARM and its WARMED event reports
%%%   exactly that image (START.COLD only when the first node was killed
%%%   before its first save);
%%% - the count never goes back: each image is at least the one before;
%%% - what was lost is at most the events of the last slice: the last
%%%   count the node sent out before it died (its CNF events, written by a
%%%   subscriber on the node to a file as they come, which a SIGKILL leaves
%%%   in the page cache) is at most the restored count plus the events that
%%%   came out with it in one burst, within half a period (a slice: one
%%%   event unless the node was held up for a whole 5 ms period).
%%% PLC_RETAIN_KILLS (default 10) and PLC_RETAIN_SEED (default 1) choose the
%%% run; tools/retain_kill_test.sh runs it by hand (100 kills) and prints
%%% the loss per kill, which PLC_RETAIN_REPORT names a file for.
-module(plc_retain_kill_SUITE).
-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, suite/0, init_per_testcase/2, end_per_testcase/2]).
-export([a_counter_killed_at_random_moments_keeps_its_count/1]).
%% Run on the peer.
-export([peer_run/3]).

suite() ->
    [{timetrap, {minutes, 30}}].

all() ->
    [a_counter_killed_at_random_moments_keeps_its_count].

init_per_testcase(_Case, Config) ->
    Config.

end_per_testcase(_Case, _Config) ->
    [catch peer:stop(P) || P <- get_peers()],
    ok.

%%% The case

a_counter_killed_at_random_moments_keeps_its_count(Config) ->
    Kills = list_to_integer(os:getenv("PLC_RETAIN_KILLS", "10")),
    Seed = list_to_integer(os:getenv("PLC_RETAIN_SEED", "1")),
    ct:timetrap({seconds, 60 + 10 * Kills}),
    _ = rand:seed(exsss, Seed),
    Dir = filename:join(?config(priv_dir, Config), "store"),
    Source = filename:join(data_dir(Config), "retain_counter.st"),
    Rows = kill_loop(Kills, Dir, Source, none, []),
    Losses = [L || #{loss := L} <- Rows],
    Summary = io_lib:format("~b kills (seed ~b): loss per kill min ~b max ~b (events), restored counts ~w~n"
                            "loss per kill: ~w~n"
                            "events of the last slice (burst) per kill: ~w~n",
                            [Kills, Seed, lists:min(Losses), lists:max(Losses),
                             [C || #{restored := C} <- Rows], Losses, [B || #{burst := B} <- Rows]]),
    ct:pal("~s", [Summary]),
    case os:getenv("PLC_RETAIN_REPORT") of
        false -> ok;
        File -> ok = file:write_file(File, Summary)
    end,
    %% The counter did count between the kills, and WARM fired every time.
    ?assert(lists:last([C || #{restored := C} <- Rows]) > 0),
    ?assertEqual(Kills - 1, length([warm || #{start := warm} <- tl(Rows)])).

%% One round: start a node, check what it restored, let it count for a
%% random while, kill it, read the store it left.
kill_loop(0, _Dir, _Source, _Durable, Rows) ->
    lists:reverse(Rows);
kill_loop(N, Dir, Source, Durable, Rows) ->
    {Peer, OsPid} = start_peer(),
    Log = filename:join(filename:dirname(Dir), "observed." ++ integer_to_list(N)),
    ok = peer:call(Peer, ?MODULE, peer_run, [Source, Dir, Log]),
    Start = wait_start(Peer),
    case Durable of
        none ->
            ?assertEqual(cold, element(1, Start));
        #{count := D} ->
            {warm, Warmed} = Start,
            ?assertEqual(Durable, counter_values(Warmed)),
            ?assertEqual(D, maps:get(<<"COUNT">>, Warmed))
    end,
    timer:sleep(20 + rand:uniform(280)),
    true = is_pid(peer:call(Peer, erlang, whereis, [retain_collector])),  % still writing down what it sees
    kill(Peer, OsPid),
    {Last, Burst} = observed(Log),
    Image = stored(Dir),
    Restored = case Image of
                   none -> 0;
                   #{count := C} -> C
               end,
    Before = case Durable of none -> 0; #{count := B} -> B end,
    ?assert(Restored >= Before),                  % never backwards
    Loss = Last - Restored,
    ?assert(Loss =< Burst),                       % at most the last slice
    Row = #{start => element(1, Start), restored => Restored, last => Last, loss => max(Loss, 0), burst => Burst},
    kill_loop(N - 1, Dir, Source, Image, [Row | Rows]).

start_peer() ->
    Paths = lists:usort([filename:dirname(code:which(M)) || M <- [plc, ?MODULE]]),
    Args = lists:append([["-pa", P] || P <- Paths]),
    {ok, Peer, _Node} = peer:start(#{name => peer:random_name(), args => Args, connection => standard_io}),
    put(peers, [Peer | get_peers()]),
    {Peer, peer:call(Peer, os, getpid, [])}.

kill(Peer, OsPid) ->
    Ref = monitor(process, Peer),
    [] = os:cmd("kill -9 " ++ OsPid),
    receive {'DOWN', Ref, process, Peer, _} -> ok
    after 10000 -> error(peer_not_down)
    end,
    put(peers, get_peers() -- [Peer]).

wait_start(Peer) ->
    wait_start(Peer, 500).

wait_start(_Peer, 0) ->
    error(no_start_event);
wait_start(Peer, Tries) ->
    case peer:call(Peer, erlang, whereis, [retain_collector]) of
        undefined -> error(collector_gone);
        Pid ->
            {dictionary, D} = peer:call(Peer, erlang, process_info, [Pid, dictionary]),
            case proplists:get_value(start, D) of
                undefined -> timer:sleep(10), wait_start(Peer, Tries - 1);
                Start -> Start
            end
    end.

%% The last count the killed node sent out, and how many of its events
%% came out within 2.5 ms of that one, half the period: the events of two
%% slices are a period apart, those of one slice microseconds apart (a
%% subscriber held up mid-burst for longer would undercount). Whole
%% records only: the kill may have cut the last write.
observed(Log) ->
    {ok, Bin} = file:read_file(Log),
    Records = [{C, T} || <<C:64, T:64>> <= binary:part(Bin, 0, byte_size(Bin) - byte_size(Bin) rem 16)],
    case lists:reverse(Records) of
        [] ->
            error({nothing_counted, Log});  % at least 20 ms at one count per 5 ms
        [{Last, T} | _] ->
            {Last, length([X || {_, X} <- Records, T - X =< 2500])}
    end.

%% The newest valid image in the store, decoded here (the format of
%% runtime/retain.h), checked for consistency.
stored(Dir) ->
    {ok, _, Image} = plc_retain:open(Dir),
    case Image of
        none -> none;
        _ -> decode_image(Image)
    end.

decode_image(<<"PLCRETN1", 1:32/little, N:32/little, Entries/binary>>) ->
    Vars = decode_entries(N, Entries, #{}),
    Count = slot(maps:get(<<"COUNT">>, Vars)),
    Check = slot(maps:get(<<"CHECK">>, Vars)),
    <<Len:64/little, Chars/binary>> = maps:get(<<"TEXT">>, Vars),
    Text = binary:part(Chars, 0, Len),
    Values = #{count => Count, check => Check, text => Text},
    %% Never torn: the three were saved by the same complete event.
    ?assertEqual(#{count => Count, check => 7 * Count + 3, text => iolist_to_binary(["n=", integer_to_list(Count)])},
                 Values),
    Values.

decode_entries(0, <<>>, Vars) ->
    Vars;
decode_entries(N, <<FL:16/little, _Fb:FL/binary, VL:16/little, Var:VL/binary, TL:16/little, _Type:TL/binary,
                    SC:32/little, Slots:(SC * 8)/binary, Rest/binary>>, Vars) ->
    decode_entries(N - 1, Rest, Vars#{Var => Slots}).

slot(<<V:64/little-signed, _/binary>>) -> V.

counter_values(#{<<"COUNT">> := C, <<"CHECK">> := K, <<"TEXT">> := T}) ->
    #{count => C, check => K, text => T}.

get_peers() ->
    case get(peers) of
        undefined -> [];
        Ps -> Ps
    end.

%%% On the peer

%% Starts plc, the counter and a collector of its events.
peer_run(Source, Dir, Log) ->
    {ok, _} = application:ensure_all_started(plc),
    {ok, _} = plc:compile_file(Source),
    Collector = spawn(fun() -> {ok, Fd} = file:open(Log, [write, raw, binary]), collect(Fd) end),
    true = register(retain_collector, Collector),
    Network = #{fbs => [{<<"C">>, <<"RETAIN_COUNTER">>, []},
                        {<<"Cycle">>, <<"E_CYCLE">>, [{<<"DT">>, <<"T#5ms">>}]}],
                events => [{<<"START.COLD">>, <<"Cycle.START">>},
                           {<<"START.WARM">>, <<"Cycle.START">>},
                           {<<"START.WARM">>, <<"C.WARM">>},
                           {<<"Cycle.EO">>, <<"C.REQ">>}]},
    {ok, _} = plc:start_resource(Network, #{name => <<"counter">>, retain_dir => Dir, subscribers => [Collector],
                                            observe => [<<"START.COLD">>, <<"C.CNF">>, <<"C.WARMED">>]}),
    ok.

%% Writes every count the node sends out, as it comes, with its time.
collect(Fd) ->
    receive
        {plc_event, _, <<"START.COLD">>, _} ->
            put(start, {cold, #{}}),
            collect(Fd);
        {plc_event, _, <<"C.WARMED">>, Data} ->
            put(start, {warm, Data}),
            collect(Fd);
        {plc_event, _, <<"C.CNF">>, #{<<"COUNT">> := C}} ->
            ok = file:write(Fd, <<C:64, (erlang:monotonic_time(microsecond)):64>>),
            collect(Fd)
    end.

%% The test profile compiles this suite into the application's ebin, where
%% Common Test's data_dir does not exist: then it is found in the sources.
data_dir(_Config) ->
    filename:join(filename:dirname(filename:absname(?FILE)), "plc_retain_SUITE_data").
