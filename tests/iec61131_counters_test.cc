// FB_CTU, FB_CTD, FB_CTUD and their typed variants: one REQ is one
// evaluation, CU and CD are levels (FORTE's behaviour: the REQ is the pulse).
#include <string>
#include <utility>
#include <vector>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const Value T = Value::of_bool(true);
const Value F = Value::of_bool(false);

FbNetwork one(const std::string& type, const char* pv = "0") { return {{{"C", type, {{"PV", pv}}, ""}}, {}, {}}; }

// Sets the named inputs of C, then fires C.REQ.
Events req(Rig& rig, std::initializer_list<std::pair<const char*, Value>> inputs = {}) {
  for (const auto& [name, v] : inputs) rig.var("C", name) = v;
  return rig.fire("C", "REQ");
}

struct Bound {
  const char* suffix;
  Value max, min;
  const char* max_text;
  const char* min_text;
};
const std::vector<Bound> kBounds = {
    {"", Value::of_int(32767), Value::of_int(-32768), "32767", "-32768"},
    {"_DINT", Value::of_int(2147483647), Value::of_int(-2147483648LL), "2147483647", "-2147483648"},
    {"_LINT", Value::of_int(INT64_MAX), Value::of_int(INT64_MIN), "9223372036854775807", "-9223372036854775808"},
    {"_UDINT", Value::of_uint(4294967295u), Value::of_uint(0), "4294967295", "0"},
    {"_ULINT", Value::of_uint(UINT64_MAX), Value::of_uint(0), "18446744073709551615", "0"},
};

Value minus_one(Value v, bool is_signed) { return is_signed ? Value::of_int(v.i - 1) : Value::of_uint(v.u - 1); }
Value plus_one(Value v, bool is_signed) { return is_signed ? Value::of_int(v.i + 1) : Value::of_uint(v.u + 1); }
bool is_signed(const Bound& b) { return b.min.i < 0; }

}  // namespace

TEST_CASE("FB_CTU counts at every REQ that finds CU TRUE, as FORTE does", "[iec61131][FB_CTU]") {
  Rig rig(one("FB_CTU", "2"));
  CHECK(req(rig, {{"CU", T}}) == Events{"C.CNF(Q=FALSE,CV=1)"});
  CHECK(req(rig) == Events{"C.CNF(Q=TRUE,CV=2)"});  // CU still TRUE: counts again
  CHECK(req(rig, {{"CU", F}}) == Events{"C.CNF(Q=TRUE,CV=2)"});
  CHECK(req(rig, {{"CU", T}}) == Events{"C.CNF(Q=TRUE,CV=3)"});
}

TEST_CASE("FB_CTU emits CNF at every REQ and compares CV with the PV of that REQ", "[iec61131][FB_CTU]") {
  Rig rig(one("FB_CTU"));
  CHECK(req(rig) == Events{"C.CNF(Q=TRUE,CV=0)"});  // CV 0 >= PV 0
  CHECK(req(rig, {{"PV", Value::of_int(1)}}) == Events{"C.CNF(Q=FALSE,CV=0)"});
  CHECK(req(rig, {{"PV", Value::of_int(-1)}}) == Events{"C.CNF(Q=TRUE,CV=0)"});
}

TEST_CASE("FB_CTU R sets CV to 0 and wins over CU", "[iec61131][FB_CTU]") {
  Rig rig(one("FB_CTU", "2"));
  req(rig, {{"CU", T}});
  REQUIRE(req(rig, {{"CU", T}}) == Events{"C.CNF(Q=TRUE,CV=2)"});
  CHECK(req(rig, {{"CU", T}, {"R", T}}) == Events{"C.CNF(Q=FALSE,CV=0)"});
  CHECK(req(rig) == Events{"C.CNF(Q=FALSE,CV=0)"});  // R held
  CHECK(req(rig, {{"R", F}}) == Events{"C.CNF(Q=FALSE,CV=1)"});
}

TEST_CASE("FB_CTU saturates CV at the maximum of each integer type", "[iec61131][FB_CTU]") {
  for (const Bound& b : kBounds) {
    INFO("FB_CTU" << b.suffix);
    Rig rig(one(std::string("FB_CTU") + b.suffix));
    rig.var("C", "CV") = minus_one(b.max, is_signed(b));
    const std::string at_max = std::string("C.CNF(Q=TRUE,CV=") + b.max_text + ")";
    CHECK(req(rig, {{"CU", T}}) == Events{at_max});
    CHECK(req(rig, {{"CU", T}}) == Events{at_max});
    CHECK(rig.var("C", "CV").u == b.max.u);
  }
}

TEST_CASE("FB_CTD LD loads PV, each REQ with CD TRUE counts down, Q once CV <= 0", "[iec61131][FB_CTD]") {
  Rig rig(one("FB_CTD", "2"));
  CHECK(req(rig, {{"LD", T}}) == Events{"C.CNF(Q=FALSE,CV=2)"});
  CHECK(req(rig, {{"LD", F}, {"CD", T}}) == Events{"C.CNF(Q=FALSE,CV=1)"});
  CHECK(req(rig, {{"CD", F}}) == Events{"C.CNF(Q=FALSE,CV=1)"});
  CHECK(req(rig, {{"CD", T}}) == Events{"C.CNF(Q=TRUE,CV=0)"});
  CHECK(req(rig) == Events{"C.CNF(Q=TRUE,CV=-1)"});
}

TEST_CASE("FB_CTD LD wins over CD", "[iec61131][FB_CTD]") {
  Rig rig(one("FB_CTD", "5"));
  CHECK(req(rig, {{"LD", T}, {"CD", T}}) == Events{"C.CNF(Q=FALSE,CV=5)"});
  CHECK(req(rig, {{"LD", F}}) == Events{"C.CNF(Q=FALSE,CV=4)"});
}

TEST_CASE("FB_CTD saturates CV at the minimum of each integer type", "[iec61131][FB_CTD]") {
  for (const Bound& b : kBounds) {
    INFO("FB_CTD" << b.suffix);
    Rig rig(one(std::string("FB_CTD") + b.suffix));
    rig.var("C", "CV") = plus_one(b.min, is_signed(b));
    const std::string at_min = std::string("C.CNF(Q=TRUE,CV=") + b.min_text + ")";
    CHECK(req(rig, {{"CD", T}}) == Events{at_min});
    CHECK(req(rig, {{"CD", T}}) == Events{at_min});
    CHECK(rig.var("C", "CV").u == b.min.u);
  }
}

TEST_CASE("FB_CTD of an unsigned type stops at 0", "[iec61131][FB_CTD]") {
  Rig rig(one("FB_CTD_UDINT"));
  CHECK(req(rig, {{"CD", T}}) == Events{"C.CNF(Q=TRUE,CV=0)"});
}

TEST_CASE("FB_CTUD counts up while CU and down while CD, QU at PV and QD at 0", "[iec61131][FB_CTUD]") {
  Rig rig(one("FB_CTUD", "2"));
  CHECK(req(rig) == Events{"C.CNF(QU=FALSE,CV=0,QD=TRUE)"});
  CHECK(req(rig, {{"CU", T}}) == Events{"C.CNF(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(req(rig) == Events{"C.CNF(QU=TRUE,CV=2,QD=FALSE)"});
  CHECK(req(rig, {{"CU", F}}) == Events{"C.CNF(QU=TRUE,CV=2,QD=FALSE)"});
  CHECK(req(rig, {{"CD", T}}) == Events{"C.CNF(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(req(rig) == Events{"C.CNF(QU=FALSE,CV=0,QD=TRUE)"});
  CHECK(req(rig) == Events{"C.CNF(QU=FALSE,CV=-1,QD=TRUE)"});
}

TEST_CASE("FB_CTUD counts nothing when CU and CD are both TRUE", "[iec61131][FB_CTUD]") {
  Rig rig(one("FB_CTUD", "5"));
  CHECK(req(rig, {{"CU", T}, {"CD", T}}) == Events{"C.CNF(QU=FALSE,CV=0,QD=TRUE)"});
  CHECK(req(rig, {{"CD", F}}) == Events{"C.CNF(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(req(rig, {{"CU", F}, {"CD", T}}) == Events{"C.CNF(QU=FALSE,CV=0,QD=TRUE)"});
}

TEST_CASE("FB_CTUD R wins over LD and LD wins over counting", "[iec61131][FB_CTUD]") {
  Rig rig(one("FB_CTUD", "7"));
  CHECK(req(rig, {{"R", T}, {"LD", T}, {"CU", T}}) == Events{"C.CNF(QU=FALSE,CV=0,QD=TRUE)"});
  CHECK(req(rig, {{"R", F}, {"CU", F}, {"CD", T}}) == Events{"C.CNF(QU=TRUE,CV=7,QD=FALSE)"});
  CHECK(req(rig, {{"LD", F}}) == Events{"C.CNF(QU=FALSE,CV=6,QD=FALSE)"});
}

TEST_CASE("FB_CTUD saturates CV at both bounds of each integer type", "[iec61131][FB_CTUD]") {
  for (const Bound& b : kBounds) {
    if (std::string(b.suffix) == "_UDINT") continue;  // 4diac has no FB_CTUD_UDINT
    INFO("FB_CTUD" << b.suffix);
    Rig rig(one(std::string("FB_CTUD") + b.suffix));
    rig.var("C", "CV") = b.max;
    CHECK(req(rig, {{"CU", T}}) == Events{std::string("C.CNF(QU=TRUE,CV=") + b.max_text + ",QD=FALSE)"});
    rig.var("C", "CV") = b.min;
    CHECK(req(rig, {{"CU", F}, {"CD", T}}) ==
          Events{std::string("C.CNF(QU=") + (is_signed(b) ? "FALSE" : "TRUE") + ",CV=" + b.min_text + ",QD=TRUE)"});
  }
}

TEST_CASE("FB_CTUD_UDINT does not exist, as in 4diac's library", "[iec61131][FB_CTUD]") {
  CHECK(standard_library().find("FB_CTUD_UDINT") == nullptr);
}
