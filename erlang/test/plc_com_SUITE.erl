%%% @doc Common Test suite of the communication blocks (issue 16): PUBLISH /
%%% SUBSCRIBE and CLIENT / SERVER through their channels (plc_com_channel),
%%% over `plc[GROUP]' (Erlang distribution, pg) on one node and across two
%%% hidden nodes started with OTP's `peer', and over fbdk[].ip[...] on the
%%% loopback interface (UDP for publish/subscribe, TCP for client/server).
%%% Only 127.0.0.1 is used.
-module(plc_com_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, init_per_suite/1, end_per_suite/1]).
-export([plc_publish_subscribe/1, plc_publish_subscribe_two_nodes/1, plc_client_server/1,
         plc_client_without_server/1, plc_bad_values_counted/1, plc_close_and_reopen/1,
         fbdk_udp_publish_subscribe/1, fbdk_udp_multicast/1, fbdk_tcp_client_server/1, fbdk_bad_datagram_counted/1,
         fbdk_client_refused/1, fbdk_bytes_decoded_natively/1, invalid_id/1, hostile_input/1, structures/1,
         devices_deployed_by_the_protocol_publish_over_distribution/1]).
-export([sink_source/0, start_collector/0, start_collected/2, take_events/2]).

all() ->
    [{group, plc}, {group, fbdk}, invalid_id, hostile_input, structures].

groups() ->
    [{plc, [], [plc_publish_subscribe, plc_client_server, plc_client_without_server, plc_bad_values_counted,
                plc_close_and_reopen, plc_publish_subscribe_two_nodes,
                devices_deployed_by_the_protocol_publish_over_distribution]},
     {fbdk, [], [fbdk_udp_publish_subscribe, fbdk_udp_multicast, fbdk_tcp_client_server, fbdk_bad_datagram_counted,
                 fbdk_client_refused, fbdk_bytes_decoded_natively]}].

init_per_suite(Config) ->
    {ok, Apps} = application:ensure_all_started(plc),
    {ok, _} = plc:compile(<<"com_sink.st">>, sink_source()),
    {ok, _} = plc:compile(<<"com_point.st">>, point_source()),
    [{apps, Apps} | Config].

end_per_suite(Config) ->
    [application:stop(A) || A <- lists:reverse(?config(apps, Config))],
    ok.

%% SINK2 takes an INT and a STRING: it types SUBSCRIBE_2's RDs by their
%% connections (an RD is ANY, decided at load).
-spec sink_source() -> binary().
sink_source() ->
    <<"FUNCTION_BLOCK SINK2
EVENT_INPUT
  REQ WITH A, B;
END_EVENT
EVENT_OUTPUT
  CNF;
END_EVENT
VAR_INPUT
  A : INT;
  B : STRING;
END_VAR
EC_STATES
  Idle;
  Got : -> CNF;
END_STATES
EC_TRANSITIONS
  Idle TO Got := REQ;
  Got TO Idle := 1;
END_TRANSITIONS
END_FUNCTION_BLOCK
">>.

%% PTBOX has a structure as input and as output: it types a PUBLISH_1's
%% SD_1 and a SUBSCRIBE_1's RD_1 as a structure.
point_source() ->
    <<"TYPE Point : STRUCT X : INT; Name : STRING[16]; On : BOOL; END_STRUCT; END_TYPE
FUNCTION_BLOCK PTBOX
EVENT_INPUT
  REQ WITH P;
END_EVENT
EVENT_OUTPUT
  CNF WITH Q;
END_EVENT
VAR_INPUT
  P : Point;
END_VAR
VAR_OUTPUT
  Q : Point;
END_VAR
EC_STATES
  Idle;
  Got : -> CNF;
END_STATES
EC_TRANSITIONS
  Idle TO Got := REQ;
  Got TO Idle := 1;
END_TRANSITIONS
END_FUNCTION_BLOCK
">>.

%%% Networks

publisher(Id) ->
    #{fbs => [{<<"P">>, <<"PUBLISH_2">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, quoted(Id)},
                                         {<<"SD_1">>, <<"INT#0">>}, {<<"SD_2">>, <<"''">>}]}]}.

subscriber(Id) ->
    #{fbs => [{<<"S">>, <<"SUBSCRIBE_2">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, quoted(Id)}]},
              {<<"K">>, <<"SINK2">>, []}],
      events => [{<<"S.IND">>, <<"K.REQ">>}],
      data => [{<<"S.RD_1">>, <<"K.A">>}, {<<"S.RD_2">>, <<"K.B">>}]}.

client(Id) ->
    #{fbs => [{<<"C">>, <<"CLIENT_2_1">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, quoted(Id)},
                                          {<<"SD_1">>, <<"INT#0">>}, {<<"SD_2">>, <<"''">>}]},
              {<<"K">>, <<"SINK2">>, [{<<"B">>, <<"''">>}]}],
      data => [{<<"C.RD_1">>, <<"K.A">>}]}.

%% SERVER_1_2: RD_1 INT, RD_2 STRING (SINK2), SD_1 INT.
server(Id) ->
    #{fbs => [{<<"V">>, <<"SERVER_1_2">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, quoted(Id)}, {<<"SD_1">>, <<"INT#0">>}]},
              {<<"K">>, <<"SINK2">>, []}],
      data => [{<<"V.RD_1">>, <<"K.A">>}, {<<"V.RD_2">>, <<"K.B">>}]}.

quoted(Id) -> <<"'", Id/binary, "'">>.

start(Net, Observe) ->
    {ok, R} = plc:start_resource(Net, #{subscribers => [self()], observe => Observe}),
    R.

%% INIT and the INITO that follows.
init(R, Fb) ->
    ok = plc:inject(R, <<Fb/binary, ".INIT">>),
    event(R, <<Fb/binary, ".INITO">>).

event(R, Port) ->
    receive {plc_event, R, Port, Data} -> Data
    after 5000 -> ct:fail({no_event, Port, flush()})
    end.

no_event(R, Port) ->
    receive {plc_event, R, Port, Data} -> ct:fail({unexpected, Port, Data})
    after 200 -> ok
    end.

alarm(R) ->
    receive {plc_alarm, R, Alarm} -> Alarm
    after 5000 -> ct:fail({no_alarm, flush()})
    end.

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

ok_status() -> #{<<"QO">> => true, <<"STATUS">> => <<"OK">>}.

publish(P, Values) ->
    [ok = plc:inject(P, <<"P.REQ">>, [{<<"SD_1">>, A}, {<<"SD_2">>, B}]) || {A, B} <- Values],
    [?assertEqual(ok_status(), event(P, <<"P.CNF">>)) || _ <- Values],
    ok.

received(S, Values) ->
    [?assertEqual(#{<<"QO">> => true, <<"STATUS">> => <<"OK">>, <<"RD_1">> => A, <<"RD_2">> => B},
                  event(S, <<"S.IND">>)) || {A, B} <- Values],
    ok.

-define(VALUES, [{1, <<"one">>}, {-2, <<"two">>}, {32767, <<>>}, {-32768, <<"a longer string, past 8 slots">>}]).

%%% plc[GROUP]

plc_publish_subscribe(_Config) ->
    S = start(subscriber(<<"plc[ps]">>), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    P = start(publisher(<<"plc[ps]">>), [<<"P.INITO">>, <<"P.CNF">>]),
    ?assertEqual(ok_status(), init(P, <<"P">>)),
    ok = publish(P, ?VALUES),
    ok = received(S, ?VALUES),
    [plc:stop_resource(X) || X <- [P, S]],
    ok.

plc_client_server(_Config) ->
    V = start(server(<<"plc[cs]">>), [<<"V.INITO">>, <<"V.IND">>]),
    ?assertEqual(ok_status(), init(V, <<"V">>)),
    C = start(client(<<"plc[cs]">>), [<<"C.INITO">>, <<"C.CNF">>]),
    ?assertEqual(ok_status(), init(C, <<"C">>)),
    ok = plc:inject(C, <<"C.REQ">>, [{<<"SD_1">>, 7}, {<<"SD_2">>, <<"seven">>}]),
    ?assertEqual(#{<<"QO">> => true, <<"STATUS">> => <<"OK">>, <<"RD_1">> => 7, <<"RD_2">> => <<"seven">>},
                 event(V, <<"V.IND">>)),
    no_event(C, <<"C.CNF">>),
    ok = plc:inject(V, <<"V.RSP">>, [{<<"SD_1">>, 49}]),
    ?assertEqual(#{<<"QO">> => true, <<"STATUS">> => <<"OK">>, <<"RD_1">> => 49}, event(C, <<"C.CNF">>)),
    [plc:stop_resource(X) || X <- [C, V]],
    ok.

plc_client_without_server(_Config) ->
    C = start(client(<<"plc[nobody]">>), [<<"C.INITO">>, <<"C.CNF">>]),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"INVALID_ID">>}, init(C, <<"C">>)),
    {plc_com, <<"C">>, {open_failed, _}} = alarm(C),
    ok = plc:inject(C, <<"C.REQ">>),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"NO_SOCKET">>, <<"RD_1">> => 0}, event(C, <<"C.CNF">>)),
    plc:stop_resource(C).

%% A publisher whose SD_2 is an INT where the subscriber's RD_2 is a
%% STRING: the packets are counted and reported, not delivered.
plc_bad_values_counted(_Config) ->
    S = start(subscriber(<<"plc[bad]">>), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    Net = #{fbs => [{<<"P">>, <<"PUBLISH_2">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, <<"'plc[bad]'">>},
                                               {<<"SD_1">>, <<"INT#0">>}, {<<"SD_2">>, <<"INT#0">>}]}]},
    P = start(Net, [<<"P.INITO">>, <<"P.CNF">>]),
    ?assertEqual(ok_status(), init(P, <<"P">>)),
    [ok = plc:inject(P, <<"P.REQ">>, [{<<"SD_1">>, 1}, {<<"SD_2">>, 2}]) || _ <- [1, 2, 3]],
    {plc_com, <<"S">>, {plc_com_bad_packet, 1, {rejected, _}}} = alarm(S),
    {plc_com, <<"S">>, {plc_com_bad_packet, 2, {rejected, _}}} = alarm(S),
    no_event(S, <<"S.IND">>),
    [Channel] = pg:get_local_members(plc_com, {publish, <<"bad">>}),
    ?assertMatch(#{bad := 3, delivered := 3}, plc_com_channel:stats(Channel)),
    [plc:stop_resource(X) || X <- [P, S]],
    ok.

plc_close_and_reopen(_Config) ->
    S = start(subscriber(<<"plc[re]">>), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    ok = plc:write(S, <<"S.QI">>, false),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"TERMINATED">>}, init(S, <<"S">>)),
    ok = wait_until(fun() -> pg:get_members(plc_com, {publish, <<"re">>}) =:= [] end),
    ok = plc:write(S, <<"S.QI">>, true),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    ?assertMatch([_], pg:get_members(plc_com, {publish, <<"re">>})),
    plc:stop_resource(S),
    ok = wait_until(fun() -> pg:get_members(plc_com, {publish, <<"re">>}) =:= [] end).

%% Two hidden peer nodes, controlled over standard I/O (so the node of the
%% suite is connected to neither): the publisher on one, the subscriber on
%% the other. The publisher's node connects to the subscriber's because
%% the group is configured for it ({plc, com_peers}); no other connection
%% exists.
plc_publish_subscribe_two_nodes(_Config) ->
    Paths = lists:usort([filename:dirname(code:which(M)) || M <- [plc, ?MODULE]]),
    Args = ["-hidden" | lists:append([["-pa", P] || P <- Paths])],
    [{A, NodeA}, {B, NodeB}] =
        [begin
             {ok, Peer, Node} = peer:start_link(#{name => peer:random_name(Name), args => Args,
                                                  connection => standard_io}),
             {ok, _} = peer:call(Peer, application, ensure_all_started, [plc]),
             {ok, _} = peer:call(Peer, plc, compile, [<<"com_sink.st">>, sink_source()]),
             ok = peer:call(Peer, ?MODULE, start_collector, []),
             {Peer, Node}
         end || Name <- [com_pub, com_sub]],
    try
        {ok, S} = peer:call(B, ?MODULE, start_collected, [subscriber(<<"plc[far]">>), [<<"S.INITO">>, <<"S.IND">>]]),
        ok = peer:call(B, plc, inject, [S, <<"S.INIT">>]),
        ?assertEqual([ok_status()], peer:call(B, ?MODULE, take_events, [<<"S.INITO">>, 1])),
        ok = peer:call(A, application, set_env, [plc, com_peers, #{<<"far">> => [NodeB]}]),
        {ok, P} = peer:call(A, ?MODULE, start_collected, [publisher(<<"plc[far]">>), [<<"P.INITO">>, <<"P.CNF">>]]),
        ok = peer:call(A, plc, inject, [P, <<"P.INIT">>]),
        ?assertEqual([ok_status()], peer:call(A, ?MODULE, take_events, [<<"P.INITO">>, 1])),
        ?assertEqual({[NodeB], []}, {peer:call(A, erlang, nodes, [hidden]), peer:call(A, erlang, nodes, [visible])}),
        ?assertEqual([NodeA], peer:call(B, erlang, nodes, [connected])),
        ?assertEqual([NodeB], maps:keys(peer:call(A, plc_mon, nodes, []))),  % the one edge the blocks need
        Many = [{K, integer_to_binary(K)} || K <- lists:seq(-100, 100)],
        [ok = peer:call(A, plc, inject, [P, <<"P.REQ">>, [{<<"SD_1">>, X}, {<<"SD_2">>, Y}]]) || {X, Y} <- Many],
        ?assertEqual([ok_status() || _ <- Many], peer:call(A, ?MODULE, take_events, [<<"P.CNF">>, length(Many)])),
        ?assertEqual([#{<<"QO">> => true, <<"STATUS">> => <<"OK">>, <<"RD_1">> => X, <<"RD_2">> => Y} || {X, Y} <- Many],
                     peer:call(B, ?MODULE, take_events, [<<"S.IND">>, length(Many)]))
    after
        [peer:stop(X) || X <- [A, B]]
    end.

%% Two plc devices on two hidden nodes, each a management server that the
%% test deploys to over TCP as 4diac IDE would (boot-file lines): the
%% publisher's E_CYCLE counts into PUBLISH_1 with ID plc[line], the
%% subscriber's SUBSCRIBE_1 with the same ID feeds an E_CTU's PV (typing
%% RD_1 as UINT); the subscriber's watch shows the counts arriving, and the
%% only connection between the nodes is the one the blocks need.
devices_deployed_by_the_protocol_publish_over_distribution(_Config) ->
    Paths = lists:usort([filename:dirname(code:which(M)) || M <- [plc, ?MODULE]]),
    Args = ["-hidden" | lists:append([["-pa", P] || P <- Paths])],
    [{A, NodeA, PortA}, {B, NodeB, PortB}] =
        [begin
             {ok, Peer, Node} = peer:start_link(#{name => peer:random_name(Name), args => Args,
                                                  connection => standard_io}),
             {ok, _} = peer:call(Peer, application, ensure_all_started, [plc]),
             {ok, Server} = peer:call(Peer, plc, serve_management, ["127.0.0.1:0", #{}]),
             {_, Port} = peer:call(Peer, plc_mgmt_server, address, [Server]),
             {Peer, Node, Port}
         end || Name <- [dev_pub, dev_sub]],
    try
        ok = peer:call(A, application, set_env, [plc, com_peers, #{<<"line">> => [NodeB]}]),
        Sub = [{<<>>, <<"<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"SUB\" Type=\"EMB_RES\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"S\" Type=\"net__SUBSCRIBE_1\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"3\" Action=\"WRITE\"><Connection Source=\"TRUE\" Destination=\"S.QI\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"4\" Action=\"WRITE\"><Connection Source=\"&quot;plc[line]&quot;\" Destination=\"S.ID\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"5\" Action=\"CREATE\"><FB Name=\"C\" Type=\"E_CTU\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"6\" Action=\"CREATE\"><Connection Source=\"START.COLD\" Destination=\"S.INIT\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"7\" Action=\"CREATE\"><Connection Source=\"S.IND\" Destination=\"C.CU\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"8\" Action=\"CREATE\"><Connection Source=\"S.RD_1\" Destination=\"C.PV\" /></Request>">>},
               {<<"SUB">>, <<"<Request ID=\"9\" Action=\"START\"/>">>},
               {<<"SUB">>, <<"<Request ID=\"10\" Action=\"CREATE\"><Watch Source=\"C.PV\" Destination=\"*\" /></Request>">>}],
        Pub = [{<<>>, <<"<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"PUB\" Type=\"EMB_RES\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"P\" Type=\"net__PUBLISH_1\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"3\" Action=\"WRITE\"><Connection Source=\"TRUE\" Destination=\"P.QI\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"4\" Action=\"WRITE\"><Connection Source=\"&quot;plc[line]&quot;\" Destination=\"P.ID\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"5\" Action=\"CREATE\"><FB Name=\"CYC\" Type=\"E_CYCLE\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"6\" Action=\"WRITE\"><Connection Source=\"T#5ms\" Destination=\"CYC.DT\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"7\" Action=\"CREATE\"><FB Name=\"N\" Type=\"E_CTU\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"8\" Action=\"CREATE\"><Connection Source=\"START.COLD\" Destination=\"P.INIT\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"9\" Action=\"CREATE\"><Connection Source=\"P.INITO\" Destination=\"CYC.START\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"10\" Action=\"CREATE\"><Connection Source=\"CYC.EO\" Destination=\"N.CU\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"11\" Action=\"CREATE\"><Connection Source=\"N.CUO\" Destination=\"P.REQ\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"12\" Action=\"CREATE\"><Connection Source=\"N.CV\" Destination=\"P.SD_1\" /></Request>">>},
               {<<"PUB">>, <<"<Request ID=\"13\" Action=\"START\"/>">>}],
        Deploy = fun(Port, Lines) ->
                         {ok, C0} = plc_mgmt_client:connect("127.0.0.1:" ++ integer_to_list(Port)),
                         C = lists:foldl(fun({Dst, Req}, Ci) ->
                                                 {ok, Resp, Ci1} = plc_mgmt_client:request(Ci, Dst, Req),
                                                 ?assertEqual(nomatch, binary:match(Resp, <<"Reason=">>)),
                                                 Ci1
                                         end, C0, Lines),
                         C
                 end,
        CSub = Deploy(PortB, Sub),
        _ = Deploy(PortA, Pub),
        Read = fun() ->
                       {ok, R, _} = plc_mgmt_client:request(CSub, <<>>, <<"<Request ID=\"11\" Action=\"READ\"><Watches/></Request>">>),
                       {match, [V]} = re:run(R, <<"<Port name=\"PV\"><Data value=\"([0-9]+)\"">>,
                                             [{capture, all_but_first, binary}]),
                       binary_to_integer(V)
               end,
        wait_until(fun() -> Read() >= 10 end),
        ?assertEqual({[NodeB], []}, {peer:call(A, erlang, nodes, [hidden]), peer:call(A, erlang, nodes, [visible])}),
        ?assertEqual([NodeA], peer:call(B, erlang, nodes, [connected])),
        ?assertEqual([NodeB], maps:keys(peer:call(A, plc_mon, nodes, [])))
    after
        [peer:stop(X) || X <- [A, B]]
    end.

%% On a peer: a process that keeps what the resources send, for take_events/2.
-spec start_collector() -> ok.
start_collector() ->
    Pid = spawn(fun() -> collect([]) end),
    true = register(plc_com_collector, Pid),
    ok.

-spec start_collected(map(), [binary()]) -> {ok, pid()}.
start_collected(Net, Observe) ->
    plc:start_resource(Net, #{subscribers => [whereis(plc_com_collector)], observe => Observe}).

collect(Acc) ->
    receive
        {take, From} -> From ! {taken, lists:reverse(Acc)}, collect([]);
        M -> collect([M | Acc])
    end.

%% The data of the next N events of Port, waiting up to 5 s for them.
-spec take_events(binary(), non_neg_integer()) -> [map()].
take_events(Port, N) ->
    take_events(Port, N, [], erlang:monotonic_time(millisecond) + 5000).

take_events(_Port, N, Acc, _Deadline) when length(Acc) >= N ->
    Acc;
take_events(Port, N, Acc, Deadline) ->
    plc_com_collector ! {take, self()},
    Got = receive {taken, Ms} -> [D || {plc_event, _, P, D} <- Ms, P =:= Port] end,
    case erlang:monotonic_time(millisecond) > Deadline of
        true -> Acc ++ Got;
        false -> timer:sleep(10), take_events(Port, N, Acc ++ Got, Deadline)
    end.

%%% fbdk[].ip[...]

fbdk_udp_publish_subscribe(_Config) ->
    Port = free_port(udp),
    Id = <<"fbdk[].ip[127.0.0.1:", (integer_to_binary(Port))/binary, "]">>,
    S = start(subscriber(Id), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    P = start(publisher(<<"127.0.0.1:", (integer_to_binary(Port))/binary>>), [<<"P.INITO">>, <<"P.CNF">>]),
    ?assertEqual(ok_status(), init(P, <<"P">>)),
    ok = publish(P, ?VALUES),
    ok = received(S, ?VALUES),
    [plc:stop_resource(X) || X <- [P, S]],
    ok.

%% A multicast group joined and sent to on the loopback interface.
fbdk_udp_multicast(_Config) ->
    Port = free_port(udp),
    Id = <<"fbdk[].ip[239.0.0.7:", (integer_to_binary(Port))/binary, "@127.0.0.1]">>,
    {ok, {fbdk_ip, _, {multicast, {127, 0, 0, 1}}}} = plc_com_id:parse(Id),
    S = start(subscriber(Id), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    P = start(publisher(Id), [<<"P.INITO">>, <<"P.CNF">>]),
    ?assertEqual(ok_status(), init(P, <<"P">>)),
    ok = publish(P, ?VALUES),
    ok = received(S, ?VALUES),
    [plc:stop_resource(X) || X <- [P, S]],
    ok.

fbdk_tcp_client_server(_Config) ->
    Port = free_port(tcp),
    Id = <<"fbdk[].ip[127.0.0.1:", (integer_to_binary(Port))/binary, "]">>,
    V = start(server(Id), [<<"V.INITO">>, <<"V.IND">>]),
    ?assertEqual(ok_status(), init(V, <<"V">>)),
    C = start(client(Id), [<<"C.INITO">>, <<"C.CNF">>]),
    ?assertEqual(ok_status(), init(C, <<"C">>)),
    [begin
         ok = plc:inject(C, <<"C.REQ">>, [{<<"SD_1">>, K}, {<<"SD_2">>, <<"req">>}]),
         ?assertEqual(#{<<"QO">> => true, <<"STATUS">> => <<"OK">>, <<"RD_1">> => K, <<"RD_2">> => <<"req">>},
                      event(V, <<"V.IND">>)),
         ok = plc:inject(V, <<"V.RSP">>, [{<<"SD_1">>, K * 2}]),
         ?assertEqual(#{<<"QO">> => true, <<"STATUS">> => <<"OK">>, <<"RD_1">> => K * 2}, event(C, <<"C.CNF">>))
     end || K <- [1, -5, 1000]],
    %% A second client while the first is served: connected, then closed
    %% by the server (FORTE's single-connection server), TERMINATED.
    C2 = start(client(Id), [<<"C.INITO">>, <<"C.CNF">>]),
    ?assertEqual(ok_status(), init(C2, <<"C">>)),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"TERMINATED">>}, event(C2, <<"C.INITO">>)),
    plc:stop_resource(C2),
    ok = plc:inject(C, <<"C.REQ">>, [{<<"SD_1">>, 3}, {<<"SD_2">>, <<"still">>}]),
    ?assertMatch(#{<<"RD_1">> := 3, <<"RD_2">> := <<"still">>}, event(V, <<"V.IND">>)),
    %% The server goes: the client's channel is TERMINATED.
    plc:stop_resource(V),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"TERMINATED">>}, event(C, <<"C.INITO">>)),
    plc:stop_resource(C).

%% A datagram that is not FBDK ASN.1 for the RDs: counted, reported, and
%% the next good one is delivered.
fbdk_bad_datagram_counted(_Config) ->
    Port = free_port(udp),
    S = start(subscriber(<<"127.0.0.1:", (integer_to_binary(Port))/binary>>), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    {ok, U} = gen_udp:open(0, [binary]),
    ok = gen_udp:send(U, {127, 0, 0, 1}, Port, <<1, 2, 3>>),
    ?assertEqual({plc_com, <<"S">>, {plc_com_bad_packet, 1, {decode, {1, 0, {bad_tag, 16#43, 1}}}}}, alarm(S)),
    Good = <<16#43, 0, 12, 16#50, 0, 2, "ok">>,  % INT 12, STRING 'ok'
    ok = gen_udp:send(U, {127, 0, 0, 1}, Port, Good),
    ok = received(S, [{12, <<"ok">>}]),
    gen_udp:close(U),
    plc:stop_resource(S).

%% plc_nif:service_data/5, the native decoder behind a channel over IP,
%% driven directly: located errors for hostile bytes (nothing delivered),
%% a stream's message taken off the front of its bytes, and badarg for a
%% block that is no communication block.
fbdk_bytes_decoded_natively(_Config) ->
    Port = free_port(udp),
    S = start(subscriber(<<"127.0.0.1:", (integer_to_binary(Port))/binary>>), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    {ok, _, _, H} = plc_mon:lookup(S),
    [Ch] = plc_nif:read(H, [{<<"S">>, <<"$channel">>}]),
    Data = fun(Framing, Bin) -> plc_nif:service_data(H, <<"S">>, Ch, Framing, Bin) end,
    Good = <<16#43, 0, 12, 16#50, 0, 2, "ok">>,
    ?assertEqual({error, {decode, {1, 0, truncated}}}, Data(datagram, <<>>)),
    ?assertEqual({error, {decode, {2, 3, {bad_tag, 16#50, 16#55}}}}, Data(datagram, <<16#43, 0, 1, 16#55, 0, 0>>)),
    ?assertEqual({error, {decode, {2, 6, truncated}}}, Data(datagram, <<16#43, 0, 1, 16#50, 16#FF, 16#FF, "abc">>)),
    ?assertEqual({error, {decode, {0, 8, {trailing_bytes, 1}}}}, Data(datagram, <<Good/binary, 0>>)),
    Long = binary:copy(<<"x">>, 255),  % SINK2.B is a STRING of 254
    ?assertEqual({error, {decode, {2, 4, {too_long, 255}}}}, Data(datagram, <<16#43, 0, 1, 16#50, 0, 255, Long/binary>>)),
    no_event(S, <<"S.IND">>),
    ?assertEqual(incomplete, Data(stream, binary:part(Good, 0, 5))),
    ?assertEqual({ok, <<16#43, 0>>}, Data(stream, <<Good/binary, 16#43, 0>>)),
    received(S, [{12, <<"ok">>}]),
    ?assertEqual(ok, Data(datagram, <<16#43, 16#FF, 16#FE, 16#50, 0, 0>>)),
    received(S, [{-2, <<>>}]),
    %% A stream's buffer beyond 1 MiB is decoded on a dirty scheduler.
    Many = binary:copy(<<16#43, 0, 7, 16#50, 0, 0>>, 200000),
    ?assertEqual({ok, Many}, Data(stream, <<Good/binary, Many/binary>>)),
    received(S, [{12, <<"ok">>}]),
    ?assertError({badarg, _}, plc_nif:service_data(H, <<"K">>, Ch, datagram, Good)),
    ?assertError({badarg, _}, plc_nif:service_data(H, <<"S">>, Ch, sideways, Good)),
    ?assertError({badarg, _}, plc_nif:service_data(H, <<"S">>, Ch, datagram, not_a_binary)),
    ?assertError({badarg, _}, plc_nif:service_answer(H, <<"S">>, Ch, init, ok, [])),
    plc:stop_resource(S).

fbdk_client_refused(_Config) ->
    Port = free_port(tcp),
    C = start(client(<<"127.0.0.1:", (integer_to_binary(Port))/binary>>), [<<"C.INITO">>, <<"C.CNF">>]),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"INVALID_ID">>}, init(C, <<"C">>)),
    {plc_com, <<"C">>, {open_failed, {tcp_connect, econnrefused}}} = alarm(C),
    plc:stop_resource(C).

invalid_id(_Config) ->
    P = start(publisher(<<"mqtt[x]">>), [<<"P.INITO">>, <<"P.CNF">>]),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"INVALID_ID">>}, init(P, <<"P">>)),
    {plc_com, <<"P">>, {open_failed, {bad_id, {unsupported_layer, <<"mqtt">>}}}} = alarm(P),
    ok = plc:inject(P, <<"P.REQ">>),
    ?assertEqual(#{<<"QO">> => false, <<"STATUS">> => <<"NO_SOCKET">>}, event(P, <<"P.CNF">>)),
    plc:stop_resource(P).

%% Junk sent to a channel (anyone may send to a pg member), forged
%% service requests to the resource and malformed answers to the NIF:
%% counted, logged or refused with badarg; nothing crashes, and the
%% channel still delivers the next genuine packet.
hostile_input(_Config) ->
    S = start(subscriber(<<"plc[hostile]">>), [<<"S.INITO">>, <<"S.IND">>]),
    ?assertEqual(ok_status(), init(S, <<"S">>)),
    [Channel] = pg:get_local_members(plc_com, {publish, <<"hostile">>}),
    Channel ! junk,
    Channel ! {plc_com_publish, <<"hostile">>, self(), 1, [1, <<"a">>, extra]},
    Channel ! {plc_com_publish, <<"hostile">>, self(), 2, not_a_list},
    Channel ! {plc_com_response, <<"hostile">>, 1, []},
    S ! {plc_service, <<"S">>, subscriber, open, 1, not_a_map},
    S ! {plc_service, <<"nope">>, subscriber, send, 99, [1]},
    S ! {plc_com_alarm, self(), forged},
    %% Forged opens: for an FB that is no communication block, and for the
    %% open block's channel that is not the one it waits for. Neither starts
    %% a channel (one would answer a block that does not ask, and crash the
    %% resource with it).
    Channels = supervisor:count_children(plc_com_channels),
    S ! {plc_service, <<"K">>, subscriber, open, 1, #{id => <<"plc[forged]">>, sd => [], rd => [int, string]}},
    S ! {plc_service, <<"S">>, subscriber, open, 99, #{id => <<"plc[forged]">>, sd => [], rd => [int, string]}},
    _ = sys:get_state(S),
    ?assertEqual(Channels, supervisor:count_children(plc_com_channels)),
    {ok, _, _, H} = plc_mon:lookup(S),
    Bad = [[H, <<"S">>, 1, data, ok, [1]],                         % one RD short
           [H, <<"S">>, 1, data, ok, [<<"x">>, <<"y">>]],          % RD_1 is an INT
           [H, <<"S">>, 1, data, no_such_code, []],
           [H, <<"S">>, 1, neither, ok, []],
           [H, <<"S">>, -1, data, ok, []],
           [H, <<"K">>, 1, data, ok, []],                          % not a communication block
           [H, <<"S">>, 1, data, ok, [1, <<"a">>, 3]]],
    [?assertError({badarg, _}, apply(plc_nif, service_answer, A)) || A <- Bad],
    ?assert(is_process_alive(Channel)),
    ?assert(is_process_alive(S)),
    ?assertMatch(#{bad := 3, delivered := 0}, plc_com_channel:stats(Channel)),
    Channel ! {plc_com_publish, <<"hostile">>, self(), 3, [3, <<"c">>]},
    ok = received(S, [{3, <<"c">>}]),
    plc:stop_resource(S).

%% A structured SD and RD, as a map by member name, over plc[GROUP] and
%% over UDP (the engine encodes the structure: runtime/fbdk_asn1.h).
structures(_Config) ->
    Port = free_port(udp),
    [begin
         S = start(#{fbs => [{<<"S">>, <<"SUBSCRIBE_1">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, quoted(Id)}]},
                             {<<"B">>, <<"PTBOX">>, []}],
                     data => [{<<"S.RD_1">>, <<"B.P">>}]}, [<<"S.INITO">>, <<"S.IND">>]),
         ?assertEqual(ok_status(), init(S, <<"S">>)),
         P = start(#{fbs => [{<<"P">>, <<"PUBLISH_1">>, [{<<"QI">>, <<"TRUE">>}, {<<"ID">>, quoted(Id)}]},
                             {<<"B">>, <<"PTBOX">>, []}],
                     data => [{<<"B.Q">>, <<"P.SD_1">>}]}, [<<"P.INITO">>, <<"P.CNF">>]),
         ?assertEqual(ok_status(), init(P, <<"P">>)),
         Point = #{<<"X">> => -12, <<"Name">> => <<"north">>, <<"On">> => true},
         ok = plc:inject(P, <<"P.REQ">>, [{<<"SD_1">>, Point}]),
         ?assertEqual(ok_status(), event(P, <<"P.CNF">>)),
         ?assertEqual(maps:merge(ok_status(), #{<<"RD_1">> => Point}), event(S, <<"S.IND">>)),
         [plc:stop_resource(X) || X <- [P, S]]
     end || Id <- [<<"plc[points]">>, <<"127.0.0.1:", (integer_to_binary(Port))/binary>>]],
    ok.

%%% Helpers

free_port(Kind) ->
    {ok, S} = case Kind of
                  udp -> gen_udp:open(0, [{ip, {127, 0, 0, 1}}]);
                  tcp -> gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}])
              end,
    {ok, Port} = inet:port(S),
    ok = inet:close(S),
    Port.

wait_until(F) -> wait_until(F, 100).
wait_until(F, 0) -> ct:fail({timeout, F});
wait_until(F, N) ->
    case F() of
        true -> ok;
        false -> timer:sleep(20), wait_until(F, N - 1)
    end.
