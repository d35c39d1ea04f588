// The native objects of the NIF, each one NIF resource type whose
// destructor frees it:
// - a library (LibraryHandle): the node's compiled types and systems;
// - a system (SystemHandle): a system's device plan (runtime/device.h),
//   checked once, from which each resource is instantiated on its own, and
//   one Socket per resource;
// - a resource (ResourceHandle): one running IEC 61499 resource, owned by
//   one Erlang process (normally a plc_resource server), which is
//   monitored: when it dies the resource is stopped and its memory freed
//   once the last reference is gone. A resource keeps the library snapshot
//   it was loaded from and, when it belongs to a system, the system's
//   sockets alive (a child keeps its parent alive).
//
// And the one opening every NIF on a resource handle shares
// (with_resource): fetch the handle or raise badarg, then reach the engine,
// locked or live, or return {error, stopped}.
#pragma once

#include <erl_nif.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "nif/alarm_clock.h"
#include "nif/observer.h"
#include "nif/terms.h"
#include "runtime/clock.h"
#include "runtime/device.h"
#include "runtime/language/compiler.h"
#include "runtime/resource.h"
#include "runtime/scheduler.h"
#include "runtime/type_library.h"

namespace plc::nif {

extern ErlNifResourceType* g_resource_type;
extern ErlNifResourceType* g_library_type;
extern ErlNifResourceType* g_system_type;
// The types every resource may use: standard event blocks, process image.
extern std::shared_ptr<const TypeLibrary> g_library;
extern const MonotonicClock g_clock;
extern ERL_NIF_TERM g_atom_wake;
extern ERL_NIF_TERM g_atom_plc_out;

// The environment of the NIF call running on this thread: enif_send from
// inside the engine (a wakeup of another resource's owner) must name it.
extern thread_local ErlNifEnv* t_env;

// ------------------------------------------------------------------ library

// A type library that grows by compiling source text, and the systems
// compiled into it. Copy on write: a compile stages its types in a copy and
// publishes it when the whole file is valid, and every resource keeps the
// library it was loaded from alive, so replacing a type never pulls it from
// under a running resource.
struct LibraryHandle {
  std::mutex mutex;  // one compile at a time
  std::shared_ptr<const TypeLibrary> lib;
  // The library as it is now (a compile may publish another at any time).
  std::shared_ptr<const TypeLibrary> snapshot() {
    std::lock_guard lock(mutex);
    return lib;
  }
  lang::TypeScope scope;
  std::map<std::string, std::shared_ptr<const lang::SystemDef>> systems;  // identifier_key(name)
  // Per system, for the library snapshot `lib` it was made with: the plan
  // of nothing (devices, resources, links, hash: what system_new/3 with []
  // returns). Made when the system is compiled, so that starting one node
  // of a large plant does not read the whole plant twice.
  struct Summary {
    std::shared_ptr<const TypeLibrary> lib;
    std::shared_ptr<const DevicePlan> plan;
  };
  std::map<std::string, Summary> summaries;  // identifier_key(name)
};

// The summary of a system for the library as it is now, made if missing or
// stale; null when the system cannot be planned. Under the library's mutex.
const LibraryHandle::Summary* summary_of(LibraryHandle* h, const std::string& key, const lang::SystemDef& def);

// ------------------------------------------------------------------ engine

// A running resource and how to wake its owner. Shared by the handle and
// by the sockets other resources post through, so that a post in flight
// never outlives what it posts into.
struct Engine final : Alarm {
  std::unique_ptr<Resource> res;
  ErlNifPid owner{};
  std::atomic<bool> wake_pending{false};
  // After a reconfiguration, the engine that took over: what is still
  // posted to this one is forwarded to it (runtime/reconfiguration.h).
  std::shared_ptr<Engine> successor;

  // The next timer deadline has come (AlarmClock's thread).
  void ring() noexcept override { wake(this); }

  // Resource::post's wakeup: one plc_wake to the owner until its next run.
  static void wake(void* self);
};

// Events forwarded and not yet taken by the forwarder (plc_dist returns
// credit with system_credit/2 as it drains its mailbox): past `limit` a
// socket refuses, so a forwarder that cannot keep up makes the senders
// count drops instead of growing its mailbox without bound.
struct Credit {
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> limit{1 << 20};
};

// An event for a resource of the system that runs on another node is sent
// to a local process (the system's plc_dist) as {plc_out, Index, Bin},
// which carries it over Erlang distribution; the receiving node posts Bin
// with post_raw/2. Bin is the event's wire form (runtime/remote_event.h).
struct Route {
  ErlNifPid forwarder;
  uint32_t index;  // the target resource among the system's
  std::shared_ptr<Credit> credit;
};

// Where the other resources of a system send to this one: the instance
// running now on this node; else, when the resource runs on another node,
// the local process that forwards to it; else nothing (the event is
// refused and counted as dropped by the sender).
class Socket final : public EventSink {
 public:
  bool post(const InboxEvent& e) override {
    std::shared_ptr<Engine> t = std::atomic_load(&target_);
    if (t) return t->res->post(e);
    std::shared_ptr<const Route> r = std::atomic_load(&route_);
    return r && forward(*r, e);
  }
  void attach(std::shared_ptr<Engine> e) { std::atomic_store(&target_, std::move(e)); }
  void detach(const Engine* e) {
    std::shared_ptr<Engine> cur = std::atomic_load(&target_);
    if (cur.get() == e) std::atomic_compare_exchange_strong(&target_, &cur, std::shared_ptr<Engine>());
  }
  void route(std::shared_ptr<const Route> r) { std::atomic_store(&route_, std::move(r)); }

 private:
  // Runs on the sending resource's thread, inside a NIF call (t_env).
  static bool forward(const Route& r, const InboxEvent& e) noexcept;

  std::shared_ptr<Engine> target_;
  std::shared_ptr<const Route> route_;
};

// A system loaded for running: its plan and one socket per resource.
struct SystemState {
  std::shared_ptr<Credit> credit = std::make_shared<Credit>();  // of every route to a forwarder
  std::shared_ptr<const TypeLibrary> lib;
  std::shared_ptr<const lang::SystemDef> def;
  std::shared_ptr<const DevicePlan> plan;
  std::vector<std::unique_ptr<Socket>> sockets;
  std::vector<EventSink*> sinks;
};

struct SystemHandle {
  std::shared_ptr<SystemState> state;
};

struct ResourceHandle {
  std::mutex mutex;                        // serialises everything but the enqueueing NIFs
  std::shared_ptr<const TypeLibrary> lib;  // the types the engine runs
  std::shared_ptr<SystemState> system;     // when loaded from a system
  size_t system_index = 0;
  // The enqueueing NIFs read it without the mutex, through an atomic copy,
  // so the owner's death can release the engine while a post is in flight.
  std::shared_ptr<Engine> engine;
  std::unique_ptr<ResourceFiber> fiber;
  Outbox outbox;
  std::atomic<bool> stopped{false};  // the owner died or the monitor failed
};

// Runs under the handle's mutex or in the destructor: nothing else uses the
// engine then but enqueueing NIFs, which hold their own reference.
void release_engine(ResourceHandle* h);

// The resource types' callbacks (nif.cc registers them).
void library_dtor(ErlNifEnv*, void* obj);
void system_dtor(ErlNifEnv*, void* obj);
void handle_dtor(ErlNifEnv*, void* obj);
void handle_down(ErlNifEnv*, void* obj, ErlNifPid*, ErlNifMonitor*);

// ------------------------------------------------------------------ calls

// Every NIF's body runs in here: no C++ exception leaves the NIF (a failed
// allocation raises enomem, anything else plc_internal), and t_env names
// the call's environment meanwhile.
template <typename F>
ERL_NIF_TERM guarded(ErlNifEnv* env, F&& body) {
  ErlNifEnv* outer = t_env;
  t_env = env;
  struct Restore {
    ErlNifEnv* e;
    ~Restore() { t_env = e; }
  } restore{outer};
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return enif_raise_exception(env, make_atom(env, "enomem"));
  } catch (const std::exception& e) {
    return enif_raise_exception(env, enif_make_tuple2(env, make_atom(env, "plc_internal"), make_binary(env, e.what())));
  } catch (...) {
    return enif_raise_exception(env, make_atom(env, "plc_internal"));
  }
}

// Null when the term is not a handle of that type.
ResourceHandle* get_handle(ErlNifEnv* env, ERL_NIF_TERM t);
SystemState* get_system(ErlNifEnv* env, ERL_NIF_TERM t);
LibraryHandle* get_library(ErlNifEnv* env, ERL_NIF_TERM t);

// The handle's mutex, held for a call that uses the engine; false when the
// resource is stopped (and releases it then).
class Locked {
 public:
  explicit Locked(ResourceHandle* h) : lock_(h->mutex) {
    if (h->stopped) release_engine(h);
    e_ = h->engine.get();
  }
  explicit operator bool() const { return e_ != nullptr; }
  Engine& engine() const { return *e_; }
  Resource& res() const { return *e_->res; }

 private:
  std::lock_guard<std::mutex> lock_;
  Engine* e_ = nullptr;
};

enum class Access {
  kLocked,   // under the handle's mutex: reads, start, subscriptions (dirty NIFs)
  kEnqueue,  // a reference to the live engine, no mutex: its inbox is thread-safe
};

// The opening of every NIF on a resource handle but run/1 (which must not
// wait for the mutex): in guarded(), `handle` must be a resource handle,
// else error:{badarg, _}; a stopped resource returns {error, stopped};
// else body(ResourceHandle&, Engine&) runs, holding the mutex for kLocked.
template <Access access, typename Body>
ERL_NIF_TERM with_resource(ErlNifEnv* env, ERL_NIF_TERM handle, Body&& body) {
  return guarded(env, [&]() -> ERL_NIF_TERM {
    ResourceHandle* h = get_handle(env, handle);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    if constexpr (access == Access::kLocked) {
      Locked l(h);
      if (!l) return stopped(env);
      return body(*h, l.engine());
    } else {
      std::shared_ptr<Engine> e = h->stopped ? nullptr : std::atomic_load(&h->engine);
      if (!e) return stopped(env);
      return body(*h, *e);
    }
  });
}

}  // namespace plc::nif
