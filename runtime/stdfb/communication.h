// Communication function blocks (IEC 61499-1's communication service
// interface FBs, 4diac's net/ library): PUBLISH_n / SUBSCRIBE_n carry data one way, CLIENT_n_m /
// SERVER_n_m a request and its response. The block does the protocol of
// the standard's service sequences (INIT+, INIT-, REQ, RSP; INITO, CNF,
// IND with QO and STATUS); the channel itself (a socket, an Erlang
// process) belongs to the host, which is asked through
// ResourceObserver::on_service and answers through service_answer().
// See communication.cc for the behaviour and where it differs from FORTE.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace plc::stdfb {

enum class ServiceRole : uint8_t { kPublisher, kSubscriber, kClient, kServer };

// What the host answers: the outcome of an open (INITO follows), or data
// or a failure of the channel (CNF or IND follows).
enum class ServiceAnswer : uint8_t { kNone, kInit, kData };

// FORTE's response codes (cominfra/comtypes.h); STATUS is their text.
enum class ComCode : uint8_t {
  kOk,
  kInvalidId,
  kTerminated,
  kInvalidObject,
  kDataTypeError,
  kInhibited,
  kNoSocket,
  kSendFailed,
  kRecvFailed,
};
inline constexpr uint8_t kComCodes = 9;
const char* com_code_text(ComCode c);  // "OK", "INVALID_ID", ...

// The role of a communication block's type; nullopt for any other type.
std::optional<ServiceRole> service_role(const FbType& t);

// The form in which the host's channel carries the data, chosen by the
// host when it opens the channel (an INIT answer with kOk) and kept by
// the block, so that each REQ's SDs reach the host in that form: the
// engine's values (plc[GROUP]: Erlang terms over distribution) or one FBDK
// ASN.1 message (fbdk[].ip[...]: fbdk_asn1.h, encoded by the host's
// observer in on_service).
enum class ServiceWire : uint8_t { kValues, kFbdk };

// The wire of communication block instance `t` whose variables are `vars`
// (as on_service passes them).
ServiceWire service_wire(const FbType& t, const Value* vars);

// The inbox events (parts of one event, for Resource::post(parts, n)) that
// deliver the host's answer for channel `channel` of communication block
// `fb`: `rd` holds the slots of RD_1 .. RD_m one after the other (a data
// answer with ComCode::kOk; empty otherwise). An INIT answer also sets the
// channel's `wire`. Empty when `rd` does not have the RDs' slot count or
// `fb` is no communication block.
std::vector<InboxEvent> service_answer(const Resource& r, FbIndex fb, uint32_t channel, ServiceAnswer what,
                                       ComCode code, const std::vector<Value>& rd,
                                       ServiceWire wire = ServiceWire::kValues);

// A communication block of `role` named `name` with `sds` SDs and `rds`
// RDs: what a 4diac file declaring that many gets (4diac's PUBLISH_9.fbt
// declares 10 SDs and PUBLISH_10.fbt 9; the file decides, so what 4diac
// IDE draws is what runs).
FbType communication_type(const std::string& name, ServiceRole role, int sds, int rds);

// PUBLISH_0..10, SUBSCRIBE_0..10, CLIENT_n_m and SERVER_n_m (n, m <= 4),
// CLIENT_n and SERVER_n (n SDs and n RDs, as FORTE reads the name).
void add_communication_blocks(TypeLibrary& lib);

}  // namespace plc::stdfb
