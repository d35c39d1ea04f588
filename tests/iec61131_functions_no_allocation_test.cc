// The arithmetic, numerical and bitwise FBs dispatch REQ -> CNF without
// heap allocation: this test binary replaces the global operator new and
// counts every call.
#include "tests/allocation_counter.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("a chain of arithmetic, numerical and bitwise FBs dispatches REQ and CNF without allocating",
          "[iec61131][allocation]") {
  // E_CTU counts the cycles; A adds one to its CV, every other FB computes
  // from A or from its parameters, REQ by REQ.
  const FbNetwork net{{{"C", "E_CTU", {{"PV", "65535"}}, ""},
                       {"A", "F_ADD", {{"IN2", "DINT#1"}}, ""},
                       {"MUL", "F_MUL", {{"IN2", "INT#3"}}, ""},
                       {"DIV", "F_DIV", {{"IN2", "INT#2"}}, ""},
                       {"MOD", "F_MOD", {{"IN2", "INT#7"}}, ""},
                       {"ABS", "F_ABS", {}, ""},
                       {"ADD3", "F_ADD_3", {{"IN2", "INT#1"}, {"IN3", "INT#2"}}, ""},
                       {"SQRT", "F_SQRT", {{"IN", "LREAL#2.0"}}, ""},
                       {"EXPT", "F_EXPT", {{"IN2", "LREAL#2.0"}}, ""},
                       {"TRUNC", "F_TRUNC", {}, ""},
                       {"MT", "F_MULTIME", {{"IN1", "T#1ms"}, {"IN2", "LREAL#1.5"}}, ""},
                       {"DT", "F_DIVTIME", {{"IN2", "INT#3"}}, ""},
                       {"ADT", "F_ADD_DT_TIME", {{"IN1", "DT#2024-01-01-00:00:00"}}, ""},
                       {"AND", "F_AND", {{"IN1", "WORD#16#FF0F"}, {"IN2", "WORD#16#0FF0"}}, ""},
                       {"NOT", "F_NOT", {}, ""},
                       {"ROL", "F_ROL", {{"N", "3"}}, ""},
                       {"MOVE", "F_MOVE", {{"IN", "'no allocation'"}}, ""}},
                      {{"C.CUO", "A.REQ", ""},
                       {"A.CNF", "MUL.REQ", ""},
                       {"MUL.CNF", "DIV.REQ", ""},
                       {"DIV.CNF", "MOD.REQ", ""},
                       {"MOD.CNF", "ABS.REQ", ""},
                       {"ABS.CNF", "ADD3.REQ", ""},
                       {"ADD3.CNF", "SQRT.REQ", ""},
                       {"SQRT.CNF", "EXPT.REQ", ""},
                       {"EXPT.CNF", "TRUNC.REQ", ""},
                       {"TRUNC.CNF", "MT.REQ", ""},
                       {"MT.CNF", "DT.REQ", ""},
                       {"DT.CNF", "ADT.REQ", ""},
                       {"ADT.CNF", "AND.REQ", ""},
                       {"AND.CNF", "NOT.REQ", ""},
                       {"NOT.CNF", "ROL.REQ", ""},
                       {"ROL.CNF", "MOVE.REQ", ""}},
                      {{"C.CV", "A.IN1", ""},
                       {"A.OUT", "MUL.IN1", ""},
                       {"MUL.OUT", "DIV.IN1", ""},
                       {"DIV.OUT", "MOD.IN1", ""},
                       {"MOD.OUT", "ABS.IN", ""},
                       {"ABS.OUT", "ADD3.IN1", ""},
                       {"SQRT.OUT", "EXPT.IN1", ""},
                       {"EXPT.OUT", "TRUNC.IN", ""},
                       {"MT.OUT", "DT.IN1", ""},
                       {"DT.OUT", "ADT.IN2", ""},
                       {"AND.OUT", "NOT.IN", ""},
                       {"NOT.OUT", "ROL.IN", ""}}};
  auto loaded = Resource::load(net, standard_library());
  if (!loaded) FAIL(loaded.errors().str());
  auto& r = *loaded.value();
  const FbIndex c = *r.find_fb("C");
  auto cycle = [&] {
    r.inject(c, EventId{0});
    while (r.step(Time{0}).more_work) {
    }
  };
  for (int k = 0; k < 10; ++k) cycle();  // warm up
  const uint64_t before = allocations();
  for (int k = 0; k < 1000; ++k) cycle();
  CHECK(allocations() - before == 0);
  // The chain really ran: C counted 1010 CUs, the last FB saw its CNF.
  auto out = [&](const char* name) {
    const FbIndex f = *r.find_fb(name);
    const auto& iface = r.type_of(f).iface;
    return r.vars(f)[iface.output_slot(0)];
  };
  CHECK(out("A").i == 1011);
  CHECK(out("ADD3").i == 7);                                       // (1011 * 3 / 2) MOD 7 = 4, + 1 + 2
  CHECK(out("TRUNC").i == 2);                                      // SQRT(2) ** 2 is just above 2
  CHECK(out("ADT").i == out("DT").i + 1'704'067'200'000'000'000);  // DT#2024-01-01 + T#500us
  CHECK(out("DT").i == 500'000);                                   // T#1ms * 1.5 / 3
  CHECK(out("ROL").u == 0x87FF);                                   // NOT (16#FF0F AND 16#0FF0) = 16#F0FF, ROL 3
  const FbIndex move = *r.find_fb("MOVE");
  const auto& iface = r.type_of(move).iface;
  CHECK(read_string(iface.outputs[0], r.vars(move) + iface.output_slot(0)) == "no allocation");
}
