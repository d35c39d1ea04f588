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
%%%
%%% Types written in the IEC 61499 textual language are compiled into the
%%% node's library with `compile_file/1' (or `compile/2') and can then be
%%% used by every resource started afterwards. Process-image outputs
%%% (MIO_OUT) reach subscribers as `{plc_io, Resource, Address, Value}';
%%% inputs (MIO_IN) are written with `write_input/3'.
-module(plc).

-export([start_resource/1, start_resource/2, stop_resource/1]).
-export([inject/2, inject/3, subscribe/2]).
-export([compile/2, compile_file/1, library/0, write_input/3]).

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

%% @doc Compiles IEC 61499 text (FB types, structured types, systems) into
%% this node's library. All or nothing: on error nothing changes and every
%% diagnostic is returned as `<<"file:line:col: error: message">>'.
-spec compile(binary(), iodata()) -> {ok, plc_nif:compiled()} | {error, [binary()]}.
compile(FileName, Text) when is_binary(FileName) ->
    plc_nif:library_compile(library(), FileName, Text).

%% @doc Compiles a source file into this node's library.
-spec compile_file(file:filename_all()) -> {ok, plc_nif:compiled()} | {error, [binary()] | {file, term()}}.
compile_file(Path) ->
    case file:read_file(Path) of
        {ok, Text} -> compile(unicode:characters_to_binary(Path), Text);
        {error, Reason} -> {error, {file, Reason}}
    end.

%% @doc This node's type library (created when the application starts).
-spec library() -> plc_nif:library().
library() ->
    case persistent_term:get({plc, library}, undefined) of
        undefined ->
            Library = plc_nif:library_new(),
            persistent_term:put({plc, library}, Library),
            Library;
        Library ->
            Library
    end.

%% @doc Writes process-image input `Address' (the ADDR of a MIO_IN): its IN
%% takes `Value' and it emits IND.
-spec write_input(resource(), binary(), boolean()) -> ok.
write_input(Resource, Address, Value) ->
    plc_resource:write_input(Resource, Address, Value).
