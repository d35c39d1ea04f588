// 4diac systems (.sys): applications with nested SubApps, devices,
// resources, mappings and typed parameters, imported, checked and run.
#include <catch2/catch.hpp>

#include "runtime/device.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const char* kPlant = R"(<?xml version="1.0" encoding="UTF-8"?>
<System Name="Plant">
  <VersionInfo Version="1.0" Author="test"/>
  <Application Name="App">
    <SubAppNetwork>
      <FB Name="Src" Type="eclipse4diac::events::E_CTU"><Parameter Name="PV" Value="USINT#2"/></FB>
      <SubApp Name="Outer" Comment="two levels deep">
        <SubAppInterfaceList>
          <SubAppEventInputs><SubAppEvent Name="Go" Type="Event"/></SubAppEventInputs>
          <SubAppEventOutputs><SubAppEvent Name="Done" Type="Event"/></SubAppEventOutputs>
          <InputVars><VarDeclaration Name="N" Type="UINT"/></InputVars>
        </SubAppInterfaceList>
        <SubAppNetwork>
          <SubApp Name="Inner">
            <SubAppInterfaceList>
              <SubAppEventInputs><SubAppEvent Name="In"/></SubAppEventInputs>
              <SubAppEventOutputs><SubAppEvent Name="Out"/></SubAppEventOutputs>
              <InputVars><VarDeclaration Name="V" Type="UINT"/></InputVars>
            </SubAppInterfaceList>
            <SubAppNetwork>
              <FB Name="Twice" Type="UTWICE"/>
              <EventConnections>
                <Connection Source="In" Destination="Twice.REQ"/>
                <Connection Source="Twice.CNF" Destination="Out"/>
              </EventConnections>
              <DataConnections><Connection Source="V" Destination="Twice.IN"/></DataConnections>
            </SubAppNetwork>
          </SubApp>
          <EventConnections>
            <Connection Source="Go" Destination="Inner.In"/>
            <Connection Source="Inner.Out" Destination="Done"/>
          </EventConnections>
          <DataConnections><Connection Source="N" Destination="Inner.V"/></DataConnections>
        </SubAppNetwork>
      </SubApp>
      <SubApp Name="Tuned">
        <SubAppInterfaceList>
          <SubAppEventInputs><SubAppEvent Name="Go"/></SubAppEventInputs>
          <InputVars><VarDeclaration Name="Gain" Type="UINT"/></InputVars>
        </SubAppInterfaceList>
        <Parameter Name="Gain" Value="UINT#21"/>
        <SubAppNetwork>
          <FB Name="F" Type="UTWICE"/>
          <EventConnections><Connection Source="Go" Destination="F.REQ"/></EventConnections>
          <DataConnections><Connection Source="Gain" Destination="F.IN"/></DataConnections>
        </SubAppNetwork>
      </SubApp>
      <FB Name="Sink" Type="E_CTU"/>
      <Group Name="Info" Comment="a drawing aid"/>
      <EventConnections>
        <Connection Source="Src.CUO" Destination="Outer.Go"/>
        <Connection Source="Outer.Done" Destination="Sink.CU"/>
      </EventConnections>
      <DataConnections><Connection Source="Src.CV" Destination="Outer.N"/></DataConnections>
    </SubAppNetwork>
  </Application>
  <Device Name="Dev" Type="FORTE_PC">
    <Parameter Name="MGR_ID" Value="&quot;localhost:61499&quot;"/>
    <Attribute Name="Profile" Type="STRING" Value="HOLOBLOC"/>
    <Resource Name="Res" Type="EMB_RES">
      <Parameter Name="queue_capacity" Value="64"/>
      <FBNetwork>
        <FB Name="START" Type="E_RESTART"/>
        <FB Name="Src" Type="E_CTU"/>
        <EventConnections><Connection Source="START.COLD" Destination="Src.CU"/></EventConnections>
      </FBNetwork>
    </Resource>
  </Device>
  <Segment Name="Ethernet" Type=""/>
  <Mapping From="App.Src" To="Dev.Res"/>
  <Mapping From="App.Outer" To="Dev.Res"/>
  <Mapping From="App.Tuned" To="Dev.Res"/>
  <Mapping From="App.Sink" To="Dev.Res"/>
</System>
)";

}  // namespace

TEST_CASE("a system's applications, SubApps, devices, resources and mappings load and run as one device",
          "[fourdiac][sys]") {
  FourdiacFolder f;
  f.write("Plant.sys", kPlant);
  f.write("types/UTWICE.fbt", simple_fb("UTWICE", "UINT", "OUT := IN * 2;"));
  fourdiac::ImportedSystem imported;
  auto sys = f.system("Plant.sys", &imported);
  INFO(f.report());
  REQUIRE(sys);
  REQUIRE(sys->devices.size() == 1);
  CHECK(sys->devices[0].parameters[0].literal == "\"localhost:61499\"");
  REQUIRE(sys->resources.size() == 1);
  CHECK(sys->resources[0].name == "Dev.Res");
  CHECK(sys->resources[0].options.queue_capacity == 64);
  // SubApps are flattened: their FBs are named after them.
  std::vector<std::string> names;
  for (const auto& fb : sys->application.network.fbs) names.push_back(fb.name);
  CHECK(names == std::vector<std::string>{"Src", "Outer.Inner.Twice", "Tuned.F", "Sink", "START"});
  CHECK(imported.applications[0].network.subapps.size() == 3);
  CHECK(imported.applications[0].network.subapps[1].path == "Outer.Inner");

  auto device = Device::load(sys->resources, sys->application, f.lib);
  REQUIRE(device);
  Resource& r = (*device)->at(0);
  Recorder rec(r);
  rec.observe_all();
  r.start(true);
  while (r.step(Time{0}).more_work) {
  }
  // START.COLD (kept from the resource's network) counts Src up; its CV
  // crosses both SubApp boundaries with the event.
  CHECK(rec.take() ==
        Events{"START.COLD", "Src.CUO(Q=FALSE,CV=1)", "Outer.Inner.Twice.CNF(OUT=2)", "Sink.CUO(Q=TRUE,CV=1)"});
}

TEST_CASE("a SubApp's unfed event input is an entry, and a parameter on its input reaches the FB inputs it feeds",
          "[fourdiac][sys][subapp]") {
  FourdiacFolder f;
  f.write("Plant.sys", kPlant);
  f.write("UTWICE.fbt", simple_fb("UTWICE", "UINT", "OUT := IN * 2;"));
  fourdiac::ImportedSystem imported;
  REQUIRE(f.system("Plant.sys", &imported));
  const auto& net = imported.applications[0].network;
  REQUIRE(net.entries.size() == 1);  // Outer.Go is fed by Src.CUO; Inner.In by Outer.Go
  CHECK(net.entries[0].first == "Tuned.Go");
  CHECK(net.entries[0].second == std::vector<std::string>{"Tuned.F.REQ"});
  const auto& tuned = net.net.fbs[2];
  REQUIRE(tuned.parameters.size() == 1);
  CHECK(tuned.parameters[0].first.text == "IN");
  CHECK(tuned.parameters[0].second == "UINT#21");
}

TEST_CASE("problems in a system are reported with file, line, column and element path",
          "[fourdiac][sys][diagnostics]") {
  FourdiacFolder f;
  f.write("Bad.sys", R"(<System Name="Bad">
  <Application Name="App">
    <SubAppNetwork>
      <FB Name="A" Type="E_CTUU"/>
      <FB Name="B" Type="E_CTU"/>
      <FB Name="B" Type="E_CTU"/>
      <SubApp Name="S"><SubAppNetwork/></SubApp>
      <SubApp Name="T" Type="MySub"/>
      <EventConnections>
        <Connection Source="B.CUO" Destination="S.Nope"/>
        <Connection Source="B.CUO" Destination="Q.CU"/>
        <Connection Source="CUO" Destination="B.CU"/>
      </EventConnections>
    </SubAppNetwork>
  </Application>
  <Device Name="D"><Resource Name="R"/></Device>
</System>
)");
  CHECK_FALSE(f.system("Bad.sys"));
  const std::string r = f.report();
  CHECK_THAT(r, Catch::Contains("Bad.sys:4:7: error: in System Bad/Application App/SubAppNetwork/FB A: unknown FB type "
                                "'E_CTUU' (did you mean 'E_CTU'?)"));
  CHECK_THAT(
      r, Catch::Contains("Bad.sys:6:7: error: in System Bad/Application App/SubAppNetwork/FB B: duplicate name 'B'"));
  CHECK_THAT(r, Catch::Contains("Bad.sys:8:7: error:") && Catch::Contains("unknown FB type 'MySub'"));
  CHECK_THAT(r, Catch::Contains("Bad.sys:10:9: error:") && Catch::Contains("SubApp 'S' has no port 'Nope'"));
  CHECK_THAT(r, Catch::Contains("Bad.sys:11:9: error:") && Catch::Contains("unknown FB or SubApp 'Q' in 'Q.CU'"));
  CHECK_THAT(r, Catch::Contains("Bad.sys:12:9: error:") && Catch::Contains("'CUO' names no FB (write FB.PORT)"));
}

TEST_CASE("an application FB that no Mapping places on a resource is reported by the system check",
          "[fourdiac][sys][mapping]") {
  FourdiacFolder f;
  f.write("Unmapped.sys", R"(<System Name="S">
  <Application Name="App"><SubAppNetwork><FB Name="A" Type="E_SPLIT"/><FB Name="B" Type="E_SPLIT"/></SubAppNetwork></Application>
  <Device Name="D"><Resource Name="R"><FBNetwork/></Resource></Device>
  <Mapping From="App.A" To="D.R"/>
</System>
)");
  CHECK_FALSE(f.system("Unmapped.sys"));
  CHECK_THAT(f.report(),
             Catch::Contains("Unmapped.sys:2:81: error: FB 'B' of application App is not mapped to any resource"));
}

TEST_CASE("a resource's START comes with its type, and App.FB.PORT names a mapped FB", "[fourdiac][sys][START]") {
  // 4diac-shaped: EMB_RES without START, START.COLD to the resource's copy
  // of a mapped FB, START.WARM to "Counter.Count.R".
  FourdiacFolder f;
  f.write("Counter.sys", repo_file("tests/fixtures/emb_res_plant.sys"));
  auto sys = f.system("Counter.sys");
  INFO(f.report());
  REQUIRE(sys);
  CHECK(f.report().empty());
  auto device = Device::load(sys->resources, sys->application, f.lib);
  REQUIRE(device);
  Resource& r = (*device)->at(0);
  Recorder rec(r);
  rec.observe_all();
  auto run_to = [&](Time t) {
    while (r.step(t).more_work) {
    }
    return rec.take();
  };
  r.start(true);
  CHECK(run_to(Time{0}) == Events{"START.COLD"});
  CHECK(run_to(Time{std::chrono::milliseconds(10) - std::chrono::nanoseconds(1)}) == Events{});
  CHECK(run_to(Time{std::chrono::milliseconds(10)}) == Events{"Cycle.EO", "Count.CUO(Q=FALSE,CV=1)", "Full.EO0"});
  CHECK(run_to(Time{std::chrono::milliseconds(20)}) == Events{"Cycle.EO", "Count.CUO(Q=TRUE,CV=2)", "Full.EO1"});
  CHECK(run_to(Time{std::chrono::milliseconds(50)}) == Events{});  // Full.EO1 stopped the cycle
  r.stop();
  CHECK(run_to(Time{std::chrono::milliseconds(50)}) == Events{"START.STOP"});
  r.start(false);
  CHECK(run_to(Time{std::chrono::milliseconds(50)}) == Events{"START.WARM", "Count.RO(Q=FALSE,CV=0)"});
}

TEST_CASE("a resource's own START is used instead of the implicit one", "[fourdiac][sys][START]") {
  FourdiacFolder f;
  f.write("S.sys", R"(<System Name="S">
  <Application Name="A"><SubAppNetwork><FB Name="C" Type="E_CTU"/></SubAppNetwork></Application>
  <Device Name="D" Type="FORTE_PC"><Resource Name="R" Type="EMB_RES"><FBNetwork>
    <FB Name="START" Type="E_CTU"/>
    <EventConnections><Connection Source="START.CUO" Destination="A.C.CU"/></EventConnections>
  </FBNetwork></Resource></Device>
  <Mapping From="A.C" To="D.R"/>
</System>
)");
  fourdiac::ImportedSystem imported;
  auto sys = f.system("S.sys", &imported);
  INFO(f.report());
  REQUIRE(sys);
  const lang::NetworkAst& net = imported.file.systems.at(0).devices.at(0).resources.at(0).network;
  std::vector<std::string> fbs;
  for (const auto& fb : net.fbs) fbs.push_back(fb.name.text + ":" + fb.type.text);
  CHECK(fbs == std::vector<std::string>{"START:E_CTU"});
  REQUIRE(net.event_connections.size() == 1);
  CHECK(net.event_connections[0].source == "START.CUO");
  CHECK(net.event_connections[0].destination == "C.CU");
}

TEST_CASE("a resource connection to an unmapped App.FB is reported where it is written", "[fourdiac][sys][START]") {
  FourdiacFolder f;
  f.write("S.sys", R"(<System Name="S">
  <Application Name="A"><SubAppNetwork><FB Name="C" Type="E_CTU"/></SubAppNetwork></Application>
  <Device Name="D" Type="FORTE_PC"><Resource Name="R" Type="EMB_RES"><FBNetwork>
    <EventConnections><Connection Source="START.COLD" Destination="A.X.CU"/></EventConnections>
  </FBNetwork></Resource></Device>
  <Mapping From="A.C" To="D.R"/>
</System>
)");
  CHECK_FALSE(f.system("S.sys"));
  CHECK(f.report() ==
        "S.sys:4:23: error: in System S/Device D/Resource R/FBNetwork/EventConnections/Connection "
        "START.COLD->A.X.CU: unknown FB or SubApp 'A.X' in 'A.X.CU'\n");
}
