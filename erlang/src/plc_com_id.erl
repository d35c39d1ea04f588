%%% @doc The `ID' input of a communication function block (PUBLISH_n,
%%% SUBSCRIBE_n, CLIENT_n_m, SERVER_n_m): which transport it names. Pure.
%%%
%%% IEC 61499-1 leaves the ID's syntax to the implementation. 4diac FORTE
%%% reads it as a stack of layers, top first, each `name[params]' and
%%% separated by one character, usually a dot: `fbdk[].ip[239.0.0.1:61000]'
%%% is FBDK's ASN.1 encoding (runtime/fbdk_asn1.h) over IP. The rules followed
%%% here are FORTE's (3.0 line, `src/core/cominfra/basecommfb.cpp' and
%%% `ipcomlayer.cpp'):
%%% - an ID without any `]' is the parameter of the default stack:
%%%   `239.0.0.1:61000' is `fbdk[].ip[239.0.0.1:61000]'
%%%   [CCommFB::getDefaultIDString];
%%% - a layer's parameters run to its matching `]' and may nest brackets;
%%%   the character after a `]' is skipped, whatever it is; a layer name is
%%%   compared case-sensitively [CBaseCommFB::extractLayerIdAndParams,
%%%   CComLayersManager];
%%% - `fbdk' takes no parameters and ignores any [CFBDKASN1ComLayer::
%%%   openConnection];
%%% - `ip' takes `HOST:PORT' with an optional `@INTERFACE', the local IPv4
%%%   address a multicast group is joined or sent on
%%%   [CIPComLayer::openConnection]; the host is split at the first `:';
%%%   an empty host means every interface (a SERVER or SUBSCRIBE binds
%%%   INADDR_ANY whatever the host); a host in 224.0.0.0/4 is multicast.
%%%
%%% Where plc is stricter than FORTE, on purpose: a port must be a decimal
%%% 1..65535 (FORTE takes `strtoul' modulo 65536 and ignores trailing
%%% text); an interface must be an IPv4 address; a stack other than
%%% `fbdk' over `ip' is refused instead of opened half-working (FORTE
%%% accepts `fbdk[]' alone and fails at the first send). Where plc is more
%%% lenient: a host may be a name (`localhost'), resolved by the transport;
%%% FORTE's POSIX sockets take only dotted IPv4 (`inet_addr').
%%%
%%% plc's own scheme, `plc[GROUP]', carries the same blocks between plc
%%% devices over Erlang distribution (a `pg' group named GROUP, scoped to
%%% the system), with no encoding: `{plc, <<"GROUP">>}'.
%%%
%%% Other FORTE layers (`raw', `loc', `mqtt', `opc_ua', `http', ...) are
%%% `{error, {unsupported_layer, Name}}'.
-module(plc_com_id).

-export([parse/1, layers/1]).

-export_type([target/0, cast/0, host/0, reason/0]).

-type host() :: inet:ip4_address() | inet:hostname() | any.
%% Multicast with `@INTERFACE' names the local interface to use.
-type cast() :: unicast | multicast | {multicast, inet:ip4_address()}.
-type target() :: {fbdk_ip, {host(), inet:port_number()}, cast()} | {plc, Group :: binary()}.
-type reason() :: empty_id | {bad_id, binary()} | empty_layer_name
                | {unsupported_layer, binary()} | {unsupported_layer_stack, [binary()]}
                | {missing_port, binary()} | {bad_port, binary()} | {bad_host, binary()}
                | {bad_interface, binary()} | empty_group.

%%% API

%% @doc The transport an ID names.
-spec parse(binary() | string()) -> {ok, target()} | {error, reason()}.
parse(Id) when is_list(Id) ->
    parse(unicode:characters_to_binary(Id));
parse(Id) when is_binary(Id) ->
    case layers(Id) of
        {ok, Layers} -> stack(Layers);
        {error, _} = Error -> Error
    end.

%% @doc The layers of an ID, top first, as FORTE splits it: `[{Name,
%% Params}]', the default stack filled in for an ID without `]'.
-spec layers(binary()) -> {ok, [{binary(), binary()}]} | {error, reason()}.
layers(<<>>) ->
    {error, empty_id};
layers(Id) ->
    Stack = case binary:match(Id, <<"]">>) of
                nomatch -> <<"fbdk[].ip[", Id/binary, "]">>;
                _ -> Id
            end,
    case split(Stack, []) of
        {ok, Layers} -> {ok, Layers};
        error -> {error, {bad_id, Id}}
    end.

%%% Splitting [CBaseCommFB::createComstack, extractLayerIdAndParams]

split(<<>>, Acc) ->
    {ok, lists:reverse(Acc)};
split(Id, Acc) ->
    case binary:split(Id, <<"[">>) of
        [Name, AfterBracket] ->
            case params(AfterBracket, 1, 0) of
                {ok, Params, Rest} -> split(skip_separator(Rest), [{Name, Params} | Acc]);
                error -> error
            end;
        [_] -> error
    end.

%% The parameters end at the `]' that closes the layer's `['.
params(Bin, Depth, Pos) when Pos < byte_size(Bin) ->
    case binary:at(Bin, Pos) of
        $[ -> params(Bin, Depth + 1, Pos + 1);
        $] when Depth =:= 1 ->
            <<Params:Pos/binary, $], Rest/binary>> = Bin,
            {ok, Params, Rest};
        $] -> params(Bin, Depth - 1, Pos + 1);
        _ -> params(Bin, Depth, Pos + 1)
    end;
params(_, _, _) ->
    error.

skip_separator(<<>>) -> <<>>;
skip_separator(<<_, Rest/binary>>) -> Rest.

%%% Stacks

%% A layer without a name is no layer [CBaseCommFB::createComstack].
stack(Layers) ->
    case lists:keymember(<<>>, 1, Layers) of
        true -> {error, empty_layer_name};
        false -> named_stack(Layers)
    end.

named_stack([{<<"fbdk">>, _}, {<<"ip">>, Params}]) ->
    ip(Params);
named_stack([{<<"plc">>, <<>>}]) ->
    {error, empty_group};
named_stack([{<<"plc">>, Group}]) ->
    {ok, {plc, Group}};
named_stack(Layers) ->
    Names = [Name || {Name, _} <- Layers],
    case [Name || Name <- Names, not lists:member(Name, [<<"fbdk">>, <<"ip">>, <<"plc">>])] of
        [Unknown | _] -> {error, {unsupported_layer, Unknown}};
        [] -> {error, {unsupported_layer_stack, Names}}
    end.

%% HOST:PORT[@INTERFACE] [CIPComLayer::openConnection]
ip(Params) ->
    {Address, Interface} = case binary:split(Params, <<"@">>) of
                               [A, I] -> {A, I};
                               [A] -> {A, none}
                           end,
    case binary:split(Address, <<":">>) of
        [Host, Port] -> ip(host(Host), port(Port), interface(Interface));
        [_] -> {error, {missing_port, Params}}
    end.

ip({ok, Host}, {ok, Port}, {ok, Interface}) -> {ok, {fbdk_ip, {Host, Port}, cast(Host, Interface)}};
ip({error, _} = Error, _, _) -> Error;
ip(_, {error, _} = Error, _) -> Error;
ip(_, _, {error, _} = Error) -> Error.

%% An interface matters only to a multicast group; FORTE ignores it otherwise.
cast({A, _, _, _}, Interface) when A >= 224, A =< 239 ->
    case Interface of
        none -> multicast;
        _ -> {multicast, Interface}
    end;
cast(_, _) ->
    unicast.

host(<<>>) ->
    {ok, any};
host(Host) ->
    case inet:parse_ipv4strict_address(binary_to_list(Host)) of
        {ok, Address} -> {ok, Address};
        {error, _} ->
            case is_hostname(Host) of
                true -> {ok, binary_to_list(Host)};
                false -> {error, {bad_host, Host}}
            end
    end.

%% RFC 1123 names: labels of letters, digits and hyphens, not starting or
%% ending with a hyphen. A dotted name of digits only is a bad address.
is_hostname(Host) when byte_size(Host) =< 253 ->
    Labels = binary:split(Host, <<".">>, [global]),
    lists:all(fun is_label/1, Labels)
        andalso not lists:all(fun(L) -> is_digits(L) end, Labels);
is_hostname(_) ->
    false.

is_label(L) when byte_size(L) >= 1, byte_size(L) =< 63 ->
    binary:first(L) =/= $- andalso binary:last(L) =/= $-
        andalso lists:all(fun(C) -> C =:= $- orelse is_alnum(C) end, binary_to_list(L));
is_label(_) ->
    false.

is_alnum(C) -> (C >= $a andalso C =< $z) orelse (C >= $A andalso C =< $Z) orelse (C >= $0 andalso C =< $9).

is_digits(L) -> lists:all(fun(C) -> C >= $0 andalso C =< $9 end, binary_to_list(L)).

port(Port) when byte_size(Port) >= 1, byte_size(Port) =< 5 ->
    case is_digits(Port) andalso binary_to_integer(Port) of
        N when is_integer(N), N >= 1, N =< 65535 -> {ok, N};
        _ -> {error, {bad_port, Port}}
    end;
port(Port) ->
    {error, {bad_port, Port}}.

interface(none) ->
    {ok, none};
interface(Interface) ->
    case inet:parse_ipv4strict_address(binary_to_list(Interface)) of
        {ok, Address} -> {ok, Address};
        {error, _} -> {error, {bad_interface, Interface}}
    end.
