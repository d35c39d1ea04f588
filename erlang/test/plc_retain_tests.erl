%%% The retain store (plc_retain): the newest complete image comes back,
%%% whatever state a kill or a bad disk left the files in.
-module(plc_retain_tests).
-include_lib("eunit/include/eunit.hrl").

%% A directory of its own, empty (a stale one from an earlier run is removed).
tmp_dir() ->
    Dir = filename:join(["/tmp", "plc_retain_tests", os:getpid() ++ "-" ++ integer_to_list(erlang:unique_integer([positive]))]),
    _ = file:del_dir_r(Dir),
    ok = filelib:ensure_path(Dir),
    Dir.

gen(Dir, G) -> filename:join(Dir, "retain." ++ G).

an_empty_store_has_no_image_test() ->
    Dir = tmp_dir(),
    {ok, S, none} = plc_retain:open(Dir),
    ?assertEqual(0, plc_retain:seq(S)).

the_last_saved_image_comes_back_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    {ok, S1} = plc_retain:save(S0, <<"one">>),
    {ok, S2} = plc_retain:save(S1, <<"two">>),
    {ok, _} = plc_retain:save(S2, <<"three">>),
    {ok, S, Image} = plc_retain:open(Dir),
    ?assertEqual({3, <<"three">>}, {plc_retain:seq(S), Image}),
    %% Odd sequence numbers in a, even ones in b: the newest is never overwritten.
    ?assertEqual({ok, 3, <<"three">>}, plc_retain:decode(element(2, file:read_file(gen(Dir, "a"))))),
    ?assertEqual({ok, 2, <<"two">>}, plc_retain:decode(element(2, file:read_file(gen(Dir, "b"))))).

a_torn_newest_generation_falls_back_to_the_other_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    {ok, S1} = plc_retain:save(S0, <<"old">>),
    {ok, _} = plc_retain:save(S1, <<"newer image">>),
    {ok, B} = file:read_file(gen(Dir, "b")),
    ok = file:write_file(gen(Dir, "b"), binary:part(B, 0, byte_size(B) - 3)),
    ?assertMatch({ok, _, <<"old">>}, plc_retain:open(Dir)),
    %% The next save goes over the broken one, not over the last good image.
    {ok, S2, <<"old">>} = plc_retain:open(Dir),
    {ok, _} = plc_retain:save(S2, <<"again">>),
    ?assertMatch({ok, _, <<"again">>}, plc_retain:open(Dir)),
    ?assertEqual({ok, 1, <<"old">>}, plc_retain:decode(element(2, file:read_file(gen(Dir, "a"))))).

a_bad_crc_is_not_an_image_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    {ok, S1} = plc_retain:save(S0, <<"good">>),
    {ok, _} = plc_retain:save(S1, <<"flipped">>),
    {ok, <<Head:30/binary, C, Rest/binary>>} = file:read_file(gen(Dir, "b")),
    ok = file:write_file(gen(Dir, "b"), <<Head/binary, (C bxor 1), Rest/binary>>),
    ?assertEqual({error, bad_crc}, plc_retain:decode(element(2, file:read_file(gen(Dir, "b"))))),
    ?assertMatch({ok, _, <<"good">>}, plc_retain:open(Dir)).

a_save_interrupted_before_its_rename_leaves_the_last_image_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    {ok, _} = plc_retain:save(S0, <<"kept">>),
    Partial = plc_retain:encode(2, <<"never renamed">>),
    ok = file:write_file(gen(Dir, "b.tmp"), binary:part(Partial, 0, 20)),
    ?assertMatch({ok, _, <<"kept">>}, plc_retain:open(Dir)),
    ?assertNot(filelib:is_file(gen(Dir, "b.tmp"))).

no_prefix_of_a_record_decodes_test() ->
    Record = plc_retain:encode(7, <<"image bytes">>),
    ?assertEqual({ok, 7, <<"image bytes">>}, plc_retain:decode(Record)),
    [?assertEqual({error, truncated}, plc_retain:decode(binary:part(Record, 0, N)))
     || N <- lists:seq(0, byte_size(Record) - 1)],
    ?assertEqual({error, padded}, plc_retain:decode(<<Record/binary, 0>>)),
    ?assertEqual({error, not_a_store}, plc_retain:decode(<<"garbage that is long enough to be a header">>)),
    ?assertEqual({error, not_a_store}, plc_retain:decode(<<"xy">>)).

%% The writer: what it was handed last is what the store holds once it
%% stops; images handed over during a save are skipped but the newest.
the_writer_saves_the_newest_image_before_it_stops_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    W = plc_retain:start_writer(S0, writer_test),
    [ok = plc_retain:save_async(W, integer_to_binary(I)) || I <- lists:seq(1, 50)],
    ?assertEqual(ok, plc_retain:stop_writer(W, 5000)),
    ?assertNot(is_process_alive(W)),
    {ok, S, Image} = plc_retain:open(Dir),
    ?assertEqual(<<"50">>, Image),
    %% Each image saved at most once, the skipped ones not at all.
    ?assert(plc_retain:seq(S) >= 1 andalso plc_retain:seq(S) =< 50).

the_writer_ends_with_the_process_that_started_it_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    Self = self(),
    Owner = spawn(fun() -> Self ! {writer, plc_retain:start_writer(S0, writer_test)}, receive stop -> exit(crashed) end end),
    W = receive {writer, Pid} -> Pid end,
    Ref = monitor(process, W),
    Owner ! stop,
    ?assertEqual(crashed, receive {'DOWN', Ref, process, W, Why} -> Why after 5000 -> alive end).

a_failed_save_is_logged_and_the_next_one_tried_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    W = plc_retain:start_writer(S0, writer_test),
    %% The directory goes away: the save fails, the writer goes on.
    ok = file:del_dir_r(Dir),
    ok = plc_retain:save_async(W, <<"lost">>),
    ok = filelib:ensure_path(Dir),
    ok = plc_retain:save_async(W, <<"kept">>),
    ?assertEqual(ok, plc_retain:stop_writer(W, 5000)),
    ?assertMatch({ok, _, <<"kept">>}, plc_retain:open(Dir)).

%% Only its owner feeds or stops the writer: a stray stop, a save from
%% another process or garbage changes nothing, and the writer goes on.
stray_messages_neither_stop_nor_feed_the_writer_test() ->
    Dir = tmp_dir(),
    {ok, S0, none} = plc_retain:open(Dir),
    W = plc_retain:start_writer(S0, writer_test),
    Self = self(),
    Stranger = spawn(fun() ->
                             W ! {plc_retain_stop, self(), make_ref()},
                             W ! {plc_retain_save, self(), <<"forged">>},
                             W ! {plc_retain_save, Self, not_a_binary},
                             W ! garbage,
                             Self ! {sent, self()}
                     end),
    receive {sent, Stranger} -> ok end,
    ok = plc_retain:save_async(W, <<"mine">>),
    ?assertEqual(ok, plc_retain:stop_writer(W, 5000)),
    {ok, S, Image} = plc_retain:open(Dir),
    ?assertEqual({1, <<"mine">>}, {plc_retain:seq(S), Image}).
