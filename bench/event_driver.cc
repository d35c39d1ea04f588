// event_driver NETWORK EVENTS: loads a benchmark network (dispatch,
// ring_merge, ring_counter, basic_fb) and dispatches about EVENTS events,
// then prints how many it dispatched. Used under callgrind by
// bench/instructions_per_event.sh.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/networks.h"

using namespace plc;
using namespace plc::bench;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: event_driver dispatch|ring_merge|ring_counter|basic_fb EVENTS\n");
    return 2;
  }
  const std::string name = argv[1];
  const uint64_t events = std::strtoull(argv[2], nullptr, 10);
  uint64_t done = 0;
  if (name == "basic_fb") {
    auto r = load(voter_loop(), uint32_t(events));
    r->inject(*r->find_fb("V"), EventId{0});
    done = r->step(Time{0}).dispatched;
  } else {
    Loop ring = name == "ring_merge" ? Loop::kMerges : name == "ring_counter" ? Loop::kCounters : Loop::kNone;
    if (name != "dispatch" && ring == Loop::kNone) return 2;
    const uint64_t per_count = ring == Loop::kNone ? 2 : 12;
    auto r = load(counter_loop(uint32_t(events / per_count), ring));
    done = run_counter_loop(*r);
  }
  std::printf("%llu\n", static_cast<unsigned long long>(done));
  return 0;
}
