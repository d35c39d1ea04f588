// E_CTD (IEC 61499-1 Annex A): event-driven down counter.
// CD: if CV > 0 then CV := CV - 1, Q := (CV = 0), emit CDO; at CV = 0 the
// event is ignored and nothing is emitted (the ECC's CD[CV > 0] guard, as
// in 4diac FORTE): CV saturates at 0 instead of wrapping.
// LD (with PV): CV := PV, Q := (CV = 0), emit LDO.
// Q starts FALSE although CV starts at 0, as in FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { PV, Q, CV };
enum In : uint16_t { CD, LD };
enum Out : uint16_t { CDO, LDO };

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == CD) {
    if (fb.v[CV].u == 0) return;
    --fb.v[CV].u;
  } else {
    fb.v[CV] = fb.v[PV];
  }
  fb.v[Q] = Value::of_bool(fb.v[CV].u == 0);
  fb.emit(EventId{index_of(ei) == CD ? CDO : LDO});
}

}  // namespace

FbType e_ctd() {
  return FbTypeBuilder("E_CTD")
      .comment("Event-driven down counter")
      .event_input("CD")
      .event_input("LD", {"PV"})
      .event_output("CDO", {"Q", "CV"})
      .event_output("LDO", {"Q", "CV"})
      .input("PV", DataType::kUint)
      .output("Q", DataType::kBool)
      .output("CV", DataType::kUint)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
