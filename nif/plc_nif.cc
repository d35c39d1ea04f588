// The erl_nif glue of plc: decode terms, call runtime/, encode results.
//
// Each loaded resource is a NIF resource object (ResourceHandle) owned by
// one Erlang process (normally a plc_resource server), which is monitored:
// when it dies the resource is stopped and its memory is freed once the
// last reference is gone. Engine work (load, start, run) runs on dirty CPU
// schedulers and in bounded slices; post/4 only enqueues into the
// resource's lock-free inbox and is safe on a normal scheduler. No C++
// exception leaves this file: every entry point catches and raises.
#include <erl_nif.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "nif/terms.h"
#include "runtime/language/compiler.h"
#include "runtime/process_image.h"
#include "runtime/resource.h"
#include "runtime/scheduler.h"
#include "runtime/type_library.h"

namespace plc::nif {
namespace {

ErlNifResourceType* g_resource_type = nullptr;
ErlNifResourceType* g_library_type = nullptr;
// The types every resource may use: standard event blocks, process image.
std::shared_ptr<const TypeLibrary> g_library;

// A type library that grows by compiling source text. Copy on write: a
// compile stages its types in a copy and publishes it when the whole file
// is valid, and every resource keeps the library it was loaded from alive,
// so replacing a type never pulls it from under a running resource.
struct LibraryHandle {
  std::mutex mutex;  // one compile at a time
  std::shared_ptr<const TypeLibrary> lib;
  lang::TypeScope scope;
};

void library_dtor(ErlNifEnv*, void* obj) { static_cast<LibraryHandle*>(obj)->~LibraryHandle(); }
const MonotonicClock g_clock;

// Sends the resource's observed outputs to its owner as
// {plc_output, FbName, EoName, #{VarName => Value}}, and its alarms as
// {plc_overflow, Fb, Port, DroppedTotal}, {plc_runaway, Fb} and
// {plc_fault, Fb, Algorithm, What}.
class Outbox final : public ResourceObserver {
 public:
  Outbox() : msg_env_(enif_alloc_env()) {}
  ~Outbox() override { enif_free_env(msg_env_); }

  void bind(ErlNifEnv* caller, const ErlNifPid& owner, const Resource* r) {
    caller_ = caller;
    owner_ = owner;
    r_ = r;
  }

  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
    send([&] {
      const auto& iface = r_->type_of(fb).iface;
      const auto& decl = iface.event_outputs[index_of(eo)];
      ERL_NIF_TERM data = enif_make_new_map(msg_env_);
      for (uint16_t k : decl.with) {
        const auto& var = iface.outputs[k];
        enif_make_map_put(msg_env_, data, make_binary(msg_env_, var.name),
                          make_var(msg_env_, var, vars + iface.output_slot(k)), &data);
      }
      return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_output"), make_binary(msg_env_, r_->name_of(fb)),
                              make_binary(msg_env_, decl.name), data);
    });
  }

  void on_overflow(FbIndex fb, EventId eo, uint64_t total) noexcept override {
    send([&] {
      const std::string port =
          eo == kNoEvent ? std::string("inbox") : r_->type_of(fb).iface.event_outputs[index_of(eo)].name;
      return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_overflow"), make_binary(msg_env_, r_->name_of(fb)),
                              make_binary(msg_env_, port), enif_make_uint64(msg_env_, total));
    });
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
};

struct ResourceHandle {
  std::mutex mutex;  // serialises everything but post()
  std::shared_ptr<const TypeLibrary> lib;  // the types `res` runs
  // post() reads it without the mutex, through an atomic copy, so the
  // owner's death can release the engine while a post is in flight.
  std::shared_ptr<Resource> res;
  std::unique_ptr<ResourceFiber> fiber;
  Outbox outbox;
  ErlNifPid owner{};
  std::atomic<bool> stopped{false};  // the owner died or the monitor failed
};

void handle_dtor(ErlNifEnv*, void* obj) { static_cast<ResourceHandle*>(obj)->~ResourceHandle(); }

// Runs on a normal scheduler: never waits for a running slice. When run()
// holds the mutex, the engine is released by the next locked call or by
// the destructor instead.
void release_engine(ResourceHandle* h) {
  h->fiber.reset();
  std::atomic_store(&h->res, std::shared_ptr<Resource>());
}

void handle_down(ErlNifEnv*, void* obj, ErlNifPid*, ErlNifMonitor*) {
  auto* h = static_cast<ResourceHandle*>(obj);
  h->stopped = true;
  std::unique_lock lock(h->mutex, std::try_to_lock);
  if (lock.owns_lock()) release_engine(h);
}

// Fetches a live handle or says why not.
ResourceHandle* get_handle(ErlNifEnv* env, ERL_NIF_TERM t, std::string& why) {
  void* obj = nullptr;
  if (!enif_get_resource(env, t, g_resource_type, &obj)) {
    why = "not a plc resource handle";
    return nullptr;
  }
  return static_cast<ResourceHandle*>(obj);
}

template <typename F>
ERL_NIF_TERM guarded(ErlNifEnv* env, F&& body) {
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

bool get_network(ErlNifEnv* env, ERL_NIF_TERM spec, FbNetwork& net, ResourceOptions& opts, std::string& why) {
  if (!enif_is_map(env, spec)) return why = "the network must be a map", false;
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
  return true;
}

// resource_new(Network :: map()) -> {ok, Handle} | {error, [binary()]}. Dirty.
ERL_NIF_TERM resource_new(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    FbNetwork net;
    ResourceOptions opts;
    std::string why;
    if (!get_network(env, argv[0], net, opts, why)) return raise_badarg(env, why);
    std::shared_ptr<const TypeLibrary> lib = g_library;
    if (auto l = get_map_value(env, argv[0], "library")) {
      void* obj = nullptr;
      if (!enif_get_resource(env, *l, g_library_type, &obj)) return raise_badarg(env, "library must be a plc library handle");
      auto* lh = static_cast<LibraryHandle*>(obj);
      std::lock_guard lock(lh->mutex);
      lib = lh->lib;
    }
    auto loaded = Resource::load(net, *lib, opts);
    if (!loaded) {
      ERL_NIF_TERM errs = enif_make_list(env, 0);
      const auto& list = loaded.errors().list();
      for (auto it = list.rbegin(); it != list.rend(); ++it)
        errs = enif_make_list_cell(env, make_binary(env, it->str()), errs);
      return enif_make_tuple2(env, make_atom(env, "error"), errs);
    }
    void* mem = enif_alloc_resource(g_resource_type, sizeof(ResourceHandle));
    if (!mem) return enif_raise_exception(env, make_atom(env, "enomem"));
    auto* h = new (mem) ResourceHandle();
    h->lib = std::move(lib);
    h->res = std::shared_ptr<Resource>(std::move(loaded.value()));
    h->fiber = std::make_unique<ResourceFiber>(*h->res);
    h->res->set_observer(&h->outbox);
    enif_self(env, &h->owner);
    ERL_NIF_TERM term = enif_make_resource(env, h);
    if (enif_monitor_process(env, h, &h->owner, nullptr) != 0) h->stopped = true;
    enif_release_resource(h);
    return enif_make_tuple2(env, make_atom(env, "ok"), term);
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

// observe(Handle, Fb, EventOutput) -> ok. Dirty.
ERL_NIF_TERM observe(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    std::string why;
    ResourceHandle* h = get_handle(env, argv[0], why);
    if (!h) return raise_badarg(env, why);
    auto fb = get_string(env, argv[1]);
    auto eo = get_string(env, argv[2]);
    if (!fb || !eo) return raise_badarg(env, "FB and event names must be binaries");
    std::lock_guard lock(h->mutex);
    if (h->stopped) {
      release_engine(h);
      return raise_badarg(env, "the resource is stopped");
    }
    auto port = find_event(*h->res, *fb, *eo, false);
    if (!port) return raise_badarg(env, "no event output " + *fb + "." + *eo);
    h->res->observe(port->fb, port->event, true);
    return make_atom(env, "ok");
  });
}

// post(Handle, Fb, EventInput, [{Var, Value}]) -> ok. Only enqueues.
ERL_NIF_TERM post(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    std::string why;
    ResourceHandle* h = get_handle(env, argv[0], why);
    if (!h) return raise_badarg(env, why);
    auto fb = get_string(env, argv[1]);
    auto ei = get_string(env, argv[2]);
    auto values = get_list(env, argv[3]);
    if (!fb || !ei || !values) return raise_badarg(env, "expected post(Handle, Fb, Event, [{Var, Value}])");
    // The name tables are immutable after load and the inbox is lock-free.
    std::shared_ptr<Resource> res = std::atomic_load(&h->res);
    if (!res) return raise_badarg(env, "the resource is stopped");
    const Resource& r = *res;
    auto port = find_event(r, *fb, *ei, true);
    if (!port) return raise_badarg(env, "no event input " + *fb + "." + *ei);
    if (values->size() > InboxEvent::kMaxValues) return raise_badarg(env, "too many values for one event");
    InboxEvent e;
    e.fb = index_of(port->fb);
    e.ei = port->event;
    const auto& iface = r.type_of(port->fb).iface;
    for (ERL_NIF_TERM item : *values) {
      auto pair = get_tuple(env, item, 2);
      auto name = pair ? get_string(env, (*pair)[0]) : std::nullopt;
      auto k = name ? iface.find_input(*name) : std::nullopt;
      if (!k) return raise_badarg(env, "values must be {InputName, Value} for inputs of " + *fb);
      if (iface.inputs[*k].slots() != 1)
        return raise_badarg(env, *fb + "." + *name + " is an array, string or struct: not settable through post/4 yet");
      auto v = get_value(env, (*pair)[1], iface.inputs[*k].type);
      if (!v) return raise_badarg(env, "value for " + *fb + "." + *name + " is not a " +
                                           std::string(type_name(iface.inputs[*k].type)));
      e.slot[e.count] = r.slot_of(port->fb, iface.input_slot(*k));
      e.value[e.count] = *v;
      ++e.count;
    }
    if (!res->post(e)) return enif_raise_exception(env, make_atom(env, "enomem"));
    return make_atom(env, "ok");
  });
}

// start(Handle, cold | warm) -> ok. Dirty.
ERL_NIF_TERM start(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    std::string why;
    ResourceHandle* h = get_handle(env, argv[0], why);
    if (!h) return raise_badarg(env, why);
    char mode[8];
    if (!enif_get_atom(env, argv[1], mode, sizeof mode, ERL_NIF_LATIN1) ||
        (std::string(mode) != "cold" && std::string(mode) != "warm"))
      return raise_badarg(env, "start mode must be cold or warm");
    std::lock_guard lock(h->mutex);
    if (h->stopped) {
      release_engine(h);
      return raise_badarg(env, "the resource is stopped");
    }
    h->outbox.bind(env, h->owner, h->res.get());
    h->res->start(std::string(mode) == "cold");
    return make_atom(env, "ok");
  });
}

// run(Handle) -> more | idle | {wait, Nanoseconds}. Dirty: one slice.
ERL_NIF_TERM run(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    std::string why;
    ResourceHandle* h = get_handle(env, argv[0], why);
    if (!h) return raise_badarg(env, why);
    std::lock_guard lock(h->mutex);
    if (h->stopped) {
      release_engine(h);
      return raise_badarg(env, "the resource is stopped");
    }
    h->outbox.bind(env, h->owner, h->res.get());
    Time now = g_clock.now();
    SliceResult s = h->fiber->run_slice(now);
    if (s.step.more_work) return make_atom(env, "more");
    if (s.step.next_deadline == kNever) return make_atom(env, "idle");
    auto wait = s.step.next_deadline - now;
    return enif_make_tuple2(env, make_atom(env, "wait"), enif_make_int64(env, wait.count() < 0 ? 0 : wait.count()));
  });
}

ERL_NIF_TERM binaries(ErlNifEnv* env, const std::vector<std::string>& items) {
  ERL_NIF_TERM list = enif_make_list(env, 0);
  for (auto it = items.rbegin(); it != items.rend(); ++it) list = enif_make_list_cell(env, make_binary(env, *it), list);
  return list;
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

// library_compile(Library, FileName, Text) ->
//   {ok, #{types => [Name], warnings => [Diagnostic]}} | {error, [Diagnostic]}. Dirty.
ERL_NIF_TERM library_compile(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    void* obj = nullptr;
    if (!enif_get_resource(env, argv[0], g_library_type, &obj)) return raise_badarg(env, "not a plc library handle");
    auto file = get_string(env, argv[1]);
    ErlNifBinary text;
    if (!file) return raise_badarg(env, "the file name must be a binary");
    if (!enif_inspect_iolist_as_binary(env, argv[2], &text)) return raise_badarg(env, "the source text must be an iolist");
    auto* h = static_cast<LibraryHandle*>(obj);
    std::lock_guard lock(h->mutex);
    TypeLibrary staged = *h->lib;
    lang::TypeScope scope = h->scope;
    Diagnostics diags;
    lang::Compiled out;
    const bool ok = lang::compile(*file, std::string_view(reinterpret_cast<const char*>(text.data), text.size), staged,
                                  scope, diags, &out);
    std::vector<std::string> errors, warnings;
    for (const auto& d : diags.list()) (d.warning ? warnings : errors).push_back(d.str());
    if (!ok) return enif_make_tuple2(env, make_atom(env, "error"), binaries(env, errors));
    h->lib = std::make_shared<const TypeLibrary>(std::move(staged));
    h->scope = std::move(scope);
    ERL_NIF_TERM info = enif_make_new_map(env);
    enif_make_map_put(env, info, make_atom(env, "types"), binaries(env, out.types), &info);
    enif_make_map_put(env, info, make_atom(env, "warnings"), binaries(env, warnings), &info);
    return enif_make_tuple2(env, make_atom(env, "ok"), info);
  });
}

// write_input(Handle, Address, Value :: boolean()) -> ok. Dirty: finds the
// MIO_IN whose ADDR is Address (under the handle's lock, as the engine may
// change ADDR) and posts the value to it.
ERL_NIF_TERM nif_write_input(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    std::string why;
    ResourceHandle* h = get_handle(env, argv[0], why);
    if (!h) return raise_badarg(env, why);
    auto address = get_string(env, argv[1]);
    if (!address) return raise_badarg(env, "the address must be a binary");
    auto value = get_value(env, argv[2], DataType::kBool);
    if (!value) return raise_badarg(env, "the value must be true or false");
    std::lock_guard lock(h->mutex);
    if (h->stopped) {
      release_engine(h);
      return raise_badarg(env, "the resource is stopped");
    }
    auto fb = find_input_point(*h->res, *address);
    if (!fb) return raise_badarg(env, "no MIO_IN with ADDR '" + *address + "'");
    if (!plc::write_input(*h->res, *fb, value->as_bool())) return enif_raise_exception(env, make_atom(env, "enomem"));
    return make_atom(env, "ok");
  });
}

int load(ErlNifEnv* env, void**, ERL_NIF_TERM) {
  ErlNifResourceTypeInit init{};
  init.dtor = handle_dtor;
  init.down = handle_down;
  init.members = 3;
  g_resource_type = enif_init_resource_type(env, "plc_resource", &init, ERL_NIF_RT_CREATE, nullptr);
  if (!g_resource_type) return 1;
  ErlNifResourceTypeInit lib_init{};
  lib_init.dtor = library_dtor;
  lib_init.members = 1;
  g_library_type = enif_init_resource_type(env, "plc_library", &lib_init, ERL_NIF_RT_CREATE, nullptr);
  if (!g_library_type) return 1;
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
    {"observe", 3, observe, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"post", 4, post, 0},
    {"start", 2, start, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"run", 1, run, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"library_new", 0, library_new, 0},
    {"library_compile", 3, library_compile, ERL_NIF_DIRTY_JOB_CPU_BOUND},
    {"write_input", 3, nif_write_input, ERL_NIF_DIRTY_JOB_CPU_BOUND},
};

}  // namespace
}  // namespace plc::nif

ERL_NIF_INIT(plc_nif, plc::nif::functions, plc::nif::load, nullptr, nullptr, nullptr)
