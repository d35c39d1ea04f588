// E_TRAIN (IEC 61499-1 Annex A): a finite train of events. START (with
// DT) emits EO N times, the first DT after START and then every DT; CV,
// sent with EO, is the index of the event (0..N-1) and is N once the
// train is over. STOP cancels the rest of the train.
//
// The standard defines E_TRAIN as a network (E_CTU CTR, E_SWITCH GATE,
// E_DELAY DLY), and 4diac FORTE ships that network; this is the same
// behaviour in one block, including its corner cases:
// - START resets CV to 0; if a train is running its pending EO stays
//   where it is (DLY ignores START while running) and the train goes on
//   from there with CV counting from 0 again.
// - N = 0 behaves like N = 1: CTR.R clears Q whatever PV is, so the first
//   EO always comes.
// - DT is read at every step, as DLY reads it on every START.
// - The interface is 4diac's: START and STOP carry DT, no event carries N
//   (in 4diac's network N feeds CTR.PV straight from the interface), so N
//   is what its parameter, or the last event that carried it, left there.
//
// Differences from FORTE, on purpose: deadlines are absolute and exact to
// the nanosecond (each EO is due DT after the previous deadline; FORTE
// rounds DT down to its 1 ms tick); DT <= 0 waits 1 ns, the engine's tick.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { DT, N, CV };
enum In : uint16_t { START, STOP };
enum Out : uint16_t { EO };

void arm_next(FbContext& fb) { fb.start_timer(Duration{fb.v[DT].i}); }

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == STOP) {
    fb.cancel_timer();
    return;
  }
  fb.v[CV].u = 0;
  if (!fb.timer_armed()) arm_next(fb);
}

void on_timer(FbContext& fb) {
  fb.emit(EventId{EO});  // CV travels with EO as it is now
  ++fb.v[CV].u;          // at most max(N, 1) <= 65535: no wrap
  if (fb.v[CV].u < fb.v[N].u) arm_next(fb);
}

}  // namespace

FbType e_train() {
  return FbTypeBuilder("E_TRAIN")
      .comment("Train of N events separated by DT")
      .event_input("START", {"DT"})
      .event_input("STOP", {"DT"})
      .event_output("EO", {"CV"})
      .input("DT", DataType::kTime)
      .input("N", DataType::kUint)
      .output("CV", DataType::kUint)
      .native({on_event, on_timer})
      .build();
}

}  // namespace plc::stdfb
