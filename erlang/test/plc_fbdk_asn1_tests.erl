%%% FBDK ASN.1 (plc_fbdk_asn1) pinned with FORTE's own test vectors
%%% (4diac-forte tests/core/cominfra/fbdkasn1layer_serdeserdata.h and the
%%% cases of fbdkasn1layerser_test.cpp / fbdkasn1layerdeser_test.cpp that
%%% use them), then round trips and hostile packets.
-module(plc_fbdk_asn1_tests).

-include_lib("eunit/include/eunit.hrl").

-define(C, plc_fbdk_asn1).

%%% FORTE's vectors: {Type, Value, Bytes}, each encoded to exactly these
%%% bytes and decoded back to exactly this value.

vectors() ->
    [{bool, false, <<16#40>>},
     {bool, true, <<16#41>>},
     {byte, 0, <<16#51, 0>>},
     {byte, 12, <<16#51, 12>>},
     {byte, 128, <<16#51, 128>>},
     {byte, 255, <<16#51, 255>>},
     {word, 0, <<16#52, 0, 0>>},
     {word, 255, <<16#52, 0, 255>>},
     {word, 256, <<16#52, 1, 0>>},
     {word, 65535, <<16#52, 16#FF, 16#FF>>},
     {word, 40396, <<16#52, 16#9D, 16#CC>>},
     {dword, 0, <<16#53, 0, 0, 0, 0>>},
     {dword, 255, <<16#53, 0, 0, 0, 16#FF>>},
     {dword, 256, <<16#53, 0, 0, 1, 0>>},
     {dword, 65535, <<16#53, 0, 0, 16#FF, 16#FF>>},
     {dword, 65536, <<16#53, 0, 1, 0, 0>>},
     {dword, 4294967295, <<16#53, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {dword, 690586453, <<16#53, 16#29, 16#29, 16#83, 16#55>>},
     {lword, 0, <<16#54, 0, 0, 0, 0, 0, 0, 0, 0>>},
     {lword, 255, <<16#54, 0, 0, 0, 0, 0, 0, 0, 16#FF>>},
     {lword, 256, <<16#54, 0, 0, 0, 0, 0, 0, 1, 0>>},
     {lword, 65535, <<16#54, 0, 0, 0, 0, 0, 0, 16#FF, 16#FF>>},
     {lword, 65536, <<16#54, 0, 0, 0, 0, 0, 1, 0, 0>>},
     {lword, 4294967295, <<16#54, 0, 0, 0, 0, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {lword, 4294967296, <<16#54, 0, 0, 0, 1, 0, 0, 0, 0>>},
     {lword, 18446744073709551615, <<16#54, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {lword, 3544923647067170873, <<16#54, 16#31, 16#32, 16#19, 16#46, 16#73, 16#52, 16#28, 16#39>>},
     {usint, 0, <<16#46, 0>>},
     {usint, 12, <<16#46, 12>>},
     {usint, 128, <<16#46, 128>>},
     {usint, 255, <<16#46, 255>>},
     {uint, 0, <<16#47, 0, 0>>},
     {uint, 255, <<16#47, 0, 255>>},
     {uint, 256, <<16#47, 1, 0>>},
     {uint, 65535, <<16#47, 16#FF, 16#FF>>},
     {uint, 40396, <<16#47, 16#9D, 16#CC>>},
     {udint, 0, <<16#48, 0, 0, 0, 0>>},
     {udint, 255, <<16#48, 0, 0, 0, 16#FF>>},
     {udint, 256, <<16#48, 0, 0, 1, 0>>},
     {udint, 65535, <<16#48, 0, 0, 16#FF, 16#FF>>},
     {udint, 65536, <<16#48, 0, 1, 0, 0>>},
     {udint, 4294967295, <<16#48, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {udint, 690586453, <<16#48, 16#29, 16#29, 16#83, 16#55>>},
     {ulint, 0, <<16#49, 0, 0, 0, 0, 0, 0, 0, 0>>},
     {ulint, 255, <<16#49, 0, 0, 0, 0, 0, 0, 0, 16#FF>>},
     {ulint, 256, <<16#49, 0, 0, 0, 0, 0, 0, 1, 0>>},
     {ulint, 65535, <<16#49, 0, 0, 0, 0, 0, 0, 16#FF, 16#FF>>},
     {ulint, 65536, <<16#49, 0, 0, 0, 0, 0, 1, 0, 0>>},
     {ulint, 4294967295, <<16#49, 0, 0, 0, 0, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {ulint, 4294967296, <<16#49, 0, 0, 0, 1, 0, 0, 0, 0>>},
     {ulint, 18446744073709551615, <<16#49, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {ulint, 3544923647067170873, <<16#49, 16#31, 16#32, 16#19, 16#46, 16#73, 16#52, 16#28, 16#39>>},
     {sint, 0, <<16#42, 0>>},
     {sint, -128, <<16#42, 16#80>>},
     {sint, 127, <<16#42, 127>>},
     {sint, -90, <<16#42, 16#A6>>},
     {sint, 90, <<16#42, 16#5A>>},
     {int, 0, <<16#43, 0, 0>>},
     {int, -128, <<16#43, 16#FF, 16#80>>},
     {int, -129, <<16#43, 16#FF, 16#7F>>},
     {int, 127, <<16#43, 0, 127>>},
     {int, 128, <<16#43, 0, 128>>},
     {int, -32768, <<16#43, 16#80, 0>>},
     {int, 32767, <<16#43, 16#7F, 16#FF>>},
     {int, 10934, <<16#43, 16#2A, 16#B6>>},
     {int, -10934, <<16#43, 16#D5, 16#4A>>},
     {dint, 0, <<16#44, 0, 0, 0, 0>>},
     {dint, -128, <<16#44, 16#FF, 16#FF, 16#FF, 16#80>>},
     {dint, -129, <<16#44, 16#FF, 16#FF, 16#FF, 16#7F>>},
     {dint, 127, <<16#44, 0, 0, 0, 127>>},
     {dint, 128, <<16#44, 0, 0, 0, 128>>},
     {dint, -32768, <<16#44, 16#FF, 16#FF, 16#80, 0>>},
     {dint, -32769, <<16#44, 16#FF, 16#FF, 16#7F, 16#FF>>},
     {dint, 32767, <<16#44, 0, 0, 16#7F, 16#FF>>},
     {dint, 32768, <<16#44, 0, 0, 16#80, 0>>},
     {dint, -2147483648, <<16#44, 16#80, 0, 0, 0>>},
     {dint, 2147483647, <<16#44, 16#7F, 16#FF, 16#FF, 16#FF>>},
     {dint, 800058586, <<16#44, 16#2F, 16#AF, 16#EC, 16#DA>>},
     {dint, -800058586, <<16#44, 16#D0, 16#50, 16#13, 16#26>>},
     {lint, 0, <<16#45, 0, 0, 0, 0, 0, 0, 0, 0>>},
     {lint, -128, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#80>>},
     {lint, -129, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#7F>>},
     {lint, 127, <<16#45, 0, 0, 0, 0, 0, 0, 0, 127>>},
     {lint, 128, <<16#45, 0, 0, 0, 0, 0, 0, 0, 128>>},
     {lint, -32768, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#80, 0>>},
     {lint, -32769, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#7F, 16#FF>>},
     {lint, 32767, <<16#45, 0, 0, 0, 0, 0, 0, 16#7F, 16#FF>>},
     {lint, 32768, <<16#45, 0, 0, 0, 0, 0, 0, 16#80, 0>>},
     {lint, -2147483648, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#80, 0, 0, 0>>},
     {lint, -2147483649, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#7F, 16#FF, 16#FF, 16#FF>>},
     {lint, 2147483647, <<16#45, 0, 0, 0, 0, 16#7F, 16#FF, 16#FF, 16#FF>>},
     {lint, 2147483648, <<16#45, 0, 0, 0, 0, 16#80, 0, 0, 0>>},
     {lint, -9223372036854775808, <<16#45, 16#80, 0, 0, 0, 0, 0, 0, 0>>},
     {lint, 9223372036854775807, <<16#45, 16#7F, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF>>},
     {lint, 800058586, <<16#45, 0, 0, 0, 0, 16#2F, 16#AF, 16#EC, 16#DA>>},
     {lint, -800058586, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#D0, 16#50, 16#13, 16#26>>},
     %% REAL values as C's float literals: the nearest single, kept in a double.
     {real, 0.0, <<16#4A, 0, 0, 0, 0>>},
     {real, single(2.2874e6), <<16#4A, 16#4A, 16#0B, 16#9C, 16#A0>>},
     {real, single(-6.2587e-4), <<16#4A, 16#BA, 16#24, 16#11, 16#6D>>},
     {real, single(1.0e-37), <<16#4A, 16#02, 16#08, 16#1C, 16#EA>>},
     {real, 36.0, <<16#4A, 16#42, 16#10, 0, 0>>},
     {lreal, 0.0, <<16#4B, 0, 0, 0, 0, 0, 0, 0, 0>>},
     {lreal, 2.28743e6, <<16#4B, 16#41, 16#41, 16#73, 16#A3, 0, 0, 0, 0>>},
     {lreal, -6.2587e-4, <<16#4B, 16#BF, 16#44, 16#82, 16#2D, 16#97, 16#3C, 16#F2, 16#FB>>},
     {lreal, 1.0e-37, <<16#4B, 16#38, 16#41, 16#03, 16#9D, 16#42, 16#8A, 16#8B, 16#8F>>},
     {lreal, 36.0, <<16#4B, 16#40, 16#42, 0, 0, 0, 0, 0, 0>>},
     {string, <<>>, <<16#50, 0, 0>>},
     {string, <<"HalloWorld">>, <<16#50, 0, 16#0A, "HalloWorld">>},
     {wstring, <<>>, <<16#55, 0, 0>>},
     {wstring, <<"HalloWorld">>,
      <<16#55, 0, 16#0A, 0, $H, 0, $a, 0, $l, 0, $l, 0, $o, 0, $W, 0, $o, 0, $r, 0, $l, 0, $d>>},
     %% TIME: T#0s, T#3000ms, T#3s22ms, sent in microseconds.
     {time, 0, <<16#4C, 0, 0, 0, 0, 0, 0, 0, 0>>},
     {time, 3000000000, <<16#4C, 0, 0, 0, 0, 0, 16#2D, 16#C6, 16#C0>>},
     {time, 3022000000, <<16#4C, 0, 0, 0, 0, 0, 16#2E, 16#1C, 16#B0>>},
     {{array, bool, 5}, [true, false, false, true, true], <<16#76, 0, 5, 16#41, 16#40, 16#40, 16#41, 16#41>>},
     {{array, bool, 5}, [false, true, false, true, false], <<16#76, 0, 5, 16#40, 16#41, 16#40, 16#41, 16#40>>},
     {{array, sint, 4}, [-128, 127, 0, -90], <<16#76, 0, 4, 16#42, 16#80, 127, 0, 16#A6>>},
     {{array, sint, 4}, [-90, 90, 127, 0], <<16#76, 0, 4, 16#42, 16#A6, 16#5A, 127, 0>>},
     {{array, string, 2}, [<<>>, <<"HalloWorld">>],
      <<16#76, 0, 2, 16#50, 0, 0, 0, 16#0A, "HalloWorld">>}].

single(F) ->
    <<S:32/float>> = <<F:32/float>>,
    S.

every_forte_vector_encodes_to_forte_bytes_test_() ->
    [{lists:flatten(io_lib:format("~p ~p", [T, V])), ?_assertEqual({ok, B}, ?C:encode([{T, V}]))}
     || {T, V, B} <- vectors()].

every_forte_vector_decodes_to_its_value_test_() ->
    [{lists:flatten(io_lib:format("~p ~p", [T, V])), ?_assertEqual({ok, [V]}, ?C:decode([T], B))}
     || {T, V, B} <- vectors()].

%% Single_Serialize_Test_MultiDatas / Single_Deserialize_Test_MultiDatas.
forte_multi_data_message_is_the_points_in_port_order_test() ->
    Points = [{time, 3000000000}, {word, 40396}, {string, <<"HalloWorld">>}, {int, -10934}, {bool, true},
              {time, 3022000000}],
    Bytes = <<16#4C, 0, 0, 0, 0, 0, 16#2D, 16#C6, 16#C0, 16#52, 16#9D, 16#CC, 16#50, 0, 16#0A, "HalloWorld",
              16#43, 16#D5, 16#4A, 16#41, 16#4C, 0, 0, 0, 0, 0, 16#2E, 16#1C, 16#B0>>,
    ?assertEqual({ok, Bytes}, ?C:encode(Points)),
    ?assertEqual({ok, [V || {_, V} <- Points]}, ?C:decode([T || {T, _} <- Points], Bytes)).

%% Single_Serialize_Test_WSTRING / Single_Deserialize_Test_WSTRING: FORTE
%% decodes 日本語 (UTF-16BE 65E5 672C 8A9E); a plc WSTRING holds
%% characters up to U+00FF only, so the decoder says which one it cannot.
forte_nihongo_wstring_is_refused_naming_its_first_character_test() ->
    Nihongo = <<16#55, 0, 3, 16#65, 16#E5, 16#67, 16#2C, 16#8A, 16#9E>>,
    ?assertEqual({error, {1, {beyond_latin1, 16#65E5}}}, ?C:decode([wstring], Nihongo)).

%% Single_Deserialize_Test_ARRAY: an RD array longer than the message
%% keeps its zero values, a shorter one drops the extra elements.
forte_arrays_of_another_length_than_the_message_test() ->
    Bool10011 = <<16#76, 0, 5, 16#41, 16#40, 16#40, 16#41, 16#41>>,
    Sint4 = <<16#76, 0, 4, 16#42, 16#80, 127, 0, 16#A6>>,
    ?assertEqual({ok, [[true, false, false, true, true, false, false]]}, ?C:decode([{array, bool, 7}], Bool10011)),
    ?assertEqual({ok, [[true, false, false]]}, ?C:decode([{array, bool, 3}], Bool10011)),
    ?assertEqual({ok, [[-128, 127, 0, -90, 0, 0, 0]]}, ?C:decode([{array, sint, 7}], Sint4)),
    ?assertEqual({ok, [[-128, 127]]}, ?C:decode([{array, sint, 2}], Sint4)).

%% The Single_Deserialize_Negative_Test_* cases: every other vector is
%% refused by an RD of each type, by its tag.
forte_negative_cases_refuse_every_other_type_test_() ->
    Samples = [{bool, <<16#40>>}, {byte, <<16#51, 128>>}, {word, <<16#52, 16#9D, 16#CC>>},
               {dword, <<16#53, 16#29, 16#29, 16#83, 16#55>>}, {lword, <<16#54, 0, 0, 0, 1, 0, 0, 0, 0>>},
               {usint, <<16#46, 128>>}, {uint, <<16#47, 16#9D, 16#CC>>},
               {udint, <<16#48, 16#29, 16#29, 16#83, 16#55>>},
               {ulint, <<16#49, 16#31, 16#32, 16#19, 16#46, 16#73, 16#52, 16#28, 16#39>>},
               {sint, <<16#42, 16#A6>>}, {int, <<16#43, 16#D5, 16#4A>>}, {dint, <<16#44, 16#2F, 16#AF, 16#EC, 16#DA>>},
               {lint, <<16#45, 16#FF, 16#FF, 16#FF, 16#FF, 16#D0, 16#50, 16#13, 16#26>>},
               {real, <<16#4A, 16#02, 16#08, 16#1C, 16#EA>>},
               {lreal, <<16#4B, 16#BF, 16#44, 16#82, 16#2D, 16#97, 16#3C, 16#F2, 16#FB>>},
               {string, <<16#50, 0, 16#0A, "HalloWorld">>},
               {wstring, <<16#55, 0, 2, 0, $H, 0, $a>>},
               {time, <<16#4C, 0, 0, 0, 0, 0, 16#2E, 16#1C, 16#B0>>},
               {{array, bool, 5}, <<16#76, 0, 5, 16#40, 16#41, 16#40, 16#41, 16#40>>},
               {{array, sint, 4}, <<16#76, 0, 4, 16#42, 16#A6, 16#5A, 127, 0>>},
               {{array, string, 2}, <<16#76, 0, 2, 16#50, 0, 0, 0, 16#0A, "HalloWorld">>}],
    [{lists:flatten(io_lib:format("~p refuses ~p", [RD, Sent])),
      ?_assertMatch({error, {1, _}}, ?C:decode([RD], Bytes))}
     || {RD, _} <- Samples, {Sent, Bytes} <- Samples, Sent =/= RD].

%% The serializer tests' "buffer too small" cases: a message cut anywhere
%% is truncated, never a value.
every_forte_vector_cut_short_is_truncated_test() ->
    lists:foreach(fun({T, _, B}) ->
                          [?assertMatch({error, {1, _}}, ?C:decode([T], binary:part(B, 0, N)))
                           || N <- lists:seq(0, byte_size(B) - 1)],
                          [?assertEqual(incomplete, ?C:decode_stream([T], binary:part(B, 0, N)))
                           || N <- lists:seq(0, byte_size(B) - 1)]
                  end, vectors()).

%%% FORTE's other rules

a_block_without_data_sends_and_expects_the_null_byte_test() ->
    ?assertEqual({ok, <<16#05>>}, ?C:encode([])),
    ?assertEqual({ok, []}, ?C:decode([], <<16#05>>)),
    ?assertEqual({error, {not_null, 16#40}}, ?C:decode([], <<16#40>>)),
    ?assertEqual({error, {trailing_bytes, 1}}, ?C:decode([], <<16#05, 16#05>>)),
    ?assertEqual({error, truncated}, ?C:decode([], <<>>)),
    ?assertEqual(incomplete, ?C:decode_stream([], <<>>)).

a_struct_sends_its_tag_then_members_untagged_but_bools_test() ->
    Type = {struct, [{<<"A">>, bool}, {<<"B">>, int}, {<<"C">>, string}, {<<"D">>, bool}]},
    Value = #{<<"A">> => true, <<"B">> => -2, <<"C">> => <<"x">>, <<"D">> => false},
    Bytes = <<16#61, 16#41, 16#FF, 16#FE, 0, 1, $x, 16#40>>,
    ?assertEqual({ok, Bytes}, ?C:encode([{Type, Value}])),
    ?assertEqual({ok, [Value]}, ?C:decode([Type], Bytes)),
    Unnamed = {struct, [bool, int, string, bool]},
    ?assertEqual({ok, Bytes}, ?C:encode([{Unnamed, [true, -2, <<"x">>, false]}])),
    ?assertEqual({ok, [[true, -2, <<"x">>, false]]}, ?C:decode([Unnamed], Bytes)).

an_array_of_structs_tags_the_struct_once_test() ->
    Type = {array, {struct, [bool, usint]}, 2},
    Bytes = <<16#76, 0, 2, 16#61, 16#41, 7, 16#40, 8>>,
    ?assertEqual({ok, Bytes}, ?C:encode([{Type, [[true, 7], [false, 8]]}])),
    ?assertEqual({ok, [[[true, 7], [false, 8]]]}, ?C:decode([Type], Bytes)).

a_struct_first_in_an_unnamed_struct_is_a_member_not_a_name_test() ->
    Type = {struct, [{struct, [int]}, bool]},
    ?assertEqual({ok, <<16#61, 0, 7, 16#41>>}, ?C:encode([{Type, [[7], true]}])),
    ?assertEqual({ok, [[[7], true]]}, ?C:decode([Type], <<16#61, 0, 7, 16#41>>)).

an_array_of_arrays_tags_the_inner_array_once_test() ->
    Type = {array, {array, bool, 2}, 2},
    Bytes = <<16#76, 0, 2, 16#76, 0, 2, 16#41, 16#40, 0, 2, 16#40, 16#41>>,
    ?assertEqual({ok, Bytes}, ?C:encode([{Type, [[true, false], [false, true]]}])),
    ?assertEqual({ok, [[[true, false], [false, true]]]}, ?C:decode([Type], Bytes)).

an_array_message_with_no_elements_leaves_every_element_zero_test() ->
    ?assertEqual({ok, [[0, 0, 0]]}, ?C:decode([{array, int, 3}], <<16#76, 0, 0>>)),
    ?assertEqual({ok, [[<<>>, <<>>]]}, ?C:decode([{array, string, 2}], <<16#76, 0, 0>>)),
    ?assertEqual({ok, [[[false, 0.0]]]}, ?C:decode([{array, {struct, [bool, real]}, 1}], <<16#76, 0, 0>>)).

date_and_time_of_day_travel_in_nanoseconds_as_forte_3_keeps_them_test() ->
    %% DATE#2024-10-16 (1729036800 s since 1970), TOD#12:00:00.5.
    Date = 1729036800 * 1000000000,
    Tod = (12 * 3600) * 1000000000 + 500000000,
    ?assertEqual({ok, <<16#4D, Date:64, 16#4E, Tod:64, 16#4F, (Date + Tod):64>>},
                 ?C:encode([{date, Date}, {time_of_day, Tod}, {date_and_time, Date + Tod}])),
    ?assertEqual({ok, [-1]}, ?C:decode([date], <<16#4D, -1:64>>)).

time_below_a_microsecond_is_truncated_toward_zero_as_forte_divides_test() ->
    ?assertEqual({ok, <<16#4C, 1:64/signed>>}, ?C:encode([{time, 1999}])),
    ?assertEqual({ok, <<16#4C, -1:64/signed>>}, ?C:encode([{time, -1999}])),
    ?assertEqual({ok, <<16#5C, 2:64/signed>>}, ?C:encode([{ltime, 2000}])),
    ?assertEqual({ok, [-5000]}, ?C:decode([time], <<16#4C, -5:64/signed>>)).

a_time_beyond_64_bit_nanoseconds_is_out_of_range_test() ->
    Max = 16#7FFFFFFFFFFFFFFF div 1000,
    ?assertEqual({ok, [Max * 1000]}, ?C:decode([time], <<16#4C, Max:64>>)),
    ?assertEqual({error, {1, {out_of_range, time, Max + 1}}}, ?C:decode([time], <<16#4C, (Max + 1):64>>)).

reals_that_are_not_finite_travel_as_ieee_test() ->
    ?assertEqual({ok, <<16#4A, 16#7F800000:32, 16#4A, 16#FF800000:32, 16#4B, 16#7FF0000000000000:64>>},
                 ?C:encode([{real, infinity}, {real, neg_infinity}, {lreal, infinity}])),
    ?assertEqual({ok, [infinity, neg_infinity, nan, nan, neg_infinity]},
                 ?C:decode([real, real, real, lreal, lreal],
                           <<16#4A, 16#7F800000:32, 16#4A, 16#FF800000:32, 16#4A, 16#7FC00001:32,
                             16#4B, 16#7FF8000000000000:64, 16#4B, 16#FFF0000000000000:64>>)),
    {ok, [nan]} = ?C:decode([real], element(2, ?C:encode([{real, nan}]))),
    {ok, [nan]} = ?C:decode([lreal], element(2, ?C:encode([{lreal, nan}]))).

a_real_beyond_single_range_is_an_infinity_and_integers_are_accepted_test() ->
    ?assertEqual({ok, <<16#4A, 16#7F800000:32>>}, ?C:encode([{real, 1.0e300}])),
    ?assertEqual({ok, <<16#4A, 16#FF800000:32>>}, ?C:encode([{real, -1.0e300}])),
    ?assertEqual({ok, <<16#4A, 16#42100000:32, 16#4B, 16#4042000000000000:64>>},
                 ?C:encode([{real, 36}, {lreal, 36}])).

a_wstring_is_utf16_big_endian_and_may_carry_a_byte_order_mark_test() ->
    ?assertEqual({ok, <<16#55, 0, 2, 0, 16#E4, 0, 16#FF>>}, ?C:encode([{wstring, <<16#E4, 16#FF>>}])),
    %% The count includes the mark, as FORTE reads it [deserializeValueWString].
    ?assertEqual({ok, [<<"Hi">>]}, ?C:decode([wstring], <<16#55, 0, 3, 16#FE, 16#FF, 0, $H, 0, $i>>)),
    ?assertEqual({ok, [<<"Hi">>]}, ?C:decode([wstring], <<16#55, 0, 3, 16#FF, 16#FE, $H, 0, $i, 0>>)),
    ?assertEqual({error, {1, {beyond_latin1, 16#1F600}}},
                 ?C:decode([wstring], <<16#55, 0, 2, 16#D8, 16#3D, 16#DE, 16#00>>)),
    ?assertMatch({error, {1, {bad_utf16, _}}}, ?C:decode([wstring], <<16#55, 0, 1, 16#D8, 16#3D>>)).

%%% Values refused on encode, by the SD's 1-based index

values_out_of_range_or_of_the_wrong_kind_are_refused_test() ->
    ?assertEqual({error, {1, {out_of_range, sint, 128}}}, ?C:encode([{sint, 128}])),
    ?assertEqual({error, {2, {out_of_range, usint, -1}}}, ?C:encode([{bool, true}, {usint, -1}])),
    ?assertEqual({error, {1, {out_of_range, ulint, 1 bsl 64}}}, ?C:encode([{ulint, 1 bsl 64}])),
    ?assertEqual({error, {1, {out_of_range, time, 1 bsl 63}}}, ?C:encode([{time, 1 bsl 63}])),
    ?assertEqual({error, {1, {bad_value, bool, 1}}}, ?C:encode([{bool, 1}])),
    ?assertEqual({error, {1, {bad_value, int, 1.0}}}, ?C:encode([{int, 1.0}])),
    ?assertEqual({error, {1, {bad_value, string, "abc"}}}, ?C:encode([{string, "abc"}])),
    ?assertEqual({error, {1, {bad_value, real, <<>>}}}, ?C:encode([{real, <<>>}])),
    ?assertEqual({error, {1, {too_long, 65536}}}, ?C:encode([{string, binary:copy(<<"x">>, 65536)}])),
    ?assertEqual({error, {1, {bad_length, 3, 2}}}, ?C:encode([{{array, int, 3}, [1, 2]}])),
    ?assertEqual({error, {1, {element, 2, {out_of_range, sint, 300}}}},
                 ?C:encode([{{array, sint, 2}, [1, 300]}])),
    ?assertEqual({error, {1, {missing_member, <<"B">>}}},
                 ?C:encode([{{struct, [{<<"A">>, int}, {<<"B">>, int}]}, #{<<"A">> => 1}}])),
    ?assertEqual({error, {1, {member, <<"B">>, {bad_value, bool, 2}}}},
                 ?C:encode([{{struct, [{<<"A">>, int}, {<<"B">>, bool}]}, #{<<"A">> => 1, <<"B">> => 2}}])).

types_that_are_not_types_are_refused_test() ->
    [?assertEqual({error, {1, {bad_type, T}}}, ?C:encode([{T, 0}]))
     || T <- [char, any, {array, int, 0}, {array, int, 65536}, {array, foo, 2}, {struct, []},
              {struct, [{<<"A">>, int}, {<<"A">>, int}]}, {struct, [int, {<<"A">>, int}]}, "int"]],
    ?assertEqual({error, {2, {bad_type, {array, foo, 1}}}}, ?C:decode([int, {array, foo, 1}], <<>>)),
    ?assertEqual({error, {1, {bad_type, nope}}}, ?C:encode([nope])).

%%% Hostile packets

wrong_tags_are_named_with_what_was_expected_test() ->
    ?assertEqual({error, {1, {bad_tag, 16#43, 16#42}}}, ?C:decode([int], <<16#42, 0>>)),
    ?assertEqual({error, {1, {bad_tag, 16#40, 16#42}}}, ?C:decode([bool], <<16#42, 0>>)),
    ?assertEqual({error, {1, {bad_tag, 16#42, 16#43}}},
                 ?C:decode([{array, sint, 1}], <<16#76, 0, 1, 16#43, 0, 0>>)),
    ?assertEqual({error, {1, {element, 2, {bad_tag, 16#40, 16#42}}}},
                 ?C:decode([{array, bool, 2}], <<16#76, 0, 2, 16#41, 16#42>>)),
    ?assertEqual({error, {2, {bad_tag, 16#61, 16#76}}}, ?C:decode([bool, {struct, [int]}], <<16#41, 16#76>>)).

bytes_after_the_last_rd_are_refused_but_a_stream_keeps_them_test() ->
    ?assertEqual({error, {trailing_bytes, 2}}, ?C:decode([sint], <<16#42, 1, 16#42, 2>>)),
    ?assertEqual({ok, [1], <<16#42, 2>>}, ?C:decode_stream([sint], <<16#42, 1, 16#42, 2>>)),
    ?assertEqual({error, {1, {bad_tag, 16#42, 16#43}}}, ?C:decode_stream([sint], <<16#43>>)).

huge_lengths_in_a_short_packet_are_truncated_test() ->
    ?assertEqual({error, {1, truncated}}, ?C:decode([string], <<16#50, 16#FF, 16#FF, "abc">>)),
    ?assertEqual({error, {1, truncated}}, ?C:decode([wstring], <<16#55, 16#FF, 16#FF, 0, $a>>)),
    ?assertEqual({error, {1, truncated}}, ?C:decode([{array, bool, 2}], <<16#76, 16#FF, 16#FF, 16#41>>)),
    ?assertEqual({error, {1, truncated}}, ?C:decode([{array, lint, 2}], <<16#76, 16#FF, 16#FF, 16#45, 0>>)),
    ?assertEqual(incomplete, ?C:decode_stream([{array, string, 1}], <<16#76, 16#FF, 16#FF, 16#50, 0, 1>>)).

%% A small property: random bytes never raise, for every type; every
%% random value of a type round-trips.
random_bytes_never_raise_for_any_type_test() ->
    rand:seed(exsss, {16, 2, 2026}),
    lists:foreach(
      fun(_) ->
              Types = [random_type(3) || _ <- lists:seq(1, rand:uniform(3))],
              Bin = random_bytes(rand:uniform(40) - 1),
              Fuzzed = fuzz(element(2, ?C:encode([{T, random_value(T)} || T <- Types]))),
              [?assertMatch({A, _} when A =:= ok; A =:= error, ?C:decode(Types, B)) || B <- [Bin, Fuzzed]],
              [?assertMatch(R when R =:= incomplete; element(1, R) =:= ok; element(1, R) =:= error,
                            ?C:decode_stream(Types, B)) || B <- [Bin, Fuzzed]]
      end, lists:seq(1, 3000)).

random_values_round_trip_test() ->
    rand:seed(exsss, {16, 2, 2027}),
    lists:foreach(
      fun(_) ->
              Types = [random_type(3) || _ <- lists:seq(1, rand:uniform(4))],
              Values = [random_value(T) || T <- Types],
              {ok, Bin} = ?C:encode(lists:zip(Types, Values)),
              ?assertEqual({ok, Values}, ?C:decode(Types, Bin)),
              ?assertEqual({ok, Values, <<1, 2>>}, ?C:decode_stream(Types, <<Bin/binary, 1, 2>>))
      end, lists:seq(1, 2000)).

elementary() ->
    [bool, sint, int, dint, lint, usint, uint, udint, ulint, byte, word, dword, lword, real, lreal,
     time, date, time_of_day, date_and_time, string, wstring, ltime, ldate, ltime_of_day, ldate_and_time].

random_type(0) ->
    pick(elementary());
random_type(Depth) ->
    case rand:uniform(6) of
        1 -> {array, random_type(Depth - 1), rand:uniform(4)};
        2 -> {struct, [random_type(Depth - 1) || _ <- lists:seq(1, rand:uniform(3))]};
        3 -> {struct, [{integer_to_binary(K), random_type(Depth - 1)} || K <- lists:seq(1, rand:uniform(3))]};
        _ -> random_type(0)
    end.

random_value(bool) -> pick([true, false]);
random_value(sint) -> rand:uniform(256) - 129;
random_value(int) -> rand:uniform(65536) - 32769;
random_value(dint) -> rand:uniform(1 bsl 32) - (1 bsl 31) - 1;
random_value(T) when T =:= lint; T =:= date; T =:= time_of_day; T =:= date_and_time;
                     T =:= ldate; T =:= ltime_of_day; T =:= ldate_and_time ->
    rand:uniform(1 bsl 64) - (1 bsl 63) - 1;
random_value(T) when T =:= time; T =:= ltime -> (rand:uniform(1 bsl 50) - (1 bsl 49)) * 1000;
random_value(T) when T =:= usint; T =:= byte -> rand:uniform(256) - 1;
random_value(T) when T =:= uint; T =:= word -> rand:uniform(65536) - 1;
random_value(T) when T =:= udint; T =:= dword -> rand:uniform(1 bsl 32) - 1;
random_value(T) when T =:= ulint; T =:= lword -> rand:uniform(1 bsl 64) - 1;
random_value(real) -> single((rand:uniform() - 0.5) * 1.0e6);
random_value(lreal) -> (rand:uniform() - 0.5) * 1.0e300;
random_value(T) when T =:= string; T =:= wstring -> random_bytes(rand:uniform(6) - 1);
random_value({array, T, N}) -> [random_value(T) || _ <- lists:seq(1, N)];
random_value({struct, [{K1, _} | _] = Ms}) when is_binary(K1) -> maps:from_list([{K, random_value(T)} || {K, T} <- Ms]);
random_value({struct, Ms}) -> [random_value(T) || T <- Ms].

random_bytes(N) -> list_to_binary([rand:uniform(256) - 1 || _ <- lists:seq(1, N)]).

%% A valid message with a byte changed, removed or added.
fuzz(Bin) when byte_size(Bin) > 0 ->
    K = rand:uniform(byte_size(Bin)) - 1,
    <<Head:K/binary, B, Tail/binary>> = Bin,
    case rand:uniform(3) of
        1 -> <<Head/binary, (B bxor rand:uniform(255)), Tail/binary>>;
        2 -> <<Head/binary, Tail/binary>>;
        3 -> <<Head/binary, B, (rand:uniform(256) - 1), Tail/binary>>
    end.

pick(List) -> lists:nth(rand:uniform(length(List)), List).
