// 4diac's arithmetic FBs (F_ADD ... F_SUB_TOD_TOD): one REQ computes OUT,
// typed per instance from what feeds the generic ports.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

using D = DataType;

// One REQ of a lone instance F of `type` whose inputs are `params`.
struct Call {
  std::string cnf;  // what F emitted: "F.CNF(OUT=...)"
  D type;           // OUT's concrete type
  Value out;
};
Call call(const std::string& type, std::vector<Parameter> params) {
  Rig rig(FbNetwork{{{"F", type, std::move(params), ""}}, {}, {}});
  const Events ev = rig.fire("F", "REQ");
  REQUIRE(ev.size() == 1);
  return {ev[0], rig.res->type_of(rig.fb("F")).iface.outputs[0].type, rig.var("F", "OUT")};
}
std::string out(const std::string& type, std::vector<Parameter> params) { return call(type, std::move(params)).cnf; }
std::string cnf(const std::string& value) { return "F.CNF(OUT=" + value + ")"; }

// F_TRUNC's OUT feeding input PV of a counter of the wanted integer type.
Call trunc_into(const std::string& counter, const std::string& in) {
  Rig rig(FbNetwork{{{"F", "F_TRUNC", {{"IN", in}}, ""}, {"C", counter, {}, ""}}, {}, {{"F.OUT", "C.PV", ""}}});
  const Events ev = rig.fire("F", "REQ");
  REQUIRE(ev.size() == 1);
  return {ev[0], rig.res->type_of(rig.fb("F")).iface.outputs[0].type, rig.var("F", "OUT")};
}

}  // namespace

TEST_CASE("F_ADD of two INTs is an INT and wraps at 16 bits", "[iec61131][arithmetic][F_ADD]") {
  const Call c = call("F_ADD", {{"IN1", "INT#32767"}, {"IN2", "INT#1"}});
  CHECK(c.type == D::kInt);
  CHECK(c.cnf == cnf("-32768"));
  CHECK(out("F_ADD", {{"IN1", "INT#-32768"}, {"IN2", "INT#-1"}}) == cnf("32767"));
}

TEST_CASE("F_ADD of INT#5 and UINT#8 is the INT 13", "[iec61131][arithmetic][F_ADD]") {
  const Call c = call("F_ADD", {{"IN1", "INT#5"}, {"IN2", "UINT#8"}});
  CHECK(c.type == D::kInt);
  CHECK(c.cnf == cnf("13"));
}

TEST_CASE("F_ADD fed by E_CTU.CV (UINT) and INT#5 gives an INT, as 4diac's _03_DataConnections.Ex5a",
          "[iec61131][arithmetic][F_ADD]") {
  Rig rig(FbNetwork{{{"C", "E_CTU", {{"PV", "2"}}, ""}, {"A", "F_ADD", {{"IN2", "INT#5"}}, ""}},
                    {{"C.CUO", "A.REQ", ""}},
                    {{"C.CV", "A.IN1", ""}}});
  CHECK(rig.res->type_of(rig.fb("A")).iface.outputs[0].type == D::kInt);
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)", "A.CNF(OUT=6)"});
  // The UINT's bits, sign-extended: UINT 40000 is INT -25536.
  rig.var("C", "CV").u = 39999;
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=40000)", "A.CNF(OUT=-25531)"});
}

TEST_CASE("F_ADD fed by E_CTU.CV (UINT) and DINT#5 gives a DINT", "[iec61131][arithmetic][F_ADD]") {
  Rig rig(FbNetwork{{{"C", "E_CTU", {{"PV", "2"}}, ""}, {"A", "F_ADD", {{"IN2", "DINT#5"}}, ""}},
                    {{"C.CUO", "A.REQ", ""}},
                    {{"C.CV", "A.IN1", ""}}});
  CHECK(rig.res->type_of(rig.fb("A")).iface.outputs[0].type == D::kDint);
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)", "A.CNF(OUT=6)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=2)", "A.CNF(OUT=7)"});
}

TEST_CASE("F_ADD of unsigned and 64-bit integers wraps modulo 2^n", "[iec61131][arithmetic][F_ADD]") {
  CHECK(out("F_ADD", {{"IN1", "USINT#255"}, {"IN2", "USINT#1"}}) == cnf("0"));
  CHECK(out("F_ADD", {{"IN1", "ULINT#18446744073709551615"}, {"IN2", "ULINT#2"}}) == cnf("1"));
  CHECK(out("F_ADD", {{"IN1", "LINT#9223372036854775807"}, {"IN2", "LINT#1"}}) == cnf("-9223372036854775808"));
  CHECK(out("F_ADD", {{"IN1", "SINT#100"}, {"IN2", "SINT#100"}}) == cnf("-56"));
}

TEST_CASE("F_ADD of TIMEs is a TIME (ANY_MAGNITUDE includes TIME)", "[iec61131][arithmetic][F_ADD]") {
  const Call c = call("F_ADD", {{"IN1", "T#1s"}, {"IN2", "T#500ms"}});
  CHECK(c.type == D::kTime);
  CHECK(c.cnf == cnf("T#1s500ms"));
}

TEST_CASE("F_ADD of REALs is rounded to float, of LREALs is not", "[iec61131][arithmetic][F_ADD]") {
  const Call r = call("F_ADD", {{"IN1", "REAL#0.1"}, {"IN2", "REAL#0.2"}});
  CHECK(r.type == D::kReal);
  CHECK(r.out.r == double(0.1f + 0.2f));
  CHECK(r.cnf == cnf("0.30000001192092896"));
  CHECK(out("F_ADD", {{"IN1", "LREAL#0.1"}, {"IN2", "LREAL#0.2"}}) == cnf("0.30000000000000004"));
  CHECK(call("F_ADD", {{"IN1", "REAL#1.5"}, {"IN2", "LREAL#1.0"}}).type == D::kLreal);  // the wider
}

TEST_CASE("F_ADD with untyped literals takes LINT or LREAL by their form", "[iec61131][arithmetic][F_ADD]") {
  const Call i = call("F_ADD", {{"IN1", "5"}, {"IN2", "8"}});
  CHECK(i.type == D::kLint);
  CHECK(i.cnf == cnf("13"));
  CHECK(call("F_ADD", {{"IN1", "1.5"}, {"IN2", "2"}}).type == D::kLreal);
}

TEST_CASE("F_ADD_3 adds three values and rounds a REAL after each addition", "[iec61131][arithmetic][F_ADD_3]") {
  CHECK(out("F_ADD_3", {{"IN1", "INT#1"}, {"IN2", "INT#2"}, {"IN3", "INT#3"}}) == cnf("6"));
  CHECK(out("F_ADD_3", {{"IN1", "INT#32767"}, {"IN2", "INT#1"}, {"IN3", "INT#1"}}) == cnf("-32767"));
  // 2^24 + 1 is no float: it rounds back to 2^24 before the third term.
  CHECK(out("F_ADD_3", {{"IN1", "REAL#16777216.0"}, {"IN2", "REAL#1.0"}, {"IN3", "REAL#1.0"}}) == cnf("16777216"));
  CHECK(out("F_ADD_3", {{"IN1", "T#1s"}, {"IN2", "T#2s"}, {"IN3", "T#-500ms"}}) == cnf("T#2s500ms"));
}

TEST_CASE("F_SUB subtracts and wraps, of TIMEs it is a TIME", "[iec61131][arithmetic][F_SUB]") {
  CHECK(out("F_SUB", {{"IN1", "INT#-32768"}, {"IN2", "INT#1"}}) == cnf("32767"));
  CHECK(out("F_SUB", {{"IN1", "UINT#0"}, {"IN2", "UINT#1"}}) == cnf("65535"));
  CHECK(out("F_SUB", {{"IN1", "DINT#10"}, {"IN2", "DINT#25"}}) == cnf("-15"));
  const Call t = call("F_SUB", {{"IN1", "T#1s"}, {"IN2", "T#1500ms"}});
  CHECK(t.type == D::kTime);
  CHECK(t.cnf == cnf("T#-500ms"));
  CHECK(out("F_SUB", {{"IN1", "REAL#1.0"}, {"IN2", "REAL#0.9"}}) ==
        cnf(format_value(D::kReal, Value::of_real(double(1.0f - 0.9f)))));
}

TEST_CASE("F_MUL multiplies and wraps at the type's width", "[iec61131][arithmetic][F_MUL]") {
  CHECK(out("F_MUL", {{"IN1", "INT#300"}, {"IN2", "INT#300"}}) == cnf("24464"));  // 90000 - 65536
  CHECK(out("F_MUL", {{"IN1", "INT#-4"}, {"IN2", "INT#5"}}) == cnf("-20"));
  CHECK(out("F_MUL", {{"IN1", "UDINT#65536"}, {"IN2", "UDINT#65536"}}) == cnf("0"));
  CHECK(out("F_MUL", {{"IN1", "LINT#-9223372036854775807"}, {"IN2", "LINT#-1"}}) == cnf("9223372036854775807"));
  const Call r = call("F_MUL", {{"IN1", "REAL#3.0"}, {"IN2", "REAL#0.1"}});
  CHECK(r.type == D::kReal);
  CHECK(r.out.r == double(3.0f * 0.1f));
}

TEST_CASE("F_DIV truncates integers toward zero and gives 0 for a zero divisor, as FORTE",
          "[iec61131][arithmetic][F_DIV]") {
  CHECK(out("F_DIV", {{"IN1", "INT#7"}, {"IN2", "INT#2"}}) == cnf("3"));
  CHECK(out("F_DIV", {{"IN1", "INT#-7"}, {"IN2", "INT#2"}}) == cnf("-3"));
  CHECK(out("F_DIV", {{"IN1", "INT#7"}, {"IN2", "INT#0"}}) == cnf("0"));
  CHECK(out("F_DIV", {{"IN1", "UDINT#7"}, {"IN2", "UDINT#0"}}) == cnf("0"));
  CHECK(out("F_DIV", {{"IN1", "ULINT#18446744073709551615"}, {"IN2", "ULINT#2"}}) == cnf("9223372036854775807"));
}

TEST_CASE("F_DIV of the minimum by -1 wraps to the minimum", "[iec61131][arithmetic][F_DIV]") {
  CHECK(out("F_DIV", {{"IN1", "INT#-32768"}, {"IN2", "INT#-1"}}) == cnf("-32768"));
  CHECK(out("F_DIV", {{"IN1", "LINT#-9223372036854775808"}, {"IN2", "LINT#-1"}}) == cnf("-9223372036854775808"));
  CHECK(out("F_DIV", {{"IN1", "SINT#-128"}, {"IN2", "SINT#-1"}}) == cnf("-128"));
}

TEST_CASE("F_DIV of reals divides, and gives 0.0 for a zero divisor, as FORTE", "[iec61131][arithmetic][F_DIV]") {
  CHECK(out("F_DIV", {{"IN1", "LREAL#1.0"}, {"IN2", "LREAL#3.0"}}) == cnf("0.33333333333333331"));
  const Call r = call("F_DIV", {{"IN1", "REAL#1.0"}, {"IN2", "REAL#3.0"}});
  CHECK(r.type == D::kReal);
  CHECK(r.out.r == double(1.0f / 3.0f));
  CHECK(out("F_DIV", {{"IN1", "REAL#1.0"}, {"IN2", "REAL#0.0"}}) == cnf("0"));
  CHECK(out("F_DIV", {{"IN1", "LREAL#-1.0"}, {"IN2", "LREAL#-0.0"}}) == cnf("0"));
}

TEST_CASE("F_MOD has the sign of IN1, its OUT the inputs' type, and MOD 0 is 0, as FORTE",
          "[iec61131][arithmetic][F_MOD]") {
  const Call c = call("F_MOD", {{"IN1", "INT#7"}, {"IN2", "INT#3"}});
  CHECK(c.type == D::kInt);
  CHECK(c.cnf == cnf("1"));
  CHECK(out("F_MOD", {{"IN1", "INT#-7"}, {"IN2", "INT#2"}}) == cnf("-1"));
  CHECK(out("F_MOD", {{"IN1", "INT#7"}, {"IN2", "INT#-2"}}) == cnf("1"));
  CHECK(out("F_MOD", {{"IN1", "INT#7"}, {"IN2", "INT#0"}}) == cnf("0"));
  CHECK(out("F_MOD", {{"IN1", "LINT#-9223372036854775808"}, {"IN2", "LINT#-1"}}) == cnf("0"));
  CHECK(out("F_MOD", {{"IN1", "UDINT#4294967295"}, {"IN2", "UDINT#10"}}) == cnf("5"));
  CHECK(out("F_MOD", {{"IN1", "USINT#200"}, {"IN2", "USINT#0"}}) == cnf("0"));
}

TEST_CASE("F_EXPT raises IN1 to IN2; OUT has IN1's type, IN2 a real type of its own",
          "[iec61131][arithmetic][F_EXPT]") {
  const Call l = call("F_EXPT", {{"IN1", "LREAL#2.0"}, {"IN2", "LREAL#10.0"}});
  CHECK(l.type == D::kLreal);
  CHECK(l.cnf == cnf("1024"));
  const Call r = call("F_EXPT", {{"IN1", "REAL#2.0"}, {"IN2", "LREAL#0.5"}});
  CHECK(r.type == D::kReal);
  CHECK(r.out.r == double(float(std::sqrt(2.0))));
  CHECK(std::isnan(call("F_EXPT", {{"IN1", "LREAL#-8.0"}, {"IN2", "LREAL#0.5"}}).out.r));
  const Call inf = call("F_EXPT", {{"IN1", "LREAL#0.0"}, {"IN2", "LREAL#-1.0"}});
  CHECK((std::isinf(inf.out.r) && inf.out.r > 0));
}

TEST_CASE("F_MOVE copies IN to OUT in IN's type, a STRING too", "[iec61131][arithmetic][F_MOVE]") {
  const Call i = call("F_MOVE", {{"IN", "INT#-5"}});
  CHECK(i.type == D::kInt);
  CHECK(i.cnf == cnf("-5"));
  CHECK(out("F_MOVE", {{"IN", "T#1m"}}) == cnf("T#1m"));
  Rig rig(FbNetwork{{{"F", "F_MOVE", {{"IN", "'hello'"}}, ""}}, {}, {}});
  rig.fire("F", "REQ");
  const FbIndex f = rig.fb("F");
  const Interface& iface = rig.res->type_of(f).iface;
  REQUIRE(iface.outputs[0].type == D::kString);
  CHECK(read_string(iface.outputs[0], rig.res->vars(f) + iface.output_slot(0)) == "hello");
}

TEST_CASE("F_TRUNC cuts toward zero into LINT when nothing else decides OUT", "[iec61131][arithmetic][F_TRUNC]") {
  const Call c = call("F_TRUNC", {{"IN", "LREAL#-2.7"}});
  CHECK(c.type == D::kLint);
  CHECK(c.cnf == cnf("-2"));
  CHECK(out("F_TRUNC", {{"IN", "REAL#2.9"}}) == cnf("2"));
  CHECK(out("F_TRUNC", {{"IN", "LREAL#1.0E300"}}) == cnf("9223372036854775807"));
  CHECK(out("F_TRUNC", {{"IN", "LREAL#-1.0E300"}}) == cnf("-9223372036854775808"));
}

TEST_CASE("F_TRUNC gives the ANY_INT its destination wants, wrapped to its width", "[iec61131][arithmetic][F_TRUNC]") {
  const Call i = trunc_into("FB_CTU", "LREAL#-3.99");  // PV : INT
  CHECK(i.type == D::kInt);
  CHECK(i.cnf == cnf("-3"));
  CHECK(trunc_into("FB_CTU", "LREAL#40000.5").cnf == cnf("-25536"));
  const Call u = trunc_into("FB_CTU_UDINT", "LREAL#-1.5");  // PV : UDINT
  CHECK(u.type == D::kUdint);
  CHECK(u.cnf == cnf("4294967295"));
  CHECK(trunc_into("FB_CTU_ULINT", "LREAL#1.0E19").cnf == cnf("10000000000000000000"));
}

TEST_CASE("F_MULTIME multiplies a TIME by an integer or a real factor", "[iec61131][arithmetic][F_MULTIME]") {
  CHECK(out("F_MULTIME", {{"IN1", "T#1s"}, {"IN2", "INT#3"}}) == cnf("T#3s"));
  CHECK(out("F_MULTIME", {{"IN1", "T#1s"}, {"IN2", "INT#-2"}}) == cnf("T#-2s"));
  CHECK(out("F_MULTIME", {{"IN1", "T#1ms"}, {"IN2", "ULINT#1000"}}) == cnf("T#1s"));
  const Call l = call("F_MULTIME", {{"IN1", "T#1s"}, {"IN2", "LREAL#0.5"}});
  CHECK(l.type == D::kTime);
  CHECK(l.cnf == cnf("T#500ms"));
  // REAL#0.1 is 0.100000001490116...: 100000001.49 ns, to the nearest.
  CHECK(out("F_MULTIME", {{"IN1", "T#1s"}, {"IN2", "REAL#0.1"}}) == cnf("T#100ms1ns"));
  CHECK(out("F_MULTIME", {{"IN1", "T#1ns"}, {"IN2", "LREAL#0.5"}}) == cnf("T#1ns"));  // halves away from zero
  CHECK(out("F_MULTIME", {{"IN1", "T#-1ns"}, {"IN2", "LREAL#0.5"}}) == cnf("T#-1ns"));
  CHECK(out("F_MULTIME", {{"IN1", "T#1d"}, {"IN2", "LREAL#1.0E10"}}) ==
        cnf(format_value(D::kTime, Value::of_int(INT64_MAX))));
}

TEST_CASE("F_DIVTIME divides a TIME; by zero it gives IN1, as FORTE", "[iec61131][arithmetic][F_DIVTIME]") {
  CHECK(out("F_DIVTIME", {{"IN1", "T#1s"}, {"IN2", "INT#4"}}) == cnf("T#250ms"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#1s"}, {"IN2", "UINT#3"}}) == cnf("T#333ms333us333ns"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#-1s"}, {"IN2", "ULINT#2"}}) == cnf("T#-500ms"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#1s"}, {"IN2", "DINT#-3"}}) == cnf("T#-333ms333us333ns"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#1s"}, {"IN2", "LREAL#3.0"}}) == cnf("T#333ms333us333ns"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#2s"}, {"IN2", "LREAL#3.0"}}) == cnf("T#666ms666us667ns"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#1s"}, {"IN2", "INT#0"}}) == cnf("T#1s"));
  CHECK(out("F_DIVTIME", {{"IN1", "T#1s"}, {"IN2", "LREAL#0.0"}}) == cnf("T#1s"));
}

TEST_CASE("the date and time functions add and subtract nanoseconds", "[iec61131][arithmetic][date]") {
  CHECK(out("F_ADD_DT_TIME", {{"IN1", "DT#2024-02-28-23:00:00"}, {"IN2", "T#2h"}}) ==
        cnf("DT#2024-02-29-01:00:00.000000000"));
  CHECK(out("F_SUB_DT_TIME", {{"IN1", "DT#2024-01-01-00:00:00"}, {"IN2", "T#1s"}}) ==
        cnf("DT#2023-12-31-23:59:59.000000000"));
  CHECK(out("F_ADD_TOD_TIME", {{"IN1", "TOD#12:00:00"}, {"IN2", "T#1h30m1ns"}}) == cnf("TOD#13:30:00.000000001"));
  CHECK(out("F_SUB_TOD_TIME", {{"IN1", "TOD#00:00:01"}, {"IN2", "T#500ms"}}) == cnf("TOD#00:00:00.500000000"));
  const Call dd = call("F_SUB_DATE_DATE", {{"IN1", "D#2024-03-01"}, {"IN2", "D#2024-02-28"}});
  CHECK(dd.type == D::kTime);
  CHECK(dd.cnf == cnf("T#2d"));
  CHECK(out("F_SUB_DT_DT", {{"IN1", "DT#2024-01-01-00:00:00"}, {"IN2", "DT#2023-12-31-23:59:59.5"}}) == cnf("T#500ms"));
  CHECK(out("F_SUB_TOD_TOD", {{"IN1", "TOD#10:00:00"}, {"IN2", "TOD#12:30:00"}}) == cnf("T#-2h30m"));
}

TEST_CASE("F_ADD_TOD_TIME does not wrap at midnight, as FORTE and plc's ST", "[iec61131][arithmetic][date]") {
  const Call c = call("F_ADD_TOD_TIME", {{"IN1", "TOD#23:00:00"}, {"IN2", "T#2h"}});
  CHECK(c.type == D::kTimeOfDay);
  CHECK(c.out.i == 25 * 3600 * int64_t{1'000'000'000});
}
