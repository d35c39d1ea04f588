%%% EUnit tests of the WRITE literals plc_mgmt_device takes as FORTE 3.x
%%% does beyond the engine's IEC 61131-3 literals (section 5 of
%%% `../shared/4diac-management.md'): a bare integer for a TIME is
%%% nanoseconds, a typed string STRING#'..' is the string. Over the real
%%% engine (the plc application).
-module(plc_mgmt_write_tests).
-include_lib("eunit/include/eunit.hrl").

write_test_() ->
    {setup,
     fun() -> {ok, Apps} = application:ensure_all_started(plc), Apps end,
     fun(Apps) -> [application:stop(A) || A <- lists:reverse(Apps)] end,
     [{"a bare integer written to a TIME is nanoseconds, as FORTE 3.x reads it", fun bare_time/0},
      {"a bare integer written to a running resource's TIME is nanoseconds too", fun bare_time_running/0},
      {"STRING#'..' and WSTRING#\"..\" are the strings; other bare text stays refused", fun typed_strings/0}]}.

bare_time() ->
    {Rs, D} = run([create_res(), fb("2", "CYC", "E_CYCLE"),
                   write("3", "1000", "CYC.DT"),
                   write("4", "-5", "CYC.DT"),
                   write("5", "1500000", "CYC.DT"),
                   write("6", "1.5", "CYC.DT")]),      % not an integer: refused, as in FORTE 3.x
    ?assertEqual([ok("1"), ok("2"), long_ok("3"), long_ok("4"), long_ok("5"), long_err("6", "BAD_PARAMS")], Rs),
    ?assertEqual(<<"T#1ms500us">>, watched("CYC.DT", D)),
    {_, D1} = run([write("8", "1000", "CYC.DT")], D),
    ?assertEqual(<<"T#1us">>, watched("CYC.DT", D1)),
    {_, D2} = run([write("9", "-5", "CYC.DT")], D),
    ?assertEqual(<<"T#-5ns">>, watched("CYC.DT", D2)),
    %% An integer for an integer port is the integer.
    {[R10, R11], D3} = run([fb("10", "C", "E_CTU"), write("11", "1000", "C.PV")], D),
    ?assertEqual([ok("10"), long_ok("11")], [R10, R11]),
    ?assertEqual(<<"1000">>, watched("C.PV", D3)).

bare_time_running() ->
    {_, D} = run([create_res(), fb("2", "DLY", "E_DELAY"), {<<"R">>, <<"<Request ID=\"3\" Action=\"START\"/>">>}]),
    {[R4], D1} = run([write("4", "2000000", "DLY.DT")], D),
    ?assertEqual(long_ok("4"), R4),
    %% The write reaches the engine through its inbox: it is there at its next slice.
    ?assertEqual(<<"T#2ms">>, eventually(fun() -> watched("DLY.DT", D1) end, <<"T#2ms">>, 200)),
    _ = plc_mgmt_device:stop_all(D1, plc_mgmt_device:engine()).

typed_strings() ->
    {Rs, D} = run([create_res(), fb("2", "S", "STRING2STRING"), fb("3", "W", "WSTRING2WSTRING"),
                   write("4", "STRING#&apos;csvFirstValue&apos;", "S.IN"),
                   write("5", "WSTRING#&quot;wide&quot;", "W.IN"),
                   write("6", "string# &apos;x&apos;", "S.IN"),
                   write("7", "csvFirstValue", "S.IN")]),     % unquoted: BAD_PARAMS, as in FORTE 3.x
    ?assertEqual([ok("1"), ok("2"), ok("3"), long_ok("4"), long_ok("5"), long_ok("6"),
                  long_err("7", "BAD_PARAMS")], Rs),
    ?assertEqual(<<"&apos;x&apos;">>, watched("S.IN", D)),
    ?assertEqual(<<"&quot;wide&quot;">>, watched("W.IN", D)).

%%% Helpers

run(Requests) ->
    run(Requests, plc_mgmt_device:new()).

run(Requests, D0) ->
    E = plc_mgmt_device:engine(),
    {Responses, D} = lists:foldl(fun({Dst, Text}, {Acc, D}) ->
                                         {ok, Id, C} = plc_mgmt_codec:parse_request(Text),
                                         {reply, Resp, D1} = plc_mgmt_device:handle(Dst, {Id, C}, D, E),
                                         {[Resp | Acc], D1}
                                 end, {[], D0}, Requests),
    {lists:reverse(Responses), D}.

%% The value READ Watches shows for port `Port' of resource R (XML-escaped).
%% F's value once it is Expected, or its last value after Tries polls.
eventually(F, Expected, Tries) ->
    case F() of
        Expected -> Expected;
        Other when Tries =< 1 -> Other;
        _ -> timer:sleep(10), eventually(F, Expected, Tries - 1)
    end.

watched(Port, D) ->
    {[_, W], _} = run([{<<"R">>, req("90", "CREATE", ["<Watch Source=\"", Port, "\" Destination=\"*\" />"])},
                       {<<"R">>, req("91", "READ", "<Watches/>")}], D),
    {match, [Value]} = re:run(W, "<Data value=\"([^\"]*)\"", [{capture, all_but_first, binary}]),
    Value.

req(Id, Action, Child) ->
    iolist_to_binary(["<Request ID=\"", Id, "\" Action=\"", Action, "\">", Child, "</Request>"]).

create_res() -> {<<>>, req("1", "CREATE", "<FB Name=\"R\" Type=\"EMB_RES\" />")}.
fb(Id, Name, Type) -> {<<"R">>, req(Id, "CREATE", ["<FB Name=\"", Name, "\" Type=\"", Type, "\" />"])}.
write(Id, V, D) -> {<<"R">>, req(Id, "WRITE", ["<Connection Source=\"", V, "\" Destination=\"", D, "\" />"])}.
ok(Id) -> iolist_to_binary(["<Response ID=\"", Id, "\" />"]).
long_ok(Id) -> iolist_to_binary(["<Response ID=\"", Id, "\">\n  \n</Response>"]).
long_err(Id, R) -> iolist_to_binary(["<Response ID=\"", Id, "\" Reason=\"", R, "\">\n  \n</Response>"]).
