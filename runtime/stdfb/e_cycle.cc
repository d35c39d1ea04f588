// E_CYCLE (IEC 61499-1 Annex A): periodic events. START (with DT) emits
// EO DT after START and then every DT until STOP. A START while running
// does not restart the cycle (4diac FORTE and the standard agree).
//
// Deadlines are absolute: each EO is due exactly one DT after the previous
// deadline, whatever the latency of the step that fired it, so there is no
// drift (the resource sets now() to the deadline before on_timer).
//
// Differences from FORTE, on purpose:
// - The period is read from DT at every cycle, as in the standard's
//   definition of E_CYCLE as an E_DELAY whose EO restarts it: a START
//   while running leaves the pending EO where it is, but the DT it brings
//   is the period from then on. FORTE's native E_CYCLE keeps the first DT
//   until STOP.
// - Nanosecond resolution (FORTE rounds DT down to its 1 ms tick); DT <= 0
//   means a period of 1 ns, the engine's tick, as FORTE uses one tick.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { DT };
enum In : uint16_t { START, STOP };
enum Out : uint16_t { EO };

void arm_next(FbContext& fb) { fb.start_timer(Duration{fb.v[DT].i}); }

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == STOP) fb.cancel_timer();
  else if (!fb.timer_armed()) arm_next(fb);
}

void on_timer(FbContext& fb) {
  arm_next(fb);  // now() is the deadline that expired
  fb.emit(EventId{EO});
}

}  // namespace

FbType e_cycle() {
  return FbTypeBuilder("E_CYCLE")
      .comment("Periodic events every DT")
      .event_input("START", {"DT"})
      .event_input("STOP")
      .event_output("EO")
      .input("DT", DataType::kTime)
      .native({on_event, on_timer})
      .build();
}

}  // namespace plc::stdfb
