// The erl_nif glue of plc: decode terms, call runtime/, encode results.
//
// Native objects are NIF resource types:
// - a library (LibraryHandle): the node's compiled types and systems;
// - a system (SystemHandle): a system's device plan (runtime/device.h),
//   checked once, from which each resource is instantiated on its own;
// - a resource (ResourceHandle): one running IEC 61499 resource, owned by
//   one Erlang process (normally a plc_resource server), which is
//   monitored: when it dies the resource is stopped and its memory freed
//   once the last reference is gone. A resource keeps the library snapshot
//   it was loaded from and, when it belongs to a system, the system's
//   sockets alive (a child keeps its parent alive).
//
// Threads. Engine work (load, start, reads) runs on dirty CPU schedulers;
// run/1 starts a short step on the normal scheduler and goes on, if need
// be, on a dirty one, in bounded slices (scheduler.h); post/4, post_batch/4 and
// write/4 only enqueue into the resource's inbox (resource.h) and run on a
// normal scheduler. An enqueue wakes the resource's owner with one
// `plc_wake' message (deduplicated until its next run). Events between the
// resources of a system go through a Socket per resource: the sender posts
// into whatever instance of the target is running now, so a target that
// is restarted (a new instance from the same plan) keeps receiving.
//
// Messages. Output events go straight from the engine to each subscriber
// of that output as {plc_event, OwnerPid, <<"Fb.Event">>, #{Var => Value}};
// process-image writes, alarms and faults go to the owner (plc_resource
// logs them and forwards them). No C++ exception leaves this file: every
// entry point catches and raises.
#include <dlfcn.h>
#include <erl_nif.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "nif/alarm_clock.h"
#include "nif/terms.h"
#include "runtime/device.h"
#include "runtime/fourdiac/load_file.h"
#include "runtime/language/compiler.h"
#include "runtime/process_image.h"
#include "runtime/resource.h"
#include "runtime/scheduler.h"
#include "runtime/type_library.h"

namespace plc::nif {
namespace {

ErlNifResourceType* g_resource_type = nullptr;
ErlNifResourceType* g_library_type = nullptr;
ErlNifResourceType* g_system_type = nullptr;
// The types every resource may use: standard event blocks, process image.
std::shared_ptr<const TypeLibrary> g_library;
const MonotonicClock g_clock;
ERL_NIF_TERM g_atom_wake;
ERL_NIF_TERM g_atom_plc_out;

// The environment of the NIF call running on this thread: enif_send from
// inside the engine (a wakeup of another resource's owner) must name it.
thread_local ErlNifEnv* t_env = nullptr;

// ------------------------------------------------------------------ library

// A type library that grows by compiling source text, and the systems
// compiled into it. Copy on write: a compile stages its types in a copy and
// publishes it when the whole file is valid, and every resource keeps the
// library it was loaded from alive, so replacing a type never pulls it from
// under a running resource.
struct LibraryHandle {
  std::mutex mutex;  // one compile at a time
  std::shared_ptr<const TypeLibrary> lib;
  lang::TypeScope scope;
  std::map<std::string, std::shared_ptr<const lang::SystemDef>> systems;  // identifier_key(name)
  // Per system, for the library snapshot `lib` it was made with: the plan
  // of nothing (devices, resources, links: what system_new/3 with [] returns)
  // and the plan's hash. Made when the system is compiled, so that starting
  // one node of a large plant does not read the whole plant twice.
  struct Summary {
    std::shared_ptr<const TypeLibrary> lib;
    std::shared_ptr<const DevicePlan> plan;
    uint64_t hash = 0;
  };
  std::map<std::string, Summary> summaries;  // identifier_key(name)
};

void library_dtor(ErlNifEnv*, void* obj) { static_cast<LibraryHandle*>(obj)->~LibraryHandle(); }

// ------------------------------------------------------------------ engine

// A running resource and how to wake its owner. Shared by the handle and
// by the sockets other resources post through, so that a post in flight
// never outlives what it posts into.
struct Engine final : Alarm {
  std::unique_ptr<Resource> res;
  ErlNifPid owner{};
  std::atomic<bool> wake_pending{false};

  // The next timer deadline has come (AlarmClock's thread).
  void ring() noexcept override { wake(this); }

  // Resource::post's wakeup: one plc_wake to the owner until its next run.
  static void wake(void* self) {
    auto* e = static_cast<Engine*>(self);
    if (e->wake_pending.exchange(true, std::memory_order_acq_rel)) return;
    if (t_env) {
      enif_send(t_env, &e->owner, nullptr, g_atom_wake);
    } else {  // not a scheduler thread
      ErlNifEnv* env = enif_alloc_env();
      enif_send(nullptr, &e->owner, env, g_atom_wake);
      enif_free_env(env);
    }
  }
};

// An event for a resource of the system that runs on another node: it is
// sent to a local process (the system's plc_dist) as
// {plc_out, TargetIndex, Bin}, which carries it over Erlang distribution;
// the receiving node posts Bin with post_raw/2. Both nodes load the same
// system, so the FB index, event index and slots mean the same there.
// Bin: fb u32, ei u16, count u8, then count times (slot u32, value u64),
// all little-endian (the nodes of a plant need not share a byte order).
constexpr size_t kRawHeader = 7, kRawValue = 12;

void put_le(unsigned char*& p, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) *p++ = static_cast<unsigned char>(v >> (8 * k));
}
uint64_t get_le(const unsigned char*& p, int bytes) {
  uint64_t v = 0;
  for (int k = 0; k < bytes; ++k) v |= uint64_t(*p++) << (8 * k);
  return v;
}

// Events forwarded and not yet taken by the forwarder (plc_dist returns
// credit with system_credit/2 as it drains its mailbox): past `limit` a
// socket refuses, so a forwarder that cannot keep up makes the senders
// count drops instead of growing its mailbox without bound.
struct Credit {
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> limit{1 << 20};
};

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
  static bool forward(const Route& r, const InboxEvent& e) noexcept {
    thread_local ErlNifEnv* msg_env = enif_alloc_env();
    if (!msg_env || e.count > InboxEvent::kMaxValues) return false;
    if (r.credit->in_flight.fetch_add(1, std::memory_order_relaxed) >= r.credit->limit.load(std::memory_order_relaxed)) {
      r.credit->in_flight.fetch_sub(1, std::memory_order_relaxed);
      return false;
    }
    ERL_NIF_TERM bin;
    unsigned char* p = enif_make_new_binary(msg_env, kRawHeader + kRawValue * e.count, &bin);
    if (!p) return false;
    put_le(p, e.fb, 4);
    put_le(p, index_of(e.ei), 2);
    put_le(p, e.count, 1);
    for (unsigned k = 0; k < e.count; ++k) {
      put_le(p, e.slot[k], 4);
      put_le(p, e.value[k].u, 8);
    }
    ERL_NIF_TERM msg = enif_make_tuple3(msg_env, g_atom_plc_out, enif_make_uint(msg_env, r.index), bin);
    ErlNifPid to = r.forwarder;
    const bool sent = enif_send(t_env, &to, msg_env, msg) != 0;
    enif_clear_env(msg_env);
    if (!sent) r.credit->in_flight.fetch_sub(1, std::memory_order_relaxed);
    return sent;
  }

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

void system_dtor(ErlNifEnv*, void* obj) { static_cast<SystemHandle*>(obj)->~SystemHandle(); }

// Receives the engine's callbacks during a slice. Output events go to the
// subscribers of that output, everything else to the owner.
class Outbox final : public ResourceObserver {
 public:
  Outbox() : msg_env_(enif_alloc_env()) {}
  ~Outbox() override { enif_free_env(msg_env_); }
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void bind(ErlNifEnv* caller, const Engine* e) {
    caller_ = caller;
    owner_ = e->owner;
    r_ = e->res.get();
  }

  // Subscribers of one output (fb, eo); true when it has any left.
  bool subscribe(FbIndex fb, EventId eo, const ErlNifPid& pid) {
    auto& subs = subscribers_[key(fb, eo)];
    if (std::none_of(subs.begin(), subs.end(), [&](const ErlNifPid& p) { return same(p, pid); })) subs.push_back(pid);
    return true;
  }
  bool unsubscribe(FbIndex fb, EventId eo, const ErlNifPid& pid) {
    auto it = subscribers_.find(key(fb, eo));
    if (it == subscribers_.end()) return false;
    auto& subs = it->second;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [&](const ErlNifPid& p) { return same(p, pid); }), subs.end());
    if (!subs.empty()) return true;
    subscribers_.erase(it);
    return false;
  }

  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
    auto it = subscribers_.find(key(fb, eo));
    if (it == subscribers_.end() || it->second.empty()) return;
    try {
      const auto& iface = r_->type_of(fb).iface;
      const auto& decl = iface.event_outputs[index_of(eo)];
      ERL_NIF_TERM data = enif_make_new_map(msg_env_);
      for (uint16_t k : decl.with) {
        const auto& var = iface.outputs[k];
        enif_make_map_put(msg_env_, data, make_binary(msg_env_, var.name),
                          make_var(msg_env_, var, vars + iface.output_slot(k)), &data);
      }
      ERL_NIF_TERM msg = enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_event"), enif_make_pid(msg_env_, &owner_),
                                          make_binary(msg_env_, r_->name_of(fb) + "." + decl.name), data);
      const auto& subs = it->second;
      for (size_t k = 0; k + 1 < subs.size(); ++k) {
        // enif_send consumes the message environment: copy for all but the last.
        ErlNifEnv* copy = enif_alloc_env();
        enif_send(caller_, &subs[k], copy, enif_make_copy(copy, msg));
        enif_free_env(copy);
      }
      enif_send(caller_, &subs.back(), msg_env_, msg);
    } catch (...) {
    }
    enif_clear_env(msg_env_);
  }

  // Drops are many when a burst meets a full queue: they are reported once
  // per (fb, port) per slice, with the last cumulative total (flush()).
  void on_overflow(FbIndex fb, EventId eo, uint64_t total) noexcept override {
    const uint64_t k = key(fb, eo);
    for (auto& o : overflows_)
      if (o.key == k) {
        o.total = total;
        return;
      }
    try {
      overflows_.push_back({k, fb, eo, total});
    } catch (...) {  // out of memory: this report is lost, not the VM
    }
  }

  // Sends what on_overflow gathered: {plc_overflow, Fb, Port, Total} to the
  // owner, one per (fb, port), in the order they first overflowed. Called
  // after every slice (and start).
  void flush() noexcept {
    for (const auto& o : overflows_)
      send([&] {
        const std::string port =
            o.eo == kNoEvent ? std::string("inbox") : r_->type_of(o.fb).iface.event_outputs[index_of(o.eo)].name;
        return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_overflow"), make_binary(msg_env_, r_->name_of(o.fb)),
                                make_binary(msg_env_, port), enif_make_uint64(msg_env_, o.total));
      });
    overflows_.clear();
  }

  void on_runaway(FbIndex fb) noexcept override {
    send([&] {
      return enif_make_tuple2(msg_env_, make_atom(msg_env_, "plc_runaway"), make_binary(msg_env_, r_->name_of(fb)));
    });
  }

  void on_io_write(FbIndex fb, const std::string& address, DataType type, Value v) noexcept override {
    send([&] {
      VarDecl var{"", type, {}, 0, 0, nullptr};
      return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_io"), make_binary(msg_env_, r_->name_of(fb)),
                              make_binary(msg_env_, address), make_var(msg_env_, var, &v));
    });
  }

  void on_fault(FbIndex fb, const char* what, const std::string& where) noexcept override {
    send([&] {
      return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_fault"), make_binary(msg_env_, r_->name_of(fb)),
                              make_binary(msg_env_, where), make_binary(msg_env_, what));
    });
  }

 private:
  static uint64_t key(FbIndex fb, EventId eo) { return (uint64_t(index_of(fb)) << 16) | index_of(eo); }
  static bool same(const ErlNifPid& a, const ErlNifPid& b) { return enif_compare_pids(&a, &b) == 0; }

  // The callbacks run inside the resource's fiber and are noexcept
  // (resource.h): a message that cannot be built (out of memory) is dropped
  // rather than taking the VM down.
  template <typename Build>
  void send(Build build) noexcept {
    try {
      enif_send(caller_, &owner_, msg_env_, build());
    } catch (...) {
    }
    enif_clear_env(msg_env_);
  }

  ErlNifEnv* msg_env_;
  ErlNifEnv* caller_ = nullptr;
  ErlNifPid owner_{};
  const Resource* r_ = nullptr;
  std::unordered_map<uint64_t, std::vector<ErlNifPid>> subscribers_;
  struct Overflow {
    uint64_t key;
    FbIndex fb;
    EventId eo;
    uint64_t total;
  };
  std::vector<Overflow> overflows_;  // of the slice running now
};

struct ResourceHandle {
  std::mutex mutex;  // serialises everything but the enqueueing NIFs
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
void release_engine(ResourceHandle* h) {
  h->fiber.reset();
  std::shared_ptr<Engine> e = std::atomic_load(&h->engine);
  if (h->system && e) h->system->sockets[h->system_index]->detach(e.get());
  std::atomic_store(&h->engine, std::shared_ptr<Engine>());
}

void handle_dtor(ErlNifEnv*, void* obj) {
  auto* h = static_cast<ResourceHandle*>(obj);
  release_engine(h);
  h->~ResourceHandle();
}

// Runs on a normal scheduler: never waits for a running slice. When run()
// holds the mutex, the engine is released by the next locked call or by
// the destructor instead.
void handle_down(ErlNifEnv*, void* obj, ErlNifPid*, ErlNifMonitor*) {
  auto* h = static_cast<ResourceHandle*>(obj);
  h->stopped = true;
  std::unique_lock lock(h->mutex, std::try_to_lock);
  if (lock.owns_lock()) release_engine(h);
}

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

ResourceHandle* get_handle(ErlNifEnv* env, ERL_NIF_TERM t) {
  void* obj = nullptr;
  if (!enif_get_resource(env, t, g_resource_type, &obj)) return nullptr;
  return static_cast<ResourceHandle*>(obj);
}

// The running engine of a handle, for enqueueing without the mutex.
std::shared_ptr<Engine> live_engine(ResourceHandle* h) {
  if (h->stopped) return nullptr;
  return std::atomic_load(&h->engine);
}

// Takes the handle's mutex for a call that uses the engine; fails when the
// resource is stopped (and releases it then).
class Locked {
 public:
  explicit Locked(ResourceHandle* h) : h_(h), lock_(h->mutex) {
    if (h->stopped) release_engine(h);
    e_ = h->engine.get();
  }
  explicit operator bool() const { return e_ != nullptr; }
  Engine& engine() const { return *e_; }
  Resource& res() const { return *e_->res; }

 private:
  ResourceHandle* h_;
  std::lock_guard<std::mutex> lock_;
  Engine* e_ = nullptr;
};

ERL_NIF_TERM ok_tuple(ErlNifEnv* env, ERL_NIF_TERM t) { return enif_make_tuple2(env, make_atom(env, "ok"), t); }

// What every NIF on a resource handle returns once the resource is stopped
// (its owner died): a value, not an exception, so that a caller racing a
// restart (plc_dist, plc:inject) tells it from its own bug without
// matching a message.
ERL_NIF_TERM stopped(ErlNifEnv* env) { return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, "stopped")); }

// What an enqueueing NIF returns when the resource's inbox is full.
ERL_NIF_TERM inbox_full(ErlNifEnv* env) { return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, "inbox_full")); }

ERL_NIF_TERM binaries(ErlNifEnv* env, const std::vector<std::string>& items) {
  ERL_NIF_TERM list = enif_make_list(env, 0);
  for (auto it = items.rbegin(); it != items.rend(); ++it) list = enif_make_list_cell(env, make_binary(env, *it), list);
  return list;
}

ERL_NIF_TERM error_list(ErlNifEnv* env, const Diagnostics& d) {
  std::vector<std::string> errors;
  for (const auto& e : d.list())
    if (!e.warning) errors.push_back(e.str());
  return enif_make_tuple2(env, make_atom(env, "error"), binaries(env, errors));
}

// ------------------------------------------------------------------ networks

// "FB.PORT" pairs from a list of {Src, Dst} tuples.
bool get_connections(ErlNifEnv* env, ERL_NIF_TERM list, std::vector<ConnectionDecl>& out, std::string& why) {
  auto items = get_list(env, list);
  if (!items) return why = "connections must be a list", false;
  for (ERL_NIF_TERM item : *items) {
    auto pair = get_tuple(env, item, 2);
    std::optional<std::string> s, d;
    if (pair) s = get_string(env, (*pair)[0]), d = get_string(env, (*pair)[1]);
    if (!s || !d) return why = "a connection must be {<<\"FB.OUT\">>, <<\"FB.IN\">>}", false;
    out.push_back({*s, *d, ""});
  }
  return true;
}

bool get_options(ErlNifEnv* env, ERL_NIF_TERM spec, ResourceOptions& opts, std::string& why) {
  if (auto q = get_map_value(env, spec, "queue_capacity")) {
    auto v = get_uint(env, *q);
    if (!v || *v == 0 || *v > (1u << 24)) return why = "queue_capacity must be an integer in 1..16777216", false;
    opts.queue_capacity = uint32_t(*v);
    opts.payload_capacity = uint32_t(*v) * 4;
  }
  if (auto b = get_map_value(env, spec, "event_budget")) {
    auto v = get_uint(env, *b);
    if (!v || *v == 0 || *v > (1u << 30)) return why = "event_budget must be an integer in 1..2^30", false;
    opts.event_budget = uint32_t(*v);
  }
  if (auto b = get_map_value(env, spec, "instruction_budget")) {
    auto v = get_uint(env, *b);
    if (!v || *v < 100 || *v > (1ull << 40)) return why = "instruction_budget must be an integer in 100..2^40", false;
    opts.instruction_budget = int64_t(*v);
  }
  if (auto b = get_map_value(env, spec, "max_algorithm_slices")) {
    auto v = get_uint(env, *b);
    if (!v || *v > (1u << 30)) return why = "max_algorithm_slices must be an integer in 0..2^30 (0: unlimited)", false;
    opts.max_algorithm_slices = uint32_t(*v);
  }
  if (auto b = get_map_value(env, spec, "inbox_capacity")) {
    auto v = get_uint(env, *b);
    if (!v || *v == 0 || *v > (1u << 28)) return why = "inbox_capacity must be an integer in 1..2^28", false;
    opts.inbox_capacity = uint32_t(*v);
  }
  return true;
}

bool get_network(ErlNifEnv* env, ERL_NIF_TERM spec, FbNetwork& net, std::string& why) {
  auto fbs = get_map_value(env, spec, "fbs");
  auto items = fbs ? get_list(env, *fbs) : std::nullopt;
  if (!items) return why = "fbs must be a list of {Name, Type, Params}", false;
  for (ERL_NIF_TERM item : *items) {
    auto t = get_tuple(env, item, 3);
    std::optional<std::string> name, type;
    std::optional<std::vector<ERL_NIF_TERM>> params;
    if (t) name = get_string(env, (*t)[0]), type = get_string(env, (*t)[1]), params = get_list(env, (*t)[2]);
    if (!name || !type || !params) return why = "an FB must be {Name, Type, [{Param, Literal}]}", false;
    FbInstanceDecl decl{*name, *type, {}, ""};
    for (ERL_NIF_TERM p : *params) {
      auto pt = get_tuple(env, p, 2);
      std::optional<std::string> pn, pv;
      if (pt) pn = get_string(env, (*pt)[0]), pv = get_string(env, (*pt)[1]);
      if (!pn || !pv) return why = "a parameter must be {Name, Literal}", false;
      decl.parameters.push_back({*pn, *pv});
    }
    net.fbs.push_back(std::move(decl));
  }
  if (auto ev = get_map_value(env, spec, "events"); ev && !get_connections(env, *ev, net.event_connections, why))
    return false;
  if (auto da = get_map_value(env, spec, "data"); da && !get_connections(env, *da, net.data_connections, why))
    return false;
  return true;
}

SystemState* get_system(ErlNifEnv* env, ERL_NIF_TERM t) {
  void* obj = nullptr;
  if (!enif_get_resource(env, t, g_system_type, &obj)) return nullptr;
  return static_cast<SystemHandle*>(obj)->state.get();
}

LibraryHandle* get_library(ErlNifEnv* env, ERL_NIF_TERM t) {
  void* obj = nullptr;
  if (!enif_get_resource(env, t, g_library_type, &obj)) return nullptr;
  return static_cast<LibraryHandle*>(obj);
}

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
      if (!enif_get_resource(env, *s, g_system_type, &obj)) return raise_badarg(env, "system must be a plc system handle");
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
    std::shared_ptr<const TypeLibrary> lib = g_library;
    if (auto l = get_map_value(env, argv[0], "library")) {
      LibraryHandle* lh = get_library(env, *l);
      if (!lh) return raise_badarg(env, "library must be a plc library handle");
      std::lock_guard lock(lh->mutex);
      lib = lh->lib;
    }
    auto loaded = Resource::load(net, *lib, opts);
    if (!loaded) return error_list(env, loaded.errors());
    return make_handle(env, std::move(loaded.value()), std::move(lib), nullptr, 0);
  });
}

struct Port {
  FbIndex fb;
  EventId event;
};

// Resolves "FB" and "PORT" against an event input or output.
std::optional<Port> find_event(const Resource& r, const std::string& fb, const std::string& port, bool input) {
  auto f = r.find_fb(fb);
  if (!f) return std::nullopt;
  const auto& iface = r.type_of(*f).iface;
  auto e = input ? iface.find_event_input(port) : iface.find_event_output(port);
  if (!e) return std::nullopt;
  return Port{*f, *e};
}

// subscribe(Handle, Fb, EventOutput, Pid) / unsubscribe(...) -> ok. Dirty.
ERL_NIF_TERM subscription(ErlNifEnv* env, const ERL_NIF_TERM argv[], bool on) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto fb = get_string(env, argv[1]);
    auto eo = get_string(env, argv[2]);
    ErlNifPid pid;
    if (!fb || !eo) return raise_badarg(env, "FB and event names must be binaries");
    if (!enif_get_local_pid(env, argv[3], &pid)) return raise_badarg(env, "the subscriber must be a local pid");
    Locked l(h);
    if (!l) return stopped(env);
    auto port = find_event(l.res(), *fb, *eo, false);
    if (!port) return raise_badarg(env, "no event output " + *fb + "." + *eo);
    const bool any = on ? h->outbox.subscribe(port->fb, port->event, pid)
                        : h->outbox.unsubscribe(port->fb, port->event, pid);
    l.res().observe(port->fb, port->event, any);
    return make_atom(env, "ok");
  });
}

ERL_NIF_TERM subscribe(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) { return subscription(env, argv, true); }
ERL_NIF_TERM unsubscribe(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) { return subscription(env, argv, false); }

// Fills `e` with the values of [{InputName, Value}] for an event of fb.
bool get_event_values(ErlNifEnv* env, const Resource& r, FbIndex fb, const std::string& fb_name, ERL_NIF_TERM list,
                      InboxEvent& e, std::string& why) {
  const auto& iface = r.type_of(fb).iface;
  ERL_NIF_TERM head, tail = list;
  Value buf[InboxEvent::kMaxValues];
  while (enif_get_list_cell(env, tail, &head, &tail)) {
    int arity;
    const ERL_NIF_TERM* pair;
    std::optional<std::string> name;
    if (enif_get_tuple(env, head, &arity, &pair) && arity == 2) name = get_string(env, pair[0]);
    auto k = name ? iface.find_input(*name) : std::nullopt;
    if (!k) return why = "values must be {InputName, Value} for inputs of " + fb_name, false;
    const VarDecl& var = iface.inputs[*k];
    const uint32_t n = var.slots();
    if (e.count + n > uint32_t(InboxEvent::kMaxValues))
      return why = "one event carries at most " + std::to_string(InboxEvent::kMaxValues) + " values (slots)", false;
    if (!get_var(env, pair[1], var, buf))
      return why = "value for " + fb_name + "." + *name + " is not a " + std::string(type_name(var.type)) +
                   (var.array_size ? " array of " + std::to_string(var.array_size) : std::string()),
             false;
    for (uint32_t s = 0; s < n; ++s) {
      e.slot[e.count] = r.slot_of(fb, iface.input_slot(*k) + s);
      e.value[e.count++] = buf[s];
    }
  }
  if (!enif_is_empty_list(env, tail)) return why = "values must be a proper list", false;
  return true;
}

// post(Handle, Fb, EventInput, [{Var, Value}]) -> ok | {error, inbox_full}.
// Only enqueues: a normal scheduler.
ERL_NIF_TERM post(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto fb = get_string(env, argv[1]);
    auto ei = get_string(env, argv[2]);
    if (!fb || !ei || !enif_is_list(env, argv[3]))
      return raise_badarg(env, "expected post(Handle, Fb, Event, [{Var, Value}])");
    // The name tables are immutable after load and post() is thread-safe.
    std::shared_ptr<Engine> e = live_engine(h);
    if (!e) return stopped(env);
    const Resource& r = *e->res;
    auto port = find_event(r, *fb, *ei, true);
    if (!port) return raise_badarg(env, "no event input " + *fb + "." + *ei);
    InboxEvent ev;
    ev.fb = index_of(port->fb);
    ev.ei = port->event;
    std::string why;
    if (!get_event_values(env, r, port->fb, *fb, argv[3], ev, why)) return raise_badarg(env, why);
    if (!e->res->post(ev)) return inbox_full(env);
    return make_atom(env, "ok");
  });
}

// Posts the events in order until the inbox is full; how many it took.
ERL_NIF_TERM post_in_order(ErlNifEnv* env, Resource& r, const std::vector<InboxEvent>& events) {
  const unsigned n = unsigned(events.size());
  unsigned accepted = 0;
  while (accepted < n && r.post(events[accepted])) ++accepted;
  enif_consume_timeslice(env, int(std::min(100u, 1 + n / 64)));
  return enif_make_uint(env, accepted);
}

// post_batch(Handle, Fb, EventInput, [[{Var, Value}]]) -> Accepted: one
// event per element, in order, until the inbox is full. At most 4096
// events per call (plc splits larger batches), so a call stays well under
// a millisecond on a normal scheduler.
ERL_NIF_TERM post_batch(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto fb = get_string(env, argv[1]);
    auto ei = get_string(env, argv[2]);
    unsigned n = 0;
    if (!fb || !ei || !enif_get_list_length(env, argv[3], &n))
      return raise_badarg(env, "expected post_batch(Handle, Fb, Event, [[{Var, Value}]])");
    if (n > 4096) return raise_badarg(env, "at most 4096 events per post_batch");
    std::shared_ptr<Engine> e = live_engine(h);
    if (!e) return stopped(env);
    const Resource& r = *e->res;
    auto port = find_event(r, *fb, *ei, true);
    if (!port) return raise_badarg(env, "no event input " + *fb + "." + *ei);
    // Decode everything first: a bad element refuses the whole batch.
    std::vector<InboxEvent> events(n);
    ERL_NIF_TERM head, tail = argv[3];
    std::string why;
    for (unsigned k = 0; enif_get_list_cell(env, tail, &head, &tail); ++k) {
      events[k].fb = index_of(port->fb);
      events[k].ei = port->event;
      if (!enif_is_list(env, head)) return raise_badarg(env, "each element must be a list of {Var, Value}");
      if (!get_event_values(env, r, port->fb, *fb, head, events[k], why)) return raise_badarg(env, why);
    }
    return post_in_order(env, *e->res, events);
  });
}

// Whether `v` may be stored at slot `offset` of variable `var` (its element
// layout repeated over an array), normalising it on the way: a string's
// length slot never exceeds its capacity (the string builtins trust it),
// integers are kept to their width and BOOL to 0/1, as the engine keeps them.
bool valid_slot(const VarDecl& var, uint32_t offset, Value& v) {
  const uint32_t es = var.element_slots();
  if (es == 0) return false;
  const uint32_t within = offset % es;
  switch (var.type) {
    case DataType::kString:
    case DataType::kWstring:
      return within != 0 || v.u <= var.max_length();
    case DataType::kStruct: {
      if (!var.struct_type) return false;
      uint32_t at = 0;
      for (const auto& m : var.struct_type->members) {
        const uint32_t n = m.slots();
        if (within < at + n) return valid_slot(m, within - at, v);
        at += n;
      }
      return false;
    }
    case DataType::kBool:
      v.u = v.u != 0;
      return true;
    default:
      if (is_signed_int(var.type) || is_unsigned_int(var.type)) v = normalize(var.type, v);
      return true;
  }
}

// Decodes one event sent by another node's Socket (see kRawHeader) and
// checks it against this resource: an FB, one of its event inputs, slots
// among that FB's inputs only, values that fit their slots. Nothing in it is
// trusted: another node may run another version of a type.
bool decode_raw(const Resource& r, const ErlNifBinary& b, InboxEvent& e) {
  if (b.size < kRawHeader) return false;
  const unsigned char* p = b.data;
  const uint64_t fb = get_le(p, 4), ei = get_le(p, 2), count = get_le(p, 1);
  if (count > uint64_t(InboxEvent::kMaxValues) || b.size != kRawHeader + kRawValue * count) return false;
  if (fb >= r.fb_count()) return false;
  const FbIndex f{uint32_t(fb)};
  const auto& iface = r.type_of(f).iface;
  if (ei >= iface.event_inputs.size()) return false;
  const uint32_t base = r.slot_of(f, 0);
  e.fb = uint32_t(fb);
  e.ei = EventId{uint16_t(ei)};
  e.count = uint8_t(count);
  for (unsigned k = 0; k < count; ++k) {
    const uint64_t slot = get_le(p, 4);
    Value v{.u = get_le(p, 8)};
    if (slot < base) return false;
    const uint64_t local = slot - base;
    bool ok = false;
    for (uint16_t in = 0; in < iface.inputs.size() && !ok; ++in) {
      const uint32_t first = iface.input_slot(in), n = iface.inputs[in].slots();
      if (local >= first && local < uint64_t(first) + n) {
        if (!valid_slot(iface.inputs[in], uint32_t(local - first), v)) return false;
        ok = true;
      }
    }
    if (!ok) return false;
    e.slot[k] = uint32_t(slot);
    e.value[k] = v;
  }
  return true;
}

// post_raw(Handle, [Bin]) -> Accepted: events sent by another node's
// resources (each Bin as the Socket encodes it), posted in order until the
// inbox is full. At most 4096 per call. A malformed Bin refuses the whole
// call with badarg before anything is posted.
ERL_NIF_TERM post_raw(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    unsigned n = 0;
    if (!enif_get_list_length(env, argv[1], &n)) return raise_badarg(env, "expected post_raw(Handle, [binary()])");
    if (n > 4096) return raise_badarg(env, "at most 4096 events per post_raw");
    std::shared_ptr<Engine> e = live_engine(h);
    if (!e) return stopped(env);
    std::vector<InboxEvent> events(n);
    ERL_NIF_TERM head, tail = argv[1];
    for (unsigned k = 0; enif_get_list_cell(env, tail, &head, &tail); ++k) {
      ErlNifBinary b;
      if (!enif_inspect_binary(env, head, &b) || !decode_raw(*e->res, b, events[k]))
        return raise_badarg(env, "not an event of this resource (another system, or another version of it?)");
    }
    return post_in_order(env, *e->res, events);
  });
}

// Finds a variable of an FB: input, output or internal.
const VarDecl* find_var(const Resource& r, FbIndex fb, const std::string& name, uint32_t& slot) {
  const auto& iface = r.type_of(fb).iface;
  if (auto k = iface.find_input(name)) return slot = iface.input_slot(*k), &iface.inputs[*k];
  if (auto k = iface.find_output(name)) return slot = iface.output_slot(*k), &iface.outputs[*k];
  if (auto k = iface.find_internal(name)) return slot = iface.internal_slot(*k), &iface.internals[*k];
  return nullptr;
}

// read(Handle, [{Fb, Var}]) -> [Value]. Dirty: takes the handle's lock, so
// it sees the variables between slices.
ERL_NIF_TERM read(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto items = get_list(env, argv[1]);
    if (!items) return raise_badarg(env, "expected a list of {Fb, Var}");
    Locked l(h);
    if (!l) return stopped(env);
    const Resource& r = l.res();
    std::vector<ERL_NIF_TERM> out;
    for (ERL_NIF_TERM item : *items) {
      auto pair = get_tuple(env, item, 2);
      std::optional<std::string> fb, var;
      if (pair) fb = get_string(env, (*pair)[0]), var = get_string(env, (*pair)[1]);
      if (!fb || !var) return raise_badarg(env, "expected {Fb, Var} binaries");
      auto f = r.find_fb(*fb);
      if (!f) return raise_badarg(env, "no FB " + *fb);
      uint32_t slot = 0;
      const VarDecl* d = find_var(r, *f, *var, slot);
      if (!d) return raise_badarg(env, "no variable " + *fb + "." + *var);
      out.push_back(make_var(env, *d, r.vars(*f) + slot));
    }
    return enif_make_list_from_array(env, out.data(), unsigned(out.size()));
  });
}

// write(Handle, Fb, Var, Value) -> ok | {error, inbox_full}: sets any
// variable of an FB between two events (through the inbox, so in order
// with posted events). Only enqueues.
ERL_NIF_TERM write(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto fb = get_string(env, argv[1]);
    auto var = get_string(env, argv[2]);
    if (!fb || !var) return raise_badarg(env, "FB and variable names must be binaries");
    std::shared_ptr<Engine> e = live_engine(h);
    if (!e) return stopped(env);
    const Resource& r = *e->res;
    auto f = r.find_fb(*fb);
    if (!f) return raise_badarg(env, "no FB " + *fb);
    uint32_t slot = 0;
    const VarDecl* d = find_var(r, *f, *var, slot);
    if (!d) return raise_badarg(env, "no variable " + *fb + "." + *var);
    std::vector<Value> values(d->slots());
    if (!get_var(env, argv[3], *d, values.data()))
      return raise_badarg(env, "value for " + *fb + "." + *var + " is not a " + std::string(type_name(d->type)));
    // Plain writes, in pieces of kMaxValues slots (one producer: in order).
    for (uint32_t done = 0; done < values.size();) {
      InboxEvent ev;
      ev.fb = index_of(*f);
      ev.ei = kNoEvent;
      for (; done < values.size() && ev.count < InboxEvent::kMaxValues; ++done) {
        ev.slot[ev.count] = r.slot_of(*f, slot + done);
        ev.value[ev.count++] = values[done];
      }
      if (!e->res->post(ev)) return inbox_full(env);
    }
    return make_atom(env, "ok");
  });
}

// start(Handle, cold | warm) -> ok. Dirty.
ERL_NIF_TERM start(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    char mode[8];
    if (!enif_get_atom(env, argv[1], mode, sizeof mode, ERL_NIF_LATIN1) ||
        (std::string(mode) != "cold" && std::string(mode) != "warm"))
      return raise_badarg(env, "start mode must be cold or warm");
    Locked l(h);
    if (!l) return stopped(env);
    h->outbox.bind(env, &l.engine());
    l.res().start(std::string(mode) == "cold");
    h->outbox.flush();
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

// A slice with the resource's full budgets, on a dirty CPU scheduler.
ERL_NIF_TERM run_dirty(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    Locked l(h);
    if (!l) return stopped(env);
    l.engine().wake_pending.store(false, std::memory_order_release);
    h->outbox.bind(env, &l.engine());
    const SliceResult s = h->fiber->run_slice(g_clock.now());
    h->outbox.flush();
    return slice_result(env, h, s);
  });
}

// A short step on a normal scheduler: at most kShortEvents events and
// kShortInstructions algorithm instructions (well under a millisecond), so
// a lone event goes in and out without a trip to a dirty scheduler.
constexpr uint32_t kShortEvents = 64;
constexpr int64_t kShortInstructions = 20000;

// run(Handle) -> more | idle | {wait, Nanoseconds}: one slice; after
// {wait, _} the owner gets plc_wake when the deadline comes. Starts as a
// short step on this (normal) scheduler; a step that pauses there or leaves
// work, a slice that resumes a paused one, and a busy mutex go on a dirty
// CPU scheduler (enif_schedule_nif), with the full budgets.
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
    e->wake_pending.store(false, std::memory_order_release);
    h->outbox.bind(env, e);
    e->res->limit_next_step(kShortEvents, kShortInstructions);
    SliceResult s = h->fiber->run_slice(g_clock.now());
    h->outbox.flush();
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
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    Locked l(h);
    if (!l) return stopped(env);
    const Resource& r = l.res();
    std::vector<ERL_NIF_TERM> fbs;
    for (uint32_t k = 0; k < r.fb_count(); ++k) {
      const FbType& t = r.type_of(FbIndex{k});
      std::vector<std::string> ins, outs;
      for (const auto& e : t.iface.event_inputs) ins.push_back(e.name);
      for (const auto& e : t.iface.event_outputs) outs.push_back(e.name);
      fbs.push_back(enif_make_tuple4(env, make_binary(env, r.name_of(FbIndex{k})), make_binary(env, t.name),
                                     binaries(env, ins), binaries(env, outs)));
    }
    return enif_make_list_from_array(env, fbs.data(), unsigned(fbs.size()));
  });
}

// stats(Handle) -> #{dispatched, dropped, max_depth, queue_depth, ...}. Dirty.
ERL_NIF_TERM stats(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    Locked l(h);
    if (!l) return stopped(env);
    const Resource& r = l.res();
    const Stats& s = r.stats();
    ERL_NIF_TERM m = enif_make_new_map(env);
    auto put = [&](const char* k, uint64_t v) { enif_make_map_put(env, m, make_atom(env, k), enif_make_uint64(env, v), &m); };
    put("dispatched", s.dispatched);
    put("dropped", s.dropped);
    put("max_depth", s.max_depth);
    put("queue_depth", r.queue_depth());
    put("budget_yields", s.budget_yields);
    put("budget_pauses", s.budget_pauses);
    put("faults", s.faults);
    put("fbs", r.fb_count());
    put("memory_bytes", r.memory_bytes());
    return m;
  });
}

// library_new() -> Library: the standard blocks and the process image.
ERL_NIF_TERM library_new(ErlNifEnv* env, int, const ERL_NIF_TERM[]) {
  return guarded(env, [&] {
    void* mem = enif_alloc_resource(g_library_type, sizeof(LibraryHandle));
    if (!mem) return enif_raise_exception(env, make_atom(env, "enomem"));
    auto* h = new (mem) LibraryHandle();
    h->lib = g_library;
    ERL_NIF_TERM term = enif_make_resource(env, h);
    enif_release_resource(h);
    return term;
  });
}

// Publishes a successful compile into the library and describes it.
const LibraryHandle::Summary* summary_of(LibraryHandle* h, const std::string& key, const lang::SystemDef& def);

ERL_NIF_TERM commit(ErlNifEnv* env, LibraryHandle* h, TypeLibrary& staged, lang::TypeScope& scope,
                    lang::Compiled& out, const Diagnostics& diags) {
  std::vector<std::string> warnings, systems;
  for (const auto& d : diags.list())
    if (d.warning) warnings.push_back(d.str());
  h->lib = std::make_shared<const TypeLibrary>(std::move(staged));
  h->scope = std::move(scope);
  for (auto& s : out.systems) {
    systems.push_back(s.name);
    std::string key = identifier_key(s.name);  // before s is moved from
    h->systems[key] = std::make_shared<const lang::SystemDef>(std::move(s));
    summary_of(h, key, *h->systems[key]);
  }
  ERL_NIF_TERM info = enif_make_new_map(env);
  enif_make_map_put(env, info, make_atom(env, "types"), binaries(env, out.types), &info);
  enif_make_map_put(env, info, make_atom(env, "systems"), binaries(env, systems), &info);
  enif_make_map_put(env, info, make_atom(env, "warnings"), binaries(env, warnings), &info);
  return ok_tuple(env, info);
}

// library_compile(Library, FileName, Text) ->
//   {ok, #{types => [Name], systems => [Name], warnings => [Diagnostic]}}
//   | {error, [Diagnostic]}. Dirty.
ERL_NIF_TERM library_compile(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto file = get_string(env, argv[1]);
    ErlNifBinary text;
    if (!file) return raise_badarg(env, "the file name must be a binary");
    if (!enif_inspect_iolist_as_binary(env, argv[2], &text)) return raise_badarg(env, "the source text must be an iolist");
    std::lock_guard lock(h->mutex);
    TypeLibrary staged = *h->lib;
    lang::TypeScope scope = h->scope;
    Diagnostics diags;
    lang::Compiled out;
    if (!lang::compile(*file, std::string_view(reinterpret_cast<const char*>(text.data), text.size), staged, scope,
                       diags, &out))
      return error_list(env, diags);
    return commit(env, h, staged, scope, out, diags);
  });
}

// library_load_4diac(Library, Path, Folders) -> as library_compile/3: a
// 4diac IDE file (.fbt, .adp, .dtp, .sys) whose types are found in its own
// folder and in Folders (fourdiac/load_file.h). Dirty.
ERL_NIF_TERM library_load_4diac(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto path = get_string(env, argv[1]);
    auto items = get_list(env, argv[2]);
    if (!path) return raise_badarg(env, "the path must be a binary or a string");
    if (!items) return raise_badarg(env, "the folders must be a list");
    std::vector<std::string> folders;
    for (ERL_NIF_TERM t : *items) {
      auto f = get_string(env, t);
      if (!f) return raise_badarg(env, "each folder must be a binary or a string");
      folders.push_back(*f);
    }
    if (!fourdiac::is_4diac_file(*path)) return raise_badarg(env, "not a 4diac file (.fbt, .adp, .dtp or .sys)");
    std::lock_guard lock(h->mutex);
    TypeLibrary staged = *h->lib;
    lang::TypeScope scope = h->scope;
    Diagnostics diags;
    lang::Compiled out;
    if (!fourdiac::load_file(*path, folders, staged, scope, diags, &out)) return error_list(env, diags);
    return commit(env, h, staged, scope, out, diags);
  });
}

uint64_t plan_hash(const lang::SystemDef& def, const TypeLibrary& lib);

// The summary of a system for the library as it is now (LibraryHandle::
// Summary), made if missing or stale. Under the library's mutex.
const LibraryHandle::Summary* summary_of(LibraryHandle* h, const std::string& key, const lang::SystemDef& def) {
  auto& s = h->summaries[key];
  if (s.lib != h->lib || !s.plan) {
    std::vector<bool> none(def.resources.size(), false);
    auto plan = DevicePlan::make(def.resources, def.application, *h->lib, &none);
    if (!plan) {
      h->summaries.erase(key);
      return nullptr;
    }
    s.lib = h->lib;
    s.plan = *plan;
    s.hash = plan_hash(def, *h->lib);
  }
  return &s;
}

// What two nodes must agree on to exchange events by index: the resources,
// every FB of the application with its type and resource, and each type's
// interface (names, types, sizes, WITH lists) and, for a composite, its
// inner network (which decides the indices once flattened). FNV-1a, 64
// bits. Read from the system's definition: the same on every node, whatever
// part of it a node plans.
uint64_t plan_hash(const lang::SystemDef& def, const TypeLibrary& lib) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  };
  auto mix_var = [&](const VarDecl& v) {
    mix(v.name);
    mix(std::to_string(int(v.type)) + "/" + std::to_string(v.slots()));
  };
  std::unordered_set<std::string> seen_as_written, seen;
  std::function<void(const std::string&)> mix_type = [&](const std::string& name) {
    if (!seen_as_written.insert(name).second) return;
    if (!seen.insert(identifier_key(name)).second) return;
    const FbType* t = lib.find(name);
    if (!t) return;
    for (const auto& v : t->iface.inputs) mix_var(v);
    for (const auto& v : t->iface.outputs) mix_var(v);
    for (const auto& e : t->iface.event_inputs) {
      mix(e.name);
      for (uint16_t w : e.with) mix(std::to_string(w));
    }
    for (const auto& e : t->iface.event_outputs) mix(e.name);
    if (t->network)
      for (const auto& fb : t->network->fbs) {
        mix(fb.name);
        mix(fb.type);
        mix_type(fb.type);
      }
  };
  for (const auto& r : def.resources) mix(r.name);
  for (const auto& m : def.application.mapping) {
    mix(m.fb);
    mix(m.resource);
  }
  for (const auto& fb : def.application.network.fbs) {
    mix(fb.name);
    mix(fb.type);
    mix_type(fb.type);
  }
  return h;
}

// system_new(Library, Name) -> {ok, System, Info} | {error, [Diagnostic]}:
// the system's device plan, checked against the library as it is now.
// Info: #{name, devices => [#{name, parameters, resources}],
// fbs => #{Resource => [Fb]}} (composites expanded), resources => [Name]
// (the plan's order: a resource's index), hash (plan_hash), links => [{From, To}] (the
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
        only_devices->push_back(identifier_key(*d));
      }
    }
    std::shared_ptr<const TypeLibrary> lib;
    std::shared_ptr<const lang::SystemDef> def;
    std::shared_ptr<const DevicePlan> summary;
    uint64_t hash = 0;
    {
      std::lock_guard lock(lh->mutex);
      lib = lh->lib;
      const std::string key = identifier_key(*name);
      auto it = lh->systems.find(key);
      if (it == lh->systems.end())
        return enif_make_tuple2(env, make_atom(env, "error"),
                                enif_make_list1(env, make_binary(env, "no system '" + *name + "' was compiled")));
      def = it->second;
      if (const auto* s = summary_of(lh, key, *def)) {
        summary = s->plan;
        hash = s->hash;
      } else {
        hash = plan_hash(*def, *lib);
      }
    }
    std::vector<bool> only;
    if (only_devices) {
      only.assign(def->resources.size(), false);
      for (const auto& d : def->devices) {
        if (std::find(only_devices->begin(), only_devices->end(), identifier_key(d.name)) == only_devices->end())
          continue;
        for (const auto& r : d.resources)
          for (size_t k = 0; k < def->resources.size(); ++k)
            if (same_identifier(def->resources[k].name, r)) only[k] = true;
      }
    }
    std::shared_ptr<const DevicePlan> planned = only_devices && only_devices->empty() ? summary : nullptr;
    if (!planned) {
      auto plan = DevicePlan::make(def->resources, def->application, *lib, only_devices ? &only : nullptr);
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
    enif_make_map_put(env, info, make_atom(env, "hash"), enif_make_uint64(env, hash), &info);
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
    if (!limit || *limit == 0 || *limit > (1ull << 40)) return raise_badarg(env, "the limit must be an integer in 1..2^40");
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

// write_input(Handle, Address, Value :: boolean()) -> ok. Dirty: finds the
// MIO_IN whose ADDR is Address (under the handle's lock, as the engine may
// change ADDR) and posts the value to it.
ERL_NIF_TERM nif_write_input(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    ResourceHandle* h = get_handle(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc resource handle");
    auto address = get_string(env, argv[1]);
    if (!address) return raise_badarg(env, "the address must be a binary");
    auto value = get_value(env, argv[2], DataType::kBool);
    if (!value) return raise_badarg(env, "the value must be true or false");
    Locked l(h);
    if (!l) return stopped(env);
    auto fb = find_input_point(l.res(), *address);
    if (!fb) return raise_badarg(env, "no MIO_IN with ADDR '" + *address + "'");
    if (!plc::write_input(l.res(), *fb, value->as_bool()))
      return inbox_full(env);
    return make_atom(env, "ok");
  });
}

int load(ErlNifEnv* env, void**, ERL_NIF_TERM) {
  // The alarm clock's thread runs this library's code until the VM exits:
  // the library must never be unmapped (a purge of plc_nif would otherwise
  // crash the VM), so it holds a reference to itself that is never closed.
  Dl_info self{};
  if (!dladdr(reinterpret_cast<void*>(&load), &self) || !self.dli_fname ||
      !dlopen(self.dli_fname, RTLD_NOW | RTLD_NODELETE))
    return 1;
  ErlNifResourceTypeInit init{};
  init.dtor = handle_dtor;
  init.down = handle_down;
  init.members = 3;
  g_resource_type = enif_init_resource_type(env, "plc_resource", &init, ERL_NIF_RT_CREATE, nullptr);
  ErlNifResourceTypeInit lib_init{};
  lib_init.dtor = library_dtor;
  lib_init.members = 1;
  g_library_type = enif_init_resource_type(env, "plc_library", &lib_init, ERL_NIF_RT_CREATE, nullptr);
  ErlNifResourceTypeInit sys_init{};
  sys_init.dtor = system_dtor;
  sys_init.members = 1;
  g_system_type = enif_init_resource_type(env, "plc_system", &sys_init, ERL_NIF_RT_CREATE, nullptr);
  if (!g_resource_type || !g_library_type || !g_system_type) return 1;
  g_atom_wake = enif_make_atom(env, "plc_wake");
  g_atom_plc_out = enif_make_atom(env, "plc_out");
  try {
    auto lib = std::make_shared<TypeLibrary>();
    add_standard_blocks(*lib);
    add_process_image_blocks(*lib);
    g_library = std::move(lib);
  } catch (...) {
    return 1;
  }
  return 0;
}

ErlNifFunc functions[] = {
    {"resource_new", 1, resource_new, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"subscribe", 4, subscribe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"unsubscribe", 4, unsubscribe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"post", 4, post, 0},
    {"post_batch", 4, post_batch, 0},
    {"read", 2, read, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"write", 4, write, 0},
    {"start", 2, start, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"run", 1, run, 0},
    {"stats", 1, stats, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"describe", 1, describe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_new", 0, library_new, 0},
    {"library_compile", 3, library_compile, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_load_4diac", 3, library_load_4diac, ERL_NIF_DIRTY_JOB_IO_BOUND},
    {"system_new", 2, system_new, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"system_new", 3, system_new, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"write_input", 3, nif_write_input, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"post_raw", 2, post_raw, 0},
    {"system_route", 4, system_route, 0},
    {"system_credit", 2, system_credit, 0},
};

}  // namespace
}  // namespace plc::nif

ERL_NIF_INIT(plc_nif, plc::nif::functions, plc::nif::load, nullptr, nullptr, nullptr)
