// 4diac's numerical FBs (F_ABS, F_SQRT ... F_ATAN): one REQ computes
// OUT := f(IN) in IN's type, a REAL rounded to float.
#include <cmath>
#include <string>
#include <vector>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

using D = DataType;

struct Call {
  std::string cnf;  // what F emitted: "F.CNF(OUT=...)"
  D type;           // OUT's concrete type
  double r;         // OUT as a real
};
// One REQ of a lone instance F of `type` with IN := `in`.
Call call(const std::string& type, const std::string& in) {
  Rig rig(FbNetwork{{{"F", type, {{"IN", in}}, ""}}, {}, {}});
  const Events ev = rig.fire("F", "REQ");
  REQUIRE(ev.size() == 1);
  return {ev[0], rig.res->type_of(rig.fb("F")).iface.outputs[0].type, rig.var("F", "OUT").r};
}
std::string cnf(const std::string& value) { return "F.CNF(OUT=" + value + ")"; }

}  // namespace

TEST_CASE("F_ABS of a signed integer is its magnitude, wrapping at the minimum", "[iec61131][numerical][F_ABS]") {
  const Call c = call("F_ABS", "INT#-5");
  CHECK(c.type == D::kInt);
  CHECK(c.cnf == cnf("5"));
  CHECK(call("F_ABS", "INT#7").cnf == cnf("7"));
  CHECK(call("F_ABS", "INT#-32768").cnf == cnf("-32768"));
  CHECK(call("F_ABS", "LINT#-9223372036854775807").cnf == cnf("9223372036854775807"));
  CHECK(call("F_ABS", "SINT#-128").cnf == cnf("-128"));
}

TEST_CASE("F_ABS of an unsigned integer is itself, of a real its magnitude", "[iec61131][numerical][F_ABS]") {
  const Call u = call("F_ABS", "UDINT#4294967295");
  CHECK(u.type == D::kUdint);
  CHECK(u.cnf == cnf("4294967295"));
  const Call r = call("F_ABS", "REAL#-2.5");
  CHECK(r.type == D::kReal);
  CHECK(r.cnf == cnf("2.5"));
  CHECK(call("F_ABS", "LREAL#-0.1").cnf == cnf("0.10000000000000001"));
}

TEST_CASE("the ANY_REAL functions compute in LREAL", "[iec61131][numerical]") {
  const Call s = call("F_SQRT", "LREAL#2.0");
  CHECK(s.type == D::kLreal);
  CHECK(s.cnf == cnf("1.4142135623730951"));
  CHECK(call("F_LN", "LREAL#1.0").cnf == cnf("0"));
  CHECK(call("F_LN", "LREAL#10.0").r == std::log(10.0));
  CHECK(call("F_LOG", "LREAL#1000.0").cnf == cnf("3"));
  CHECK(call("F_EXP", "LREAL#1.0").cnf == cnf("2.7182818284590451"));
  CHECK(call("F_SIN", "LREAL#0.0").cnf == cnf("0"));
  CHECK(call("F_SIN", "LREAL#1.5707963267948966").cnf == cnf("1"));
  CHECK(call("F_COS", "LREAL#0.0").cnf == cnf("1"));
  CHECK(call("F_COS", "LREAL#1.0").r == std::cos(1.0));
  CHECK(call("F_TAN", "LREAL#0.5").r == std::tan(0.5));
  CHECK(call("F_ASIN", "LREAL#1.0").cnf == cnf("1.5707963267948966"));
  CHECK(call("F_ACOS", "LREAL#1.0").cnf == cnf("0"));
  CHECK(call("F_ACOS", "LREAL#-1.0").cnf == cnf("3.1415926535897931"));
  CHECK(call("F_ATAN", "LREAL#1.0").cnf == cnf("0.78539816339744828"));
}

TEST_CASE("the ANY_REAL functions of a REAL give a REAL, rounded to float", "[iec61131][numerical]") {
  const Call s = call("F_SQRT", "REAL#2.0");
  CHECK(s.type == D::kReal);
  CHECK(s.r == double(float(std::sqrt(2.0))));
  CHECK(s.cnf == cnf("1.4142135381698608"));
  CHECK(call("F_SIN", "REAL#1.0").r == double(float(std::sin(double(1.0f)))));
  CHECK(call("F_EXP", "REAL#1.0").r == double(float(std::exp(1.0))));
  CHECK(call("F_LOG", "REAL#0.1").r == double(float(std::log10(double(0.1f)))));
  CHECK(call("F_ATAN", "REAL#0.5").r == double(float(std::atan(0.5))));
}

TEST_CASE("outside their domain the ANY_REAL functions give IEEE 754's NaN and infinities", "[iec61131][numerical]") {
  CHECK(std::isnan(call("F_SQRT", "LREAL#-1.0").r));
  CHECK(std::isnan(call("F_ASIN", "LREAL#2.0").r));
  CHECK(std::isnan(call("F_ACOS", "REAL#-1.5").r));
  CHECK(std::isnan(call("F_LN", "LREAL#-1.0").r));
  const double ln0 = call("F_LN", "LREAL#0.0").r;
  CHECK((std::isinf(ln0) && ln0 < 0));
  const double log0 = call("F_LOG", "REAL#0.0").r;
  CHECK((std::isinf(log0) && log0 < 0));
  const double big = call("F_EXP", "REAL#100.0").r;  // e^100 is beyond float
  CHECK((std::isinf(big) && big > 0));
}

TEST_CASE("an untyped literal makes the ANY_REAL functions LREAL", "[iec61131][numerical]") {
  const Call c = call("F_SQRT", "16.0");
  CHECK(c.type == D::kLreal);
  CHECK(c.cnf == cnf("4"));
}
