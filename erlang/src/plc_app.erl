%%% @doc The plc OTP application: starts the top supervisor.
-module(plc_app).
-behaviour(application).

-export([start/2, prep_stop/1, stop/1]).

-spec start(application:start_type(), term()) -> {ok, pid()} | {error, term()}.
start(_Type, _Args) ->
    %% The node's type library: types compiled with plc:compile/2 are
    %% visible to every resource started afterwards.
    persistent_term:put({plc, library}, plc_nif:library_new()),
    plc_sup:start_link().

%% The systems that go down from now on are stopped, not gone.
-spec prep_stop(term()) -> term().
prep_stop(State) ->
    ok = plc_mon:node_stopping(),
    State.

-spec stop(term()) -> ok.
stop(_State) ->
    ok.
