%%% @doc Where a system's devices and resources run (IEC 61499 device =
%%% Erlang node): pure functions over the system's plan as
%%% `plc_nif:system_new/3' describes it, no process, no ETS.
%%%
%%% - Device to node: the `nodes' option (`#{<<"Device">> => Node}',
%%%   device names compared case-insensitively as IEC 61499 names are),
%%%   else the device's `NODE' parameter, else `device@ThisHost' (the
%%%   device's name in lower case, on this node's host).
%%% - Which resources run where: a device's resources run on its node.
%%% - Neighbours: the other nodes hosting a resource that exchanges events
%%%   (either direction) with a resource of this node.
%%%
%%% Names that come from callers are bounded (`?MAX_NAME' bytes) before
%%% they are compared or upper-cased: a 16 MB device name is refused, not
%%% processed.
-module(plc_topology).

-export([device_nodes/3, canonical/2, devices_on/3, elsewhere/3]).
-export([resources_of/2, device_of/1, resource_nodes/2, neighbours/4, observed_in/3]).
-export([check_name/1]).

-define(MAX_NAME, 1024).   % bytes: far beyond any IEC 61499 (nested) name

-type device() :: #{name := binary(), parameters := #{binary() => binary()} | [{binary(), binary()}],
                    resources := [binary()], _ => _}.
-export_type([device/0]).

%% @doc Each device's node: `Given' (by name, any case), else its `NODE'
%% parameter, else `device@Host' where Host is `ThisNode''s host.
-spec device_nodes([device()], #{binary() | string() => node()}, node()) -> #{binary() => node()}.
device_nodes(Devices, Given, ThisNode) ->
    Host = case string:split(atom_to_list(ThisNode), "@") of
               [_, H] -> H;
               [_] -> "nohost"
           end,
    GivenBy = maps:from_list([{upper(D), N} || {D, N} <- maps:to_list(Given)]),
    maps:from_list([{D, node_of(D, Params, GivenBy, Host)} || #{name := D, parameters := Params} <- Devices]).

node_of(D, Params, GivenBy, Host) ->
    Key = upper(D),
    case GivenBy of
        #{Key := N} -> N;
        _ ->
            case [V || {P, V} <- params(Params), upper(P) =:= <<"NODE">>] of
                [V | _] -> binary_to_atom(string:trim(V, both, "'\""), utf8);
                [] -> list_to_atom(string:lowercase(binary_to_list(D)) ++ "@" ++ Host)
            end
    end.

params(Params) when is_map(Params) -> maps:to_list(Params);
params(Params) when is_list(Params) -> Params.

%% @doc The device's name as the system spells it (`D' compared in any
%% case); `D' itself when no device has that name.
-spec canonical(binary() | string(), [device()]) -> binary() | string().
canonical(D, Devices) ->
    Key = upper(D),
    case [N || #{name := N} <- Devices, upper(N) =:= Key] of
        [N | _] -> N;
        [] -> D
    end.

%% @doc The devices mapped to `Node'.
-spec devices_on(node(), [device()], #{binary() => node()}) -> [binary()].
devices_on(Node, Devices, Nodes) ->
    [D || #{name := D} <- Devices, maps:get(D, Nodes, undefined) =:= Node].

%% @doc Those of `Here' mapped to a node other than `Node', with theirs.
-spec elsewhere([binary()], #{binary() => node()}, node()) -> [{binary(), node() | undefined}].
elsewhere(Here, Nodes, Node) ->
    [{D, maps:get(D, Nodes, undefined)} || D <- Here, maps:get(D, Nodes, undefined) =/= Node].

%% @doc The resources of the devices `Wanted' (`all': every device), in
%% the plan's order.
-spec resources_of([device()], [binary()] | all) -> [binary()].
resources_of(Devices, Wanted) ->
    [R || #{name := D, resources := Rs} <- Devices, Wanted =:= all orelse lists:member(D, Wanted), R <- Rs].

%% @doc Resource => its device.
-spec device_of([device()]) -> #{binary() => binary()}.
device_of(Devices) ->
    maps:from_list([{R, D} || #{name := D, resources := Rs} <- Devices, R <- Rs]).

%% @doc Resource => the node it runs on.
-spec resource_nodes(#{binary() => binary()}, #{binary() => node()}) -> #{binary() => node()}.
resource_nodes(DeviceOf, Nodes) ->
    maps:map(fun(_R, D) -> maps:get(D, Nodes) end, DeviceOf).

%% @doc The nodes other than `Me' that host a resource linked (either
%% direction of an event connection) to one of `Local'.
-spec neighbours([{binary(), binary()}], [binary()], #{binary() => node()}, node()) -> [node()].
neighbours(Links, Local, NodeOf, Me) ->
    lists:usort([N || {From, To} <- Links,
                      {A, B} <- [{From, To}, {To, From}],
                      lists:member(A, Local),
                      N <- [maps:get(B, NodeOf)], N =/= Me]).

%% @doc The ports an `observe' entry names in `Resource' whose FBs (upper
%% case) are `Here': `<<"Dev.Res/Fb.Event">>' names its resource,
%% `<<"Fb.Event">>' every resource holding Fb.
-spec observed_in(binary(), [binary()], binary()) -> [binary()].
observed_in(Resource, Here, Port) ->
    ok = check_name(Port),
    case string:split(Port, "/") of
        [Resource, P] -> [P];
        [_Other, _] -> [];
        [P] ->
            {Fb, _} = plc:split_name(P),
            case lists:member(string:uppercase(Fb), Here) of
                true -> [P];
                false -> []
            end
    end.

%% @doc `ok' for a name (binary or string) of at most ?MAX_NAME bytes;
%% raises `{badarg, Reason}' otherwise, before anyone processes it.
-spec check_name(term()) -> ok.
check_name(Name) when is_binary(Name), byte_size(Name) =< ?MAX_NAME ->
    ok;
check_name(Name) when is_binary(Name) ->
    error({badarg, iolist_to_binary(io_lib:format("a name of ~b bytes (at most ~b)",
                                                  [byte_size(Name), ?MAX_NAME]))});
check_name(Name) when is_list(Name) ->
    case (catch length(Name)) of
        N when is_integer(N), N =< ?MAX_NAME -> ok;
        N when is_integer(N) -> error({badarg, <<"a name longer than 1024 characters">>});
        _ -> error({badarg, <<"not a name">>})
    end;
check_name(_Name) ->
    error({badarg, <<"not a name">>}).

upper(Name) ->
    ok = check_name(Name),
    string:uppercase(iolist_to_binary([Name])).
