// Malformed 4diac files: every problem is reported with its file, line
// and column (and the element path), and no input crashes the importer.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "runtime/fourdiac/fbt_importer.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// Every error names "file:line:col" (line and column at least 1).
bool located(const Diagnostics& d, const std::string& file) {
  for (const auto& x : d.list()) {
    if (x.warning) continue;
    if (x.where.rfind(file + ":", 0) != 0) return false;
    unsigned line = 0, col = 0;
    if (std::sscanf(x.where.c_str() + file.size(), ":%u:%u", &line, &col) != 2 || line == 0 || col == 0) return false;
  }
  return true;
}

const char* kValidFbt = R"(<?xml version="1.0" encoding="UTF-8"?>
<FBType Name="FUZZ" Comment="a valid type to mutate">
  <InterfaceList>
    <EventInputs>
      <Event Name="REQ" Type="Event"><With Var="IN"/></Event>
      <Event Name="R" Type="Event"/>
    </EventInputs>
    <EventOutputs><Event Name="CNF" Type="Event"><With Var="OUT"/></Event></EventOutputs>
    <InputVars><VarDeclaration Name="IN" Type="INT" InitialValue="3"/></InputVars>
    <OutputVars><VarDeclaration Name="OUT" Type="INT" ArraySize="2"/></OutputVars>
    <Sockets><AdapterDeclaration Name="adp" Type="A"/></Sockets>
  </InterfaceList>
  <BasicFB>
    <InternalVars><VarDeclaration Name="N" Type="UINT"/></InternalVars>
    <ECC>
      <ECState Name="START"/>
      <ECState Name="Run"><ECAction Algorithm="run" Output="CNF"/><ECAction Output="adp.REQ"/></ECState>
      <ECTransition Source="START" Destination="Run" Condition="REQ[IN &gt; 0 AND N &lt; 10]"/>
      <ECTransition Source="Run" Destination="START" Condition="1"/>
      <ECTransition Source="START" Destination="START" Condition="adp.CNF"/>
    </ECC>
    <Algorithm Name="run"><ST><![CDATA[ALGORITHM run
VAR_TEMP t : INT; END_VAR
t := IN * 2;
IF t > 4 THEN OUT[0] := t; ELSE OUT[1] := t; END_IF;
N := N + 1;
adp.DI := t;
END_ALGORITHM]]></ST></Algorithm>
  </BasicFB>
</FBType>
)";

const char* kAdapter = R"(<AdapterType Name="A"><InterfaceList>
  <EventInputs><Event Name="REQ"><With Var="DI"/></Event></EventInputs>
  <EventOutputs><Event Name="CNF"/></EventOutputs>
  <InputVars><VarDeclaration Name="DI" Type="INT"/></InputVars>
</InterfaceList></AdapterType>)";

const char* kValidSys = R"(<?xml version="1.0" encoding="UTF-8"?>
<System Name="S">
  <Application Name="App">
    <SubAppNetwork>
      <FB Name="C" Type="E_CTU"><Parameter Name="PV" Value="2"/></FB>
      <SubApp Name="Sub" Comment="trigger C.CU">
        <SubAppInterfaceList><SubAppEventInputs><SubAppEvent Name="Go"/></SubAppEventInputs></SubAppInterfaceList>
        <SubAppNetwork>
          <FB Name="F" Type="FUZZ"/>
          <FB Name="P" Type="E_PERMIT"><Parameter Name="PERMIT" Value="TRUE"/></FB>
          <EventConnections><Connection Source="Go" Destination="P.EI"/><Connection Source="P.EO" Destination="F.REQ"/></EventConnections>
        </SubAppNetwork>
      </SubApp>
      <EventConnections><Connection Source="C.CUO" Destination="Sub.Go"/></EventConnections>
      <DataConnections><Connection Source="C.CV" Destination="Sub.F.IN"/></DataConnections>
    </SubAppNetwork>
  </Application>
  <Device Name="D"><Resource Name="R"><FBNetwork/></Resource></Device>
  <Mapping From="App.C" To="D.R"/>
  <Mapping From="App.Sub" To="D.R"/>
</System>
)";

// One random change: a byte replaced, a range deleted or duplicated, a
// token inserted, or the end cut off.
std::string mutate(std::string s, std::mt19937& rng) {
  static const char* tokens[] = {"<",
                                 ">",
                                 "/>",
                                 "\"",
                                 "'",
                                 "&",
                                 "&lt;",
                                 "&#10;",
                                 "]]>",
                                 "<![CDATA[",
                                 "=",
                                 " ",
                                 "<FB Name=\"X\" Type=\"E_CTU\"/>",
                                 "<SubApp Name=\"Z\"><SubAppNetwork>",
                                 "</SubAppNetwork></SubApp>",
                                 "<Connection Source=\"a.b\" Destination=\"c\"/>",
                                 "Name=\"\"",
                                 "Type=\"ANY\"",
                                 "[",
                                 "]",
                                 "(*",
                                 "IF",
                                 "END_IF;",
                                 ":=",
                                 ".",
                                 "$",
                                 "\xff",
                                 "ArraySize=\"99999999\""};
  if (s.empty()) return s;
  auto pos = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n)(rng); };
  switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
    case 0: s[pos(s.size() - 1)] = char(std::uniform_int_distribution<int>(1, 255)(rng)); break;
    case 1: {
      size_t a = pos(s.size() - 1), n = pos(std::min<size_t>(40, s.size() - a));
      s.erase(a, n);
      break;
    }
    case 2: s.insert(pos(s.size()), tokens[pos(std::size(tokens) - 1)]); break;
    case 3: {
      size_t a = pos(s.size() - 1), n = pos(std::min<size_t>(200, s.size() - a));
      s.insert(pos(s.size()), s.substr(a, n));
      break;
    }
    default: s.resize(pos(s.size())); break;
  }
  return s;
}

}  // namespace

TEST_CASE("malformed XML is one error at the line and column where the parser stopped", "[fourdiac][malformed]") {
  FourdiacFolder f;
  f.write("X.fbt", "<?xml version=\"1.0\"?>\n<FBType Name=\"X\">\n  <InterfaceList>\n</FBType>\n");
  f.write("Y.fbt", "");
  CHECK_FALSE(f.require("X"));
  CHECK_FALSE(f.require("Y"));
  CHECK_THAT(f.report(), Catch::Contains("X.fbt:4:3: error: malformed XML: Start-end tags mismatch"));
  CHECK_THAT(f.report(), Catch::Contains("Y.fbt:1:1: error: malformed XML: No document element found"));
}

TEST_CASE("a missing or invalid attribute is reported with its element's path", "[fourdiac][malformed]") {
  FourdiacFolder f;
  f.write("X.fbt", fbt("X", "<EventInputs>\n<Event Type=\"Event\"/>\n<Event Name=\"a.b\"/>\n</EventInputs>\n", ""));
  CHECK_FALSE(f.require("X"));
  CHECK_THAT(
      f.report(),
      Catch::Contains("X.fbt:5:1: error: in FBType X/InterfaceList/EventInputs/Event: missing attribute 'Name'"));
  CHECK_THAT(f.report(),
             Catch::Contains(
                 "X.fbt:6:1: error: in FBType X/InterfaceList/EventInputs/Event a.b: 'a.b' is not a valid event name"));
}

TEST_CASE("ST errors point at their line and column inside the .fbt", "[fourdiac][malformed][st]") {
  FourdiacFolder f;
  f.write("X.fbt", fbt("X", req_cnf("INT"), R"(<BasicFB>
  <ECC>
    <ECState Name="START"/>
    <ECState Name="S"><ECAction Algorithm="REQ" Output="CNF"/></ECState>
    <ECTransition Source="START" Destination="S" Condition="REQ[IN &gt; ]"/>
    <ECTransition Source="S" Destination="START" Condition="REQQ"/>
  </ECC>
  <Algorithm Name="REQ"><ST><![CDATA[ALGORITHM REQ
  OUT := IN +;
  OUT := Nope;
END_ALGORITHM]]></ST></Algorithm>
</BasicFB>
)"));
  CHECK_FALSE(f.require("X"));
  const std::string r = f.report();
  // In the Condition attribute: the column counts "&gt;" as the one
  // character it stands for (library_element.h).
  CHECK_THAT(r, Catch::Contains("X.fbt:13:70: error: expected an expression, found ']'"));
  CHECK_THAT(r, Catch::Contains("X.fbt:17:14: error: expected an expression, found ';'"));  // in the CDATA
}

TEST_CASE("the language's checks of an imported type point into the .fbt", "[fourdiac][malformed][st]") {
  FourdiacFolder f;
  f.write("X.fbt", fbt("X", req_cnf("INT"), R"(<BasicFB>
  <ECC>
    <ECState Name="START"/>
    <ECState Name="S"><ECAction Algorithm="REQ" Output="CNF"/></ECState>
    <ECTransition Source="START" Destination="S" Condition="REQQ"/>
    <ECTransition Source="S" Destination="START" Condition="1"/>
  </ECC>
  <Algorithm Name="REQ"><ST><![CDATA[
  OUT := Nope;
]]></ST></Algorithm>
</BasicFB>
)"));
  CHECK_FALSE(f.require("X"));
  const std::string r = f.report();
  CHECK_THAT(r,
             Catch::Contains(
                 "X.fbt:13:61: error: unknown event input 'REQQ' in the transition START TO S (did you mean 'REQ'?)"));
  CHECK_THAT(r, Catch::Contains("X.fbt:17:10: error: unknown variable 'Nope'"));
}

TEST_CASE("no mutation of a valid .fbt or .sys crashes the importer; every error is located",
          "[fourdiac][malformed][fuzz]") {
  // A bounded, deterministic libFuzzer-style run: random mutations of
  // valid files, each imported and checked like a real one.
  // PLC_FOURDIAC_FUZZ_ROUNDS and _SEED make a longer run by hand.
  auto env = [](const char* name, long fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtol(v, nullptr, 10) : fallback;
  };
  const long rounds = env("PLC_FOURDIAC_FUZZ_ROUNDS", 2000);
  TempFolder helpers;
  helpers.write("A.adp", kAdapter);
  helpers.write("FUZZ.fbt", kValidFbt);
  std::mt19937 rng(uint32_t(env("PLC_FOURDIAC_FUZZ_SEED", 61499)));
  size_t imported = 0;
  for (long round = 0; round < rounds * 3 / 4; ++round) {
    std::string fbt_text = kValidFbt;
    const int n = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int k = 0; k < n; ++k) fbt_text = mutate(fbt_text, rng);
    TypeLibrary lib = base_library();
    lang::TypeScope scope;
    Diagnostics d;
    fourdiac::TypeFolder folder({helpers.dir() / "A.adp"}, lib, scope, d);
    fourdiac::LibraryElement x("FUZZ.fbt", fbt_text, d);
    bool ok = x.ok();
    if (ok) {
      auto t = fourdiac::import_fb_type(x, folder, false);
      ok = t.has_value();
      if (ok) {
        lang::FileAst file;
        file.fb_types.push_back(std::move(t->ast));
        ok = lang::check("FUZZ.fbt", file, lib, scope, d);
      }
    }
    imported += ok;
    INFO(fbt_text);
    INFO(d.str());
    CHECK((ok || d.error_count() > 0));
    CHECK(located(d, "FUZZ.fbt"));
  }
  for (long round = 0; round < rounds / 4; ++round) {
    std::string sys_text = kValidSys;
    const int n = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int k = 0; k < n; ++k) sys_text = mutate(sys_text, rng);
    TypeLibrary lib = base_library();
    lang::TypeScope scope;
    Diagnostics d;
    fourdiac::TypeFolder folder({helpers.dir()}, lib, scope, d);
    fourdiac::LibraryElement x("S.sys", sys_text, d);
    bool ok = x.ok();
    if (ok) {
      fourdiac::ImportedSystem sys = fourdiac::import_system(x, folder);
      ok = sys.complete && lang::check("S.sys", sys.file, lib, scope, d);
    }
    imported += ok;
    INFO(sys_text);
    INFO(d.str());
    CHECK((ok || d.error_count() > 0));
    // Errors of the system point into it; those of a type into its file.
    for (const auto& e : d.list()) CHECK((e.warning || e.where.find(":") != std::string::npos));
  }
  CHECK(imported > 0);  // some mutations are harmless
}

TEST_CASE("SubApps nested without end are refused past a depth, without exhausting the stack",
          "[fourdiac][malformed]") {
  FourdiacFolder f;
  std::string open, close;
  for (int k = 0; k < 20000; ++k) {
    open += "<SubApp Name=\"S\"><SubAppNetwork>";
    close += "</SubAppNetwork></SubApp>";
  }
  f.write("Deep.sys", "<System Name=\"Deep\"><Application Name=\"A\"><SubAppNetwork>" + open + close +
                          "</SubAppNetwork></Application></System>");
  CHECK_FALSE(f.system("Deep.sys"));
  CHECK_THAT(f.report(), Catch::Contains("error:") && Catch::Contains("SubApps nested deeper than 64 levels"));
}
