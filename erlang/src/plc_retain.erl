%%% @doc The store of a resource's retained variables: the last complete
%%% image (`plc_nif:retain_capture/1', runtime/retain.h) survives a
%%% `kill -9' of the node, a crash of the resource, a power loss.
%%%
%%% Layout. A directory per resource holds two generations, `retain.a' and
%%% `retain.b'. Each is one record:
%%% `<<"PLCSTOR1", Seq:64, Size:32, Crc:32, Image:Size/binary>>' (big
%%% endian), the CRC32 taken over Seq, Size and the image. Saving writes
%%% the next sequence number into the generation that does not hold the
%%% newest one: to `retain.X.tmp', fsync, then rename over `retain.X'. A
%%% kill at any moment leaves either the old or the new file under that
%%% name (rename is atomic), and the other generation untouched. Loading
%%% takes the valid generation with the highest sequence number: a file that
%%% is short, padded, of another format or fails its CRC (a torn sector,
%%% a rename the file system lost in a power cut) is skipped and the
%%% previous generation serves. The image itself is checked again by the
%%% NIF before a value is written.
%%%
%%% Why not DETS or Mnesia: the state is one small blob per resource,
%%% replaced whole at each save, never looked up by key. DETS must repair
%%% its file after an unclean close (every `kill -9'), which takes time at
%%% the very moment the resource should be back, and a write torn inside
%%% a bucket can lose the object; Mnesia's disc_copies adds a schema, a
%%% log and its dumper per node for the same blob. An append-only log would
%%% need compaction. Two files, a CRC and a rename give the one property
%%% needed (the last complete image, never a torn one) with nothing to
%%% repair and one write and one fsync per save.
-module(plc_retain).

%% API
-export([open/1, save/2, dir/1, seq/1, write_synced/2]).
%% The writer: saves on a process of its own
-export([start_writer/2, save_async/2, stop_writer/2]).
%% Pure: the record of one generation
-export([encode/2, decode/1]).

-record(store, {
    dir :: file:filename_all(),
    seq = 0 :: non_neg_integer()   % sequence number of the newest image saved or loaded
}).
-opaque store() :: #store{}.
-export_type([store/0]).

-define(MAGIC, "PLCSTOR1").
-define(HEADER, 24).

%%% API

%% @doc Opens (creating it) the store in `Dir' and reads its newest valid
%% image; `none' when it holds none. Leftover `.tmp' files of an
%% interrupted save are removed.
-spec open(file:filename_all()) -> {ok, store(), binary() | none} | {error, term()}.
open(Dir) ->
    case filelib:ensure_path(Dir) of
        ok ->
            _ = [file:delete(tmp(Dir, G)) || G <- [a, b]],
            Valid = [{Seq, Image} || G <- [a, b], {ok, Seq, Image} <- [read(file(Dir, G))]],
            case lists:reverse(lists:sort(Valid)) of
                [{Seq, Image} | _] -> {ok, #store{dir = Dir, seq = Seq}, Image};
                [] -> {ok, #store{dir = Dir}, none}
            end;
        {error, _} = Error ->
            Error
    end.

%% @doc Saves `Image' as the newest generation (the one after seq/1).
-spec save(store(), binary()) -> {ok, store()} | {error, term()}.
save(S = #store{dir = Dir, seq = Seq}, Image) when is_binary(Image) ->
    Next = Seq + 1,
    G = generation(Next),
    Tmp = tmp(Dir, G),
    case write_synced(Tmp, encode(Next, Image)) of
        ok ->
            case file:rename(Tmp, file(Dir, G)) of
                ok -> {ok, S#store{seq = Next}};
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            _ = file:delete(Tmp),
            Error
    end.

-spec dir(store()) -> file:filename_all().
dir(#store{dir = Dir}) -> Dir.

-spec seq(store()) -> non_neg_integer().
seq(#store{seq = Seq}) -> Seq.

%%% The writer

%% @doc Starts a process, linked to the caller, that saves the images
%% save_async/2 hands it into `Store', so that the caller never waits for
%% the disk. The newest image wins: those handed over while a save is
%% under way are skipped but the last one. A save that fails is logged
%% (naming `Who') and the next image is tried again; the writer ends with
%% its caller (a link: killed with it, nothing half-written, plc_retain's
%% layout) or with stop_writer/2. It takes images and its stop from its
%% caller only and drops any other message: a stray one neither stops it
%% (which would stop the resource holding it) nor fills its mailbox.
-spec start_writer(store(), term()) -> pid().
start_writer(Store, Who) ->
    Owner = self(),
    proc_lib:spawn_link(fun() -> writer(Owner, Store, Who) end).

%% @doc Hands `Image' to the writer (returns at once).
-spec save_async(pid(), binary()) -> ok.
save_async(Writer, Image) when is_binary(Image) ->
    Writer ! {plc_retain_save, self(), Image},
    ok.

%% @doc Waits until the writer has saved the last image handed to it, at
%% most `Timeout' ms, then stops it.
-spec stop_writer(pid(), timeout()) -> ok | timeout.
stop_writer(Writer, Timeout) ->
    Ref = monitor(process, Writer),
    Writer ! {plc_retain_stop, self(), Ref},
    receive
        {Ref, saved} ->
            demonitor(Ref, [flush]),
            ok;
        {'DOWN', Ref, process, Writer, _} ->
            ok
    after Timeout ->
        demonitor(Ref, [flush]),
        unlink(Writer),
        exit(Writer, kill),
        timeout
    end.

writer(Owner, Store, Who) ->
    receive
        {plc_retain_save, Owner, Image} when is_binary(Image) ->
            writer(Owner, save_logged(Store, newest(Owner, Image), Who), Who);
        {plc_retain_stop, Owner, Ref} ->
            %% Every image handed over before the stop is saved (one mailbox:
            %% they came first).
            Owner ! {Ref, saved},
            unlink(Owner);
        _Stray ->
            writer(Owner, Store, Who)
    end.

newest(Owner, Image) ->
    receive
        {plc_retain_save, Owner, Newer} when is_binary(Newer) -> newest(Owner, Newer)
    after 0 -> Image
    end.

save_logged(Store, Image, Who) ->
    case save(Store, Image) of
        {ok, Store1} ->
            Store1;
        {error, Why} ->
            logger:error("plc resource ~0P: retained values not saved in ~ts: ~p", [Who, 8, dir(Store), Why]),
            Store
    end.

%%% Pure

%% @doc One generation's record.
-spec encode(non_neg_integer(), binary()) -> binary().
encode(Seq, Image) ->
    Body = <<Seq:64, (byte_size(Image)):32>>,
    <<?MAGIC, Body/binary, (erlang:crc32([Body, Image])):32, Image/binary>>.

%% @doc A generation's record back: its sequence number and image, or why
%% it is not a complete record.
-spec decode(binary()) -> {ok, non_neg_integer(), binary()} | {error, not_a_store | truncated | padded | bad_crc}.
decode(<<?MAGIC, Seq:64, Size:32, Crc:32, Rest/binary>>) ->
    case Rest of
        <<Image:Size/binary>> ->
            case erlang:crc32([<<Seq:64, Size:32>>, Image]) of
                Crc -> {ok, Seq, Image};
                _ -> {error, bad_crc}
            end;
        _ when byte_size(Rest) < Size -> {error, truncated};
        _ -> {error, padded}
    end;
decode(Bin) when byte_size(Bin) < ?HEADER ->
    case binary:longest_common_prefix([Bin, <<?MAGIC>>]) of
        N when N =:= byte_size(Bin); N =:= 8 -> {error, truncated};
        _ -> {error, not_a_store}
    end;
decode(_) ->
    {error, not_a_store}.

%% @doc Writes `Bin' to `File' and syncs it to the disk before it returns
%% (the first half of a crash-safe replace: then rename; the management
%% server keeps its boot file this way too).
-spec write_synced(file:filename_all(), iodata()) -> ok | {error, term()}.
write_synced(File, Bin) ->
    case file:open(File, [write, raw, binary]) of
        {ok, Fd} ->
            Result = case file:write(Fd, Bin) of
                         ok -> file:sync(Fd);
                         Error -> Error
                     end,
            _ = file:close(Fd),
            Result;
        {error, _} = Error ->
            Error
    end.

%%% Internal

read(File) ->
    case file:read_file(File) of
        {ok, Bin} -> decode(Bin);
        {error, _} = Error -> Error
    end.

%% Odd sequence numbers in `a', even ones in `b': the next save never
%% overwrites the newest image.
generation(Seq) when Seq rem 2 =:= 1 -> a;
generation(_) -> b.

file(Dir, G) -> filename:join(Dir, "retain." ++ atom_to_list(G)).
tmp(Dir, G) -> filename:join(Dir, "retain." ++ atom_to_list(G) ++ ".tmp").
