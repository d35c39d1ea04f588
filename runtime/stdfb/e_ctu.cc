// E_CTU (IEC 61499-1 Annex A): event-driven up counter.
// CU: if CV < 65535 then CV := CV + 1, Q := CV >= PV, emits CUO; a CU at
// 65535 is ignored and emits nothing (the ECC guard of the standard and
// of 4diac FORTE), so CV saturates instead of wrapping.
// R: CV := 0, Q := FALSE; emits RO.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { PV, Q, CV };
enum In : uint16_t { CU, R };
enum Out : uint16_t { CUO, RO };

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == CU) {
    if (fb.v[CV].u >= 65535) return;
    ++fb.v[CV].u;
    fb.v[Q] = Value::of_bool(fb.v[CV].u >= fb.v[PV].u);
    fb.emit(EventId{CUO});
  } else {
    fb.v[CV].u = 0;
    fb.v[Q] = Value::of_bool(false);
    fb.emit(EventId{RO});
  }
}

}  // namespace

FbType e_ctu() {
  return FbTypeBuilder("E_CTU")
      .comment("Event-driven up counter")
      .event_input("CU", {"PV"})
      .event_input("R")
      .event_output("CUO", {"Q", "CV"})
      .event_output("RO", {"Q", "CV"})
      .input("PV", DataType::kUint)
      .output("Q", DataType::kBool)
      .output("CV", DataType::kUint)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
