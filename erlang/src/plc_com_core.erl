%%% @doc What a communication channel (plc_com_channel) does with a request
%%% of its block or with what arrives for it: the pure core, answering each
%%% input with its new state and a list of effects that the process runs.
%%%
%%% Effects:
%%% ```
%%% {answer, init | data, plc_com:code(), [Value]}   to the block (plc_nif:service_answer/6)
%%% {decode, datagram | stream, binary()}           FBDK bytes into the block's RDs
%%%                                                 (plc_nif:service_data/5), whose
%%%                                                 outcome comes back through decoded/4
%%% {send, Pid, Message}                            an Erlang message (plc[GROUP])
%%% {monitor, Pid}                                  watch a server a request waits on
%%% {transmit, binary()}                            on the channel's socket (fbdk over IP)
%%% {alarm, Alarm}                                  to the resource, reported as its alarm
%%% '''
%%%
%%% plc[GROUP] messages (Erlang distribution, `pg' scope `plc_com'):
%%% ```
%%% {plc_com_publish, Group, From, Seq, [Value]}    PUBLISH to each member of {publish, Group}
%%% {plc_com_request, Group, From, Seq, [Value]}    CLIENT to one member of {server, Group}
%%% {plc_com_response, Group, Seq, [Value]}         SERVER's RSP to the request's From
%%% '''
%%% Seq numbers a publisher's packets from 1 per channel: a subscriber that
%%% sees a gap counts the missing packets as lost (Erlang delivers the
%%% messages of one sender in order, so a gap means a lost connection) and
%%% reports it. A server answers its requests in the order they came (FORTE
%%% serves one at a time); a client waits for the response to its last
%%% request, and a response to an older one is dropped.
%%%
%%% fbdk over IP: the engine hands the SDs over already encoded, as one FBDK
%%% ASN.1 message (runtime/fbdk_asn1.h, in the NIF's observer), and the NIF
%%% decodes what arrives into the RDs (plc_nif:service_data/5): here only
%%% binaries move. A datagram (UDP) is one message, a TCP stream is a
%%% sequence of messages without framing, as FORTE's fbdkasn1layer sends
%%% them: the bytes of a message not complete yet wait in the core for the
%%% next segment. A packet that does not decode, or whose values do not fit
%%% the RDs, is not delivered: it is counted (`bad') and reported when the
%%% count reaches 1, 2, 4, 8, ... so a flood of junk cannot flood the
%%% alarms.
-module(plc_com_core).

-export([new/4, send/3, received/2, decoded/4, rejected/2, down/2, stats/1]).

-export_type([core/0, effect/0, input/0]).

-type transport() :: {plc, binary()} | {fbdk_ip, term(), term()}.
-type effect() :: {answer, init | data, plc_com:code(), [term()]} | {decode, framing(), binary()}
                | {send, pid(), tuple()} | {monitor, pid()} | {transmit, binary()} | {alarm, tuple()}.
-type framing() :: datagram | stream.
%% What plc_nif:service_data/5 answered for a {decode, ...} effect.
-type outcome() :: ok | {ok, binary()} | incomplete | {error, term()}.
-type input() :: {plc_com_publish, binary(), pid(), pos_integer(), list()}
               | {plc_com_request, binary(), pid(), pos_integer(), list()}
               | {plc_com_response, binary(), pos_integer(), list()}
               | {datagram, binary()} | {stream, binary()}.

-record(core, {
    role :: plc_com:role(),
    transport :: transport(),
    self :: pid(),                  % the channel: a plc message's From
    sd :: [plc_com:port_type()],
    rd :: [plc_com:port_type()],
    seq = 0 :: non_neg_integer(),   % the last packet or request sent
    last = #{} :: #{pid() => pos_integer()},  % subscriber: each publisher's last Seq
    pending :: queue:queue({pid(), pos_integer()}),  % server: requests waiting for RSP
    waiting = none :: none | {pos_integer(), pid()},  % client: the request and its server
    monitored = [] :: [pid()],      % client: the servers watched (once each)
    buffer = <<>> :: binary(),      % TCP bytes of a message not complete yet
    stats = #{sent => 0, delivered => 0, bad => 0, lost => 0, failed => 0} :: #{atom() => non_neg_integer()}
}).
-opaque core() :: #core{}.

%%% API

-spec new(plc_com:role(), transport(), pid(), #{sd := list(), rd := list()}) -> core().
new(Role, Transport, Self, #{sd := Sd, rd := Rd}) ->
    #core{role = Role, transport = Transport, self = Self, sd = Sd, rd = Rd, pending = queue:new()}.

%% @doc The block's REQ (PUBLISH, CLIENT) or RSP (SERVER) with its SDs:
%% their values (plc[GROUP]) or the FBDK message (IP), or the reason the
%% engine could not encode them; `Members' are the group's members now
%% (plc[GROUP]; [] for IP).
-spec send([term()] | binary() | {error, term()}, [pid()], core()) -> {core(), [effect()]}.
send(Values, _Members, C = #core{transport = {plc, _}}) when not is_list(Values) ->
    failed(send_failed, not_values, C);  % only a forged request: the wire is the channel's own choice
send(Values, Members, C = #core{role = publisher, transport = {plc, Group}}) ->
    Seq = C#core.seq + 1,
    Msg = {plc_com_publish, Group, C#core.self, Seq, Values},
    {count(sent, C#core{seq = Seq}), [{send, P, Msg} || P <- Members]};
send(Values, Members, C = #core{role = client, transport = {plc, Group}}) ->
    case Members of
        [] ->
            failed(send_failed, {no_server, Group}, C);
        [Server | _] ->
            Seq = C#core.seq + 1,
            Watched = C#core.monitored,
            Monitor = [{monitor, Server} || not lists:member(Server, Watched)],
            {count(sent, C#core{seq = Seq, waiting = {Seq, Server}, monitored = lists:usort([Server | Watched])}),
             Monitor ++ [{send, Server, {plc_com_request, Group, C#core.self, Seq, Values}}]}
    end;
send(Values, _Members, C = #core{role = server, transport = {plc, Group}}) ->
    case queue:out(C#core.pending) of
        {{value, {From, Seq}}, Rest} ->
            {count(sent, C#core{pending = Rest}), [{send, From, {plc_com_response, Group, Seq, Values}}]};
        {empty, _} ->
            failed(send_failed, no_request, C)
    end;
send(Bin, _Members, C = #core{transport = {fbdk_ip, _, _}}) when is_binary(Bin) ->
    {count(sent, C), [{transmit, Bin}]};
send({error, {encode, _, _} = Why}, _Members, C = #core{transport = {fbdk_ip, _, _}}) ->
    failed(data_type_error, Why, C);
send(_Values, _Members, C = #core{transport = {fbdk_ip, _, _}}) ->
    failed(send_failed, not_encoded, C);
send(_Values, _Members, C) ->
    failed(send_failed, wrong_number_of_values, C).

%% @doc Something arrived for the channel.
-spec received(input(), core()) -> {core(), [effect()]}.
received({plc_com_publish, Group, From, Seq, Values},
         C = #core{role = subscriber, transport = {plc, Group}, last = Last})
  when is_pid(From), is_integer(Seq), Seq > 0, is_list(Values) ->
    Missing = Seq - maps:get(From, Last, Seq - 1) - 1,
    C1 = C#core{last = Last#{From => Seq}},
    {C2, Lost} = case Missing > 0 of
                     true -> lost(Missing, C1);
                     false -> {C1, []}
                 end,
    {C3, Effects} = deliver(Values, C2),
    {C3, Lost ++ Effects};
received({plc_com_request, Group, From, Seq, Values}, C = #core{role = server, transport = {plc, Group}})
  when is_pid(From), is_integer(Seq), is_list(Values) ->
    case length(Values) =:= length(C#core.rd) of
        true -> deliver(Values, C#core{pending = queue:in({From, Seq}, C#core.pending)});
        false -> bad({wrong_number_of_values, length(Values)}, C)
    end;
received({plc_com_response, Group, Seq, Values},
         C = #core{role = client, transport = {plc, Group}, waiting = {Seq, _}}) when is_list(Values) ->
    deliver(Values, C#core{waiting = none});
received({plc_com_response, Group, _Seq, _Values}, C = #core{role = client, transport = {plc, Group}}) ->
    {C, []};  % the response to an older request
received({datagram, Bin}, C = #core{role = subscriber, transport = {fbdk_ip, _, _}}) ->
    {C, [{decode, datagram, Bin}]};
received({stream, Bin}, C = #core{transport = {fbdk_ip, _, _}, buffer = Buffer})
  when C#core.role =:= client; C#core.role =:= server ->
    {C#core{buffer = <<>>}, [{decode, stream, <<Buffer/binary, Bin/binary>>}]};
received(_Other, C) ->
    bad(unexpected_message, C).

%% @doc What the NIF made of the bytes of a `{decode, Framing, Bin}'
%% effect: a message delivered (a stream goes on with the bytes after it),
%% the start of a message (kept for the next segment), or bytes that do
%% not decode (counted; a stream that lost its framing drops its buffer).
-spec decoded(framing(), binary(), outcome(), core()) -> {core(), [effect()]}.
decoded(datagram, _Bin, ok, C) ->
    {count(delivered, C), []};
decoded(stream, _Bin, {ok, Rest}, C) ->
    {count(delivered, C), [{decode, stream, Rest} || Rest =/= <<>>]};
decoded(stream, Bin, incomplete, C) ->
    {C#core{buffer = Bin}, []};
decoded(_Framing, _Bin, {error, {decode, Why}}, C) ->
    bad({decode, Why}, C);
decoded(_Framing, _Bin, {error, inbox_full}, C) ->
    {C, [{alarm, {inbox_full, data}}]};
decoded(_Framing, _Bin, {error, stopped}, C) ->
    {C, []}.

%% @doc The engine refused values the core delivered (they do not fit
%% the RDs' types: plc_nif:service_answer/6 raised badarg).
-spec rejected(term(), core()) -> {core(), [effect()]}.
rejected(Why, C) ->
    bad({rejected, Why}, C).

%% @doc A monitored server is gone: the request waiting on it fails.
-spec down(pid(), core()) -> {core(), [effect()]}.
down(Pid, C = #core{waiting = {_, Pid}}) ->
    failed(recv_failed, server_down, C#core{waiting = none, monitored = C#core.monitored -- [Pid]});
down(Pid, C) ->
    {C#core{monitored = C#core.monitored -- [Pid]}, []}.

-spec stats(core()) -> #{atom() => non_neg_integer()}.
stats(#core{stats = S}) ->
    S.

%%% Internal

deliver(Values, C = #core{rd = Rd}) when length(Values) =:= length(Rd) ->
    {count(delivered, C), [{answer, data, ok, Values}]};
deliver(Values, C) ->
    bad({wrong_number_of_values, length(Values)}, C).

failed(Code, Why, C) ->
    C1 = count(failed, C),
    {C1, [{answer, data, Code, []}, {alarm, {plc_com_failed, Code, Why}}]}.

lost(N, C = #core{stats = S = #{lost := L}}) ->
    {C#core{stats = S#{lost := L + N}}, [{alarm, {plc_com_lost, L + N}}]}.

bad(Why, C) ->
    C1 = #core{stats = #{bad := N}} = count(bad, C),
    {C1, [{alarm, {plc_com_bad_packet, N, Why}} || N band (N - 1) =:= 0]}.

count(Key, C = #core{stats = S}) ->
    C#core{stats = S#{Key := maps:get(Key, S) + 1}}.
