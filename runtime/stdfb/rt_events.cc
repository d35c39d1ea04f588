// 4diac's real-time event blocks (rtevents/: RT_E_CYCLE, RT_E_DELAY,
// RT_E_DEMUX, RT_E_EC_COUPLER, RT_E_F_TRIG, RT_E_MERGE, RT_E_PERMIT,
// RT_E_REND, RT_E_R_TRIG, RT_E_SELECT, RT_E_SPLIT, RT_E_SWITCH). In 4diac
// FORTE (src/modules/rt_events) each is the standard event block of IEC
// 61499-1 Annex A whose event outputs start event chains of their own: an
// event chain execution thread per output, whose thread deadline is the
// block's Deadline input (CThread::setDeadline, which FORTE's real-time
// ports use for scheduling). WCET and Tmin are declared and not read by
// FORTE. RT_E_TRAIN is not here: 4diac's file is a composite of RT_E_CYCLE,
// E_CTU and E_SWITCH and runs as such.
//
// plc has no separate real-time chain: a resource has one event chain
// (resource.h) and these blocks emit into it like the standard blocks, in
// the order of the standard blocks. Deadline, WCET and Tmin are accepted
// and ignored: nothing here is scheduled by deadline, and a deadline is not
// monitored. What remains is FORTE's service handling, kept exactly:
// - INIT (with QI) sets QO := QI and emits INITO. QI TRUE starts the
//   service, QI FALSE stops it; a stopped block (and a block before its
//   first INIT) ignores its other event inputs, but for RT_E_DELAY's STOP.
//   A stop does not cancel an RT_E_DELAY's pending EO, as in FORTE (its
//   timer is not the chain's).
// - RT_E_CYCLE has no INIT and runs from the start; its QO is never set.
// - RT_E_R_TRIG and RT_E_F_TRIG detect edges of QI itself: their EI
//   carries QI, the same variable as the qualifier, as in 4diac's interface.
//
// The behaviour after the service check is the standard block's, as plc's
// E_* blocks implement it (e_*.cc: RT_E_CYCLE reads DT at every cycle,
// deadlines are exact to the nanosecond). One difference from FORTE, on
// purpose: FORTE's RT_E_REND does not forget the rendezvous after EO
// (after EI1, EI2, each further EI2 emits EO again); here EO clears both,
// as in the standard E_REND. RT_E_SWITCH's outputs are named EO1 (G FALSE) and EO2
// (G TRUE), as in 4diac's file.
#include <initializer_list>
#include <utility>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

constexpr uint16_t kInit = 0;   // event input 0 of every block with INIT
constexpr uint16_t kInito = 0;  // event output 0
constexpr uint32_t kQi = 0;     // input 0

// The slots after the inputs: QO (the only output), then $initialized,
// then the block's own state.
enum Own : uint32_t { QO, INITIALIZED, STATE };
Value* own(FbContext& fb) { return fb.v + fb.type().iface.inputs.size(); }

// FORTE's service handling: INIT sets QO := QI and emits INITO; any other
// event is served only while initialized. True when `ei` is to be served.
bool serve(FbContext& fb, EventId ei) {
  Value* o = own(fb);
  if (index_of(ei) != kInit) return o[INITIALIZED].as_bool();
  o[QO] = o[INITIALIZED] = Value::of_bool(fb.v[kQi].as_bool());
  fb.emit(EventId{kInito});
  return false;
}

// ---- the behaviours: the standard block's, event outputs after INITO

// Inputs of the second kind: the block's own data input, right after QI.
constexpr uint32_t kParam = 1;

void merge(FbContext& fb, EventId ei) {
  if (serve(fb, ei)) fb.emit(EventId{1});
}
void permit(FbContext& fb, EventId ei) {
  if (serve(fb, ei) && fb.v[kParam].as_bool()) fb.emit(EventId{1});
}
void select(FbContext& fb, EventId ei) {  // EI0 is event 1, EI1 event 2
  if (serve(fb, ei) && fb.v[kParam].as_bool() == (index_of(ei) == 2)) fb.emit(EventId{1});
}
void split(FbContext& fb, EventId ei) {
  if (!serve(fb, ei)) return;
  fb.emit(EventId{1});
  fb.emit(EventId{2});
}
void switch_(FbContext& fb, EventId ei) {
  if (serve(fb, ei)) fb.emit(EventId{uint16_t(fb.v[kParam].as_bool() ? 2 : 1)});
}
void demux(FbContext& fb, EventId ei) {  // K > 3: nothing
  if (serve(fb, ei) && fb.v[kParam].u < 4) fb.emit(EventId{uint16_t(1 + fb.v[kParam].u)});
}

// R_TRIG / F_TRIG: STATE is QI at the previous EI.
template <bool kRising>
void trig(FbContext& fb, EventId ei) {
  if (!serve(fb, ei)) return;
  Value& last = own(fb)[STATE];
  const bool qi = fb.v[kQi].as_bool();
  const bool edge = kRising ? qi && !last.as_bool() : !qi && last.as_bool();
  last = Value::of_bool(qi);
  if (edge) fb.emit(EventId{1});
}

// REND: STATE, STATE + 1 are "EI1 arrived", "EI2 arrived".
void rend(FbContext& fb, EventId ei) {
  if (!serve(fb, ei)) return;
  Value* got = own(fb) + STATE;
  const uint16_t k = index_of(ei);  // EI1 = 1, EI2 = 2, R = 3
  if (k == 3 || got[2 - k].as_bool()) {
    got[0] = got[1] = Value::of_bool(false);
    if (k != 3) fb.emit(EventId{1});
  } else {
    got[k - 1] = Value::of_bool(true);
  }
}

// DELAY: DT is the input after QI; events INIT, START, STOP; outputs INITO, EO.
void delay(FbContext& fb, EventId ei) {
  if (index_of(ei) == 2) fb.cancel_timer();  // STOP, served or not, as FORTE
  else if (serve(fb, ei) && !fb.timer_armed()) fb.start_timer(Duration{fb.v[kParam].i});
}
void delay_timer(FbContext& fb) { fb.emit(EventId{1}); }

// CYCLE: no INIT; inputs DT, ...; events START, STOP; output EO.
void cycle(FbContext& fb, EventId ei) {
  if (index_of(ei) == 1) fb.cancel_timer();
  else if (!fb.timer_armed()) fb.start_timer(Duration{fb.v[0].i});
}
void cycle_timer(FbContext& fb) {
  fb.start_timer(Duration{fb.v[0].i});  // now() is the deadline that expired
  fb.emit(EventId{0});
}

// ---- the interfaces, as 4diac's files declare them

using Names = std::initializer_list<const char*>;

struct Event {
  const char* name;
  const char* with;  // the variable it carries, or nullptr
};

struct RtBlock {
  const char* name;
  const char* comment;
  std::pair<const char*, DataType> param;  // the block's own input after QI, or {nullptr, ...}
  Names timing;                            // TIME inputs carried by INIT: Tmin, Deadline..., WCET...
  std::initializer_list<Event> events;     // after INIT
  Names outputs;                           // after INITO
  Names state;                             // BOOL internals after $initialized
  NativeBehaviour behaviour;
};

FbType build(const RtBlock& b) {
  FbTypeBuilder t(b.name);
  t.comment(b.comment).event_input("INIT", {"QI"});
  for (const Event& e : b.events) e.with ? t.event_input(e.name, {e.with}) : t.event_input(e.name);
  t.event_output("INITO", {"QO"});
  for (const char* eo : b.outputs) t.event_output(eo);
  t.input("QI", DataType::kBool);
  if (b.param.first) t.input(b.param.first, b.param.second);
  for (const char* n : b.timing) t.input(n, DataType::kTime);
  t.output("QO", DataType::kBool).internal("$initialized", DataType::kBool);
  for (const char* n : b.state) t.internal(n, DataType::kBool);
  FbType type = t.native(b.behaviour).build();
  for (const char* n : b.timing) type.iface.event_inputs[kInit].with.push_back(*type.iface.find_input(n));
  return type;
}

constexpr std::pair<const char*, DataType> kNoParam{nullptr, DataType::kBool};
constexpr Names kTiming = {"Tmin", "Deadline", "WCET"};
constexpr Names kTimingTwo = {"Tmin", "Deadline_EO1", "WCET_EO1", "Deadline_EO2", "WCET_EO2"};

FbType rt_e_cycle() {
  return FbTypeBuilder("RT_E_CYCLE")
      .comment("Periodic events every DT, in their own event chain in FORTE")
      .event_input("START", {"DT", "Deadline", "WCET"})
      .event_input("STOP")
      .event_output("EO")
      .input("DT", DataType::kTime)
      .input("Deadline", DataType::kTime)
      .input("WCET", DataType::kTime)
      .output("QO", DataType::kBool)
      .native({cycle, cycle_timer})
      .build();
}

}  // namespace

void add_rt_event_blocks(TypeLibrary& lib) {
  const DataType kBool = DataType::kBool;
  const RtBlock table[] = {
      {"RT_E_EC_COUPLER",
       "Couples two event chains (one in plc)",
       kNoParam,
       {"Tmin", "Deadline"},
       {{"EI", nullptr}},
       {"EO"},
       {},
       {merge, nullptr}},
      {"RT_E_MERGE",
       "Merge (OR) of two events",
       kNoParam,
       kTiming,
       {{"EI1", nullptr}, {"EI2", nullptr}},
       {"EO"},
       {},
       {merge, nullptr}},
      {"RT_E_PERMIT",
       "Permissive propagation of an event",
       {"PERMIT", kBool},
       kTiming,
       {{"EI", "PERMIT"}},
       {"EO"},
       {},
       {permit, nullptr}},
      {"RT_E_SELECT",
       "Selection between two events by G",
       {"G", kBool},
       kTiming,
       {{"EI0", "G"}, {"EI1", "G"}},
       {"EO"},
       {},
       {select, nullptr}},
      {"RT_E_R_TRIG", "Rising edge of QI", kNoParam, kTiming, {{"EI", "QI"}}, {"EO"}, {"$last"}, {trig<true>, nullptr}},
      {"RT_E_F_TRIG",
       "Falling edge of QI",
       kNoParam,
       kTiming,
       {{"EI", "QI"}},
       {"EO"},
       {"$last"},
       {trig<false>, nullptr}},
      {"RT_E_REND",
       "Rendezvous (AND) of two events",
       kNoParam,
       kTiming,
       {{"EI1", nullptr}, {"EI2", nullptr}, {"R", nullptr}},
       {"EO"},
       {"$got_ei1", "$got_ei2"},
       {rend, nullptr}},
      {"RT_E_SPLIT",
       "Split an event into EO1 then EO2",
       kNoParam,
       kTimingTwo,
       {{"EI", nullptr}},
       {"EO1", "EO2"},
       {},
       {split, nullptr}},
      {"RT_E_SWITCH",
       "Switch an event to EO1 (G FALSE) or EO2 (G TRUE)",
       {"G", kBool},
       kTimingTwo,
       {{"EI", "G"}},
       {"EO1", "EO2"},
       {},
       {switch_, nullptr}},
      {"RT_E_DELAY",
       "Delayed propagation of an event",
       {"DT", DataType::kTime},
       kTiming,
       {{"START", "DT"}, {"STOP", nullptr}},
       {"EO"},
       {},
       {delay, delay_timer}},
      {"RT_E_DEMUX",
       "Event demultiplexer: EI to EO[K]",
       {"K", DataType::kUint},
       {"Tmin", "Deadline0", "WCET0", "Deadline1", "WCET1", "Deadline2", "WCET2", "Deadline3", "WCET3"},
       {{"EI", "K"}},
       {"EO0", "EO1", "EO2", "EO3"},
       {},
       {demux, nullptr}},
  };
  for (const RtBlock& b : table) lib.add(build(b));
  lib.add(rt_e_cycle());
}

}  // namespace plc::stdfb
