// E_N_TABLE (IEC 61499-1 Annex A): a finite, table-driven train of events
// on separate outputs. START (with DT, N) works as E_TABLE, but its k-th
// event (k = 0..3) is emitted on EOk instead of EO: EO0 DT[0] after
// START, EO1 DT[1] after that, ... for min(N, 4) events. STOP cancels the
// rest of the train.
//
// The standard defines E_N_TABLE as E_TABLE feeding E_DEMUX (K := CV);
// 4diac FORTE ships that network (older versions had an F_SUB computing
// K := CV - 1, which shifted every event to the output below and lost the
// first; 4diac removed it in 2025). This is the same behaviour in one
// block, and its differences from FORTE are E_TABLE's: exact nanosecond
// deadlines, DT[k] <= 0 waits 1 ns, and a START with N = 0 during a train
// ends it after the pending event. The event index is an internal
// variable, since E_N_TABLE has no data outputs.
#include <algorithm>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

constexpr uint32_t kSteps = 4;  // ARRAY[0..3] OF TIME, EO0..EO3
enum Slot { DT, N = DT + kSteps, CV };
enum In : uint16_t { START, STOP };

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
  if (fb.v[CV].u < kSteps) fb.emit(EventId{uint16_t(fb.v[CV].u)});
  if (fb.v[CV].u + 1 < std::min<uint64_t>(fb.v[N].u, kSteps)) {
    ++fb.v[CV].u;
    arm_step(fb);
  }
}

}  // namespace

FbType e_n_table() {
  return FbTypeBuilder("E_N_TABLE")
      .comment("Table-driven train of events on EO0..EO3")
      .event_input("START", {"DT", "N"})
      .event_input("STOP")
      .event_output("EO0")
      .event_output("EO1")
      .event_output("EO2")
      .event_output("EO3")
      .input_array("DT", DataType::kTime, kSteps)
      .input("N", DataType::kUint)
      .internal("CV", DataType::kUint)
      .native({on_event, on_timer})
      .build();
}

}  // namespace plc::stdfb
