// Typed SubApps (4diac SubAppType, .sub files): a SubAppInterfaceList and a
// SubAppNetwork, made a composite FB type; an instance (<SubApp Type=...>)
// is flattened like a composite's ("S.FB").
#include <catch2/catch.hpp>

#include "runtime/device.h"
#include "runtime/fourdiac/load_file.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// REQ: OUT := IN * K + 1, through two FBs; DONE after.
const char* kScale = R"(<?xml version="1.0" encoding="UTF-8"?>
<SubAppType Name="SCALE" Comment="Subapplication Type">
  <Identification Standard="61499-2"/>
  <VersionInfo Version="1.0" Author="test" Date="2026-12-02"/>
  <CompilerInfo packageName="test::sub"/>
  <SubAppInterfaceList>
    <SubAppEventInputs><SubAppEvent Name="REQ" Type="Event"/></SubAppEventInputs>
    <SubAppEventOutputs><SubAppEvent Name="DONE" Type="Event"/></SubAppEventOutputs>
    <InputVars>
      <VarDeclaration Name="IN" Type="INT"/>
      <VarDeclaration Name="K" Type="INT" InitialValue="2"/>
    </InputVars>
    <OutputVars><VarDeclaration Name="OUT" Type="INT"/></OutputVars>
  </SubAppInterfaceList>
  <SubAppNetwork>
    <FB Name="Mul" Type="UMUL" x="0" y="0"/>
    <FB Name="Inc" Type="UINC" x="400" y="0"/>
    <EventConnections>
      <Connection Source="REQ" Destination="Mul.REQ"/>
      <Connection Source="Mul.CNF" Destination="Inc.REQ"/>
      <Connection Source="Inc.CNF" Destination="DONE"/>
    </EventConnections>
    <DataConnections>
      <Connection Source="IN" Destination="Mul.IN"/>
      <Connection Source="K" Destination="Mul.K"/>
      <Connection Source="Mul.OUT" Destination="Inc.IN"/>
      <Connection Source="Inc.OUT" Destination="OUT"/>
    </DataConnections>
  </SubAppNetwork>
</SubAppType>
)";

const char* kUmul = R"(<FBType Name="UMUL">
<InterfaceList>
  <EventInputs><Event Name="REQ"><With Var="IN"/><With Var="K"/></Event></EventInputs>
  <EventOutputs><Event Name="CNF"><With Var="OUT"/></Event></EventOutputs>
  <InputVars><VarDeclaration Name="IN" Type="INT"/><VarDeclaration Name="K" Type="INT"/></InputVars>
  <OutputVars><VarDeclaration Name="OUT" Type="INT"/></OutputVars>
</InterfaceList>
<SimpleFB><Algorithm Name="REQ"><ST><![CDATA[OUT := IN * K;]]></ST></Algorithm></SimpleFB>
</FBType>
)";

// A 4diac-shaped system: the typed SubApp in the application, mapped as a
// whole, started by the resource's implicit START.
const char* kPlant = R"(<?xml version="1.0" encoding="UTF-8"?>
<System Name="Plant">
  <Application Name="App">
    <SubAppNetwork>
      <SubApp Name="S" Type="test::sub::SCALE" x="0" y="0">
        <Parameter Name="IN" Value="INT#5"/>
        <Parameter Name="K" Value="3"/>
      </SubApp>
      <FB Name="Count" Type="E_CTU"/>
      <EventConnections><Connection Source="S.DONE" Destination="Count.CU"/></EventConnections>
    </SubAppNetwork>
  </Application>
  <Device Name="PLC" Type="FORTE_PC">
    <Resource Name="RES" Type="EMB_RES">
      <FBNetwork>
        <EventConnections><Connection Source="START.COLD" Destination="App.S.REQ"/></EventConnections>
      </FBNetwork>
    </Resource>
  </Device>
  <Mapping From="App.S" To="PLC.RES"/>
  <Mapping From="App.Count" To="PLC.RES"/>
</System>
)";

void write_types(TempFolder& lib) {
  lib.write("sub/SCALE.sub", kScale);
  lib.write("fb/UMUL.fbt", kUmul);
  lib.write("fb/UINC.fbt", simple_fb("UINC", "INT", "OUT := IN + 1;"));
}

}  // namespace

TEST_CASE("plc check of a .sub file checks the typed SubApp as a composite FB type", "[fourdiac][sub]") {
  TempFolder lib;
  write_types(lib);
  TypeLibrary types = base_library();
  lang::TypeScope scope;
  Diagnostics diags;
  lang::Compiled out;
  const bool ok =
      fourdiac::load_file((lib.dir() / "sub/SCALE.sub").string(), {lib.dir().string()}, types, scope, diags, &out);
  INFO(diags.str());
  REQUIRE(ok);
  CHECK(diags.str().empty());
  CHECK(out.types == std::vector<std::string>{"SCALE"});
  const FbType* t = types.find("SCALE");
  REQUIRE(t);
  CHECK(t->kind == FbKind::kComposite);
  REQUIRE(t->iface.event_inputs.size() == 1);
  CHECK(t->iface.event_inputs[0].name == "REQ");
  CHECK(t->iface.event_outputs[0].name == "DONE");
  REQUIRE(t->iface.inputs.size() == 2);
  CHECK(t->iface.inputs[1].initial.i == 2);
  CHECK(fourdiac::is_4diac_file("X.SUB"));
}

TEST_CASE("a .sys instantiating a typed SubApp from a --lib folder checks clean and runs", "[fourdiac][sub][sys]") {
  TempFolder lib, project;
  write_types(lib);
  project.write("Plant.sys", kPlant);
  TypeLibrary types = base_library();
  lang::TypeScope scope;
  Diagnostics diags;
  lang::Compiled out;
  const bool ok =
      fourdiac::load_file((project.dir() / "Plant.sys").string(), {lib.dir().string()}, types, scope, diags, &out);
  INFO(diags.str());
  REQUIRE(ok);
  CHECK(diags.str().empty());
  REQUIRE(out.systems.size() == 1);
  const auto& sys = out.systems[0];
  auto device = Device::load(sys.resources, sys.application, types);
  REQUIRE(device);
  Resource& r = (*device)->at(0);
  Recorder rec(r);
  rec.observe_all();
  r.start(true);
  while (r.step(Time{0}).more_work) {
  }
  // The SubApp's FBs are named after it, as a composite's are; its
  // parameters reach the inner inputs its inputs feed.
  CHECK(rec.take() == Events{"START.COLD", "S.Mul.CNF(OUT=15)", "S.Inc.CNF(OUT=16)", "Count.CUO(Q=TRUE,CV=1)"});
}

TEST_CASE("a typed SubApp may be used inside a composite and inside another typed SubApp",
          "[fourdiac][sub][composite]") {
  FourdiacFolder f;
  write_types(f.tmp);
  f.write("TWICE.sub", R"(<SubAppType Name="TWICE">
  <SubAppInterfaceList>
    <SubAppEventInputs><SubAppEvent Name="REQ"/></SubAppEventInputs>
    <SubAppEventOutputs><SubAppEvent Name="DONE"/></SubAppEventOutputs>
    <InputVars><VarDeclaration Name="IN" Type="INT"/></InputVars>
    <OutputVars><VarDeclaration Name="OUT" Type="INT"/></OutputVars>
  </SubAppInterfaceList>
  <SubAppNetwork>
    <SubApp Name="A" Type="SCALE"><Parameter Name="K" Value="2"/></SubApp>
    <SubApp Name="B" Type="SCALE"><Parameter Name="K" Value="10"/></SubApp>
    <EventConnections>
      <Connection Source="REQ" Destination="A.REQ"/>
      <Connection Source="A.DONE" Destination="B.REQ"/>
      <Connection Source="B.DONE" Destination="DONE"/>
    </EventConnections>
    <DataConnections>
      <Connection Source="IN" Destination="A.IN"/>
      <Connection Source="A.OUT" Destination="B.IN"/>
      <Connection Source="B.OUT" Destination="OUT"/>
    </DataConnections>
  </SubAppNetwork>
</SubAppType>
)");
  f.write("WRAP.fbt", fbt("WRAP", req_cnf("INT"), R"(<FBNetwork>
  <SubApp Name="T" Type="TWICE"/>
  <EventConnections>
    <Connection Source="REQ" Destination="T.REQ"/>
    <Connection Source="T.DONE" Destination="CNF"/>
  </EventConnections>
  <DataConnections>
    <Connection Source="IN" Destination="T.IN"/>
    <Connection Source="T.OUT" Destination="OUT"/>
  </DataConnections>
</FBNetwork>
)"));
  const bool loaded = f.require("WRAP");
  INFO(f.report());
  REQUIRE(loaded);
  Rig rig({{{"Go", "E_SPLIT", {}, ""}, {"W", "WRAP", {{"IN", "4"}}, ""}}, {{"Go.EO1", "W.REQ", ""}}, {}}, {}, f.lib);
  // A: 4 * 2 + 1 = 9; B: 9 * 10 + 1 = 91.
  CHECK(rig.fire("Go", "EI") == Events{"Go.EO1", "Go.EO2", "W.T.A.Mul.CNF(OUT=8)", "W.T.A.Inc.CNF(OUT=9)",
                                       "W.T.B.Mul.CNF(OUT=90)", "W.T.B.Inc.CNF(OUT=91)"});
}

TEST_CASE("typed SubApp problems are reported where they are written", "[fourdiac][sub][diagnostics]") {
  FourdiacFolder f;
  write_types(f.tmp);
  f.write("LOOP.sub", R"(<SubAppType Name="LOOP">
  <SubAppInterfaceList/>
  <SubAppNetwork><SubApp Name="Again" Type="LOOP"/></SubAppNetwork>
</SubAppType>
)");
  f.write("NOLIST.sub", R"(<SubAppType Name="NOLIST"><SubAppNetwork/></SubAppType>)");
  f.write("USER.fbt", fbt("USER", "", R"(<FBNetwork>
  <SubApp Name="M" Type="MISSING"/>
</FBNetwork>
)"));
  f.write("PORTS.fbt", fbt("PORTS", "", R"(<FBNetwork>
  <SubApp Name="S" Type="SCALE"/>
  <EventConnections><Connection Source="S.NOPE" Destination="S.REQ"/></EventConnections>
</FBNetwork>
)"));
  CHECK_FALSE(f.require("LOOP"));
  CHECK_FALSE(f.require("NOLIST"));
  CHECK_FALSE(f.require("USER"));
  CHECK_FALSE(f.require("PORTS"));
  const std::string r = f.report();
  CHECK_THAT(r, Catch::Contains("LOOP.sub:3:18: error: in SubAppType LOOP/SubAppNetwork/SubApp Again: FB type 'LOOP' "
                                "contains itself"));
  CHECK_THAT(r, Catch::Contains("NOLIST.sub:1:1: error: in SubAppType NOLIST: missing SubAppInterfaceList"));
  CHECK_THAT(r, Catch::Contains("USER.fbt:6:3: error: in FBType USER/FBNetwork/SubApp M: unknown FB type 'MISSING'"));
  CHECK_THAT(r, Catch::Contains("PORTS.fbt:7:21: error: composite 'SCALE' has no event port 'NOPE'"));
}
