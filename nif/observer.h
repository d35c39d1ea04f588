// The observer of a running resource (ResourceObserver, resource.h): turns
// the engine's callbacks during a slice into Erlang messages. Output
// events go to the subscribers of that output as
// {plc_event, OwnerPid, <<"Fb.Event">>, #{Var => Value}}; process-image
// writes ({plc_io, Fb, Address, Value}), management blocks' commands
// ({plc_manage, Fb, Type, #{Input => Value}}), alarms ({plc_overflow, Fb, Port,
// Total}, {plc_runaway, Fb}) and faults ({plc_fault, Fb, Algorithm, What})
// go to the owner, and so do the requests of the communication blocks
// ({plc_service, Fb, Role, open | send | close, Channel, Payload}: see
// on_service in observer.cc). Overflows are gathered over a slice and sent by flush():
// one message per (Fb, Port), with the last cumulative total.
#pragma once

#include <erl_nif.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/resource.h"

namespace plc::nif {

class Outbox final : public ResourceObserver {
 public:
  Outbox() : msg_env_(enif_alloc_env()) {}
  ~Outbox() override { enif_free_env(msg_env_); }
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Before a slice: the NIF call's environment, the owner, the resource.
  void bind(ErlNifEnv* caller, const ErlNifPid& owner, const Resource* r) {
    caller_ = caller;
    owner_ = owner;
    r_ = r;
  }

  // Subscribers of one output (fb, eo); true when it has any left.
  bool subscribe(FbIndex fb, EventId eo, const ErlNifPid& pid);
  bool unsubscribe(FbIndex fb, EventId eo, const ErlNifPid& pid);
  // After a reconfiguration: the subscriptions follow their FBs' new
  // indices (FB of the old resource -> of the new, or UINT32_MAX: gone).
  void renumber(const std::vector<uint32_t>& fb_map);

  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override;
  void on_overflow(FbIndex fb, EventId eo, uint64_t total) noexcept override;
  void on_runaway(FbIndex fb) noexcept override;
  void on_io_write(FbIndex fb, const std::string& address, DataType type, Value v) noexcept override;
  void on_fault(FbIndex fb, const char* what, const std::string& where) noexcept override;
  void on_test_end(FbIndex fb) noexcept override;
  void on_management(FbIndex fb, const Value* vars) noexcept override;
  void on_service(FbIndex fb, ServiceRequest what, uint32_t channel, const Value* vars) noexcept override;

  // Sends the overflows gathered since the last flush (after every slice).
  void flush() noexcept;

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

}  // namespace plc::nif
