#include "runtime/stdfb/management.h"

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

// The responses of the management protocol (DEV_MGR's texts), in FORTE's
// order; the internal $answer holds 1 + the index of the host's answer.
constexpr std::array<const char*, 12> kResponses = {"RDY",
                                                    "BAD_PARAMS",
                                                    "LOCAL_TERMINATION",
                                                    "SYSTEM_TERMINATION",
                                                    "NOT_READY",
                                                    "UNSUPPORTED_CMD",
                                                    "UNSUPPORTED_TYPE",
                                                    "NO_SUCH_OBJECT",
                                                    "INVALID_OBJECT",
                                                    "INVALID_OPERATION",
                                                    "INVALID_STATE",
                                                    "OVERFLOW"};
constexpr size_t kRdy = 0, kUnsupportedCmd = 5;
constexpr uint16_t kQi = 0, kQo = 0, kStatus = 1;
constexpr EventId kCnf{0};

struct Block {
  const char* name;
  const char* comment;
  std::vector<const char*> inputs;  // after QI, every one a WSTRING
};

const std::vector<Block>& blocks() {
  static const std::vector<Block> b = {
      {"ST_CREATE_FB", "Creates an FB instance of a type", {"FB_NAME", "FB_TYPE", "DST"}},
      {"ST_DEL_FB", "Deletes an FB instance", {"FB_NAME", "DST"}},
      {"ST_CREATE_CONN", "Creates a connection", {"SRC_FB", "SRC_FB_OUT", "DST_FB", "DST_FB_IN", "DST"}},
      {"ST_DEL_CONN", "Deletes a connection", {"SRC_FB", "SRC_FB_OUT", "DST_FB", "DST_FB_IN", "DST"}},
      {"ST_REC_CONN",
       "Reconnects: deletes a connection, then creates another",
       {"OLD_SRC_FB", "OLD_SRC_FB_OUT", "OLD_DST_FB", "OLD_DST_FB_IN", "NEW_SRC_FB", "NEW_SRC_FB_OUT", "NEW_DST_FB",
        "NEW_DST_FB_IN", "DST"}},
      {"ST_SET_PARM", "Writes a parameter of an FB", {"ELEM_NAME", "ELEM_DATA_IN", "PARM_VAL", "DST"}},
      {"EC_START_ELEM", "Starts an FB", {"ELEM_NAME", "DST"}},
      {"EC_STOP_ELEM", "Stops an FB", {"ELEM_NAME", "DST"}},
      {"EC_KILL_ELEM", "Kills an FB", {"ELEM_NAME", "DST"}},
      {"EC_SET_EVT", "Triggers an event input or output of an FB", {"FB_NAME", "FB_EVENT_IO", "DST"}},
  };
  return b;
}

// Internals: $answer (1 + the index of the host's answer, 0: none) and
// $pending (a command was handed to the host and not answered: what the
// host checks before it runs a command it is told of).
Value& internal(FbContext& fb, uint16_t k) { return fb.v[fb.type().iface.internal_slot(k)]; }

void respond(FbContext& fb, bool qo, const char* status) {
  *output_port(fb, kQo).v = Value::of_bool(qo);
  TextOut(output_port(fb, kStatus)).append(status, std::strlen(status));
  fb.emit(kCnf);
}

void on_req(FbContext& fb, EventId) {
  Value& answer = internal(fb, 0);
  if (answer.u != 0) {  // the host's answer to the command this REQ gave
    const size_t k = answer.u - 1;
    answer = Value::of_uint(0);
    internal(fb, 1) = Value::of_bool(false);
    return respond(fb, k == kRdy, kResponses[k < kResponses.size() ? k : kUnsupportedCmd]);
  }
  if (!input_port(fb, kQi).v->as_bool()) return respond(fb, false, "Not Ready");
  ResourceObserver* o = fb.resource().observer();
  if (!o) return respond(fb, false, kResponses[kUnsupportedCmd]);
  internal(fb, 1) = Value::of_bool(true);
  o->on_management(FbIndex{fb.index()}, fb.v);
}

FbType block_type(const Block& b) {
  std::vector<const char*> with = {"QI"};
  with.insert(with.end(), b.inputs.begin(), b.inputs.end());
  FbTypeBuilder t(b.name);
  t.comment(b.comment).event_output("CNF", {"QO", "STATUS"}).input("QI", DataType::kBool);
  t.event_input("REQ");
  for (const char* in : b.inputs) t.input(in, DataType::kWstring);
  t.output("QO", DataType::kBool).output("STATUS", DataType::kWstring);
  t.internal("$answer", DataType::kUsint).internal("$pending", DataType::kBool);
  t.native({on_req, nullptr});
  FbType built = t.build();
  // REQ samples QI and every command input (4diac's WITH list).
  auto& req = built.iface.event_inputs[0];
  req.with.clear();
  for (uint16_t k = 0; k < built.iface.inputs.size(); ++k) req.with.push_back(k);
  return built;
}

}  // namespace

bool is_management_block(const FbType& t) {
  for (const Block& b : blocks())
    if (same_identifier(t.name, b.name)) return t.native.on_event == on_req;
  return false;
}

std::optional<InboxEvent> management_answer(const Resource& r, FbIndex fb, std::string_view response) {
  const FbType& t = r.type_of(fb);
  if (!is_management_block(t)) return std::nullopt;
  for (size_t k = 0; k < kResponses.size(); ++k)
    if (response == kResponses[k]) {
      InboxEvent e;
      e.fb = index_of(fb);
      e.ei = EventId{0};  // REQ, with the answer
      e.count = 1;
      e.slot[0] = r.slot_of(fb, t.iface.internal_slot(0));
      e.value[0] = Value::of_uint(k + 1);
      return e;
    }
  return std::nullopt;
}

void add_management_blocks(TypeLibrary& lib) {
  for (const Block& b : blocks()) lib.add(block_type(b));
}

}  // namespace plc::stdfb
