%%% @doc A client of the IEC 61499 management protocol, the IDE's side of
%%% it (`../shared/4diac-management.md' section 1.3): one TCP connection,
%%% one request at a time, each answered by one STRING frame. It talks to a
%%% plc device (plc_mgmt_server) or to a FORTE device alike.
%%%
%%% replay/2 sends a boot file (`.fboot', as 4diac IDE's "Create FORTE
%%% Boot-Files" writes it) command by command, the way the IDE deploys:
%%% so a deployment can be tried, and compared between plc and FORTE,
%%% without the IDE. `bin/plc deploy [-c HOST:PORT] FILE.fboot' runs it.
-module(plc_mgmt_client).

-export([connect/1, connect/2, request/3, request/4, close/1, replay/2, replay/3]).

-define(TIMEOUT, 3000).  % the IDE's default (HoloblocDeploymentPreferences)

-type connection() :: #{socket := gen_tcp:socket(), buffer := binary()}.
-export_type([connection/0]).

%% @doc Connects to `"host:port"' with the IDE's 3 s timeout.
-spec connect(string() | binary()) -> {ok, connection()} | {error, term()}.
connect(Address) ->
    connect(Address, ?TIMEOUT).

%% @doc Connects to `"host:port"'.
-spec connect(string() | binary(), timeout()) -> {ok, connection()} | {error, term()}.
connect(Address, Timeout) ->
    case string:split(unicode:characters_to_list(Address), ":", trailing) of
        [Host, PortText] ->
            case string:to_integer(PortText) of
                {Port, []} when Port > 0, Port < 65536 ->
                    case gen_tcp:connect(Host, Port, [binary, {active, false}, {packet, raw}], Timeout) of
                        {ok, S} -> {ok, #{socket => S, buffer => <<>>}};
                        Error -> Error
                    end;
                _ ->
                    {error, {bad_address, Address}}
            end;
        _ ->
            {error, {bad_address, Address}}
    end.

%% @doc Sends one request to `Destination' (`<<>>': the device) and waits
%% for its response, 3 s at most.
-spec request(connection(), iodata(), iodata()) -> {ok, binary(), connection()} | {error, term()}.
request(C, Destination, Request) ->
    request(C, Destination, Request, ?TIMEOUT).

-spec request(connection(), iodata(), iodata(), timeout()) -> {ok, binary(), connection()} | {error, term()}.
request(C = #{socket := S}, Destination, Request, Timeout) ->
    case gen_tcp:send(S, plc_mgmt_codec:encode_request(Destination, Request)) of
        ok -> response(C, Timeout);
        Error -> Error
    end.

response(C = #{socket := S, buffer := Buffer}, Timeout) ->
    case plc_mgmt_codec:decode_response(Buffer) of
        {ok, Text, Rest} ->
            {ok, Text, C#{buffer := Rest}};
        more ->
            case gen_tcp:recv(S, 0, Timeout) of
                {ok, Data} -> response(C#{buffer := <<Buffer/binary, Data/binary>>}, Timeout);
                Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

%% @doc Closes the connection.
-spec close(connection()) -> ok.
close(#{socket := S}) ->
    gen_tcp:close(S).

%% @doc Sends every command of the boot file `File' to the device at
%% `Address', in order, on one connection, and returns each line with its
%% response; stops at the first response with a `Reason' (as FORTE's boot
%% loader does) or at a line without `;'. A device KILL that closes the
%% connection ends the replay normally.
-spec replay(file:filename_all(), string() | binary()) ->
          {ok, [{pos_integer(), binary()}]}
        | {error, {pos_integer(), binary() | missing_separator} | term(), [{pos_integer(), binary()}]}.
replay(File, Address) ->
    replay(File, Address, fun(_Line, _Dst, _Request, _Response) -> ok end).

%% @doc As replay/2, calling `Report(Line, Destination, Request, Response)'
%% after each answer (`plc deploy' prints them).
-spec replay(file:filename_all(), string() | binary(),
             fun((pos_integer(), binary(), binary(), binary() | closed) -> term())) ->
          {ok, [{pos_integer(), binary()}]}
        | {error, {pos_integer(), binary() | missing_separator} | term(), [{pos_integer(), binary()}]}.
replay(File, Address, Report) ->
    case file:read_file(File) of
        {ok, Text} ->
            case connect(Address) of
                {ok, C} ->
                    try send_all(plc_mgmt_codec:boot_commands(Text), C, Report, [])
                    after close(C)
                    end;
                {error, Reason} ->
                    {error, {connect, Reason}, []}
            end;
        {error, Reason} ->
            {error, {file, Reason}, []}
    end.

send_all([], _C, _Report, Acc) ->
    {ok, lists:reverse(Acc)};
send_all([{N, missing_separator} | _], _C, _Report, Acc) ->
    {error, {N, missing_separator}, lists:reverse(Acc)};
send_all([{N, Dst, Request} | Rest], C, Report, Acc) ->
    case request(C, Dst, Request) of
        {ok, Response, C1} ->
            _ = Report(N, Dst, Request, Response),
            case binary:match(Response, <<" Reason=\"">>) of
                nomatch -> send_all(Rest, C1, Report, [{N, Response} | Acc]);
                _ -> {error, {N, Response}, lists:reverse([{N, Response} | Acc])}
            end;
        {error, closed} when Rest =:= [] ->
            _ = Report(N, Dst, Request, closed),
            {ok, lists:reverse(Acc)};  % a device KILL: FORTE closes without answering
        {error, Reason} ->
            {error, {N, Reason}, lists:reverse(Acc)}
    end.
