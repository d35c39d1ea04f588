// The Execution Control Chart of a basic FB (IEC 61499-1 5.2.2).
//
// Rules, as the engine runs them (ecc.cc):
// - When an event input arrives, the transitions leaving the current state
//   are evaluated in declaration order; the first whose condition holds
//   fires. A condition is an event input, a guard (a boolean algorithm),
//   both, or neither ("1": always true).
// - The arriving event takes part in the first evaluation only: after it,
//   transitions that name an event can no longer fire until the next event.
// - Entering a state runs its actions in order: each action runs its
//   algorithm (if any), then emits its output event (if any).
// - After a transition fires, the new state's transitions are evaluated
//   again (without the event), so event-less transitions keep firing while
//   one is enabled; the ECC rests when none is. An ECC that never rests
//   (a cycle of "1" transitions) draws from the instruction budget and is
//   paused or stopped like a runaway algorithm.
// - A run-time fault in an action's algorithm (algorithm.h) stops the ECC in
//   the state it entered: that action's output event and the later actions
//   are skipped, and the fault is reported. The next event resumes from there.
// - The current state is kept in a hidden internal variable "$state" of
//   the instance, so it is part of the flat instance data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/fb_type.h"

namespace plc {

class FbContext;

struct EccAction {
  int32_t algorithm = kNoAlgorithm;  // index into FbType::algorithms
  EventId output = kNoEvent;
};

struct EccState {
  std::string name;
  std::vector<EccAction> actions;
};

struct EccTransition {
  uint16_t from = 0, to = 0;
  EventId event = kNoEvent;      // kNoEvent: no event in the condition
  int32_t guard = kNoAlgorithm;  // an algorithm ending in kRet of a BOOL
  // Set by Ecc::simplify_guards when the guard only reads a BOOL variable
  // (X or NOT X): the ECC then tests the slot without the interpreter.
  uint16_t guard_slot = kNoGuardSlot;
  bool guard_negated = false;
  static constexpr uint16_t kNoGuardSlot = UINT16_MAX;
};

struct Ecc {
  std::vector<EccState> states;            // states[0] is the initial state
  std::vector<EccTransition> transitions;  // grouped by `from`, declaration order kept
  uint32_t state_slot = 0;                 // slot of "$state" in the instance

  // Filled by index(), for ecc_on_event: the transitions that can fire in
  // each case, in declaration order, as ranges [begin, end) of `candidates`
  // (copies of `transitions`). For state s and event input e, the first
  // evaluation reads those naming e or no event at
  // on_event[s * event_inputs + e]; every later one reads those naming no
  // event at settle[s] (an empty range: the ECC rests there at once).
  struct Range {
    uint32_t begin = 0, end = 0;
  };
  std::vector<EccTransition> candidates;
  std::vector<Range> on_event;
  std::vector<Range> settle;
  uint32_t event_inputs = 0;

  // Sorts transitions by source state (stable) and fills the candidates
  // for a type with `event_inputs` event inputs.
  void index(uint32_t event_inputs);
  // Recognises guards of the form `X` and `NOT X` (see EccTransition).
  void simplify_guards(const std::vector<Algorithm>& algorithms);
};

// Makes `t` a basic FB type run by `ecc` (states and transitions filled in,
// `t.algorithms` compiled, the "$state" internal declared): indexes the
// transitions, simplifies guards and installs ecc_on_event.
void make_basic(FbType& t, std::shared_ptr<Ecc> ecc);

// The behaviour shared by every basic FB type.
void ecc_on_event(FbContext& fb, EventId ei);

// The behaviour shared by every simple FB type (see SimpleEvent).
void simple_on_event(FbContext& fb, EventId ei);

}  // namespace plc
