%%% The management protocol's wire (plc_mgmt_codec), pinned with the
%%% frames and responses observed from FORTE (../shared/4diac-management.md).
-module(plc_mgmt_codec_tests).

-include_lib("eunit/include/eunit.hrl").

-define(C, plc_mgmt_codec).

%%% Framing

an_observed_ide_request_decodes_into_destination_and_text_test() ->
    Frame = <<16#50, 0, 7, "EMB_RES", 16#50, 0, 16#4a,
              "<Request ID=\"3\" Action=\"CREATE\"><FB Name=\"CYC\" Type=\"E_CYCLE\" /></Request>">>,
    ?assertEqual({ok, [{<<"EMB_RES">>,
                        <<"<Request ID=\"3\" Action=\"CREATE\"><FB Name=\"CYC\" Type=\"E_CYCLE\" /></Request>">>}],
                  <<>>},
                 ?C:decode_requests(Frame)),
    ?assertEqual(Frame, ?C:encode_request(<<"EMB_RES">>,
                                          <<"<Request ID=\"3\" Action=\"CREATE\"><FB Name=\"CYC\" "
                                            "Type=\"E_CYCLE\" /></Request>">>)).

a_device_request_has_an_empty_destination_test() ->
    Frame = <<16#50, 0, 0, 16#50, 0, 16#32, "<Request ID=\"3\" Action=\"READ\"><Watches/></Request>">>,
    ?assertEqual({ok, [{<<>>, <<"<Request ID=\"3\" Action=\"READ\"><Watches/></Request>">>}], <<>>},
                 ?C:decode_requests(Frame)).

a_request_in_pieces_waits_for_its_end_and_pipelined_requests_all_decode_test() ->
    One = ?C:encode_request(<<>>, <<"<Request ID=\"1\" Action=\"START\"/>">>),
    Two = ?C:encode_request(<<"R">>, <<"<Request ID=\"2\" Action=\"STOP\"/>">>),
    Cut = 5,
    <<Head:Cut/binary, Tail/binary>> = One,
    ?assertEqual({ok, [], Head}, ?C:decode_requests(Head)),
    ?assertEqual({ok, [{<<>>, <<"<Request ID=\"1\" Action=\"START\"/>">>}], <<>>},
                 ?C:decode_requests(<<Head/binary, Tail/binary>>)),
    {ok, Both, <<>>} = ?C:decode_requests(<<One/binary, Two/binary>>),
    ?assertEqual(2, length(Both)).

a_value_that_is_not_a_string_is_a_framing_error_test() ->
    ?assertEqual({error, {bad_tag, 16#55}}, ?C:decode_requests(<<16#55, 0, 1, "x">>)),
    ?assertEqual({error, {bad_tag, 16#55}}, ?C:decode_requests(<<16#50, 0, 0, 16#55, 0, 0>>)).

the_observed_responses_frame_byte_for_byte_test() ->
    ?assertEqual(<<16#50, 0, 16#13, "<Response ID=\"3\" />">>, ?C:encode_string(?C:ok(<<"3">>))),
    ?assertEqual(<<16#50, 0, 16#20, "<Response ID=\"3\">\n  \n</Response>">>,
                 ?C:encode_string(?C:long_ok(<<"3">>, <<>>))).

%%% Requests

every_command_of_the_ide_parses_test_() ->
    Cases = [{<<"<Request ID=\"3\" Action=\"CREATE\"><FB Name=\"CYC\" Type=\"E_CYCLE\" /></Request>">>,
              {create, {fb, <<"CYC">>, <<"E_CYCLE">>}}},
             {<<"<Request ID=\"4\" Action=\"CREATE\"><Connection Source=\"START.COLD\" "
                "Destination=\"CYC.START\" /></Request>">>,
              {create, {connection, <<"START.COLD">>, <<"CYC.START">>}}},
             {<<"<Request ID=\"5\" Action=\"CREATE\"><Watch Source=\"CTU.CV\" Destination=\"*\" /></Request>">>,
              {create, {watch, <<"CTU.CV">>, <<"*">>}}},
             {<<"<Request ID=\"6\" Action=\"DELETE\"><FB Name=\"EMB_RES\" Type=\"\"/></Request>">>,
              {delete, {fb, <<"EMB_RES">>, <<>>}}},
             {<<"<Request ID=\"7\" Action=\"DELETE\"><Watch Source=\"CTU.CV\" Destination=\"*\" /></Request>">>,
              {delete, {watch, <<"CTU.CV">>, <<"*">>}}},
             {<<"<Request ID=\"8\" Action=\"START\"/>">>, {start, all}},
             {<<"<Request ID=\"9\" Action=\"KILL\"></Request>">>, {kill, all}},
             {<<"<Request ID=\"10\" Action=\"KILL\"><FB Name=\"EMB_RES\" Type=\"\"/></Request>">>,
              {kill, {fb, <<"EMB_RES">>, <<>>}}},
             {<<"<Request ID=\"11\" Action=\"WRITE\"><Connection Source=\"T#10ms\" Destination=\"CYC.DT\" />"
                "</Request>">>,
              {write, {parameter, <<"T#10ms">>, <<"CYC.DT">>}}},
             {<<"<Request ID=\"12\" Action=\"WRITE\"><Connection Source=\"7\" Destination=\"CTU.PV\" "
                "force=\"true\" /></Request>">>,
              {write, {force, <<"7">>, <<"CTU.PV">>}}},
             {<<"<Request ID=\"13\" Action=\"WRITE\"><Connection Source=\"*\" Destination=\"CTU.PV\" "
                "force=\"false\" /></Request>">>,
              {write, {clear_force, <<"CTU.PV">>}}},
             {<<"<Request ID=\"14\" Action=\"WRITE\"><Connection Source=\"$e\" Destination=\"CTU.CU\" />"
                "</Request>">>,
              {write, {trigger, <<"CTU.CU">>}}},
             {<<"<Request ID=\"15\" Action=\"WRITE\"><Connection Source=\"$er\" Destination=\"CTU.CU\" />"
                "</Request>">>,
              {write, {reset_count, <<"CTU.CU">>}}},
             {<<"<Request ID=\"16\" Action=\"READ\"><Watches/></Request>">>, {read, watches}},
             {<<"<Request ID=\"17\" Action=\"QUERY\"><FB Name=\"*\" Type=\"*\"/></Request>">>,
              {query, {fb, <<"*">>, <<"*">>}}},
             {<<"<Request ID=\"18\" Action=\"QUERY\"><FBType Name=\"*\" /></Request>">>, {query, fb_types}},
             {<<"<Request ID=\"19\" Action=\"QUERY\"><AdapterType Name=\"*\" /></Request>">>,
              {query, adapter_types}},
             {<<"<Request ID=\"20\" Action=\"QUERY\"><Connection Source=\"*\" Destination=\"*\"/></Request>">>,
              {query, {connection, <<"*">>, <<"*">>}}},
             {<<"<Request ID=\"21\" Action=\"QUERY\"><DataType Name=\"*\" /></Request>">>, {query, data_types}}],
    [?_assertMatch({ok, _, Want}, ?C:parse_request(Text)) || {Text, Want} <- Cases].

attributes_may_come_in_any_order_and_ids_have_any_length_test() ->
    ?assertEqual({ok, <<"12345678">>, {create, {connection, <<"A.EO">>, <<"B.EI">>}}},
                 ?C:parse_request(<<"<Request Action=\"CREATE\" ID=\"12345678\"><Connection "
                                    "Destination=\"B.EI\" Source=\"A.EO\"/></Request>">>)),
    ?assertEqual({ok, <<"1,000">>, {start, all}}, ?C:parse_request(<<"<Request ID=\"1,000\" Action=\"START\"/>">>)).

values_are_unescaped_and_a_raw_ampersand_is_kept_test() ->
    ?assertEqual({ok, <<"4">>, {write, {parameter, <<"'a&b'">>, <<"S.IN">>}}},
                 ?C:parse_request(<<"<Request ID=\"4\" Action=\"WRITE\"><Connection Source=\"&apos;a&b&apos;\" "
                                    "Destination=\"S.IN\" /></Request>">>)),
    ?assertEqual({ok, <<"5">>, {write, {parameter, <<"\"x<y>\"">>, <<"S.W">>}}},
                 ?C:parse_request(<<"<Request ID=\"5\" Action=\"WRITE\"><Connection Source=\"&quot;x&lt;y&gt;&quot;\" "
                                    "Destination=\"S.W\" /></Request>">>)).

unknown_requests_and_children_get_forte_reasons_test() ->
    ?assertEqual({error, <<>>, unsupported_cmd}, ?C:parse_request(<<"hello">>)),
    ?assertEqual({error, <<"1">>, unsupported_cmd}, ?C:parse_request(<<"<Request ID=\"1\" Action=\"FOO\"/>">>)),
    ?assertEqual({error, <<"2">>, invalid_object},
                 ?C:parse_request(<<"<Request ID=\"2\" Action=\"CREATE\"><Bogus/></Request>">>)),
    ?assertEqual({error, <<"3">>, invalid_object},
                 ?C:parse_request(<<"<Request ID=\"3\" Action=\"CREATE\"></Request>">>)).

truncated_or_hostile_text_never_raises_test_() ->
    Good = <<"<Request ID=\"3\" Action=\"WRITE\"><Connection Source=\"&apos;x&apos;\" Destination=\"A.B\" "
             "force=\"true\" /></Request>">>,
    [?_assertMatch({_, _, _}, ?C:parse_request(binary:part(Good, 0, N))) || N <- lists:seq(0, byte_size(Good))]
        ++ [?_assertMatch({_, _, _}, ?C:parse_request(<<"<Request ", Junk/binary>>))
            || Junk <- [<<"=">>, <<"ID=">>, <<"ID=\"">>, <<"<<<<">>, <<"ID='1' Action=START/>">>, <<0, 255>>]].

%%% Responses

the_three_response_forms_are_forte_s_test() ->
    ?assertEqual(<<"<Response ID=\"3\" />">>, ?C:ok(<<"3">>)),
    ?assertEqual(<<"<Response ID=\"3\" Reason=\"NO_SUCH_OBJECT\" />">>, ?C:error(<<"3">>, no_such_object)),
    ?assertEqual(<<"<Response ID=\"7\">\n  \n</Response>">>, ?C:long_ok(<<"7">>, <<>>)),
    ?assertEqual(<<"<Response ID=\"8\" Reason=\"BAD_PARAMS\">\n  \n</Response>">>, ?C:long_error(<<"8">>, bad_params)).

query_fb_lists_as_observed_test() ->
    ?assertEqual(<<"<Response ID=\"1\">\n  <FBList>\n    <FB name=\"EMB_RES\" type=\"EMB_RES\"/>\n  </FBList>\n"
                   "</Response>">>,
                 ?C:fb_list(<<"1">>, [{<<"EMB_RES">>, <<"EMB_RES">>}])),
    ?assertEqual(<<"<Response ID=\"21\">\n  <FBList>\n    <FB name=\"START\" type=\"E_RESTART\"/>\n<FB name=\"CYC\" "
                   "type=\"E_CYCLE\"/>\n<FB name=\"SUB.S1\" type=\"E_SR\"/>\n<FB name=\"STR\" type=\"F_MOVE\"/>\n"
                   "  </FBList>\n</Response>">>,
                 ?C:fb_list(<<"21">>, [{<<"START">>, <<"E_RESTART">>}, {<<"CYC">>, <<"E_CYCLE">>},
                                       {<<"SUB.S1">>, <<"E_SR">>}, {<<"STR">>, <<"F_MOVE">>}])),
    ?assertEqual(<<"<Response ID=\"2\" />">>, ?C:fb_list(<<"2">>, [])).

query_types_and_connections_as_forte_writes_them_test() ->
    ?assertEqual(<<"<Response ID=\"1\">\n  <NameList>\n    E_CTU, E_CYCLE\n  </NameList>\n</Response>">>,
                 ?C:name_list(<<"1">>, [<<"E_CTU">>, <<"E_CYCLE">>])),
    ?assertEqual(<<"<Response ID=\"2\">\n  <EndpointList>\n    <Connection Source=\"START.COLD\" "
                   "Destination=\"EMB_RES.CYC.START\"/><Connection Source=\"EMB_RES.CYC.EO\" "
                   "Destination=\"EMB_RES.CTU.CU\"/>\n  </EndpointList>\n</Response>">>,
                 ?C:endpoint_list(<<"2">>, [{<<"START.COLD">>, <<"EMB_RES.CYC.START">>},
                                            {<<"EMB_RES.CYC.EO">>, <<"EMB_RES.CTU.CU">>}])).

read_watches_as_observed_test() ->
    Observed = <<"<Response ID=\"3\">\n  <Watches>\n    <Resource name=\"EMB_RES\"><FB name=\"E_CTU\"><Port name=\"CV\">"
                 "<Data value=\"3\" forced=\"false\"/></Port><Port name=\"Q\"><Data value=\"FALSE\" forced=\"false\"/>"
                 "</Port></FB><FB name=\"E_CYCLE\"><Port name=\"EO\"><Data value=\"3\" time=\"2211\"/>\n</Port></FB>"
                 "</Resource>\n  </Watches>\n</Response>">>,
    ?assertEqual(Observed,
                 ?C:watches(<<"3">>, [{<<"EMB_RES">>,
                                       [{<<"E_CTU">>, [{data, <<"CV">>, <<"3">>, false},
                                                       {data, <<"Q">>, <<"FALSE">>, false}]},
                                        {<<"E_CYCLE">>, [{event, <<"EO">>, 3, 2211}]}]}])),
    ?assertEqual(<<"<Response ID=\"4\" />">>, ?C:watches(<<"4">>, [{<<"EMB_RES">>, []}])).

watch_values_are_xml_escaped_test() ->
    ?assertEqual(<<"&apos;a&quot;b&lt;c&amp;d&apos;">>, ?C:escape(<<"'a\"b<c&d'">>)).

random_bytes_never_raise_test() ->
    rand:seed(exsss, {1, 2, 3}),
    Pieces = [<<"<Request ">>, <<"ID=\"">>, <<"\"">>, <<"Action=\"WRITE\"">>, <<"<Connection ">>, <<"Source=">>,
              <<"&">>, <<"&quot;">>, <<">">>, <<"/>">>, <<"force=\"true\"">>, <<16#50>>, <<0>>, <<255>>, <<"\s">>],
    lists:foreach(
      fun(_) ->
              Text = iolist_to_binary([lists:nth(rand:uniform(length(Pieces)), Pieces)
                                       || _ <- lists:seq(1, rand:uniform(30))]),
              ?assertMatch({_, _, _}, ?C:parse_request(Text)),
              case ?C:decode_requests(Text) of
                  {ok, _, _} -> ok;
                  {error, {bad_tag, _}} -> ok
              end
      end, lists:seq(1, 5000)).

%%% Boot files

boot_commands_read_lines_as_the_ide_writes_them_test() ->
    Text = <<"# a comment\r\n"
             ";<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"R\" Type=\"EMB_RES\" /></Request>\r\n"
             "\r\n"
             "R;<Request ID=\"2\" Action=\"CREATE\">\n<FB Name=\"C\" Type=\"E_CTU\" /></Request>\n"
             "R;<Request ID=\"3\" Action=\"START\"/>">>,
    ?assertEqual([{2, <<>>, <<"<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"R\" Type=\"EMB_RES\" /></Request>">>},
                  {4, <<"R">>, <<"<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"C\" Type=\"E_CTU\" /></Request>">>},
                  {6, <<"R">>, <<"<Request ID=\"3\" Action=\"START\"/>">>}],
                 ?C:boot_commands(Text)).

a_boot_line_without_separator_ends_the_commands_test() ->
    ?assertEqual([{1, <<"R">>, <<"<Request ID=\"1\" Action=\"START\"/>">>}, {2, missing_separator}],
                 ?C:boot_commands(<<"R;<Request ID=\"1\" Action=\"START\"/>\n<Request ID=\"2\" Action=\"START\"/>\nR;x/>\n">>)).

a_response_decodes_once_complete_test() ->
    Frame = ?C:encode_string(<<"<Response ID=\"1\" />">>),
    ?assertEqual(more, ?C:decode_response(binary:part(Frame, 0, 5))),
    ?assertEqual({ok, <<"<Response ID=\"1\" />">>, <<"x">>}, ?C:decode_response(<<Frame/binary, "x">>)),
    ?assertEqual({error, {bad_tag, 16#55}}, ?C:decode_response(<<16#55, 0, 0>>)).
