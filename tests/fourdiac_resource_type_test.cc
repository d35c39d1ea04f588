// 4diac resource types (.res) and device types (.dev): read and checked on
// their own (plc check), and used by a System: a resource's implicit FBs
// come from its type's file, the parameters of resources and devices are
// checked against their types' VarDeclarations.
#include <catch2/catch.hpp>

#include "runtime/device.h"
#include "runtime/fourdiac/load_file.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// EMB_RES as 4diac ships it, with one parameter added.
const char* kEmbRes = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE FBType SYSTEM "http://www.holobloc.com/xml/LibraryElement.dtd">
<ResourceType Comment="Most basic resource for executing FB networks" Name="EMB_RES">
  <VersionInfo Author="test" Date="2017-12-02" Version="1.0"/>
  <VarDeclaration Name="ID" Type="WSTRING" InitialValue="&#34;res&#34;"/>
  <FBNetwork>
    <FB Comment="" Name="START" Type="E_RESTART" x="100.0" y="0.0"/>
  </FBNetwork>
</ResourceType>
)";

// FORTE_PC as 4diac ships it.
const char* kFortePc = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE DeviceType SYSTEM "http://www.holobloc.com/xml/LibraryElement.dtd" >
<DeviceType Name="FORTE_PC" Comment="FORTE running on a PC (Windows or Linux)" >
  <VersionInfo Organization="test" Version="1.0" Author="test" Date="2015-10-31"/>
  <VarDeclaration Name="MGR_ID" Type="WSTRING" InitialValue="&#34;localhost:61499&#34;" Comment="Device manager socket ID" />
  <VarDeclaration Name="BOUNDS" Type="DINT" ArraySize="4" Comment="Initial[x,y,width,height]" />
</DeviceType>
)xml";

// A resource type whose every resource also has a TICK : E_CYCLE of 10 ms.
const char* kTickRes = R"(<?xml version="1.0" encoding="UTF-8"?>
<ResourceType Name="TICK_RES">
  <FBNetwork>
    <FB Name="START" Type="E_RESTART"/>
    <FB Name="TICK" Type="E_CYCLE"><Parameter Name="DT" Value="T#10ms"/></FB>
  </FBNetwork>
</ResourceType>
)";

// App.C (an E_CTU) counts the ticks of resource `type`'s TICK, started by START.
std::string tick_system(const std::string& type) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<System Name="S">
  <Application Name="App"><SubAppNetwork><FB Name="C" Type="E_CTU"><Parameter Name="PV" Value="3"/></FB></SubAppNetwork></Application>
  <Device Name="D" Type="FORTE_PC">
    <Resource Name="R" Type=")" +
         type + R"(">
      <FBNetwork>
        <FB Name="C" Type="E_CTU"/>
        <EventConnections>
          <Connection Source="START.COLD" Destination="TICK.START"/>
          <Connection Source="TICK.EO" Destination="C.CU"/>
        </EventConnections>
      </FBNetwork>
    </Resource>
  </Device>
  <Mapping From="App.C" To="D.R"/>
</System>
)";
}

bool check_file(FourdiacFolder& f, const std::string& relative) {
  return fourdiac::load_file((f.tmp.dir() / relative).string(), {}, f.lib, f.scope, f.diags);
}

}  // namespace

TEST_CASE("plc check reads a resource type and a device type as 4diac ships them", "[fourdiac][res][dev]") {
  FourdiacFolder f;
  f.write("resources/EMB_RES.res", kEmbRes);
  f.write("devices/FORTE_PC.dev", kFortePc);
  f.write("resources/tick_res.RES", kTickRes);
  CHECK(check_file(f, "resources/EMB_RES.res"));
  CHECK(check_file(f, "devices/FORTE_PC.dev"));
  CHECK(check_file(f, "resources/tick_res.RES"));
  CHECK(f.report() == "");
  CHECK(fourdiac::is_4diac_file("X.RES"));
  CHECK(fourdiac::is_4diac_file("X.Dev"));
}

TEST_CASE("problems in resource and device types are reported with file, line and column", "[fourdiac][res][dev]") {
  FourdiacFolder f;
  f.write("BAD_RES.res", R"(<ResourceType Name="BAD_RES">
  <VarDeclaration Name="ID" Type="WSTRNG"/>
  <FBNetwork>
    <FB Name="START" Type="E_RESTRT"/>
    <FB Name="TICK" Type="E_CYCLE"><Parameter Name="DT" Value="10"/><Parameter Name="DTT" Value="T#1s"/></FB>
    <EventConnections><Connection Source="START.COLD" Destination="START.WARM"/></EventConnections>
  </FBNetwork>
</ResourceType>
)");
  f.write("BAD_DEV.dev", R"(<DeviceType Name="BAD_DEV">
  <VarDeclaration Name="N" Type="INT" InitialValue="abc"/>
  <VarDeclaration Name="N" Type="INT"/>
  <Resource Name="R" Type="EMB_RES"/>
</DeviceType>
)");
  f.write("Other.dev", "<ResourceType Name=\"Other\"/>\n");
  CHECK_FALSE(check_file(f, "BAD_RES.res"));
  CHECK_FALSE(check_file(f, "BAD_DEV.dev"));
  CHECK_FALSE(check_file(f, "Other.dev"));
  const std::string r = f.report();
  CHECK_THAT(r, Catch::Contains("BAD_RES.res:2:3: error: in ResourceType BAD_RES/VarDeclaration ID: unknown data type "
                                "'WSTRNG'"));
  CHECK_THAT(r, Catch::Contains("BAD_RES.res:4:5: error: in ResourceType BAD_RES/FBNetwork/FB START: unknown FB type "
                                "'E_RESTRT' (did you mean 'E_RESTART'?)"));
  CHECK_THAT(r, Catch::Contains("BAD_RES.res:5:36: error: in ResourceType BAD_RES/FBNetwork/FB TICK/Parameter DT: "
                                "invalid value '10' for input 'DT' of FB type E_CYCLE"));
  CHECK_THAT(r, Catch::Contains("BAD_RES.res:5:69: error: in ResourceType BAD_RES/FBNetwork/FB TICK/Parameter DTT: "
                                "FB type E_CYCLE has no data input 'DTT'"));
  CHECK_THAT(r, Catch::Contains("BAD_RES.res:6:5: error: in ResourceType BAD_RES/FBNetwork/EventConnections: "
                                "EventConnections in a resource type's network are not supported (only FBs)"));
  CHECK_THAT(r, Catch::Contains("BAD_DEV.dev:2:53: error: invalid initial value 'abc' for 'N' of type INT"));
  CHECK_THAT(r, Catch::Contains("BAD_DEV.dev:3:3: error: in DeviceType BAD_DEV/VarDeclaration N: duplicate "
                                "parameter 'N'"));
  CHECK_THAT(r, Catch::Contains("BAD_DEV.dev:4:3: error: in DeviceType BAD_DEV/Resource R: Resource in a device type "
                                "is not supported"));
  CHECK_THAT(r, Catch::Contains("Other.dev:1:1: error: in ResourceType Other: expected a DeviceType, found "
                                "ResourceType"));
}

TEST_CASE("a resource's implicit FBs come from its type's file: the application uses its TICK",
          "[fourdiac][res][sys]") {
  FourdiacFolder f;
  f.write("types/TICK_RES.res", kTickRes);
  f.write("S.sys", tick_system("TICK_RES"));
  auto sys = f.system("S.sys");
  INFO(f.report());
  REQUIRE(sys);
  CHECK(f.report() == "");
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
  CHECK(run_to(Time{std::chrono::milliseconds(10)}) == Events{"TICK.EO", "C.CUO(Q=FALSE,CV=1)"});
  CHECK(run_to(Time{std::chrono::milliseconds(30)}) ==
        Events{"TICK.EO", "C.CUO(Q=FALSE,CV=2)", "TICK.EO", "C.CUO(Q=TRUE,CV=3)"});
}

TEST_CASE("a resource whose type has no file gets START : E_RESTART and nothing else, whatever its Type",
          "[fourdiac][res][sys]") {
  FourdiacFolder f;
  f.write("S.sys", tick_system("EMB_RES"));  // no EMB_RES.res here: TICK is unknown
  CHECK_FALSE(f.system("S.sys"));
  CHECK_THAT(f.report(), Catch::Contains("S.sys:9:11: error: ") && Catch::Contains("'TICK'"));
  CHECK_THAT(f.report(), !Catch::Contains("'START'"));

  FourdiacFolder g;
  g.write("S.sys", R"(<System Name="S">
  <Application Name="App"><SubAppNetwork><FB Name="C" Type="E_CTU"/></SubAppNetwork></Application>
  <Device Name="D" Type="NO_FILE_DEV"><Resource Name="R" Type="NO_FILE_RES"><FBNetwork>
    <EventConnections><Connection Source="START.COLD" Destination="App.C.CU"/></EventConnections>
  </FBNetwork></Resource></Device>
  <Mapping From="App.C" To="D.R"/>
</System>
)");
  auto sys = g.system("S.sys");
  INFO(g.report());
  REQUIRE(sys);
  auto device = Device::load(sys->resources, sys->application, g.lib);
  REQUIRE(device);
  Resource& r = (*device)->at(0);
  Recorder rec(r);
  rec.observe_all();
  r.start(true);
  while (r.step(Time{0}).more_work) {
  }
  CHECK(rec.take() == Events{"START.COLD", "C.CUO(Q=TRUE,CV=1)"});  // PV 0
}

TEST_CASE("the parameters of resources and devices are checked against their types", "[fourdiac][res][dev][sys]") {
  FourdiacFolder f;
  f.write("EMB_RES.res", kEmbRes);
  f.write("FORTE_PC.dev", kFortePc);
  auto system = [](const std::string& device_params, const std::string& resource_params) {
    return "<System Name=\"S\">\n  <Device Name=\"D\" Type=\"FORTE_PC\">\n" + device_params +
           "    <Resource Name=\"R\" Type=\"EMB_RES\">\n" + resource_params +
           "      <FBNetwork/>\n    </Resource>\n  </Device>\n</System>\n";
  };
  f.write("Good.sys", system(R"(    <Parameter Name="MGR_ID" Value="&quot;localhost:61499&quot;"/>
    <Parameter Name="bounds" Value="[0, 0, 640, 480]"/>
    <Parameter Name="NODE" Value="'field@host'"/>
)",
                             R"(      <Parameter Name="ID" Value="&quot;r1&quot;"/>
      <Parameter Name="queue_capacity" Value="64"/>
)"));
  f.write("Bad.sys", system(R"(    <Parameter Name="MGR_IDD" Value="&quot;localhost:61499&quot;"/>
    <Parameter Name="BOUNDS" Value="[1, 2, 3, 4, 5]"/>
)",
                            R"(      <Parameter Name="ID" Value="'r1"/>
      <Parameter Name="IDD" Value="&quot;r1&quot;"/>
)"));
  auto good = f.system("Good.sys");
  INFO(f.report());
  REQUIRE(good);
  CHECK(f.report() == "");
  REQUIRE(good->devices.size() == 1);
  CHECK(good->devices[0].parameters.size() == 3);  // kept for the distribution layer
  REQUIRE(good->resources.size() == 1);
  CHECK(good->resources[0].options.queue_capacity == 64);

  CHECK_FALSE(f.system("Bad.sys"));
  const std::string r = f.report();
  CHECK_THAT(r, Catch::Contains("Bad.sys:3:5: error: in System S/Device D/Parameter MGR_IDD: unknown parameter "
                                "'MGR_IDD' of device type FORTE_PC (it declares MGR_ID, BOUNDS; plc's own: NODE)"));
  CHECK_THAT(r, Catch::Contains("Bad.sys:4:5: error: in System S/Device D/Parameter BOUNDS: invalid value "
                                "'[1, 2, 3, 4, 5]' for parameter 'BOUNDS' of type ARRAY[0..3] OF DINT"));
  CHECK_THAT(r, Catch::Contains("Bad.sys:6:7: error: in System S/Device D/Resource R/Parameter ID: invalid value "
                                "''r1' for parameter 'ID' of type WSTRING"));
}

TEST_CASE("an unquoted value of a STRING or WSTRING parameter is the text, as FORTE reads it",
          "[fourdiac][res][dev][sys]") {
  // 4diac-examples' OPCUATests: <Parameter Name="MGR_ID" Value="localhost:61499"/>.
  FourdiacFolder f;
  f.write("EMB_RES.res", kEmbRes);
  f.write("FORTE_PC.dev", kFortePc);
  auto system = [](const std::string& device_params) {
    return "<System Name=\"S\">\n  <Device Name=\"D\" Type=\"FORTE_PC\">\n" + device_params +
           "    <Resource Name=\"R\" Type=\"EMB_RES\"><FBNetwork/></Resource>\n  </Device>\n</System>\n";
  };
  f.write("Good.sys", system(R"(    <Parameter Name="MGR_ID" Value="localhost:61499"/>
)"));
  f.write("Typed.sys", system(R"(    <Parameter Name="MGR_ID" Value="WSTRING#localhost"/>
)"));
  f.write("Array.sys", system(R"(    <Parameter Name="BOUNDS" Value="wide"/>
)"));
  CHECK(f.system("Good.sys"));
  CHECK(f.report() == "");
  CHECK_FALSE(f.system("Typed.sys"));  // a typed literal must be one
  CHECK_FALSE(f.system("Array.sys"));
  CHECK_THAT(f.report(), Catch::Contains("Typed.sys:3:5: error: in System S/Device D/Parameter MGR_ID: invalid value "
                                         "'WSTRING#localhost' for parameter 'MGR_ID' of type WSTRING"));
  CHECK_THAT(f.report(), Catch::Contains("Array.sys:3:5: error: in System S/Device D/Parameter BOUNDS: invalid value "
                                         "'wide' for parameter 'BOUNDS' of type ARRAY[0..3] OF DINT"));
}

TEST_CASE("an unknown parameter of a typed resource is reported where it is written", "[fourdiac][res][sys]") {
  FourdiacFolder f;
  f.write("EMB_RES.res", kEmbRes);
  f.write("S.sys", R"(<System Name="S">
  <Device Name="D" Type="NO_SUCH_DEVICE"><Parameter Name="ANYTHING" Value="1"/>
    <Resource Name="R" Type="EMB_RES"><Parameter Name="IDD" Value="&quot;r1&quot;"/><FBNetwork/></Resource>
  </Device>
</System>
)");
  CHECK_FALSE(f.system("S.sys"));
  CHECK_THAT(f.report(), Catch::Contains("S.sys:3:56: error: unknown resource parameter 'IDD'"));
  CHECK_THAT(f.report(), !Catch::Contains("ANYTHING"));  // a device type without a file is only a name
}

TEST_CASE("a resource whose type file has errors is reported at the resource and in the file", "[fourdiac][res][sys]") {
  FourdiacFolder f;
  f.write("BAD_RES.res",
          "<ResourceType Name=\"BAD_RES\"><FBNetwork><FB Name=\"X\" Type=\"NOPE\"/></FBNetwork></ResourceType>\n");
  f.write("S.sys", R"(<System Name="S">
  <Device Name="D"><Resource Name="R" Type="BAD_RES"><FBNetwork/></Resource></Device>
</System>
)");
  CHECK_FALSE(f.system("S.sys"));
  CHECK_THAT(f.report(), Catch::Contains("BAD_RES.res:1:41: error: in ResourceType BAD_RES/FBNetwork/FB X: unknown FB "
                                         "type 'NOPE'"));
  CHECK_THAT(f.report(), Catch::Contains("S.sys:2:20: error: in System S/Device D/Resource R: resource type 'BAD_RES' "
                                         "has errors"));
}
