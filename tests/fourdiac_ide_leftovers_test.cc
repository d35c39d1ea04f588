// What 4diac IDE saves and ignores, as real projects (eclipse-4diac's
// 4diac-examples) carry it: plc skips it with a located warning instead of
// failing the file.
#include <catch2/catch.hpp>

#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("a connection with neither Source nor Destination is ignored with a warning; with one of them an error",
          "[fourdiac][network][leftovers]") {
  FourdiacFolder f;
  f.write("LEAF.fbt", simple_fb("LEAF", "INT", "OUT := IN + 1;"));
  auto user = [](const std::string& leftover) {
    return fbt("USER", req_cnf("INT"), R"(<FBNetwork>
  <FB Name="L" Type="LEAF"/>
  <EventConnections><Connection Source="REQ" Destination="L.REQ"/><Connection Source="L.CNF" Destination="CNF"/>
  )" + leftover + R"(</EventConnections>
  <DataConnections><Connection Source="IN" Destination="L.IN"/><Connection Source="L.OUT" Destination="OUT"/></DataConnections>
</FBNetwork>
)");
  };
  SECTION("neither: the type loads and runs") {
    f.write("USER.fbt", user(R"(<Connection Comment="" dx1="430.0"/>)"));
    REQUIRE(f.require("USER"));
    CHECK(f.diags.error_count() == 0);
    CHECK(f.report() ==
          "USER.fbt:12:3: warning: in FBType USER/FBNetwork/EventConnections/Connection ->: "
          "connection without Source and Destination ignored\n");
    Rig rig({{{"X", "USER", {{"IN", "4"}}, ""}}, {}, {}}, {}, f.lib);  // the composite is flattened: X.L
    CHECK(rig.fire("X.L", "REQ") == Events{"X.L.CNF(OUT=5)"});
  }
  SECTION("only a Source: an error") {
    f.write("USER.fbt", user(R"(<Connection Source="REQ"/>)"));
    CHECK_FALSE(f.require("USER"));
    CHECK(f.report() ==
          "USER.fbt:12:3: error: in FBType USER/FBNetwork/EventConnections/Connection REQ->: "
          "missing attribute 'Destination'\n");
  }
}

TEST_CASE("a .dtp naming another type is reported once, and a plug whose adapter type fails cascades no further",
          "[fourdiac][dtp][adapter]") {
  // 4diac-examples' Arrowhead: ArrowheadSystem.dtp, a copy of ArrowheadService.dtp, still names its type
  // ArrowheadService; ServiceRegistryEntry uses ArrowheadSystem, QueryServicesAdp uses ServiceRegistryEntry,
  // and the composite QueryService connects its plug of QueryServicesAdp.
  FourdiacFolder f;
  auto dtp = [](const std::string& name, const std::string& member_type) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DataType Name=\"" + name +
           "\">\n<StructuredType>\n<VarDeclaration Name=\"M\" Type=\"" + member_type +
           "\"/>\n</StructuredType>\n</DataType>\n";
  };
  f.write("Service.dtp", dtp("Service", "INT"));
  f.write("System.dtp", dtp("Service", "DINT"));
  f.write("Entry.dtp", dtp("Entry", "System"));
  f.write("Adp.adp", R"(<?xml version="1.0" encoding="UTF-8"?>
<AdapterType Name="Adp">
<InterfaceList>
<EventInputs><Event Name="queried"><With Var="entry"/></Event></EventInputs>
<EventOutputs><Event Name="query"/></EventOutputs>
<InputVars><VarDeclaration Name="entry" Type="Entry"/></InputVars>
</InterfaceList>
</AdapterType>
)");
  f.write("Query.fbt", fbt("Query", R"(<EventInputs><Event Name="query"/></EventInputs>
<EventOutputs><Event Name="queried"/></EventOutputs>
<InputVars><VarDeclaration Name="service" Type="Service"/></InputVars>
<Plugs><AdapterDeclaration Name="plug" Type="Adp"/></Plugs>
)",
                           R"(<FBNetwork>
<EventConnections><Connection Source="query" Destination="plug.query"/><Connection Source="plug.queried" Destination="queried"/></EventConnections>
</FBNetwork>
)"));
  CHECK_FALSE(f.require("Query"));
  // Entry, Adp and Query fail too, silently: the one cause is reported once, where it is.
  CHECK(f.report() ==
        "System.dtp:2:1: error: in DataType Service: the file defines data type 'Service', not 'System'\n");
  CHECK_FALSE(f.lib.find("Query"));
}
