%%% @doc The channels of one resource's communication blocks (PUBLISH_n,
%%% SUBSCRIBE_n, CLIENT_n_m, SERVER_n_m: runtime/stdfb/communication.h),
%%% kept by its plc_resource process.
%%%
%%% Protocol. The engine asks for a channel with a message to the resource
%%% process (nif/observer.cc):
%%% ```
%%% {plc_service, Fb, Role, open, Channel, #{id := Id, sd := [Type], rd := [Type]}}
%%% {plc_service, Fb, Role, send, Channel, [SdValue] | FbdkMessage}
%%% {plc_service, Fb, Role, close, Channel, []}
%%% '''
%%% Role is publisher, subscriber, client or server; Channel numbers the
%%% block's opens, so a request for a channel that is gone is dropped. A
%%% send carries the SD values, or for a channel over IP (whose open was
%%% answered with the wire `fbdk') one FBDK ASN.1 message, a binary
%%% encoded by the engine (or `{error, {encode, Sd, Why}}'). An
%%% open starts a `plc_com_channel' under `plc_com_sup' (closing the FB's
%%% previous channel, if any); send forwards the values to it; close stops
%%% it. The channel answers the block itself (`plc_nif:service_answer/6');
%%% a channel that dies of anything but a normal end is answered here with
%%% `terminated' (INITO, QO FALSE, STATUS 'TERMINATED'), so a crash in a
%%% channel never leaves its block waiting, and never crashes the resource.
%%% The channel's alarms come to the resource as `{plc_com_alarm, Pid,
%%% Alarm}' and are reported as the resource's own (plc_resource).
%%%
%%% The functions here run inside plc_resource and never raise for a
%%% malformed message: `service/4' answers `stray' for one.
-module(plc_com).

-export([new/0, service/4, down/4, is_channel/2]).

-export_type([com/0, code/0, role/0, port_type/0]).

-type role() :: publisher | subscriber | client | server.
%% An SD's or RD's type as the open request names it (nif/observer.cc):
%% int, wstring, ..., {array, Type, Size}, {struct, [{Member, Type}]}.
-type port_type() :: atom() | {array, port_type(), pos_integer()} | {struct, [{binary(), port_type()}]}.
%% FORTE's response codes (cominfra/comtypes.h), STATUS in upper case.
-type code() :: ok | invalid_id | terminated | invalid_object | data_type_error
              | inhibited | no_socket | send_failed | recv_failed.

-record(com, {
    channels = #{} :: #{binary() => {non_neg_integer(), pid(), reference()}},  % by FB
    refs = #{} :: #{reference() => binary()}                                   % monitor -> FB
}).
-opaque com() :: #com{}.

%%% API

-spec new() -> com().
new() ->
    #com{}.

%% @doc Handles one `plc_service' message of the engine of resource `Id'.
-spec service(term(), plc_nif:handle(), plc_mon:id(), com()) -> {ok, com()} | stray.
service({plc_service, Fb, Role, open, Channel, #{id := Id, sd := Sd, rd := Rd}}, H, ResId, Com)
  when is_binary(Fb), is_integer(Channel), is_binary(Id), is_list(Sd), is_list(Rd) ->
    case lists:member(Role, [publisher, subscriber, client, server]) andalso opening(H, Fb, Channel) of
        true ->
            Com1 = stop_channel(Fb, Com),
            Args = #{handle => H, resource => self(), resource_id => ResId, fb => Fb, role => Role,
                     channel => Channel, id => Id, sd => Sd, rd => Rd},
            case plc_com_sup:start_channel(Args) of
                {ok, Pid} ->
                    Ref = erlang:monitor(process, Pid),
                    {ok, Com1#com{channels = (Com1#com.channels)#{Fb => {Channel, Pid, Ref}},
                                  refs = (Com1#com.refs)#{Ref => Fb}}};
                {error, _} ->
                    ok = answer(H, Fb, Channel, invalid_object),
                    {ok, Com1}
            end;
        false ->
            stray
    end;
service({plc_service, Fb, _Role, send, Channel, Values}, _H, _ResId, Com = #com{channels = C})
  when is_binary(Fb), is_list(Values) orelse is_binary(Values) orelse element(1, Values) =:= error ->
    case C of
        #{Fb := {Channel, Pid, _}} -> plc_com_channel:send(Pid, Values);
        _ -> ok  % a channel closed meanwhile, or that died and was answered
    end,
    {ok, Com};
service({plc_service, Fb, _Role, close, Channel, _}, _H, _ResId, Com = #com{channels = C}) when is_binary(Fb) ->
    case C of
        #{Fb := {Channel, _, _}} -> {ok, stop_channel(Fb, Com)};
        _ -> {ok, Com}
    end;
service(_Other, _H, _ResId, _Com) ->
    stray.

%% @doc A monitored channel ended: `{ok, Com}' when it was one of ours (its
%% block is answered `terminated' unless it ended normally), else `not_ours'.
-spec down(reference(), term(), plc_nif:handle(), com()) -> {ok, com()} | not_ours.
down(Ref, Reason, H, Com = #com{channels = C, refs = R}) ->
    case R of
        #{Ref := Fb} ->
            #{Fb := {Channel, _, _}} = C,
            [ok = answer(H, Fb, Channel, terminated) || Reason =/= normal],
            {ok, Com#com{channels = maps:remove(Fb, C), refs = maps:remove(Ref, R)}};
        _ ->
            not_ours
    end.

%% @doc Whether `Pid' is one of the channels.
-spec is_channel(pid(), com()) -> boolean().
is_channel(Pid, #com{channels = C}) ->
    lists:any(fun({_, P, _}) -> P =:= Pid end, maps:values(C)).

%%% Internal

%% Whether block Fb waits for its channel Channel to open (its internal
%% $channel is Channel and its $state opening, stdfb/communication.cc): a
%% plc_service message carries no proof that the engine sent it, so an open
%% for an FB that is no such block, or for a stale channel, starts nothing.
opening(H, Fb, Channel) ->
    case catch plc_nif:read(H, [{Fb, <<"$channel">>}, {Fb, <<"$state">>}]) of
        [Channel, 1] -> true;
        _ -> false
    end.

%% An INIT answer to a block: one deleted meanwhile by an online change, or
%% a stopped resource, is not answered.
answer(H, Fb, Channel, Code) ->
    try plc_nif:service_answer(H, Fb, Channel, init, Code, values) of
        _ -> ok
    catch
        error:{badarg, _} -> ok
    end.

stop_channel(Fb, Com = #com{channels = C, refs = R}) ->
    case C of
        #{Fb := {_, Pid, Ref}} ->
            erlang:demonitor(Ref, [flush]),
            plc_com_channel:close(Pid),
            Com#com{channels = maps:remove(Fb, C), refs = maps:remove(Ref, R)};
        _ ->
            Com
    end.
