// E_N_TABLE (IEC 61499-1 Annex A): a finite train of events on separate
// outputs, with 4diac's interface: START (with DT, N) emits EO0 DT after
// START, EO1 DT after that, ... for min(N, 4) events, one on each of
// EO0..EO3 in turn. STOP cancels the rest of the train. DT is one TIME
// for every step, read again at each step.
//
// 4diac defines E_N_TABLE as a network, E_TABLE feeding E_DEMUX, whose
// scalar DT drives E_TABLE's DT array; FORTE has no native E_N_TABLE and
// runs that network. Differences, on purpose: every step waits DT (the
// network leaves what a TIME wired to an ARRAY OF TIME means unsaid); the
// k-th event goes to EOk (the library's network computes K := CV - 1 with
// an F_SUB, which shifts every event one output down and loses the first;
// 4diac removed that F_SUB in 2025); E_TABLE's differences from FORTE
// apply too: exact nanosecond deadlines, DT <= 0 waits 1 ns, and a START
// during a train restarts at EO0 but keeps the pending event's deadline.
// The event index is an internal variable, since E_N_TABLE has no data
// outputs.
#include <algorithm>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

constexpr uint64_t kSteps = 4;  // EO0..EO3
enum Slot { DT, N, CV };
enum In : uint16_t { START, STOP };

void arm_step(FbContext& fb) { fb.start_timer(Duration{fb.v[DT].i}); }

void on_event(FbContext& fb, EventId ei) {
  if (index_of(ei) == STOP) {
    fb.cancel_timer();
    return;
  }
  fb.v[CV].u = 0;
  if (fb.v[N].u > 0 && !fb.timer_armed()) arm_step(fb);
}

void on_timer(FbContext& fb) {
  // CV stays below kSteps unless someone writes it; never emit past EO3.
  if (fb.v[CV].u < kSteps) fb.emit(EventId{uint16_t(fb.v[CV].u)});
  if (fb.v[CV].u + 1 < std::min<uint64_t>(fb.v[N].u, kSteps)) {
    ++fb.v[CV].u;
    arm_step(fb);
  }
}

}  // namespace

FbType e_n_table() {
  return FbTypeBuilder("E_N_TABLE")
      .comment("Train of min(N, 4) events DT apart on EO0..EO3")
      .event_input("START", {"DT", "N"})
      .event_input("STOP")
      .event_output("EO0")
      .event_output("EO1")
      .event_output("EO2")
      .event_output("EO3")
      .input("DT", DataType::kTime)
      .input("N", DataType::kUint)
      .internal("CV", DataType::kUint)
      .native({on_event, on_timer})
      .build();
}

}  // namespace plc::stdfb
