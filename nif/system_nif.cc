// The NIFs of a system (SystemHandle): plan a compiled system for running
// (resources are then instantiated from the plan, resource_nif.cc), and
// route the events of its resources that run on other nodes to the local
// forwarder (plc_dist), with credit.
#include <algorithm>

#include "nif/big_stack.h"
#include "nif/handles.h"
#include "nif/nif.h"

namespace plc::nif {

// The devices of a system as DevicePlan::make plans them.
namespace {

std::vector<DeviceDecl> device_decls(const lang::SystemDef& def) {
  std::vector<DeviceDecl> out;
  for (const auto& d : def.devices) out.push_back({d.name, d.resources});
  return out;
}

}  // namespace

// system_new(Library, Name) -> {ok, System, Info} | {error, [Diagnostic]}:
// the system's device plan, checked against the library as it is now.
// Info: #{name, devices => [#{name, parameters, resources}],
// fbs => #{Resource => [Fb]}} (composites expanded), resources => [Name]
// (the plan's order: a resource's index), hash (DevicePlan::hash), links => [{From, To}] (the
// pairs of resources with event connections from one to the other).
// system_new(Library, Name, Devices) plans only the resources of Devices
// (and reads the layout of those they send to): one node of a large plant
// does not load the whole plant; the other resources cannot be started
// from it. Dirty.
ERL_NIF_TERM system_new(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* lh = get_library(env, argv[0]);
    if (!lh) return raise_badarg(env, "not a plc library handle");
    auto name = get_string(env, argv[1]);
    if (!name) return raise_badarg(env, "the system name must be a binary");
    // system_new/3: plan only the resources of these devices.
    std::optional<std::vector<std::string>> only_devices;
    if (argc == 3) {
      auto items = get_list(env, argv[2]);
      if (!items) return raise_badarg(env, "devices must be a list of device names");
      only_devices.emplace();
      for (ERL_NIF_TERM t : *items) {
        auto d = get_string(env, t);
        if (!d) return raise_badarg(env, "devices must be a list of device names");
        only_devices->push_back(*d);
      }
    }
    std::shared_ptr<const TypeLibrary> lib;
    std::shared_ptr<const lang::SystemDef> def;
    std::shared_ptr<const DevicePlan> summary;
    {
      std::lock_guard lock(lh->mutex);
      lib = lh->lib;
      const std::string key = identifier_key(*name);
      auto it = lh->systems.find(key);
      if (it == lh->systems.end())
        return enif_make_tuple2(env, make_atom(env, "error"),
                                enif_make_list1(env, make_binary(env, "no system '" + *name + "' was compiled")));
      def = it->second;
      if (const auto* s = summary_of(lh, key, *def)) summary = s->plan;
    }
    std::shared_ptr<const DevicePlan> planned = only_devices && only_devices->empty() ? summary : nullptr;
    if (!planned) {
      auto plan = on_big_stack([&] {
        return only_devices
                   ? DevicePlan::make(def->resources, def->application, *lib, device_decls(*def), *only_devices)
                   : DevicePlan::make(def->resources, def->application, *lib);
      });
      if (!plan) return error_list(env, plan.errors());
      planned = *plan;
    }
    auto state = std::make_shared<SystemState>();
    state->lib = lib;
    state->def = def;
    state->plan = planned;
    for (size_t k = 0; k < state->plan->size(); ++k) {
      state->sockets.push_back(std::make_unique<Socket>());
      state->sinks.push_back(state->sockets.back().get());
    }
    void* mem = enif_alloc_resource(g_system_type, sizeof(SystemHandle));
    if (!mem) return enif_raise_exception(env, make_atom(env, "enomem"));
    auto* sh = new (mem) SystemHandle{state};
    ERL_NIF_TERM term = enif_make_resource(env, sh);
    enif_release_resource(sh);
    std::vector<ERL_NIF_TERM> devices;
    for (const auto& d : def->devices) {
      ERL_NIF_TERM params = enif_make_new_map(env);
      for (const auto& p : d.parameters)
        enif_make_map_put(env, params, make_binary(env, p.name), make_binary(env, p.literal), &params);
      ERL_NIF_TERM m = enif_make_new_map(env);
      enif_make_map_put(env, m, make_atom(env, "name"), make_binary(env, d.name), &m);
      enif_make_map_put(env, m, make_atom(env, "parameters"), params, &m);
      enif_make_map_put(env, m, make_atom(env, "resources"), binaries(env, d.resources), &m);
      devices.push_back(m);
    }
    ERL_NIF_TERM fbs = enif_make_new_map(env);
    for (size_t k = 0; k < state->plan->size(); ++k) {
      std::vector<std::string> names;
      for (const auto& fb : state->plan->network(k).fbs) names.push_back(fb.name);
      enif_make_map_put(env, fbs, make_binary(env, state->plan->name_of(k)), binaries(env, names), &fbs);
    }
    std::vector<std::string> order;
    std::vector<ERL_NIF_TERM> links;
    for (size_t k = 0; k < state->plan->size(); ++k) {
      order.push_back(state->plan->name_of(k));
      for (size_t t : state->plan->targets_of(k))
        links.push_back(enif_make_tuple2(env, make_binary(env, state->plan->name_of(k)),
                                         make_binary(env, state->plan->name_of(t))));
    }
    ERL_NIF_TERM info = enif_make_new_map(env);
    enif_make_map_put(env, info, make_atom(env, "name"), make_binary(env, def->name), &info);
    enif_make_map_put(env, info, make_atom(env, "hash"), enif_make_uint64(env, planned->hash()), &info);
    enif_make_map_put(env, info, make_atom(env, "resources"), binaries(env, order), &info);
    enif_make_map_put(env, info, make_atom(env, "links"),
                      enif_make_list_from_array(env, links.data(), unsigned(links.size())), &info);
    enif_make_map_put(env, info, make_atom(env, "fbs"), fbs, &info);
    enif_make_map_put(env, info, make_atom(env, "devices"),
                      enif_make_list_from_array(env, devices.data(), unsigned(devices.size())), &info);
    return enif_make_tuple3(env, make_atom(env, "ok"), term, info);
  });
}

// system_route(System, Resources, Pid, Limit) -> InFlight: the events of
// this node's resources for each of Resources (which run on another node)
// go to Pid, a local process, as {plc_out, Index, Bin} (Index: the
// resource's position in the system's `resources'), at most Limit of them
// not yet credited back (system_credit/2); beyond, a socket refuses (the
// sender counts a drop). A later call replaces Pid (a restarted forwarder)
// and returns how many events the previous one had not taken: lost with it.
ERL_NIF_TERM system_route(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    SystemState* sys = get_system(env, argv[0]);
    if (!sys) return raise_badarg(env, "not a plc system handle");
    auto& state = *sys;
    auto names = get_list(env, argv[1]);
    if (!names) return raise_badarg(env, "the resources must be a list of names");
    std::vector<size_t> targets;
    for (ERL_NIF_TERM t : *names) {
      auto name = get_string(env, t);
      if (!name) return raise_badarg(env, "the resources must be a list of names");
      auto k = state.plan->find(*name);
      if (!k) return raise_badarg(env, "the system has no resource '" + *name + "'");
      targets.push_back(*k);
    }
    ErlNifPid pid;
    if (!enif_get_local_pid(env, argv[2], &pid)) return raise_badarg(env, "the forwarder must be a local pid");
    auto limit = get_uint(env, argv[3]);
    if (!limit || *limit == 0 || *limit > (1ull << 40))
      return raise_badarg(env, "the limit must be an integer in 1..2^40");
    state.credit->limit.store(int64_t(*limit));
    const int64_t lost = state.credit->in_flight.exchange(0);
    for (size_t k : targets)
      state.sockets[k]->route(std::make_shared<const Route>(Route{pid, uint32_t(k), state.credit}));
    return enif_make_int64(env, lost < 0 ? 0 : lost);
  });
}

// system_credit(System, N) -> ok: the forwarder took N more events.
ERL_NIF_TERM system_credit(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    SystemState* sys = get_system(env, argv[0]);
    if (!sys) return raise_badarg(env, "not a plc system handle");
    auto n = get_uint(env, argv[1]);
    if (!n || *n > (1ull << 40)) return raise_badarg(env, "the credit must be a non-negative integer");
    sys->credit->in_flight.fetch_sub(int64_t(*n));
    return make_atom(env, "ok");
  });
}

}  // namespace plc::nif
