#include <algorithm>
#include <map>

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// "EI(WITH,...) ... -> EO(WITH,...) ... ; IN:TYPE ... -> OUT:TYPE ..."
std::string events(const std::vector<EventDecl>& evs, const std::vector<VarDecl>& vars) {
  std::string s;
  for (const auto& e : evs) {
    s += (s.empty() ? "" : " ") + e.name;
    if (e.with.empty()) continue;
    s += "(";
    for (size_t k = 0; k < e.with.size(); ++k) s += (k ? "," : "") + vars[e.with[k]].name;
    s += ")";
  }
  return s;
}

std::string variables(const std::vector<VarDecl>& vars) {
  std::string s;
  for (const auto& v : vars) {
    s += (s.empty() ? "" : " ") + v.name + ":";
    if (v.array_size) s += "ARRAY[0.." + std::to_string(v.array_size - 1) + "] OF ";
    s += type_name(v.type);
  }
  return s;
}

std::string signature(const FbType& t) {
  const Interface& i = t.iface;
  return events(i.event_inputs, i.inputs) + " -> " + events(i.event_outputs, i.outputs) + " ; " + variables(i.inputs) +
         " -> " + variables(i.outputs);
}

// The interfaces of 4diac FORTE's standard event blocks, port for port.
const std::map<std::string, std::string> kExpected = {
    {"E_SPLIT", "EI -> EO1 EO2 ;  -> "},
    {"E_MERGE", "EI1 EI2 -> EO ;  -> "},
    {"E_REND", "EI1 EI2 R -> EO ;  -> "},
    {"E_PERMIT", "EI(PERMIT) -> EO ; PERMIT:BOOL -> "},
    {"E_SELECT", "EI0(G) EI1(G) -> EO ; G:BOOL -> "},
    {"E_SWITCH", "EI(G) -> EO0 EO1 ; G:BOOL -> "},
    {"E_DEMUX", "EI(K) -> EO0 EO1 EO2 EO3 ; K:UINT -> "},
    {"E_DELAY", "START(DT) STOP -> EO ; DT:TIME -> "},
    {"E_RDELAY", "START(DT) STOP -> EO ; DT:TIME -> "},
    {"E_CYCLE", "START(DT) STOP -> EO ; DT:TIME -> "},
    {"E_TRAIN", "START(DT) STOP(DT) -> EO(CV) ; DT:TIME N:UINT -> CV:UINT"},
    {"E_TABLE", "START(DT,N) STOP -> EO(CV) ; DT:ARRAY[0..3] OF TIME N:UINT -> CV:UINT"},
    {"E_N_TABLE", "START(DT,N) STOP -> EO0 EO1 EO2 EO3 ; DT:TIME N:UINT -> "},
    {"E_CTU", "CU(PV) R -> CUO(Q,CV) RO(Q,CV) ; PV:UINT -> Q:BOOL CV:UINT"},
    {"E_CTD", "CD LD(PV) -> CDO(Q,CV) LDO(Q,CV) ; PV:UINT -> Q:BOOL CV:UINT"},
    {"E_CTUD", "CU(PV) CD R LD(PV) -> CO(QU,CV,QD) RO(QU,CV,QD) LDO(QU,QD,CV) ; PV:UINT -> QU:BOOL QD:BOOL CV:UINT"},
    {"E_CTUD_UDINT",
     "CU(PV) CD R LD(PV) -> CO(QU,CV,QD) RO(QU,CV,QD) LDO(QU,QD,CV) ; PV:UDINT -> QU:BOOL QD:BOOL CV:UDINT"},
    {"E_SR", "S R -> EO(Q) ;  -> Q:BOOL"},
    {"E_RS", "R S -> EO(Q) ;  -> Q:BOOL"},
    {"E_D_FF", "CLK(D) -> EO(Q) ; D:BOOL -> Q:BOOL"},
    {"E_T_FF", "CLK -> EO(Q) ;  -> Q:BOOL"},
    {"E_R_TRIG", "EI(QI) -> EO ; QI:BOOL -> "},
    {"E_F_TRIG", "EI(QI) -> EO ; QI:BOOL -> "},
    {"E_RESTART", " -> COLD WARM STOP ;  -> "},
};

}  // namespace

TEST_CASE("add_standard_blocks provides every Annex A event block with FORTE's interface", "[stdfb][library]") {
  TypeLibrary lib;
  add_standard_blocks(lib);
  // The E_ blocks but 4diac's utility E_STOPWATCH (tests/utils_test.cc);
  // the IEC 61131-3 FBs are tested in iec61131_*_test.cc.
  const auto names = lib.names();
  CHECK(size_t(std::count_if(names.begin(), names.end(), [](const std::string& n) {
          return n.rfind("E_", 0) == 0 && n != "E_STOPWATCH";
        })) == kExpected.size());
  for (const auto& [name, expected] : kExpected) {
    INFO(name);
    const FbType* t = lib.find(name);
    REQUIRE(t);
    CHECK(t->name == name);
    CHECK(t->kind == FbKind::kNative);
    CHECK(t->native.on_event);
    CHECK(signature(*t) == expected);
  }
}

TEST_CASE("the timed standard blocks have a timer handler and the others need none", "[stdfb][library]") {
  TypeLibrary lib;
  add_standard_blocks(lib);
  for (const auto& [name, expected] : kExpected) {
    INFO(name);
    const bool timed = name == "E_DELAY" || name == "E_RDELAY" || name == "E_CYCLE" || name == "E_TRAIN" ||
                       name == "E_TABLE" || name == "E_N_TABLE";
    CHECK((lib.find(name)->native.on_timer != nullptr) == timed);
  }
}
