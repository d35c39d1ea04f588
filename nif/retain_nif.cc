// The NIFs of retained variables (runtime/retain.h): capture a running
// resource's image, restore one before START. The store that keeps the
// images across a crash is Erlang's (erlang/src/plc_retain.erl); the
// bytes it hands back are checked here like any input from outside.
#include "nif/handles.h"
#include "nif/nif.h"
#include "runtime/retain.h"
#include "runtime/scheduler.h"

namespace plc::nif {

// retain_capture(Handle) -> Binary | none | busy. Dirty. none: the
// resource has no retained variable; busy: a slice is paused inside an
// algorithm, whose half-done state is not captured (run it and ask again).
ERL_NIF_TERM retain_capture(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle& h, Engine& e) {
    if (h.fiber->paused()) return make_atom(env, "busy");
    if (!has_retained(*e.res)) return make_atom(env, "none");
    return make_binary(env, serialize_retain(capture_retained(*e.res)));
  });
}

// retain_restore(Handle, Binary) -> ok | {ok, [{Fb, Var, Why}]} |
// {error, [Reason]}. Dirty. Writes what still matches (before START);
// {ok, Dropped}: the entries it did not write. An image that does not
// parse changes nothing: {error, ["retain image byte N: error: ..."]}.
ERL_NIF_TERM retain_restore(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    ErlNifBinary bin;
    if (!enif_inspect_binary(env, argv[1], &bin)) return raise_badarg(env, "the retain image must be a binary");
    auto image = parse_retain(std::string_view(reinterpret_cast<const char*>(bin.data), bin.size));
    if (!image) return error_list(env, image.errors());
    const auto dropped = restore_retained(*e.res, *image);
    if (dropped.empty()) return make_atom(env, "ok");
    std::vector<ERL_NIF_TERM> items;
    for (const RetainDropped& d : dropped)
      items.push_back(enif_make_tuple3(env, make_binary(env, d.fb), make_binary(env, d.var), make_binary(env, d.why)));
    return ok_tuple(env, enif_make_list_from_array(env, items.data(), unsigned(items.size())));
  });
}

}  // namespace plc::nif
