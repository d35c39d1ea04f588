%%% The part of bench/erlang/cross_node.escript that runs on the source
%%% node (loaded there by the script): one run of each kind, in events per
%%% second.
-module(cross_node_peer).
-export([plc/3, raw/2]).

%% Round K injects N more events: Dst's Check counts K * N in all.
plc(Dst, N, K) ->
    Batch = lists:duplicate(N, []),
    garbage_collect(),
    T0 = erlang:monotonic_time(nanosecond),
    ok = plc:inject_batch(<<"Src.R">>, <<"Gen.REQ">>, Batch),
    ok = wait_count(Dst, K * N),
    T1 = erlang:monotonic_time(nanosecond),
    {ok, 0} = erpc:call(Dst, plc, read, [<<"Dst.R">>, <<"Check.Bad">>]),
    N * 1.0e9 / (T1 - T0).

wait_count(Dst, Total) ->
    case erpc:call(Dst, plc, read, [<<"Dst.R">>, <<"Check.Count">>]) of
        {ok, C} when C >= Total -> ok;
        _ -> timer:sleep(1), wait_count(Dst, Total)
    end.

%% N messages of the size of a plc event on the wire (a 19-byte binary).
raw(Dst, N) ->
    Self = self(),
    Sink = erpc:call(Dst, erlang, spawn, [fun() -> sink(Self, N, 0) end]),
    Payload = binary:copy(<<0>>, 19),
    garbage_collect(),
    T0 = erlang:monotonic_time(nanosecond),
    [Sink ! {event, Seq, Payload} || Seq <- lists:seq(1, N)],
    receive {done, N} -> ok end,
    T1 = erlang:monotonic_time(nanosecond),
    N * 1.0e9 / (T1 - T0).

sink(Parent, N, N) ->
    Parent ! {done, N};
sink(Parent, N, K) ->
    receive {event, _, _} -> sink(Parent, N, K + 1) end.
