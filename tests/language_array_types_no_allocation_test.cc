// Multi-dimensional arrays, subranges and LTIME allocate nothing at
// dispatch: indexes and range checks are bytecode on the instance's slots
// (this binary counts every operator new).
#include "tests/allocation_counter.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

TEST_CASE("an FB using 2-D arrays, a subrange and LTIME dispatches without allocating",
          "[st][arrays][multidim][subrange][allocation]") {
  TypeLibrary lib = compiled(
      "TYPE Grid : ARRAY[0..2, 0..2] OF DINT; Step : INT (0..8); END_TYPE\n"
      "FUNCTION Sum : DINT VAR_INPUT G : Grid; END_VAR VAR I : INT; J : INT; END_VAR\n"
      "FOR I := 0 TO 2 DO FOR J := 0 TO 2 DO Sum := Sum + G[I][J]; END_FOR; END_FOR;\n"
      "END_FUNCTION\n"
      "FUNCTION_BLOCK W\n"
      "EVENT_INPUT REQ; END_EVENT\n"
      "EVENT_OUTPUT CNF; END_EVENT\n"
      "VAR_OUTPUT Total : DINT; Elapsed : LTIME; END_VAR\n"
      "VAR G : Grid; K : Step; END_VAR\n"
      "EC_STATES S0; S1 : Run -> CNF; END_STATES\n"
      "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
      "ALGORITHM Run IN ST:\n"
      "G[K / 3, K MOD 3] := G[K / 3, K MOD 3] + 1; Total := Sum(G);\n"
      "IF K = 8 THEN K := 0; ELSE K := K + 1; END_IF;\n"
      "Elapsed := Elapsed + LT#1ms;\n"
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
  const auto& iface = r.type_of(x).iface;
  CHECK(r.vars(x)[iface.output_slot(0)].i == 1000);
  CHECK(r.vars(x)[iface.output_slot(1)].i == 1000 * 1000000);
}
