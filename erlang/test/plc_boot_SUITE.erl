%%% @doc Common Test suite of boot files on `bin/plc device -f FILE', run
%%% as FORTE's system tests run `forte -f FILE': the device is an OS process
%%% (`erl -run plc_cli main -extra device ...', what bin/plc runs), and each
%%% case judges its exit status and output as FORTE's CTest harness does
%%% (systemtests/CMakeLists.txt, buildsupport/forte.cmake):
%%%
%%% - hard: passes when the exit status is 0 and the output has no
%%%   `ERROR: T' (no error was logged);
%%% - soft: passes when the exit status is 0 and the output has no
%%%   `TEST_CONDITION_FAILED';
%%% - a PASS regex (missing_semicolon, unknown_FB): passes when the output
%%%   has it;
%%% - the CSV writer tests (csvWriter/CMakeLists.txt, csvWritertTest.cmake):
%%%   exit status 0, the CSV file there or not, and its exact content.
%%%
%%% Each case also checks the TEST_CONDITION lines the run printed, in
%%% order (`[TEST_CONDITION_PASSED] FB passed', `[TEST_CONDITION_FAILED]
%%% FB failed'). The boot files are FORTE's, unchanged
%%% (plc_boot_SUITE_data/forte_systemtests/NOTICE). Not run here:
%%% deInit_commFb.fboot (it needs FORTE's communication FBs SERVER_0,
%%% CLIENT_0, PUBLISH_0, SUBSCRIBE_0), FORTE's
%%% FORTE_BOOT_FILE_FAIL_MISSING and command-line tests (plc has no such
%%% variable; its usage text is its own).
%%%
%%% stopwatch_loop: bench/fboot/stopwatch_loop.fboot, the E_STOPWATCH-timed
%%% counter/E_SWITCH loop of the issue's benchmark, with 100 000 iterations
%%% instead of 50 million: it prints `CV = 100000' and a TD line and exits 0.
-module(plc_boot_SUITE).

-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_testcase/2, end_per_testcase/2]).
-export([hard_pass_example/1, soft_pass_example/1, fail_example/1, missing_semicolon/1, unknown_fb/1,
         boot_file_from_the_environment/1, boot_file_in_the_working_directory/1,
         csv_writer_normal_execution/1, csv_writer_open_and_no_close/1, csv_writer_double_init/1,
         csv_writer_init_deinit_no_write/1, csv_writer_close_not_opened/1, csv_writer_write_qi_false/1,
         csv_writer_write_without_init/1, csv_writer_normal_execution_multiple/1, csv_writer_no_name_file/1,
         stopwatch_loop/1, sigterm_stops_the_device/1, device_kill_ends_the_node/1,
         boot_file_option_before_the_environment/1, a_missing_boot_file_starts_an_empty_device/1]).

-define(TIMEOUT_MS, 30000).  % FORTE's tests allow 5 s; a VM start and a loaded CI machine need more

all() ->
    [hard_pass_example, soft_pass_example, fail_example, missing_semicolon, unknown_fb,
     boot_file_from_the_environment, boot_file_in_the_working_directory,
     csv_writer_normal_execution, csv_writer_open_and_no_close, csv_writer_double_init,
     csv_writer_init_deinit_no_write, csv_writer_close_not_opened, csv_writer_write_qi_false,
     csv_writer_write_without_init, csv_writer_normal_execution_multiple, csv_writer_no_name_file,
     stopwatch_loop, sigterm_stops_the_device, device_kill_ends_the_node,
     boot_file_option_before_the_environment, a_missing_boot_file_starts_an_empty_device].

%% Every case runs its device in a working directory of its own.
init_per_testcase(Case, Config) ->
    Dir = filename:join(proplists:get_value(priv_dir, Config), atom_to_list(Case)),
    ok = filelib:ensure_path(Dir),
    [{work_dir, Dir} | Config].

end_per_testcase(_Case, _Config) ->
    ok.

%%% FORTE's systemtests/CMakeLists.txt

%% Test_Hard_Pass and Test_Soft_Pass_Clean.
hard_pass_example(Config) ->
    Run = device(Config, "hard_pass_example.fboot"),
    ?assert(hard(Run)),
    ?assert(soft(Run)),
    ?assertEqual([{passed, <<"SHOULD_NOT_FAIL">>}], conditions(Run)).

%% Test_Soft_Pass_Dirty passes; Test_Soft_Example_As_Hard_Inverted
%% (WILL_FAIL) fails as hard: F_MUX_2's K = 2 is logged as an error.
soft_pass_example(Config) ->
    Run = device(Config, "soft_pass_example.fboot"),
    ?assert(soft(Run)),
    ?assertNot(hard(Run)),
    ?assertEqual([{passed, <<"NOT_ZERO">>}], conditions(Run)),
    ?assertMatch({match, _}, re:run(output(Run), <<"ERROR: T#[0-9]+: .*K is not between 0 and 1">>)).

%% Test_Hard_Fail_Alaways_Inverted and Test_Soft_Fail_Alaways_Inverted
%% (WILL_FAIL): fails both ways.
fail_example(Config) ->
    Run = device(Config, "fail_example.fboot"),
    ?assertNot(hard(Run)),
    ?assertNot(soft(Run)),
    ?assertEqual(0, status(Run)),
    ?assertEqual([{failed, <<"SHOULD_FAIL_1">>}, {passed, <<"SHOULD_NOT_FAIL">>}, {failed, <<"SHOULD_FAIL_2">>}],
                 conditions(Run)).

%% Test_missing_semicolon: the lines before the last one ran (the test
%% passed and STEST_END ended the device).
missing_semicolon(Config) ->
    Run = device(Config, "missing_semicolon.fboot"),
    ?assertMatch({match, _}, re:run(output(Run), <<"Boot file line does not contain separating ';'. Line: 12">>)),
    ?assertEqual([{passed, <<"SHOULD_NOT_FAIL">>}], conditions(Run)),
    ?assertEqual(0, status(Run)).

%% Test_missing_unknown_FB.
unknown_fb(Config) ->
    Run = device(Config, "unknown_FB.fboot"),
    ?assertMatch({match, _}, re:run(output(Run), <<"Boot file command could not be executed. Line: 12">>)),
    ?assertEqual([{passed, <<"SHOULD_NOT_FAIL">>}], conditions(Run)),
    ?assertEqual(0, status(Run)).

%% Test_Hard_Pass_ENV, with plc's variable PLC_BOOT_FILE for FORTE_BOOT_FILE.
boot_file_from_the_environment(Config) ->
    Run = device(Config, [], [{"PLC_BOOT_FILE", systemtest("hard_pass_example.fboot")}]),
    ?assert(hard(Run)),
    ?assertEqual([{passed, <<"SHOULD_NOT_FAIL">>}], conditions(Run)).

%% Test_Hard_Pass_LOCAL, with plc.fboot for forte.fboot.
boot_file_in_the_working_directory(Config) ->
    {ok, _} = file:copy(systemtest("hard_pass_example.fboot"),
                        filename:join(proplists:get_value(work_dir, Config), "plc.fboot")),
    Run = device(Config, [], []),
    ?assert(hard(Run)),
    ?assertEqual([{passed, <<"SHOULD_NOT_FAIL">>}], conditions(Run)).

%%% FORTE's systemtests/src/modules/utils/csvWriter/CMakeLists.txt:
%%% ADD_CSVWRITE_TEST(Name Boot CsvFile ShouldExist Content IsHard Timeout)

csv_writer_normal_execution(Config) ->
    csv(Config, "normalExecution.fboot", "csvWriteTest.csv", {exists, <<"'csvFirstValue'; \n">>}, hard),
    ?assertEqual([{passed, <<"NormalExecution.InitTest">>}, {passed, <<"NormalExecution.writeNormal">>},
                  {passed, <<"NormalExecution.DeInitTest">>}], conditions(last_run())).

csv_writer_open_and_no_close(Config) ->
    csv(Config, "openAndNoClose.fboot", "csvWriteTest.csv", {exists, <<>>}, hard),
    ?assertEqual([], conditions(last_run())).

csv_writer_double_init(Config) ->
    csv(Config, "doubleInit.fboot", "csvWriteTest.csv", {exists, <<>>}, soft),
    ?assertEqual([{passed, <<"DoubleInit.DoubleInit1">>}, {passed, <<"DoubleInit.DoubleInit2">>}],
                 conditions(last_run())).

csv_writer_init_deinit_no_write(Config) ->
    csv(Config, "initDeinitNoWrite.fboot", "csvWriteTest.csv", {exists, <<>>}, hard),
    ?assertEqual([{passed, <<"InitDeinitNoWrite.InitTest">>}, {passed, <<"InitDeinitNoWrite.DeInitTest">>}],
                 conditions(last_run())).

csv_writer_close_not_opened(Config) ->
    csv(Config, "closeNotOpened.fboot", "csvWriteTest.csv", absent, soft),
    ?assertEqual([{passed, <<"closeNotOpenedFile.DeInitTest">>}], conditions(last_run())).

csv_writer_write_qi_false(Config) ->
    csv(Config, "writeQIFalse.fboot", "csvWriteTest.csv", {exists, <<>>}, soft),
    ?assertEqual([{passed, <<"writeQIFalse.InitTest">>}, {passed, <<"writeQIFalse.writeQIFalse">>}],
                 conditions(last_run())).

csv_writer_write_without_init(Config) ->
    csv(Config, "writeWithoutInit.fboot", "csvWriteTest.csv", absent, soft),
    ?assertEqual([{passed, <<"writeWithoutInit.DeInitTest">>}], conditions(last_run())).

csv_writer_normal_execution_multiple(Config) ->
    csv(Config, "normalExecutionMultiple.fboot", "csvWriteTest.csv",
        {exists, <<"'csvFirstValue'; TRUE; 1; \n'csvFirstValue'; FALSE; 2; \n">>}, hard),
    ?assertEqual([{passed, <<"NormalExecutionMultiple.InitTest">>},
                  {passed, <<"NormalExecutionMultiple.writeNormal">>},
                  {passed, <<"NormalExecutionMultiple.writeNormal">>},
                  {passed, <<"NormalExecutionMultiple.DeInitTest">>}], conditions(last_run())).

%% Test_CSV_Writer_noNameFile_soft runs writeWithoutInit.fboot (sic) and
%% checks that noNameFile.csv is not there.
csv_writer_no_name_file(Config) ->
    csv(Config, "writeWithoutInit.fboot", "noNameFile.csv", absent, soft).

%%% The benchmark's boot file, shortened

stopwatch_loop(Config) ->
    Dir = proplists:get_value(work_dir, Config),
    {ok, Text} = file:read_file(filename:join(repository(), "bench/fboot/stopwatch_loop.fboot")),
    Short = binary:replace(Text, <<"UDINT#50000000">>, <<"UDINT#100000">>),
    ?assertNotEqual(Text, Short),
    File = filename:join(Dir, "stopwatch_loop_100k.fboot"),
    ok = file:write_file(File, Short),
    Run = device(Config, ["-f", File], []),
    ?assert(hard(Run)),
    Lines = binary:split(output(Run), <<"\n">>, [global]),
    ?assertMatch([_], [L || L <- Lines, re:run(L, <<"^INFO: T#[0-9]{19}:  CV = 100000$">>) =/= nomatch]),
    ?assertMatch([_], [L || L <- Lines, re:run(L, <<"^INFO: T#[0-9]{19}:  TD = T#[0-9]+[a-z]+">>) =/= nomatch]).

%%% Ending a device

%% SIGTERM (what a service manager sends): the device stops its
%% resources and the node exits 0.
sigterm_stops_the_device(Config) ->
    {Port, Address, _} = running_device(Config, ["-f", running_boot_file(Config)]),
    {os_pid, Pid} = erlang:port_info(Port, os_pid),
    ?assertMatch({ok, _}, query_resources(Address)),
    _ = os:cmd("kill -TERM " ++ integer_to_list(Pid)),
    Run = collect(Port, [], erlang:monotonic_time(millisecond) + ?TIMEOUT_MS),
    ct:log("~ts~nexit status ~p", [output(Run), status(Run)]),
    ?assertEqual(0, status(Run)).

%% A device KILL from a client (the IDE's Kill device): no answer, the
%% connection closes, the node exits 0.
device_kill_ends_the_node(Config) ->
    {Port, Address, _} = running_device(Config, ["-f", running_boot_file(Config)]),
    {ok, C} = plc_mgmt_client:connect(Address),
    ?assertMatch({error, _}, plc_mgmt_client:request(C, <<>>, <<"<Request ID=\"9\" Action=\"KILL\"></Request>">>)),
    Run = collect(Port, [], erlang:monotonic_time(millisecond) + ?TIMEOUT_MS),
    ct:log("~ts~nexit status ~p", [output(Run), status(Run)]),
    ?assertEqual(0, status(Run)).

%% -f wins over PLC_BOOT_FILE, which wins over plc.fboot (FORTE: -f, then
%% FORTE_BOOT_FILE, then forte.fboot).
boot_file_option_before_the_environment(Config) ->
    Dir = proplists:get_value(work_dir, Config),
    Boot = fun(Name, Res) ->
                   File = filename:join(Dir, Name),
                   ok = file:write_file(File, [";<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"", Res,
                                               "\" Type=\"EMB_RES\" /></Request>\n"]),
                   File
           end,
    _ = Boot("plc.fboot", "FROM_CWD"),
    Env = Boot("env.fboot", "FROM_ENV"),
    Opt = Boot("opt.fboot", "FROM_OPTION"),
    Resources = fun(Args, Environment) ->
                        {Port, Address, _} = running_device(Config, Args, Environment),
                        {ok, Text} = query_resources(Address),
                        {os_pid, Pid} = erlang:port_info(Port, os_pid),
                        _ = os:cmd("kill -TERM " ++ integer_to_list(Pid)),
                        _ = collect(Port, [], erlang:monotonic_time(millisecond) + ?TIMEOUT_MS),
                        {match, [Name]} = re:run(Text, "<FB name=\"([A-Z_]+)\"", [{capture, all_but_first, binary}]),
                        Name
                end,
    ?assertEqual(<<"FROM_OPTION">>, Resources(["-f", Opt], [{"PLC_BOOT_FILE", Env}])),
    ?assertEqual(<<"FROM_ENV">>, Resources([], [{"PLC_BOOT_FILE", Env}])),
    ?assertEqual(<<"FROM_CWD">>, Resources([], [])).

%% FORTE skips a boot file that is not there: the device serves, empty,
%% with a warning (no `ERROR: T', which would fail a hard test).
a_missing_boot_file_starts_an_empty_device(Config) ->
    {Port, Address, Early} = running_device(Config, ["-f", "no_such.fboot"]),
    ?assertMatch({match, _}, re:run(Early, <<"WARNING: T#[0-9]+: plc device: no boot file no_such.fboot">>)),
    ?assertEqual(nomatch, re:run(Early, <<"ERROR: T">>)),
    ?assertEqual({ok, <<"<Response ID=\"1\" />">>}, query_resources(Address)),
    {os_pid, Pid} = erlang:port_info(Port, os_pid),
    _ = os:cmd("kill -TERM " ++ integer_to_list(Pid)),
    ?assertEqual(0, status(collect(Port, [], erlang:monotonic_time(millisecond) + ?TIMEOUT_MS))).

%% A boot file whose resource runs and never ends the device.
running_boot_file(Config) ->
    File = filename:join(proplists:get_value(work_dir, Config), "running.fboot"),
    ok = file:write_file(File, [
        ";<Request ID=\"1\" Action=\"CREATE\"><FB Name=\"R\" Type=\"EMB_RES\" /></Request>\n",
        "R;<Request ID=\"2\" Action=\"CREATE\"><FB Name=\"CYC\" Type=\"E_CYCLE\" /></Request>\n",
        "R;<Request ID=\"3\" Action=\"WRITE\"><Connection Source=\"T#10ms\" Destination=\"CYC.DT\" /></Request>\n",
        "R;<Request ID=\"4\" Action=\"CREATE\"><Connection Source=\"START.COLD\" Destination=\"CYC.START\" /></Request>\n",
        "R;<Request ID=\"5\" Action=\"START\"/>\n"]),
    File.

query_resources(Address) ->
    {ok, C} = plc_mgmt_client:connect(Address),
    {ok, Text, C1} = plc_mgmt_client:request(C, <<>>, <<"<Request ID=\"1\" Action=\"QUERY\"><FB Name=\"*\" Type=\"*\"/></Request>">>),
    ok = plc_mgmt_client:close(C1),
    {ok, Text}.

%%% Running a device

%% bin/plc device -c localhost:0 Args, running: its port, the address it
%% printed that it listens on, and what it printed up to then.
running_device(Config, Args) ->
    running_device(Config, Args, []).

running_device(Config, Args, Env) ->
    Ebin = filename:dirname(code:which(plc_cli)),
    Port = open_port({spawn_executable, os:find_executable("erl")},
                     [{args, ["-noshell", "-pa", Ebin, "-run", "plc_cli", "main", "-extra", "device",
                              "-c", "localhost:0" | Args]},
                      {cd, proplists:get_value(work_dir, Config)},
                      {env, [{"PLC_BOOT_FILE", false} | Env]},
                      exit_status, stderr_to_stdout, binary, use_stdio]),
    {Address, Output} = listening(Port, <<>>, erlang:monotonic_time(millisecond) + ?TIMEOUT_MS),
    {Port, Address, Output}.

listening(Port, Acc, Deadline) ->
    case re:run(Acc, "plc device listening on ([0-9.]+:[0-9]+)", [{capture, all_but_first, list}]) of
        {match, [Address]} ->
            {Address, Acc};
        nomatch ->
            receive
                {Port, {data, Data}} -> listening(Port, <<Acc/binary, Data/binary>>, Deadline);
                {Port, {exit_status, Status}} -> ct:fail({exited, Status, Acc})
            after max(0, Deadline - erlang:monotonic_time(millisecond)) ->
                    ct:fail({not_listening, Acc})
            end
    end.

%% A run of FORTE's boot file `Name'.
device(Config, Name) ->
    device(Config, ["-f", systemtest(Name)], []).

%% bin/plc device -c localhost:0 Args, in the case's directory, with Env:
%% {ExitStatus, Output}, the standard output and error together.
device(Config, Args, Env) ->
    Ebin = filename:dirname(code:which(plc_cli)),
    Erl = os:find_executable("erl"),
    Port = open_port({spawn_executable, Erl},
                     [{args, ["-noshell", "-pa", Ebin, "-run", "plc_cli", "main", "-extra", "device",
                              "-c", "localhost:0" | Args]},
                      {cd, proplists:get_value(work_dir, Config)},
                      {env, [{"PLC_BOOT_FILE", false} | Env]},
                      exit_status, stderr_to_stdout, binary, use_stdio]),
    Deadline = erlang:monotonic_time(millisecond) + ?TIMEOUT_MS,
    Run = collect(Port, [], Deadline),
    ct:log("~ts~nexit status ~p", [output(Run), status(Run)]),
    put(last_run, Run),
    Run.

collect(Port, Acc, Deadline) ->
    receive
        {Port, {data, Data}} -> collect(Port, [Acc, Data], Deadline);
        {Port, {exit_status, Status}} -> {Status, iolist_to_binary(Acc)}
    after max(0, Deadline - erlang:monotonic_time(millisecond)) ->
            {os_pid, Pid} = erlang:port_info(Port, os_pid),
            _ = os:cmd("kill -9 " ++ integer_to_list(Pid)),
            ct:fail({timeout, iolist_to_binary(Acc)})
    end.

last_run() -> get(last_run).

status({Status, _}) -> Status.
output({_, Output}) -> Output.

%% FORTE's forte_add_systemtest_hard and forte_add_systemtest_soft.
hard(Run) -> status(Run) =:= 0 andalso re:run(output(Run), <<"ERROR: T|==ERROR">>) =:= nomatch.
soft(Run) -> status(Run) =:= 0 andalso re:run(output(Run), <<"TEST_CONDITION_FAILED|==ERROR">>) =:= nomatch.

%% The TEST_CONDITION lines, in order.
conditions(Run) ->
    case re:run(output(Run), <<"\\[TEST_CONDITION_(PASSED|FAILED)\\] (\\S+) (passed|failed)">>,
                [global, {capture, [1, 2], binary}]) of
        {match, Ms} -> [{case P of <<"PASSED">> -> passed; <<"FAILED">> -> failed end, Fb} || [P, Fb] <- Ms];
        nomatch -> []
    end.

%% ADD_CSVWRITE_TEST: the verdict of csvWritertTest.cmake, then hard or soft.
csv(Config, Boot, CsvName, Expected, Kind) ->
    Csv = filename:join(proplists:get_value(work_dir, Config), CsvName),
    _ = file:delete(Csv),
    Run = device(Config, Boot),
    ?assertEqual(0, status(Run)),
    case Expected of
        absent -> ?assertEqual({error, enoent}, file:read_file(Csv));
        {exists, Content} -> ?assertEqual({ok, Content}, file:read_file(Csv))
    end,
    case Kind of
        hard -> ?assert(hard(Run));
        soft -> ?assert(soft(Run))
    end.

systemtest(Name) ->
    filename:join([repository(), "erlang/test/plc_boot_SUITE_data/forte_systemtests", Name]).

%% The repository this suite's source is in.
repository() ->
    Source = proplists:get_value(source, ?MODULE:module_info(compile)),
    filename:dirname(filename:dirname(filename:dirname(Source))).
