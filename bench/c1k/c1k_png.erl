%%% @doc A small PNG line plot, in plain Erlang (zlib and crc32 come with
%%% erts): log-log axes, one line per series with markers, a legend, text
%%% in a built-in 5x7 font. Enough for the c1k start-up plot with no
%%% plotting package on the machine.
-module(c1k_png).

-export([plot/2, write_png/4]).

-define(W, 960).
-define(H, 600).
-define(LEFT, 90).
-define(RIGHT, 250).
-define(TOP, 50).
-define(BOTTOM, 70).
-define(WHITE, {255, 255, 255}).
-define(BLACK, {0, 0, 0}).
-define(GRID, {225, 225, 225}).
-define(GRID_MINOR, {242, 242, 242}).

%% @doc Writes File. Opts: title, xlabel, ylabel, series => [#{label,
%% color => {R,G,B}, dash => solid | dashed | dotted, points => [{X, Y}],
%% open => [{X, Y}] (points drawn hollow: lower bounds)}]. X and Y > 0.
plot(File, #{series := Series} = Opts) ->
    All = [P || #{points := Ps} <- Series, P <- Ps],
    case All of
        [] -> {error, no_points};
        _ -> write_png(File, ?W, ?H, draw(Opts, All))
    end.

draw(Opts, All) ->
    Xs = [X || {X, _} <- All],
    Ys = [Y || {_, Y} <- All],
    {XMin, XMax} = {lists:min(Xs) / 1.25, lists:max(Xs) * 1.25},
    {YMin, YMax} = {decade_floor(lists:min(Ys)), decade_ceil(lists:max(Ys))},
    PW = ?W - ?LEFT - ?RIGHT,
    PH = ?H - ?TOP - ?BOTTOM,
    Px = fun(X) -> ?LEFT + round((math:log(X) - math:log(XMin)) / (math:log(XMax) - math:log(XMin)) * PW) end,
    Py = fun(Y) -> ?TOP + PH - round((math:log(Y) - math:log(YMin)) / (math:log(YMax) - math:log(YMin)) * PH) end,
    C0 = #{},
    %% Grid: decades and 2, 5 between; x at the data's Xs.
    YTicks = y_ticks(YMin, YMax),
    C1 = lists:foldl(fun({Y, Major}, C) ->
                             Col = case Major of true -> ?GRID; false -> ?GRID_MINOR end,
                             C2 = hline(C, ?LEFT, ?LEFT + PW, Py(Y), Col),
                             case Major of
                                 true -> text(C2, ?LEFT - 8 - text_width(num(Y)), Py(Y) - 7, num(Y), ?BLACK);
                                 false -> C2
                             end
                     end, C0, YTicks),
    XTicks = lists:usort(Xs),
    C3 = lists:foldl(fun(X, C) ->
                             C2 = vline(C, Px(X), ?TOP, ?TOP + PH, ?GRID),
                             text(C2, Px(X) - text_width(num(X)) div 2, ?TOP + PH + 10, num(X), ?BLACK)
                     end, C1, XTicks),
    %% Frame.
    C4 = lists:foldl(fun(F, C) -> F(C) end, C3,
                     [fun(C) -> hline(C, ?LEFT, ?LEFT + PW, ?TOP, ?BLACK) end,
                      fun(C) -> hline(C, ?LEFT, ?LEFT + PW, ?TOP + PH, ?BLACK) end,
                      fun(C) -> vline(C, ?LEFT, ?TOP, ?TOP + PH, ?BLACK) end,
                      fun(C) -> vline(C, ?LEFT + PW, ?TOP, ?TOP + PH, ?BLACK) end]),
    %% Labels.
    Title = maps:get(title, Opts, ""),
    C5 = text(C4, ?LEFT, 8, Title, ?BLACK),
    C6 = text(C5, ?LEFT + PW div 2 - text_width(maps:get(xlabel, Opts, "")) div 2, ?H - 30,
              maps:get(xlabel, Opts, ""), ?BLACK),
    C7 = text(C6, ?LEFT + 4, ?TOP - 20, maps:get(ylabel, Opts, ""), ?BLACK),
    %% Series and legend.
    {C8, _} = lists:foldl(
                fun(#{points := Ps0} = S, {C, K}) ->
                        Color = maps:get(color, S, ?BLACK),
                        Dash = maps:get(dash, S, solid),
                        Ps = lists:sort(Ps0),
                        Pix = [{Px(X), Py(Y)} || {X, Y} <- Ps],
                        Open = [{Px(X), Py(Y)} || {X, Y} <- maps:get(open, S, [])],
                        Ca = thick_polyline(C, Pix, Color, Dash),
                        Cb = lists:foldl(fun({X, Y}, Cc) ->
                                                 case lists:member({X, Y}, Open) of
                                                     true -> box(Cc, X, Y, 4, Color, false);
                                                     false -> box(Cc, X, Y, 3, Color, true)
                                                 end
                                         end, Ca, Pix),
                        LY = ?TOP + 10 + K * 22,
                        LX = ?LEFT + PW + 20,
                        Cd = thick_polyline(Cb, [{LX, LY + 7}, {LX + 40, LY + 7}], Color, Dash),
                        Ce = box(Cd, LX + 20, LY + 7, 3, Color, true),
                        {text(Ce, LX + 50, LY, maps:get(label, S, ""), ?BLACK), K + 1}
                end, {C7, 0}, maps:get(series, Opts)),
    C8.

decade_floor(V) -> math:pow(10, math:floor(math:log10(V))).
decade_ceil(V) -> math:pow(10, math:ceil(math:log10(V) + 1.0e-9)).

y_ticks(YMin, YMax) ->
    Decades = [math:pow(10, E) || E <- lists:seq(round(math:log10(YMin)), round(math:log10(YMax)))],
    lists:append([[{D, true}] ++ [{D * M, false} || M <- [2, 5], D * M < YMax] || D <- Decades]).

num(V) when V >= 1, V == round(V) -> integer_to_list(round(V));
num(V) when V >= 1 -> float_to_list(V, [{decimals, 1}, compact]);
num(V) -> float_to_list(V, [{decimals, 3}, compact]).

%%% Drawing on a map {X, Y} => Color

put_px(C, X, Y, Col) when X >= 0, X < ?W, Y >= 0, Y < ?H -> C#{{X, Y} => Col};
put_px(C, _, _, _) -> C.

hline(C, X0, X1, Y, Col) -> lists:foldl(fun(X, A) -> put_px(A, X, Y, Col) end, C, lists:seq(X0, X1)).
vline(C, X, Y0, Y1, Col) -> lists:foldl(fun(Y, A) -> put_px(A, X, Y, Col) end, C, lists:seq(Y0, Y1)).

box(C, X, Y, R, Col, Filled) ->
    lists:foldl(fun({Dx, Dy}, A) ->
                        case Filled orelse abs(Dx) =:= R orelse abs(Dy) =:= R of
                            true -> put_px(A, X + Dx, Y + Dy, Col);
                            false -> put_px(A, X + Dx, Y + Dy, ?WHITE)
                        end
                end, C, [{Dx, Dy} || Dx <- lists:seq(-R, R), Dy <- lists:seq(-R, R)]).

thick_polyline(C, [P1, P2 | Rest], Col, Dash) ->
    C1 = line(C, P1, P2, Col, Dash),
    thick_polyline(C1, [P2 | Rest], Col, Dash);
thick_polyline(C, _, _, _) ->
    C.

%% A 2-pixel line (Bresenham), with a dash pattern counted in steps.
line(C, {X0, Y0}, {X1, Y1}, Col, Dash) ->
    Dx = abs(X1 - X0), Dy = -abs(Y1 - Y0),
    Sx = sign(X1 - X0), Sy = sign(Y1 - Y0),
    line(C, X0, Y0, X1, Y1, Dx, Dy, Sx, Sy, Dx + Dy, 0, Col, Dash).

line(C, X, Y, X1, Y1, Dx, Dy, Sx, Sy, Err, Step, Col, Dash) ->
    C1 = case on(Dash, Step) of
             true -> put_px(put_px(put_px(C, X, Y, Col), X + 1, Y, Col), X, Y + 1, Col);
             false -> C
         end,
    case X =:= X1 andalso Y =:= Y1 of
        true -> C1;
        false ->
            E2 = 2 * Err,
            {X2, Err1} = case E2 >= Dy of true -> {X + Sx, Err + Dy}; false -> {X, Err} end,
            {Y2, Err2} = case E2 =< Dx of true -> {Y + Sy, Err1 + Dx}; false -> {Y, Err1} end,
            line(C1, X2, Y2, X1, Y1, Dx, Dy, Sx, Sy, Err2, Step + 1, Col, Dash)
    end.

on(solid, _) -> true;
on(dashed, S) -> S rem 14 < 9;
on(dotted, S) -> S rem 6 < 2.

sign(0) -> 0;
sign(V) when V > 0 -> 1;
sign(_) -> -1.

%%% Text: 5x7 glyphs drawn at twice their size (upper case only)

text_width(S) -> length(S) * 12.

text(C, X0, Y0, S, Col) ->
    {C1, _} = lists:foldl(fun(Ch, {A, X}) -> {glyph(A, X, Y0, Ch, Col), X + 12} end,
                          {C, X0}, string:uppercase(S)),
    C1.

glyph(C, X0, Y0, Ch, Col) ->
    Rows = font(Ch),
    lists:foldl(fun({Row, R}, A) ->
                        lists:foldl(fun(B, A2) ->
                                            case Row band (1 bsl (4 - B)) of
                                                0 -> A2;
                                                _ ->
                                                    X = X0 + 2 * B, Y = Y0 + 2 * R,
                                                    put_px(put_px(put_px(put_px(A2, X, Y, Col), X + 1, Y, Col),
                                                                  X, Y + 1, Col), X + 1, Y + 1, Col)
                                            end
                                    end, A, lists:seq(0, 4))
                end, C, lists:zip(Rows, lists:seq(0, 6))).

font(Ch) ->
    case Ch of
        $0 -> [16#0E, 16#11, 16#13, 16#15, 16#19, 16#11, 16#0E];
        $1 -> [16#04, 16#0C, 16#04, 16#04, 16#04, 16#04, 16#0E];
        $2 -> [16#0E, 16#11, 16#01, 16#02, 16#04, 16#08, 16#1F];
        $3 -> [16#1F, 16#02, 16#04, 16#02, 16#01, 16#11, 16#0E];
        $4 -> [16#02, 16#06, 16#0A, 16#12, 16#1F, 16#02, 16#02];
        $5 -> [16#1F, 16#10, 16#1E, 16#01, 16#01, 16#11, 16#0E];
        $6 -> [16#06, 16#08, 16#10, 16#1E, 16#11, 16#11, 16#0E];
        $7 -> [16#1F, 16#01, 16#02, 16#04, 16#08, 16#08, 16#08];
        $8 -> [16#0E, 16#11, 16#11, 16#0E, 16#11, 16#11, 16#0E];
        $9 -> [16#0E, 16#11, 16#11, 16#0F, 16#01, 16#02, 16#0C];
        $A -> [16#0E, 16#11, 16#11, 16#11, 16#1F, 16#11, 16#11];
        $B -> [16#1E, 16#11, 16#11, 16#1E, 16#11, 16#11, 16#1E];
        $C -> [16#0E, 16#11, 16#10, 16#10, 16#10, 16#11, 16#0E];
        $D -> [16#1C, 16#12, 16#11, 16#11, 16#11, 16#12, 16#1C];
        $E -> [16#1F, 16#10, 16#10, 16#1E, 16#10, 16#10, 16#1F];
        $F -> [16#1F, 16#10, 16#10, 16#1E, 16#10, 16#10, 16#10];
        $G -> [16#0E, 16#11, 16#10, 16#17, 16#11, 16#11, 16#0F];
        $H -> [16#11, 16#11, 16#11, 16#1F, 16#11, 16#11, 16#11];
        $I -> [16#0E, 16#04, 16#04, 16#04, 16#04, 16#04, 16#0E];
        $J -> [16#07, 16#02, 16#02, 16#02, 16#02, 16#12, 16#0C];
        $K -> [16#11, 16#12, 16#14, 16#18, 16#14, 16#12, 16#11];
        $L -> [16#10, 16#10, 16#10, 16#10, 16#10, 16#10, 16#1F];
        $M -> [16#11, 16#1B, 16#15, 16#15, 16#11, 16#11, 16#11];
        $N -> [16#11, 16#11, 16#19, 16#15, 16#13, 16#11, 16#11];
        $O -> [16#0E, 16#11, 16#11, 16#11, 16#11, 16#11, 16#0E];
        $P -> [16#1E, 16#11, 16#11, 16#1E, 16#10, 16#10, 16#10];
        $Q -> [16#0E, 16#11, 16#11, 16#11, 16#15, 16#12, 16#0D];
        $R -> [16#1E, 16#11, 16#11, 16#1E, 16#14, 16#12, 16#11];
        $S -> [16#0F, 16#10, 16#10, 16#0E, 16#01, 16#01, 16#1E];
        $T -> [16#1F, 16#04, 16#04, 16#04, 16#04, 16#04, 16#04];
        $U -> [16#11, 16#11, 16#11, 16#11, 16#11, 16#11, 16#0E];
        $V -> [16#11, 16#11, 16#11, 16#11, 16#11, 16#0A, 16#04];
        $W -> [16#11, 16#11, 16#11, 16#15, 16#15, 16#15, 16#0A];
        $X -> [16#11, 16#11, 16#0A, 16#04, 16#0A, 16#11, 16#11];
        $Y -> [16#11, 16#11, 16#11, 16#0A, 16#04, 16#04, 16#04];
        $Z -> [16#1F, 16#01, 16#02, 16#04, 16#08, 16#10, 16#1F];
        $. -> [0, 0, 0, 0, 0, 16#0C, 16#0C];
        $, -> [0, 0, 0, 0, 16#0C, 16#04, 16#08];
        $- -> [0, 0, 0, 16#1F, 0, 0, 0];
        $= -> [0, 0, 16#1F, 0, 16#1F, 0, 0];
        $: -> [0, 16#0C, 16#0C, 0, 16#0C, 16#0C, 0];
        $( -> [16#02, 16#04, 16#08, 16#08, 16#08, 16#04, 16#02];
        $) -> [16#08, 16#04, 16#02, 16#02, 16#02, 16#04, 16#08];
        $/ -> [0, 16#01, 16#02, 16#04, 16#08, 16#10, 0];
        $% -> [16#18, 16#19, 16#02, 16#04, 16#08, 16#13, 16#03];
        $_ -> [0, 0, 0, 0, 0, 0, 16#1F];
        $> -> [16#08, 16#04, 16#02, 16#01, 16#02, 16#04, 16#08];
        $< -> [16#02, 16#04, 16#08, 16#10, 16#08, 16#04, 16#02];
        _ -> [0, 0, 0, 0, 0, 0, 0]
    end.

%%% PNG

%% @doc Writes Canvas (#{{X, Y} => {R, G, B}} over white) as an RGB PNG.
write_png(File, W, H, Canvas) ->
    Rows = [[0 | [rgb(maps:get({X, Y}, Canvas, ?WHITE)) || X <- lists:seq(0, W - 1)]]
            || Y <- lists:seq(0, H - 1)],
    Raw = iolist_to_binary(Rows),
    Png = [<<137, $P, $N, $G, 13, 10, 26, 10>>,
           chunk(<<"IHDR">>, <<W:32, H:32, 8, 2, 0, 0, 0>>),
           chunk(<<"IDAT">>, zlib:compress(Raw)),
           chunk(<<"IEND">>, <<>>)],
    file:write_file(File, Png).

rgb({R, G, B}) -> <<R, G, B>>.

chunk(Type, Data) ->
    <<(byte_size(Data)):32, Type/binary, Data/binary, (erlang:crc32(<<Type/binary, Data/binary>>)):32>>.
