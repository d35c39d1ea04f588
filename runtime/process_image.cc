#include "runtime/process_image.h"

#include "runtime/fb_type_builder.h"

namespace plc {
namespace {

constexpr uint16_t kAddressLength = 32;

VarDecl address() { return VarDecl{"ADDR", DataType::kString, {}, 0, kAddressLength, nullptr}; }

// Slots: ADDR (string), then OUT / the outputs.
constexpr uint32_t kAddrSlots = 1 + (kAddressLength + 7) / 8;

bool has_address(const Value* v) { return v[0].u != 0; }

// The text of a STRING variable at `slots`, in a buffer kept per thread:
// an output's address is handed to the observer without allocating (the
// buffer grows once, to the longest address).
const std::string& text_of(const VarDecl& var, const Value* slots) {
  thread_local std::string buf;
  const auto* bytes = reinterpret_cast<const char*>(slots + 1);
  buf.assign(bytes, std::min<uint64_t>(slots[0].u, var.max_length()));
  return buf;
}

namespace out {
enum Slot : uint32_t { OUT = kAddrSlots, QO };
enum Event : uint16_t { INIT, REQ };
enum Output : uint16_t { INITO, CNF };

void on_event(FbContext& fb, EventId ei) {
  fb.v[QO] = Value::of_bool(has_address(fb.v));
  if (index_of(ei) == INIT) {
    fb.emit(EventId{INITO});
    return;
  }
  if (fb.v[QO].as_bool())
    if (ResourceObserver* o = fb.resource().observer())
      o->on_io_write(FbIndex{fb.index()}, text_of(address(), fb.v), DataType::kBool, fb.v[OUT]);
  fb.emit(EventId{CNF});
}
}  // namespace out

namespace in {
enum Slot : uint32_t { QO = kAddrSlots, IN, VALUE, PENDING };
enum Event : uint16_t { INIT, REQ };
enum Output : uint16_t { INITO, CNF, IND };

void on_event(FbContext& fb, EventId ei) {
  fb.v[QO] = Value::of_bool(has_address(fb.v));
  if (index_of(ei) == INIT) {
    fb.emit(EventId{INITO});
    return;
  }
  if (fb.v[PENDING].as_bool()) {  // a write from outside
    fb.v[PENDING] = Value::of_bool(false);
    fb.v[IN] = fb.v[VALUE];
    fb.emit(EventId{IND});
    return;
  }
  fb.emit(EventId{CNF});
}
}  // namespace in

// ---- 4diac's io/ blocks: QX, QB, QW, QD, QL and IX, IB, IW, ID, IL.
// Slots: QI, PARAMS (STRING[254]), then for Q*: OUT, QO, STATUS; for I*:
// QO, STATUS, IN; then the internals.
const VarDecl kString{"STATUS", DataType::kString, {}, 0, 0, nullptr};  // STRING[254], as PARAMS
constexpr uint32_t kStringSlots = 1 + (VarDecl::kDefaultStringLength + 7) / 8;
constexpr uint32_t QI = 0, PARAMS = 1;
enum Event : uint16_t { INIT, REQ };
enum Output : uint16_t { INITO, CNF, IND };

void set_status(FbContext& fb, uint32_t status, std::string_view text) { write_string(kString, text, fb.v + status); }

// INIT: QI TRUE starts the service when PARAMS names an address (QO TRUE,
// STATUS 'OK'); QI FALSE ends it (QO FALSE). Returns whether it runs.
bool init(FbContext& fb, uint32_t qo, uint32_t status) {
  const bool run = fb.v[QI].as_bool() && has_address(fb.v + PARAMS);
  fb.v[qo] = Value::of_bool(run);
  set_status(fb, status, run ? "OK" : fb.v[QI].as_bool() ? "PARAMS names no address" : "not initialized");
  fb.emit(EventId{INITO});
  return run;
}

// REQ: QO := QI and the service runs; STATUS says why not.
bool request(FbContext& fb, bool initialized, uint32_t qo, uint32_t status) {
  const bool run = fb.v[QI].as_bool() && initialized;
  fb.v[qo] = Value::of_bool(run);
  if (fb.v[QI].as_bool() && !initialized) set_status(fb, status, "not initialized");
  return run;
}

namespace fourdiac_out {
enum Slot : uint32_t { OUT = PARAMS + kStringSlots, QO, STATUS, INITIALIZED = STATUS + kStringSlots };

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == INIT) {
    fb.v[INITIALIZED] = Value::of_bool(init(fb, QO, STATUS));
    return;
  }
  if (request(fb, fb.v[INITIALIZED].as_bool(), QO, STATUS))
    if (ResourceObserver* o = fb.resource().observer())
      o->on_io_write(FbIndex{fb.index()}, text_of(kString, fb.v + PARAMS), fb.type().iface.inputs[2].type, fb.v[OUT]);
  fb.emit(EventId{CNF});
}
}  // namespace fourdiac_out

namespace fourdiac_in {
enum Slot : uint32_t { QO = PARAMS + kStringSlots, STATUS, IN = STATUS + kStringSlots, INITIALIZED, VALUE, PENDING };

// A write from outside (write_input) sets VALUE. IX has an IND: its write
// comes as a REQ with PENDING set, indicated (IND with IN := VALUE) when
// the service runs. IB, IW, ID, IL have none: their write sets VALUE
// alone. Any other REQ polls: CNF with IN := VALUE when the service runs.
void on_event(FbContext& fb, EventId ei) {
  const bool initialized = fb.v[INITIALIZED].as_bool();
  if (index_of(ei) == INIT) {
    fb.v[INITIALIZED] = Value::of_bool(init(fb, QO, STATUS));
    return;
  }
  if (fb.v[PENDING].as_bool()) {
    fb.v[PENDING] = Value::of_bool(false);
    if (initialized && fb.v[QI].as_bool()) {
      fb.v[QO] = Value::of_bool(true);
      fb.v[IN] = fb.v[VALUE];
      fb.emit(EventId{IND});
    }
    return;
  }
  if (request(fb, initialized, QO, STATUS)) fb.v[IN] = fb.v[VALUE];
  fb.emit(EventId{CNF});
}
}  // namespace fourdiac_in

VarDecl string_var(const char* name) { return {name, DataType::kString, {}, 0, 0, nullptr}; }

FbType output_block(const char* name, DataType type) {
  return FbTypeBuilder(name)
      .comment("Process-image output: REQ hands (PARAMS, OUT) to the host")
      .event_input("INIT", {"QI", "PARAMS"})
      .event_input("REQ", {"QI", "OUT"})
      .event_output("INITO", {"QO", "STATUS"})
      .event_output("CNF", {"QO", "STATUS"})
      .input("QI", DataType::kBool)
      .input(string_var("PARAMS"))
      .input("OUT", type)
      .output("QO", DataType::kBool)
      .output(string_var("STATUS"))
      .internal("$initialized", DataType::kBool)
      .native({fourdiac_out::on_event, nullptr})
      .build();
}

FbType input_block(const char* name, DataType type) {
  FbTypeBuilder b(name);
  b.comment("Process-image input: REQ polls IN, written by the host")
      .event_input("INIT", {"QI", "PARAMS"})
      .event_input("REQ", {"QI"})
      .event_output("INITO", {"QO", "STATUS"})
      .event_output("CNF", {"QO", "STATUS", "IN"});
  if (type == DataType::kBool) b.event_output("IND", {"QO", "STATUS", "IN"});
  return b.input("QI", DataType::kBool)
      .input(string_var("PARAMS"))
      .output("QO", DataType::kBool)
      .output(string_var("STATUS"))
      .output("IN", type)
      .internal("$initialized", DataType::kBool)
      .internal("$value", type)
      .internal("$pending", DataType::kBool)
      .native({fourdiac_in::on_event, nullptr})
      .build();
}

struct IoRow {
  const char* input;
  const char* output;
  DataType type;
};
constexpr IoRow kIoBlocks[] = {
    {"IX", "QX", DataType::kBool},  {"IB", "QB", DataType::kByte},  {"IW", "QW", DataType::kWord},
    {"ID", "QD", DataType::kDword}, {"IL", "QL", DataType::kLword},
};

bool is_4diac_input(const FbType& t) {
  for (const IoRow& row : kIoBlocks)
    if (same_identifier(t.name, row.input)) return true;
  return false;
}

FbType mio_out() {
  return FbTypeBuilder("MIO_OUT")
      .comment("Process-image output: REQ hands (ADDR, OUT) to the host")
      .event_input("INIT", {"ADDR"})
      .event_input("REQ", {"ADDR", "OUT"})
      .event_output("INITO", {"QO"})
      .event_output("CNF", {"QO"})
      .input(address())
      .input("OUT", DataType::kBool)
      .output("QO", DataType::kBool)
      .native({out::on_event, nullptr})
      .build();
}

FbType mio_in() {
  FbType t = FbTypeBuilder("MIO_IN")
                 .comment("Process-image input: IND when the host writes IN, CNF on a REQ poll")
                 .event_input("INIT", {"ADDR"})
                 .event_input("REQ")
                 .event_output("INITO", {"QO"})
                 .event_output("CNF", {"QO", "IN"})
                 .event_output("IND", {"QO", "IN"})
                 .input(address())
                 .output("QO", DataType::kBool)
                 .output("IN", DataType::kBool)
                 .native({in::on_event, nullptr})
                 .build();
  t.iface.internals.push_back({"$value", DataType::kBool, {}, 0, 0, nullptr});
  t.iface.internals.push_back({"$pending", DataType::kBool, {}, 0, 0, nullptr});
  return t;
}

}  // namespace

void add_process_image_blocks(TypeLibrary& lib) {
  lib.add(mio_out());
  lib.add(mio_in());
  for (const IoRow& row : kIoBlocks) {
    lib.add(input_block(row.input, row.type));
    lib.add(output_block(row.output, row.type));
  }
}

std::optional<FbIndex> find_input_point(const Resource& r, std::string_view addr) {
  for (uint32_t k = 0; k < r.fb_count(); ++k) {
    FbIndex fb{k};
    const FbType& t = r.type_of(fb);
    if (same_identifier(t.name, "MIO_IN") ? read_string(address(), r.vars(fb)) == addr
        : is_4diac_input(t)               ? read_string(kString, r.vars(fb) + PARAMS) == addr
                                          : false)
      return fb;
  }
  return std::nullopt;
}

DataType input_point_type(const Resource& r, FbIndex fb) {
  const FbType& t = r.type_of(fb);
  return is_4diac_input(t) ? t.iface.outputs[2].type : DataType::kBool;
}

bool write_input(Resource& r, FbIndex fb, Value value) {
  if (index_of(fb) >= r.fb_count()) return false;
  const FbType& t = r.type_of(fb);
  const bool mio = same_identifier(t.name, "MIO_IN");
  if (!mio && !is_4diac_input(t)) return false;
  InboxEvent e;
  e.fb = index_of(fb);
  const uint32_t base = r.slot_of(fb);
  const bool indicated = mio || t.iface.event_outputs.size() > IND;
  e.ei = indicated ? EventId{REQ} : kNoEvent;  // REQ is event 1 of both
  e.count = indicated ? 2 : 1;
  e.slot[0] = base + (mio ? uint32_t(in::VALUE) : uint32_t(fourdiac_in::VALUE));
  e.value[0] = value;
  e.slot[1] = base + (mio ? uint32_t(in::PENDING) : uint32_t(fourdiac_in::PENDING));
  e.value[1] = Value::of_bool(true);
  return r.post(e);
}

}  // namespace plc
