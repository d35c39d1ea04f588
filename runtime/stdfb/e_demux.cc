// E_DEMUX (IEC 61499-1 Annex A): event demultiplexer. EI emits EOk for
// K = k in 0..3; for K > 3 it emits nothing (as 4diac FORTE's ECC, whose
// [K > 3] transition returns to START without an action).
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { K };
constexpr uint64_t kOutputs = 4;  // EO0..EO3

void on_event(FbContext& fb, EventId) {
  if (fb.v[K].u < kOutputs) fb.emit(EventId{uint16_t(fb.v[K].u)});
}

}  // namespace

FbType e_demux() {
  return FbTypeBuilder("E_DEMUX")
      .comment("Event demultiplexer: EI to EO[K]")
      .event_input("EI", {"K"})
      .event_output("EO0")
      .event_output("EO1")
      .event_output("EO2")
      .event_output("EO3")
      .input("K", DataType::kUint)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
