%%% EUnit tests of QUERY AdapterType (plc_mgmt_device): the adapter types
%%% loaded into the node's library with the 4diac FB types that use them
%%% (plc:load_4diac/1), as FORTE lists the adapter types it was built
%%% with. Over the real engine (the plc application).
-module(plc_mgmt_adapter_tests).
-include_lib("eunit/include/eunit.hrl").

adapter_test_() ->
    {setup,
     fun() -> {ok, Apps} = application:ensure_all_started(plc), Apps end,
     fun(Apps) -> [application:stop(A) || A <- lists:reverse(Apps)] end,
     [{"QUERY AdapterType lists an adapter type once an FB type using it is loaded", fun listed/0}]}.

listed() ->
    Query = <<"<Request ID=\"7\" Action=\"QUERY\"><AdapterType Name=\"*\" /></Request>">>,
    Before = names(query(<<>>, Query)),
    ?assertNot(lists:member(<<"PlcTestTimeOut">>, Before)),
    Dir = filename:join(os:getenv("TMPDIR", "/tmp"), "plc_mgmt_adapter_tests_" ++ os:getpid()),
    ok = filelib:ensure_path(Dir),
    ok = file:write_file(filename:join(Dir, "PlcTestTimeOut.adp"), adapter()),
    Fbt = filename:join(Dir, "PLC_TEST_TIMEOUT_USER.fbt"),
    ok = file:write_file(Fbt, user()),
    ?assertMatch({ok, _}, plc:load_4diac(Fbt)),
    After = names(query(<<>>, Query)),
    ?assertEqual(lists:sort([<<"PlcTestTimeOut">> | Before]), After),
    %% A resource answers the same.
    ?assertEqual(After, names(query(<<"R">>, Query))).

%% The response of `Request' to `Dst' (a resource R exists).
query(Dst, Request) ->
    E = plc_mgmt_device:engine(),
    {ok, Id0, C0} = plc_mgmt_codec:parse_request(<<"<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"R\" Type=\"EMB_RES\" /></Request>">>),
    {reply, _, D} = plc_mgmt_device:handle(<<>>, {Id0, C0}, plc_mgmt_device:new(), E),
    {ok, Id, C} = plc_mgmt_codec:parse_request(Request),
    {reply, Response, _} = plc_mgmt_device:handle(Dst, {Id, C}, D, E),
    Response.

%% The names of a NameList response (FORTE's form: "a, b").
names(<<"<Response ID=\"7\" />">>) ->
    [];
names(Response) ->
    {match, [List]} = re:run(Response, <<"^<Response ID=\"7\">\n  <NameList>\n    (.*)\n  </NameList>\n</Response>$">>,
                             [{capture, all_but_first, binary}]),
    binary:split(List, <<", ">>, [global]).

adapter() ->
    <<"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<AdapterType Name=\"PlcTestTimeOut\">\n"
      "  <InterfaceList>\n"
      "    <EventInputs><Event Name=\"TimeOut\" Type=\"Event\"/></EventInputs>\n"
      "    <EventOutputs><Event Name=\"START\" Type=\"Event\"/></EventOutputs>\n"
      "  </InterfaceList>\n"
      "</AdapterType>\n">>.

%% A basic FB type with a plug of the adapter type.
user() ->
    <<"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<FBType Name=\"PLC_TEST_TIMEOUT_USER\">\n"
      "  <InterfaceList>\n"
      "    <EventInputs><Event Name=\"REQ\" Type=\"Event\"/></EventInputs>\n"
      "    <Plugs><AdapterDeclaration Name=\"TO\" Type=\"PlcTestTimeOut\"/></Plugs>\n"
      "  </InterfaceList>\n"
      "  <BasicFB>\n"
      "    <ECC><ECState Name=\"START\" x=\"0\" y=\"0\"/></ECC>\n"
      "  </BasicFB>\n"
      "</FBType>\n">>.
