// A composite FB type's own plugs and sockets used inside its network, as
// 4diac's E_TimeOut and E_RTimeOut do: "TimeOutSocket.START" names a port
// of the composite's socket. The files below are 4diac's standard
// ATimeOut.adp, ARTimeOut.adp, E_TimeOut.fbt and E_RTimeOut.fbt (EPL-2.0,
// fortiss GmbH) without their Identification, VersionInfo and Service
// elements; the user of the timeout is an FB with an ATimeOut plug.
#include <catch2/catch.hpp>

#include "runtime/device.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

std::string timeout_adapter(const std::string& name) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<AdapterType Comment="Interface for a time out service roughly based on the definitions of ROOM" Name=")" +
         name + R"(">
  <InterfaceList>
    <EventInputs>
      <Event Comment="Request from Socket" Name="TimeOut" Type="Event"/>
    </EventInputs>
    <EventOutputs>
      <Event Comment="start timeout notifcation" Name="START" Type="Event">
        <With Var="DT"/>
      </Event>
      <Event Comment="stop timeout notification" Name="STOP" Type="Event"/>
    </EventOutputs>
    <InputVars/>
    <OutputVars>
      <VarDeclaration Comment="timeout duration" InitialValue="" Name="DT" Type="TIME"/>
    </OutputVars>
  </InterfaceList>
</AdapterType>
)";
}

std::string timeout_service(const std::string& name, const std::string& adapter, const std::string& delay) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<FBType Comment="Simple implementation of the timeout services" Name=")" +
         name + R"(">
  <InterfaceList>
    <EventInputs/>
    <EventOutputs/>
    <InputVars/>
    <OutputVars/>
    <Sockets>
      <AdapterDeclaration Comment="" Name="TimeOutSocket" Type=")" +
         adapter + R"(" x="190.0" y="380.0"/>
    </Sockets>
  </InterfaceList>
  <FBNetwork>
    <FB Comment="" Name="DLY" Type=")" +
         delay + R"(" x="950.0" y="380.0"/>
    <DataConnections>
      <Connection Comment="" Destination="DLY.DT" Source="TimeOutSocket.DT" dx1="0.0" dx2="0.0" dy="0.0"/>
    </DataConnections>
    <EventConnections>
      <Connection Comment="" Destination="DLY.START" Source="TimeOutSocket.START" dx1="0.0" dx2="0.0" dy="0.0"/>
      <Connection Comment="" Destination="DLY.STOP" Source="TimeOutSocket.STOP" dx1="0.0" dx2="0.0" dy="0.0"/>
      <Connection Comment="" Destination="TimeOutSocket.TimeOut" Source="DLY.EO" dx1="0.0" dx2="0.0" dy="-160.0"/>
    </EventConnections>
  </FBNetwork>
</FBType>
)";
}

// ARM (with T) asks its plug for a timeout, DISARM cancels it, the plug's
// TimeOut comes out as EXPIRED.
std::string watchdog(const std::string& adapter) {
  return fbt("WATCH",
             R"(<EventInputs>
  <Event Name="ARM"><With Var="T"/></Event>
  <Event Name="DISARM"/>
</EventInputs>
<EventOutputs><Event Name="EXPIRED"/></EventOutputs>
<InputVars><VarDeclaration Name="T" Type="TIME" InitialValue="T#100ms"/></InputVars>
<Plugs><AdapterDeclaration Name="Tmo" Type=")" +
                 adapter +
                 R"("/></Plugs>
)",
             R"(<BasicFB><ECC>
  <ECState Name="START"/>
  <ECState Name="Arm"><ECAction Algorithm="arm" Output="Tmo.START"/></ECState>
  <ECState Name="Disarm"><ECAction Output="Tmo.STOP"/></ECState>
  <ECState Name="Expired"><ECAction Output="EXPIRED"/></ECState>
  <ECTransition Source="START" Destination="Arm" Condition="ARM"/>
  <ECTransition Source="Arm" Destination="START" Condition="1"/>
  <ECTransition Source="START" Destination="Disarm" Condition="DISARM"/>
  <ECTransition Source="Disarm" Destination="START" Condition="1"/>
  <ECTransition Source="START" Destination="Expired" Condition="Tmo.TimeOut"/>
  <ECTransition Source="Expired" Destination="START" Condition="1"/>
</ECC>
<Algorithm Name="arm"><ST><![CDATA[Tmo.DT := T;]]></ST></Algorithm>
</BasicFB>
)");
}

// A 4diac-shaped system: the watchdog's plug joined to the timeout
// service's socket by an AdapterConnection of the application, START.COLD
// arming it.
std::string watch_system(const std::string& service, const std::string& resource_copies = "") {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<System Name="Watch">
  <Application Name="App">
    <SubAppNetwork>
      <FB Name="W" Type="WATCH"/>
      <FB Name="Svc" Type=")" +
         service + R"("/>
      <AdapterConnections>
        <Connection Source="W.Tmo" Destination="Svc.TimeOutSocket"/>
      </AdapterConnections>
    </SubAppNetwork>
  </Application>
  <Device Name="PLC" Type="FORTE_PC">
    <Resource Name="RES" Type="EMB_RES">
      <FBNetwork>)" +
         resource_copies +
         R"(
        <EventConnections><Connection Source="START.COLD" Destination="App.W.ARM"/></EventConnections>
      </FBNetwork>
    </Resource>
  </Device>
  <Mapping From="App.W" To="PLC.RES"/>
  <Mapping From="App.Svc" To="PLC.RES"/>
</System>
)";
}

// The system loaded as one device, run on a virtual clock.
struct WatchRig {
  explicit WatchRig(FourdiacFolder& f) {
    auto sys = f.system("Watch.sys");
    INFO(f.report());
    REQUIRE(sys);
    CHECK(f.report().empty());
    auto loaded = Device::load(sys->resources, sys->application, f.lib);
    REQUIRE(loaded);
    device = std::move(*loaded);
    rec = std::make_unique<Recorder>(res());
    rec->observe_all();
    res().start(true);
  }
  Resource& res() { return device->at(0); }
  Events run_to(Duration t) {
    while (res().step(Time{t}).more_work) {
    }
    return rec->take();
  }
  Events fire(const std::string& fb, const std::string& ei, Duration t) {
    auto f = res().find_fb(fb);
    REQUIRE(f);
    auto e = res().type_of(*f).iface.find_event_input(ei);
    REQUIRE(e);
    REQUIRE(res().inject(*f, *e));
    return run_to(t);
  }
  std::unique_ptr<Device> device;
  std::unique_ptr<Recorder> rec;
};

void write_timeout_types(FourdiacFolder& f) {
  f.write("events/ATimeOut.adp", timeout_adapter("ATimeOut"));
  f.write("events/ARTimeOut.adp", timeout_adapter("ARTimeOut"));
  f.write("events/E_TimeOut.fbt", timeout_service("E_TimeOut", "ATimeOut", "E_DELAY"));
  f.write("events/E_RTimeOut.fbt", timeout_service("E_RTimeOut", "ARTimeOut", "E_RDELAY"));
}

}  // namespace

TEST_CASE("E_TimeOut's socket, named inside its network, becomes ports of the composite",
          "[fourdiac][adapter][composite][E_TimeOut]") {
  FourdiacFolder f;
  write_timeout_types(f);
  const bool loaded = f.require("E_TimeOut") && f.require("E_RTimeOut");
  INFO(f.report());
  REQUIRE(loaded);
  CHECK(f.report().empty());
  const FbType* t = f.lib.find("E_TimeOut");
  REQUIRE(t);
  CHECK(t->kind == FbKind::kComposite);
  // A socket receives what the plug sends (the adapter's outputs) and sends its inputs.
  auto start = t->iface.find_event_input("TimeOutSocket$START");
  REQUIRE(start);
  CHECK(t->iface.find_event_input("TimeOutSocket$STOP"));
  CHECK(t->iface.find_event_output("TimeOutSocket$TimeOut"));
  REQUIRE(t->iface.find_input("TimeOutSocket$DT"));
  CHECK(t->iface.event_inputs[index_of(*start)].with ==
        std::vector<uint16_t>{*t->iface.find_input("TimeOutSocket$DT")});
  const auto& net = *t->network;
  REQUIRE(net.event_connections.size() == 3);
  CHECK(net.event_connections[0].source == "TimeOutSocket$START");
  CHECK(net.event_connections[0].destination == "DLY.START");
  CHECK(net.event_connections[2].source == "DLY.EO");
  CHECK(net.event_connections[2].destination == "TimeOutSocket$TimeOut");
  REQUIRE(net.data_connections.size() == 1);
  CHECK(net.data_connections[0].source == "TimeOutSocket$DT");
}

TEST_CASE("the library lists the adapter types loaded with the FB types that use them", "[fourdiac][adapter]") {
  FourdiacFolder f;
  write_timeout_types(f);
  CHECK(f.lib.adapter_names().empty());
  REQUIRE(f.require("E_TimeOut"));
  CHECK(f.lib.adapter_names() == std::vector<std::string>{"ATimeOut"});
  REQUIRE(f.require("E_RTimeOut"));
  CHECK(f.lib.adapter_names() == std::vector<std::string>{"ARTimeOut", "ATimeOut"});
  const TypeLibrary copy = f.lib;  // a staged copy keeps them
  CHECK(copy.adapter_names() == f.lib.adapter_names());
}

TEST_CASE("E_TimeOut joined to a plug sends TimeOut DT after START on the virtual clock, and STOP cancels it",
          "[fourdiac][adapter][composite][E_TimeOut]") {
  FourdiacFolder f;
  write_timeout_types(f);
  f.write("WATCH.fbt", watchdog("ATimeOut"));
  f.write("Watch.sys", watch_system("E_TimeOut"));
  WatchRig rig(f);
  SECTION("TimeOut comes DT after START, exactly") {
    CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#100ms)"});
    CHECK(rig.run_to(100ms - 1ns) == Events{});
    CHECK(rig.run_to(100ms) == Events{"Svc.DLY.EO", "W.EXPIRED"});
    CHECK(rig.run_to(1s) == Events{});  // once
  }
  SECTION("STOP before the deadline cancels the TimeOut") {
    CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#100ms)"});
    CHECK(rig.fire("W", "DISARM", 50ms) == Events{"W.Tmo$STOP"});
    CHECK(rig.run_to(1s) == Events{});
  }
  SECTION("a second START while one is pending is ignored, as E_DELAY ignores it") {
    CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#100ms)"});
    CHECK(rig.fire("W", "ARM", 60ms) == Events{"W.Tmo$START(Tmo$DT=T#100ms)"});
    CHECK(rig.run_to(100ms) == Events{"Svc.DLY.EO", "W.EXPIRED"});
    CHECK(rig.run_to(160ms) == Events{});
  }
  SECTION("the DT sent with START is the one the plug wrote") {
    CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#100ms)"});
    CHECK(rig.run_to(100ms) == Events{"Svc.DLY.EO", "W.EXPIRED"});
    auto w = rig.res().find_fb("W");
    REQUIRE(w);
    const auto& iface = rig.res().type_of(*w).iface;
    rig.res().vars(*w)[iface.input_slot(*iface.find_input("T"))].i = std::chrono::nanoseconds(25ms).count();
    CHECK(rig.fire("W", "ARM", 200ms) == Events{"W.Tmo$START(Tmo$DT=T#25ms)"});
    CHECK(rig.run_to(225ms - 1ns) == Events{});
    CHECK(rig.run_to(225ms) == Events{"Svc.DLY.EO", "W.EXPIRED"});
  }
}

TEST_CASE("E_RTimeOut restarts its timeout on every START, and STOP cancels it",
          "[fourdiac][adapter][composite][E_RTimeOut]") {
  FourdiacFolder f;
  write_timeout_types(f);
  f.write("WATCH.fbt", watchdog("ARTimeOut"));
  f.write("Watch.sys", watch_system("E_RTimeOut"));
  WatchRig rig(f);
  CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#100ms)"});
  CHECK(rig.fire("W", "ARM", 60ms) == Events{"W.Tmo$START(Tmo$DT=T#100ms)"});
  CHECK(rig.run_to(160ms - 1ns) == Events{});
  CHECK(rig.run_to(160ms) == Events{"Svc.DLY.EO", "W.EXPIRED"});
  CHECK(rig.fire("W", "ARM", 200ms) == Events{"W.Tmo$START(Tmo$DT=T#100ms)"});
  CHECK(rig.fire("W", "DISARM", 299ms) == Events{"W.Tmo$STOP"});
  CHECK(rig.run_to(1s) == Events{});
}

TEST_CASE("a composite's own plug, named inside its network, offers the adapter's inputs as sources",
          "[fourdiac][adapter][composite]") {
  // The mirror of E_TimeOut: a composite with an ATimeOut plug whose
  // network starts the timeout on GO and passes TimeOut on as DONE.
  FourdiacFolder f;
  write_timeout_types(f);
  f.write("ASKER.fbt", fbt("ASKER", R"(<EventInputs><Event Name="GO"><With Var="T"/></Event></EventInputs>
<EventOutputs><Event Name="DONE"/></EventOutputs>
<InputVars><VarDeclaration Name="T" Type="TIME"/></InputVars>
<Plugs><AdapterDeclaration Name="TO" Type="ATimeOut"/></Plugs>
)",
                           R"(<FBNetwork>
  <EventConnections>
    <Connection Source="GO" Destination="TO.START"/>
    <Connection Source="TO.TimeOut" Destination="DONE"/>
  </EventConnections>
  <DataConnections><Connection Source="T" Destination="TO.DT"/></DataConnections>
</FBNetwork>
)"));
  f.write("PAIR.fbt", fbt("PAIR", R"(<EventInputs><Event Name="GO"><With Var="T"/></Event></EventInputs>
<EventOutputs><Event Name="DONE"/></EventOutputs>
<InputVars><VarDeclaration Name="T" Type="TIME"/></InputVars>
)",
                          R"(<FBNetwork>
  <FB Name="A" Type="ASKER"/>
  <FB Name="S" Type="E_TimeOut"/>
  <EventConnections>
    <Connection Source="GO" Destination="A.GO"/>
    <Connection Source="A.DONE" Destination="DONE"/>
  </EventConnections>
  <DataConnections><Connection Source="T" Destination="A.T"/></DataConnections>
  <AdapterConnections><Connection Source="A.TO" Destination="S.TimeOutSocket"/></AdapterConnections>
</FBNetwork>
)"));
  const bool loaded = f.require("PAIR");
  INFO(f.report());
  REQUIRE(loaded);
  TypeLibrary& lib = f.lib;
  Rig rig({{{"Go", "E_SPLIT", {}, ""}, {"P", "PAIR", {{"T", "T#40ms"}}, ""}}, {{"Go.EO1", "P.GO", ""}}, {}}, {}, lib);
  CHECK(rig.fire("Go", "EI") == Events{"Go.EO1", "Go.EO2"});
  CHECK(rig.advance(40ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"P.S.DLY.EO"});
}

TEST_CASE("a composite's own adapter port that does not exist or points the wrong way is reported where it is used",
          "[fourdiac][adapter][composite][diagnostics]") {
  FourdiacFolder f;
  write_timeout_types(f);
  f.write("BAD.fbt", fbt("BAD", "<Sockets><AdapterDeclaration Name=\"S\" Type=\"ATimeOut\"/></Sockets>\n",
                         R"(<FBNetwork>
  <FB Name="DLY" Type="E_DELAY"/>
  <FB Name="S" Type="E_DELAY"/>
  <EventConnections>
    <Connection Source="S.TimeOut" Destination="DLY.START"/>
    <Connection Source="DLY.EO" Destination="S.START"/>
    <Connection Source="S.NOPE" Destination="DLY.STOP"/>
  </EventConnections>
  <DataConnections><Connection Source="DLY.DT" Destination="S.DT"/></DataConnections>
</FBNetwork>
)"));
  CHECK_FALSE(f.require("BAD"));
  const std::string r = f.report();
  CHECK_THAT(r, Catch::Contains("BAD.fbt:8:3: error: in FBType BAD/FBNetwork/FB S: duplicate name 'S' (a plug or "
                                "socket of this composite already has it)"));
  CHECK_THAT(r, Catch::Contains("BAD.fbt:10:5: error:") &&
                    Catch::Contains("'S.TimeOut' is an input of adapter type ATimeOut: inside the composite, socket "
                                    "'S' takes it as a destination, not as a source"));
  CHECK_THAT(r, Catch::Contains("BAD.fbt:11:5: error:") &&
                    Catch::Contains("'S.START' is an output of adapter type ATimeOut: inside the composite, socket "
                                    "'S' takes it as a source, not as a destination"));
  CHECK_THAT(r, Catch::Contains("BAD.fbt:12:5: error:") &&
                    Catch::Contains("adapter type ATimeOut (socket 'S') has no event port 'NOPE'"));
  CHECK_THAT(r, Catch::Contains("BAD.fbt:14:20: error:") &&
                    Catch::Contains("'S.DT' is an output of adapter type ATimeOut: inside the composite, socket 'S' "
                                    "takes it as a source, not as a destination"));
}

TEST_CASE(
    "the resource's copies of a plug and socket and their AdapterConnection, as 4diac IDE writes them, add nothing",
    "[fourdiac][adapter][composite][E_TimeOut][sys]") {
  FourdiacFolder f;
  write_timeout_types(f);
  f.write("WATCH.fbt", watchdog("ATimeOut"));
  f.write("Watch.sys", watch_system("E_TimeOut", R"(
        <FB Name="W" Type="WATCH"/>
        <FB Name="Svc" Type="E_TimeOut"/>
        <AdapterConnections><Connection Source="W.Tmo" Destination="Svc.TimeOutSocket"/></AdapterConnections>)"));
  WatchRig rig(f);
  CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#100ms)"});
  CHECK(rig.run_to(100ms) == Events{"Svc.DLY.EO", "W.EXPIRED"});  // once, not once per copy
}

TEST_CASE("an AdapterConnection between FBs of a resource's own network joins them", "[fourdiac][adapter][sys]") {
  FourdiacFolder f;
  write_timeout_types(f);
  f.write("WATCH.fbt", watchdog("ATimeOut"));
  f.write("Watch.sys", R"(<System Name="Watch">
  <Device Name="PLC" Type="FORTE_PC">
    <Resource Name="RES" Type="EMB_RES">
      <FBNetwork>
        <FB Name="W" Type="WATCH"><Parameter Name="T" Value="T#2s"/></FB>
        <FB Name="Svc" Type="eclipse4diac::events::E_TimeOut"/>
        <EventConnections><Connection Source="START.COLD" Destination="W.ARM"/></EventConnections>
        <AdapterConnections><Connection Source="W.Tmo" Destination="Svc.TimeOutSocket"/></AdapterConnections>
      </FBNetwork>
    </Resource>
  </Device>
</System>
)");
  WatchRig rig(f);
  CHECK(rig.run_to(0ms) == Events{"START.COLD", "W.Tmo$START(Tmo$DT=T#2s)"});
  CHECK(rig.run_to(2s - 1ns) == Events{});
  CHECK(rig.run_to(2s) == Events{"Svc.DLY.EO", "W.EXPIRED"});
}
