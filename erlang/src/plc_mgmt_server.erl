%%% @doc A plc device serving the IEC 61499 management protocol on TCP,
%%% as a FORTE device's DEV_MGR does for 4diac IDE
%%% (`../shared/4diac-management.md'; the wire is plc_mgmt_codec, the
%%% device plc_mgmt_device).
%%%
%%% One gen_server per device owns the device's state and runs every
%%% command; it listens on the host and port it is given (default
%%% `localhost:61499'). Unlike FORTE, which binds every interface whatever
%%% `-c' says, it binds the address the host resolves to, and it accepts
%%% several clients at once (the IDE's deploy connection and its
%%% monitoring connection): each client has its own process, which reads
%%% its frames (partial frames are buffered) and sends its requests to the
%%% device one after the other, so each client's requests run and are
%%% answered strictly in order. A client that sends a value that is not a
%%% STRING (a framing error) is disconnected: no later byte of it can be
%%% trusted to start a frame.
%%%
%%% A boot file (`boot_file') runs before the port opens
%%% (plc_mgmt_device:boot/3); its first failing command stops it, logged
%%% with its line in FORTE's words (`Boot file line does not contain
%%% separating ';'. Line: N', `Boot file command could not be executed.
%%% Line: N: Response': FORTE's system tests match them), and the device
%%% serves what ran before.
%%%
%%% Keeping the configuration (`keep => File', `bin/plc device -k'): after
%%% every request that changed the device's configuration (a deploy step,
%%% an online change, a START or STOP), the configuration is written to
%%% File as a boot file (plc_mgmt_device:configuration/1), atomically:
%%% written beside it, synced, renamed over it; so a node killed at any
%%% moment comes back, started with `-f File', with the last configuration
%%% whole. A write that fails is logged; the device goes on.
%%%
%%% Device KILL (`<Request ID="n" Action="KILL"></Request>' to the device):
%%% FORTE exits without answering. Here the device stops its resources,
%%% closes that client's connection without a response, closes every other
%%% client and its listening socket, and its process ends normally (it is
%%% not restarted: a transient child of plc_mgmt_sup). `bin/plc device'
%%% then ends the node with status 0.
-module(plc_mgmt_server).
-behaviour(gen_server).

-export([start_link/1, stop/1, address/1, child_spec/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-export_type([options/0]).

%% host: a name or address (default "localhost"); port: 0 picks a free one.
-type options() :: #{host => string() | inet:ip_address(),
                     port => inet:port_number(),
                     boot_file => file:filename_all() | undefined,
                     keep => file:filename_all() | undefined,
                     retain_dir => file:filename_all(),  % RETAIN stores, one per resource (plc_mgmt_device:engine/1)
                     name => atom()}.

-define(CALL_TIMEOUT, 2500).  % the IDE waits 3 s for every answer

%% @doc Starts a device (and runs its boot file) and opens its port.
-spec start_link(options()) -> {ok, pid()} | ignore | {error, term()}.
start_link(Options) ->
    case maps:find(name, Options) of
        {ok, Name} -> gen_server:start_link({local, Name}, ?MODULE, Options, []);
        error -> gen_server:start_link(?MODULE, Options, [])
    end.

%% @doc A child spec for a supervisor (transient: a device KILL ends it).
-spec child_spec(options()) -> supervisor:child_spec().
child_spec(Options) ->
    #{id => {?MODULE, make_ref()}, start => {?MODULE, start_link, [Options]}, restart => transient,
      shutdown => 5000}.

%% @doc Stops the device: its resources, its clients, its port.
-spec stop(pid() | atom()) -> ok.
stop(Server) ->
    gen_server:stop(Server).

%% @doc The address and port the device listens on.
-spec address(pid() | atom()) -> {inet:ip_address(), inet:port_number()}.
address(Server) ->
    gen_server:call(Server, address).

%%% gen_server

-record(state, {device :: plc_mgmt_device:state(),
                engine :: plc_mgmt_device:engine(),
                tally :: plc_mgmt_tally:tally(),  % counts the watched output events
                keep :: undefined | {file:filename_all(), binary()},  % the file and what it holds
                listen :: gen_tcp:socket(),
                clients = #{} :: #{pid() => reference()}}).

-spec init(options()) -> {ok, #state{}} | ignore | {stop, term()}.
init(Options) ->
    process_flag(trap_exit, true),
    %% The watched output events are counted by a tally, not sent here:
    %% this process answers requests whatever the event rate.
    Tally = plc_mgmt_tally:start_link(),
    Engine = plc_mgmt_device:engine(Tally, maps:with([retain_dir], Options)),
    case boot(maps:get(boot_file, Options, undefined), plc_mgmt_device:new(), Engine) of
        {killed, _} ->
            ok = plc_mgmt_tally:stop(Tally),
            ignore;
        {ok, Device} ->
            Host = maps:get(host, Options, "localhost"),
            case resolve(Host) of
                {ok, Ip} ->
                    case gen_tcp:listen(maps:get(port, Options, 61499),
                                        [binary, {ip, Ip}, {active, false}, {reuseaddr, true}, {packet, raw},
                                         {nodelay, true}, {backlog, 16}]) of
                        {ok, Listen} ->
                            Self = self(),
                            _ = spawn_link(fun() -> accept(Self, Listen) end),
                            Keep = case maps:get(keep, Options, undefined) of
                                       undefined -> undefined;
                                       File -> {File, keep_configuration(File, Device, <<>>)}
                                   end,
                            {ok, #state{device = Device, engine = Engine, tally = Tally, listen = Listen, keep = Keep}};
                        {error, Reason} ->
                            _ = plc_mgmt_device:stop_all(Device, Engine),
                            ok = plc_mgmt_tally:stop(Tally),
                            {stop, {listen, Reason}}
                    end;
                {error, Reason} ->
                    _ = plc_mgmt_device:stop_all(Device, Engine),
                    ok = plc_mgmt_tally:stop(Tally),
                    {stop, {resolve, Host, Reason}}
            end
    end.

-spec handle_call(term(), gen_server:from(), #state{}) ->
          {reply, term(), #state{}} | {stop, normal, term(), #state{}}.
handle_call({request, Dst, Text}, _From, S = #state{device = D, engine = E}) ->
    case plc_mgmt_codec:parse_request(Text) of
        {ok, Id, Command} ->
            case plc_mgmt_device:handle(Dst, {Id, Command}, D, E) of
                {reply, Response, D1} -> {reply, {reply, Response}, kept(S#state{device = D1})};
                {close, D1} -> {stop, normal, close, S#state{device = D1}}
            end;
        {error, Id, Reason} ->
            {reply, {reply, plc_mgmt_codec:error(Id, Reason)}, S}
    end;
handle_call(address, _From, S = #state{listen = L}) ->
    {reply, element(2, inet:sockname(L)), S};
handle_call(_Other, _From, S) ->
    {reply, {error, unknown_call}, S}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast(_Msg, S) ->
    {noreply, S}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}} | {stop, term(), #state{}}.
handle_info({accepted, Socket}, S = #state{clients = Cs}) ->
    Self = self(),
    Pid = spawn(fun() -> client_start(Self, Socket) end),
    case gen_tcp:controlling_process(Socket, Pid) of
        ok -> Pid ! go;
        {error, _} -> gen_tcp:close(Socket), exit(Pid, kill)
    end,
    {noreply, S#state{clients = Cs#{Pid => erlang:monitor(process, Pid)}}};
handle_info({plc_event, Pid, Port, _Data}, S = #state{device = D, engine = E}) ->
    {noreply, S#state{device = plc_mgmt_device:event(Pid, Port, D, E)}};
handle_info({plc_alarm, Resource, Alarm} = Msg, S = #state{device = D, engine = E}) when is_pid(Resource) ->
    case {plc_mgmt_device:owns(Resource, D, E), Alarm} of
        {true, {plc_test_end, Fb}} ->
            %% FORTE's STEST_END kills the device: its test run is over.
            logger:notice("plc device: ~s (STEST_END) ended the test run; the device stops", [Fb]),
            {stop, normal, S};
        {true, _} ->
            {noreply, S};  % logged by the resource and plc_mon already
        {false, _} ->
            plc_mon:stray(plc_mgmt_server, info, Msg),
            {noreply, S}
    end;
handle_info({plc_manage, Resource, Fb, Type, Inputs}, S = #state{device = D, engine = E})
  when is_pid(Resource), is_binary(Fb), is_binary(Type), is_map(Inputs) ->
    %% A management block of one of the device's resources (ST_CREATE_FB
    %% ...): its commands run as the protocol's, and it gets the answer.
    {noreply, kept(S#state{device = plc_mgmt_device:manage(Resource, Fb, {Type, Inputs}, D, E)})};
handle_info({plc_io, _Resource, _Address, _Value}, S) ->
    {noreply, S};  % process-image writes of the device's resources: not the device's concern
handle_info({'DOWN', _, process, Pid, _}, S = #state{clients = Cs}) ->
    {noreply, S#state{clients = maps:remove(Pid, Cs)}};
handle_info({'EXIT', _Linked, Reason}, S) when Reason =/= normal ->
    {stop, {linked, Reason}, S};  % the acceptor or the tally
handle_info(Other, S) ->
    %% The device holds running resources: a stray message is logged and
    %% dropped, never a crash.
    plc_mon:stray(plc_mgmt_server, info, Other),
    {noreply, S}.

-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, #state{device = D, engine = E, tally = T, listen = L, clients = Cs}) ->
    _ = plc_mgmt_device:stop_all(D, E),
    ok = plc_mgmt_tally:stop(T),
    _ = gen_tcp:close(L),
    _ = [exit(Pid, kill) || Pid <- maps:keys(Cs)],
    ok.

%%% Internal

kept(S = #state{keep = undefined}) ->
    S;
kept(S = #state{keep = {File, Written}, device = D}) ->
    S#state{keep = {File, keep_configuration(File, D, Written)}}.

%% Writes the configuration when it differs from what the file holds;
%% returns what it holds then.
keep_configuration(File, Device, Written) ->
    case plc_mgmt_device:configuration(Device) of
        Written ->
            Written;
        Text ->
            Tmp = iolist_to_binary([File, ".tmp"]),
            case plc_retain:write_synced(Tmp, Text) of
                ok ->
                    case file:rename(Tmp, File) of
                        ok -> Text;
                        {error, Reason} -> keep_failed(File, Reason), Written
                    end;
                {error, Reason} ->
                    keep_failed(File, Reason),
                    Written
            end
    end.

keep_failed(File, Reason) ->
    logger:warning("plc device: could not keep the configuration in ~ts: ~p", [File, Reason]).

boot(undefined, Device, _Engine) ->
    {ok, Device};
boot(File, Device, Engine) ->
    case plc_mgmt_device:boot(File, Device, Engine) of
        {ok, D} ->
            logger:info("plc device: boot file ~ts loaded", [File]),
            {ok, D};
        {killed, D} ->
            {killed, D};
        {error, {file, enoent}, D} ->
            %% FORTE skips a missing boot file (with an info log).
            logger:warning("plc device: no boot file ~ts; the device starts empty", [File]),
            {ok, D};
        {error, {file, Reason}, D} ->
            logger:error("plc device: boot file ~ts: ~p", [File, Reason]),
            {ok, D};
        {error, {Line, missing_separator}, D} ->
            logger:error("Boot file line does not contain separating ';'. Line: ~b", [Line]),
            {ok, D};
        {error, {Line, Response}, D} ->
            logger:error("Boot file command could not be executed. Line: ~b: ~ts", [Line, Response]),
            {ok, D}
    end.

resolve(Ip) when is_tuple(Ip) -> {ok, Ip};
resolve(Host) -> inet:getaddr(Host, inet).

accept(Server, Listen) ->
    case gen_tcp:accept(Listen) of
        {ok, Socket} ->
            ok = gen_tcp:controlling_process(Socket, Server),
            Server ! {accepted, Socket},
            accept(Server, Listen);
        {error, closed} ->
            ok;
        {error, Reason} ->
            exit({accept, Reason})
    end.

client_start(Server, Socket) ->
    receive go -> ok end,
    Ref = erlang:monitor(process, Server),
    client(Server, Ref, Socket, <<>>).

client(Server, Ref, Socket, Buffer) ->
    ok = inet:setopts(Socket, [{active, once}]),
    receive
        {tcp, Socket, Data} ->
            case plc_mgmt_codec:decode_requests(<<Buffer/binary, Data/binary>>) of
                {ok, Requests, Rest} ->
                    case serve(Server, Socket, Requests) of
                        ok -> client(Server, Ref, Socket, Rest);
                        close -> gen_tcp:close(Socket)
                    end;
                {error, _} ->
                    gen_tcp:close(Socket)
            end;
        {tcp_closed, Socket} ->
            ok;
        {tcp_error, Socket, _} ->
            gen_tcp:close(Socket);
        {'DOWN', Ref, process, Server, _} ->
            gen_tcp:close(Socket)
    end.

serve(_Server, _Socket, []) ->
    ok;
serve(Server, Socket, [{Dst, Text} | Rest]) ->
    case catch gen_server:call(Server, {request, Dst, Text}, ?CALL_TIMEOUT) of
        {reply, Response} ->
            case gen_tcp:send(Socket, plc_mgmt_codec:encode_string(Response)) of
                ok -> serve(Server, Socket, Rest);
                {error, _} -> close
            end;
        _ ->
            %% close (a device KILL), or the device is gone.
            close
    end.
