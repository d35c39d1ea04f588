%%% EUnit tests of what values cross the NIF: every value of every
%%% elementary type encodes to a valid term, and the non-finite REAL and
%%% LREAL values (which an Erlang float cannot hold) as the atoms
%%% `infinity', `neg_infinity' and `nan', on every path out of the engine
%%% (event data, read, watch, process-image writes) and back in (inject,
%%% write). Before, `1.0/0.0' sent with an event crashed the VM.
%%%
%%%   rebar3 eunit --module=plc_nonfinite_tests
-module(plc_nonfinite_tests).
-include_lib("eunit/include/eunit.hrl").

%% An algorithm that computes +inf, -inf and NaN into LREAL and REAL
%% outputs sent with CNF: from constants, and from the REAL input Z (0.0
%% unless an event brings another value).
-define(NONFINITE_ST, <<"
FUNCTION_BLOCK NONFINITE
EVENT_INPUT
  REQ WITH Z;
END_EVENT
EVENT_OUTPUT
  CNF WITH Inf, NegInf, NotANumber, RInf, RNegInf, RNotANumber;
END_EVENT
VAR_INPUT
  Z : REAL;
END_VAR
VAR_OUTPUT
  Inf : LREAL;
  NegInf : LREAL;
  NotANumber : LREAL;
  RInf : REAL;
  RNegInf : REAL;
  RNotANumber : REAL;
END_VAR
EC_STATES
  Idle;
  Compute : Alg -> CNF;
END_STATES
EC_TRANSITIONS
  Idle TO Compute := REQ;
  Compute TO Idle := 1;
END_TRANSITIONS
ALGORITHM Alg IN ST:
  Inf := 1.0 / 0.0;
  NegInf := -1.0 / 0.0;
  NotANumber := SQRT(-1.0);
  RInf := 1.0 / Z;
  RNegInf := -1.0 / Z;
  RNotANumber := SQRT(Z - 1.0);
END_ALGORITHM
END_FUNCTION_BLOCK
">>).

-define(OUTPUTS, [{<<"Inf">>, infinity}, {<<"NegInf">>, neg_infinity}, {<<"NotANumber">>, nan},
                  {<<"RInf">>, infinity}, {<<"RNegInf">>, neg_infinity}, {<<"RNotANumber">>, nan}]).

nonfinite_test_() ->
    {setup,
     fun() ->
             {ok, Apps} = application:ensure_all_started(plc),
             {ok, _} = plc:compile(<<"nonfinite.st">>, ?NONFINITE_ST),
             {ok, _} = plc:compile(<<"extremes.st">>, extremes_st()),
             Apps
     end,
     fun(Apps) -> [application:stop(A) || A <- lists:reverse(Apps)] end,
     [{"inf and NaN sent with an event arrive as atoms; read and watch give the same atoms",
       fun nonfinite_out/0},
      {"the atoms are accepted back by inject and write and round-trip",
       fun nonfinite_in/0},
      {"a non-finite value written to the process image comes out as its atom",
       fun nonfinite_io/0},
      {"anything else than a number or one of the three atoms is refused for a REAL",
       fun real_refuses_other_atoms/0},
      {"every elementary type's extreme values round-trip through write and read",
       fun extremes_write_read/0},
      {"every elementary type's extreme values round-trip through inject and the event's data",
       fun extremes_inject_event/0},
      {"values outside a type's range are refused, the resource unchanged",
       fun extremes_refused/0}]}.

%%% Non-finite values

nonfinite_out() ->
    {ok, R} = start_nonfinite(),
    Watched = [{V, watch(R, <<"N.", V/binary>>)} || {V, _} <- ?OUTPUTS],
    ?assertEqual([{V, 0.0} || {V, _} <- ?OUTPUTS], Watched),
    ok = plc:inject(R, <<"N.REQ">>),
    ?assertEqual(maps:from_list(?OUTPUTS), next_event(R, <<"N.CNF">>)),
    ?assertEqual([{V, {ok, A}} || {V, A} <- ?OUTPUTS],
                 [{V, plc:read(R, <<"N.", V/binary>>)} || {V, _} <- ?OUTPUTS]),
    ?assertEqual(lists:sort([{<<"N.", V/binary>>, A} || {V, A} <- ?OUTPUTS]),
                 lists:sort([next_watch(R) || _ <- ?OUTPUTS])),
    %% The same values again: no watch message (nan is equal to nan as a term).
    ok = plc:inject(R, <<"N.REQ">>),
    ?assertEqual(maps:from_list(?OUTPUTS), next_event(R, <<"N.CNF">>)),
    ?assertEqual({ok, #{dispatched => 2}}, dispatched(R)),
    receive {plc_watch, R, _, _} = M -> ?assertEqual(no_more_watch_messages, M)
    after 50 -> ok
    end,
    ok = plc:stop_resource(R).

nonfinite_in() ->
    {ok, R} = start_nonfinite(),
    %% 1.0 / -inf = -0.0, -1.0 / -inf = 0.0, SQRT(-inf - 1.0) = NaN.
    ok = plc:inject(R, <<"N.REQ">>, [{<<"Z">>, neg_infinity}]),
    #{<<"RInf">> := NegZero, <<"RNegInf">> := PosZero, <<"RNotANumber">> := nan} = next_event(R, <<"N.CNF">>),
    ?assertEqual({negative, 0.0}, sign(NegZero)),
    ?assertEqual({positive, 0.0}, sign(PosZero)),
    ?assertEqual({ok, neg_infinity}, plc:read(R, <<"N.Z">>)),
    %% 1.0 / NaN = NaN.
    ok = plc:inject(R, <<"N.REQ">>, [{<<"Z">>, nan}]),
    ?assertMatch(#{<<"RInf">> := nan, <<"RNegInf">> := nan, <<"RNotANumber">> := nan}, next_event(R, <<"N.CNF">>)),
    %% write/3 of each atom into each REAL and LREAL variable, read back.
    [begin
         ok = plc:write(R, <<"N.", V/binary>>, A),
         ?assertEqual({V, {ok, A}}, {V, plc:read(R, <<"N.", V/binary>>)})
     end || V <- [<<"Z">> | [V0 || {V0, _} <- ?OUTPUTS]], A <- [infinity, neg_infinity, nan, 2.5]],
    %% Through the NIF directly, as post/4 and post_batch/4 take them.
    {ok, _, _, H} = plc_mon:lookup(R),
    ?assertEqual(ok, plc_nif:post(H, <<"N">>, <<"REQ">>, [{<<"Z">>, infinity}])),
    ?assertEqual(2, plc_nif:post_batch(H, <<"N">>, <<"REQ">>, [[{<<"Z">>, nan}], [{<<"Z">>, 4.0}]])),
    ?assertMatch(#{<<"RInf">> := 0.0, <<"RNotANumber">> := infinity}, next_event(R, <<"N.CNF">>)),
    ?assertMatch(#{<<"RInf">> := nan, <<"RNotANumber">> := nan}, next_event(R, <<"N.CNF">>)),
    %% SQRT(4.0 - 1.0) in REAL: sqrt(3) rounded to float precision.
    Sqrt3 = float32(math:sqrt(3.0)),
    ?assertMatch(#{<<"RInf">> := 0.25, <<"RNegInf">> := -0.25, <<"RNotANumber">> := Sqrt3},
                 next_event(R, <<"N.CNF">>)),
    ok = plc:stop_resource(R).

nonfinite_io() ->
    Src = <<"FUNCTION_BLOCK NFOUT
EVENT_INPUT REQ; END_EVENT
EVENT_OUTPUT CNF WITH V; END_EVENT
VAR_OUTPUT V : LREAL; END_VAR
EC_STATES Idle; Go : Alg -> CNF; END_STATES
EC_TRANSITIONS Idle TO Go := REQ; Go TO Idle := 1; END_TRANSITIONS
ALGORITHM Alg IN ST: V := -1.0 / 0.0; END_ALGORITHM
END_FUNCTION_BLOCK
">>,
    {ok, _} = plc:compile(<<"nfout.st">>, Src),
    %% MIO_OUT's OUT is a BOOL: the LREAL goes out through a watch and
    %% an event; the process image proper is exercised by writing the
    %% atom to an LREAL variable the write path must encode.
    Net = #{fbs => [{<<"F">>, <<"NFOUT">>, []}, {<<"Out">>, <<"MIO_OUT">>, [{<<"ADDR">>, <<"'Q1'">>}]}],
            events => [{<<"F.CNF">>, <<"Out.REQ">>}]},
    {ok, R} = plc:start_resource(Net, #{observe => [<<"F.CNF">>], subscribers => [self()]}),
    ok = plc:inject(R, <<"F.REQ">>),
    ?assertEqual(#{<<"V">> => neg_infinity}, next_event(R, <<"F.CNF">>)),
    ?assertEqual(false, next_io(R, <<"Q1">>)),
    ?assertEqual({ok, neg_infinity}, plc:read(R, <<"F.V">>)),
    ok = plc:stop_resource(R).

real_refuses_other_atoms() ->
    {ok, R} = start_nonfinite(),
    [?assertMatch({error, <<"value for N.Z is not a REAL">>}, plc:write(R, <<"N.Z">>, Bad))
     || Bad <- [inf, '-infinity', 'NaN', true, <<"1.0">>, "1.0"]],
    ?assertMatch({error, _}, plc:inject(R, <<"N.REQ">>, [{<<"Z">>, minus_infinity}])),
    ?assertEqual({ok, 0.0}, plc:read(R, <<"N.Z">>)),
    ok = plc:stop_resource(R).

%%% Extreme values of every elementary type

%% {Type, Variable suffix, [{Written, Read}]}: what is written and what
%% reading it back gives (REAL keeps float precision).
extremes() ->
    MinDenormal = 4.9406564584124654e-324,
    MinNormal = 2.2250738585072014e-308,
    MaxLreal = 1.7976931348623157e308,
    MaxReal = 3.4028234663852886e38,
    RealDenormal = 1.401298464324817e-45,
    [{'BOOL', [same(false), same(true)]},
     {'SINT', ints(-128, 127)},
     {'INT', ints(-32768, 32767)},
     {'DINT', ints(-2147483648, 2147483647)},
     {'LINT', ints(-9223372036854775808, 9223372036854775807)},
     {'USINT', ints(0, 255)},
     {'UINT', ints(0, 65535)},
     {'UDINT', ints(0, 4294967295)},
     {'ULINT', ints(0, 18446744073709551615)},
     {'BYTE', ints(0, 255)},
     {'WORD', ints(0, 65535)},
     {'DWORD', ints(0, 4294967295)},
     {'LWORD', ints(0, 18446744073709551615)},
     {'LREAL', [same(0.0), same(-0.0), same(MinDenormal), same(-MinDenormal), same(MinNormal),
                same(MaxLreal), same(-MaxLreal), same(infinity), same(neg_infinity), same(nan),
                {7, 7.0}, {-9007199254740993, -9007199254740992.0}]},
     {'REAL', [same(0.0), same(-0.0), same(RealDenormal), same(MaxReal), same(-MaxReal),
               same(infinity), same(neg_infinity), same(nan),
               %% Beyond REAL's range: rounds to its infinities; below its
               %% smallest denormal: to zero.
               {1.0e39, infinity}, {-1.0e300, neg_infinity}, {MinDenormal, 0.0}, {0.1, 0.10000000149011612}]},
     {'TIME', ints(-9223372036854775808, 9223372036854775807)},
     {'DATE', ints(-9223372036854775808, 9223372036854775807)},
     {'TIME_OF_DAY', ints(-9223372036854775808, 9223372036854775807)},
     {'DATE_AND_TIME', ints(-9223372036854775808, 9223372036854775807)},
     {'STRING[8]', [same(<<>>), same(<<"12345678">>), same(<<"a">>), same(<<0, 255, $', $$>>)]},
     {'WSTRING[8]', [same(<<>>), same(<<"abcdefgh">>), same(<<"x">>)]}].

same(V) -> {V, V}.

%% The bounds, their neighbours, zero, and 20 values drawn between (seeded:
%% the same every run).
ints(Min, Max) ->
    S = rand:seed_s(exsss, {Min band 16#ffff, Max band 16#ffff, 61131}),
    {Drawn, _} = lists:mapfoldl(fun(_, S0) ->
                                        {X, S1} = rand:uniform_s(Max - Min + 1, S0),
                                        {Min + X - 1, S1}
                                end, S, lists:seq(1, 20)),
    [same(V) || V <- lists:usort([Min, Min + 1, Max - 1, Max] ++ [0 || Min =< 0] ++ Drawn)].

%% What lies just outside each type: refused.
out_of_range() ->
    [{'SINT', [-129, 128]}, {'INT', [-32769, 32768]}, {'DINT', [-2147483649, 2147483648]},
     {'LINT', [-9223372036854775809, 9223372036854775808]},
     {'USINT', [-1, 256]}, {'UINT', [-1, 65536]}, {'UDINT', [-1, 4294967296]},
     {'ULINT', [-1, 18446744073709551616]}, {'BYTE', [-1, 256]}, {'WORD', [-1, 65536]},
     {'DWORD', [-1, 4294967296]}, {'LWORD', [-1, 18446744073709551616]},
     {'TIME', [9223372036854775808]}, {'BOOL', [0, 1, nan]},
     {'LREAL', [infinit, <<"nan">>]}, {'REAL', [[], {}]},
     {'STRING[8]', [<<"123456789">>, "abc", 5]}, {'WSTRING[8]', [<<"123456789">>]}].

%% One input I_x, output O_x, event input R_x WITH I_x and event output
%% C_x WITH O_x per type; every R_x copies every input to its output.
extremes_st() ->
    Types = [T || {T, _} <- extremes()],
    L = fun(Fmt, Args) -> io_lib:format(Fmt, Args) end,
    iolist_to_binary(
      ["FUNCTION_BLOCK EXTREMES\nEVENT_INPUT\n",
       [L("  R_~s WITH I_~s;\n", [var(T), var(T)]) || T <- Types],
       "END_EVENT\nEVENT_OUTPUT\n",
       [L("  C_~s WITH O_~s;\n", [var(T), var(T)]) || T <- Types],
       "END_EVENT\nVAR_INPUT\n",
       [L("  I_~s : ~s;\n", [var(T), T]) || T <- Types],
       "END_VAR\nVAR_OUTPUT\n",
       [L("  O_~s : ~s;\n", [var(T), T]) || T <- Types],
       "END_VAR\nEC_STATES\n  Idle;\n",
       [L("  S_~s : Copy -> C_~s;\n", [var(T), var(T)]) || T <- Types],
       "END_STATES\nEC_TRANSITIONS\n",
       [L("  Idle TO S_~s := R_~s;\n  S_~s TO Idle := 1;\n", [var(T), var(T), var(T)]) || T <- Types],
       "END_TRANSITIONS\nALGORITHM Copy IN ST:\n",
       [L("  O_~s := I_~s;\n", [var(T), var(T)]) || T <- Types],
       "END_ALGORITHM\nEND_FUNCTION_BLOCK\n"]).

%% 'STRING[8]' -> "STRING".
var(T) -> hd(string:split(atom_to_list(T), "[")).

start_extremes() ->
    Observe = [iolist_to_binary(["E.C_", var(T)]) || {T, _} <- extremes()],
    plc:start_resource(#{fbs => [{<<"E">>, <<"EXTREMES">>, []}]}, #{observe => Observe, subscribers => [self()]}).

extremes_write_read() ->
    {ok, R} = start_extremes(),
    Failures =
        [{T, In, Got, Out}
         || {T, Cases} <- extremes(), {In, Out} <- Cases,
            Var <- [in_var(T), out_var(T)],
            Got <- [begin ok = plc:write(R, Var, In), plc:read(R, Var) end],
            not equal({ok, Out}, Got)],
    ?assertEqual([], Failures),
    ok = plc:stop_resource(R).

extremes_inject_event() ->
    {ok, R} = start_extremes(),
    Failures =
        [{T, In, Got, Out}
         || {T, Cases} <- extremes(), {In, Out} <- Cases,
            Got <- [begin
                        V = list_to_binary(var(T)),
                        ok = plc:inject(R, <<"E.R_", V/binary>>, [{<<"I_", V/binary>>, In}]),
                        maps:get(<<"O_", V/binary>>, next_event(R, <<"E.C_", V/binary>>))
                    end],
            not equal(Out, Got)],
    ?assertEqual([], Failures),
    ok = plc:stop_resource(R).

extremes_refused() ->
    {ok, R} = start_extremes(),
    Before = [{T, plc:read(R, in_var(T))} || {T, _} <- out_of_range()],
    Accepted = [{T, Bad, Result}
                || {T, Bads} <- out_of_range(), Bad <- Bads,
                   Result <- [plc:write(R, in_var(T), Bad),
                              plc:inject(R, <<"E.R_", (list_to_binary(var(T)))/binary>>,
                                         [{<<"I_", (list_to_binary(var(T)))/binary>>, Bad}])],
                   not is_refusal(Result)],
    ?assertEqual([], Accepted),
    ?assertEqual(Before, [{T, plc:read(R, in_var(T))} || {T, _} <- out_of_range()]),
    ?assertEqual({ok, #{dispatched => 0}}, dispatched(R)),
    ok = plc:stop_resource(R).

is_refusal({error, Why}) -> is_binary(Why);
is_refusal(_) -> false.

in_var(T) -> iolist_to_binary(["E.I_", var(T)]).
out_var(T) -> iolist_to_binary(["E.O_", var(T)]).

%% Exact equality, telling -0.0 from 0.0 (which =:= does not in OTP 25).
equal(A, B) when is_float(A), is_float(B) -> <<A/float>> =:= <<B/float>>;
equal({ok, A}, {ok, B}) -> equal(A, B);
equal(A, B) -> A =:= B.

%%% Helpers

start_nonfinite() ->
    plc:start_resource(#{fbs => [{<<"N">>, <<"NONFINITE">>, []}]},
                       #{observe => [<<"N.CNF">>], subscribers => [self()]}).

watch(R, Var) ->
    {ok, V} = plc:watch(R, Var),
    V.

next_event(R, Port) ->
    receive
        {plc_event, R, Port, Data} -> Data
    after 2000 -> error({no_event, Port})
    end.

next_watch(R) ->
    receive
        {plc_watch, R, Var, Value} -> {Var, Value}
    after 2000 -> error(no_watch)
    end.

next_io(R, Address) ->
    receive
        {plc_io, R, Address, Value} -> Value
    after 2000 -> error({no_io, Address})
    end.

dispatched(R) ->
    {ok, #{dispatched := D}} = plc:stats(R),
    {ok, #{dispatched => D}}.

sign(F) ->
    case <<F/float>> of
        <<1:1, _:63>> -> {negative, abs(F)};
        <<0:1, _:63>> -> {positive, F}
    end.

float32(F) ->
    <<G:32/float>> = <<F:32/float>>,
    G.
