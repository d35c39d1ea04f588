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
%%% [    5.000s] Crossing.Main Light.CTL.CHANGE RED=FALSE YELLOW=FALSE GREEN=TRUE
%%% [    5.000s] Crossing.Main Lamp_Green writes Q0.2 := TRUE
%%% '''
%%%
%%% Lines `ADDR := TRUE' (or FALSE) on the standard input write process-image
%%% inputs (MIO_IN); so does `--write 6.5 I0.0 TRUE', 6.5 s after the start.
%%% Without `--for' it runs until the VM is stopped.
-module(plc_cli).

-export([main/0, main/1, run/4]).

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
main(_) ->
    usage().

usage() ->
    io:format(standard_error, "usage: plc run [--for SECONDS] [--lib PATH]... [--write SECONDS ADDR VALUE]... SYSTEM_FILE~n", []),
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
                    loop(Start, Deadline, Names),
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

loop(Start, Deadline, Names) ->
    Timeout = case Deadline of
                  infinity -> infinity;
                  _ -> max(0, erlang:convert_time_unit(Deadline - erlang:monotonic_time(), native, millisecond))
              end,
    receive
        {plc_event, Pid, Port, Data} ->
            line(Start, Names, Pid, [Port | [[" ", K, "=", format(V)] || {K, V} <- lists:sort(maps:to_list(Data))]]),
            loop(Start, Deadline, Names);
        {plc_io, Pid, Address, Value} ->
            line(Start, Names, Pid, ["writes ", Address, " := ", format(Value)]),
            loop(Start, Deadline, Names);
        {plc_alarm, Pid, Alarm} ->
            line(Start, Names, Pid, ["alarm ", io_lib:format("~0p", [Alarm])]),
            loop(Start, Deadline, Names);
        {plc_input, Line} ->
            io:format(standard_error, "plc: ~s~n", [Line]),
            loop(Start, Deadline, Names);
        {plc_write, Addr, Value} ->
            line(Start, #{}, "input", [Addr, " := ", format(Value)]),
            write_input(self(), maps:values(Names), Addr, Value),
            loop(Start, Deadline, Names)
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

format(true) -> "TRUE";
format(false) -> "FALSE";
format(B) when is_binary(B) -> ["'", B, "'"];
format(F) when is_float(F) -> float_to_list(F, [short]);
format(I) when is_integer(I) -> integer_to_list(I);
format(Other) -> io_lib:format("~0p", [Other]).

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
