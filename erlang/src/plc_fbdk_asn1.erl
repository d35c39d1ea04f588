%%% @doc FBDK's ASN.1 encoding of the data of communication function blocks,
%%% byte-compatible with 4diac FORTE: pure functions, no process, no socket.
%%%
%%% IEC 61499 leaves the encoding of PUBLISH/SUBSCRIBE and CLIENT/SERVER
%%% data to a compliance profile; 4diac uses the one of FBDK's "Compliance
%%% Profile for Feasibility Demonstrations" (a subset of ISO/IEC 8825 BER),
%%% implemented in FORTE's `src/core/cominfra/fbdkasn1layer.cpp' (3.0 line,
%%% `develop' @ b98bb397). This module follows that file rule by rule; the
%%% names in brackets below are its functions.
%%%
%%% A message is the SDs of one REQ (or RSP) in port order, each a data
%%% point: one tag byte, then the value [serializeDataPointArray,
%%% serializeDataPoint]. A block without SDs sends the single byte `0x05'
%%% (ASN.1 NULL) [serializeNull] and a receiver without RDs accepts exactly
%%% that [deserializeDataPointArray]. Tags are APPLICATION (0x40) plus the
%%% type's number, constructed types also 0x20 [csmDataTags]:
%%%
%%% ```
%%% type             tag         on the wire                           Erlang value
%%% BOOL             0x40, 0x41  nothing: 0x40 FALSE, 0x41 TRUE        false, true
%%% SINT..LINT       0x42..0x45  two's complement, 1/2/4/8 bytes       integer
%%% USINT..ULINT     0x46..0x49  unsigned, 1/2/4/8 bytes               integer >= 0
%%% BYTE..LWORD      0x51..0x54  unsigned, 1/2/4/8 bytes               integer >= 0
%%% REAL             0x4A        IEEE 754 single                       float | infinity | neg_infinity | nan
%%% LREAL            0x4B        IEEE 754 double                       as REAL
%%% TIME             0x4C        signed 64-bit microseconds            integer nanoseconds
%%% DATE, TOD, DT    0x4D..0x4F  signed 64-bit nanoseconds             integer nanoseconds
%%% STRING           0x50        u16 byte count, the bytes             binary
%%% WSTRING          0x55        u16 count of UTF-16 units, UTF-16BE   binary, a byte per character
%%% LDATE, LTOD, LDT 0x59..0x5B  as DATE, TOD, DT                      integer nanoseconds
%%% LTIME            0x5C        as TIME, microseconds                 integer nanoseconds
%%% ARRAY            0x76        u16 element count, the elements       list
%%% structure        0x61        the members                           list, or map by name
%%% '''
%%% BOOL carries its value in its tag [serializeValue]; integers, bit
%%% strings, reals and dates are copied big-endian
%%% [serializeValueSimpleDataType]; TIME is sent in microseconds
%%% [serializeValueTime]; DATE and DATE_AND_TIME count from 1970-01-01 UTC,
%%% TIME_OF_DAY from midnight. STRING [serializeValueString] and WSTRING
%%% [serializeValueWString] are length-prefixed. An array's elements are
%%% data points when they are BOOL, else the element tag comes once and
%%% then the bare values [serializeArray]; a structure's members are bare
%%% values except BOOL members, which are data points
%%% [serializeValueStruct].
%%%
%%% The values are the ones `plc:read/2' returns and `plc:write/3' takes
%%% (nif/terms.cc): TIME, DATE and the like in nanoseconds as the engine
%%% keeps them (runtime/data_type.h), STRING as its bytes, WSTRING as a
%%% binary of characters U+0000..U+00FF one byte each (runtime/fb_type.h:
%%% the engine holds no wider character yet), an array as a list of its
%%% elements. A structure type is `{struct, [Type]}' (value: the members'
%%% values in declaration order) or `{struct, [{Name, Type}]}' (value: a
%%% map `#{Name => Value}', as plc gives a structured variable).
%%%
%%% Decoding takes the RD types and mirrors FORTE's receiver
%%% [deserializeDataPoint and the functions it calls], with these choices:
%%% - a WSTRING may start with a byte order mark, FFFE meaning
%%%   little-endian, as FORTE accepts [CIEC_WSTRING::fromUTF16];
%%% - an array that arrives with fewer elements than the RD has fills the
%%%   rest with the type's zero value (FORTE keeps their previous value,
%%%   which a pure decoder does not know); more elements are decoded and
%%%   dropped, as FORTE drops them [deserializeArray];
%%% - what FORTE would wrap silently is an error here: a TIME beyond
%%%   64-bit nanoseconds, a WSTRING character beyond U+00FF, a STRING or
%%%   array longer than its u16 count can say;
%%% - a packet that does not match is `{error, Reason}', never an
%%%   exception: wrong tag, cut short, bytes left over.
%%%
%%% FORTE's quirks kept: a generic SD of type ANY that was never written
%%% holds SINT 0 in FORTE and is sent as `<<16#42, 0>>' (callers pass
%%% `{sint, 0}'); FORTE 2.x (`release') sent DATE, TIME_OF_DAY and
%%% DATE_AND_TIME in milliseconds, FORTE 3 in nanoseconds as here; FORTE 3
%%% decodes LTIME, LDATE, LTIME_OF_DAY and LDATE_AND_TIME but cannot send
%%% them (its serializeValue has no case for them). CHAR and WCHAR (0x57,
%%% 0x58) are not supported: plc has no such types.
-module(plc_fbdk_asn1).

-export([encode/1, decode/2, decode_stream/2]).
-export([tag/1]).

-export_type([type/0, elementary/0, value/0, reason/0]).

-type elementary() :: bool | sint | int | dint | lint | usint | uint | udint | ulint
                    | byte | word | dword | lword | real | lreal
                    | time | date | time_of_day | date_and_time | string | wstring
                    | ltime | ldate | ltime_of_day | ldate_and_time.
-type type() :: elementary()
              | {array, type(), 1..65535}
              | {struct, [type()] | [{binary(), type()}]}.
-type value() :: boolean() | integer() | float() | infinity | neg_infinity | nan | binary()
               | [value()] | #{binary() => value()}.
%% Why a value or a packet was refused. Nested values add where they are:
%% `{element, K, Reason}' (1-based), `{member, K | Name, Reason}'.
-type reason() :: {bad_type, term()} | {bad_value, type(), term()} | {out_of_range, type(), term()}
                | {bad_length, Expected :: non_neg_integer(), Got :: non_neg_integer()}
                | {missing_member, binary()} | {too_long, non_neg_integer()}
                | truncated | {bad_tag, Expected :: byte(), Got :: byte()}
                | {bad_utf16, binary()} | {beyond_latin1, non_neg_integer()}
                | {element, pos_integer(), reason()} | {member, pos_integer() | binary(), reason()}.

-define(NULL, 16#05).
-define(BOOL_FALSE, 16#40).
-define(BOOL_TRUE, 16#41).
-define(INT64_MIN, -16#8000000000000000).
-define(INT64_MAX, 16#7FFFFFFFFFFFFFFF).

%%% API

%% @doc The message FORTE sends for these SDs, given in port order as
%% `{Type, Value}'. `Index' in an error is the 1-based position of the SD.
-spec encode([{type(), value()}]) -> {ok, binary()} | {error, {pos_integer(), reason()}}.
encode([]) ->
    {ok, <<?NULL>>};
encode(Points) ->
    encode_points(Points, 1, []).

%% @doc The RD values of one whole message (a UDP datagram). `{error,
%% {Index, Reason}}' names the RD (1-based) whose value does not decode;
%% `{error, {trailing_bytes, N}}' a message longer than its RDs; for a block
%% without RDs, `{error, {not_null, Byte}}' a message that is not the NULL
%% byte and `{error, truncated}' an empty one.
-spec decode([type()], binary()) ->
          {ok, [value()]}
        | {error, {pos_integer(), reason()} | {trailing_bytes, pos_integer()} | {not_null, byte()} | truncated}.
decode(Types, Bin) when is_list(Types), is_binary(Bin) ->
    case decode_points(Types, Bin) of
        {ok, Values, <<>>} -> {ok, Values};
        {ok, _, Rest} -> {error, {trailing_bytes, byte_size(Rest)}};
        {error, _} = Error -> Error
    end.

%% @doc The first message of a byte stream (CLIENT/SERVER over TCP, where
%% messages may arrive cut or several at once): its values and the bytes
%% after it, or `incomplete' when the bytes are the start of a message.
-spec decode_stream([type()], binary()) ->
          {ok, [value()], binary()} | incomplete
        | {error, {pos_integer(), reason()} | {not_null, byte()}}.
decode_stream(Types, Bin) when is_list(Types), is_binary(Bin) ->
    case decode_points(Types, Bin) of
        {error, truncated} -> incomplete;
        {error, {_, truncated}} -> incomplete;
        Result -> Result
    end.

%% @doc The tag byte of a data point of this type (BOOL: the tag of FALSE).
-spec tag(type()) -> byte().
tag(bool) -> 16#40;
tag(sint) -> 16#42;
tag(int) -> 16#43;
tag(dint) -> 16#44;
tag(lint) -> 16#45;
tag(usint) -> 16#46;
tag(uint) -> 16#47;
tag(udint) -> 16#48;
tag(ulint) -> 16#49;
tag(real) -> 16#4A;
tag(lreal) -> 16#4B;
tag(time) -> 16#4C;
tag(date) -> 16#4D;
tag(time_of_day) -> 16#4E;
tag(date_and_time) -> 16#4F;
tag(string) -> 16#50;
tag(byte) -> 16#51;
tag(word) -> 16#52;
tag(dword) -> 16#53;
tag(lword) -> 16#54;
tag(wstring) -> 16#55;
tag(ldate) -> 16#59;
tag(ltime_of_day) -> 16#5A;
tag(ldate_and_time) -> 16#5B;
tag(ltime) -> 16#5C;
tag({array, _, _}) -> 16#76;       % APPLICATION + CONSTRUCTED + 22
tag({struct, _}) -> 16#61.         % APPLICATION + CONSTRUCTED + 1, every FORTE 3 structure

%%% Encoding

encode_points([], _, Acc) ->
    {ok, iolist_to_binary(lists:reverse(Acc))};
encode_points([{Type, Value} | Rest], Index, Acc) ->
    try check_type(Type), point(Type, Value) of
        Bytes -> encode_points(Rest, Index + 1, [Bytes | Acc])
    catch
        throw:{fbdk, Reason} -> {error, {Index, Reason}}
    end;
encode_points([Other | _], Index, _) ->
    {error, {Index, {bad_type, Other}}}.

%% A data point: the tag and the value [serializeDataPoint].
point(bool, true) -> ?BOOL_TRUE;
point(bool, false) -> ?BOOL_FALSE;
point(bool, V) -> fail({bad_value, bool, V});
point(Type, Value) -> [tag(Type), value(Type, Value)].

value(sint, V) -> <<(int(sint, V, -16#80, 16#7F)):8/signed>>;
value(int, V) -> <<(int(int, V, -16#8000, 16#7FFF)):16/signed>>;
value(dint, V) -> <<(int(dint, V, -16#80000000, 16#7FFFFFFF)):32/signed>>;
value(lint, V) -> <<(int(lint, V, ?INT64_MIN, ?INT64_MAX)):64/signed>>;
value(T, V) when T =:= usint; T =:= byte -> <<(int(T, V, 0, 16#FF)):8>>;
value(T, V) when T =:= uint; T =:= word -> <<(int(T, V, 0, 16#FFFF)):16>>;
value(T, V) when T =:= udint; T =:= dword -> <<(int(T, V, 0, 16#FFFFFFFF)):32>>;
value(T, V) when T =:= ulint; T =:= lword -> <<(int(T, V, 0, 16#FFFFFFFFFFFFFFFF)):64>>;
value(real, V) -> real32(V);
value(lreal, V) -> real64(V);
value(T, V) when T =:= time; T =:= ltime ->
    %% Microseconds, truncated toward zero as C++ divides [CIEC_TIME::getInMicroSeconds].
    <<(int(T, V, ?INT64_MIN, ?INT64_MAX) div 1000):64/signed>>;
value(T, V) when T =:= date; T =:= time_of_day; T =:= date_and_time;
                 T =:= ldate; T =:= ltime_of_day; T =:= ldate_and_time ->
    <<(int(T, V, ?INT64_MIN, ?INT64_MAX)):64/signed>>;
value(string, V) when is_binary(V) ->
    [<<(count(byte_size(V))):16>>, V];
value(wstring, V) when is_binary(V) ->
    [<<(count(byte_size(V))):16>>, << <<0, C>> || <<C>> <= V >>];
value({array, Elem, Length}, V) when is_list(V) ->
    length(V) =:= Length orelse fail({bad_length, Length, length(V)}),
    Values = case Elem of
                 bool -> nested(element, fun(E) -> point(bool, E) end, V);
                 _ -> [tag(Elem) | nested(element, fun(E) -> value(Elem, E) end, V)]
             end,
    [<<Length:16>> | Values];
value({struct, Members}, V) ->
    nested_members(Members, struct_values(Members, V));
value(Type, V) ->
    fail({bad_value, Type, V}).

int(_, V, Min, Max) when is_integer(V), V >= Min, V =< Max -> V;
int(Type, V, _, _) when is_integer(V) -> fail({out_of_range, Type, V});
int(Type, V, _, _) -> fail({bad_value, Type, V}).

count(N) when N =< 16#FFFF -> N;
count(N) -> fail({too_long, N}).

%% IEEE 754 single; a double beyond its range is an infinity, as C's cast.
real32(V) when is_integer(V), V >= ?INT64_MIN, V =< ?INT64_MAX -> real32(float(V));
real32(V) when is_float(V) ->
    try <<V:32/float>>
    catch error:badarg when V > 0 -> <<16#7F800000:32>>;
          error:badarg -> <<16#FF800000:32>>
    end;
real32(infinity) -> <<16#7F800000:32>>;
real32(neg_infinity) -> <<16#FF800000:32>>;
real32(nan) -> <<16#7FC00000:32>>;
real32(V) -> fail({bad_value, real, V}).

real64(V) when is_integer(V), V >= ?INT64_MIN, V =< ?INT64_MAX -> <<(float(V)):64/float>>;
real64(V) when is_float(V) -> <<V:64/float>>;
real64(infinity) -> <<16#7FF0000000000000:64>>;
real64(neg_infinity) -> <<16#FFF0000000000000:64>>;
real64(nan) -> <<16#7FF8000000000000:64>>;
real64(V) -> fail({bad_value, lreal, V}).

%% The members' values in declaration order, from a list or a map by name.
struct_values(Members, V) when is_list(V) ->
    length(V) =:= length(Members) orelse fail({bad_length, length(Members), length(V)}),
    V;
struct_values([{Name1, _} | _] = Members, V) when is_binary(Name1), is_map(V) ->
    [case V of
         #{Name := MV} -> MV;
         #{} -> fail({missing_member, Name})
     end || {Name, _} <- Members];
struct_values(Members, V) ->
    fail({bad_value, {struct, Members}, V}).

%% BOOL members are data points, the others bare values [serializeValueStruct].
nested_members(Members, Values) ->
    Encode = fun({K, {Type, V}}) ->
                     in({member, K}, fun() -> member(member_type(Type), V) end)
             end,
    lists:map(Encode, lists:zip(member_keys(Members), lists:zip(Members, Values))).

member(bool, V) -> point(bool, V);
member(Type, V) -> value(Type, V).

nested(Where, Fun, Values) ->
    {Out, _} = lists:mapfoldl(fun(V, K) -> {in({Where, K}, fun() -> Fun(V) end), K + 1} end, 1, Values),
    Out.

%% Runs Fun, adding `{Where, K, Reason}' around a failure other than truncated.
in({Where, K}, Fun) ->
    try Fun()
    catch throw:{fbdk, truncated} -> fail(truncated);
          throw:{fbdk, Reason} -> fail({Where, K, Reason})
    end.

member_keys([{Name1, _} | _] = Members) when is_binary(Name1) -> [Name || {Name, _} <- Members];
member_keys(Members) -> lists:seq(1, length(Members)).

member_type({Name, Type}) when is_binary(Name) -> Type;
member_type(Type) -> Type.

%%% Decoding

decode_points(Types, Bin) ->
    case check_types(Types, 1) of
        ok -> decode_checked(Types, Bin);
        Error -> Error
    end.

check_types([], _) ->
    ok;
check_types([Type | Types], Index) ->
    try check_type(Type) of
        ok -> check_types(Types, Index + 1)
    catch
        throw:{fbdk, Reason} -> {error, {Index, Reason}}
    end.

decode_checked([], <<?NULL, Rest/binary>>) -> {ok, [], Rest};
decode_checked([], <<>>) -> {error, truncated};
decode_checked([], <<Byte, _/binary>>) -> {error, {not_null, Byte}};
decode_checked(Types, Bin) -> decode_points(Types, Bin, 1, []).

decode_points([], Rest, _, Acc) ->
    {ok, lists:reverse(Acc), Rest};
decode_points([Type | Types], Bin, Index, Acc) ->
    try take_point(Type, Bin) of
        {Value, Rest} -> decode_points(Types, Rest, Index + 1, [Value | Acc])
    catch
        throw:{fbdk, Reason} -> {error, {Index, Reason}}
    end.

%% [deserializeDataPoint, deserializeTag]
take_point(bool, <<?BOOL_FALSE, Rest/binary>>) -> {false, Rest};
take_point(bool, <<?BOOL_TRUE, Rest/binary>>) -> {true, Rest};
take_point(Type, <<Tag, Rest/binary>>) ->
    Tag =:= tag(Type) orelse fail({bad_tag, tag(Type), Tag}),
    take_value(Type, Rest);
take_point(_, <<>>) ->
    fail(truncated).

%% [deserializeValue and the functions it calls]
take_value(sint, <<V:8/signed, R/binary>>) -> {V, R};
take_value(int, <<V:16/signed, R/binary>>) -> {V, R};
take_value(dint, <<V:32/signed, R/binary>>) -> {V, R};
take_value(lint, <<V:64/signed, R/binary>>) -> {V, R};
take_value(T, <<V:8, R/binary>>) when T =:= usint; T =:= byte -> {V, R};
take_value(T, <<V:16, R/binary>>) when T =:= uint; T =:= word -> {V, R};
take_value(T, <<V:32, R/binary>>) when T =:= udint; T =:= dword -> {V, R};
take_value(T, <<V:64, R/binary>>) when T =:= ulint; T =:= lword -> {V, R};
take_value(real, <<V:4/binary, R/binary>>) -> {from_real32(V), R};
take_value(lreal, <<V:8/binary, R/binary>>) -> {from_real64(V), R};
take_value(T, <<Us:64/signed, R/binary>>) when T =:= time; T =:= ltime ->
    Ns = Us * 1000,
    Ns >= ?INT64_MIN andalso Ns =< ?INT64_MAX orelse fail({out_of_range, T, Us}),
    {Ns, R};
take_value(T, <<V:64/signed, R/binary>>) when T =:= date; T =:= time_of_day; T =:= date_and_time;
                                             T =:= ldate; T =:= ltime_of_day; T =:= ldate_and_time ->
    {V, R};
take_value(string, <<N:16, V:N/binary, R/binary>>) -> {V, R};
take_value(wstring, <<N:16, V:N/binary-unit:16, R/binary>>) -> {from_utf16(V), R};
take_value({array, Elem, Length}, <<N:16, R/binary>>) -> take_array(Elem, Length, N, R);
take_value({struct, Members}, Bin) -> take_struct(Members, Bin);
take_value(_, _) -> fail(truncated).

from_real32(<<S:1, 16#FF:8, 0:23>>) -> infinity(S);
from_real32(<<_:1, 16#FF:8, _:23>>) -> nan;
from_real32(<<V:32/float>>) -> V.

from_real64(<<S:1, 16#7FF:11, 0:52>>) -> infinity(S);
from_real64(<<_:1, 16#7FF:11, _:52>>) -> nan;
from_real64(<<V:64/float>>) -> V.

infinity(0) -> infinity;
infinity(1) -> neg_infinity.

%% UTF-16 with an optional byte order mark, big-endian without one.
from_utf16(<<16#FE, 16#FF, Units/binary>>) -> latin1(Units, big);
from_utf16(<<16#FF, 16#FE, Units/binary>>) -> latin1(Units, little);
from_utf16(Units) -> latin1(Units, big).

latin1(Units, Endian) ->
    case unicode:characters_to_list(Units, {utf16, Endian}) of
        Chars when is_list(Chars) ->
            case [C || C <- Chars, C > 16#FF] of
                [] -> list_to_binary(Chars);
                [C | _] -> fail({beyond_latin1, C})
            end;
        _ -> fail({bad_utf16, Units})
    end.

%% N elements arrived for an RD of Length [deserializeArray,
%% deserializeValueBoolArray]: extra ones are dropped, missing ones zero.
take_array(Elem, Length, 0, Rest) ->
    {lists:duplicate(Length, zero(Elem)), Rest};
take_array(bool, Length, N, Bin) ->
    fit(Length, bool, take_n(fun(B) -> take_point(bool, B) end, N, Bin));
take_array(Elem, Length, N, <<Tag, Bin/binary>>) ->
    Tag =:= tag(Elem) orelse fail({bad_tag, tag(Elem), Tag}),
    fit(Length, Elem, take_n(fun(B) -> take_value(Elem, B) end, N, Bin));
take_array(_, _, _, <<>>) ->
    fail(truncated).

take_n(Take, N, Bin) -> take_n(Take, N, Bin, 1, []).

take_n(_, N, Bin, K, Acc) when K > N -> {lists:reverse(Acc), Bin};
take_n(Take, N, Bin, K, Acc) ->
    {V, Rest} = in({element, K}, fun() -> Take(Bin) end),
    take_n(Take, N, Rest, K + 1, [V | Acc]).

fit(Length, _, {Values, Rest}) when length(Values) >= Length ->
    {lists:sublist(Values, Length), Rest};
fit(Length, Elem, {Values, Rest}) ->
    {Values ++ lists:duplicate(Length - length(Values), zero(Elem)), Rest}.

%% BOOL members are data points, the others bare values [deserializeValueStruct].
take_struct(Members, Bin) ->
    {Values, Rest} =
        lists:foldl(fun({K, M}, {Acc, B}) ->
                            {V, R} = in({member, K}, fun() -> take_member(member_type(M), B) end),
                            {[V | Acc], R}
                    end, {[], Bin}, lists:zip(member_keys(Members), Members)),
    {struct_value(Members, lists:reverse(Values)), Rest}.

take_member(bool, Bin) -> take_point(bool, Bin);
take_member(Type, Bin) -> take_value(Type, Bin).

struct_value([{Name1, _} | _] = Members, Values) when is_binary(Name1) ->
    maps:from_list(lists:zip([Name || {Name, _} <- Members], Values));
struct_value(_, Values) ->
    Values.

%% The value an RD element holds before anything was received.
zero(bool) -> false;
zero(T) when T =:= real; T =:= lreal -> 0.0;
zero(T) when T =:= string; T =:= wstring -> <<>>;
zero({array, Elem, Length}) -> lists:duplicate(Length, zero(Elem));
zero({struct, Members}) -> struct_value(Members, [zero(member_type(M)) || M <- Members]);
zero(_) -> 0.

%%% Types

check_type(T) when is_atom(T) ->
    try tag(T) of
        _ -> ok
    catch
        error:function_clause -> fail({bad_type, T})
    end;
check_type({array, Elem, Length} = T) when is_integer(Length), Length >= 1, Length =< 16#FFFF ->
    in_type(T, fun() -> check_type(Elem) end);
check_type({struct, [{Name1, _} | _] = Members} = T) when is_binary(Name1) ->
    lists:all(fun({Name, _}) -> is_binary(Name); (_) -> false end, Members) orelse fail({bad_type, T}),
    length(lists:usort([N || {N, _} <- Members])) =:= length(Members) orelse fail({bad_type, T}),
    in_type(T, fun() -> lists:foreach(fun({_, M}) -> check_type(M) end, Members) end);
check_type({struct, [_ | _] = Members} = T) ->
    in_type(T, fun() -> lists:foreach(fun check_type/1, Members) end);
check_type(T) ->
    fail({bad_type, T}).

%% A bad type inside a type is reported as the whole type.
in_type(T, Fun) ->
    try Fun()
    catch throw:{fbdk, {bad_type, _}} -> fail({bad_type, T})
    end.

-spec fail(reason()) -> no_return().
fail(Reason) ->
    throw({fbdk, Reason}).
