// A 4diac file for one of plc's native types is read for its interface; its
// body is not used. When the body is not one 4diac ships for the type, plc
// says so with a warning (runtime/fourdiac/standard_body.h). The E_CTU,
// E_CYCLE and F_TIME_IN_MS_TO_LINT files below are 4diac's (EPL-2.0,
// fortiss GmbH and contributors), without Identification and VersionInfo.
#include <catch2/catch.hpp>

#include "runtime/fourdiac/load_file.h"
#include "runtime/fourdiac/standard_body.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const std::string kCtu = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE FBType SYSTEM "http://www.holobloc.com/xml/LibraryElement.dtd">
<FBType Comment="Event driven up counter" Name="E_CTU">
  <InterfaceList>
    <EventInputs>
      <Event Comment="Count up" Name="CU" Type="Event">
        <With Var="PV"/>
      </Event>
      <Event Comment="Reset" Name="R" Type="Event"/>
    </EventInputs>
    <EventOutputs>
      <Event Comment="Count up output" Name="CUO" Type="Event">
        <With Var="Q"/>
        <With Var="CV"/>
      </Event>
      <Event Comment="Reset output" Name="RO" Type="Event">
        <With Var="Q"/>
        <With Var="CV"/>
      </Event>
    </EventOutputs>
    <InputVars>
      <VarDeclaration Comment="Process Value" Name="PV" Type="UINT"/>
    </InputVars>
    <OutputVars>
      <VarDeclaration Comment="True if CV &gt;= PV" Name="Q" Type="BOOL"/>
      <VarDeclaration Comment="Counter Value" Name="CV" Type="UINT"/>
    </OutputVars>
  </InterfaceList>
  <BasicFB>
    <ECC>
      <ECState Comment="Initial State" Name="START" x="550.0" y="425.0"/>
      <ECState Comment="" Name="CU" x="1570.0" y="165.0">
        <ECAction Algorithm="CU" Output="CUO"/>
      </ECState>
      <ECState Comment="" Name="R" x="900.0" y="1000.0">
        <ECAction Algorithm="R" Output="RO"/>
      </ECState>
      <ECTransition Comment="" Condition="CU[CV &lt; 65535]" Destination="CU" Source="START" x="970.0" y="210.0"/>
      <ECTransition Comment="" Condition="1" Destination="START" Source="CU" x="1285.0" y="510.0"/>
      <ECTransition Comment="" Condition="R" Destination="R" Source="START" x="845.0" y="770.0"/>
      <ECTransition Comment="" Condition="1" Destination="START" Source="R" x="545.0" y="1050.0"/>
    </ECC>
    <Algorithm Comment="reset counter" Name="R">
      <ST Text="CV := 0;&#13;&#10;Q := FALSE;"/>
    </Algorithm>
    <Algorithm Comment="count up" Name="CU">
      <ST Text="CV := CV + 1;&#13;&#10;Q  := (CV &gt;= PV);"/>
    </Algorithm>
  </BasicFB>
</FBType>
)";

const std::string kCycle = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<FBType Comment="Peroidic event generator" Name="E_CYCLE">
  <InterfaceList>
    <EventInputs>
      <Event Comment="Start the perodic generation of events" Name="START" Type="Event">
        <With Var="DT"/>
      </Event>
      <Event Comment="Stop the generation of events" Name="STOP" Type="Event"/>
    </EventInputs>
    <EventOutputs>
      <Event Comment="Periodically triggered output event" Name="EO" Type="Event"/>
    </EventOutputs>
    <InputVars>
      <VarDeclaration Comment="cycle time" Name="DT" Type="TIME"/>
    </InputVars>
    <OutputVars/>
  </InterfaceList>
  <FBNetwork>
    <FB Comment="" Name="E_DELAY" Type="E_DELAY" x="1200.0" y="-100.0"/>
    <DataConnections>
      <Connection Comment="" Destination="E_DELAY.DT" Source="DT" dx1="0.0" dx2="0.0" dy="0.0"/>
    </DataConnections>
    <EventConnections>
      <Connection Comment="" Destination="E_DELAY.START" Source="START" dx1="270.0" dx2="0.0" dy="0.0"/>
      <Connection Comment="" Destination="E_DELAY.STOP" Source="STOP" dx1="0.0" dx2="0.0" dy="0.0"/>
      <Connection Comment="" Destination="E_DELAY.START" Source="E_DELAY.EO" dx1="0.0" dx2="0.0" dy="-170.0"/>
      <Connection Comment="" Destination="EO" Source="E_DELAY.EO" dx1="0.0" dx2="0.0" dy="0.0"/>
    </EventConnections>
  </FBNetwork>
</FBType>
)";

const std::string kTimeInMs = R"(<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<FBType Comment="" Name="F_TIME_IN_MS_TO_LINT">
  <InterfaceList>
    <EventInputs>
      <Event Comment="Normal Execution Request" Name="REQ" Type="Event">
        <With Var="IN"/>
      </Event>
    </EventInputs>
    <EventOutputs>
      <Event Comment="Execution Confirmation" Name="CNF" Type="Event">
        <With Var="OUT"/>
      </Event>
    </EventOutputs>
    <InputVars>
      <VarDeclaration Comment="" Name="IN" Type="TIME"/>
    </InputVars>
    <OutputVars>
      <VarDeclaration Comment="" Name="OUT" Type="LINT"/>
    </OutputVars>
  </InterfaceList>
  <SimpleFB>
    <Algorithm Comment="" Name="REQ">
      <ST Text="OUT := TIME_IN_MS_TO_LINT(IN);"/>
    </Algorithm>
  </SimpleFB>
</FBType>
)";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const size_t k = s.find(from);
  REQUIRE(k != std::string::npos);
  return s.replace(k, from.size(), to);
}

// Loads `file` as `plc check` does; the report, or "FAILED: " and the report.
std::string check(FourdiacFolder& f, const std::string& file) {
  const bool ok = fourdiac::load_file((f.tmp.dir() / file).string(), {}, f.lib, f.scope, f.diags);
  return (ok && f.diags.ok() ? "" : "FAILED: ") + f.report();
}

}  // namespace

TEST_CASE("4diac's own body for a native type is not warned about, whatever its layout and comments",
          "[fourdiac][native][standard_body]") {
  FourdiacFolder f;
  SECTION("as 4diac ships it") { f.write("E_CTU.fbt", kCtu); }
  SECTION("moved, commented, reformatted, in other case, with the ALGORITHM wrapping") {
    std::string s = replaced(kCtu, R"(x="550.0" y="425.0")", R"(x="10" y="20")");
    s = replaced(s, R"(Comment="count up")", R"(Comment="counts")");
    s = replaced(s, R"(<ST Text="CV := CV + 1;&#13;&#10;Q  := (CV &gt;= PV);"/>)",
                 "<ST><![CDATA[ALGORITHM CU\n  cv := cv+1; (* one more *)\n  Q := (CV >= PV); // done\n"
                 "END_ALGORITHM]]></ST>");
    s = replaced(s, R"(Condition="CU[CV &lt; 65535]")", R"(Condition="CU[ CV &lt; 65535 ]")");
    s = replaced(s, "<ECC>", R"(<ECC><Attribute Name="a" Value="b"/>)");
    f.write("E_CTU.fbt", s);
  }
  CHECK(check(f, "E_CTU.fbt") == "");
  REQUIRE(f.lib.find("E_CTU"));
  CHECK(f.lib.find("E_CTU")->kind == FbKind::kNative);
}

TEST_CASE("a native type's file whose ECC or algorithms differ from 4diac's gets a warning that they are not used",
          "[fourdiac][native][standard_body]") {
  FourdiacFolder f;
  SECTION("an algorithm changed") {
    f.write("E_CTU.fbt", replaced(kCtu, "CV := CV + 1;", "CV := CV + 2;"));
    CHECK(check(f, "E_CTU.fbt") ==
          "E_CTU.fbt:29:3: warning: in FBType E_CTU/BasicFB: E_CTU is a native type of "
          "plc; the file's ECC and algorithms are not used\n");
  }
  SECTION("a transition's guard changed") {
    f.write("E_CTU.fbt", replaced(kCtu, "CU[CV &lt; 65535]", "CU[CV &lt; 100]"));
    CHECK(check(f, "E_CTU.fbt") ==
          "E_CTU.fbt:29:3: warning: in FBType E_CTU/BasicFB: E_CTU is a native type of "
          "plc; the file's ECC and algorithms are not used\n");
  }
  SECTION("a state without its output event") {
    f.write("E_CTU.fbt", replaced(kCtu, R"(<ECAction Algorithm="R" Output="RO"/>)", R"(<ECAction Algorithm="R"/>)"));
    CHECK_THAT(check(f, "E_CTU.fbt"), Catch::StartsWith("E_CTU.fbt:29:3: warning:"));
  }
  // A warning only: the type loads, and the native counter runs (CV + 1).
  REQUIRE(f.lib.find("E_CTU"));
  Rig rig({{{"C", "E_CTU", {{"PV", "5"}}, ""}}, {}, {}}, {}, f.lib);
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)"});
}

TEST_CASE("a native type's changed SimpleFB or network is named as such in the warning",
          "[fourdiac][native][standard_body]") {
  FourdiacFolder f;
  f.write("E_CYCLE.fbt", kCycle);
  f.write("F_TIME_IN_MS_TO_LINT.fbt", kTimeInMs);
  CHECK(check(f, "E_CYCLE.fbt") == "");
  CHECK(check(f, "F_TIME_IN_MS_TO_LINT.fbt") == "");
  FourdiacFolder g, h;
  g.write("E_CYCLE.fbt",
          replaced(kCycle, R"(Destination="EO" Source="E_DELAY.EO")", R"(Destination="EO" Source="START")"));
  h.write("F_TIME_IN_MS_TO_LINT.fbt", replaced(kTimeInMs, "TIME_IN_MS_TO_LINT(IN)", "TIME_IN_MS_TO_LINT(IN) + 1"));
  CHECK(check(g, "E_CYCLE.fbt") ==
        "E_CYCLE.fbt:18:3: warning: in FBType E_CYCLE/FBNetwork: E_CYCLE is a native type "
        "of plc; the file's network is not used\n");
  CHECK(check(h, "F_TIME_IN_MS_TO_LINT.fbt") ==
        "F_TIME_IN_MS_TO_LINT.fbt:21:3: warning: in FBType F_TIME_IN_MS_TO_LINT/SimpleFB: F_TIME_IN_MS_TO_LINT is a "
        "native type of plc; the file's algorithms are not used\n");
}

TEST_CASE("a body's fingerprint ignores the case of names and ST comments, not the text of a literal",
          "[fourdiac][native][standard_body]") {
  auto fingerprint = [](const std::string& st) {
    pugi::xml_document doc;
    REQUIRE(doc.load_string(
        ("<BasicFB><Algorithm Name=\"A\"><ST><![CDATA[" + st + "]]></ST></Algorithm></BasicFB>").c_str()));
    return fourdiac::body_fingerprint(doc.first_child());
  };
  const uint64_t base = fingerprint("S := 'a'; X := X + 1;");
  CHECK(fingerprint("s := 'a';\n(* more *) x:=x+1; // done") == base);
  CHECK(fingerprint("ALGORITHM A\nS := 'a'; X := X + 1;\nEND_ALGORITHM") == base);
  CHECK(fingerprint("S := 'A'; X := X + 1;") != base);
  CHECK(fingerprint("S := 'a '; X := X + 1;") != base);
  CHECK(fingerprint("S := 'a'; X := X + 2;") != base);
  CHECK(fingerprint("S := 'a'; (* X := X + 1; *)") != base);
}

TEST_CASE("a composite that plc does not implement natively is run from its file, without a warning",
          "[fourdiac][native][standard_body]") {
  // The E_CYCLE network under another name: not native, so it is used.
  FourdiacFolder f;
  std::string s = replaced(kCycle, R"(Name="E_CYCLE")", R"(Name="MY_CYCLE")");
  f.write("MY_CYCLE.fbt", s);
  CHECK(check(f, "MY_CYCLE.fbt") == "");
  REQUIRE(f.lib.find("MY_CYCLE"));
  CHECK(f.lib.find("MY_CYCLE")->kind == FbKind::kComposite);
}

TEST_CASE("a native type's body nested very deep is fingerprinted without running out of stack",
          "[fourdiac][native][standard_body][regression]") {
  FourdiacFolder f;
  std::string deep;
  for (int k = 0; k < 200000; ++k) deep += "<G>";
  for (int k = 0; k < 200000; ++k) deep += "</G>";
  f.write("E_CTU.fbt", replaced(kCtu, "<ECC>", "<ECC>" + deep));
  CHECK_THAT(check(f, "E_CTU.fbt"), Catch::StartsWith("E_CTU.fbt:29:3: warning:"));
}
