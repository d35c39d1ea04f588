%%% @doc The wire of the IEC 61499 management protocol as 4diac IDE speaks
%%% it to a FORTE device (`../shared/4diac-management.md'): pure
%%% functions, no process, no socket.
%%%
%%% Framing (section 1.2): every value is an FBDK ASN.1 STRING, the byte
%%% `0x50', a big-endian u16 length and that many bytes. A request is two
%%% of them, the destination (`<<>>' for the device, else a resource name)
%%% and the request text; a response is one.
%%%
%%% Requests (section 2) are parsed leniently, where FORTE scans fixed
%%% prefixes: attributes in any order, an ID of any length, a raw `&'
%%% that is no entity kept as it is, the five XML entities unescaped.
%%% Responses (section 3) are written byte for byte as FORTE writes them,
%%% since the IDE parses some of them and a deploy reads `Reason' in all.
-module(plc_mgmt_codec).

%% Framing
-export([decode_requests/1, encode_string/1, encode_request/2, decode_response/1]).
%% Boot files
-export([boot_commands/1]).
%% Requests
-export([parse_request/1]).
%% Responses
-export([ok/1, error/2, long_ok/2, long_error/2, fb_list/2, name_list/2, endpoint_list/2, watches/2]).
-export([reason_text/1, escape/1]).

-export_type([command/0, reason/0, watch_resource/0]).

-define(STRING_TAG, 16#50).
-define(MAX_STRING, 65535).

-type reason() :: bad_params | local_termination | system_termination | not_ready | unsupported_cmd
                | unsupported_type | no_such_object | invalid_object | invalid_operation | invalid_state
                | overflow | invalid_dst.

-type command() ::
        {create, {fb, Name :: binary(), Type :: binary()}}
      | {create, {connection, Source :: binary(), Destination :: binary()}}
      | {create, {watch, Source :: binary(), Destination :: binary()}}
      | {delete, {fb, Name :: binary(), Type :: binary()}}
      | {delete, {connection, Source :: binary(), Destination :: binary()}}
      | {delete, {watch, Source :: binary(), Destination :: binary()}}
      | {start | stop | kill | reset, all | {fb, Name :: binary(), Type :: binary()}}
      | {write, {parameter, Value :: binary(), Destination :: binary()}}
      | {write, {force, Value :: binary(), Destination :: binary()}}
      | {write, {clear_force, Destination :: binary()}}
      | {write, {trigger, Destination :: binary()}}
      | {write, {reset_count, Destination :: binary()}}
      | {read, watches}
      | {read, {connection, Source :: binary()}}
      | {query, {fb, Name :: binary(), Type :: binary()}}
      | {query, fb_types | adapter_types | data_types}
      | {query, {connection, Source :: binary(), Destination :: binary()}}.

%% One resource of a READ Watches answer: its name and its watched FBs
%% (full dotted names as the IDE added them), data ports then event ports.
-type watch_resource() :: {Resource :: binary(),
                           [{Fb :: binary(),
                             [{data, Port :: binary(), Value :: binary(), Forced :: boolean()}
                              | {event, Port :: binary(), Count :: non_neg_integer(), TimeMs :: non_neg_integer()}]}]}.

%%% Framing

%% @doc The complete requests at the front of `Buffer' and what is left
%% of it (a request cut in two waits for its end). A value whose tag is
%% not STRING is a framing error: FORTE drops it, and no later byte can be
%% trusted to start a frame.
-spec decode_requests(binary()) -> {ok, [{Destination :: binary(), Request :: binary()}], Rest :: binary()}
                                 | {error, {bad_tag, byte()}}.
decode_requests(Buffer) ->
    decode_requests(Buffer, []).

decode_requests(<<?STRING_TAG, DL:16, Dst:DL/binary, ?STRING_TAG, RL:16, Req:RL/binary, Rest/binary>>, Acc) ->
    decode_requests(Rest, [{Dst, Req} | Acc]);
decode_requests(<<Tag, _/binary>>, _Acc) when Tag =/= ?STRING_TAG ->
    {error, {bad_tag, Tag}};
decode_requests(<<?STRING_TAG, DL:16, _:DL/binary, Tag, _/binary>>, _Acc) when Tag =/= ?STRING_TAG ->
    {error, {bad_tag, Tag}};
decode_requests(Rest, Acc) ->
    {ok, lists:reverse(Acc), Rest}.

%% @doc A response at the front of `Buffer' (one STRING value), what is
%% left, or `more' when it is not complete yet.
-spec decode_response(binary()) -> {ok, binary(), binary()} | more | {error, {bad_tag, byte()}}.
decode_response(<<?STRING_TAG, L:16, Text:L/binary, Rest/binary>>) -> {ok, Text, Rest};
decode_response(<<Tag, _/binary>>) when Tag =/= ?STRING_TAG -> {error, {bad_tag, Tag}};
decode_response(_) -> more.

%% @doc One STRING value; text beyond 65535 bytes is cut, as no frame can
%% carry it.
-spec encode_string(iodata()) -> binary().
encode_string(Text) ->
    Bin = iolist_to_binary(Text),
    Cut = binary:part(Bin, 0, min(byte_size(Bin), ?MAX_STRING)),
    <<?STRING_TAG, (byte_size(Cut)):16, Cut/binary>>.

%% @doc A request as the IDE sends it: destination, then the request text.
-spec encode_request(iodata(), iodata()) -> binary().
encode_request(Destination, Request) ->
    <<(encode_string(Destination))/binary, (encode_string(Request))/binary>>.

%%% Boot files (section 6)

%% @doc The commands of a boot file's text, in order, with their line
%% numbers: one `DESTINATION;REQUEST' per line, as 4diac IDE writes them.
%% Lines end in LF or CRLF; blank lines and lines starting with `#' are
%% skipped (FORTE would glue a blank line to the next one); a request not
%% ending in `/>' or `</Request>' goes on on the next line (FORTE's rule).
%% A line without `;' is `{Line, missing_separator}': a reader stops
%% there, as FORTE does.
-spec boot_commands(binary()) ->
          [{pos_integer(), Destination :: binary(), Request :: binary()} | {pos_integer(), missing_separator}].
boot_commands(Text) ->
    Lines = [string:trim(L, trailing, "\r") || L <- binary:split(Text, <<"\n">>, [global])],
    boot_commands(lists:zip(lists:seq(1, length(Lines)), Lines), []).

boot_commands([], Acc) ->
    lists:reverse(Acc);
boot_commands([{N, Line} | Rest], Acc) ->
    case string:trim(Line) of
        <<>> -> boot_commands(Rest, Acc);
        <<"#", _/binary>> -> boot_commands(Rest, Acc);
        _ ->
            {Command, Rest1} = whole_command(Line, Rest),
            case binary:split(Command, <<";">>) of
                [Dst, Request] -> boot_commands(Rest1, [{N, Dst, Request} | Acc]);
                [_] -> lists:reverse([{N, missing_separator} | Acc])
            end
    end.

whole_command(Text, Rest) ->
    T = string:trim(Text, trailing),
    Done = binary:longest_common_suffix([T, <<"</Request>">>]) =:= 10
        orelse binary:longest_common_suffix([T, <<"/>">>]) =:= 2,
    case {Done, Rest} of
        {false, [{_, Next} | Rest1]} -> whole_command(<<Text/binary, Next/binary>>, Rest1);
        _ -> {Text, Rest}
    end.

%%% Requests

%% @doc A request text parsed into its ID and command. The ID is echoed in
%% the response, so a request that cannot be parsed still yields what ID
%% it had (`<<>>' when none): `unsupported_cmd' for no `<Request' element
%% or an unknown Action, `invalid_object' for a known Action whose child
%% is missing or unknown.
-spec parse_request(binary()) -> {ok, Id :: binary(), command()} | {error, Id :: binary(), reason()}.
parse_request(Text) ->
    case element_at(Text, <<"Request">>) of
        nomatch ->
            {error, <<>>, unsupported_cmd};
        {Attrs, Body} ->
            Id = attr(<<"ID">>, Attrs, <<>>),
            Action = upper(attr(<<"Action">>, Attrs, <<>>)),
            case action(Action) of
                undefined -> {error, Id, unsupported_cmd};
                A -> command(Id, A, child(Body))
            end
    end.

action(<<"CREATE">>) -> create;
action(<<"DELETE">>) -> delete;
action(<<"START">>) -> start;
action(<<"STOP">>) -> stop;
action(<<"KILL">>) -> kill;
action(<<"RESET">>) -> reset;
action(<<"READ">>) -> read;
action(<<"WRITE">>) -> write;
action(<<"QUERY">>) -> query;
action(_) -> undefined.

command(Id, A, none) when A =:= start; A =:= stop; A =:= kill; A =:= reset ->
    {ok, Id, {A, all}};
command(Id, A, {<<"FB">>, Attrs}) when A =:= start; A =:= stop; A =:= kill; A =:= reset ->
    {ok, Id, {A, {fb, attr(<<"Name">>, Attrs, <<>>), attr(<<"Type">>, Attrs, <<>>)}}};
command(Id, A, {<<"FB">>, Attrs}) when A =:= create; A =:= delete; A =:= query ->
    {ok, Id, {A, {fb, attr(<<"Name">>, Attrs, <<>>), attr(<<"Type">>, Attrs, <<>>)}}};
command(Id, A, {Kind, Attrs}) when (A =:= create orelse A =:= delete),
                                   (Kind =:= <<"Connection">> orelse Kind =:= <<"Watch">>) ->
    Tag = case Kind of <<"Connection">> -> connection; <<"Watch">> -> watch end,
    {ok, Id, {A, {Tag, attr(<<"Source">>, Attrs, <<>>), attr(<<"Destination">>, Attrs, <<>>)}}};
command(Id, write, {<<"Connection">>, Attrs}) ->
    Source = attr(<<"Source">>, Attrs, <<>>),
    Dst = attr(<<"Destination">>, Attrs, <<>>),
    Force = lower(attr(<<"force">>, Attrs, <<>>)),
    Write = case {Source, Force} of
                {_, <<"true">>} -> {force, Source, Dst};
                {_, <<"false">>} -> {clear_force, Dst};
                {S, _} when S =:= <<"$e">>; S =:= <<"$E">> -> {trigger, Dst};
                {S, _} when S =:= <<"$er">>; S =:= <<"$ER">>; S =:= <<"$Er">>; S =:= <<"$eR">> -> {reset_count, Dst};
                _ -> {parameter, Source, Dst}
            end,
    {ok, Id, {write, Write}};
command(Id, read, {<<"Watches">>, _}) ->
    {ok, Id, {read, watches}};
command(Id, read, {<<"Connection">>, Attrs}) ->
    {ok, Id, {read, {connection, attr(<<"Source">>, Attrs, <<>>)}}};
command(Id, query, {<<"FBType">>, _}) -> {ok, Id, {query, fb_types}};
command(Id, query, {<<"AdapterType">>, _}) -> {ok, Id, {query, adapter_types}};
command(Id, query, {<<"DataType">>, _}) -> {ok, Id, {query, data_types}};
command(Id, query, {<<"Connection">>, Attrs}) ->
    {ok, Id, {query, {connection, attr(<<"Source">>, Attrs, <<"*">>), attr(<<"Destination">>, Attrs, <<"*">>)}}};
command(Id, _, _) ->
    {error, Id, invalid_object}.

%% The attributes of the first `<Name' element of Text and what follows
%% its start tag.
element_at(Text, Name) ->
    case binary:match(Text, <<"<", Name/binary>>) of
        nomatch ->
            nomatch;
        {At, Len} ->
            After = binary:part(Text, At + Len, byte_size(Text) - At - Len),
            case After of
                <<C, _/binary>> when C =:= $\s; C =:= $\t; C =:= $\r; C =:= $\n; C =:= $>; C =:= $/ ->
                    start_tag(After);
                _ ->
                    nomatch
            end
    end.

%% The first child element of a request's body: {Name, Attrs} or none.
child(Body) ->
    case skip_space(Body) of
        <<"<", Rest/binary>> ->
            case Rest of
                <<"/", _/binary>> -> none;  % </Request>
                _ ->
                    {Name, After} = take_name(Rest),
                    case Name of
                        <<>> -> {<<>>, []};
                        _ -> {Attrs, _} = start_tag(After), {Name, Attrs}
                    end
            end;
        _ ->
            none
    end.

%% Attributes up to the end of a start tag (`>' or `/>'), and the rest.
start_tag(Bin) ->
    start_tag(skip_space(Bin), []).

start_tag(<<"/>", Rest/binary>>, Acc) -> {lists:reverse(Acc), Rest};
start_tag(<<">", Rest/binary>>, Acc) -> {lists:reverse(Acc), Rest};
start_tag(<<>>, Acc) -> {lists:reverse(Acc), <<>>};
start_tag(Bin, Acc) ->
    case take_name(Bin) of
        {<<>>, <<_, Rest/binary>>} ->
            start_tag(skip_space(Rest), Acc);  % a stray character
        {Name, Rest0} ->
            case skip_space(Rest0) of
                <<"=", Rest1/binary>> ->
                    case skip_space(Rest1) of
                        <<Q, Rest2/binary>> when Q =:= $"; Q =:= $' ->
                            {Value, Rest3} = take_until(Rest2, Q),
                            start_tag(skip_space(Rest3), [{Name, unescape(Value)} | Acc]);
                        Rest2 ->
                            {Value, Rest3} = take_name(Rest2),
                            start_tag(skip_space(Rest3), [{Name, Value} | Acc])
                    end;
                Rest1 ->
                    start_tag(Rest1, [{Name, <<>>} | Acc])
            end
    end.

take_name(Bin) -> take_name(Bin, 0).

take_name(Bin, N) ->
    case Bin of
        <<_:N/binary, C, _/binary>> when C =/= $\s, C =/= $\t, C =/= $\r, C =/= $\n, C =/= $=, C =/= $>,
                                         C =/= $/, C =/= $", C =/= $', C =/= $< ->
            take_name(Bin, N + 1);
        <<Name:N/binary, Rest/binary>> ->
            {Name, Rest}
    end.

take_until(Bin, Q) ->
    case binary:match(Bin, <<Q>>) of
        nomatch -> {Bin, <<>>};
        {At, 1} -> {binary:part(Bin, 0, At), binary:part(Bin, At + 1, byte_size(Bin) - At - 1)}
    end.

skip_space(<<C, Rest/binary>>) when C =:= $\s; C =:= $\t; C =:= $\r; C =:= $\n -> skip_space(Rest);
skip_space(Bin) -> Bin.

attr(Name, Attrs, Default) ->
    case lists:keyfind(Name, 1, Attrs) of
        {_, V} -> V;
        false -> case [V || {K, V} <- Attrs, lower(K) =:= lower(Name)] of
                     [V | _] -> V;
                     [] -> Default
                 end
    end.

%% ASCII case folding: request bytes need not be valid UTF-8.
upper(Bin) -> << <<(if C >= $a, C =< $z -> C - 32; true -> C end)>> || <<C>> <= Bin >>.
lower(Bin) -> << <<(if C >= $A, C =< $Z -> C + 32; true -> C end)>> || <<C>> <= Bin >>.

%% The five XML entities; any other `&' stays as it is (the IDE does not
%% escape `&' in values).
unescape(Bin) ->
    iolist_to_binary(unescape(Bin, [])).

unescape(<<>>, Acc) -> lists:reverse(Acc);
unescape(<<"&quot;", R/binary>>, Acc) -> unescape(R, [$" | Acc]);
unescape(<<"&apos;", R/binary>>, Acc) -> unescape(R, [$' | Acc]);
unescape(<<"&amp;", R/binary>>, Acc) -> unescape(R, [$& | Acc]);
unescape(<<"&lt;", R/binary>>, Acc) -> unescape(R, [$< | Acc]);
unescape(<<"&gt;", R/binary>>, Acc) -> unescape(R, [$> | Acc]);
unescape(<<C, R/binary>>, Acc) -> unescape(R, [C | Acc]).

%%% Responses (section 3)

%% @doc The short form: `<Response ID="3" />'.
-spec ok(binary()) -> binary().
ok(Id) ->
    <<"<Response ID=\"", Id/binary, "\" />">>.

%% @doc The short form with a reason: `<Response ID="3" Reason="NO_SUCH_OBJECT" />'.
-spec error(binary(), reason()) -> binary().
error(Id, Reason) ->
    <<"<Response ID=\"", Id/binary, "\" Reason=\"", (reason_text(Reason))/binary, "\" />">>.

%% @doc The long form (every WRITE, every non-empty QUERY or READ).
-spec long_ok(binary(), iodata()) -> binary().
long_ok(Id, Body) ->
    iolist_to_binary([<<"<Response ID=\"">>, Id, <<"\">\n  ">>, Body, <<"\n</Response>">>]).

%% @doc The long form with a reason and an empty body.
-spec long_error(binary(), reason()) -> binary().
long_error(Id, Reason) ->
    <<"<Response ID=\"", Id/binary, "\" Reason=\"", (reason_text(Reason))/binary, "\">\n  \n</Response>">>.

%% @doc QUERY FB: the resources of the device or the FBs of a resource.
%% No entry: the short form, as FORTE.
-spec fb_list(binary(), [{Name :: binary(), Type :: binary()}]) -> binary().
fb_list(Id, []) ->
    ok(Id);
fb_list(Id, Fbs) ->
    Entries = lists:join(<<"\n">>, [[<<"<FB name=\"">>, escape(N), <<"\" type=\"">>, escape(T), <<"\"/>">>]
                                   || {N, T} <- Fbs]),
    long_ok(Id, [<<"<FBList>\n    ">>, Entries, <<"\n  </FBList>">>]).

%% @doc QUERY FBType / AdapterType: names joined by ", ".
-spec name_list(binary(), [binary()]) -> binary().
name_list(Id, []) ->
    ok(Id);
name_list(Id, Names) ->
    long_ok(Id, [<<"<NameList>\n    ">>, lists:join(<<", ">>, Names), <<"\n  </NameList>">>]).

%% @doc QUERY Connection: the endpoints, as they should be written (the
%% caller prefixes them as FORTE does).
-spec endpoint_list(binary(), [{Source :: binary(), Destination :: binary()}]) -> binary().
endpoint_list(Id, []) ->
    ok(Id);
endpoint_list(Id, Connections) ->
    Entries = [[<<"<Connection Source=\"">>, escape(S), <<"\" Destination=\"">>, escape(D), <<"\"/>">>]
               || {S, D} <- Connections],
    long_ok(Id, [<<"<EndpointList>\n    ">>, Entries, <<"\n  </EndpointList>">>]).

%% @doc READ Watches: the monitor form; no watch at all is the short form.
%% Values are given as FORTE prints them; they are XML-escaped here.
-spec watches(binary(), [watch_resource()]) -> binary().
watches(Id, Resources) ->
    case [R || {_, Fbs} = R <- Resources, Fbs =/= []] of
        [] ->
            ok(Id);
        Watched ->
            Body = [[<<"<Resource name=\"">>, escape(Res), <<"\">">>, [fb_watch(Fb) || Fb <- Fbs], <<"</Resource>">>]
                    || {Res, Fbs} <- Watched],
            iolist_to_binary([<<"<Response ID=\"">>, Id, <<"\">\n  <Watches>\n    ">>, Body,
                              <<"\n  </Watches>\n</Response>">>])
    end.

fb_watch({Fb, Ports}) ->
    Data = [[<<"<Port name=\"">>, escape(P), <<"\"><Data value=\"">>, escape(V), <<"\" forced=\"">>,
             atom_to_binary(F), <<"\"/></Port>">>] || {data, P, V, F} <- Ports],
    Events = [[<<"<Port name=\"">>, escape(P), <<"\"><Data value=\"">>, integer_to_binary(C), <<"\" time=\"">>,
               integer_to_binary(T), <<"\"/>\n</Port>">>] || {event, P, C, T} <- Ports],
    [<<"<FB name=\"">>, escape(Fb), <<"\">">>, Data, Events, <<"</FB>">>].

%% @doc FORTE's text of a reason.
-spec reason_text(reason()) -> binary().
reason_text(bad_params) -> <<"BAD_PARAMS">>;
reason_text(local_termination) -> <<"LOCAL_TERMINATION">>;
reason_text(system_termination) -> <<"SYSTEM_TERMINATION">>;
reason_text(not_ready) -> <<"NOT_READY">>;
reason_text(unsupported_cmd) -> <<"UNSUPPORTED_CMD">>;
reason_text(unsupported_type) -> <<"UNSUPPORTED_TYPE">>;
reason_text(no_such_object) -> <<"NO_SUCH_OBJECT">>;
reason_text(invalid_object) -> <<"INVALID_OBJECT">>;
reason_text(invalid_operation) -> <<"INVALID_OPERATION">>;
reason_text(invalid_state) -> <<"INVALID_STATE">>;
reason_text(overflow) -> <<"OVERFLOW">>;
reason_text(invalid_dst) -> <<"INVALID_DST">>.

%% @doc XML escaping of an attribute value, as FORTE writes watch values:
%% `&' `<' `>' `"' `''.
-spec escape(iodata()) -> binary().
escape(Text) ->
    << <<(escape_char(C))/binary>> || <<C>> <= iolist_to_binary(Text) >>.

escape_char($&) -> <<"&amp;">>;
escape_char($<) -> <<"&lt;">>;
escape_char($>) -> <<"&gt;">>;
escape_char($") -> <<"&quot;">>;
escape_char($') -> <<"&apos;">>;
escape_char(C) -> <<C>>.
