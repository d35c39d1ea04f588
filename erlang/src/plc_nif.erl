%%% @doc The NIF library of plc: raw access to the native IEC 61499 engine.
%%%
%%% Not for direct use: `plc' and `plc_resource' wrap it. Every function
%%% raises `error:{badarg, Reason}' (Reason a binary) when an argument is
%%% wrong; expected failures come back as `{error, Reasons}'. The library is
%%% loaded from this application's priv directory, or from the path (without
%%% the `.so') in the environment variable `PLC_NIF' when it is set, which is
%%% how the Bazel-built library is loaded.
-module(plc_nif).

-export([resource_new/1, observe/3, post/4, start/2, run/1]).
-export([library_new/0, library_compile/3, write_input/3]).
-export([library_path/0]).

-on_load(init/0).

-type handle() :: reference().
-type library() :: reference().
-type network() :: #{fbs := [{binary(), binary(), [{binary(), binary()}]}],
                     events => [{binary(), binary()}],
                     data => [{binary(), binary()}],
                     queue_capacity => pos_integer(),
                     event_budget => pos_integer(),
                     library => library()}.
-type compiled() :: #{types := [binary()], warnings := [binary()]}.
-export_type([handle/0, library/0, network/0, compiled/0]).

-spec init() -> ok | {error, term()}.
init() ->
    erlang:load_nif(library_path(), 0).

%% @doc Where the shared library is loaded from (without the extension).
-spec library_path() -> file:filename().
library_path() ->
    case os:getenv("PLC_NIF") of
        Path when is_list(Path), Path =/= "" -> Path;
        _ -> filename:join(priv_dir(), "plc_nif")
    end.

priv_dir() ->
    case code:priv_dir(plc) of
        {error, bad_name} ->
            Ebin = filename:dirname(code:which(?MODULE)),
            filename:join(filename:dirname(Ebin), "priv");
        Dir ->
            Dir
    end.

%% @doc Loads an FB network into a new resource owned by the caller, which
%% receives its observed output events as `{plc_output, Fb, Event, Data}'.
-spec resource_new(network()) -> {ok, handle()} | {error, [binary()]}.
resource_new(_Network) -> erlang:nif_error(not_loaded).

%% @doc Sends `Fb.Event' (an event output) to the owner whenever it fires.
-spec observe(handle(), binary(), binary()) -> ok.
observe(_Handle, _Fb, _Event) -> erlang:nif_error(not_loaded).

%% @doc Queues event input `Fb.Event' with input values; never blocks.
-spec post(handle(), binary(), binary(), [{binary(), term()}]) -> ok.
post(_Handle, _Fb, _Event, _Values) -> erlang:nif_error(not_loaded).

%% @doc Fires the resource's START block (COLD or WARM).
-spec start(handle(), cold | warm) -> ok.
start(_Handle, _Mode) -> erlang:nif_error(not_loaded).

%% @doc Runs one bounded slice on a dirty scheduler. `more': call again;
%% `{wait, Ns}': the next timer is due in Ns nanoseconds; `idle': nothing to do.
-spec run(handle()) -> more | idle | {wait, non_neg_integer()}.
run(_Handle) -> erlang:nif_error(not_loaded).

%% @doc A new type library holding the standard event blocks and the
%% process image (MIO_IN, MIO_OUT).
-spec library_new() -> library().
library_new() -> erlang:nif_error(not_loaded).

%% @doc Compiles IEC 61499 text (FB types, structured types, systems) into
%% the library. All or nothing: on error the library is unchanged and every
%% diagnostic comes back as `<<"file:line:col: error: message">>'.
%% Resources loaded before keep the types they were loaded with. Dirty.
-spec library_compile(library(), binary(), iodata()) -> {ok, compiled()} | {error, [binary()]}.
library_compile(_Library, _FileName, _Text) -> erlang:nif_error(not_loaded).

%% @doc Writes a process-image input: the MIO_IN whose ADDR is `Address'
%% takes `Value' and emits IND. Dirty.
-spec write_input(handle(), binary(), boolean()) -> ok.
write_input(_Handle, _Address, _Value) -> erlang:nif_error(not_loaded).
