// The networks the engine is measured on, the same ones 4diac FORTE was
// measured on (see README, "Performance"). Shared by the Google Benchmark
// targets and by the instruction-count driver.
#pragma once

#include <memory>
#include <string>

#include "runtime/resource.h"
#include "runtime/type_library.h"
#include "tests/fixtures/voter.h"

namespace plc::bench {

inline const TypeLibrary& library() {
  static TypeLibrary lib = [] {
    TypeLibrary l;
    add_standard_blocks(l);
    l.add(fixtures::voter());
    return l;
  }();
  return lib;
}

enum class Loop { kNone, kMerges, kCounters };

// C (E_CTUD_UDINT, PV) and W (E_SWITCH) in a loop: C.CO -> W.EI, C.QU ->
// W.G, W.EO0 -> C.CU (through a ring of 10 E_MERGE or 10 E_CTUD_UDINT when asked),
// W.EO1 ends the run. 2 events per count (12 with a ring).
inline FbNetwork counter_loop(uint32_t pv, Loop ring) {
  FbNetwork n;
  n.fbs = {{"C", "E_CTUD_UDINT", {{"PV", std::to_string(pv)}}, ""}, {"W", "E_SWITCH", {}, ""}};
  n.event_connections = {{"C.CO", "W.EI", ""}};
  n.data_connections = {{"C.QU", "W.G", ""}};
  if (ring == Loop::kNone) {
    n.event_connections.push_back({"W.EO0", "C.CU", ""});
    return n;
  }
  const bool merges = ring == Loop::kMerges;
  std::string prev = "W.EO0";
  for (int k = 0; k < 10; ++k) {
    std::string name = (merges ? "M" : "K") + std::to_string(k);
    n.fbs.push_back({name, merges ? "E_MERGE" : "E_CTUD_UDINT", {}, ""});
    n.event_connections.push_back({prev, name + (merges ? ".EI1" : ".CU"), ""});
    prev = name + (merges ? ".EO" : ".CO");
  }
  n.event_connections.push_back({prev, "C.CU", ""});
  return n;
}

// The voter in an endless loop: Voted -> Reset, Ready -> Vote, with A, B
// and C TRUE, so every Vote evaluates a guard and runs VoteAlg and every
// Reset runs ResetAlg. 2 events per round; runs until the event budget.
inline FbNetwork voter_loop() {
  FbNetwork n;
  n.fbs = {{"V", "VOTER", {{"A", "TRUE"}, {"B", "TRUE"}, {"C", "TRUE"}}, ""}};
  n.event_connections = {{"V.Voted", "V.Reset", ""}, {"V.Ready", "V.Vote", ""}};
  return n;
}

inline std::unique_ptr<Resource> load(const FbNetwork& n, uint32_t event_budget = 1u << 30) {
  ResourceOptions o;
  o.event_budget = event_budget;
  auto r = Resource::load(n, library(), o);
  if (!r) return nullptr;
  return std::move(r.value());
}

// Runs one counter loop from CV = 0 to PV; returns the events dispatched.
inline uint64_t run_counter_loop(Resource& r) {
  FbIndex c = *r.find_fb("C");
  const uint64_t before = r.stats().dispatched;
  r.inject(c, EventId{2});  // R
  r.inject(c, EventId{0});  // CU
  while (r.step(Time{0}).more_work) {
  }
  return r.stats().dispatched - before;
}

// Heap bytes per instance of `type`, from 1000 unconnected instances.
inline double bytes_per_instance(const char* type) {
  FbNetwork one, many;
  for (int k = 0; k < 1000; ++k) many.fbs.push_back({"F" + std::to_string(k), type, {}, ""});
  auto a = load(one), b = load(many);
  return double(b->memory_bytes() - a->memory_bytes()) / 1000.0;
}

}  // namespace plc::bench
