// FB_R_TRIG, FB_F_TRIG, FB_SR and FB_RS: one REQ is one evaluation.
#include <utility>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const Value T = Value::of_bool(true);
const Value F = Value::of_bool(false);

FbNetwork one(const char* type) { return {{{"X", type, {}, ""}}, {}, {}}; }

Events req(Rig& rig, std::initializer_list<std::pair<const char*, Value>> inputs = {}) {
  for (const auto& [name, v] : inputs) rig.var("X", name) = v;
  return rig.fire("X", "REQ");
}

const Events kQ{"X.CNF(Q=TRUE)"};
const Events kNoQ{"X.CNF(Q=FALSE)"};
const Events kQ1{"X.CNF(Q1=TRUE)"};
const Events kNoQ1{"X.CNF(Q1=FALSE)"};

}  // namespace

TEST_CASE("FB_R_TRIG Q is TRUE only at the REQ where CLK rose", "[iec61131][FB_R_TRIG]") {
  Rig rig(one("FB_R_TRIG"));
  CHECK(req(rig) == kNoQ);
  CHECK(req(rig, {{"CLK", T}}) == kQ);
  CHECK(req(rig) == kNoQ);
  CHECK(req(rig, {{"CLK", F}}) == kNoQ);
  CHECK(req(rig, {{"CLK", T}}) == kQ);
}

TEST_CASE("FB_R_TRIG sees a rise at a first REQ with CLK TRUE", "[iec61131][FB_R_TRIG]") {
  Rig rig(one("FB_R_TRIG"));
  CHECK(req(rig, {{"CLK", T}}) == kQ);
}

TEST_CASE("FB_F_TRIG Q is TRUE only at the REQ where CLK fell", "[iec61131][FB_F_TRIG]") {
  Rig rig(one("FB_F_TRIG"));
  CHECK(req(rig, {{"CLK", T}}) == kNoQ);
  CHECK(req(rig, {{"CLK", F}}) == kQ);
  CHECK(req(rig) == kNoQ);
  CHECK(req(rig, {{"CLK", T}}) == kNoQ);
  CHECK(req(rig) == kNoQ);
  CHECK(req(rig, {{"CLK", F}}) == kQ);
}

TEST_CASE("FB_F_TRIG sees no fall at a first REQ with CLK FALSE", "[iec61131][FB_F_TRIG]") {
  Rig rig(one("FB_F_TRIG"));
  CHECK(req(rig) == kNoQ);
  CHECK(req(rig) == kNoQ);
}

TEST_CASE("FB_SR sets on S1, resets on R, holds otherwise", "[iec61131][FB_SR]") {
  Rig rig(one("FB_SR"));
  CHECK(req(rig) == kNoQ1);
  CHECK(req(rig, {{"S1", T}}) == kQ1);
  CHECK(req(rig, {{"S1", F}}) == kQ1);
  CHECK(req(rig, {{"R", T}}) == kNoQ1);
  CHECK(req(rig, {{"R", F}}) == kNoQ1);
}

TEST_CASE("FB_SR is set dominant: S1 and R together set Q1", "[iec61131][FB_SR]") {
  Rig rig(one("FB_SR"));
  CHECK(req(rig, {{"S1", T}, {"R", T}}) == kQ1);
  CHECK(req(rig, {{"S1", F}}) == kNoQ1);
}

TEST_CASE("FB_RS sets on S, resets on R1, holds otherwise", "[iec61131][FB_RS]") {
  Rig rig(one("FB_RS"));
  CHECK(req(rig) == kNoQ1);
  CHECK(req(rig, {{"S", T}}) == kQ1);
  CHECK(req(rig, {{"S", F}}) == kQ1);
  CHECK(req(rig, {{"R1", T}}) == kNoQ1);
  CHECK(req(rig, {{"R1", F}}) == kNoQ1);
}

TEST_CASE("FB_RS is reset dominant: S and R1 together reset Q1", "[iec61131][FB_RS]") {
  Rig rig(one("FB_RS"));
  req(rig, {{"S", T}});
  CHECK(req(rig, {{"R1", T}}) == kNoQ1);
  CHECK(req(rig, {{"R1", F}}) == kQ1);
}
