%%% EUnit tests of the NIF path: the plc application drives the native
%%% engine and delivers output events as messages.
-module(plc_tests).
-include_lib("eunit/include/eunit.hrl").

-define(COUNTER(PV), #{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, PV}]}]}).

plc_test_() ->
    {setup,
     fun() -> {ok, Apps} = application:ensure_all_started(plc), Apps end,
     fun(Apps) -> [application:stop(A) || A <- lists:reverse(Apps)] end,
     [{"E_CTU counts through the NIF and reports CUO as a message", fun counter_events/0},
      {"START.COLD fires when the resource starts", fun cold_start/0},
      {"events injected with data carry their values", fun inject_with_data/0},
      {"an invalid network is refused with every error", fun invalid_network/0},
      {"wrong arguments raise badarg and the VM stays up", fun bad_arguments/0},
      {"a crashed resource is restarted cold by its supervisor", fun restart/0},
      {"an event refused by a full queue raises an alarm message", fun overflow_alarm/0},
      {"voter.st compiled from Erlang votes with exact messages", fun voter_from_text/0},
      {"a file with errors returns every diagnostic and changes nothing", fun compile_errors/0},
      {"MIO_IN writes come in, MIO_OUT writes go out as plc_io messages", fun process_image/0},
      {"the library NIFs raise badarg on wrong arguments", fun library_bad_arguments/0},
      {"a 4diac .sys loads from Erlang and runs as a system", fun fourdiac_system/0},
      {"a 4diac file with an error is refused with located diagnostics", fun fourdiac_errors/0},
      {"var_types gives a native block's and a generic port's types as loaded", fun var_types/0},
      {"statements nested 1200 deep through functions are refused, the VM stays up", fun deep_nesting_segfault/0},
      {"a resource waits at high priority and works through a storm at normal", fun priority/0}]}.

%% A waiting resource is scheduled before the node's busy normal processes
%% when its timer rings; one that keeps having work (an event circling
%% E_MERGE.EO -> EI1 forever) runs at normal, so it starves no one.
priority() ->
    {ok, Cycle} = plc:start_resource(#{fbs => [{<<"CY">>, <<"E_CYCLE">>, [{<<"DT">>, <<"T#1h">>}]}]}),
    ok = plc:inject(Cycle, <<"CY.START">>),
    {ok, _} = plc:var_types(Cycle),  % answered after the slice the START ran in
    ?assertEqual({priority, high}, erlang:process_info(Cycle, priority)),
    {ok, Storm} = plc:start_resource(#{fbs => [{<<"M">>, <<"E_MERGE">>, []}],
                                       events => [{<<"M.EO">>, <<"M.EI1">>}]}),
    ok = plc:inject(Storm, <<"M.EI1">>),
    ok = dispatched_beyond(Storm, 100000),  % the storm is on: many slices ran
    ?assertEqual({priority, normal}, erlang:process_info(Storm, priority)),
    {ok, _} = plc:var_types(Storm),  % and a normal process gets its answer meanwhile
    ?assertEqual({priority, normal}, erlang:process_info(Storm, priority)),
    ok = plc:stop_resource(Storm),
    ok = plc:stop_resource(Cycle).

dispatched_beyond(R, N) ->
    {ok, #{dispatched := D}} = plc:stats(R),
    case D > N of
        true -> ok;
        false -> erlang:yield(), dispatched_beyond(R, N)
    end.

%% Compiled on a dirty scheduler's small stack, this program crashed the VM
%% (a segfault at 600 levels) before the compiler ran on a stack of its
%% own (nif/big_stack.h) and refused nesting past 400.
deep_nesting_segfault() ->
    Ifs = lists:duplicate(150, "IF X > 0 THEN "),
    Ends = lists:duplicate(150, " END_IF;"),
    Fns = ["FUNCTION F0 : INT VAR_INPUT X : INT; END_VAR F0 := X; END_FUNCTION\n" |
           [io_lib:format("FUNCTION F~b : INT VAR_INPUT X : INT; END_VAR ~s F~b := F~b(X); ~s END_FUNCTION~n",
                          [K, Ifs, K, K - 1, Ends]) || K <- lists:seq(1, 8)]],
    Fb = "FUNCTION_BLOCK DEEP EVENT_INPUT REQ; END_EVENT VAR A : INT; END_VAR\n"
         "ALGORITHM R IN ST: A := F8(1); END_ALGORITHM END_FUNCTION_BLOCK\n",
    {error, [First | _]} = plc:compile(<<"deep.st">>, iolist_to_binary([Fns, Fb])),
    ?assertMatch({_, _}, binary:match(First, <<"nested too deeply">>)),
    {ok, _} = plc:compile(<<"shallow.st">>, iolist_to_binary([lists:sublist(Fns, 3),
                                                              re:replace(Fb, "F8", "F2", [{return, list}])])).

var_types() ->
    Net = #{fbs => [{<<"C">>, <<"E_CTU">>, []}, {<<"A">>, <<"F_ADD">>, [{<<"IN2">>, <<"INT#5">>}]},
                    {<<"M">>, <<"F_MOVE">>, [{<<"IN">>, <<"'x'">>}]}],
            data => [{<<"C.CV">>, <<"A.IN1">>}]},
    {ok, R} = plc:start_resource(Net),
    {ok, Types} = plc:var_types(R),
    ?assertEqual(#{<<"PV">> => <<"UINT">>, <<"Q">> => <<"BOOL">>, <<"CV">> => <<"UINT">>}, maps:get(<<"C">>, Types)),
    ?assertEqual(#{<<"IN1">> => <<"INT">>, <<"IN2">> => <<"INT">>, <<"OUT">> => <<"INT">>}, maps:get(<<"A">>, Types)),
    ?assertEqual(#{<<"IN">> => <<"STRING">>, <<"OUT">> => <<"STRING">>}, maps:get(<<"M">>, Types)),
    ?assertEqual({error, not_found}, plc:var_types(make_ref())),
    ok = plc:stop_resource(R).

counter_events() ->
    {ok, R} = plc:start_resource(?COUNTER(<<"2">>), #{observe => [<<"C.CUO">>], subscribers => [self()]}),
    ok = plc:inject(R, <<"C.CU">>),
    ok = plc:inject(R, <<"C.CU">>),
    ?assertEqual(#{<<"Q">> => false, <<"CV">> => 1}, next_event(R, <<"C.CUO">>)),
    ?assertEqual(#{<<"Q">> => true, <<"CV">> => 2}, next_event(R, <<"C.CUO">>)),
    ok = plc:stop_resource(R).

cold_start() ->
    Net = #{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, <<"1">>}]}],
            events => [{<<"START.COLD">>, <<"C.CU">>}]},
    {ok, R} = plc:start_resource(Net, #{observe => [<<"C.CUO">>], subscribers => [self()]}),
    ?assertEqual(#{<<"Q">> => true, <<"CV">> => 1}, next_event(R, <<"C.CUO">>)),
    ok = plc:stop_resource(R).

inject_with_data() ->
    {ok, R} = plc:start_resource(?COUNTER(<<"5">>), #{observe => [<<"C.CUO">>], subscribers => [self()]}),
    ok = plc:inject(R, <<"C.CU">>, [{<<"PV">>, 1}]),
    ?assertEqual(#{<<"Q">> => true, <<"CV">> => 1}, next_event(R, <<"C.CUO">>)),
    ok = plc:stop_resource(R).

invalid_network() ->
    Net = #{fbs => [{<<"C">>, <<"E_NOPE">>, []}], events => [{<<"X.EO">>, <<"C.CU">>}]},
    ?assertEqual({error, {invalid_network,
                          [<<"C: error: unknown FB type 'E_NOPE' for instance 'C'">>,
                           <<"X.EO -> C.CU: error: unknown FB instance 'X' in 'X.EO'">>,
                           <<"X.EO -> C.CU: error: unknown FB instance 'C' in 'C.CU'">>]}},
                 plc:start_resource(Net)).

bad_arguments() ->
    {ok, H} = plc_nif:resource_new(?COUNTER(<<"2">>)),
    Bad = [fun() -> plc_nif:resource_new(not_a_map) end,
           fun() -> plc_nif:resource_new(#{fbs => [{1, 2, 3}]}) end,
           fun() -> plc_nif:resource_new(#{fbs => [], queue_capacity => 0}) end,
           fun() -> plc_nif:post(make_ref(), <<"C">>, <<"CU">>, []) end,
           fun() -> plc_nif:post(H, <<"C">>, <<"NOPE">>, []) end,
           fun() -> plc_nif:post(H, <<"C">>, <<"CU">>, [{<<"PV">>, -1}]) end,
           fun() -> plc_nif:post(H, <<"C">>, <<"CU">>, [{<<"PV">>, 70000}]) end,
           fun() -> plc_nif:post(H, <<"C">>, <<"CU">>, not_a_list) end,
           fun() -> plc_nif:subscribe(H, <<"C">>, <<"CU">>, self()) end,
           fun() -> plc_nif:start(H, lukewarm) end,
           fun() -> plc_nif:run(self()) end],
    [?assertError({badarg, Reason} when is_binary(Reason), F()) || F <- Bad],
    ?assertEqual(ok, plc_nif:post(H, <<"C">>, <<"CU">>, [{<<"PV">>, 65535}])),
    ?assertEqual(idle, plc_nif:run(H)).

restart() ->
    Net = #{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, <<"1">>}]}],
            events => [{<<"START.COLD">>, <<"C.CU">>}]},
    {ok, R} = plc:start_resource(Net, #{observe => [<<"C.CUO">>], subscribers => [self()]}),
    #{<<"CV">> := 1} = next_event(R, <<"C.CUO">>),
    exit(R, kill),
    receive
        {plc_event, R2, <<"C.CUO">>, Data} ->
            ?assertNotEqual(R, R2),
            ?assertEqual(#{<<"Q">> => true, <<"CV">> => 1}, Data),
            ok = plc:stop_resource(R2)
    after 2000 -> error(no_restart)
    end.

overflow_alarm() ->
    Net = #{fbs => [{<<"S">>, <<"E_SPLIT">>, []},
                    {<<"A">>, <<"E_CTU">>, []}, {<<"B">>, <<"E_CTU">>, []}, {<<"C">>, <<"E_CTU">>, []}],
            events => [{<<"S.EO1">>, <<"A.CU">>}, {<<"S.EO1">>, <<"B.CU">>}, {<<"S.EO1">>, <<"C.CU">>}],
            queue_capacity => 2},
    {ok, R} = plc:start_resource(Net, #{subscribers => [self()]}),
    ok = plc:inject(R, <<"S.EI">>),
    receive
        {plc_alarm, R, Alarm} -> ?assertEqual({plc_overflow, <<"S">>, <<"EO1">>, 1}, Alarm)
    after 2000 -> error(no_alarm)
    end,
    ok = plc:stop_resource(R).

next_event(R, Port) ->
    receive
        {plc_event, R, Port, Data} -> Data
    after 2000 -> error({no_event, Port})
    end.

voter_from_text() ->
    {ok, #{types := [<<"VOTER">>], warnings := []}} = plc:compile_file(fblocks("voter.st")),
    Net = #{fbs => [{<<"V">>, <<"VOTER">>, []}]},
    {ok, R} = plc:start_resource(Net, #{observe => [<<"V.Voted">>, <<"V.Ready">>], subscribers => [self()]}),
    ok = plc:inject(R, <<"V.Vote">>, [{<<"A">>, true}, {<<"B">>, false}, {<<"C">>, false}]),
    ?assertEqual(#{<<"State">> => false}, next_event(R, <<"V.Voted">>)),
    ok = plc:inject(R, <<"V.Vote">>, [{<<"A">>, true}, {<<"B">>, false}, {<<"C">>, true}]),
    ?assertEqual(#{<<"State">> => true}, next_event(R, <<"V.Voted">>)),
    ok = plc:inject(R, <<"V.Reset">>),
    ?assertEqual(#{<<"State">> => false}, next_event(R, <<"V.Ready">>)),
    ok = plc:stop_resource(R).

compile_errors() ->
    {ok, #{types := [<<"VOTER">>]}} = plc:compile_file(fblocks("voter.st")),
    %% A VOTER with errors, then a type without any: neither may be kept.
    Fresh = <<"FUNCTION_BLOCK FRESH\nEVENT_INPUT Go; END_EVENT\nEVENT_OUTPUT Done; END_EVENT\n"
              "EC_STATES S0; END_STATES\nEND_FUNCTION_BLOCK\n">>,
    Bad = <<"FUNCTION_BLOCK VOTER\nEVENT_INPUT Vote WITH A; END_EVENT\n"
            "VAR_INPUT A : BOOL; END_VAR\nVAR_OUTPUT State : BOOL; END_VAR\n"
            "EC_STATES S0; S1 : Alg; END_STATES\nEC_TRANSITIONS S0 TO S1 := Vote; S1 TO S0 := 1; END_TRANSITIONS\n"
            "ALGORITHM Alg IN ST: Sate := A; State := 5; END_ALGORITHM\nEND_FUNCTION_BLOCK\n",
            Fresh/binary>>,
    ?assertEqual({error, [<<"bad.st:7:22: error: unknown variable 'Sate' (did you mean 'State'?)">>,
                          <<"bad.st:7:42: error: type mismatch: cannot use an integer literal as BOOL for 'State'">>]},
                 plc:compile(<<"bad.st">>, Bad)),
    %% Nothing compiled since: VOTER is still voter.st's (the bad one has
    %% neither Reset nor B), and FRESH does not exist.
    {ok, R} = plc:start_resource(#{fbs => [{<<"V">>, <<"VOTER">>, []}]}, #{observe => [<<"V.Voted">>], subscribers => [self()]}),
    {ok, Fbs} = plc:describe(R),
    ?assertEqual({<<"V">>, <<"VOTER">>, [<<"Vote">>, <<"Reset">>], [<<"Voted">>, <<"Ready">>]},
                 lists:keyfind(<<"V">>, 1, Fbs)),
    ok = plc:inject(R, <<"V.Vote">>, [{<<"A">>, true}, {<<"B">>, true}]),
    ?assertEqual(#{<<"State">> => true}, next_event(R, <<"V.Voted">>)),
    ok = plc:stop_resource(R),
    ?assertMatch({error, _}, plc:start_resource(#{fbs => [{<<"F">>, <<"FRESH">>, []}]})),
    %% FRESH alone compiles: it was refused for the VOTER beside it.
    ?assertMatch({ok, #{types := [<<"FRESH">>]}}, plc:compile(<<"fresh.st">>, Fresh)).

process_image() ->
    Net = #{fbs => [{<<"In">>, <<"MIO_IN">>, [{<<"ADDR">>, <<"'I1'">>}]},
                    {<<"Out">>, <<"MIO_OUT">>, [{<<"ADDR">>, <<"'Q1'">>}]}],
            events => [{<<"In.IND">>, <<"Out.REQ">>}],
            data => [{<<"In.IN">>, <<"Out.OUT">>}]},
    {ok, R} = plc:start_resource(Net, #{subscribers => [self()]}),
    ok = plc:write_input(R, <<"I1">>, true),
    ?assertEqual(true, next_io(R, <<"Q1">>)),
    ok = plc:write_input(R, <<"I1">>, false),
    ?assertEqual(false, next_io(R, <<"Q1">>)),
    ?assertError({badarg, <<"no input point with address 'I9'">>}, plc_nif:write_input(handle_of(R), <<"I9">>, true)),
    ok = plc:stop_resource(R).

library_bad_arguments() ->
    L = plc_nif:library_new(),
    ?assertError({badarg, _}, plc_nif:library_compile(make_ref(), <<"f">>, <<>>)),
    ?assertError({badarg, _}, plc_nif:library_compile(L, 42, <<>>)),
    ?assertError({badarg, _}, plc_nif:library_compile(L, <<"f">>, not_text)),
    ?assertError({badarg, _}, plc_nif:resource_new(#{fbs => [], library => make_ref()})),
    ?assertEqual({ok, #{types => [], systems => [], warnings => []}}, plc_nif:library_compile(L, <<"empty.st">>, [])),
    ?assertMatch({error, [_ | _]}, plc_nif:library_compile(L, <<"junk.st">>, <<0, 255, "FUNCTION_BLOCK (*">>)).

-define(TINY_SYS, <<"<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<System Name=\"Tiny\">
  <Application Name=\"App\">
    <SubAppNetwork>
      <FB Name=\"Split\" Type=\"E_SPLIT\"/>
      <FB Name=\"C\" Type=\"E_CTU\"><Parameter Name=\"PV\" Value=\"USINT#2\"/></FB>
      <EventConnections><Connection Source=\"Split.EO1\" Destination=\"C.CU\"/></EventConnections>
    </SubAppNetwork>
  </Application>
  <Device Name=\"Dev\" Type=\"FORTE_PC\"><Resource Name=\"Res\" Type=\"EMB_RES\"/></Device>
  <Mapping From=\"App.Split\" To=\"Dev.Res\"/>
  <Mapping From=\"App.C\" To=\"Dev.Res\"/>
</System>
">>).

fourdiac_system() ->
    Dir = temp_dir(),
    Path = filename:join(Dir, "Tiny.sys"),
    ok = file:write_file(Path, ?TINY_SYS),
    ?assertEqual({ok, #{types => [], systems => [<<"Tiny">>], warnings => []}}, plc:load_4diac(Path)),
    {ok, #{<<"Dev.Res">> := R}} = plc:start_system(<<"Tiny">>),
    ok = plc:subscribe(<<"Dev.Res">>, <<"C.CUO">>),
    ok = plc:inject(<<"Dev.Res">>, <<"Split.EI">>),
    ok = plc:inject(<<"Dev.Res">>, <<"Split.EI">>),
    ?assertEqual(#{<<"Q">> => false, <<"CV">> => 1}, next_event(R, <<"C.CUO">>)),
    ?assertEqual(#{<<"Q">> => true, <<"CV">> => 2}, next_event(R, <<"C.CUO">>)),
    ok = plc:stop_system(<<"Tiny">>),
    ?assertEqual(undefined, plc:whereis(<<"Dev.Res">>)).

fourdiac_errors() ->
    Dir = temp_dir(),
    Path = filename:join(Dir, "Bad.sys"),
    ok = file:write_file(Path, binary:replace(?TINY_SYS, <<"Type=\"E_CTU\"">>, <<"Type=\"E_CTUU\"">>)),
    {error, [Error]} = plc:load_4diac(Path),
    ?assertEqual(<<"Bad.sys:6:7: error: in System Tiny/Application App/SubAppNetwork/FB C: "
                   "unknown FB type 'E_CTUU' (did you mean 'E_CTU'?)">>,
                 iolist_to_binary(string:replace(Error, Dir ++ "/", ""))),
    ?assertError({badarg, _}, plc:load_4diac("notes.txt")).

temp_dir() ->
    Dir = filename:join("/tmp", "plc_tests_" ++ integer_to_list(erlang:unique_integer([positive]))),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    Dir.

%% rebar3 runs the tests from the project's root.
fblocks(File) ->
    filename:join("fblocks", File).

next_io(R, Address) ->
    receive {plc_io, R, Address, Value} -> Value
    after 2000 -> error({no_io, Address})
    end.

handle_of(R) ->
    plc_resource:call(R, handle).

%%% bin/plc run's printing (plc_cli): values as IEC 61131-3 literals

literal_test_() ->
    L = fun(Type, Value) -> lists:flatten(io_lib:format("~s", [plc_cli:literal(Type, Value)])) end,
    [{"TIME in the largest units that are not zero",
      [?_assertEqual("T#4s", L(<<"TIME">>, 4000000000)),
       ?_assertEqual("T#1m30s", L(<<"TIME">>, 90000000000)),
       ?_assertEqual("T#250ms", L(<<"TIME">>, 250000000)),
       ?_assertEqual("T#1d2h3m4s5ms6us7ns", L(<<"TIME">>, ((((24 + 2) * 60 + 3) * 60 + 4) * 1000000000) + 5006007)),
       ?_assertEqual("T#0s", L(<<"TIME">>, 0)),
       ?_assertEqual("T#-1s500ms", L(<<"TIME">>, -1500000000))]},
     {"dates and times of day from nanoseconds since 1970",
      [?_assertEqual("D#2024-02-29", L(<<"DATE">>, 19782 * 86400000000000)),
       ?_assertEqual("TOD#12:30:05.000000250", L(<<"TIME_OF_DAY">>, ((12 * 60 + 30) * 60 + 5) * 1000000000 + 250)),
       ?_assertEqual("DT#1969-12-31-23:59:59.000000000", L(<<"DATE_AND_TIME">>, -1000000000))]},
     {"BOOL, strings, REAL, integers and bit strings",
      [?_assertEqual("TRUE", L(<<"BOOL">>, true)),
       ?_assertEqual("FALSE", L(undefined, false)),
       ?_assertEqual("'it$'s $$5$N'", L(<<"STRING">>, <<"it's $5\n">>)),
       ?_assertEqual("\"say $\"hi$\"\"", L(<<"WSTRING">>, <<"say \"hi\"">>)),
       ?_assertEqual("2.5", L(<<"REAL">>, 2.5)),
       ?_assertEqual("-7", L(<<"DINT">>, -7)),
       ?_assertEqual("16#FF", L(<<"BYTE">>, 255)),
       ?_assertEqual("4000000000", L(undefined, 4000000000))]},
     {"non-finite REALs as the atoms the NIF sends",
      [?_assertEqual("infinity", L(<<"LREAL">>, infinity)),
       ?_assertEqual("neg_infinity", L(<<"REAL">>, neg_infinity)),
       ?_assertEqual("nan", L(<<"LREAL">>, nan))]}].

