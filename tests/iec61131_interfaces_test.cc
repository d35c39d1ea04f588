// The IEC 61131-3 FBs have the interfaces of 4diac's library
// (iec61131-3/{counters,timers,edgeDetection,bistableElements}/*.fbt),
// port for port; `plc check` compares them with the files themselves.
#include <map>
#include <string>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

std::string events(const std::vector<EventDecl>& evs, const std::vector<VarDecl>& vars) {
  std::string s;
  for (const auto& e : evs) {
    s += (s.empty() ? "" : " ") + e.name + "(";
    for (size_t k = 0; k < e.with.size(); ++k) s += (k ? "," : "") + vars[e.with[k]].name;
    s += ")";
  }
  return s;
}

std::string variables(const std::vector<VarDecl>& vars) {
  std::string s;
  for (const auto& v : vars) s += (s.empty() ? "" : " ") + v.name + ":" + std::string(type_name(v.type));
  return s;
}

std::string signature(const FbType& t) {
  const Interface& i = t.iface;
  return events(i.event_inputs, i.inputs) + " -> " + events(i.event_outputs, i.outputs) + " ; " + variables(i.inputs) +
         " -> " + variables(i.outputs);
}

std::string ctu(const char* t) {
  return std::string("REQ(CU,PV,R) -> CNF(Q,CV) ; CU:BOOL R:BOOL PV:") + t + " -> Q:BOOL CV:" + t;
}
std::string ctd(const char* t) {
  return std::string("REQ(CD,PV,LD) -> CNF(Q,CV) ; CD:BOOL LD:BOOL PV:") + t + " -> Q:BOOL CV:" + t;
}
std::string ctud(const char* t) {
  return std::string("REQ(CD,PV,LD,CU,R) -> CNF(QU,CV,QD) ; CU:BOOL CD:BOOL R:BOOL LD:BOOL PV:") + t +
         " -> QU:BOOL QD:BOOL CV:" + t;
}
const char* kTimer = "REQ(IN,PT) -> CNF(Q,ET) ; IN:BOOL PT:TIME -> Q:BOOL ET:TIME";

const std::map<std::string, std::string> kExpected = {
    {"FB_CTU", ctu("INT")},
    {"FB_CTU_DINT", ctu("DINT")},
    {"FB_CTU_LINT", ctu("LINT")},
    {"FB_CTU_UDINT", ctu("UDINT")},
    {"FB_CTU_ULINT", ctu("ULINT")},
    {"FB_CTD", ctd("INT")},
    {"FB_CTD_DINT", ctd("DINT")},
    {"FB_CTD_LINT", ctd("LINT")},
    {"FB_CTD_UDINT", ctd("UDINT")},
    {"FB_CTD_ULINT", ctd("ULINT")},
    {"FB_CTUD", ctud("INT")},
    {"FB_CTUD_DINT", ctud("DINT")},
    {"FB_CTUD_LINT", ctud("LINT")},
    {"FB_CTUD_ULINT", ctud("ULINT")},
    {"FB_TON", kTimer},
    {"FB_TOF", kTimer},
    {"FB_TP", kTimer},
    {"FB_R_TRIG", "REQ(CLK) -> CNF(Q) ; CLK:BOOL -> Q:BOOL"},
    {"FB_F_TRIG", "REQ(CLK) -> CNF(Q) ; CLK:BOOL -> Q:BOOL"},
    {"FB_SR", "REQ(S1,R) -> CNF(Q1) ; S1:BOOL R:BOOL -> Q1:BOOL"},
    {"FB_RS", "REQ(S,R1) -> CNF(Q1) ; S:BOOL R1:BOOL -> Q1:BOOL"},
};

}  // namespace

TEST_CASE("the standard library has the 21 IEC 61131-3 FBs of 4diac with 4diac's interfaces", "[iec61131][library]") {
  size_t found = 0;
  for (const auto& name : standard_library().names())  // FB_RANDOM is 4diac's math/, not IEC 61131-3
    found += name.rfind("FB_", 0) == 0 && name != "FB_RANDOM";
  CHECK(found == kExpected.size());
  for (const auto& [name, expected] : kExpected) {
    INFO(name);
    const FbType* t = standard_library().find(name);
    REQUIRE(t);
    CHECK(t->name == name);
    CHECK(t->kind == FbKind::kNative);
    CHECK(t->native.on_event);
    CHECK(t->native.on_timer == nullptr);  // they read the time at REQ, they arm no timer
    CHECK(signature(*t) == expected);
  }
}
