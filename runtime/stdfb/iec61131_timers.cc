// FB_TON, FB_TOF, FB_TP (IEC 61131-3 6.6.3.5.5): timers evaluated on REQ
// with the engine's current time, fb.now() (Resource::step's `now`, so a
// virtual clock drives them in tests). As in 4diac FORTE, a timer does
// nothing between REQs: Q and ET change only when a REQ samples them, and
// every REQ emits CNF. A PT below zero counts as T#0s.
//   TON: IN TRUE starts timing; ET := MIN(elapsed, PT), Q := elapsed >= PT;
//        IN FALSE: Q := FALSE, ET := T#0s.
//   TOF: IN TRUE: Q := TRUE, ET := T#0s. IN FALSE after a TRUE starts
//        timing; ET := MIN(elapsed, PT), Q falls once elapsed >= PT.
//   TP:  IN TRUE while no pulse runs starts a pulse: Q := TRUE until PT
//        has elapsed, ET := MIN(elapsed, PT); IN changes during the pulse
//        are ignored (not retriggerable). After the pulse ET stays at PT
//        until a REQ finds IN FALSE, which sets ET := T#0s and arms the
//        next pulse.
//
// Differences from FORTE, on purpose:
// - The REQ that starts timing also evaluates it (elapsed = 0), so with
//   PT = T#0s TON's Q rises and TOF's Q falls at once (IEC 61131-3: Q
//   follows IN); FORTE waits for the next REQ.
// - TON's Q is recomputed at each REQ (elapsed >= PT) where FORTE keeps it
//   TRUE until IN falls even if PT is raised meanwhile.
// - TP ends its pulse at the first REQ that finds PT elapsed, with ET
//   saturated at PT; FORTE updates ET first and tests it at the next REQ,
//   so its Q falls one REQ late and its ET overshoots PT. FORTE 2.0 also
//   starts a new pulse every other REQ while IN stays TRUE; here a new
//   pulse needs a REQ with IN FALSE after the previous one.
#include <algorithm>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/iec61131_blocks.h"

namespace plc::stdfb {
namespace {

constexpr EventId kCnf{0};
// Common slots: inputs IN, PT; outputs Q, ET; internals START (TIME), then
// one state variable.
enum Slot { IN, PT, Q, ET, START, STATE };

int64_t preset(const FbContext& fb) { return std::max<int64_t>(fb.v[PT].i, 0); }
int64_t elapsed(const FbContext& fb) { return fb.now().count() - fb.v[START].i; }
void start_timing(FbContext& fb) { fb.v[START] = Value::of_int(fb.now().count()); }

// STATE of TON and TOF: timing has started (BOOL).
void ton(FbContext& fb, EventId) {
  if (!fb.v[IN].as_bool()) {
    fb.v[Q] = Value::of_bool(false);
    fb.v[ET] = Value::of_int(0);
    fb.v[STATE] = Value::of_bool(false);
  } else {
    if (!fb.v[STATE].as_bool()) {
      fb.v[STATE] = Value::of_bool(true);
      start_timing(fb);
    }
    const int64_t e = elapsed(fb), pt = preset(fb);
    fb.v[ET] = Value::of_int(std::min(e, pt));
    fb.v[Q] = Value::of_bool(e >= pt);
  }
  fb.emit(kCnf);
}

void tof(FbContext& fb, EventId) {
  if (fb.v[IN].as_bool()) {
    fb.v[Q] = Value::of_bool(true);
    fb.v[ET] = Value::of_int(0);
    fb.v[STATE] = Value::of_bool(false);
  } else if (fb.v[STATE].as_bool() || fb.v[Q].as_bool()) {
    if (!fb.v[STATE].as_bool()) {
      fb.v[STATE] = Value::of_bool(true);
      start_timing(fb);
    }
    const int64_t e = elapsed(fb), pt = preset(fb);
    fb.v[ET] = Value::of_int(std::min(e, pt));
    fb.v[Q] = Value::of_bool(fb.v[Q].as_bool() && e < pt);
  }
  fb.emit(kCnf);
}

// STATE of TP (UINT): the phase of the pulse.
enum Phase : uint64_t { kIdle, kPulse, kDone };
void tp(FbContext& fb, EventId) {
  const bool in = fb.v[IN].as_bool();
  if (fb.v[STATE].u == kIdle && in) {
    fb.v[STATE] = Value::of_uint(kPulse);
    start_timing(fb);
    fb.v[Q] = Value::of_bool(true);
  }
  if (fb.v[STATE].u == kPulse) {
    const int64_t e = elapsed(fb), pt = preset(fb);
    fb.v[ET] = Value::of_int(std::min(e, pt));
    if (e >= pt) {
      fb.v[Q] = Value::of_bool(false);
      fb.v[STATE] = Value::of_uint(kDone);
    }
  }
  if (fb.v[STATE].u == kDone && !in) {
    fb.v[ET] = Value::of_int(0);
    fb.v[STATE] = Value::of_uint(kIdle);
  }
  fb.emit(kCnf);
}

FbType timer(const char* name, const char* comment, DataType state, void (*on_event)(FbContext&, EventId)) {
  return FbTypeBuilder(name)
      .comment(comment)
      .event_input("REQ", {"IN", "PT"})
      .event_output("CNF", {"Q", "ET"})
      .input("IN", DataType::kBool)
      .input("PT", DataType::kTime)
      .output("Q", DataType::kBool)
      .output("ET", DataType::kTime)
      .internal("$START", DataType::kTime)
      .internal("$STATE", state)
      .native({on_event, nullptr})
      .build();
}

}  // namespace

FbType fb_ton() { return timer("FB_TON", "On-delay timer", DataType::kBool, ton); }
FbType fb_tof() { return timer("FB_TOF", "Off-delay timer", DataType::kBool, tof); }
FbType fb_tp() { return timer("FB_TP", "Pulse timer", DataType::kUint, tp); }

}  // namespace plc::stdfb
