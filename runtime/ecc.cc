#include "runtime/ecc.h"

#include <algorithm>

#include "runtime/resource.h"

namespace plc {

void Ecc::index(uint32_t inputs) {
  std::stable_sort(transitions.begin(), transitions.end(),
                   [](const EccTransition& a, const EccTransition& b) { return a.from < b.from; });
  event_inputs = inputs;
  candidates.clear();
  on_event.assign(states.size() * inputs, Range{});
  settle.assign(states.size(), Range{});
  auto collect = [&](uint16_t state, EventId event) {
    Range r{uint32_t(candidates.size()), 0};
    for (const auto& t : transitions)
      if (t.from == state && (t.event == kNoEvent || t.event == event)) candidates.push_back(t);
    r.end = uint32_t(candidates.size());
    return r;
  };
  for (uint16_t s = 0; s < states.size(); ++s) {
    for (uint32_t e = 0; e < inputs; ++e) on_event[s * inputs + e] = collect(s, EventId{uint16_t(e)});
    settle[s] = collect(s, kNoEvent);
  }
}

void Ecc::simplify_guards(const std::vector<Algorithm>& algorithms) {
  for (auto& t : transitions) {
    if (t.guard == kNoAlgorithm) continue;
    const auto& code = algorithms[size_t(t.guard)].code;
    if (code.size() == 1 && code[0].op == Op::kRet) {
      t.guard_slot = code[0].a;
      t.guard_negated = false;
    } else if (code.size() == 2 && code[0].op == Op::kNotB && code[1].op == Op::kRet && code[1].a == code[0].a) {
      t.guard_slot = code[0].b;
      t.guard_negated = true;
    }
  }
}

void make_basic(FbType& t, std::shared_ptr<Ecc> ecc) {
  ecc->simplify_guards(t.algorithms);  // before index(), which copies the transitions
  ecc->index(uint32_t(t.iface.event_inputs.size()));
  ecc->state_slot = t.iface.internal_slot(*t.iface.find_internal("$state"));
  t.ecc = std::move(ecc);
  t.kind = FbKind::kBasic;
  t.native = {ecc_on_event, nullptr};
}

namespace {

// Runs algorithm `k`; false (after reporting) when it faulted.
inline bool run(FbContext& fb, const FbType& t, int32_t k, Value& result) {
  ExecResult r = execute(t.algorithms[size_t(k)], fb.v, fb.resource());
  if (r.fault) [[unlikely]] {
    fb.fault(r.fault, t.algorithms[size_t(k)].name);
    return false;
  }
  result = r.result;
  return true;
}

}  // namespace

void ecc_on_event(FbContext& fb, EventId ei) {
  const FbType& t = fb.type();
  const Ecc& ecc = *t.ecc;
  fb.resource().enter_algorithms(fb.index());
  Value* v = fb.v;
  uint32_t state = uint32_t(v[ecc.state_slot].u);
  const EccTransition* candidates = ecc.candidates.data();
  // An event that is no input of the type (none reaches here from a loaded
  // network) names no transition, as kNoEvent does.
  Ecc::Range range =
      index_of(ei) < ecc.event_inputs ? ecc.on_event[state * ecc.event_inputs + index_of(ei)] : ecc.settle[state];
  uint32_t settled_checks = 0;
  for (;;) {
    const EccTransition* tr = candidates + range.begin;
    const EccTransition* end = candidates + range.end;
    for (; tr != end; ++tr) {
      if (tr->guard != kNoAlgorithm) {
        Value ok;
        if (tr->guard_slot != EccTransition::kNoGuardSlot) {
          if ((v[tr->guard_slot].u != 0) == tr->guard_negated) continue;
        } else {
          if (!run(fb, t, tr->guard, ok)) return;
          if (!ok.u) continue;
        }
      }
      break;
    }
    if (tr == end) return;
    state = tr->to;
    v[ecc.state_slot].u = state;
    for (const EccAction& a : ecc.states[state].actions) {
      Value ignored;
      if (a.algorithm != kNoAlgorithm && !run(fb, t, a.algorithm, ignored)) return;
      if (a.output != kNoEvent) fb.emit(a.output);
    }
    range = ecc.settle[state];  // the event was consumed by the first evaluation
    if (range.begin == range.end) return;
    // An ECC that keeps firing event-less transitions is charged like a loop.
    if (++settled_checks == 64) {
      settled_checks = 0;
      if (!fb.resource().charge(64)) {
        fb.fault("the ECC does not settle (a cycle of transitions without events)", ecc.states[state].name);
        return;
      }
    }
  }
}

void simple_on_event(FbContext& fb, EventId ei) {
  const FbType& t = fb.type();
  const SimpleEvent& se = t.simple[index_of(ei)];
  fb.resource().enter_algorithms(fb.index());
  if (se.algorithm != kNoAlgorithm) {
    Value ignored;
    if (!run(fb, t, se.algorithm, ignored)) return;
  }
  for (EventId out : se.outputs) fb.emit(out);
}

}  // namespace plc
