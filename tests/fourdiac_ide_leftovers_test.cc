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
