%%% @doc `plc run': runs a system on this Erlang node, with the plc
%%% application, and prints what happens.
%%%
%%% ```
%%% bin/plc run [--for SECONDS] [--lib PATH]... [--write SECONDS ADDR VALUE]... SYSTEM_FILE
%%% '''
%%%
%%% Types come from every .st file in the system file's folder and in each
%%% `--lib' folder (or file); files may use each other's types in any order.
%%% A 4diac `.sys' is loaded with its folder as the type library. Every
%%% resource of the system is started under plc_runtime_sup; every event
%%% output (but START's) and every process-image write is printed with the
%%% time since start:
%%%
%%% ```
%%% [    5.000s] Crossing.Main Light.CTL.CHANGE GREEN=TRUE RED=FALSE YELLOW=FALSE
%%% [    5.000s] Crossing.Main Light.CTL.START_T DT=T#6s
%%% [    5.000s] Crossing.Main Lamp_Green writes Q0.2 := TRUE
%%% '''
%%%
%%% Values are printed as IEC 61131-3 literals of their types as loaded
%%% (`T#1m30s', `TRUE', `'text'', `2.5', `D#2024-01-31'; plc:var_types/1,
%%% so a native block's and a generic port's decided type too; literal/2);
%%% a non-finite REAL as the atom the NIF sends (`infinity',
%%% `neg_infinity', `nan').
%%%
%%% Lines `ADDR := TRUE' (or FALSE) on the standard input write process-image
%%% inputs (MIO_IN); so does `--write 6.5 I0.0 TRUE', 6.5 s after the start.
%%% Without `--for' it runs until the VM is stopped.
%%%
%%% `plc device': this node is a plc device that 4diac IDE deploys to and
%%% monitors, as a FORTE device (plc_mgmt_server):
%%%
%%% ```
%%% bin/plc device [-c HOST:PORT] [-f BOOTFILE] [-k] [-r RETAINDIR]
%%% '''
%%%
%%% `-c' is the address to listen on (default `localhost:61499'; the host
%%% given is the one bound, where FORTE binds every interface). The boot
%%% file is `-f', else the environment variable `PLC_BOOT_FILE', else
%%% `plc.fboot' in the working directory when there is one; it runs before
%%% the port opens. `-k' keeps the configuration: after every deploy step
%%% or online change the device writes its configuration into that boot
%%% file (`plc.fboot' when there is none), atomically, so the node started
%%% again comes back with what was last deployed. `-r' keeps the RETAIN
%%% variables of each resource in `RETAINDIR/Resource' (plc_retain): a node
%%% started again starts them warm. SIGTERM stops the node cleanly (the application
%%% stops its devices and resources); a device KILL from the IDE ends the
%%% node with status 0. The device logs as FORTE does (format/2), one line
%%% per message, `LEVEL: T#<ns since 1970>: text' (INFO, WARNING, ERROR),
%%% so the scripts that read a FORTE device's output (FORTE's system tests
%%% look for `ERROR: T') read a plc device's.
%%%
%%% `plc deploy': sends a boot file to a device command by command, as
%%% 4diac IDE deploys (plc_mgmt_client:replay/3), printing each request and
%%% its response; status 0, or 1 at the first response with a Reason:
%%%
%%% ```
%%% bin/plc deploy [-c HOST:PORT] FILE.fboot
%%% '''
-module(plc_cli).

-export([main/0, main/1, run/4]).
%% Used by run/4, exported for the tests.
-export([literal/2]).
%% The logger formatter of `plc device'.
-export([format/2]).


%% @doc Entry point of `erl -run plc_cli main -extra run ...' (bin/plc).
-spec main() -> no_return().
main() ->
    main(init:get_plain_arguments()).

%% @doc Runs the command line `Args'; halts with 0 on
%% success, 1 on errors in the program, 2 on a usage error.
-spec main([string()]) -> no_return().
main(["run" | Args]) ->
    case parse(Args, #{for => infinity, libs => [], writes => []}) of
        {ok, #{system := System, for := For, libs := Libs, writes := Writes}} ->
            halt(run(System, Libs, For, Writes));
        usage ->
            usage()
    end;
main(["device" | Args]) ->
    case device_args(Args, #{address => "localhost:61499"}) of
        {ok, Opts} ->
            Status = device(Opts),
            %% What the device logged last (the end of a test run) is
            %% written out before the node halts.
            _ = logger_std_h:filesync(default),
            halt(Status);
        usage -> usage()
    end;
main(["deploy" | Args]) ->
    case deploy_args(Args, #{address => "localhost:61499"}) of
        {ok, #{address := Address, file := File}} -> halt(deploy(Address, File));
        usage -> usage()
    end;
main(_) ->
    usage().

deploy_args(["-c", Address | Rest], Acc) -> deploy_args(Rest, Acc#{address => Address});
deploy_args([File], Acc) -> {ok, Acc#{file => File}};
deploy_args(_, _) -> usage.

deploy(Address, File) ->
    Report = fun(N, Dst, Request, Response) ->
                     io:format("~s:~b: ~s;~s~n  -> ~s~n",
                               [File, N, Dst, Request, case Response of closed -> "(closed)"; R -> R end])
             end,
    case plc_mgmt_client:replay(File, Address, Report) of
        {ok, _} ->
            0;
        {error, {N, Why}, _} when is_integer(N) ->
            Text = case Why of
                       missing_separator -> <<"no ';' between destination and request">>;
                       W when is_binary(W) -> W;
                       W -> io_lib:format("~p", [W])
                   end,
            io:format(standard_error, "~s:~b: error: ~s~n", [File, N, Text]),
            1;
        {error, Reason, _} ->
            io:format(standard_error, "~s: error: ~p~n", [File, Reason]),
            1
    end.

device_args(["-c", Address | Rest], Acc) -> device_args(Rest, Acc#{address => Address});
device_args(["-f", File | Rest], Acc) -> device_args(Rest, Acc#{boot_file => File});
device_args(["-k" | Rest], Acc) -> device_args(Rest, Acc#{keep => true});
device_args(["-r", Dir | Rest], Acc) -> device_args(Rest, Acc#{retain_dir => Dir});
device_args([], Acc) -> {ok, Acc};
device_args(_, _) -> usage.

%% The boot file: -f, else PLC_BOOT_FILE, else plc.fboot when present.
boot_file(#{boot_file := File}) -> File;
boot_file(_) ->
    case os:getenv("PLC_BOOT_FILE") of
        File when is_list(File), File =/= "" -> File;
        _ -> case filelib:is_regular("plc.fboot") of
                 true -> "plc.fboot";
                 false -> undefined
             end
    end.

device(Opts = #{address := Address}) ->
    ok = logger:set_handler_config(default, formatter, {?MODULE, #{}}),
    {ok, _} = application:ensure_all_started(plc),
    Boot = boot_file(Opts),
    %% -k keeps the configuration in the boot file it starts from (-f,
    %% PLC_BOOT_FILE, else plc.fboot, created if need be).
    Keep = case maps:get(keep, Opts, false) of
               true when Boot =:= undefined -> "plc.fboot";
               true -> Boot;
               false -> undefined
           end,
    case plc:serve_management(Address, maps:merge(#{boot_file => Boot, keep => Keep}, maps:with([retain_dir], Opts))) of
        {ok, undefined} ->
            0;  % the boot file killed the device
        {ok, Pid} ->
            Ref = erlang:monitor(process, Pid),
            %% A boot file whose STEST_END fires at START may end the
            %% device before it is asked its address.
            try plc_mgmt_server:address(Pid) of
                {Ip, Port} -> io:format("plc device listening on ~s:~b~n", [inet:ntoa(Ip), Port])
            catch
                exit:_ -> ok
            end,
            receive {'DOWN', Ref, process, Pid, _} -> 0 end;
        {error, Reason} ->
            io:format(standard_error, "plc device: ~p~n", [Reason]),
            1
    end.

%% @doc A logger formatter: a log event as a line of FORTE's log
%% (src/arch/devlog.cpp), `ERROR: T#1733112000123456000: text\n', the
%% text on one line, the time the event's (microseconds) in ns.
-spec format(logger:log_event(), logger:formatter_config()) -> unicode:chardata().
format(Event = #{level := Level, meta := Meta}, _Config) ->
    Text = logger_formatter:format(Event, #{single_line => true, template => [msg]}),
    Us = maps:get(time, Meta, logger:timestamp()),
    [forte_level(Level), ": T#", integer_to_list(Us * 1000), ": ", Text, "\n"].

forte_level(debug) -> "DEBUG";
forte_level(L) when L =:= info; L =:= notice -> "INFO";
forte_level(warning) -> "WARNING";
forte_level(_) -> "ERROR".

usage() ->
    io:format(standard_error, "usage: plc run [--for SECONDS] [--lib PATH]... [--write SECONDS ADDR VALUE]... SYSTEM_FILE~n"
                              "       plc device [-c HOST:PORT] [-f BOOTFILE] [-k] [-r RETAINDIR]~n"
                              "       plc deploy [-c HOST:PORT] FILE.fboot~n", []),
    halt(2).

parse(["--for", S | Rest], Acc) ->
    case seconds(S) of
        {ok, T} when T > 0 -> parse(Rest, Acc#{for => T});
        _ -> usage
    end;
parse(["--write", S, Addr, V | Rest], Acc = #{writes := Ws}) ->
    case {seconds(S), string:uppercase(V)} of
        {{ok, T}, "TRUE"} -> parse(Rest, Acc#{writes => Ws ++ [{T, list_to_binary(Addr), true}]});
        {{ok, T}, "FALSE"} -> parse(Rest, Acc#{writes => Ws ++ [{T, list_to_binary(Addr), false}]});
        _ -> usage
    end;
parse(["--lib", L | Rest], Acc = #{libs := Libs}) ->
    parse(Rest, Acc#{libs => Libs ++ [L]});
parse([[$- | _] | _], _Acc) ->
    usage;
parse([System | Rest], Acc) when not is_map_key(system, Acc) ->
    parse(Rest, Acc#{system => System});
parse([], Acc = #{system := _}) ->
    {ok, Acc};
parse(_, _) ->
    usage.

seconds(S) ->
    case string:to_float(S) of
        {F, ""} when F >= 0 -> {ok, F};
        _ ->
            case string:to_integer(S) of
                {I, ""} when I >= 0 -> {ok, I};
                _ -> error
            end
    end.

%% @doc Loads and runs `SystemFile' for `For' seconds (or forever), with
%% process-image inputs written at given times; the exit status: 0, or 1
%% when the program does not load.
-spec run(file:filename(), [file:filename()], number() | infinity, [{number(), binary(), boolean()}]) -> 0 | 1.
run(SystemFile, Libs, For, Writes) ->
    {ok, _} = application:ensure_all_started(plc),
    case load(SystemFile, Libs) of
        {ok, Name} ->
            Start = erlang:monotonic_time(),
            case plc:start_system(Name, #{subscribers => [self()], observe => all}) of
                {ok, Resources} ->
                    io:format("system ~s: ~b resource~s~n",
                              [Name, map_size(Resources), plural(map_size(Resources))]),
                    Names = maps:from_list([{Pid, Id} || {Id, Pid} <- maps:to_list(Resources)]),
                    Self = self(),
                    spawn_link(fun() -> read_inputs(Self, maps:keys(Resources)) end),
                    [erlang:send_after(round(T * 1000), self(), {plc_write, Addr, V}) || {T, Addr, V} <- Writes],
                    Deadline = case For of
                                   infinity -> infinity;
                                   _ -> Start + erlang:convert_time_unit(round(For * 1000), millisecond, native)
                               end,
                    Vars = maps:from_list([{Pid, var_types(Pid)} || Pid <- maps:values(Resources)]),
                    loop(Start, Deadline, Names, Vars),
                    ok = plc:stop_system(Name),
                    0;
                {error, {Resource, Reason}} ->
                    io:format(standard_error, "~s: error: resource ~s: ~s~n", [SystemFile, Resource, reason(Reason)]),
                    1;
                {error, Errors} ->
                    print_errors(Errors),
                    1
            end;
        error ->
            1
    end.

%%% Loading

load(SystemFile, Libs) ->
    case filename:extension(SystemFile) of
        ".sys" -> load_4diac(SystemFile, Libs);
        _ -> load_text(SystemFile, Libs)
    end.

load_4diac(SystemFile, Libs) ->
    case plc:load_4diac(SystemFile, Libs) of
        {ok, #{systems := [Name | _], warnings := W}} ->
            print_errors(W),
            {ok, Name};
        {ok, _} ->
            io:format(standard_error, "~s: error: the file defines no System~n", [SystemFile]),
            error;
        {error, Errors} ->
            print_errors(Errors),
            error
    end.

load_text(SystemFile, Libs) ->
    Dir = filename:dirname(SystemFile),
    Files = lists:usort([filename:absname(F) || P <- [Dir | Libs], F <- st_files(P)]
                        ++ [filename:absname(SystemFile)]),
    case read_all(Files) of
        {ok, Sources} ->
            case compile_all(Sources, []) of
                {ok, Results} ->
                    [print_errors(W) || {_, #{warnings := W}} <- Results],
                    Target = filename:absname(SystemFile),
                    case [S || {F, #{systems := [S | _]}} <- Results, F =:= Target] of
                        [Name] -> {ok, Name};
                        [] ->
                            io:format(standard_error, "~s: error: the file defines no SYSTEM~n", [SystemFile]),
                            error
                    end;
                {error, Errors} ->
                    print_errors(Errors),
                    error
            end;
        error ->
            error
    end.

st_files(Path) ->
    case filelib:is_dir(Path) of
        true -> lists:sort(filelib:wildcard(filename:join(Path, "*.st")));
        false -> [Path]
    end.

read_all(Files) ->
    Read = [{F, file:read_file(F)} || F <- Files],
    case [F || {F, {error, _}} <- Read] of
        [] -> {ok, [{F, Text} || {F, {ok, Text}} <- Read]};
        Bad ->
            [io:format(standard_error, "~s: error: cannot read the file~n", [F]) || F <- Bad],
            error
    end.

%% Compiles every file, retrying those that failed while others succeed,
%% so files may use each other's types in any order.
compile_all([], Done) ->
    {ok, lists:reverse(Done)};
compile_all(Pending, Done) ->
    Results = [{F, T, plc:compile(relative(F), T)} || {F, T} <- Pending],
    Ok = [{F, Info} || {F, _, {ok, Info}} <- Results],
    Failed = [{F, T, E} || {F, T, {error, E}} <- Results],
    case {Ok, Failed} of
        {_, []} -> {ok, lists:reverse(Done, Ok)};
        {[], _} -> {error, lists:append([E || {_, _, E} <- Failed])};
        _ -> compile_all([{F, T} || {F, T, _} <- Failed], lists:reverse(Ok, Done))
    end.

relative(File) ->
    {ok, Cwd} = file:get_cwd(),
    unicode:characters_to_binary(case string:prefix(File, Cwd ++ "/") of
                                     nomatch -> File;
                                     Rel -> Rel
                                 end).

%%% Running

loop(Start, Deadline, Names, Vars) ->
    Timeout = case Deadline of
                  infinity -> infinity;
                  _ -> max(0, erlang:convert_time_unit(Deadline - erlang:monotonic_time(), native, millisecond))
              end,
    receive
        {plc_event, Pid, Port, Data} ->
            {Fb, _Event} = plc:split_name(Port),
            Declared = maps:get(Fb, maps:get(Pid, Vars, #{}), #{}),
            line(Start, Names, Pid, [Port | [[" ", K, "=", literal(type_of(K, Declared), V)]
                                             || {K, V} <- lists:sort(maps:to_list(Data))]]),
            loop(Start, Deadline, Names, Vars);
        {plc_io, Pid, Address, Value} ->
            line(Start, Names, Pid, ["writes ", Address, " := ", literal(undefined, Value)]),
            loop(Start, Deadline, Names, Vars);
        {plc_alarm, Pid, Alarm} ->
            line(Start, Names, Pid, ["alarm ", io_lib:format("~0p", [Alarm])]),
            loop(Start, Deadline, Names, Vars);
        {plc_input, Line} ->
            io:format(standard_error, "plc: ~s~n", [Line]),
            loop(Start, Deadline, Names, Vars);
        {plc_write, Addr, Value} ->
            line(Start, #{}, "input", [Addr, " := ", literal(<<"BOOL">>, Value)]),
            write_input(self(), maps:values(Names), Addr, Value),
            loop(Start, Deadline, Names, Vars)
    after Timeout ->
        ok
    end.

line(Start, Names, Pid, Text) ->
    Ms = erlang:convert_time_unit(erlang:monotonic_time() - Start, native, microsecond),
    Name = case Pid of
               "input" -> Pid;
               _ -> maps:get(Pid, Names, pid_to_list(Pid))
           end,
    io:format("[~10.3fs] ~s ~s~n", [Ms / 1.0e6, Name, Text]).

%%% Values as literals

%% @doc `Value', as the NIF delivers it, written as an IEC 61131-3 literal
%% of the type `Type' (an upper-case type name, or `undefined' when the
%% type is not known: then the Erlang term decides). TIME, DATE,
%% TIME_OF_DAY and DATE_AND_TIME arrive as nanoseconds and are written as
%% the engine writes them (runtime/data_type.cc, format_value).
-spec literal(binary() | undefined, term()) -> iodata().
literal(_, infinity) -> "infinity";
literal(_, neg_infinity) -> "neg_infinity";
literal(_, nan) -> "nan";
literal(_, true) -> "TRUE";
literal(_, false) -> "FALSE";
literal(T, Ns) when is_integer(Ns), T =:= <<"TIME">> orelse T =:= <<"LTIME">> -> duration(Ns);
literal(T, Ns) when is_integer(Ns), T =:= <<"DATE">> orelse T =:= <<"D">> orelse T =:= <<"LDATE">> ->
    {{Y, Mo, D}, _} = date_time(Ns),
    io_lib:format("D#~4..0b-~2..0b-~2..0b", [Y, Mo, D]);
literal(T, Ns) when is_integer(Ns), T =:= <<"TIME_OF_DAY">> orelse T =:= <<"TOD">> orelse T =:= <<"LTOD">> ->
    {_, {H, Mi, S, F}} = date_time(Ns),
    io_lib:format("TOD#~2..0b:~2..0b:~2..0b.~9..0b", [H, Mi, S, F]);
literal(T, Ns) when is_integer(Ns), T =:= <<"DATE_AND_TIME">> orelse T =:= <<"DT">> orelse T =:= <<"LDT">> ->
    {{Y, Mo, D}, {H, Mi, S, F}} = date_time(Ns),
    io_lib:format("DT#~4..0b-~2..0b-~2..0b-~2..0b:~2..0b:~2..0b.~9..0b", [Y, Mo, D, H, Mi, S, F]);
literal(<<"WSTRING">>, B) when is_binary(B) -> [$", escape(B, $"), $"];
literal(_, B) when is_binary(B) -> [$', escape(B, $'), $'];
literal(_, F) when is_float(F) -> float_to_list(F, [short]);
literal(T, I) when is_integer(I), is_binary(T) -> integer(T, I);
literal(_, I) when is_integer(I) -> integer_to_list(I);
literal(_, Other) -> io_lib:format("~0p", [Other]).

%% T#1d2h3m4s5ms6us7ns, the units that are zero left out; T#0s.
duration(0) -> "T#0s";
duration(Ns) when Ns < 0 -> ["T#-" | tl(tl(duration(-Ns)))];
duration(Ns) ->
    Units = [{86400000000000, "d"}, {3600000000000, "h"}, {60000000000, "m"}, {1000000000, "s"},
             {1000000, "ms"}, {1000, "us"}, {1, "ns"}],
    {Parts, 0} = lists:mapfoldl(fun({Size, Name}, N) when N >= Size -> {[integer_to_list(N div Size), Name], N rem Size};
                                   (_, N) -> {[], N}
                                end, Ns, Units),
    ["T", "#" | Parts].

%% Nanoseconds since 1970-01-01-00:00:00 -> {{Y, M, D}, {H, M, S, Nanoseconds}}.
date_time(Ns) ->
    NsPerDay = 86400000000000,
    Days = floor_div(Ns, NsPerDay),
    InDay = Ns - Days * NsPerDay,
    Date = calendar:gregorian_days_to_date(Days + calendar:date_to_gregorian_days({1970, 1, 1})),
    Sec = InDay div 1000000000,
    {Date, {Sec div 3600, Sec div 60 rem 60, Sec rem 60, InDay rem 1000000000}}.

floor_div(A, B) when A >= 0 -> A div B;
floor_div(A, B) -> -((-A + B - 1) div B).

%% Bit strings in hexadecimal (16#FF), numbers in decimal.
integer(T, I) when T =:= <<"BYTE">>; T =:= <<"WORD">>; T =:= <<"DWORD">>; T =:= <<"LWORD">> ->
    ["16#", integer_to_list(I, 16)];
integer(_, I) ->
    integer_to_list(I).

%% '$' escapes in a string literal: $$, $' (or $"), $N and $T, $hh otherwise.
escape(B, Quote) ->
    [case C of
         $$ -> "$$";
         Quote -> [$$, Quote];
         $\n -> "$N";
         $\t -> "$T";
         _ when C < 32 -> io_lib:format("$~2.16.0B", [C]);
         _ -> C
     end || <<C>> <= B].

%%% Variable types

%% FB name -> variable -> type, for one running resource, as loaded.
var_types(Pid) ->
    case plc:var_types(Pid) of
        {ok, Types} -> Types;
        {error, _} -> #{}
    end.

type_of(Var, Declared) ->
    maps:get(Var, Declared, undefined).

%% Turns `ADDR := TRUE' lines of the standard input into process-image writes.
read_inputs(Cli, Resources) ->
    case io:get_line(standard_io, "") of
        eof -> ok;
        {error, _} -> ok;
        Line ->
            case string:split(string:trim(Line), ":=") of
                [Addr0, Value0] ->
                    Addr = unicode:characters_to_binary(string:trim(Addr0)),
                    case string:uppercase(string:trim(Value0)) of
                        "TRUE" -> write_input(Cli, Resources, Addr, true);
                        "FALSE" -> write_input(Cli, Resources, Addr, false);
                        _ -> Cli ! {plc_input, ["not a BOOL value: ", Line]}
                    end;
                _ ->
                    ok
            end,
            read_inputs(Cli, Resources)
    end.

write_input(Cli, Resources, Addr, Value) ->
    case lists:any(fun(R) -> plc:write_input(R, Addr, Value) =:= ok end, Resources) of
        true -> ok;
        false -> Cli ! {plc_input, ["no input point '", Addr, "'"]}
    end.

print_errors(Errors) ->
    [io:format(standard_error, "~s~n", [E]) || E <- Errors],
    ok.

reason({invalid_network, Errors}) -> lists:join("; ", Errors);
reason(Other) -> io_lib:format("~0p", [Other]).

plural(1) -> "";
plural(_) -> "s".
