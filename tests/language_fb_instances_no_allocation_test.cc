// FB instances in ST allocate nothing at dispatch: their calls are inlined
// bytecode on the instance's own slots (this binary counts every operator
// new).
#include "tests/allocation_counter.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

TEST_CASE("a basic FB calling TON, CTU, R_TRIG and a user FB dispatches without allocating",
          "[st][fb-instance][allocation]") {
  TypeLibrary lib = compiled(
      "FUNCTION_BLOCK Blink\n"
      "VAR_INPUT Period : TIME; END_VAR\n"
      "VAR_OUTPUT Q : BOOL; END_VAR\n"
      "VAR T : TON; END_VAR\n"
      "T(IN := NOT T.Q, PT := Period);\n"
      "IF T.Q THEN Q := NOT Q; END_IF;\n"
      "END_FUNCTION_BLOCK\n"
      "FUNCTION_BLOCK W\n"
      "EVENT_INPUT REQ; END_EVENT\n"
      "EVENT_OUTPUT CNF; END_EVENT\n"
      "VAR_OUTPUT Toggles : INT; END_VAR\n"
      "VAR B : Blink; E : R_TRIG; C : CTU; END_VAR\n"
      "EC_STATES S0; S1 : Run -> CNF; END_STATES\n"
      "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
      "ALGORITHM Run IN ST:\n"
      "B(Period := T#10ms); E(CLK := B.Q); C(CU := E.Q, PV := 1000, CV => Toggles);\n"
      "END_ALGORITHM\n"
      "END_FUNCTION_BLOCK\n");
  auto loaded = Resource::load({{{"X", "W", {}, ""}}, {}, {}}, lib);
  if (!loaded) FAIL(loaded.errors().str());
  auto& r = *loaded.value();
  const FbIndex x = *r.find_fb("X");
  Time now{0};
  auto cycle = [&] {
    now += 1ms;
    r.inject(x, EventId{0});
    while (r.step(now).more_work) {
    }
  };
  for (int k = 0; k < 10; ++k) cycle();  // warm up
  const uint64_t before = allocations();
  for (int k = 0; k < 990; ++k) cycle();
  CHECK(allocations() - before == 0);
  // One call per ms for 1000 ms: the blinker's TON gives Q at 11 ms, the
  // next call (Q read back as IN = FALSE) resets it, the one after starts
  // it again: Q every 12 ms, 83 toggles of B.Q, 42 of them rising edges.
  const auto& iface = r.type_of(x).iface;
  CHECK(r.vars(x)[iface.output_slot(0)].i == 42);
}
