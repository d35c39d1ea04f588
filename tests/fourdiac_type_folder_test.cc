// The type folder: types found by name in folders (recursively), loaded
// when first needed with what they use, package-qualified names, and the
// problems a library can have.
#include <catch2/catch.hpp>

#include "runtime/fourdiac/load_file.h"
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
  SECTION("qualified as 4diac IDE 3.0 deploys it, with __ for ::") {
    REQUIRE(f.require("lib__one__T"));
    Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, f.lib);
    CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=1)"});
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

TEST_CASE("a file given inside a --lib folder is indexed once, not found twice", "[fourdiac][type_folder][lib]") {
  // plc check --lib DIR DIR/T.fbt: the file's folder and DIR hold the same path.
  FourdiacFolder f;
  f.write("lib/sub/T.fbt", simple_fb("T", "INT", "OUT := IN + 1;"));
  const std::string file = (f.tmp.dir() / "lib/sub/T.fbt").string();
  const std::string lib = (f.tmp.dir() / "lib").string();
  CHECK(fourdiac::load_file(file, {lib, lib + "/./sub/.."}, f.lib, f.scope, f.diags));
  CHECK(f.report().empty());
  CHECK(f.lib.find("T"));
}

TEST_CASE("among files of the same name, the file asked for is taken; other ambiguities are located",
          "[fourdiac][type_folder][lib]") {
  FourdiacFolder f;
  f.write("one/T.fbt", simple_fb("T", "INT", "OUT := 1;"));
  f.write("two/T.fbt", simple_fb("T", "INT", "OUT := 2;"));
  f.write("U.fbt", fbt("U", req_cnf("INT"), "<FBNetwork><FB Name=\"X\" Type=\"T\"/></FBNetwork>\n"));
  SECTION("the file asked for is the one meant") {
    const std::string file = (f.tmp.dir() / "two/T.fbt").string();
    CHECK(fourdiac::load_file(file, {f.tmp.dir().string()}, f.lib, f.scope, f.diags));
    CHECK(f.report().empty());
    Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, f.lib);
    CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=2)"});
  }
  SECTION("a type it uses is ambiguous") {
    const std::string file = (f.tmp.dir() / "U.fbt").string();
    CHECK_FALSE(fourdiac::load_file(file, {}, f.lib, f.scope, f.diags));
    CHECK(f.report() ==
          "U.fbt:9:12: error: in FBType U/FBNetwork/FB X: type 'T' is defined by 2 files (one/T.fbt, two/T.fbt); "
          "qualify it with its package\n");
  }
  SECTION("a file that is not there") {
    const std::string file = (f.tmp.dir() / "V.fbt").string();
    f.write("sub/V.fbt", simple_fb("V", "INT", "OUT := 1;"));
    f.write("sub2/V.fbt", simple_fb("V", "INT", "OUT := 1;"));
    CHECK_FALSE(fourdiac::load_file(file, {}, f.lib, f.scope, f.diags));
    CHECK(f.report() == "V.fbt: error: no such file\n");
  }
}

TEST_CASE("4diac file kinds are recognised in any case, and an unsupported kind gets one clear error",
          "[fourdiac][type_folder][kinds]") {
  FourdiacFolder f;
  f.write("T.FBT", simple_fb("T", "INT", "OUT := IN + 1;"));
  f.write("S.Sub", "<SubAppType Name=\"S\"><SubAppInterfaceList/></SubAppType>");
  f.write("R.RES", "<ResourceType Name=\"R\"/>");
  f.write("D.dev", "<DeviceType Name=\"D\"/>");
  for (const char* k : {"T.FBT", "S.Sub", "R.RES", "D.dev", "X.SYS", "x.st"})
    CHECK(fourdiac::is_4diac_file(k) == (std::string(k) != "x.st"));
  auto load = [&](const std::string& name) {
    return fourdiac::load_file((f.tmp.dir() / name).string(), {}, f.lib, f.scope, f.diags);
  };
  CHECK(load("T.FBT"));
  CHECK(f.lib.find("T"));
  CHECK(load("S.Sub"));  // a typed SubApp: a composite type
  CHECK(f.lib.find("S"));
  CHECK(load("R.RES"));  // resource and device types: tests/fourdiac_resource_type_test.cc
  CHECK(load("D.dev"));
  f.write("E.SEG", "<SegmentType Name=\"E\"/>");
  f.write("A.atp", "<AttributeDeclaration Name=\"A\"/>");
  CHECK_FALSE(load("E.SEG"));
  CHECK_FALSE(load("A.atp"));
  CHECK(f.report() ==
        "E.SEG: error: segment types (.seg) are not read (segments are not needed to run)\n"
        "A.atp: error: attribute types (.atp) are not read (attributes are not needed to run)\n");
}

TEST_CASE("package__Type and package::Type name a native type and split where IEC identifiers cannot",
          "[fourdiac][type_folder][package]") {
  CHECK(fourdiac::unqualified("eclipse4diac__events__E_CTU") == "E_CTU");
  CHECK(fourdiac::package_of("eclipse4diac__events__E_CTU") == "eclipse4diac::events");
  CHECK(fourdiac::unqualified("eclipse4diac::events::E_CTU") == "E_CTU");
  CHECK(fourdiac::package_of("a::b__C") == "a::b");
  // No name on one side, or three in a row: not a separator.
  CHECK(fourdiac::unqualified("__X") == "__X");
  CHECK(fourdiac::unqualified("X__") == "X__");
  CHECK(fourdiac::unqualified("A___B") == "A___B");
  CHECK(fourdiac::package_of("E_CTU").empty());
  FourdiacFolder f;
  f.write("U.fbt", fbt("U", "", "<FBNetwork><FB Name=\"C\" Type=\"eclipse4diac__events__E_CTU\"/></FBNetwork>\n"));
  CHECK(f.require("U"));
  CHECK(f.report().empty());
}

TEST_CASE("a project's own copy of a type shadows the --lib folder's; two copies in one folder stay ambiguous",
          "[fourdiac][type_folder][lib]") {
  // plc check --lib IDE_LIBRARY project/P.fbt, the project carrying its own E_DELAY-like copy.
  FourdiacFolder f;
  f.write("library/events/T.fbt", simple_fb("T", "INT", "OUT := 1;"));
  f.write("project/events/T.fbt", simple_fb("T", "INT", "OUT := 2;"));
  f.write("project/P.fbt", fbt("P", req_cnf("INT"), "<FBNetwork><FB Name=\"X\" Type=\"T\"/></FBNetwork>\n"));
  const std::string file = (f.tmp.dir() / "project/P.fbt").string();
  const std::string library = (f.tmp.dir() / "library").string();
  SECTION("the project's copy is the one used") {
    CHECK(fourdiac::load_file(file, {library}, f.lib, f.scope, f.diags));
    CHECK(f.report().empty());
    Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, f.lib);
    CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=2)"});
  }
  SECTION("two copies within the project are still an error") {
    f.write("project/more/T.fbt", simple_fb("T", "INT", "OUT := 3;"));
    CHECK_FALSE(fourdiac::load_file(file, {library}, f.lib, f.scope, f.diags));
    CHECK(f.report() ==
          "project/P.fbt:9:12: error: in FBType P/FBNetwork/FB X: type 'T' is defined by 2 files "
          "(project/events/T.fbt, project/more/T.fbt); qualify it with its package\n");
  }
  SECTION("two copies within the library, none in the project, are an error") {
    f.write("library/more/T.fbt", simple_fb("T", "INT", "OUT := 3;"));
    std::filesystem::remove(f.tmp.dir() / "project/events/T.fbt");
    CHECK_FALSE(fourdiac::load_file(file, {library}, f.lib, f.scope, f.diags));
    CHECK_THAT(f.report(),
               Catch::Contains("type 'T' is defined by 2 files (library/events/T.fbt, library/more/T.fbt)"));
  }
}
