#include "nif/handles.h"

#include "runtime/remote_event.h"

namespace plc::nif {

ErlNifResourceType* g_resource_type = nullptr;
ErlNifResourceType* g_library_type = nullptr;
ErlNifResourceType* g_system_type = nullptr;
std::shared_ptr<const TypeLibrary> g_library;
const MonotonicClock g_clock;
ERL_NIF_TERM g_atom_wake;
ERL_NIF_TERM g_atom_plc_out;
thread_local ErlNifEnv* t_env = nullptr;

void Engine::wake(void* self) {
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

bool Socket::forward(const Route& r, const InboxEvent& e) noexcept {
  thread_local ErlNifEnv* msg_env = enif_alloc_env();
  if (!msg_env || e.count > InboxEvent::kMaxValues) return false;
  if (r.credit->in_flight.fetch_add(1, std::memory_order_relaxed) >= r.credit->limit.load(std::memory_order_relaxed)) {
    r.credit->in_flight.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  ERL_NIF_TERM bin;
  unsigned char* p = enif_make_new_binary(msg_env, remote_event::encoded_size(e), &bin);
  if (!p || remote_event::encode(e, p) == 0) {
    r.credit->in_flight.fetch_sub(1, std::memory_order_relaxed);
    enif_clear_env(msg_env);
    return false;
  }
  ERL_NIF_TERM msg = enif_make_tuple3(msg_env, g_atom_plc_out, enif_make_uint(msg_env, r.index), bin);
  ErlNifPid to = r.forwarder;
  const bool sent = enif_send(t_env, &to, msg_env, msg) != 0;
  enif_clear_env(msg_env);
  if (!sent) r.credit->in_flight.fetch_sub(1, std::memory_order_relaxed);
  return sent;
}

void release_engine(ResourceHandle* h) {
  h->fiber.reset();
  std::shared_ptr<Engine> e = std::atomic_load(&h->engine);
  if (h->system && e) h->system->sockets[h->system_index]->detach(e.get());
  std::atomic_store(&h->engine, std::shared_ptr<Engine>());
}

void library_dtor(ErlNifEnv*, void* obj) { static_cast<LibraryHandle*>(obj)->~LibraryHandle(); }

void system_dtor(ErlNifEnv*, void* obj) { static_cast<SystemHandle*>(obj)->~SystemHandle(); }

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

ResourceHandle* get_handle(ErlNifEnv* env, ERL_NIF_TERM t) {
  void* obj = nullptr;
  if (!enif_get_resource(env, t, g_resource_type, &obj)) return nullptr;
  return static_cast<ResourceHandle*>(obj);
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

}  // namespace plc::nif
