#include "nif/observer.h"

#include <algorithm>
#include <cctype>
#include <new>
#include <span>

#include "nif/terms.h"
#include "runtime/fbdk_asn1.h"
#include "runtime/stdfb/communication.h"

namespace plc::nif {

bool Outbox::subscribe(FbIndex fb, EventId eo, const ErlNifPid& pid) {
  auto& subs = subscribers_[key(fb, eo)];
  if (std::none_of(subs.begin(), subs.end(), [&](const ErlNifPid& p) { return same(p, pid); })) subs.push_back(pid);
  return true;
}

void Outbox::renumber(const std::vector<uint32_t>& fb_map) {
  std::unordered_map<uint64_t, std::vector<ErlNifPid>> moved;
  for (auto& [k, pids] : subscribers_) {
    const uint64_t fb = k >> 16;
    if (fb < fb_map.size() && fb_map[fb] != UINT32_MAX)
      moved[(uint64_t(fb_map[fb]) << 16) | (k & 0xFFFF)] = std::move(pids);
  }
  subscribers_ = std::move(moved);
}

bool Outbox::unsubscribe(FbIndex fb, EventId eo, const ErlNifPid& pid) {
  auto it = subscribers_.find(key(fb, eo));
  if (it == subscribers_.end()) return false;
  auto& subs = it->second;
  subs.erase(std::remove_if(subs.begin(), subs.end(), [&](const ErlNifPid& p) { return same(p, pid); }), subs.end());
  if (!subs.empty()) return true;
  subscribers_.erase(it);
  return false;
}

void Outbox::on_output(FbIndex fb, EventId eo, const Value* vars) noexcept {
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
void Outbox::on_overflow(FbIndex fb, EventId eo, uint64_t total) noexcept {
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

// {plc_overflow, Fb, Port, Total} to the owner, one per (fb, port), in the
// order they first overflowed.
void Outbox::flush() noexcept {
  for (const auto& o : overflows_)
    send([&] {
      const std::string port =
          o.eo == kNoEvent ? std::string("inbox") : r_->type_of(o.fb).iface.event_outputs[index_of(o.eo)].name;
      return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_overflow"), make_binary(msg_env_, r_->name_of(o.fb)),
                              make_binary(msg_env_, port), enif_make_uint64(msg_env_, o.total));
    });
  overflows_.clear();
}

void Outbox::on_runaway(FbIndex fb) noexcept {
  send([&] {
    return enif_make_tuple2(msg_env_, make_atom(msg_env_, "plc_runaway"), make_binary(msg_env_, r_->name_of(fb)));
  });
}

void Outbox::on_io_write(FbIndex fb, const std::string& address, DataType type, Value v) noexcept {
  send([&] {
    VarDecl var{"", type, {}, 0, 0, nullptr};
    return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_io"), make_binary(msg_env_, r_->name_of(fb)),
                            make_binary(msg_env_, address), make_var(msg_env_, var, &v));
  });
}

void Outbox::on_fault(FbIndex fb, const char* what, const std::string& where) noexcept {
  send([&] {
    return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_fault"), make_binary(msg_env_, r_->name_of(fb)),
                            make_binary(msg_env_, where), make_binary(msg_env_, what));
  });
}

void Outbox::on_management(FbIndex fb, const Value* vars) noexcept {
  send([&] {
    const Interface& i = r_->type_of(fb).iface;
    ERL_NIF_TERM inputs = enif_make_new_map(msg_env_);
    for (uint16_t k = 0; k < i.inputs.size(); ++k)
      enif_make_map_put(msg_env_, inputs, make_binary(msg_env_, i.inputs[k].name),
                        make_var(msg_env_, i.inputs[k], vars + i.input_slot(k)), &inputs);
    return enif_make_tuple4(msg_env_, make_atom(msg_env_, "plc_manage"), make_binary(msg_env_, r_->name_of(fb)),
                            make_binary(msg_env_, r_->type_of(fb).name), inputs);
  });
}

namespace {

// A port's type as plc_com names it: int, wstring, {array, T, N},
// {struct, [{Name, T}]} (the value of a structure is a map by name).
ERL_NIF_TERM type_term(ErlNifEnv* env, const VarDecl& d) {
  ERL_NIF_TERM t;
  if (d.type == DataType::kStruct && d.struct_type) {
    std::vector<ERL_NIF_TERM> members;
    for (const VarDecl& m : d.struct_type->members)
      members.push_back(enif_make_tuple2(env, make_binary(env, m.name), type_term(env, m)));
    t = enif_make_tuple2(env, make_atom(env, "struct"),
                         enif_make_list_from_array(env, members.data(), unsigned(members.size())));
  } else {
    std::string name(type_name(d.type));
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    t = make_atom(env, name.c_str());
  }
  if (d.array_size) t = enif_make_tuple3(env, make_atom(env, "array"), t, enif_make_uint(env, d.array_size));
  return t;
}

ERL_NIF_TERM types_of(ErlNifEnv* env, const std::vector<VarDecl>& ports) {
  std::vector<ERL_NIF_TERM> types;
  for (size_t k = 2; k < ports.size(); ++k) types.push_back(type_term(env, ports[k]));
  return enif_make_list_from_array(env, types.data(), unsigned(types.size()));
}

// The SDs as one FBDK ASN.1 message (fbdk_asn1.h), or {error, {encode,
// Point, Reason}} when they cannot be sent (an array beyond 65535 elements).
ERL_NIF_TERM fbdk_message(ErlNifEnv* env, const Interface& i, const Value* vars) {
  const fbdk::Ports sds{std::span<const VarDecl>(i.inputs).subspan(2)};
  const Value* slots = vars + i.input_slot(2);
  const fbdk::Size size = fbdk::encoded_size(sds, slots);
  if (size.error)
    return enif_make_tuple2(env, make_atom(env, "error"),
                            enif_make_tuple3(env, make_atom(env, "encode"), enif_make_uint(env, size.error.point),
                                             make_binary(env, fbdk::describe(size.error))));
  ERL_NIF_TERM bin;
  unsigned char* out = enif_make_new_binary(env, size.bytes, &bin);
  if (!out) throw std::bad_alloc();
  fbdk::encode(sds, slots, out);
  return bin;
}

}  // namespace

// {plc_service, Fb, Role, Request, Channel, Payload} to the owner. Role:
// publisher, subscriber, client or server. Payload: for open #{id =>
// Binary, sd => [Type], rd => [Type]}; for send the SDs in the form of the
// channel's wire (stdfb::service_wire): their values, [V1, ..], or one
// FBDK message as a binary (or {error, {encode, Sd, Text}}); for close [].
void Outbox::on_service(FbIndex fb, ServiceRequest what, uint32_t channel, const Value* vars) noexcept {
  static const char* const kRoles[] = {"publisher", "subscriber", "client", "server"};
  static const char* const kRequests[] = {"open", "send", "close"};
  const FbType& type = r_->type_of(fb);
  const auto role = stdfb::service_role(type);
  if (!role) return;
  send([&] {
    const Interface& i = type.iface;
    ERL_NIF_TERM payload;
    if (what == ServiceRequest::kOpen) {
      payload = enif_make_new_map(msg_env_);
      enif_make_map_put(msg_env_, payload, make_atom(msg_env_, "id"),
                        make_var(msg_env_, i.inputs[1], vars + i.input_slot(1)), &payload);
      enif_make_map_put(msg_env_, payload, make_atom(msg_env_, "sd"), types_of(msg_env_, i.inputs), &payload);
      enif_make_map_put(msg_env_, payload, make_atom(msg_env_, "rd"), types_of(msg_env_, i.outputs), &payload);
    } else if (what == ServiceRequest::kSend && stdfb::service_wire(type, vars) == stdfb::ServiceWire::kFbdk) {
      payload = fbdk_message(msg_env_, i, vars);
    } else if (what == ServiceRequest::kSend) {
      std::vector<ERL_NIF_TERM> values;
      for (uint16_t k = 2; k < i.inputs.size(); ++k)
        values.push_back(make_var(msg_env_, i.inputs[k], vars + i.input_slot(k)));
      payload = enif_make_list_from_array(msg_env_, values.data(), unsigned(values.size()));
    } else {
      payload = enif_make_list(msg_env_, 0);
    }
    ERL_NIF_TERM items[] = {make_atom(msg_env_, "plc_service"),          make_binary(msg_env_, r_->name_of(fb)),
                            make_atom(msg_env_, kRoles[uint8_t(*role)]), make_atom(msg_env_, kRequests[uint8_t(what)]),
                            enif_make_uint(msg_env_, channel),           payload};
    return enif_make_tuple_from_array(msg_env_, items, 6);
  });
}

void Outbox::on_test_end(FbIndex fb) noexcept {
  send([&] {
    return enif_make_tuple2(msg_env_, make_atom(msg_env_, "plc_test_end"), make_binary(msg_env_, r_->name_of(fb)));
  });
}

}  // namespace plc::nif
