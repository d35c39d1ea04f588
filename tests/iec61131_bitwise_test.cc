// 4diac's bitwise FBs (F_AND ... F_ROR): one REQ computes OUT within the
// width of IN's type, BOOL to LWORD.
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
};
// One REQ of a lone instance F of `type` whose inputs are `params`.
Call call(const std::string& type, std::vector<Parameter> params) {
  Rig rig(FbNetwork{{{"F", type, std::move(params), ""}}, {}, {}});
  const Events ev = rig.fire("F", "REQ");
  REQUIRE(ev.size() == 1);
  return {ev[0], rig.res->type_of(rig.fb("F")).iface.outputs[0].type};
}
std::string out(const std::string& type, std::vector<Parameter> params) { return call(type, std::move(params)).cnf; }
std::string cnf(const std::string& value) { return "F.CNF(OUT=" + value + ")"; }

}  // namespace

TEST_CASE("F_AND, F_OR and F_XOR combine bit strings of one type", "[iec61131][bitwise]") {
  const Call a = call("F_AND", {{"IN1", "BYTE#16#F0"}, {"IN2", "BYTE#16#3C"}});
  CHECK(a.type == D::kByte);
  CHECK(a.cnf == cnf("48"));                                                          // 16#30
  CHECK(out("F_OR", {{"IN1", "BYTE#16#F0"}, {"IN2", "BYTE#16#3C"}}) == cnf("252"));   // 16#FC
  CHECK(out("F_XOR", {{"IN1", "BYTE#16#F0"}, {"IN2", "BYTE#16#3C"}}) == cnf("204"));  // 16#CC
  CHECK(out("F_AND", {{"IN1", "LWORD#16#FFFFFFFF00000000"}, {"IN2", "LWORD#16#FFFF0000FFFF0000"}}) ==
        cnf("18446462598732840960"));                                                 // 16#FFFF000000000000
  CHECK(call("F_OR", {{"IN1", "BYTE#1"}, {"IN2", "WORD#16#100"}}).type == D::kWord);  // the wider
}

TEST_CASE("F_AND, F_OR and F_XOR of BOOLs are the Boolean operators", "[iec61131][bitwise]") {
  const Call a = call("F_AND", {{"IN1", "TRUE"}, {"IN2", "FALSE"}});
  CHECK(a.type == D::kBool);
  CHECK(a.cnf == cnf("FALSE"));
  CHECK(out("F_AND", {{"IN1", "TRUE"}, {"IN2", "TRUE"}}) == cnf("TRUE"));
  CHECK(out("F_OR", {{"IN1", "FALSE"}, {"IN2", "TRUE"}}) == cnf("TRUE"));
  CHECK(out("F_XOR", {{"IN1", "TRUE"}, {"IN2", "TRUE"}}) == cnf("FALSE"));
}

TEST_CASE("F_AND_3, F_OR_3 and F_XOR_3 combine three inputs", "[iec61131][bitwise]") {
  CHECK(out("F_AND_3", {{"IN1", "WORD#16#FF0F"}, {"IN2", "WORD#16#F0FF"}, {"IN3", "WORD#16#0FF0"}}) ==
        cnf("0"));  // 16#FF0F AND 16#F0FF = 16#F00F, AND 16#0FF0 = 0
  CHECK(out("F_AND_3", {{"IN1", "WORD#16#FF0F"}, {"IN2", "WORD#16#F0FF"}, {"IN3", "WORD#16#FFF0"}}) ==
        cnf("61440"));  // 16#F000
  CHECK(out("F_OR_3", {{"IN1", "BYTE#1"}, {"IN2", "BYTE#2"}, {"IN3", "BYTE#16#80"}}) == cnf("131"));
  CHECK(out("F_XOR_3", {{"IN1", "TRUE"}, {"IN2", "TRUE"}, {"IN3", "TRUE"}}) == cnf("TRUE"));
  CHECK(out("F_XOR_3", {{"IN1", "DWORD#16#FF"}, {"IN2", "DWORD#16#0F"}, {"IN3", "DWORD#16#100"}}) == cnf("496"));
}

TEST_CASE("F_NOT inverts within the width of its type; of a BOOL it is the Boolean NOT", "[iec61131][bitwise]") {
  const Call b = call("F_NOT", {{"IN", "TRUE"}});
  CHECK(b.type == D::kBool);
  CHECK(b.cnf == cnf("FALSE"));
  CHECK(out("F_NOT", {{"IN", "FALSE"}}) == cnf("TRUE"));
  CHECK(out("F_NOT", {{"IN", "BYTE#16#0F"}}) == cnf("240"));
  CHECK(out("F_NOT", {{"IN", "WORD#0"}}) == cnf("65535"));
  CHECK(out("F_NOT", {{"IN", "DWORD#16#FFFF0000"}}) == cnf("65535"));
  CHECK(out("F_NOT", {{"IN", "LWORD#0"}}) == cnf("18446744073709551615"));
}

TEST_CASE("F_SHL and F_SHR shift in zeros and drop the bits beyond the width", "[iec61131][bitwise]") {
  const Call l = call("F_SHL", {{"IN", "BYTE#16#81"}, {"N", "1"}});
  CHECK(l.type == D::kByte);
  CHECK(l.cnf == cnf("2"));
  CHECK(out("F_SHR", {{"IN", "BYTE#16#81"}, {"N", "1"}}) == cnf("64"));
  CHECK(out("F_SHL", {{"IN", "WORD#1"}, {"N", "USINT#15"}}) == cnf("32768"));
  CHECK(out("F_SHL", {{"IN", "WORD#1"}, {"N", "USINT#16"}}) == cnf("0"));
  CHECK(out("F_SHR", {{"IN", "DWORD#16#80000000"}, {"N", "INT#31"}}) == cnf("1"));
  CHECK(out("F_SHL", {{"IN", "LWORD#1"}, {"N", "63"}}) == cnf("9223372036854775808"));
  CHECK(out("F_SHL", {{"IN", "LWORD#1"}, {"N", "64"}}) == cnf("0"));
  CHECK(out("F_SHR", {{"IN", "LWORD#16#FFFFFFFFFFFFFFFF"}, {"N", "ULINT#1000"}}) == cnf("0"));
  CHECK(out("F_SHL", {{"IN", "TRUE"}, {"N", "1"}}) == cnf("FALSE"));
  CHECK(out("F_SHR", {{"IN", "TRUE"}, {"N", "0"}}) == cnf("TRUE"));
}

TEST_CASE("F_ROL and F_ROR rotate within the width, by N modulo the width", "[iec61131][bitwise]") {
  const Call l = call("F_ROL", {{"IN", "BYTE#16#81"}, {"N", "1"}});
  CHECK(l.type == D::kByte);
  CHECK(l.cnf == cnf("3"));                                               // 16#03
  CHECK(out("F_ROR", {{"IN", "BYTE#16#81"}, {"N", "1"}}) == cnf("192"));  // 16#C0
  CHECK(out("F_ROL", {{"IN", "BYTE#16#81"}, {"N", "9"}}) == cnf("3"));
  CHECK(out("F_ROL", {{"IN", "BYTE#16#81"}, {"N", "8"}}) == cnf("129"));
  CHECK(out("F_ROL", {{"IN", "WORD#16#8001"}, {"N", "UINT#4"}}) == cnf("24"));  // 16#0018
  CHECK(out("F_ROR", {{"IN", "DWORD#1"}, {"N", "1"}}) == cnf("2147483648"));
  CHECK(out("F_ROL", {{"IN", "LWORD#16#8000000000000000"}, {"N", "1"}}) == cnf("1"));
  CHECK(out("F_ROR", {{"IN", "LWORD#1"}, {"N", "65"}}) == cnf("9223372036854775808"));
  CHECK(out("F_ROL", {{"IN", "TRUE"}, {"N", "5"}}) == cnf("TRUE"));
}

TEST_CASE("a negative N shifts and rotates nothing in: OUT is 0, as FORTE", "[iec61131][bitwise]") {
  CHECK(out("F_SHL", {{"IN", "BYTE#16#81"}, {"N", "INT#-1"}}) == cnf("0"));
  CHECK(out("F_SHR", {{"IN", "BYTE#16#81"}, {"N", "SINT#-1"}}) == cnf("0"));
  CHECK(out("F_ROL", {{"IN", "BYTE#16#81"}, {"N", "DINT#-1"}}) == cnf("0"));
  CHECK(out("F_ROR", {{"IN", "BYTE#16#81"}, {"N", "-3"}}) == cnf("0"));
}

TEST_CASE("a shift's N has a type of its own, apart from IN's and OUT's", "[iec61131][bitwise]") {
  Rig rig(FbNetwork{{{"F", "F_SHL", {{"IN", "BYTE#16#0F"}, {"N", "USINT#4"}}, ""}}, {}, {}});
  const Interface& i = rig.res->type_of(rig.fb("F")).iface;
  CHECK(i.inputs[0].type == D::kByte);
  CHECK(i.inputs[1].type == D::kUsint);
  CHECK(i.outputs[0].type == D::kByte);
  CHECK(rig.fire("F", "REQ") == Events{"F.CNF(OUT=240)"});
}
