// 4diac's selection FBs (runtime/stdfb/iec61131_selection.cc): the
// selected input is copied whole to OUT, of the inputs' type.
#include <limits>
#include <string>

#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

namespace {

Value out_of(const char* type, std::vector<Parameter> params) {
  Generic g(type, std::move(params));
  REQUIRE(g.fire() == std::vector<std::string>{"F.CNF"});
  return g.value("OUT");
}

int64_t limit(const char* mn, const char* in, const char* mx) {
  return out_of("F_LIMIT", {{"MN", mn}, {"IN", in}, {"MX", mx}}).i;
}

}  // namespace

TEST_CASE("F_SEL gives IN0 for G FALSE and IN1 for G TRUE", "[iec61131][selection]") {
  CHECK(out_of("F_SEL", {{"G", "FALSE"}, {"IN0", "INT#1"}, {"IN1", "INT#2"}}).i == 1);
  CHECK(out_of("F_SEL", {{"G", "TRUE"}, {"IN0", "INT#1"}, {"IN1", "INT#2"}}).i == 2);
  Generic g("F_SEL", {{"G", "TRUE"}, {"IN0", "'no'"}, {"IN1", "'yes'"}});
  g.fire();
  CHECK(g.type("OUT") == DataType::kString);
  CHECK(g.text("OUT") == "yes");
}

TEST_CASE("F_SEL of an INT and a DINT is a DINT", "[iec61131][selection]") {
  Generic g("F_SEL", {{"G", "FALSE"}, {"IN0", "INT#-7"}, {"IN1", "DINT#100000"}});
  g.fire();
  CHECK(g.type("OUT") == DataType::kDint);
  CHECK(g.value("OUT").i == -7);
}

TEST_CASE("F_MUX_2 gives IN1 for K = 0, IN2 for K = 1, zero and a fault otherwise", "[iec61131][selection]") {
  CHECK(out_of("F_MUX_2", {{"K", "0"}, {"IN1", "INT#10"}, {"IN2", "INT#20"}}).i == 10);
  CHECK(out_of("F_MUX_2", {{"K", "USINT#1"}, {"IN1", "INT#10"}, {"IN2", "INT#20"}}).i == 20);
  CHECK(out_of("F_MUX_2", {{"K", "2"}, {"IN1", "INT#10"}, {"IN2", "INT#20"}}).i == 0);
  CHECK(out_of("F_MUX_2", {{"K", "-1"}, {"IN1", "INT#10"}, {"IN2", "INT#20"}}).i == 0);
  Generic g("F_MUX_2", {{"K", "1"}, {"IN1", "'a'"}, {"IN2", "'b'"}});
  g.fire();
  CHECK(g.text("OUT") == "b");
  g.slots("K")->i = 5;
  CHECK(g.rig.res->stats().faults == 0);
  g.fire();
  CHECK(g.text("OUT") == "");
  CHECK(g.rig.res->stats().faults == 1);  // FORTE logs "value of input K is not between 0 and 1"
}

TEST_CASE("F_MAX and F_MIN of integers, reals, times and strings", "[iec61131][selection]") {
  CHECK(out_of("F_MAX", {{"IN1", "INT#-3"}, {"IN2", "INT#2"}}).i == 2);
  CHECK(out_of("F_MIN", {{"IN1", "INT#-3"}, {"IN2", "INT#2"}}).i == -3);
  CHECK(out_of("F_MAX", {{"IN1", "2.5"}, {"IN2", "-1.0"}}).r == 2.5);
  CHECK(out_of("F_MIN", {{"IN1", "T#1s"}, {"IN2", "T#2s"}}).i == 1'000'000'000);
  CHECK(out_of("F_MAX", {{"IN1", "UDINT#4000000000"}, {"IN2", "UDINT#1"}}).u == 4'000'000'000u);
  CHECK(text_of("F_MAX", {{"IN1", "'abc'"}, {"IN2", "'abd'"}}) == "abd");
  CHECK(text_of("F_MIN", {{"IN1", "'abc'"}, {"IN2", "'ab'"}}) == "ab");
}

TEST_CASE("F_MAX with a NaN IN1 gives IN2, as FORTE", "[iec61131][selection]") {
  Generic g("F_MAX", {{"IN1", "0.0"}, {"IN2", "3.0"}});
  g.slots("IN1")->r = std::numeric_limits<double>::quiet_NaN();
  g.fire();
  CHECK(g.value("OUT").r == 3.0);
}

TEST_CASE("F_LIMIT bounds IN to MN..MX", "[iec61131][selection]") {
  CHECK(limit("INT#0", "INT#5", "INT#10") == 5);
  CHECK(limit("INT#0", "INT#-5", "INT#10") == 0);
  CHECK(limit("INT#0", "INT#15", "INT#10") == 10);
  CHECK(limit("INT#0", "INT#0", "INT#10") == 0);
  CHECK(limit("INT#0", "INT#10", "INT#10") == 10);
}

TEST_CASE("F_LIMIT with MN > MX gives MX", "[iec61131][selection]") {
  CHECK(limit("INT#10", "INT#5", "INT#0") == 0);
  CHECK(limit("INT#10", "INT#-5", "INT#0") == 0);
  CHECK(limit("INT#10", "INT#15", "INT#0") == 0);
}

TEST_CASE("F_LIMIT of mixed types takes their unified type", "[iec61131][selection]") {
  Generic g("F_LIMIT", {{"MN", "SINT#-1"}, {"IN", "INT#300"}, {"MX", "DINT#200"}});
  g.fire();
  CHECK(g.type("OUT") == DataType::kDint);
  CHECK(g.value("OUT").i == 200);
  CHECK(text_of("F_LIMIT", {{"MN", "'b'"}, {"IN", "'a'"}, {"MX", "'d'"}}) == "b");
}
