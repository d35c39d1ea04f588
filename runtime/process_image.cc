#include "runtime/process_image.h"

#include "runtime/fb_type_builder.h"

namespace plc {
namespace {

constexpr uint16_t kAddressLength = 32;

VarDecl address() { return VarDecl{"ADDR", DataType::kString, {}, 0, kAddressLength, nullptr}; }

// Slots: ADDR (string), then OUT / the outputs.
constexpr uint32_t kAddrSlots = 1 + (kAddressLength + 7) / 8;

bool has_address(const Value* v) { return v[0].u != 0; }

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
      o->on_io_write(FbIndex{fb.index()}, read_string(address(), fb.v), DataType::kBool, fb.v[OUT]);
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
}

std::optional<FbIndex> find_input_point(const Resource& r, std::string_view addr) {
  for (uint32_t k = 0; k < r.fb_count(); ++k) {
    FbIndex fb{k};
    if (!same_identifier(r.type_of(fb).name, "MIO_IN")) continue;
    if (read_string(address(), r.vars(fb)) == addr) return fb;
  }
  return std::nullopt;
}

bool write_input(Resource& r, FbIndex fb, bool value) {
  if (index_of(fb) >= r.fb_count() || !same_identifier(r.type_of(fb).name, "MIO_IN")) return false;
  InboxEvent e;
  e.fb = index_of(fb);
  e.ei = EventId{in::REQ};
  const uint32_t base = r.slot_of(fb);
  e.count = 2;
  e.slot[0] = base + in::VALUE;
  e.value[0] = Value::of_bool(value);
  e.slot[1] = base + in::PENDING;
  e.value[1] = Value::of_bool(true);
  return r.post(e);
}

}  // namespace plc
