// The NIFs of a resource's life (ResourceHandle): load it, subscribe to
// its outputs, start it and run it in bounded slices, describe it.
//
// Threads. Engine work (load, start, subscriptions, describe, stats) runs
// on dirty CPU schedulers; run/1 starts a short step on the normal
// scheduler and goes on, if need be, on a dirty one, in bounded slices
// (scheduler.h). An enqueue (resource_io_nif.cc) wakes the resource's
// owner with one `plc_wake' message, deduplicated until its next run.
#include <string>

#include "nif/big_stack.h"
#include "nif/handles.h"
#include "nif/nif.h"
#include "runtime/reconfiguration.h"

namespace plc::nif {
namespace {

// Wraps a loaded resource into a handle owned (and monitored) by the caller.
ERL_NIF_TERM make_handle(ErlNifEnv* env, std::unique_ptr<Resource> res, std::shared_ptr<const TypeLibrary> lib,
                         std::shared_ptr<SystemState> system, size_t index) {
  void* mem = enif_alloc_resource(g_resource_type, sizeof(ResourceHandle));
  if (!mem) return enif_raise_exception(env, make_atom(env, "enomem"));
  auto* h = new (mem) ResourceHandle();
  h->lib = std::move(lib);
  auto engine = std::make_shared<Engine>();
  engine->res = std::move(res);
  enif_self(env, &engine->owner);
  engine->res->set_wakeup(&Engine::wake, engine.get());
  engine->res->set_observer(&h->outbox);
  h->fiber = std::make_unique<ResourceFiber>(*engine->res);
  h->engine = engine;
  if (system) {
    h->system = std::move(system);
    h->system_index = index;
    h->system->sockets[index]->attach(engine);
  }
  ERL_NIF_TERM term = enif_make_resource(env, h);
  if (enif_monitor_process(env, h, &engine->owner, nullptr) != 0) h->stopped = true;
  enif_release_resource(h);
  return ok_tuple(env, term);
}

// The `library` of a network spec (its snapshot now), or `fallback` when it
// names none; null when it is no library handle.
std::shared_ptr<const TypeLibrary> spec_library(ErlNifEnv* env, ERL_NIF_TERM spec,
                                                std::shared_ptr<const TypeLibrary> fallback) {
  auto l = get_map_value(env, spec, "library");
  if (!l) return fallback;
  LibraryHandle* lh = get_library(env, *l);
  return lh ? lh->snapshot() : nullptr;
}

// subscribe(Handle, Fb, EventOutput, Pid) / unsubscribe(...) -> ok. Dirty.
ERL_NIF_TERM subscription(ErlNifEnv* env, const ERL_NIF_TERM argv[], bool on) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle& h, Engine& e) {
    auto fb = get_string(env, argv[1]);
    auto eo = get_string(env, argv[2]);
    ErlNifPid pid;
    if (!fb || !eo) return raise_badarg(env, "FB and event names must be binaries");
    if (!enif_get_local_pid(env, argv[3], &pid)) return raise_badarg(env, "the subscriber must be a local pid");
    Resource& r = *e.res;
    auto f = r.find_fb(*fb);
    auto port = f ? r.type_of(*f).iface.find_event_output(*eo) : std::nullopt;
    if (!port) return raise_badarg(env, "no event output " + *fb + "." + *eo);
    const bool any = on ? h.outbox.subscribe(*f, *port, pid) : h.outbox.unsubscribe(*f, *port, pid);
    r.observe(*f, *port, any);
    return make_atom(env, "ok");
  });
}

// What a slice ended with, as run/1 returns it. A deadline ahead is set
// on the alarm clock, which wakes the owner with plc_wake then.
ERL_NIF_TERM slice_result(ErlNifEnv* env, ResourceHandle* h, const SliceResult& s) {
  if (s.step.more_work) return make_atom(env, "more");
  if (s.step.next_deadline == kNever) return make_atom(env, "idle");
  AlarmClock::instance().set(h->engine, s.step.next_deadline);
  auto wait = s.step.next_deadline - g_clock.now();
  return enif_make_tuple2(env, make_atom(env, "wait"), enif_make_int64(env, wait.count() < 0 ? 0 : wait.count()));
}

// One slice, its overflow reports sent after it (observer.h).
SliceResult run_slice(ErlNifEnv* env, ResourceHandle& h, Engine& e) {
  e.wake_pending.store(false, std::memory_order_release);
  h.outbox.bind(env, e.owner, e.res.get());
  SliceResult s = h.fiber->run_slice(g_clock.now());
  h.outbox.flush();
  return s;
}

// A slice with the resource's full budgets, on a dirty CPU scheduler.
ERL_NIF_TERM run_dirty(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(
      env, argv[0], [&](ResourceHandle& h, Engine& e) { return slice_result(env, &h, run_slice(env, h, e)); });
}

// A short step on a normal scheduler: at most kShortEvents events and
// kShortInstructions algorithm instructions (well under a millisecond), so
// a lone event goes in and out without a trip to a dirty scheduler.
constexpr uint32_t kShortEvents = 64;
constexpr int64_t kShortInstructions = 20000;

}  // namespace

// resource_new(Spec :: map()) -> {ok, Handle} | {error, [binary()]}. Dirty.
// Spec is a network (fbs, events, data) or #{system => Sys, resource => Name};
// a network takes the options queue_capacity, event_budget,
// instruction_budget, max_algorithm_slices, inbox_capacity and library =>
// Library (a system's resources take theirs from the system).
ERL_NIF_TERM resource_new(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    if (!enif_is_map(env, argv[0])) return raise_badarg(env, "the resource spec must be a map");
    std::string why;
    ResourceOptions opts;
    if (!get_options(env, argv[0], opts, why)) return raise_badarg(env, why);
    if (auto s = get_map_value(env, argv[0], "system")) {
      void* obj = nullptr;
      if (!enif_get_resource(env, *s, g_system_type, &obj))
        return raise_badarg(env, "system must be a plc system handle");
      auto state = static_cast<SystemHandle*>(obj)->state;
      auto rn = get_map_value(env, argv[0], "resource");
      auto name = rn ? get_string(env, *rn) : std::nullopt;
      if (!name) return raise_badarg(env, "resource must be the binary name of one of the system's resources");
      auto k = state->plan->find(*name);
      if (!k) return raise_badarg(env, "the system has no resource '" + *name + "'");
      auto loaded = state->plan->instantiate(*k, *state->lib, state->sinks);
      if (!loaded) return error_list(env, loaded.errors());
      return make_handle(env, std::move(loaded.value()), state->lib, state, *k);
    }
    FbNetwork net;
    if (!get_network(env, argv[0], net, why)) return raise_badarg(env, why);
    std::shared_ptr<const TypeLibrary> lib = spec_library(env, argv[0], g_library);
    if (!lib) return raise_badarg(env, "library must be a plc library handle");
    auto loaded = on_big_stack([&] { return Resource::load(net, *lib, opts); });
    if (!loaded) return error_list(env, loaded.errors());
    return make_handle(env, std::move(loaded.value()), std::move(lib), nullptr, 0);
  });
}

ERL_NIF_TERM subscribe(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) { return subscription(env, argv, true); }
ERL_NIF_TERM unsubscribe(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) { return subscription(env, argv, false); }

// start(Handle, cold | warm | stop | {warm, StoppedNs}) -> ok. Dirty.
// cold, warm: START.COLD or START.WARM fires; stop: START.STOP fires (the
// owner then holds the resource); {warm, Ns}: START after a STOP that held
// the resource for Ns (Resource::resume).
ERL_NIF_TERM start(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle& h, Engine& e) {
    char mode[8];
    ErlNifSInt64 stopped = 0;
    int arity = 0;
    const ERL_NIF_TERM* parts = nullptr;
    const bool resume = enif_get_tuple(env, argv[1], &arity, &parts) && arity == 2 &&
                        enif_get_atom(env, parts[0], mode, sizeof mode, ERL_NIF_LATIN1) &&
                        std::string(mode) == "warm" && enif_get_int64(env, parts[1], &stopped) && stopped >= 0;
    if (!resume && (!enif_get_atom(env, argv[1], mode, sizeof mode, ERL_NIF_LATIN1) ||
                    (std::string(mode) != "cold" && std::string(mode) != "warm" && std::string(mode) != "stop")))
      return raise_badarg(env, "start mode must be cold, warm, stop or {warm, StoppedNs}");
    h.outbox.bind(env, e.owner, e.res.get());
    if (resume) e.res->resume(Duration{stopped});
    else if (std::string(mode) == "stop") e.res->stop();
    else e.res->start(std::string(mode) == "cold");
    h.outbox.flush();
    return make_atom(env, "ok");
  });
}

// reconfigure(Handle, Network) -> {ok, Report} | {error, [binary()]} |
// {error, busy} | {error, system_resource}. Dirty. Network as for
// resource_new/1 (fbs, events, data, library), the options are the
// running resource's. Loads the changed network next to the running one
// and moves the running state into it (runtime/reconfiguration.h): a
// network that does not load changes nothing. `busy': a slice is paused
// inside an algorithm (run the resource and ask again). Report:
// #{kept, fresh, removed, lost => N, lost_events => [<<"Fb.Ei">>]}.
ERL_NIF_TERM reconfigure(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle& h, Engine&) {
    auto error = [&](const char* why) { return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, why)); };
    if (!enif_is_map(env, argv[1])) return raise_badarg(env, "the network must be a map");
    std::string why;
    FbNetwork net;
    if (!get_network(env, argv[1], net, why)) return raise_badarg(env, why);
    std::shared_ptr<const TypeLibrary> lib = spec_library(env, argv[1], h.lib);
    if (!lib) return raise_badarg(env, "library must be a plc library handle");
    if (h.system) return error("system_resource");
    if (h.fiber->paused()) return error("busy");
    std::shared_ptr<Engine> old = std::atomic_load(&h.engine);
    auto loaded = on_big_stack([&] { return Resource::load(net, *lib, old->res->options()); });
    if (!loaded) return error_list(env, loaded.errors());
    auto next = std::make_shared<Engine>();
    next->res = std::move(loaded.value());
    next->owner = old->owner;
    next->res->set_wakeup(&Engine::wake, next.get());
    next->res->set_observer(&h.outbox);
    const Reconfiguration report = transfer_state(*old->res, *next->res);
    h.outbox.renumber(report.fb_map);
    old->successor = next;
    h.fiber = std::make_unique<ResourceFiber>(*next->res);
    h.lib = std::move(lib);
    std::atomic_store(&h.engine, next);
    ERL_NIF_TERM m = enif_make_new_map(env);
    auto put = [&](const char* k, ERL_NIF_TERM v) { enif_make_map_put(env, m, make_atom(env, k), v, &m); };
    put("kept", enif_make_uint(env, report.kept));
    put("fresh", enif_make_uint(env, report.fresh));
    put("removed", enif_make_uint(env, report.removed));
    put("lost", enif_make_uint64(env, report.lost_events));
    put("lost_events", binaries(env, report.lost));
    return ok_tuple(env, m);
  });
}

// run(Handle) -> more | idle | {wait, Nanoseconds}: one slice; after
// {wait, _} the owner gets plc_wake when the deadline comes. Starts as a
// short step on this (normal) scheduler; a step that pauses there or leaves
// work, a slice that resumes a paused one, and a busy mutex go on a dirty
// CPU scheduler (enif_schedule_nif), with the full budgets. The one NIF on
// a resource that opens on its own: it must not wait for the mutex.
ERL_NIF_TERM run(ErlNifEnv* env, int argc, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto dirty = [&] { return enif_schedule_nif(env, "run", ERL_NIF_DIRTY_JOB_CPU_BOUND, run_dirty, argc, argv); };
    std::unique_lock lock(h->mutex, std::try_to_lock);
    if (!lock.owns_lock()) return dirty();
    if (h->stopped) release_engine(h);
    Engine* e = h->engine.get();
    if (!e) return stopped(env);
    if (h->fiber->paused()) {
      lock.unlock();
      return dirty();
    }
    e->res->limit_next_step(kShortEvents, kShortInstructions);
    SliceResult s = run_slice(env, *h, *e);
    enif_consume_timeslice(env, 10);
    if (s.paused || s.step.more_work) {  // a long event, or a burst: the rest on a dirty scheduler
      lock.unlock();
      return dirty();
    }
    return slice_result(env, h, s);
  });
}

// describe(Handle) -> [{Fb, Type, [EventInput], [EventOutput]}]: the FBs
// of the (flat) network, in load order. Dirty.
ERL_NIF_TERM describe(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    const Resource& r = *e.res;
    std::vector<ERL_NIF_TERM> fbs;
    for (uint32_t k = 0; k < r.fb_count(); ++k) {
      const FbType& t = r.type_of(FbIndex{k});
      std::vector<std::string> ins, outs;
      for (const auto& ev : t.iface.event_inputs) ins.push_back(ev.name);
      for (const auto& ev : t.iface.event_outputs) outs.push_back(ev.name);
      fbs.push_back(enif_make_tuple4(env, make_binary(env, r.name_of(FbIndex{k})), make_binary(env, t.name),
                                     binaries(env, ins), binaries(env, outs)));
    }
    return enif_make_list_from_array(env, fbs.data(), unsigned(fbs.size()));
  });
}

// var_types(Handle) -> [{Fb, [{Var, TypeName}]}]: every FB's data inputs
// and outputs as loaded, a generic port with the type its load decided
// (runtime/generic_type.h); an array by its element type, a structure by
// its type's name. Dirty.
ERL_NIF_TERM var_types(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    const Resource& r = *e.res;
    std::vector<ERL_NIF_TERM> fbs;
    for (uint32_t k = 0; k < r.fb_count(); ++k) {
      const Interface& i = r.type_of(FbIndex{k}).iface;
      std::vector<ERL_NIF_TERM> vars;
      for (const auto* list : {&i.inputs, &i.outputs})
        for (const VarDecl& v : *list) {
          const std::string type =
              v.type == DataType::kStruct && v.struct_type ? v.struct_type->name : std::string(type_name(v.type));
          vars.push_back(enif_make_tuple2(env, make_binary(env, v.name), make_binary(env, type)));
        }
      fbs.push_back(enif_make_tuple2(env, make_binary(env, r.name_of(FbIndex{k})),
                                     enif_make_list_from_array(env, vars.data(), unsigned(vars.size()))));
    }
    return enif_make_list_from_array(env, fbs.data(), unsigned(fbs.size()));
  });
}

// stats(Handle) -> #{dispatched, dropped, max_depth, queue_depth, ...}. Dirty.
ERL_NIF_TERM stats(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return with_resource<Access::kLocked>(env, argv[0], [&](ResourceHandle&, Engine& e) {
    const Resource& r = *e.res;
    const Stats& s = r.stats();
    ERL_NIF_TERM m = enif_make_new_map(env);
    auto put = [&](const char* k, uint64_t v) {
      enif_make_map_put(env, m, make_atom(env, k), enif_make_uint64(env, v), &m);
    };
    put("dispatched", s.dispatched);
    put("dropped", s.dropped);
    put("max_depth", s.max_depth);
    put("queue_depth", r.queue_depth());
    put("budget_yields", s.budget_yields);
    put("budget_pauses", s.budget_pauses);
    put("faults", s.faults);
    put("test_ends", s.test_ends);
    put("lost", s.lost);
    put("fbs", r.fb_count());
    put("memory_bytes", r.memory_bytes());
    return m;
  });
}

}  // namespace plc::nif
