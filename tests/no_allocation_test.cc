// Steady-state dispatch performs no heap allocation: this test binary
// replaces the global operator new and counts every call.
#include <atomic>
#include <cstdlib>
#include <new>

#include "tests/allocation_counter.h"
#include "tests/fixtures/voter.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

// Allocations made by `f`.
template <typename F>
uint64_t allocations_of(F&& f) {
  const uint64_t before = allocations();
  f();
  return allocations() - before;
}

std::unique_ptr<Resource> load(const FbNetwork& n, const TypeLibrary& lib) {
  auto r = Resource::load(n, lib);
  REQUIRE(r);
  return std::move(r.value());
}

}  // namespace

TEST_CASE("dispatching events through native blocks allocates nothing", "[resource][allocation]") {
  // A counter and a switch in a loop, with data carried by CO, plus a fan-out.
  auto r = load({{{"C", "E_CTUD_UDINT", {{"PV", "100000"}}, ""},
                  {"W", "E_SWITCH", {}, ""},
                  {"S", "E_SPLIT", {}, ""},
                  {"M", "E_MERGE", {}, ""}},
                 {{"C.CO", "W.EI", ""},
                  {"W.EO0", "S.EI", ""},
                  {"S.EO1", "M.EI1", ""},
                  {"S.EO2", "M.EI2", ""},
                  {"M.EO", "C.CU", ""},
                  {"S.EO2", "C.CD", ""}},
                 {{"C.QU", "W.G", ""}}},
                standard_library());
  r->inject(*r->find_fb("C"), EventId{0});
  r->step(Time{0});  // warm up
  r->inject(*r->find_fb("C"), EventId{0});
  uint64_t dispatched = 0;
  CHECK(allocations_of([&] { dispatched = r->step(Time{0}).dispatched; }) == 0);
  CHECK(dispatched > 1000);
}

TEST_CASE("a basic FB's ECC, guards and algorithms allocate nothing", "[resource][allocation][ecc]") {
  TypeLibrary lib = library_with({fixtures::voter()});
  ResourceOptions o;
  o.event_budget = 100000;
  auto loaded = Resource::load({{{"V", "VOTER", {{"A", "TRUE"}, {"B", "TRUE"}}, ""}},
                                {{"V.Voted", "V.Reset", ""}, {"V.Ready", "V.Vote", ""}},
                                {}},
                               lib, o);
  REQUIRE(loaded);
  auto& r = *loaded.value();
  r.inject(*r.find_fb("V"), EventId{0});
  r.step(Time{0});
  StepResult s;
  CHECK(allocations_of([&] { s = r.step(Time{0}); }) == 0);
  CHECK(s.dispatched == 100000);
}

TEST_CASE("timers re-arming every cycle allocate nothing", "[resource][allocation][timer]") {
  auto r = load({{{"CYC", "E_CYCLE", {{"DT", "T#1ms"}}, ""}, {"D", "E_DELAY", {{"DT", "T#500us"}}, ""}},
                 {{"START.COLD", "CYC.START", ""}, {"CYC.EO", "D.START", ""}},
                 {}},
                standard_library());
  r->start(true);
  Time t{0};
  r->step(t);
  for (int k = 0; k < 10; ++k) r->step(t += 1ms);
  CHECK(allocations_of([&] {
          for (int k = 0; k < 1000; ++k) r->step(t += 250us);
        }) == 0);
  CHECK(r->stats().dispatched >= 260);  // START.COLD, then a D.START per millisecond
}

TEST_CASE("events posted from outside allocate nothing once the inbox is warm", "[resource][allocation]") {
  auto r = load({{{"C", "E_CTU", {{"PV", "10"}}, ""}}, {}, {}}, standard_library());
  InboxEvent e;
  e.fb = index_of(*r->find_fb("C"));
  e.ei = EventId{0};
  for (int k = 0; k < 100; ++k) r->post(e);
  r->step(Time{0});
  CHECK(allocations_of([&] {
          for (int k = 0; k < 20; ++k) r->post(e);
          r->step(Time{0});
        }) == 0);
}
