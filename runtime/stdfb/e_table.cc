// E_TABLE (IEC 61499-1 Annex A): a finite, table-driven train of events.
// START (with DT, N) emits EO min(N, 4) times: the first DT[0] after
// START, the next DT[1] after that, and so on; CV, sent with EO, is the
// index of the event (0..3). STOP cancels the rest of the train.
//
// The standard defines E_TABLE as a network (E_TABLE_CTRL and E_DELAY),
// and 4diac FORTE ships that network; this is the same behaviour in one
// block, including its corner cases:
// - N = 0 emits nothing; N > 4 is taken as 4 (DT has four entries).
// - START resets CV to 0; if a train is running its pending EO stays
//   where it is (E_DELAY ignores START while running) and the train goes
//   on from there, with CV counting from 0 again.
//
// Differences from FORTE, on purpose:
// - Deadlines are absolute and exact to the nanosecond (FORTE rounds each
//   DT down to its 1 ms tick); DT[k] <= 0 waits 1 ns, the engine's tick.
// - A START with N = 0 while a train is running lets the pending EO come
//   and ends the train there; FORTE computes N - 1 in UINT, which wraps to
//   65535, and runs on to the fourth event.
#include <algorithm>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

constexpr uint32_t kSteps = 4;  // ARRAY[0..3] OF TIME
enum Slot { DT, N = DT + kSteps, CV };
enum In : uint16_t { START, STOP };
enum Out : uint16_t { EO };

// CV stays below kSteps unless someone writes it; never index past DT.
void arm_step(FbContext& fb) {
  const uint64_t k = std::min<uint64_t>(fb.v[CV].u, kSteps - 1);
  fb.start_timer(Duration{fb.v[DT + k].i});
}

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == STOP) {
    fb.cancel_timer();
    return;
  }
  fb.v[CV].u = 0;
  if (fb.v[N].u > 0 && !fb.timer_armed()) arm_step(fb);
}

void on_timer(FbContext& fb) {
  fb.emit(EventId{EO});  // CV travels with EO as it is now
  if (fb.v[CV].u + 1 < std::min<uint64_t>(fb.v[N].u, kSteps)) {
    ++fb.v[CV].u;
    arm_step(fb);
  }
}

}  // namespace

FbType e_table() {
  return FbTypeBuilder("E_TABLE")
      .comment("Table-driven train of events")
      .event_input("START", {"DT", "N"})
      .event_input("STOP")
      .event_output("EO", {"CV"})
      .input_array("DT", DataType::kTime, kSteps)
      .input("N", DataType::kUint)
      .output("CV", DataType::kUint)
      .native({on_event, on_timer})
      .build();
}

}  // namespace plc::stdfb
