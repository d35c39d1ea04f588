// The communication function blocks (communication.h), with FORTE's
// behaviour (src/core/cominfra/commfb.cpp, basecommfb.cpp):
//
// - INIT with QI asks the host to open a channel for ID (on_service
//   kOpen); the host's answer gives INITO with QO TRUE and STATUS 'OK', or
//   QO FALSE and the reason ('INVALID_ID' for an ID it cannot use). An
//   empty ID is 'INVALID_ID' at once; INIT with QI on an open channel is
//   'OK' at once. INIT without QI closes the channel (kClose): INITO with
//   QO FALSE, 'TERMINATED'.
// - REQ (PUBLISH, CLIENT) and RSP (SUBSCRIBE, SERVER) without QI: CNF or
//   IND with QO FALSE, 'INHIBITED'. With QI and no open channel: QO FALSE,
//   'NO_SOCKET' (SUBSCRIBE does nothing). Otherwise PUBLISH hands its SDs
//   to the host (kSend) and confirms at once (CNF, QO TRUE, 'OK'); CLIENT
//   sends its request, and CNF comes with the response's RDs; SERVER sends
//   its response (RSP), no event; SUBSCRIBE's RSP does nothing.
// - Data from the host (a received packet, a response, a request) writes
//   RD_1 .. RD_m and gives IND (SUBSCRIBE, SERVER) or CNF (CLIENT) with QO
//   TRUE, 'OK'. A failure of the channel comes as a data answer with its
//   code (QO FALSE, 'SEND_FAILED', 'RECV_FAILED', ...); a channel the
//   host lost ('TERMINATED') as an INIT answer: INITO with QO FALSE, and
//   the channel is closed.
//
// Where plc differs from FORTE on purpose: FORTE opens the channel inside
// INIT and sends inside REQ, blocking its event chain on a TCP connect;
// here the host does both asynchronously, so INITO follows INIT when the
// host has answered, and a PUBLISH whose send fails later reports it with
// a second CNF (QO FALSE, 'SEND_FAILED') instead of the first. Each open
// is a new channel number: an answer for a channel closed meanwhile is
// ignored (its RD values are written, but no event carries them).
//
// How answers travel: the host posts the answer as one inbox event to
// INIT whose values are the answer's kind, code and channel (internal
// variables; an INIT answer also its wire, which becomes the block's only
// when the answer is for the channel the block waits on) and the RDs, in as many parts as they need (resource.h), so
// two packets in a row each come with their own values. The instance's
// state lives in its internal variables; dispatch allocates nothing.
#include "runtime/stdfb/communication.h"

#include <cstring>
#include <string>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum : uint16_t { kQi, kId, kFirstSd };
enum : uint16_t { kQo, kStatus, kFirstRd };
// Internals: the answer's kind, code, channel and wire as posted, the
// channel, the block's state, and the wire of the open channel.
enum : uint16_t { kHost, kCode, kReply, kChannel, kState, kReplyWire, kWire };
enum State : uint8_t { kClosed, kOpening, kOpen };
constexpr EventId kInit{0}, kInito{0}, kData{1};  // kData: REQ/RSP in, CNF/IND out

const char* const kCodeTexts[kComCodes] = {
    "OK",        "INVALID_ID", "TERMINATED",  "INVALID_OBJECT", "DATA_TYPE_ERROR",
    "INHIBITED", "NO_SOCKET",  "SEND_FAILED", "RECV_FAILED"};

Value& internal(FbContext& fb, uint16_t k) { return fb.v[fb.type().iface.internal_slot(k)]; }

// QO := (code is OK), STATUS := its text, then the event.
void respond(FbContext& fb, ComCode code, EventId eo) {
  *output_port(fb, kQo).v = Value::of_bool(code == ComCode::kOk);
  const char* text = com_code_text(code);
  TextOut(output_port(fb, kStatus)).append(text, std::strlen(text));
  fb.emit(eo);
}

void ask(FbContext& fb, ServiceRequest what) {
  if (ResourceObserver* o = fb.resource().observer())
    o->on_service(FbIndex{fb.index()}, what, uint32_t(internal(fb, kChannel).u), fb.v);
}

void init(FbContext& fb) {
  Value& state = internal(fb, kState);
  if (!input_port(fb, kQi).v->as_bool()) {
    if (state.u != kClosed) ask(fb, ServiceRequest::kClose);
    state = Value::of_uint(kClosed);
    return respond(fb, ComCode::kTerminated, kInito);
  }
  if (state.u == kOpen) return respond(fb, ComCode::kOk, kInito);
  if (Text(input_port(fb, kId)).size() == 0) return respond(fb, ComCode::kInvalidId, kInito);
  if (state.u == kOpening) ask(fb, ServiceRequest::kClose);  // a second INIT+: the newer open counts
  Value& channel = internal(fb, kChannel);
  channel = Value::of_uint(uint32_t(channel.u + 1));
  state = Value::of_uint(kOpening);
  ask(fb, ServiceRequest::kOpen);
}

void request(FbContext& fb, ServiceRole role) {
  if (!input_port(fb, kQi).v->as_bool()) return respond(fb, ComCode::kInhibited, kData);
  if (role == ServiceRole::kSubscriber) return;
  if (internal(fb, kState).u != kOpen) return respond(fb, ComCode::kNoSocket, kData);
  ask(fb, ServiceRequest::kSend);
  if (role == ServiceRole::kPublisher) respond(fb, ComCode::kOk, kData);
}

// The host's answer, posted with its values (service_answer).
void answer(FbContext& fb) {
  const auto what = ServiceAnswer(internal(fb, kHost).u);
  internal(fb, kHost) = Value::of_uint(uint8_t(ServiceAnswer::kNone));
  const uint64_t code = internal(fb, kCode).u;
  Value& state = internal(fb, kState);
  if (internal(fb, kReply).u != internal(fb, kChannel).u || state.u == kClosed || code >= kComCodes) return;
  if (what == ServiceAnswer::kInit) {
    state = Value::of_uint(code == uint8_t(ComCode::kOk) ? kOpen : kClosed);
    internal(fb, kWire) = internal(fb, kReplyWire);
    return respond(fb, ComCode(code), kInito);
  }
  if (state.u == kOpen) respond(fb, ComCode(code), kData);
}

template <ServiceRole role>
void on_event(FbContext& fb, EventId ei) {
  if (internal(fb, kHost).u != uint8_t(ServiceAnswer::kNone)) return answer(fb);
  if (ei == kInit) return init(fb);
  request(fb, role);
}

constexpr void (*kBehaviour[])(FbContext&, EventId) = {
    on_event<ServiceRole::kPublisher>,
    on_event<ServiceRole::kSubscriber>,
    on_event<ServiceRole::kClient>,
    on_event<ServiceRole::kServer>,
};

FbType service_type(const std::string& name, ServiceRole role, int sds, int rds) {
  const bool requester = role == ServiceRole::kPublisher || role == ServiceRole::kClient;
  FbTypeBuilder b(name);
  b.comment("Service Interface Function Block Type")
      .event_input("INIT", {"QI", "ID"})
      .event_input(requester ? "REQ" : "RSP", {"QI"})
      .event_output("INITO", {"QO", "STATUS"})
      .event_output(requester ? "CNF" : "IND", {"QO", "STATUS"})
      .input("QI", DataType::kBool)
      .input("ID", DataType::kWstring);
  for (int k = 1; k <= sds; ++k) b.generic_input("SD_" + std::to_string(k), GenericClass::kAny, uint8_t(k));
  b.output("QO", DataType::kBool).output("STATUS", DataType::kWstring);
  for (int k = 1; k <= rds; ++k) b.generic_output("RD_" + std::to_string(k), GenericClass::kAny, uint8_t(sds + k));
  FbType t = b.internal("$host", DataType::kUsint)
                 .internal("$code", DataType::kUsint)
                 .internal("$reply", DataType::kUdint)
                 .internal("$channel", DataType::kUdint)
                 .internal("$state", DataType::kUsint)
                 .internal("$reply_wire", DataType::kUsint)
                 .internal("$wire", DataType::kUsint)
                 .native({kBehaviour[uint8_t(role)], nullptr, nullptr, true})
                 .build();
  for (int k = 0; k < sds; ++k) t.iface.event_inputs[1].with.push_back(uint16_t(kFirstSd + k));
  for (int k = 0; k < rds; ++k) t.iface.event_outputs[1].with.push_back(uint16_t(kFirstRd + k));
  return t;
}

}  // namespace

const char* com_code_text(ComCode c) { return uint8_t(c) < kComCodes ? kCodeTexts[uint8_t(c)] : "INVALID_OBJECT"; }

std::optional<ServiceRole> service_role(const FbType& t) {
  if (t.kind != FbKind::kNative) return std::nullopt;
  for (uint8_t k = 0; k < 4; ++k)
    if (t.native.on_event == kBehaviour[k]) return ServiceRole(k);
  return std::nullopt;
}

ServiceWire service_wire(const FbType& t, const Value* vars) {
  return vars[t.iface.internal_slot(kWire)].u == uint8_t(ServiceWire::kFbdk) ? ServiceWire::kFbdk
                                                                             : ServiceWire::kValues;
}

std::vector<InboxEvent> service_answer(const Resource& r, FbIndex fb, uint32_t channel, ServiceAnswer what,
                                       ComCode code, const std::vector<Value>& rd, ServiceWire wire) {
  const Interface& i = r.type_of(fb).iface;
  if (!service_role(r.type_of(fb))) return {};
  const uint32_t rd_first = i.output_slot(kFirstRd);
  const uint32_t rd_slots = i.output_slot(uint16_t(i.outputs.size())) - rd_first;
  if (!rd.empty() && rd.size() != rd_slots) return {};
  std::vector<std::pair<uint32_t, Value>> values = {
      {i.internal_slot(kHost), Value::of_uint(uint8_t(what))},
      {i.internal_slot(kCode), Value::of_uint(uint8_t(code))},
      {i.internal_slot(kReply), Value::of_uint(channel)},
  };
  if (what == ServiceAnswer::kInit) values.emplace_back(i.internal_slot(kReplyWire), Value::of_uint(uint8_t(wire)));
  for (uint32_t k = 0; k < rd.size(); ++k) values.emplace_back(rd_first + k, rd[k]);
  std::vector<InboxEvent> parts;
  for (size_t k = 0; k < values.size(); ++k) {
    if (k % InboxEvent::kMaxValues == 0) {
      if (!parts.empty()) parts.back().more = true;
      parts.emplace_back();
      parts.back().fb = index_of(fb);
      parts.back().ei = kInit;
    }
    InboxEvent& e = parts.back();
    e.slot[e.count] = r.slot_of(fb, values[k].first);
    e.value[e.count++] = values[k].second;
  }
  return parts;
}

FbType communication_type(const std::string& name, ServiceRole role, int sds, int rds) {
  return service_type(name, role, sds, rds);
}

void add_communication_blocks(TypeLibrary& lib) {
  constexpr int kMaxPubSub = 10, kMaxClientServer = 4;
  for (int n = 0; n <= kMaxPubSub; ++n) {
    lib.add(service_type("PUBLISH_" + std::to_string(n), ServiceRole::kPublisher, n, 0));
    lib.add(service_type("SUBSCRIBE_" + std::to_string(n), ServiceRole::kSubscriber, 0, n));
  }
  for (int n = 0; n <= kMaxClientServer; ++n) {
    const std::string nn = std::to_string(n);
    lib.add(service_type("CLIENT_" + nn, ServiceRole::kClient, n, n));
    lib.add(service_type("SERVER_" + nn, ServiceRole::kServer, n, n));
    for (int m = 0; m <= kMaxClientServer; ++m) {
      const std::string nm = nn + "_" + std::to_string(m);
      lib.add(service_type("CLIENT_" + nm, ServiceRole::kClient, n, m));
      lib.add(service_type("SERVER_" + nm, ServiceRole::kServer, n, m));
    }
  }
}

}  // namespace plc::stdfb
