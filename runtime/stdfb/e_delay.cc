// E_DELAY (IEC 61499-1 Annex A): delayed propagation of an event. START
// (with DT) emits EO once, DT after START; STOP cancels a pending EO.
// A START while an EO is pending is ignored, as in 4diac FORTE and the
// standard's service sequence "no_multiple_delay" (E_RDELAY restarts).
//
// Differences from FORTE, on purpose: the delay is measured in
// nanoseconds from the instant START is handled, to an absolute deadline
// (FORTE rounds DT down to its 1 ms tick); DT <= 0 waits 1 ns, the
// engine's tick, as FORTE waits one of its ticks.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { DT };
enum In : uint16_t { START, STOP };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == STOP) {
    fb.cancel_timer();
  } else if (!fb.timer_armed()) {
    fb.start_timer(Duration{fb.v[DT].i});
  }
}

void on_timer(FbContext& fb) { fb.emit(EventId{EO}); }

}  // namespace

FbType e_delay() {
  return FbTypeBuilder("E_DELAY")
      .comment("Delayed propagation of an event")
      .event_input("START", {"DT"})
      .event_input("STOP")
      .event_output("EO")
      .input("DT", DataType::kTime)
      .native({on_event, on_timer})
      .build();
}

}  // namespace plc::stdfb
