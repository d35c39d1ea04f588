// Event dispatch throughput of the engine on one core, on the networks
// 4diac FORTE was measured on (bench/networks.h). items = events dispatched.
#include <benchmark/benchmark.h>

#include "bench/networks.h"

namespace {

using namespace plc;
using namespace plc::bench;

void counter_loop_bench(benchmark::State& state, Loop ring) {
  auto r = load(counter_loop(uint32_t(state.range(0)), ring));
  if (!r) return state.SkipWithError("network did not load");
  uint64_t events = 0;
  for (auto _ : state) events += run_counter_loop(*r);
  state.SetItemsProcessed(int64_t(events));
}

// counter CO -> switch EI, switch EO0 -> counter CU: 2 events per count.
void engine_dispatch(benchmark::State& state) { counter_loop_bench(state, Loop::kNone); }
// ... with a ring of 10 E_MERGE between EO0 and CU: 12 events per count.
void engine_ring_merge(benchmark::State& state) { counter_loop_bench(state, Loop::kMerges); }
// ... with a ring of 10 E_CTU instead.
void engine_ring_counter(benchmark::State& state) { counter_loop_bench(state, Loop::kCounters); }

// engine_dispatch with C.PV forced to the value it has: the same loop, with
// C's events going through the forcing wrapper (runtime/forcing.h) and W's
// not. Compare with engine_dispatch for what a force costs its FB.
void engine_dispatch_forced(benchmark::State& state) {
  auto r = load(counter_loop(uint32_t(state.range(0)), Loop::kNone));
  if (!r) return state.SkipWithError("network did not load");
  const FbIndex c = *r->find_fb("C");
  const auto& iface = r->type_of(c).iface;
  const Value pv = Value::of_uint(uint64_t(state.range(0)));
  if (r->force(c, iface.input_slot(*iface.find_input("PV")), &pv)) return state.SkipWithError("PV not forced");
  uint64_t events = 0;
  for (auto _ : state) events += run_counter_loop(*r);
  state.SetItemsProcessed(int64_t(events));
}

// The voter basic FB looping Vote/Reset: a guard and an algorithm per event.
void engine_basic_fb(benchmark::State& state) {
  auto r = load(voter_loop(), uint32_t(state.range(0)));
  if (!r) return state.SkipWithError("network did not load");
  r->inject(*r->find_fb("V"), EventId{0});
  uint64_t events = 0;
  for (auto _ : state) events += r->step(Time{0}).dispatched;
  state.SetItemsProcessed(int64_t(events));
}

void bytes_per_instance(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(plc::bench::bytes_per_instance("E_CTUD_UDINT"));
  state.counters["bytes_per_counter"] = plc::bench::bytes_per_instance("E_CTUD_UDINT");
  state.counters["bytes_per_voter"] = plc::bench::bytes_per_instance("VOTER");
}

BENCHMARK(engine_dispatch)->Arg(5'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(engine_dispatch_forced)->Arg(5'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(engine_ring_merge)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(engine_ring_counter)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(engine_basic_fb)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(bytes_per_instance)->Iterations(1);

}  // namespace
