%%% EUnit tests of plc_mgmt_device over the real engine (the plc
%%% application): the device model's answers, byte for byte, and what it
%%% does to the engine's resources.
-module(plc_mgmt_device_tests).
-include_lib("eunit/include/eunit.hrl").

device_test_() ->
    {setup,
     fun() -> {ok, Apps} = application:ensure_all_started(plc), Apps end,
     fun(Apps) -> [application:stop(A) || A <- lists:reverse(Apps)] end,
     [{"a resource is created, queried and deleted at the device", fun resources/0},
      {"FORTE's state machine answers INVALID_STATE for a wrong change", fun state_machine/0},
      {"FBs, connections and parameters build a network that START runs", fun deploy_and_run/0},
      {"every error reason of section 2.3 where FORTE gives it", fun errors/0},
      {"watches report values as FORTE prints them and event counts", fun watches/0},
      {"a trigger on an event input injects it, on an output its destinations", fun triggers/0},
      {"QUERY of connections prefixes the resource's name but for START", fun query_connections/0},
      {"FBs and connections change on a running resource without a restart", fun online_changes/0},
      {"STOP holds a resource and START continues it warm; RESET makes the next START cold", fun stop_start_warm/0},
      {"a force holds a port in the engine; watches print it forced; clear restores", fun forcing/0},
      {"a force on a resource not running is applied at START", fun forcing_before_start/0},
      {"values are printed as FORTE 3.x prints them", fun formats/0},
      {"a boot file runs up to its first failing command", fun boot_file/0},
      {"a device KILL stops the resources and closes", fun device_kill/0},
      {"a resource its supervisor restarts is still the device's", fun restarted_resource/0},
      {"the type NIFs answer types, literals and connections, and raise badarg", fun type_nifs/0}]}.

%% Runs requests (destination, request text) and returns the responses.
run(Requests) ->
    run(Requests, plc_mgmt_device:new()).

run(Requests, D0) ->
    E = plc_mgmt_device:engine(),
    {Responses, D} = lists:foldl(fun({Dst, Text}, {Acc, D}) ->
                                         case plc_mgmt_codec:parse_request(Text) of
                                             {ok, Id, C} ->
                                                 {reply, Resp, D1} = plc_mgmt_device:handle(Dst, {Id, C}, D, E),
                                                 {[Resp | Acc], D1};
                                             {error, Id, Reason} ->
                                                 {[plc_mgmt_codec:error(Id, Reason) | Acc], D}
                                         end
                                 end, {[], D0}, Requests),
    {lists:reverse(Responses), D}.

req(Id, Action, Child) ->
    iolist_to_binary(["<Request ID=\"", Id, "\" Action=\"", Action, "\">", Child, "</Request>"]).

create_res() -> {<<>>, req("1", "CREATE", "<FB Name=\"R\" Type=\"EMB_RES\" />")}.
fb(Id, Name, Type) -> {<<"R">>, req(Id, "CREATE", ["<FB Name=\"", Name, "\" Type=\"", Type, "\" />"])}.
conn(Id, S, D) -> {<<"R">>, req(Id, "CREATE", ["<Connection Source=\"", S, "\" Destination=\"", D, "\" />"])}.
write(Id, V, D) -> {<<"R">>, req(Id, "WRITE", ["<Connection Source=\"", V, "\" Destination=\"", D, "\" />"])}.
ok(Id) -> iolist_to_binary(["<Response ID=\"", Id, "\" />"]).
long_ok(Id) -> iolist_to_binary(["<Response ID=\"", Id, "\">\n  \n</Response>"]).
err(Id, R) -> iolist_to_binary(["<Response ID=\"", Id, "\" Reason=\"", R, "\" />"]).
long_err(Id, R) -> iolist_to_binary(["<Response ID=\"", Id, "\" Reason=\"", R, "\">\n  \n</Response>"]).

resources() ->
    {Rs, _} = run([{<<>>, req("0", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")},
                   create_res(),
                   {<<>>, req("2", "CREATE", "<FB Name=\"R2\" Type=\"pkg__EMB_RES\" />")},
                   {<<>>, req("3", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")},
                   {<<>>, req("4", "DELETE", "<FB Name=\"R2\" Type=\"\"/>")},
                   {<<>>, req("5", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")},
                   {<<"R">>, req("6", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")}]),
    ?assertEqual([ok("0"), ok("1"), ok("2"),
                  <<"<Response ID=\"3\">\n  <FBList>\n    <FB name=\"R\" type=\"EMB_RES\"/>\n"
                    "<FB name=\"R2\" type=\"EMB_RES\"/>\n  </FBList>\n</Response>">>,
                  ok("4"),
                  <<"<Response ID=\"5\">\n  <FBList>\n    <FB name=\"R\" type=\"EMB_RES\"/>\n  </FBList>\n</Response>">>,
                  <<"<Response ID=\"6\">\n  <FBList>\n    <FB name=\"START\" type=\"E_RESTART\"/>\n  </FBList>\n</Response>">>],
                 Rs).

state_machine() ->
    {Rs, D} = run([create_res(),
                   {<<>>, req("2", "KILL", "<FB Name=\"R\" Type=\"\"/>")},     % idle: no
                   {<<"R">>, <<"<Request ID=\"3\" Action=\"START\"/>">>},
                   {<<"R">>, <<"<Request ID=\"4\" Action=\"START\"/>">>},      % running: no
                   {<<>>, <<"<Request ID=\"5\" Action=\"START\"/>">>},         % the running device: no
                   {<<"R">>, <<"<Request ID=\"6\" Action=\"STOP\"/>">>},
                   {<<"R">>, <<"<Request ID=\"7\" Action=\"KILL\"/>">>},       % after STOP: no
                   {<<"R">>, <<"<Request ID=\"8\" Action=\"RESET\"/>">>},
                   {<<"R">>, <<"<Request ID=\"9\" Action=\"RESET\"/>">>},      % idle: no
                   {<<>>, req("10", "START", "<FB Name=\"R\" Type=\"\"/>")},
                   {<<>>, req("11", "DELETE", "<FB Name=\"R\" Type=\"\"/>")},  % running: no
                   {<<>>, req("12", "KILL", "<FB Name=\"R\" Type=\"\"/>")},
                   {<<>>, req("13", "DELETE", "<FB Name=\"R\" Type=\"\"/>")}]),
    ?assertEqual([ok("1"), err("2", "INVALID_STATE"), ok("3"), err("4", "INVALID_STATE"),
                  err("5", "INVALID_STATE"), ok("6"), err("7", "INVALID_STATE"), ok("8"),
                  err("9", "INVALID_STATE"), ok("10"), err("11", "INVALID_STATE"), ok("12"), ok("13")], Rs),
    _ = D.

deploy() ->
    [create_res(),
     fb("2", "CYC", "E_CYCLE"), write("3", "T#10ms", "CYC.DT"),
     fb("4", "SUB.CTU", "iec61499__events__E_CTU"), write("5", "UINT#3", "SUB.CTU.PV"),
     conn("6", "START.COLD", "CYC.START"), conn("7", "CYC.EO", "SUB.CTU.CU")].

deploy_and_run() ->
    {Rs, D} = run(deploy() ++ [{<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>}]),
    ?assertEqual([ok("1"), ok("2"), long_ok("3"), ok("4"), long_ok("5"), ok("6"), ok("7"), ok("8")], Rs),
    Read = fun() -> {[W], _} = run([{<<>>, req("9", "READ", "<Watches/>")}], D), W end,
    {[R10], D1} = run([{<<"R">>, req("10", "CREATE", "<Watch Source=\"SUB.CTU.Q\" Destination=\"*\" />")}], D),
    ?assertEqual(ok("10"), R10),
    ?assertEqual(ok("9"), Read()),  % no watch in D yet
    wait_until(fun() ->
                       {[W], _} = run([{<<>>, req("9", "READ", "<Watches/>")}], D1),
                       W =:= <<"<Response ID=\"9\">\n  <Watches>\n    <Resource name=\"R\"><FB name=\"SUB.CTU\">"
                               "<Port name=\"Q\"><Data value=\"TRUE\" forced=\"false\"/></Port></FB></Resource>"
                               "\n  </Watches>\n</Response>">>
               end),
    _ = plc_mgmt_device:stop_all(D1, plc_mgmt_device:engine()).

errors() ->
    {Rs, D} = run(deploy() ++
                      [{<<"X">>, req("10", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")},        % unknown resource
                       {<<"X">>, req("11", "WRITE", "<Connection Source=\"1\" Destination=\"a.b\" />")},
                       {<<>>, req("12", "CREATE", "<FB Name=\"R\" Type=\"EMB_RES\" />")},   % duplicate
                       {<<>>, req("13", "CREATE", "<FB Name=\"Q\" Type=\"NO_RES\" />")},
                       fb("14", "CYC", "E_CYCLE"),                                            % duplicate
                       fb("15", "X", "NO_SUCH_TYPE"),
                       {<<"R">>, req("16", "DELETE", "<FB Name=\"NONE\" Type=\"\" />")},
                       {<<"R">>, req("17", "DELETE", "<FB Name=\"START\" Type=\"\" />")},
                       conn("18", "CYC.EO", "NONE.CU"),
                       conn("19", "CYC.NONE", "SUB.CTU.CU"),
                       conn("20", "CYC.EO", "SUB.CTU.CU"),                                     % duplicate
                       fb("21", "C2", "E_CTU"),
                       conn("22", "SUB.CTU.CV", "C2.PV"),
                       conn("23", "SUB.CTU.CV", "C2.PV"),                                      % taken
                       conn("24", "CYC.EO", "C2.PV"),                                          % event into data
                       write("25", "notatime", "CYC.DT"),
                       write("26", "", "CYC.DT"),
                       write("27", "1", "CYC.NONE"),
                       write("28", "1", "NONE.DT"),
                       {<<"R">>, req("29", "CREATE", "<Watch Source=\"CYC.NONE\" Destination=\"*\" />")},
                       {<<"R">>, req("30", "DELETE", "<Watch Source=\"CYC.EO\" Destination=\"*\" />")},
                       write("31", "$e", "CYC.NONE"),
                       {<<"R">>, req("32", "DELETE", "<Connection Source=\"CYC.EO\" Destination=\"C2.CU\" />")},
                       {<<"R">>, req("33", "CREATE", "<Bogus/>")},
                       {<<"R">>, req("34", "QUERY", "<DataType Name=\"*\" />")},
                       write("35", "-1", "SUB.CTU.PV"),                                       % UINT
                       write("36", "abc", "C2.PV"),
                       fb("37", "C3", "E_CTU"),
                       conn("38", "SUB.CTU.Q", "C3.PV")]),                                    % BOOL into UINT
    ?assertEqual([err("10", "INVALID_DST"), long_err("11", "INVALID_DST"),
                  err("12", "INVALID_STATE"), err("13", "UNSUPPORTED_TYPE"),
                  err("14", "INVALID_STATE"), err("15", "UNSUPPORTED_TYPE"),
                  err("16", "NO_SUCH_OBJECT"), err("17", "INVALID_OPERATION"),
                  err("18", "NO_SUCH_OBJECT"), err("19", "NO_SUCH_OBJECT"), err("20", "INVALID_STATE"),
                  ok("21"), ok("22"), err("23", "INVALID_STATE"), err("24", "INVALID_OPERATION"),
                  long_err("25", "BAD_PARAMS"), long_err("26", "BAD_PARAMS"),
                  long_err("27", "NO_SUCH_OBJECT"), long_err("28", "NO_SUCH_OBJECT"),
                  err("29", "NO_SUCH_OBJECT"), err("30", "NO_SUCH_OBJECT"), long_err("31", "NO_SUCH_OBJECT"),
                  err("32", "NO_SUCH_OBJECT"), err("33", "INVALID_OBJECT"), err("34", "UNSUPPORTED_CMD"),
                  long_err("35", "BAD_PARAMS"), long_err("36", "BAD_PARAMS"),
                  ok("37"), err("38", "INVALID_OPERATION")],
                 lists:nthtail(7, Rs)),
    %% A BAD_PARAMS write leaves the parameter as it was: the watch shows it.
    {[R37, W], _} = run([{<<"R">>, req("37", "CREATE", "<Watch Source=\"CYC.DT\" Destination=\"*\" />")},
                               {<<"R">>, req("38", "READ", "<Watches/>")}], D),
    %% A generic input takes any type of its class: F_MOVE's ANY IN takes UINT.
    {[R39, R40], _} = run([fb("39", "M", "F_MOVE"), conn("40", "SUB.CTU.CV", "M.IN")], D),
    ?assertEqual([ok("39"), ok("40")], [R39, R40]),
    ?assertEqual(ok("37"), R37),
    ?assertEqual(<<"<Response ID=\"38\">\n  <Watches>\n    <Resource name=\"R\"><FB name=\"CYC\"><Port name=\"DT\">"
                   "<Data value=\"T#10ms\" forced=\"false\"/></Port></FB></Resource>\n  </Watches>\n</Response>">>, W).

watches() ->
    {_, D} = run(deploy() ++
                     [{<<"R">>, req("8", "CREATE", "<Watch Source=\"SUB.CTU.CV\" Destination=\"*\" />")},
                      {<<"R">>, req("9", "CREATE", "<Watch Source=\"CYC.EO\" Destination=\"*\" />")},
                      {<<"R">>, req("10", "CREATE", "<Watch Source=\"SUB.CTU.CU\" Destination=\"*\" />")},
                      {<<"R">>, <<"<Request ID=\"11\" Action=\"START\"/>">>},
                      {<<"R">>, req("11", "CREATE", "<Watch Source=\"START.COLD\" Destination=\"*\" />")},
                      {<<"R">>, req("11", "CREATE", "<Watch Source=\"CYC.START\" Destination=\"*\" />")}]),
    %% START.COLD fired once, into CYC.START (counted in the regexp below).
    D1 = collect_events(D, 300),
    {[W], _} = run([{<<>>, req("12", "READ", "<Watches/>")}], D1),
    {match, [CV, EO, CU]} =
        re:run(W, "<FB name=\"SUB.CTU\"><Port name=\"CV\"><Data value=\"([0-9]+)\" forced=\"false\"/></Port>"
                  "<Port name=\"CU\"><Data value=\"([0-9]+)\" time=\"[0-9]+\"/>\n</Port></FB>"
                  "<FB name=\"CYC\"><Port name=\"EO\"><Data value=\"([0-9]+)\" time=\"[0-9]+\"/>\n</Port>"
                  "<Port name=\"START\"><Data value=\"1\" time=\"[0-9]+\"/>\n</Port></FB>"
                  "<FB name=\"START\"><Port name=\"COLD\"><Data value=\"1\" time=\"[0-9]+\"/>\n</Port></FB>",
               [{capture, [1, 3, 2], binary}]),
    ?assert(binary_to_integer(EO) >= 5),
    %% The counter counted every EO (the engine's value may be ahead of the
    %% events this process has received).
    ?assert(binary_to_integer(CV) >= binary_to_integer(EO)),
    ?assertEqual(EO, CU),
    {[R13, R14, R15], _} =
        run([{<<"R">>, req("13", "DELETE", "<Watch Source=\"CYC.EO\" Destination=\"*\" />")},
             {<<"R">>, req("14", "DELETE", "<Watch Source=\"SUB.CTU.CU\" Destination=\"*\" />")},
             {<<"R">>, req("15", "DELETE", "<Watch Source=\"SUB.CTU.CU\" Destination=\"*\" />")}], D1),
    ?assertEqual([ok("13"), ok("14"), err("15", "NO_SUCH_OBJECT")], [R13, R14, R15]),
    %% No event watch left: the engine sends no more events to count.
    timer:sleep(20),
    flush_events(),
    timer:sleep(100),
    ?assertEqual(none, receive {plc_event, _, _, _} = M -> M after 0 -> none end),
    _ = plc_mgmt_device:stop_all(D1, plc_mgmt_device:engine()).

triggers() ->
    Net = [create_res(), fb("2", "C", "E_CTU"), write("3", "2", "C.PV"), fb("4", "S", "E_SPLIT"),
           conn("5", "S.EO1", "C.CU"),
           {<<"R">>, req("6", "CREATE", "<Watch Source=\"C.CV\" Destination=\"*\" />")},
           {<<"R">>, req("7", "CREATE", "<Watch Source=\"C.CU\" Destination=\"*\" />")},
           {<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>},
           write("9", "$e", "C.CU"),
           write("10", "$e", "S.EO1")],
    {Rs, D} = run(Net),
    ?assertEqual([long_ok("9"), long_ok("10")], lists:nthtail(8, Rs)),
    wait_until(fun() -> plc:read(pid_of(D), <<"C.CV">>) =:= {ok, 2} end),
    {[W], _} = run([{<<>>, req("11", "READ", "<Watches/>")}], D),
    ?assertMatch({match, _}, re:run(W, "<Port name=\"CV\"><Data value=\"2\" forced=\"false\"/></Port>"
                                       "<Port name=\"CU\"><Data value=\"2\" time=\"[0-9]+\"/>\n</Port>")),
    {[R12, W2], _} = run([write("12", "$er", "C.CU"), {<<>>, req("13", "READ", "<Watches/>")}], D),
    ?assertEqual(long_ok("12"), R12),
    ?assertMatch({match, _}, re:run(W2, "<Port name=\"CU\"><Data value=\"1\" time=")),  % S.EO1's stays
    _ = plc_mgmt_device:stop_all(D, plc_mgmt_device:engine()).

query_connections() ->
    {Rs, _} = run(deploy() ++ [{<<"R">>, req("8", "QUERY", "<Connection Source=\"*\" Destination=\"*\"/>")}]),
    ?assertEqual(<<"<Response ID=\"8\">\n  <EndpointList>\n    <Connection Source=\"START.COLD\" Destination=\"R.CYC.START\"/>"
                   "<Connection Source=\"R.CYC.EO\" Destination=\"R.SUB.CTU.CU\"/>\n  </EndpointList>\n</Response>">>,
                 lists:last(Rs)).

online_changes() ->
    {_, D} = run(deploy() ++ [{<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>}]),
    Pid = pid_of(D),
    Cv = fun(Var) -> {ok, V} = plc:read(Pid, Var), V end,
    wait_until(fun() -> Cv(<<"SUB.CTU.CV">>) >= 2 end),
    %% As FORTE: a new FB is idle until its own START.
    {Rs, D1} = run([fb("11", "N", "E_CTU"), conn("12", "SUB.CTU.CUO", "N.CU"),
                    fb("13", "X", "NO_SUCH_TYPE"), conn("14", "SUB.CTU.CUO", "NOPE.CU"),
                    {<<"R">>, req("18", "START", "<FB Name=\"N\" Type=\"\"/>")},
                    {<<"R">>, req("19", "START", "<FB Name=\"N\" Type=\"\"/>")},
                    {<<"R">>, req("20", "DELETE", "<FB Name=\"N\" Type=\"\" />")}], D),
    ?assertEqual([ok("11"), ok("12"), err("13", "UNSUPPORTED_TYPE"), err("14", "NO_SUCH_OBJECT"),
                  ok("18"), err("19", "INVALID_STATE"), err("20", "INVALID_STATE")], Rs),
    Before = Cv(<<"SUB.CTU.CV">>),
    ?assert(Before >= 2),  % not restarted: a cold start would count from 0 again
    ?assertEqual(Pid, pid_of(D1)),
    wait_until(fun() -> Cv(<<"N.CV">>) >= 2 end),
    ?assert(Cv(<<"SUB.CTU.CV">>) >= Before + 2),
    %% Counting through N stops with its connection; the rest runs on.
    {Rs2, D2} = run([{<<"R">>, req("15", "DELETE", "<Connection Source=\"SUB.CTU.CUO\" Destination=\"N.CU\" />")}], D1),
    ?assertEqual([ok("15")], Rs2),
    N = Cv(<<"N.CV">>),
    C = Cv(<<"SUB.CTU.CV">>),
    wait_until(fun() -> Cv(<<"SUB.CTU.CV">>) >= C + 2 end),
    ?assertEqual(N, Cv(<<"N.CV">>)),
    {Rs3, D3} = run([{<<"R">>, req("21", "STOP", "<FB Name=\"N\" Type=\"\"/>")},
                     {<<"R">>, req("16", "DELETE", "<FB Name=\"N\" Type=\"\" />")},
                     {<<"R">>, req("17", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")}], D2),
    ?assertEqual([ok("21"), ok("16"),
                  <<"<Response ID=\"17\">\n  <FBList>\n    <FB name=\"START\" type=\"E_RESTART\"/>\n"
                    "<FB name=\"CYC\" type=\"E_CYCLE\"/>\n<FB name=\"SUB.CTU\" type=\"E_CTU\"/>\n"
                    "  </FBList>\n</Response>">>], Rs3),
    ?assertMatch({error, _}, plc:read(Pid, <<"N.CV">>)),
    ?assert(Cv(<<"SUB.CTU.CV">>) >= C + 2),
    _ = plc_mgmt_device:stop_all(D3, plc_mgmt_device:engine()).

stop_start_warm() ->
    {_, D} = run(deploy() ++ [{<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>},
                              fb("9", "W", "E_CTU"), conn("10", "START.WARM", "W.CU"),
                              {<<"R">>, req("16", "START", "<FB Name=\"W\" Type=\"\"/>")}]),
    Pid = pid_of(D),
    Cv = fun(Var) -> {ok, V} = plc:read(Pid, Var), V end,
    wait_until(fun() -> Cv(<<"SUB.CTU.CV">>) >= 2 end),
    {[R11], D1} = run([{<<"R">>, <<"<Request ID=\"11\" Action=\"STOP\"/>">>}], D),
    ?assertEqual(ok("11"), R11),
    Held = Cv(<<"SUB.CTU.CV">>),
    timer:sleep(50),  % five cycles of CYC, had it run
    ?assertEqual(Held, Cv(<<"SUB.CTU.CV">>)),
    ?assertEqual(0, Cv(<<"W.CV">>)),
    {[R12], D2} = run([{<<"R">>, <<"<Request ID=\"12\" Action=\"START\"/>">>}], D1),
    ?assertEqual(ok("12"), R12),
    ?assertEqual(Pid, pid_of(D2)),
    wait_until(fun() -> Cv(<<"W.CV">>) =:= 1 andalso Cv(<<"SUB.CTU.CV">>) >= Held + 2 end),
    %% The counting went on from where it stood, without catching up on
    %% the cycles missed while stopped (at most one came due meanwhile).
    ?assert(Cv(<<"SUB.CTU.CV">>) < Held + 5),
    {Rs, D3} = run([{<<"R">>, <<"<Request ID=\"13\" Action=\"STOP\"/>">>},
                    {<<"R">>, <<"<Request ID=\"14\" Action=\"RESET\"/>">>},
                    {<<"R">>, <<"<Request ID=\"15\" Action=\"START\"/>">>}], D2),
    ?assertEqual([ok("13"), ok("14"), ok("15")], Rs),
    ?assertNotEqual(Pid, pid_of(D3)),
    ?assertEqual(0, element(2, plc:read(pid_of(D3), <<"W.CV">>))),
    _ = plc_mgmt_device:stop_all(D3, plc_mgmt_device:engine()).

force(Id, V, D) -> {<<"R">>, req(Id, "WRITE", ["<Connection Source=\"", V, "\" Destination=\"", D, "\" force=\"true\" />"])}.
clear_force(Id, D) -> {<<"R">>, req(Id, "WRITE", ["<Connection Source=\"*\" Destination=\"", D, "\" force=\"false\" />"])}.
watch(Id, P) -> {<<"R">>, req(Id, "CREATE", ["<Watch Source=\"", P, "\" Destination=\"*\" />"])}.
read_watches(Id) -> {<<"R">>, req(Id, "READ", "<Watches/>")}.

%% C1.CUO -> C2.CU with C1.CV -> C2.PV, both watched.
counters() ->
    [create_res(), fb("2", "C1", "E_CTU"), fb("3", "C2", "E_CTU"),
     conn("4", "C1.CUO", "C2.CU"), conn("5", "C1.CV", "C2.PV"),
     watch("6", "C2.PV"), watch("7", "C1.CV")].

watches_text(Id, C2PV, C2Forced, C1CV, C1Forced) ->
    iolist_to_binary(["<Response ID=\"", Id, "\">\n  <Watches>\n    <Resource name=\"R\">"
                      "<FB name=\"C2\"><Port name=\"PV\"><Data value=\"", C2PV, "\" forced=\"", C2Forced, "\"/></Port></FB>"
                      "<FB name=\"C1\"><Port name=\"CV\"><Data value=\"", C1CV, "\" forced=\"", C1Forced, "\"/></Port></FB>"
                      "</Resource>\n  </Watches>\n</Response>"]).

forcing() ->
    {Rs, D} = run(counters() ++ [{<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>},
                                 force("9", "3", "C2.PV"),
                                 write("10", "$e", "C1.CU"), write("11", "$e", "C1.CU"),
                                 write("12", "$e", "C1.CU"), write("13", "$e", "C1.CU")]),
    ?assertEqual([ok("8"), long_ok("9"), long_ok("10"), long_ok("11"), long_ok("12"), long_ok("13")],
                 lists:nthtail(7, Rs)),
    Pid = pid_of(D),
    wait_until(fun() -> plc:read(Pid, <<"C1.CV">>) =:= {ok, 4} end),
    ?assertEqual({ok, 3}, plc:read(Pid, <<"C2.PV">>)),  % C1 sent 1, 2, 3, 4: the force held
    ?assertEqual({ok, true}, plc:read(Pid, <<"C2.Q">>)),
    {[W1], _} = run([read_watches("14")], D),
    ?assertEqual(watches_text("14", "3", "true", "4", "false"), W1),
    %% Refused, nothing changed: a bad literal, an empty one, an event port,
    %% an unknown port; a plain WRITE to the forced port.
    {Bad, D1} = run([force("15", "abc", "C2.PV"), force("16", "", "C2.PV"), force("17", "1", "C1.CU"),
                     force("18", "1", "C1.NONE"), write("19", "5", "C2.PV"),
                     force("20", "40", "C1.CV"),                    % an output
                     write("21", "$e", "C1.CU")], D),
    ?assertEqual([long_err("15", "BAD_PARAMS"), long_err("16", "BAD_PARAMS"), long_err("17", "NO_SUCH_OBJECT"),
                  long_err("18", "NO_SUCH_OBJECT"), long_err("19", "BAD_PARAMS"), long_ok("20"), long_ok("21")], Bad),
    wait_until(fun() -> plc:read(Pid, <<"C2.CV">>) =:= {ok, 5} end),
    ?assertEqual({ok, 40}, plc:read(Pid, <<"C1.CV">>)),
    {[W2], _} = run([read_watches("22")], D1),
    ?assertEqual(watches_text("22", "3", "true", "40", "true"), W2),
    %% Cleared: PV takes what C1 sends with its next event; the output
    %% counts on from the forced value.
    {Cleared, D2} = run([clear_force("23", "C2.PV"), clear_force("24", "C1.CV"), clear_force("25", "C1.CV"),
                         clear_force("26", "C1.NONE"), write("27", "$e", "C1.CU")], D1),
    ?assertEqual([long_ok("23"), long_ok("24"), long_ok("25"), long_err("26", "NO_SUCH_OBJECT"), long_ok("27")],
                 Cleared),
    wait_until(fun() -> plc:read(Pid, <<"C2.CV">>) =:= {ok, 6} end),
    {[W3], _} = run([read_watches("28")], D2),
    ?assertEqual(watches_text("28", "41", "false", "41", "false"), W3),
    _ = plc_mgmt_device:stop_all(D2, plc_mgmt_device:engine()).

forcing_before_start() ->
    {Rs, D} = run(counters() ++ [force("8", "UINT#2", "C2.PV"), read_watches("9"),
                                 {<<"R">>, <<"<Request ID=\"10\" Action=\"START\"/>">>},
                                 write("11", "$e", "C1.CU"), write("12", "$e", "C1.CU"), write("13", "$e", "C1.CU")]),
    %% Not running: C1.CV has no parameter, so only the forced port shows.
    ?assertEqual([long_ok("8"),
                  <<"<Response ID=\"9\">\n  <Watches>\n    <Resource name=\"R\"><FB name=\"C2\"><Port name=\"PV\">"
                    "<Data value=\"2\" forced=\"true\"/></Port></FB><FB name=\"C1\"></FB></Resource>\n  </Watches>\n</Response>">>,
                  ok("10"), long_ok("11"), long_ok("12"), long_ok("13")], lists:nthtail(7, Rs)),
    Pid = pid_of(D),
    wait_until(fun() -> plc:read(Pid, <<"C2.CV">>) =:= {ok, 3} end),
    ?assertEqual({ok, 2}, plc:read(Pid, <<"C2.PV">>)),
    ?assertEqual({ok, #{<<"C2.PV">> => 2}}, plc:forced(Pid)),
    %% STOP and START again: the force is applied to the new engine.
    {[R14, R15], D1} = run([{<<"R">>, <<"<Request ID=\"14\" Action=\"STOP\"/>">>},
                            {<<"R">>, <<"<Request ID=\"15\" Action=\"START\"/>">>}], D),
    ?assertEqual([ok("14"), ok("15")], [R14, R15]),
    ?assertEqual({ok, #{<<"C2.PV">> => 2}}, plc:forced(pid_of(D1))),
    _ = plc_mgmt_device:stop_all(D1, plc_mgmt_device:engine()).

formats() ->
    F = fun plc_mgmt_device:format_value/2,
    ?assertEqual(<<"TRUE">>, F(<<"BOOL">>, true)),
    ?assertEqual(<<"255">>, F(<<"BYTE">>, 255)),
    ?assertEqual(<<"-7">>, F(<<"INT">>, -7)),
    ?assertEqual(<<"3.0">>, F(<<"REAL">>, 3.0)),
    ?assertEqual(<<"1.5">>, F(<<"REAL">>, 1.5)),
    ?assertEqual(<<"1e+10">>, F(<<"REAL">>, 1.0e10)),
    ?assertEqual(<<"-0.0025000000000000001">>, F(<<"LREAL">>, -0.0025)),
    ?assertEqual(<<"1">>, F(<<"LREAL">>, 1.0)),
    ?assertEqual(<<"T#0ns">>, F(<<"TIME">>, 0)),
    ?assertEqual(<<"T#1h2m3s4ms">>, F(<<"TIME">>, ((3600 + 120 + 3) * 1000 + 4) * 1000000)),
    ?assertEqual(<<"T#-1us">>, F(<<"TIME">>, -1000)),
    ?assertEqual(<<"'a\"b<c&d$$e$nf$''">>, F(<<"STRING">>, <<"a\"b<c&d$e\nf'">>)),
    ?assertEqual(<<"\"x\"">>, F(<<"WSTRING">>, <<"x">>)),
    ?assertEqual(<<"[1,2,3]">>, F(<<"ARRAY [0..2] OF INT">>, [1, 2, 3])),
    ?assertEqual(<<"nan">>, F(<<"REAL">>, nan)),
    ?assertEqual(<<"DT#2024-01-02-03:04:05.678">>, F(<<"DATE_AND_TIME">>, 1704164645678000000)),
    ?assertEqual(<<"TOD#12:00:00.000">>, F(<<"TIME_OF_DAY">>, 43200000000000)),
    ?assertEqual(<<"D#2024-01-02">>, F(<<"DATE">>, 1704153600000000000)).

boot_file() ->
    E = plc_mgmt_device:engine(),
    Text = <<"# a comment\r\n"
             ";<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"B\" Type=\"EMB_RES\" /></Request>\r\n"
             "\r\n"
             "B;<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"BOOL2BOOL\" Type=\"BOOL2BOOL\" /></Request>\r\n"
             "B;<Request ID=\"5\" Action=\"WRITE\"><Connection Source=\"true\" Destination=\"BOOL2BOOL.IN\" />"
             "</Request>\r\n"
             "B;<Request ID=\"8\" Action=\"CREATE\"><Connection Source=\"START.COLD\" Destination=\"BOOL2BOOL.REQ\" />"
             "</Request>\n"
             "B;<Request ID=\"11\" Action=\"START\"/>\n">>,
    {ok, D} = plc_mgmt_device:boot_text(Text, plc_mgmt_device:new(), E),
    wait_until(fun() -> plc:read(pid_of(D), <<"BOOL2BOOL.OUT">>) =:= {ok, true} end),
    _ = plc_mgmt_device:stop_all(D, E),
    Bad = <<";<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"B\" Type=\"EMB_RES\" /></Request>\n"
            "B;<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"X\" Type=\"NO_TYPE\" /></Request>\n"
            "B;<Request ID=\"3\" Action=\"CREATE\"><FB Name=\"Y\" Type=\"E_CTU\" /></Request>\n">>,
    {error, {2, Why}, D2} = plc_mgmt_device:boot_text(Bad, plc_mgmt_device:new(), E),
    ?assertEqual(err("2", "UNSUPPORTED_TYPE"), Why),
    {[Q], _} = run([{<<"B">>, req("4", "QUERY", "<FB Name=\"*\" Type=\"*\"/>")}], D2),
    ?assertEqual(<<"<Response ID=\"4\">\n  <FBList>\n    <FB name=\"START\" type=\"E_RESTART\"/>\n  </FBList>\n</Response>">>, Q),
    ?assertMatch({error, {1, missing_separator}, _},
                 plc_mgmt_device:boot_text(<<"no separator here\n">>, plc_mgmt_device:new(), E)).

device_kill() ->
    E = plc_mgmt_device:engine(),
    {_, D} = run(deploy() ++ [{<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>}]),
    Pid = plc:whereis(pid_of(D)),
    ?assert(is_process_alive(Pid)),
    {ok, Id, Kill} = plc_mgmt_codec:parse_request(<<"<Request ID=\"9\" Action=\"KILL\"></Request>">>),
    {close, _} = plc_mgmt_device:handle(<<>>, {Id, Kill}, D, E),
    ?assertEqual(undefined, plc:whereis(Pid)).

restarted_resource() ->
    {_, D} = run(deploy() ++ [{<<"R">>, <<"<Request ID=\"8\" Action=\"START\"/>">>},
                              {<<"R">>, req("9", "CREATE", "<Watch Source=\"SUB.CTU.PV\" Destination=\"*\" />")}]),
    Id = pid_of(D),
    Old = plc:whereis(Id),
    exit(Old, kill),
    wait_until(fun() -> is_pid(plc:whereis(Id)) andalso plc:whereis(Id) =/= Old end),
    New = plc:whereis(Id),
    {[W, Stop], _} = run([{<<>>, req("10", "READ", "<Watches/>")}, {<<"R">>, <<"<Request ID=\"11\" Action=\"KILL\"/>">>}], D),
    ?assertEqual(<<"<Response ID=\"10\">\n  <Watches>\n    <Resource name=\"R\"><FB name=\"SUB.CTU\"><Port name=\"PV\">"
                   "<Data value=\"3\" forced=\"false\"/></Port></FB></Resource>\n  </Watches>\n</Response>">>, W),
    ?assertEqual(ok("11"), Stop),
    ?assertNot(is_process_alive(New)).

type_nifs() ->
    L = plc:library(),
    ?assertMatch({ok, #{event_inputs := [<<"CU">>, <<"R">>], inputs := [{<<"PV">>, <<"UINT">>}]}},
                 plc_nif:library_type(L, <<"e_ctu">>)),
    ?assertEqual({error, not_found}, plc_nif:library_type(L, <<"NO_SUCH">>)),
    ?assert(lists:member(<<"E_CYCLE">>, plc_nif:library_types(L))),
    ?assertEqual([{ok, 5}, {ok, 255}, {ok, 7}, error, error, error, error],
                 [plc_nif:library_literal(L, <<"E_CTU">>, <<"PV">>, T)
                  || T <- [<<"5">>, <<"16#FF">>, <<"UINT#7">>, <<"-1">>, <<"70000">>, <<"5x">>, <<>>]]),
    ?assertEqual({ok, 1500000000}, plc_nif:library_literal(L, <<"E_CYCLE">>, <<"DT">>, <<"T#1s500ms">>)),
    ?assertEqual({ok, <<"a'b">>}, plc_nif:library_literal(L, <<"F_MOVE">>, <<"IN">>, <<"'a$'b'">>)),
    ?assertEqual(error, plc_nif:library_literal(L, <<"F_ADD">>, <<"IN1">>, <<"'text'">>)),  % not ANY_MAGNITUDE
    ?assertEqual(error, plc_nif:library_literal(L, <<"E_CTU">>, <<"NOPE">>, <<"1">>)),
    ?assert(plc_nif:library_connectable(L, {<<"E_CTU">>, <<"CV">>}, {<<"E_CTU">>, <<"PV">>})),
    ?assertNot(plc_nif:library_connectable(L, {<<"E_CTU">>, <<"Q">>}, {<<"E_CTU">>, <<"PV">>})),
    ?assertNot(plc_nif:library_connectable(L, {<<"E_CTU">>, <<"PV">>}, {<<"E_CTU">>, <<"PV">>})),  % PV is no output
    ?assertError({badarg, _}, plc_nif:library_type(not_a_library, <<"E_CTU">>)),
    ?assertError({badarg, _}, plc_nif:library_type(L, 42)),
    ?assertError({badarg, _}, plc_nif:library_literal(L, <<"E_CTU">>, <<"PV">>, "5")),
    ?assertError({badarg, _}, plc_nif:library_connectable(L, {<<"E_CTU">>}, {<<"E_CTU">>, <<"PV">>})),
    ?assertError({badarg, _}, plc_nif:library_types(make_ref())).

%%% Helpers

%% The engine's id of resource R or B (a white-box look: the state is a map).
pid_of(D) ->
    maps:get(engine_id, maps:get(<<"R">>, maps:get(resource, D), maps:get(<<"B">>, maps:get(resource, D), #{engine_id => none}))).

flush_events() ->
    receive {plc_event, _, _, _} -> flush_events() after 0 -> ok end.

collect_events(D, Ms) ->
    Until = erlang:monotonic_time(millisecond) + Ms,
    collect_until(D, Until).

collect_until(D, Until) ->
    Left = Until - erlang:monotonic_time(millisecond),
    receive
        {plc_event, Pid, Port, _} -> collect_until(plc_mgmt_device:event(Pid, Port, D, plc_mgmt_device:engine()), Until)
    after max(0, Left) -> D
    end.

wait_until(F) -> wait_until(F, 200).

wait_until(F, 0) -> ?assert(F());
wait_until(F, N) ->
    case F() of
        true -> ok;
        false -> timer:sleep(10), wait_until(F, N - 1)
    end.
