%%% @doc The NIF library of plc: raw access to the native IEC 61499 engine.
%%%
%%% Not for direct use: `plc' and `plc_resource' wrap it. Every function
%%% raises `error:{badarg, Reason}' (Reason a binary) when an argument is
%%% wrong (a caller's bug); expected failures come back as `{error, Reasons}'.
%%% Every function taking a resource handle returns `{error, stopped}' once
%%% the resource is stopped (its owner died): a value to match, never a
%%% message text. REAL and LREAL values that are not finite come out as the
%%% atoms `infinity', `neg_infinity' and `nan', and are accepted back as such. The library is
%%% loaded from this application's priv directory, or from the path (without
%%% the `.so') in the environment variable `PLC_NIF' when it is set, which is
%%% how the Bazel-built library is loaded.
-module(plc_nif).

-export([resource_new/1, subscribe/4, unsubscribe/4, post/4, post_batch/4, read/2, write/4]).
-export([manage_answer/3]).
-export([force/4, clear_force/3, forced/1]).
-export([retain_capture/1, retain_restore/2]).
-export([start/2, reconfigure/2, run/1, stats/1, describe/1, var_types/1]).
-export([library_new/0, library_compile/3, library_load_4diac/3, system_new/2, write_input/3]).
-export([post_raw/2, system_route/4, system_credit/2, system_new/3]).
-export([service_answer/6, service_data/5]).
-export([library_type/2, library_types/1, library_adapter_types/1, library_literal/4, library_connectable/3]).
-export([library_path/0, priv_dir/0]).

-on_load(init/0).

-type handle() :: reference().
-type library() :: reference().
-type system() :: reference().
-type options() :: #{queue_capacity => pos_integer(),
                     event_budget => pos_integer(),
                     instruction_budget => pos_integer(),
                     inbox_capacity => pos_integer()}.
-type network() :: #{fbs := [{binary(), binary(), [{binary(), binary()}]}],
                     events => [{binary(), binary()}],
                     data => [{binary(), binary()}],
                     queue_capacity => pos_integer(),
                     event_budget => pos_integer(),
                     instruction_budget => pos_integer(),
                     max_algorithm_slices => non_neg_integer(),
                     inbox_capacity => pos_integer(),
                     library => library()}.
%% A resource of a system: #{system => System, resource => <<"Device.Resource">>}.
-type system_resource() :: #{system := system(), resource := binary()}.
-type spec() :: network() | system_resource().
-type compiled() :: #{types := [binary()], systems := [binary()], warnings := [binary()]}.
-type system_info() :: #{name := binary(),
                         fbs := #{binary() => [binary()]},
                         resources := [binary()],
                         links := [{binary(), binary()}],
                         hash := non_neg_integer(),
                         devices := [#{name := binary(), parameters := #{binary() => binary()},
                                       resources := [binary()]}]}.
-type stats() :: #{atom() => non_neg_integer()}.
%% What a reconfiguration did: FBs kept with their state, new (or
%% retyped) ones, deleted ones, queued events lost (and the first 16 of
%% them, as <<"Fb.EventInput">>).
-type reconfiguration() :: #{kept := non_neg_integer(), fresh := non_neg_integer(),
                             removed := non_neg_integer(), lost := non_neg_integer(),
                             lost_events := [binary()]}.
%% An FB type's interface; a port's type text is its elementary type
%% (`INT'), a generic port's class (`ANY_NUM'), a structure's name, or
%% `ARRAY [0..3] OF INT'.
-type type_info() :: #{name := binary(),
                       event_inputs := [binary()], event_outputs := [binary()],
                       inputs := [{binary(), binary()}], outputs := [{binary(), binary()}],
                       internals := [{binary(), binary()}]}.
-export_type([handle/0, library/0, system/0, options/0, network/0, spec/0, compiled/0, system_info/0, stats/0, type_info/0, reconfiguration/0]).

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

%% @doc This application's priv directory (also when not installed as one).
-spec priv_dir() -> file:filename().
priv_dir() ->
    case code:priv_dir(plc) of
        {error, bad_name} ->
            Ebin = filename:dirname(code:which(?MODULE)),
            filename:join(filename:dirname(Ebin), "priv");
        Dir ->
            Dir
    end.

%% @doc Loads an FB network, or one resource of a system, into a new
%% resource owned (and monitored) by the caller. The owner receives
%% `plc_wake' whenever events were queued for it (call run/1), process-image
%% writes `{plc_io, Fb, Address, Value}' and alarms (`{plc_overflow, Fb,
%% Port, Total}', `{plc_runaway, Fb}', `{plc_fault, Fb, Algorithm, What}').
-spec resource_new(spec()) -> {ok, handle()} | {error, [binary()]}.
resource_new(_Spec) -> erlang:nif_error(not_loaded).

%% @doc Sends `Pid' every `Fb.Event' (an event output) as
%% `{plc_event, Owner, <<"Fb.Event">>, #{Var => Value}}'. Dirty.
-spec subscribe(handle(), binary(), binary(), pid()) -> ok | {error, stopped}.
subscribe(_Handle, _Fb, _Event, _Pid) -> erlang:nif_error(not_loaded).

%% @doc Stops sending `Fb.Event' to `Pid'. Dirty.
-spec unsubscribe(handle(), binary(), binary(), pid()) -> ok | {error, stopped}.
unsubscribe(_Handle, _Fb, _Event, _Pid) -> erlang:nif_error(not_loaded).

%% @doc Queues event input `Fb.Event' with input values; never blocks.
-spec post(handle(), binary(), binary(), [{binary(), term()}]) -> ok | {error, inbox_full | stopped}.
post(_Handle, _Fb, _Event, _Values) -> erlang:nif_error(not_loaded).

%% @doc The answer to a management block's command (ST_CREATE_FB, ...: the
%% owner got `{plc_manage, Fb, Type, Inputs}'): the management protocol's
%% response text, `<<"RDY">>' or a reason such as `<<"NO_SUCH_OBJECT">>';
%% the block confirms with it (CNF, QO, STATUS). Never blocks.
-spec manage_answer(handle(), binary(), binary()) -> ok | {error, inbox_full | stopped}.
manage_answer(_Handle, _Fb, _Response) -> erlang:nif_error(not_loaded).

%% @doc Queues one `Fb.Event' per element (at most 4096), each with its
%% input values, in order; returns how many were accepted before the
%% inbox was full. Never blocks.
-spec post_batch(handle(), binary(), binary(), [[{binary(), term()}]]) -> non_neg_integer() | {error, stopped}.
post_batch(_Handle, _Fb, _Event, _Batch) -> erlang:nif_error(not_loaded).

%% @doc The current values of variables (inputs, outputs, internals). Dirty.
-spec read(handle(), [{binary(), binary()}]) -> [term()] | {error, stopped}.
read(_Handle, _Vars) -> erlang:nif_error(not_loaded).

%% @doc Sets a variable between two events (queued like an event); a
%% forced variable refuses. Never blocks.
-spec write(handle(), binary(), binary(), term()) -> ok | {error, inbox_full | forced | stopped}.
write(_Handle, _Fb, _Var, _Value) -> erlang:nif_error(not_loaded).

%% @doc Forces a data input, output or internal to a value until
%% clear_force/3 (runtime/forcing.h); forcing again changes the value.
%% Dirty.
-spec force(handle(), binary(), binary(), term()) -> ok | {error, stopped}.
force(_Handle, _Fb, _Var, _Value) -> erlang:nif_error(not_loaded).

%% @doc Clears a force; `ok' also when the variable was not forced. Dirty.
-spec clear_force(handle(), binary(), binary()) -> ok | {error, stopped}.
clear_force(_Handle, _Fb, _Var) -> erlang:nif_error(not_loaded).

%% @doc The forced variables and their values, in the order first forced. Dirty.
-spec forced(handle()) -> [{binary(), binary(), term()}] | {error, stopped}.
forced(_Handle) -> erlang:nif_error(not_loaded).

%% @doc The image of the resource's RETAIN variables (runtime/retain.h):
%% `none' when it has none, `busy' while a slice is paused inside an
%% algorithm (its half-done state is not captured). Dirty.
-spec retain_capture(handle()) -> binary() | none | busy | {error, stopped}.
retain_capture(_Handle) -> erlang:nif_error(not_loaded).

%% @doc Writes an image's values into the variables that still match it
%% (same instance, variable and type, still RETAIN), before START fires;
%% `{ok, Dropped}' lists the entries it did not write and why. An image
%% that does not parse (truncated, garbage) changes nothing. Dirty.
-spec retain_restore(handle(), binary()) ->
          ok | {ok, [{binary(), binary(), binary()}]} | {error, [binary()] | stopped}.
retain_restore(_Handle, _Image) -> erlang:nif_error(not_loaded).

%% @doc Fires the resource's START block: COLD, WARM, or STOP (the owner
%% then runs no slice until it starts it again); `{warm, StoppedNs}' is
%% the START after such a STOP: the armed timers continue where they stood
%% (each deadline StoppedNs later) and WARM fires.
-spec start(handle(), cold | warm | stop | {warm, non_neg_integer()}) -> ok | {error, stopped}.
start(_Handle, _Mode) -> erlang:nif_error(not_loaded).

%% @doc Changes a running resource's network without stopping it
%% (runtime/reconfiguration.h): the changed network (as for
%% resource_new/1, with the running resource's options) is loaded and the
%% running state moves into it; FBs kept under the same name and type keep
%% their state, queued events go on, those for a deleted FB or connection
%% are lost and listed. A network that does not load changes nothing.
%% `busy': a slice is paused in an algorithm (run/1, then again).
%% `system_resource': a resource of a system cannot be reconfigured. Dirty.
-spec reconfigure(handle(), network()) ->
          {ok, reconfiguration()} | {error, [binary()] | busy | system_resource | stopped}.
reconfigure(_Handle, _Network) -> erlang:nif_error(not_loaded).

%% @doc Runs one bounded slice: a short step on the calling (normal)
%% scheduler, continued on a dirty CPU scheduler when it does not finish
%% there (a long algorithm, a burst of events). `more': call again;
%% `{wait, Ns}': the next timer is due in Ns nanoseconds (the owner gets
%% `plc_wake' then); `idle': nothing to do.
-spec run(handle()) -> more | idle | {wait, non_neg_integer()} | {error, stopped}.
run(_Handle) -> erlang:nif_error(not_loaded).

%% @doc The FBs of the resource's (flat) network, in load order, with
%% their type and event inputs and outputs. Dirty.
-spec describe(handle()) -> [{binary(), binary(), [binary()], [binary()]}] | {error, stopped}.
describe(_Handle) -> erlang:nif_error(not_loaded).

%% @doc Every FB's data inputs and outputs with their types as loaded (a generic
%% port's decided type; arrays by element type, structures by name).
-spec var_types(handle()) -> [{binary(), [{binary(), binary()}]}] | {error, stopped}.
var_types(_Handle) -> erlang:nif_error(not_loaded).

%% @doc Event counters and queue depths. Dirty.
-spec stats(handle()) -> stats() | {error, stopped}.
stats(_Handle) -> erlang:nif_error(not_loaded).

%% @doc A new type library holding the standard event blocks and the
%% process image (MIO_IN, MIO_OUT).
-spec library_new() -> library().
library_new() -> erlang:nif_error(not_loaded).

%% @doc The interface of FB type `Name' (case-insensitive). Dirty.
-spec library_type(library(), binary()) -> {ok, type_info()} | {error, not_found}.
library_type(_Library, _Name) -> erlang:nif_error(not_loaded).

%% @doc The names of every FB type of the library. Dirty.
-spec library_types(library()) -> [binary()].
library_types(_Library) -> erlang:nif_error(not_loaded).

%% @doc The names of the adapter types loaded into the library (with the
%% 4diac FB types that use them). Dirty.
-spec library_adapter_types(library()) -> [binary()].
library_adapter_types(_Library) -> erlang:nif_error(not_loaded).

%% @doc An IEC 61131-3 literal (`INT#5', `16#FF', `T#1s', `'text'',
%% `[1, 2]') parsed completely for variable `Var' of FB type `Type', as the
%% term plc:write/3 takes; `error' when it is no literal of the variable's
%% type. A generic port (ANY_NUM) takes a literal of any type of its class.
%% Dirty.
-spec library_literal(library(), binary(), binary(), binary()) -> {ok, term()} | error.
library_literal(_Library, _Type, _Var, _Literal) -> erlang:nif_error(not_loaded).

%% @doc Whether data output `{Type, Output}' may feed data input `{Type,
%% Input}' (same shape, a type that widens; a generic end takes any type
%% its class holds); false when a type or port is unknown. Dirty.
-spec library_connectable(library(), {binary(), binary()}, {binary(), binary()}) -> boolean().
library_connectable(_Library, _From, _To) -> erlang:nif_error(not_loaded).

%% @doc Compiles IEC 61499 text (FB types, structured types, systems) into
%% the library. All or nothing: on error the library is unchanged and every
%% diagnostic comes back as `<<"file:line:col: error: message">>'.
%% Resources loaded before keep the types they were loaded with. Dirty.
-spec library_compile(library(), binary(), iodata()) -> {ok, compiled()} | {error, [binary()]}.
library_compile(_Library, _FileName, _Text) -> erlang:nif_error(not_loaded).

%% @doc Loads a 4diac IDE file (.fbt, .adp, .dtp or .sys) into the library,
%% with the types it uses, found in its own folder (recursively) and in
%% `Folders'. All or nothing, as library_compile/3. Dirty (I/O).
-spec library_load_4diac(library(), file:filename_all(), [file:filename_all()]) ->
          {ok, compiled()} | {error, [binary()]}.
library_load_4diac(_Library, _Path, _Folders) -> erlang:nif_error(not_loaded).

%% @doc Plans a compiled system for running: its resources, checked
%% against the library as it is now. Dirty.
-spec system_new(library(), binary()) -> {ok, system(), system_info()} | {error, [binary()]}.
system_new(_Library, _Name) -> erlang:nif_error(not_loaded).

%% @doc Writes a process-image input: the MIO_IN (ADDR) or IX, IB, IW, ID,
%% IL (PARAMS) whose address is `Address' takes `Value'. Dirty.
-spec write_input(handle(), binary(), boolean() | non_neg_integer()) -> ok | {error, inbox_full | stopped}.
write_input(_Handle, _Address, _Value) -> erlang:nif_error(not_loaded).

%% @doc Queues events sent by the same system's resources on another node
%% (each binary as this node's forwarder received it in `{plc_out, Index,
%% Bin}'), in order, at most 4096; returns how many were accepted before
%% the inbox was full. A binary that is not an event of this resource
%% (runtime/remote_event.h checks each against it) raises badarg, the
%% reason naming what is wrong, and posts nothing. Never blocks.
-spec post_raw(handle(), [binary()]) -> non_neg_integer() | {error, stopped}.
post_raw(_Handle, _Events) -> erlang:nif_error(not_loaded).

%% The answer of a communication block's host (plc_com_channel) for its
%% channel number Channel (runtime/stdfb/communication.h): `init' (INITO
%% follows) with FORTE's response code and the channel's wire, `values'
%% (the block's sends carry the SD values) or `fbdk' (one FBDK ASN.1
%% message, a binary); or `data' (CNF or IND) with the code and, for `ok',
%% the RD values. Raises badarg for a value that does not fit its RD. Only
%% enqueues.
-spec service_answer(handle(), binary(), non_neg_integer(), init, plc_com:code(), values | fbdk) ->
          ok | {error, inbox_full | stopped};
                    (handle(), binary(), non_neg_integer(), data, plc_com:code(), [term()]) ->
          ok | {error, inbox_full | stopped}.
service_answer(_Handle, _Fb, _Channel, _Kind, _Code, _Values) -> erlang:nif_error(not_loaded).

%% Bytes a channel over IP received for block `Fb', decoded natively into
%% its RDs (runtime/fbdk_asn1.h) and posted as a data answer with `ok'
%% (CNF or IND follows). A `datagram' must be exactly one message; of a
%% `stream' the first message is taken and the bytes after it returned
%% (`incomplete': the bytes are the start of a message). A message that
%% does not decode is `{error, {decode, {Rd, Offset, Reason}}}' (Rd the
%% 1-based RD, 0 for the message as a whole; Offset its byte) and nothing
%% is posted. Raises badarg for an FB that is no communication block.
-spec service_data(handle(), binary(), non_neg_integer(), datagram, binary()) ->
          ok | {error, {decode, {non_neg_integer(), non_neg_integer(), term()}} | inbox_full | stopped};
                  (handle(), binary(), non_neg_integer(), stream, binary()) ->
          {ok, binary()} | incomplete
        | {error, {decode, {non_neg_integer(), non_neg_integer(), term()}} | inbox_full | stopped}.
service_data(_Handle, _Fb, _Channel, _Framing, _Bin) -> erlang:nif_error(not_loaded).

%% @doc Routes the events this node's resources send to `Resources' (which
%% run on another node) to the local process `Pid', as
%% `{plc_out, Index, Bin}', Index being the resource's position in the
%% system's `resources', at most `Limit' not yet credited back with
%% system_credit/2 (beyond, the sending resource counts a drop). Returns how
%% many events a previous forwarder had not taken (lost with it).
-spec system_route(system(), [binary()], pid(), pos_integer()) -> non_neg_integer().
system_route(_System, _Resources, _Pid, _Limit) -> erlang:nif_error(not_loaded).

%% @doc The forwarder took `N' more events (see system_route/4).
-spec system_credit(system(), non_neg_integer()) -> ok.
system_credit(_System, _N) -> erlang:nif_error(not_loaded).

%% @doc As system_new/2, planning only the resources of `Devices' (a node
%% of a plant that runs a few devices of a large system); the others can
%% not be started from the result. `[]' plans nothing: the info only.
-spec system_new(library(), binary(), [binary()]) -> {ok, system(), system_info()} | {error, [binary()]}.
system_new(_Library, _Name, _Devices) -> erlang:nif_error(not_loaded).
