// The expectations for 4diac's reference examples (4diac-examples,
// ReferenceExamples.sys), one row per example, named after it: the event
// that triggers it and every event output its FBs then emit, in order, with
// the values the example's Comment names (runtime/fourdiac/conformance.h
// says how a row is checked). The examples themselves are not copied here:
// `plc conformance DIR` and tests/fourdiac_conformance_test.cc run them from
// a clone (../shared/conformance/4diac-reference on developer machines).
//
// Adapter ports appear as the FB's own ports, "adp$REQ" (adapter_type.h).
// A row's note says where it reads the Comment more precisely than the
// Comment itself does.
#pragma once

#include <chrono>
#include <vector>

#include "runtime/fourdiac/conformance.h"

namespace plc::test {

inline const std::vector<fourdiac::Expectation>& reference_examples() {
  using std::chrono::microseconds;
  static const std::vector<fourdiac::Expectation> rows = {
      // ---- _01_EventConnections
      {"_01_EventConnections.Ex1a", "E_SPLIT.EI", {"E_SPLIT.EO1", "E_SPLIT.EO2", "E_REND.EO"}, {}, ""},
      {"_01_EventConnections.Ex1b",
       "E_SPLIT.EI",
       {"E_SPLIT.EO1", "E_SPLIT.EO2", "E_REND.EO", "E_SPLIT2.EO1", "E_SPLIT2.EO2"},
       {},
       ""},
      {"_01_EventConnections.Ex5a",
       "E_PERMIT.EI",
       {"E_PERMIT.EO", "SimpleIO.CNF(OUT=TRUE)"},
       {},
       "the Comment's DOI1 is SimpleIO's output OUT"},
      {"_01_EventConnections.Ex2a", "E_SPLIT.EI", {"E_SPLIT.EO1", "E_SPLIT.EO2", "E_MERGE.EO", "E_MERGE.EO"}, {}, ""},
      {"_01_EventConnections.Ex3a",
       "E_SPLIT.EI",
       {"E_SPLIT.EO1", "E_SPLIT.EO2", "E_CTU.CUO(Q=FALSE,CV=1)", "E_CTU.CUO(Q=TRUE,CV=2)"},
       {},
       ""},
      {"_01_EventConnections.Ex6a",
       "E_PERMIT.EI",
       {"E_PERMIT.EO", "E_CTU.CUO(Q=FALSE,CV=1)", "SimpleNOT.CNF(DO1=TRUE)", "E_PERMIT.EO", "E_CTU.CUO(Q=TRUE,CV=2)",
        "SimpleNOT.CNF(DO1=FALSE)"},
       {{"E_CTU.CV", "2"}},
       "the injected EI carries no data: PERMIT keeps its parameter until SimpleNOT sends DO1"},
      {"_01_EventConnections.Ex6b", "E_PERMIT.EI", {}, {}, ""},
      {"_01_EventConnections.Ex4", "E_CTU.R", {"E_CTU.RO(Q=FALSE,CV=0)", "E_CTU.CUO(Q=FALSE,CV=1)"}, {}, ""},

      // ---- _02_Parameters
      {"_02_Parameters.Ex2", "E_PERMIT.EI", {}, {}, ""},
      {"_02_Parameters.Ex1", "E_PERMIT_1.EI", {"E_PERMIT_1.EO"}, {}, ""},
      {"_02_Parameters.Ex3", "E_PERMIT.EI", {"E_PERMIT.EO"}, {}, ""},
      {"_02_Parameters.Ex4", "E_PERMIT.EI", {}, {}, ""},
      {"_02_Parameters.Ex6",
       "F_ADD.REQ",
       {"F_ADD.CNF(OUT=INT#13)"},
       {},
       "INT#5 + UINT#8: F_ADD's ports are decided INT (the signed type of one width)"},
      {"_02_Parameters.Ex5a", "INT2INT.REQ", {"INT2INT.CNF(OUT=5)"}, {}, ""},
      {"_02_Parameters.Ex5b", "INT2INT.REQ", {"INT2INT.CNF(OUT=5)"}, {}, ""},
      {"_02_Parameters.Ex5c", "INT2INT.REQ", {"INT2INT.CNF(OUT=5)"}, {}, ""},

      // ---- _03_DataConnections
      {"_03_DataConnections.Ex2a",
       "Fb1.REQ",
       {"Fb1.CNF(OUT=TRUE)", "Fb2a.CNF(OUT=TRUE)", "Fb2b.CNF(OUT=TRUE)"},
       {},
       ""},
      {"_03_DataConnections.Ex3", "FB1.CU", {"FB1.CUO(Q=TRUE,CV=1)", "FB2.CNF(OUT=TRUE)"}, {}, ""},
      {"_03_DataConnections.Ex4a", "Fb1.CU", {"Fb1.CUO(Q=FALSE,CV=1)", "Fb2.CNF(OUT=1)", "Fb3.CNF(OUT=1)"}, {}, ""},
      {"_03_DataConnections.Ex1a", "Fb1.REQ", {"Fb1.CNF(OUT=TRUE)", "Fb2.CNF(OUT=TRUE)"}, {}, ""},
      {"_03_DataConnections.Ex1b", "Fb1.REQ", {"Fb1.CNF(OUT=5)", "Fb2.CNF(OUT=5)"}, {}, ""},
      {"_03_DataConnections.Ex1c", "Fb1.REQ", {"Fb1.CNF(OUT=16#AFFE)", "Fb2.CNF(OUT=16#AFFE)"}, {}, ""},
      {"_03_DataConnections.Ex2b",
       "Fb1.REQ",
       {"Fb1.CNF(OUT=TRUE)", "Fb2a.CNF(OUT=TRUE)", "Fb2b.CNF(OUT=TRUE)", "Fb2c.CNF(OUT=TRUE)"},
       {},
       ""},
      {"_03_DataConnections.Ex4b",
       "Fb1.REQ",
       {"Fb1.CNF(OUT=1)", "Fb2.CNF(OUT=1)", "Fb3.CUO(Q=TRUE,CV=1)"},
       {},
       "the Comment's trigger is Fb1.REQ (an INT2INT)"},
      {"_03_DataConnections.Ex5a", "Fb1.CU", {"Fb1.CUO(Q=FALSE,CV=1)", "Fb2.CNF(OUT=INT#6)"}, {}, ""},
      {"_03_DataConnections.Ex5b", "Fb1.CU", {"Fb1.CUO(Q=FALSE,CV=1)", "Fb2.CNF(OUT=1.0)"}, {}, ""},

      // ---- _04_DataWith
      {"_04_DataWith.Ex1a",
       "WithInputs.REQ",
       {"WithInputs.CNF(DO1=TRUE,DO2=-10,DO3=15,DO4=2.0)", "DO1.CNF(OUT=TRUE)", "DO2.CNF(OUT=-10)", "DO3.CNF(OUT=15)",
        "DO4.CNF(OUT=2.0)"},
       {},
       "REQ samples no input: the parameters reach the inputs only with UPDATE"},
      {"_04_DataWith.Ex1b",
       "WithInputs.UPDATE",
       {"WithInputs.CNF(DO1=FALSE,DO2=42,DO3=21,DO4=3.14)", "DO1.CNF(OUT=FALSE)", "DO2.CNF(OUT=42)", "DO3.CNF(OUT=21)",
        "DO4.CNF(OUT=3.14)"},
       {},
       "the values come from the parameters (the Comment says 'from type')"},
      {"_04_DataWith.Ex2a",
       "WithOutputs.REQ",
       {"WithOutputs.CNF", "DO1.CNF(OUT=TRUE)", "DO2.CNF(OUT=-42)", "DO3.CNF(OUT=21)", "DO4.CNF(OUT=3.14)"},
       {{"WithOutputs.DO1", "FALSE"}, {"WithOutputs.DO2", "21"}, {"WithOutputs.DO3", "42"}, {"WithOutputs.DO4", "4.9"}},
       "CNF sends no output: the connections still hold WithOutputs' initial values, though its outputs changed"},
      {"_04_DataWith.Ex2b",
       "WithOutputs.UPDATE",
       {"WithOutputs.UPDATEO(DO1=FALSE,DO2=21,DO3=42,DO4=4.9)", "DO1.CNF(OUT=FALSE)", "DO2.CNF(OUT=21)",
        "DO3.CNF(OUT=42)", "DO4.CNF(OUT=4.9)"},
       {},
       ""},

      // ---- _05_Adapter
      {"_05_Adapter.Ex1a",
       "Fb1.REQ",
       {"Fb1.adp$REQ", "Fb1.RSP", "Fb2.adp$CNF", "Fb1.CNF"},
       {},
       "RSP comes first: Fb1 sends it with adp.REQ, CNF only once Fb2 answered"},
      {"_05_Adapter.Ex2a",
       "Fb1.REQ",
       {"Fb1.adp$REQ(adp$DI1=5,adp$DI2=TRUE)", "Fb2.adp$CNF(adp$DO1=5,adp$DO2=TRUE)", "Fb1.CNF"},
       {{"Fb1.DO1", "5"}, {"Fb1.DO2", "TRUE"}},
       "the CNF and DO1, DO2 of the Comment are Fb1's (Fb2 has only its plug)"},
      {"_05_Adapter.Ex3a",
       "Fb1.REQ",
       {"Fb1.adp$REQ(adp$DI1=5)", "Fb2.adp$CNF(adp$DO1=5)", "Fb1.CNF"},
       {{"Fb1.DO1", "5"}, {"Fb1.DO2", "FALSE"}},
       "the CNF and DO1, DO2 of the Comment are Fb1's; DO2 is not sent with adp.CNF, so Fb1 sees the initial FALSE"},
      {"_05_Adapter.Ex4a",
       "DefaultOutputValueAdapter.REQ",
       {"DefaultOutputValueAdapter.CNF"},
       {{"DefaultOutputValueAdapter.adp$DI1", "42"},
        {"DefaultOutputValueAdapter.adp$DI2", "TRUE"},
        {"DefaultOutputValueAdapter.adp$DO1", "0"},
        {"DefaultOutputValueAdapter.adp$DO2", "FALSE"},
        {"DefaultOutputValueAdapter.DI1", "0"},
        {"DefaultOutputValueAdapter.DI2", "FALSE"}},
       "the adapter's defaults are where the plug reads them; the ECC never runs writeDefaultsToOutput (plc warns), "
       "so the outputs keep their own defaults"},
      {"_05_Adapter.Ex4b",
       "DefaultOutputValueAdapter.REQ",
       {"DefaultOutputValueAdapter.CNF"},
       {{"DefaultOutputValueAdapter.adp$DI1", "42"},
        {"DefaultOutputValueAdapter.adp$DI2", "TRUE"},
        {"DefaultOutputValueAdapter.adp$DO1", "0"},
        {"DefaultOutputValueAdapter.adp$DO2", "FALSE"},
        {"DefaultOutputValueAdapter.DI1", "0"},
        {"DefaultOutputValueAdapter.DI2", "FALSE"}},
       "as Ex4a, with a socket"},

      // ---- _07_Subapplications: nondeterministic by design (two cycles and a
      // delay racing); every FB must fire, and Stop must end it.
      {"_07_Subapplications.DelayedTree",
       "Start",
       {"E_CYCLE.EO", "E_CYCLE_1.EO", "L0.EO", "L10.EO", "L11.EO", "L20.EO", "L21.EO", "L22.EO", "L23.EO",
        "E_DELAY.EO"},
       {},
       "nondeterministic by design: E_CYCLE and E_DELAY without DT run with plc's shortest period (1 ns)",
       true,
       microseconds(1),
       "Stop"},
  };
  return rows;
}

}  // namespace plc::test
