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
%%%
%%% Retained (`retained => true' in the plan, the failure mode): RxCount is
%%% a C1K_COUNT (a basic FB whose CV is RETAIN) and one more, Sent :
%%% C1K_COUNT on Out.EO2, counts the device's announcements (one event to
%%% every neighbour each); the chain is one FB shorter (still 100), and
%%% START.WARM starts the chain too. A device whose VM was killed and
%%% restarted with its store gets both counts back: what its neighbours
%%% announced is then checked against what each received, over both lives.
-module(c1k_system).

-export([plan/1, text/1, part/2, parts/1, degrees/1, fbs_per_device/0, version/1]).

-define(FBS, 100).
-define(GROUP, 32).

%% @doc #{n, edges, neighbours => #{I => [J]}, aggregators, probe => [I]}:
%% the probe path is a shortest path between two devices as far apart as
%% any (the graph's diameter): from the highest-numbered device of largest
%% eccentricity to the highest-numbered device farthest from it.
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
      probe => diameter_path(N, Sorted)}.

agg(I) -> ((I - 1) div ?GROUP) * ?GROUP + 1.

norm({A, B}) when A < B -> {A, B};
norm({A, B}) -> {B, A}.

%% A breadth-first search from every device (N x edges: about a second
%% at N = 1000, before the clock), then the path between the ends of the
%% diameter.
diameter_path(N, Nbrs) ->
    {_, Src} = lists:max([{eccentricity(I, Nbrs), I} || I <- lists:seq(1, N)]),
    probe_path(Src, Nbrs).

eccentricity(I, Nbrs) ->
    lists:max(maps:values(depths(bfs([I], #{I => none}, Nbrs)))).

%% Each device's distance from the root of a breadth-first tree (Parents:
%% device => its parent, the root's none).
depths(Parents) ->
    maps:fold(fun(K, _, Acc) -> depth(K, Parents, Acc) end, #{}, Parents).

depth(K, Parents, Acc) ->
    case Acc of
        #{K := _} -> Acc;
        _ ->
            case maps:get(K, Parents) of
                none -> Acc#{K => 0};
                P -> Acc1 = depth(P, Parents, Acc), Acc1#{K => maps:get(P, Acc1) + 1}
            end
    end.

%% Breadth-first from Src; the path to the farthest device.
probe_path(Src, Nbrs) ->
    Parents = bfs([Src], #{Src => none}, Nbrs),
    Depth = depths(Parents),
    {_, Far} = lists:max([{D, I} || {I, D} <- maps:to_list(Depth)]),
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
text(#{n := N, neighbours := Nbrs, probe := Probe} = Plan) ->
    Devices = lists:seq(1, N),
    Retained = retained(Plan),
    Fbs = [device_fbs(I, maps:get(I, Nbrs), Retained) || I <- Devices],
    ProbeLinks = lists:zip(lists:droplast(Probe), tl(Probe)),
    Local = [E || {_, Es} <- Fbs, E <- Es],
    Cross = [[d(I), "_Out.EO1 TO ", rx_input(J, I, maps:get(J, Nbrs)), ";\n"]
             || I <- Devices, J <- maps:get(I, Nbrs)]
        ++ [[d(A), "_Probe.EO TO ", d(B), "_Probe.EI1;\n"] || {A, B} <- ProbeLinks],
    ["(* c1k: ", integer_to_list(N), " devices, ", integer_to_list(?FBS),
     " FB instances each, generated by bench/c1k/c1k_system.erl *)\n",
     count_type(Retained),
     "SYSTEM C1K\nAPPLICATION Plant\nFBS\n",
     [["  ", Name, " : ", Type, ";\n"] || {Decls, _} <- Fbs, {Name, Type} <- Decls],
     "END_FBS\nEVENT_CONNECTIONS\n",
     Local, Cross,
     "END_CONNECTIONS\nEND_APPLICATION\n",
     [["DEVICE ", d(I), " : PLC_DEVICE\n",
       "  RESOURCE R : EMB_RES\n",
       "    EVENT_CONNECTIONS\n", start(I, Retained), "    END_CONNECTIONS\n",
       "  END_RESOURCE\nEND_DEVICE\n"] || I <- Devices],
     "MAPPING\n",
     [["  Plant.", Name, " ON ", d(I), ".R;\n"] || {I, {Decls, _}} <- lists:zip(Devices, Fbs),
                                                  {Name, _} <- Decls],
     "END_MAPPING\nEND_SYSTEM\n"].

%% @doc The part of the system device I's node needs (iodata, system
%% C1K): device I with its FBs and local connections, and each neighbour's
%% resource with its FBs in the same order as in the neighbour's own part
%% (the layout of the events exchanged with it; its local connections are
%% not needed here), the event connections between I and its neighbours in
%% both directions, and the probe's links that end at I. Linear in the
%% degree of I (an aggregator's part is 36 devices' FBs).
part(#{neighbours := Nbrs, probe := Probe} = Plan, I) ->
    Mine = maps:get(I, Nbrs),
    Devices = lists:sort([I | Mine]),
    Retained = retained(Plan),
    Fbs = [{J, device_fbs(J, maps:get(J, Nbrs), Retained)} || J <- Devices],
    {_, Local} = proplists:get_value(I, Fbs),
    Cross = [[d(I), "_Out.EO1 TO ", rx_input(J, I, maps:get(J, Nbrs)), ";\n"] || J <- Mine]
        ++ [[d(J), "_Out.EO1 TO ", rx_input(I, J, Mine), ";\n"] || J <- Mine]
        ++ [[d(A), "_Probe.EO TO ", d(B), "_Probe.EI1;\n"]
            || {A, B} <- lists:zip(lists:droplast(Probe), tl(Probe)), A =:= I orelse B =:= I],
    ["(* c1k: device ", integer_to_list(I), "'s part of ", integer_to_list(maps:get(n, Plan)),
     " devices, generated by bench/c1k/c1k_system.erl *)\n",
     count_type(Retained),
     "SYSTEM C1K\nAPPLICATION Plant\nFBS\n",
     [["  ", Name, " : ", Type, ";\n"] || {_, {Decls, _}} <- Fbs, {Name, Type} <- Decls],
     "END_FBS\nEVENT_CONNECTIONS\n",
     Local, Cross,
     "END_CONNECTIONS\nEND_APPLICATION\n",
     [["DEVICE ", d(J), " : PLC_DEVICE\n",
       "  RESOURCE R : EMB_RES\n",
       [["    EVENT_CONNECTIONS\n", start(J, Retained), "    END_CONNECTIONS\n"] || J =:= I],
       "  END_RESOURCE\nEND_DEVICE\n"] || J <- Devices],
     "MAPPING\n",
     [["  Plant.", Name, " ON ", d(J), ".R;\n"] || {J, {Decls, _}} <- Fbs, {Name, _} <- Decls],
     "END_MAPPING\nEND_SYSTEM\n"].

%% @doc Every device's part, [{I, Binary}] in device order: linear in N.
parts(#{n := N} = Plan) ->
    [{I, iolist_to_binary(part(Plan, I))} || I <- lists:seq(1, N)].

%% @doc The version every node is given (plc:start_system/2's `version'):
%% the plan's identity, without generating the whole system's text.
version(#{n := N, edges := Edges, probe := Probe}) ->
    <<"c1k-", (integer_to_binary(N))/binary, "-", (integer_to_binary(erlang:phash2({Edges, Probe}, 1 bsl 32)))/binary>>.

d(I) -> ["D", integer_to_list(I)].

retained(Plan) -> maps:get(retained, Plan, false).

start(I, false) -> ["      START.COLD TO ", d(I), "_Started.CU;\n"];
start(I, true) -> [start(I, false), "      START.WARM TO ", d(I), "_Started.CU;\n"].

%% The retained counter of the failure mode (an E_CTU's CU, CUO and CV).
count_type(false) ->
    [];
count_type(true) ->
    "FUNCTION_BLOCK C1K_COUNT\n"
    "EVENT_INPUT CU; END_EVENT\n"
    "EVENT_OUTPUT CUO WITH CV; END_EVENT\n"
    "VAR_OUTPUT RETAIN CV : UINT; END_VAR\n"
    "EC_STATES S0; S1 : Inc -> CUO; END_STATES\n"
    "EC_TRANSITIONS S0 TO S1 := CU; S1 TO S0 := 1; END_TRANSITIONS\n"
    "ALGORITHM Inc IN ST: CV := CV + 1; END_ALGORITHM\n"
    "END_FUNCTION_BLOCK\n".

%% The application FBs of device I ({Name, Type}) and its local event
%% connections.
device_fbs(I, Nbrs, Retained) ->
    P = fun(S) -> lists:flatten([d(I), "_", S]) end,
    Deg = length(Nbrs),
    Merges = max(1, Deg - 1),
    Counters = case Retained of
                   true -> [{P("RxCount"), "C1K_COUNT"}, {P("Sent"), "C1K_COUNT"}];
                   false -> [{P("RxCount"), "E_CTU"}]
               end,
    %% START is the 100th.
    Work = ?FBS - 1 - 2 - length(Counters) - Merges,
    true = Work >= 2,
    WorkFbs = [{P(w(K)), work_type(K)} || K <- lists:seq(1, Work - 1)] ++ [{P("Out"), "E_SPLIT"}],
    Rx = [{P(rx(K)), "E_MERGE"} || K <- lists:seq(1, Merges)],
    Decls = [{P("Started"), "E_CTU"}, {P("Probe"), "E_MERGE"}] ++ Counters ++ WorkFbs ++ Rx,
    ChainNames = [P("Started") | [N || {N, _} <- WorkFbs]],
    ChainTypes = ["E_CTU" | [T || {_, T} <- WorkFbs]],
    Chain = [["  ", From, out_port(FromType), " TO ", To, in_port(ToType), ";\n"]
             || {{From, FromType}, {To, ToType}} <- pairs(lists:zip(ChainNames, ChainTypes))],
    RxChain = [["  ", P(rx(K)), ".EO TO ", P(rx(K + 1)), ".EI1;\n"] || K <- lists:seq(1, Merges - 1)]
        ++ [["  ", P(rx(Merges)), ".EO TO ", P("RxCount"), ".CU;\n"]]
        ++ [["  ", P("Out"), ".EO2 TO ", P("Sent"), ".CU;\n"] || Retained],
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
