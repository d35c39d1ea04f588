#!/usr/bin/env escript
%%! -noshell
%%% make demo: starts the plc application and shows events flowing through
%%% a small IEC 61499 network, then exits by itself.
%%%
%%%   START.COLD -> TICK (E_SPLIT) --EO1--> SLOW (E_CTU, PV 2)
%%%                                 --EO2--> FAST (E_CTU, PV 4)
%%% Every injected TICK.EI counts both counters; their CUO events (with Q
%%% and CV) come back to this process as Erlang messages.
-mode(compile).

main([Ebin]) ->
    true = code:add_patha(Ebin),
    {ok, _} = application:ensure_all_started(plc),
    Net = #{fbs => [{<<"TICK">>, <<"E_SPLIT">>, []},
                    {<<"SLOW">>, <<"E_CTU">>, [{<<"PV">>, <<"2">>}]},
                    {<<"FAST">>, <<"E_CTU">>, [{<<"PV">>, <<"4">>}]}],
            events => [{<<"START.COLD">>, <<"TICK.EI">>},
                       {<<"TICK.EO1">>, <<"SLOW.CU">>},
                       {<<"TICK.EO2">>, <<"FAST.CU">>}]},
    {ok, R} = plc:start_resource(Net, #{observe => [<<"SLOW.CUO">>, <<"FAST.CUO">>],
                                        subscribers => [self()]}),
    io:format("plc demo: resource ~p started; START.COLD ticks once, then 4 injected ticks~n", [R]),
    print(R, 2),
    [begin
         timer:sleep(200),
         io:format("inject TICK.EI~n"),
         ok = plc:inject(R, <<"TICK.EI">>),
         print(R, 2)
     end || _ <- lists:seq(1, 4)],
    ok = plc:stop_resource(R),
    io:format("plc demo: done~n").

print(_R, 0) -> ok;
print(R, N) ->
    receive
        {plc_event, R, Port, #{<<"CV">> := CV, <<"Q">> := Q}} ->
            io:format("  ~-9s CV=~b Q=~p~n", [Port, CV, Q]),
            print(R, N - 1)
    after 5000 ->
        io:format("no event within 5 s~n"),
        halt(1)
    end.
