// The type folder: types found by name in folders (recursively), loaded
// when first needed with what they use, package-qualified names, and the
// problems a library can have.
#include <catch2/catch.hpp>

#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("a type is found in any subfolder and loaded only when it is needed, after the types it uses",
          "[fourdiac][type_folder]") {
  FourdiacFolder f;
  f.write("a/b/c/LEAF.fbt", simple_fb("LEAF", "INT", "OUT := IN + 1;"));
  f.write("x/USER.fbt", fbt("USER", req_cnf("INT"), R"(<FBNetwork>
  <FB Name="L" Type="LEAF"/>
  <EventConnections><Connection Source="REQ" Destination="L.REQ"/><Connection Source="L.CNF" Destination="CNF"/></EventConnections>
  <DataConnections><Connection Source="IN" Destination="L.IN"/><Connection Source="L.OUT" Destination="OUT"/></DataConnections>
</FBNetwork>
)"));
  f.write("BROKEN.fbt", "<FBType Name=\"BROKEN\"><");
  CHECK(f.types().files().size() == 3);
  CHECK_FALSE(f.lib.find("LEAF"));
  REQUIRE(f.require("USER"));
  CHECK(f.lib.find("LEAF"));
  CHECK(f.diags.str().empty());  // BROKEN.fbt was never needed, so never read
  CHECK(f.require("USER"));      // loaded once
}

TEST_CASE("a package-qualified name chooses among files of the same name", "[fourdiac][type_folder][package]") {
  FourdiacFolder f;
  auto in_package = [](std::string text, const std::string& package) {
    return text.replace(text.find("<InterfaceList>"), 0, "<CompilerInfo packageName=\"" + package + "\"/>\n");
  };
  f.write("one/T.fbt", in_package(simple_fb("T", "INT", "OUT := 1;"), "lib::one"));
  f.write("two/T.fbt", in_package(simple_fb("T", "INT", "OUT := 2;"), "lib::two"));
  SECTION("qualified") {
    REQUIRE(f.require("lib::two::T"));
    Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, f.lib);
    CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=2)"});
  }
  SECTION("unqualified: ambiguous") {
    CHECK_FALSE(f.require("T"));
    CHECK_THAT(f.report(),
               Catch::Contains("type 'T' is defined by 2 files (") && Catch::Contains("qualify it with its package"));
  }
}

TEST_CASE("an unknown type is reported where it is used, with the nearest known name", "[fourdiac][type_folder]") {
  FourdiacFolder f;
  f.write("LEAF.fbt", simple_fb("LEAF", "INT", "OUT := IN;"));
  f.write("USER.fbt", fbt("USER", "", "<FBNetwork>\n<FB Name=\"L\" Type=\"LEAFF\"/>\n</FBNetwork>\n"));
  CHECK_FALSE(f.require("USER"));
  CHECK_THAT(f.report(),
             Catch::Contains(
                 "USER.fbt:6:1: error: in FBType USER/FBNetwork/FB L: unknown FB type 'LEAFF' (did you mean 'LEAF'?)"));
}

TEST_CASE("a composite type that contains itself, and a file whose type has another name, are errors",
          "[fourdiac][type_folder]") {
  FourdiacFolder f;
  f.write("LOOP.fbt", fbt("LOOP", "", "<FBNetwork><FB Name=\"Me\" Type=\"LOOP\"/></FBNetwork>\n"));
  f.write("NAMED.fbt", simple_fb("OTHER", "INT", "OUT := IN;"));
  CHECK_FALSE(f.require("LOOP"));
  CHECK_FALSE(f.require("NAMED"));
  CHECK_THAT(f.report(),
             Catch::Contains("LOOP.fbt:5:12: error: in FBType LOOP/FBNetwork/FB Me: FB type 'LOOP' contains itself"));
  CHECK_THAT(f.report(),
             Catch::Contains("NAMED.fbt:2:1: error: in FBType OTHER: the file defines type 'OTHER', not 'NAMED'"));
}

TEST_CASE("plc's own .st files in a type folder are found by their name too", "[fourdiac][type_folder][st]") {
  FourdiacFolder f;
  f.write("fblocks/voter.st", repo_file("fblocks/voter.st"));
  f.write("V.fbt", fbt("V", "", "<FBNetwork><FB Name=\"Inner\" Type=\"VOTER\"/></FBNetwork>\n"));
  INFO(f.report());
  CHECK(f.require("V"));
  CHECK(f.lib.find("VOTER"));
}
