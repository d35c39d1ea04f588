// Event dispatch throughput of the engine on one core.
//
// split_counter_loop: S (E_SPLIT) feeds its EO1 to a counter C.CU and its
// EO2 back to its own EI, an endless chain of 2 events per S.EI + 1 CU.
// Each step() runs exactly the event budget, so items = events dispatched.
#include <benchmark/benchmark.h>

#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace {

using namespace plc;

void split_counter_loop(benchmark::State& state) {
  TypeLibrary lib;
  add_standard_blocks(lib);
  FbNetwork net{{{"S", "E_SPLIT", {}, ""}, {"C", "E_CTU", {{"PV", "65535"}}, ""}},
                {{"S.EO1", "C.CU", ""}, {"S.EO2", "S.EI", ""}},
                {}};
  ResourceOptions o;
  o.event_budget = 1 << 20;
  auto r = Resource::load(net, lib, o);
  if (!r) {
    state.SkipWithError(r.errors().str().c_str());
    return;
  }
  Resource& res = *r.value();
  res.inject(*res.find_fb("S"), EventId{0});
  uint64_t events = 0;
  for (auto _ : state) {
    StepResult s = res.step(Time{0});
    events += s.dispatched;
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(int64_t(events));
  state.counters["bytes_per_instance"] = double(sizeof(Value) * 3);  // E_CTU: PV, Q, CV slots
}
BENCHMARK(split_counter_loop)->Unit(benchmark::kMillisecond);

}  // namespace
