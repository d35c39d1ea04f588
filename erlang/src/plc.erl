%%% @doc The public API of plc, a distributed IEC 61499 runtime.
%%%
%%% A resource is an FB network executed by the native engine and owned by
%%% one supervised process. Ports are named `<<"Fb.Port">>'. Observed output
%%% events reach subscribers as `{plc_event, Resource, <<"Fb.Event">>, Data}'
%%% where Data maps the event's WITH outputs to their values.
%%%
%%% ```
%%% {ok, R} = plc:start_resource(#{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, <<"2">>}]}]},
%%%                              #{observe => [<<"C.CUO">>], subscribers => [self()]}),
%%% ok = plc:inject(R, <<"C.CU">>),
%%% receive {plc_event, R, <<"C.CUO">>, #{<<"CV">> := 1, <<"Q">> := false}} -> ok end.
%%% '''
-module(plc).

-export([start_resource/1, start_resource/2, stop_resource/1]).
-export([inject/2, inject/3, subscribe/2]).

-type resource() :: pid().
-export_type([resource/0]).

%% @doc Starts a resource running `Network' under this node's supervisor.
-spec start_resource(plc_nif:network()) -> {ok, resource()} | {error, term()}.
start_resource(Network) ->
    start_resource(Network, #{}).

-spec start_resource(plc_nif:network(), plc_resource:options()) -> {ok, resource()} | {error, term()}.
start_resource(Network, Options) ->
    plc_runtime_sup:start_resource(Network, Options).

-spec stop_resource(resource()) -> ok | {error, not_found}.
stop_resource(Resource) ->
    supervisor:terminate_child(plc_runtime_sup, Resource).

%% @doc Triggers event input `Port' (`<<"Fb.Event">>').
-spec inject(resource(), binary()) -> ok.
inject(Resource, Port) ->
    inject(Resource, Port, []).

%% @doc Triggers event input `Port' carrying values for the FB's inputs.
-spec inject(resource(), binary(), [{binary(), term()}]) -> ok.
inject(Resource, Port, Values) ->
    plc_resource:inject(Resource, Port, Values).

%% @doc Subscribes the caller to output event `Port' (`<<"Fb.Event">>').
-spec subscribe(resource(), binary()) -> ok.
subscribe(Resource, Port) ->
    plc_resource:subscribe(Resource, Port, self()).
