%%% @doc The c1k plant: N devices, their event graph and the system text.
%%%
%%% Graph (devices 1..N, undirected edges, each one event connection in
%%% each direction):
%%% - a line closed into a ring: i <-> i+1, N <-> 1 (a conveyor: upstream
%%%   and downstream neighbour);
%%% - chords: i <-> i + N div 2 for i = 1, 5, 9, ... =< N div 2 (a cross
%%%   link every fourth device);
%%%   so each device has at most 3 peer links (at most 4 asked for);
%%% - one aggregator per 32 devices (the cell controller, device 1 of each
%%%   group of 32: D1, D33, D65, ...), linked to every other device of its
%%%   group; the aggregators form a ring among themselves.
%%% Average degree at N = 200: 4.2 (the aggregators 34..36, the others 3..4).
%%%
%%% Each device has one resource R with exactly 100 FB instances:
%%% - START : E_RESTART, the resource's own (plc gives every resource one;
%%%   declaring it in more than one resource is refused, FB names being
%%%   unique in the system), START.COLD -> Started.CU;
%%% - Started : E_CTU (its CUO starts the work chain, its CV says START fired);
%%% - W1 .. Wk: a chain of E_SPLIT / E_CTU / E_MERGE, the last one (Out)
%%%   sends one event to every neighbour (a cross-device connection each);
%%% - Rx1 .. Rx(d-1): E_MERGE tree gathering the d neighbours' events into
%%%   RxCount : E_CTU;
%%% - Probe : E_MERGE: the probe path (Probe.EO of one device ->
%%%   Probe.EI1 of the next, cross-device) along a shortest path from the
%%%   source to the farthest device.
%%% FB names are prefixed with the device: D7_Started.
-module(c1k_system).

-export([plan/1, text/1, degrees/1, fbs_per_device/0]).

-define(FBS, 100).
-define(GROUP, 32).

%% @doc #{n, edges, neighbours => #{I => [J]}, aggregators, probe => [I]}:
%% the probe path starts at the last device and ends at the device
%% farthest from it (breadth-first, the highest number among the farthest).
plan(N) when N >= 2 ->
    Ring = [{I, I + 1} || I <- lists:seq(1, N - 1)] ++ [{N, 1} || N >= 3],
    Half = N div 2,
    Chords = [{I, I + Half} || I <- lists:seq(1, Half, 4), Half >= 3],
    Aggs = [G * ?GROUP + 1 || G <- lists:seq(0, (N - 1) div ?GROUP)],
    Members = [{agg(I), I} || I <- lists:seq(1, N), agg(I) =/= I],
    AggRing = case length(Aggs) of
                  1 -> [];
                  2 -> [list_to_tuple(Aggs)];
                  _ -> lists:zip(Aggs, tl(Aggs) ++ [hd(Aggs)])
              end,
    Edges = lists:usort([norm(E) || E <- Ring ++ Chords ++ Members ++ AggRing,
                                    element(1, E) =/= element(2, E)]),
    Neighbours = lists:foldl(fun({A, B}, M) ->
                                     M1 = maps:update_with(A, fun(L) -> [B | L] end, [B], M),
                                     maps:update_with(B, fun(L) -> [A | L] end, [A], M1)
                             end, maps:from_list([{I, []} || I <- lists:seq(1, N)]), Edges),
    Sorted = maps:map(fun(_, L) -> lists:sort(L) end, Neighbours),
    #{n => N, edges => Edges, neighbours => Sorted, aggregators => Aggs,
      probe => probe_path(N, Sorted)}.

agg(I) -> ((I - 1) div ?GROUP) * ?GROUP + 1.

norm({A, B}) when A < B -> {A, B};
norm({A, B}) -> {B, A}.

%% Breadth-first from N; the path to the farthest device.
probe_path(Src, Nbrs) ->
    Parents = bfs([Src], #{Src => none}, Nbrs),
    Dist = fun D(I) -> case maps:get(I, Parents) of none -> 0; P -> 1 + D(P) end end,
    {_, Far} = lists:max([{Dist(I), I} || I <- maps:keys(Parents)]),
    lists:reverse(path(Far, Parents)).

bfs([], Seen, _) -> Seen;
bfs(Frontier, Seen, Nbrs) ->
    {Next, Seen1} = lists:foldl(
                      fun(I, {Acc, S}) ->
                              lists:foldl(fun(J, {A, S2}) ->
                                                  case maps:is_key(J, S2) of
                                                      true -> {A, S2};
                                                      false -> {[J | A], S2#{J => I}}
                                                  end
                                          end, {Acc, S}, maps:get(I, Nbrs))
                      end, {[], Seen}, Frontier),
    bfs(lists:reverse(Next), Seen1, Nbrs).

path(I, Parents) ->
    case maps:get(I, Parents) of
        none -> [I];
        P -> [I | path(P, Parents)]
    end.

%% @doc Degree of each device: #{I => D}.
degrees(#{neighbours := Nbrs}) ->
    maps:map(fun(_, L) -> length(L) end, Nbrs).

fbs_per_device() -> ?FBS.

%% @doc The IEC 61499 text of the plan (iodata), system C1K.
text(#{n := N, neighbours := Nbrs, probe := Probe}) ->
    Devices = lists:seq(1, N),
    Fbs = [device_fbs(I, maps:get(I, Nbrs)) || I <- Devices],
    ProbeLinks = lists:zip(lists:droplast(Probe), tl(Probe)),
    Local = [E || {_, Es} <- Fbs, E <- Es],
    Cross = [[d(I), "_Out.EO1 TO ", rx_input(J, I, maps:get(J, Nbrs)), ";\n"]
             || I <- Devices, J <- maps:get(I, Nbrs)]
        ++ [[d(A), "_Probe.EO TO ", d(B), "_Probe.EI1;\n"] || {A, B} <- ProbeLinks],
    ["(* c1k: ", integer_to_list(N), " devices, ", integer_to_list(?FBS),
     " FB instances each, generated by bench/c1k/c1k_system.erl *)\n",
     "SYSTEM C1K\nAPPLICATION Plant\nFBS\n",
     [["  ", Name, " : ", Type, ";\n"] || {Decls, _} <- Fbs, {Name, Type} <- Decls],
     "END_FBS\nEVENT_CONNECTIONS\n",
     Local, Cross,
     "END_CONNECTIONS\nEND_APPLICATION\n",
     [["DEVICE ", d(I), " : PLC_DEVICE\n",
       "  RESOURCE R : EMB_RES\n",
       "    EVENT_CONNECTIONS\n      START.COLD TO ", d(I), "_Started.CU;\n    END_CONNECTIONS\n",
       "  END_RESOURCE\nEND_DEVICE\n"] || I <- Devices],
     "MAPPING\n",
     [["  Plant.", Name, " ON ", d(I), ".R;\n"] || {I, {Decls, _}} <- lists:zip(Devices, Fbs),
                                                  {Name, _} <- Decls],
     "END_MAPPING\nEND_SYSTEM\n"].

d(I) -> ["D", integer_to_list(I)].

%% The application FBs of device I ({Name, Type}) and its local event
%% connections.
device_fbs(I, Nbrs) ->
    P = fun(S) -> lists:flatten([d(I), "_", S]) end,
    Deg = length(Nbrs),
    Merges = max(1, Deg - 1),
    %% START is the 100th.
    Work = ?FBS - 1 - 3 - Merges,
    true = Work >= 2,
    WorkFbs = [{P(w(K)), work_type(K)} || K <- lists:seq(1, Work - 1)] ++ [{P("Out"), "E_SPLIT"}],
    Rx = [{P(rx(K)), "E_MERGE"} || K <- lists:seq(1, Merges)],
    Decls = [{P("Started"), "E_CTU"}, {P("Probe"), "E_MERGE"}, {P("RxCount"), "E_CTU"}]
        ++ WorkFbs ++ Rx,
    ChainNames = [P("Started") | [N || {N, _} <- WorkFbs]],
    ChainTypes = ["E_CTU" | [T || {_, T} <- WorkFbs]],
    Chain = [["  ", From, out_port(FromType), " TO ", To, in_port(ToType), ";\n"]
             || {{From, FromType}, {To, ToType}} <- pairs(lists:zip(ChainNames, ChainTypes))],
    RxChain = [["  ", P(rx(K)), ".EO TO ", P(rx(K + 1)), ".EI1;\n"] || K <- lists:seq(1, Merges - 1)]
        ++ [["  ", P(rx(Merges)), ".EO TO ", P("RxCount"), ".CU;\n"]],
    {Decls, Chain ++ RxChain}.

w(K) -> "W" ++ integer_to_list(K).
rx(K) -> "Rx" ++ integer_to_list(K).

work_type(K) ->
    element(K rem 3 + 1, {"E_SPLIT", "E_CTU", "E_MERGE"}).

out_port("E_SPLIT") -> ".EO1";
out_port("E_CTU") -> ".CUO";
out_port("E_MERGE") -> ".EO".

in_port("E_SPLIT") -> ".EI";
in_port("E_CTU") -> ".CU";
in_port("E_MERGE") -> ".EI1".

pairs([A, B | Rest]) -> [{A, B} | pairs([B | Rest])];
pairs(_) -> [].

%% The event input of device J that takes the event from its neighbour I:
%% the k-th neighbour (sorted) enters the merge chain at Rx1.EI1 (k = 1),
%% Rx(k-1).EI2 (k >= 2).
rx_input(J, I, NbrsOfJ) ->
    K = index(I, NbrsOfJ, 1),
    case K of
        1 -> [d(J), "_Rx1.EI1"];
        _ -> [d(J), "_Rx", integer_to_list(K - 1), ".EI2"]
    end.

index(X, [X | _], K) -> K;
index(X, [_ | T], K) -> index(X, T, K + 1).
