// 4diac's time functions in Structured Text: NOW_MONOTONIC and
// TIME_IN_{S,MS,US,NS}_TO_{LINT,ULINT,LREAL}, with the values of the
// F_TIME_IN_* FBs (iec61131_conversion.cc).
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

TEST_CASE("TIME_IN_*_TO_LINT and _TO_ULINT truncate toward zero", "[st][TIME]") {
  StRun r("S : LINT; MS : LINT; US : LINT; NS : LINT; NEG : LINT; US_U : ULINT; NEG_U : ULINT;",
          "S := TIME_IN_S_TO_LINT(T#2s999ms); MS := TIME_IN_MS_TO_LINT(T#1500ms999us);"
          "US := TIME_IN_US_TO_LINT(T#1ms2us999ns); NS := TIME_IN_NS_TO_LINT(T#1s1ns);"
          "NEG := TIME_IN_MS_TO_LINT(T#-1500ms999us); US_U := TIME_IN_US_TO_ULINT(T#3us);"
          "NEG_U := TIME_IN_NS_TO_ULINT(T#-1ns);");
  CHECK(r.run().empty());
  CHECK(r["S"] == "2");
  CHECK(r["MS"] == "1500");
  CHECK(r["US"] == "1002");
  CHECK(r["NS"] == "1000000001");
  CHECK(r["NEG"] == "-1500");
  CHECK(r["US_U"] == "3");
  CHECK(r["NEG_U"] == "18446744073709551615");  // wraps, as F_TIME_IN_NS_TO_ULINT
}

TEST_CASE("TIME_IN_*_TO_LREAL divides the nanoseconds exactly", "[st][TIME]") {
  StRun r("S : LREAL; MS : LREAL; US : LREAL; NS : LREAL; NEG : LREAL;",
          "S := TIME_IN_S_TO_LREAL(T#1s500ms); MS := TIME_IN_MS_TO_LREAL(T#1500ms250us);"
          "US := TIME_IN_US_TO_LREAL(T#7ns); NS := TIME_IN_NS_TO_LREAL(T#42ns);"
          "NEG := TIME_IN_S_TO_LREAL(T#-250ms);");
  CHECK(r.run().empty());
  CHECK(r.rig.var("X", "S").r == 1.5);
  CHECK(r.rig.var("X", "MS").r == 1500.25);
  CHECK(r.rig.var("X", "US").r == 7.0 / 1000.0);
  CHECK(r.rig.var("X", "NS").r == 42.0);
  CHECK(r.rig.var("X", "NEG").r == -0.25);
}

TEST_CASE("TIME_IN_* functions take a TIME and name a known unit and result", "[st][TIME][diagnostics]") {
  CHECK(diagnostics(fb_with("L : LINT;", "L := TIME_IN_H_TO_LINT(T#1s);"))[0].find("unknown function") !=
        std::string::npos);
  CHECK(diagnostics(fb_with("L : LINT;", "L := TIME_IN_S_TO_DINT(T#1s);"))[0].find("unknown function") !=
        std::string::npos);
  CHECK(!diagnostics(fb_with("L : LINT;", "L := TIME_IN_S_TO_LINT(5);")).empty());
}

TEST_CASE("NOW_MONOTONIC returns the resource's virtual time", "[st][TIME][virtual-clock]") {
  StRun r("T0 : TIME; D : TIME;", "D := NOW_MONOTONIC() - T0; T0 := NOW_MONOTONIC();");
  const Time start = r.rig.clock.now();
  CHECK(r.run().empty());
  CHECK(r.rig.var("X", "T0").i == start.count());
  r.rig.advance(1500ms);
  CHECK(r.run().empty());
  CHECK(r["D"] == "T#1s500ms");
  CHECK(r.rig.var("X", "T0").i == (start + 1500ms).count());
  r.rig.advance(Time(7));
  CHECK(r.run().empty());
  CHECK(r.rig.var("X", "D").i == 7);
}
