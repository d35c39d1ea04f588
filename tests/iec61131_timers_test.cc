// FB_TON, FB_TOF and FB_TP on the virtual clock: each REQ samples IN and
// the engine's time once; nothing changes between REQs.
#include <utility>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

const Value T = Value::of_bool(true);
const Value F = Value::of_bool(false);

FbNetwork one(const char* type, const char* pt) { return {{{"X", type, {{"PT", pt}}, ""}}, {}, {}}; }

Events req(Rig& rig, std::initializer_list<std::pair<const char*, Value>> inputs = {}) {
  for (const auto& [name, v] : inputs) rig.var("X", name) = v;
  return rig.fire("X", "REQ");
}
Events in(Rig& rig, bool v) { return req(rig, {{"IN", Value::of_bool(v)}}); }

Events cnf(bool q, const char* et) { return {std::string("X.CNF(Q=") + (q ? "TRUE" : "FALSE") + ",ET=" + et + ")"}; }

}  // namespace

TEST_CASE("FB_TON sets Q once IN has been TRUE for PT", "[iec61131][FB_TON]") {
  Rig rig(one("FB_TON", "T#100ms"));
  CHECK(in(rig, true) == cnf(false, "T#0s"));
  rig.advance(40ms);
  CHECK(req(rig) == cnf(false, "T#40ms"));
  rig.advance(60ms - 1ns);
  CHECK(req(rig) == cnf(false, "T#99ms999us999ns"));
  rig.advance(1ns);
  CHECK(req(rig) == cnf(true, "T#100ms"));
}

TEST_CASE("FB_TON ET saturates at PT while IN stays TRUE", "[iec61131][FB_TON]") {
  Rig rig(one("FB_TON", "T#100ms"));
  in(rig, true);
  rig.advance(1h);
  CHECK(req(rig) == cnf(true, "T#100ms"));
}

TEST_CASE("FB_TON IN FALSE clears Q and ET and the next TRUE times afresh", "[iec61131][FB_TON]") {
  Rig rig(one("FB_TON", "T#100ms"));
  in(rig, true);
  rig.advance(150ms);
  REQUIRE(req(rig) == cnf(true, "T#100ms"));
  CHECK(in(rig, false) == cnf(false, "T#0s"));
  rig.advance(10ms);
  CHECK(in(rig, true) == cnf(false, "T#0s"));
  rig.advance(99ms);
  CHECK(req(rig) == cnf(false, "T#99ms"));
  // A FALSE seen by no REQ does not reset it.
  rig.advance(1ms);
  CHECK(req(rig) == cnf(true, "T#100ms"));
}

TEST_CASE("FB_TON changes nothing between REQs", "[iec61131][FB_TON]") {
  Rig rig(one("FB_TON", "T#100ms"));
  in(rig, true);
  CHECK(rig.advance(1s) == Events{});
  CHECK(rig.var("X", "Q").as_bool() == false);
  CHECK(rig.res->next_deadline() == kNever);
}

TEST_CASE("FB_TON with PT of zero or below follows IN at once", "[iec61131][FB_TON]") {
  for (const char* pt : {"T#0s", "T#-5ms"}) {
    Rig rig(one("FB_TON", pt));
    CHECK(in(rig, true) == cnf(true, "T#0s"));
    CHECK(in(rig, false) == cnf(false, "T#0s"));
  }
}

TEST_CASE("FB_TON compares with the PT of each REQ", "[iec61131][FB_TON]") {
  Rig rig(one("FB_TON", "T#100ms"));
  in(rig, true);
  rig.advance(50ms);
  CHECK(req(rig, {{"PT", Value::of_int(Duration(20ms).count())}}) == cnf(true, "T#20ms"));
  CHECK(req(rig, {{"PT", Value::of_int(Duration(80ms).count())}}) == cnf(false, "T#50ms"));
}

TEST_CASE("FB_TOF Q stays FALSE before IN was ever TRUE", "[iec61131][FB_TOF]") {
  Rig rig(one("FB_TOF", "T#100ms"));
  CHECK(in(rig, false) == cnf(false, "T#0s"));
  rig.advance(1s);
  CHECK(req(rig) == cnf(false, "T#0s"));
}

TEST_CASE("FB_TOF Q rises with IN and falls PT after IN fell", "[iec61131][FB_TOF]") {
  Rig rig(one("FB_TOF", "T#100ms"));
  CHECK(in(rig, true) == cnf(true, "T#0s"));
  rig.advance(1s);
  CHECK(req(rig) == cnf(true, "T#0s"));
  CHECK(in(rig, false) == cnf(true, "T#0s"));
  rig.advance(100ms - 1ns);
  CHECK(req(rig) == cnf(true, "T#99ms999us999ns"));
  rig.advance(1ns);
  CHECK(req(rig) == cnf(false, "T#100ms"));
  rig.advance(1s);
  CHECK(req(rig) == cnf(false, "T#100ms"));
}

TEST_CASE("FB_TOF IN TRUE during the off-delay keeps Q and restarts the delay", "[iec61131][FB_TOF]") {
  Rig rig(one("FB_TOF", "T#100ms"));
  in(rig, true);
  in(rig, false);
  rig.advance(60ms);
  CHECK(in(rig, true) == cnf(true, "T#0s"));
  CHECK(in(rig, false) == cnf(true, "T#0s"));
  rig.advance(60ms);
  CHECK(req(rig) == cnf(true, "T#60ms"));
  rig.advance(40ms);
  CHECK(req(rig) == cnf(false, "T#100ms"));
}

TEST_CASE("FB_TOF with PT of zero drops Q with IN", "[iec61131][FB_TOF]") {
  Rig rig(one("FB_TOF", "T#0s"));
  CHECK(in(rig, true) == cnf(true, "T#0s"));
  CHECK(in(rig, false) == cnf(false, "T#0s"));
}

TEST_CASE("FB_TP emits a pulse of length PT at a rising IN", "[iec61131][FB_TP]") {
  Rig rig(one("FB_TP", "T#100ms"));
  CHECK(in(rig, false) == cnf(false, "T#0s"));
  CHECK(in(rig, true) == cnf(true, "T#0s"));
  rig.advance(30ms);
  CHECK(req(rig) == cnf(true, "T#30ms"));
  rig.advance(70ms - 1ns);
  CHECK(req(rig) == cnf(true, "T#99ms999us999ns"));
  rig.advance(1ns);
  CHECK(req(rig) == cnf(false, "T#100ms"));
}

TEST_CASE("FB_TP is not retriggerable: IN changes during the pulse do nothing", "[iec61131][FB_TP]") {
  Rig rig(one("FB_TP", "T#100ms"));
  in(rig, true);
  rig.advance(20ms);
  CHECK(in(rig, false) == cnf(true, "T#20ms"));
  rig.advance(20ms);
  CHECK(in(rig, true) == cnf(true, "T#40ms"));
  rig.advance(60ms);
  CHECK(req(rig) == cnf(false, "T#100ms"));
}

TEST_CASE("FB_TP keeps ET at PT while IN stays TRUE and starts no second pulse", "[iec61131][FB_TP]") {
  Rig rig(one("FB_TP", "T#100ms"));
  in(rig, true);
  rig.advance(150ms);
  REQUIRE(req(rig) == cnf(false, "T#100ms"));
  rig.advance(1s);
  CHECK(req(rig) == cnf(false, "T#100ms"));
  CHECK(req(rig) == cnf(false, "T#100ms"));
  CHECK(in(rig, false) == cnf(false, "T#0s"));
  CHECK(in(rig, true) == cnf(true, "T#0s"));
}

TEST_CASE("FB_TP ends the pulse at PT even when IN fell, and ET returns to zero", "[iec61131][FB_TP]") {
  Rig rig(one("FB_TP", "T#100ms"));
  in(rig, true);
  rig.advance(10ms);
  CHECK(in(rig, false) == cnf(true, "T#10ms"));
  rig.advance(90ms);
  CHECK(req(rig) == cnf(false, "T#0s"));
  CHECK(in(rig, true) == cnf(true, "T#0s"));
}
