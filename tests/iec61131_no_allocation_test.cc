// The IEC 61131-3 FBs dispatch REQ -> CNF without heap allocation: this
// test binary replaces the global operator new and counts every call.
#include <atomic>
#include <cstdlib>
#include <new>

#include "tests/allocation_counter.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("a chain of IEC 61131-3 FBs dispatches REQ and CNF without allocating", "[iec61131][allocation]") {
  // E_T_FF toggles a BOOL that runs through every family, REQ by REQ.
  const FbNetwork net{{{"TF", "E_T_FF", {}, ""},
                       {"RT", "FB_R_TRIG", {}, ""},
                       {"CU", "FB_CTU", {{"PV", "3"}}, ""},
                       {"TON", "FB_TON", {{"PT", "T#5us"}}, ""},
                       {"TOF", "FB_TOF", {{"PT", "T#3us"}}, ""},
                       {"TP", "FB_TP", {{"PT", "T#2us"}}, ""},
                       {"FT", "FB_F_TRIG", {}, ""},
                       {"SR", "FB_SR", {}, ""},
                       {"RS", "FB_RS", {}, ""},
                       {"CD", "FB_CTD_ULINT", {{"PV", "1000000"}}, ""},
                       {"CUD", "FB_CTUD_LINT", {{"PV", "7"}}, ""}},
                      {{"TF.EO", "RT.REQ", ""},
                       {"RT.CNF", "CU.REQ", ""},
                       {"CU.CNF", "TON.REQ", ""},
                       {"TON.CNF", "TOF.REQ", ""},
                       {"TOF.CNF", "TP.REQ", ""},
                       {"TP.CNF", "FT.REQ", ""},
                       {"FT.CNF", "SR.REQ", ""},
                       {"SR.CNF", "RS.REQ", ""},
                       {"RS.CNF", "CD.REQ", ""},
                       {"CD.CNF", "CUD.REQ", ""}},
                      {{"TF.Q", "RT.CLK", ""},
                       {"RT.Q", "CU.CU", ""},
                       {"CU.Q", "TON.IN", ""},
                       {"TON.Q", "TOF.IN", ""},
                       {"TOF.Q", "TP.IN", ""},
                       {"TP.Q", "FT.CLK", ""},
                       {"FT.Q", "SR.S1", ""},
                       {"SR.Q1", "RS.S", ""},
                       {"RS.Q1", "CD.CD", ""},
                       {"CD.Q", "CUD.CU", ""},
                       {"TF.Q", "CUD.CD", ""}}};
  auto loaded = Resource::load(net, standard_library());
  REQUIRE(loaded);
  auto& r = *loaded.value();
  const FbIndex tf = *r.find_fb("TF");
  int64_t t = 0;
  auto cycle = [&] {
    r.inject(tf, EventId{0});
    while (r.step(Time{t}).more_work) {
    }
    t += 1000;  // 1 us per cycle, so the timers run through their phases
  };
  for (int k = 0; k < 10; ++k) cycle();  // warm up
  const uint64_t before = allocations();
  for (int k = 0; k < 1000; ++k) cycle();
  CHECK(allocations() - before == 0);
  // The chain really ran: CU counted every rising toggle, 1010 toggles in all.
  const FbIndex cu = *r.find_fb("CU");
  const auto& iface = r.type_of(cu).iface;
  CHECK(r.vars(cu)[iface.output_slot(*iface.find_output("CV"))].i == 505);
}
