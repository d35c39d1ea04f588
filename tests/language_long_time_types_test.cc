// LTIME, LDATE, LTIME_OF_DAY (LTOD) and LDATE_AND_TIME (LDT), the long
// time types of IEC 61131-3 edition 3. TIME, DATE, TOD and DT are already
// signed 64-bit nanoseconds here (the range and resolution LTIME asks
// for), so each long type is its short one under another name: they mix
// without conversion, and LTIME_TO_TIME and the like are identities. One
// difference: LTIME converts to and from numbers in nanoseconds (its
// resolution), TIME in milliseconds.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {
using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("LTIME variables take LTIME# and LT# literals, to the nanosecond", "[st][time][ltime]") {
  StRun r("A : LTIME; B : LTIME; C : TIME; N : LINT; G : BOOL;",
          "A := LTIME#5s + LT#1ms2ns; B := A * 2; C := B; N := LTIME_TO_LINT(A); G := A > T#5s;",
          "I : LTIME := LT#-1h;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "T#5s1ms2ns");
  CHECK(r["B"] == "T#10s2ms4ns");
  CHECK(r["C"] == "T#10s2ms4ns");
  CHECK(r["N"] == "5001000002");
  CHECK(r["G"] == "TRUE");
  CHECK(r["I"] == "T#-1h");
}

TEST_CASE("LDATE, LTOD and LDT variables and literals", "[st][time][ltime]") {
  StRun r("D : LDATE; T : LTOD; DT2 : LDT; D2 : DATE; T2 : LTIME_OF_DAY; X : LDATE_AND_TIME; E : LTIME;",
          "D := LDATE#2024-02-29; T := LTOD#12:30:00.5; DT2 := LDT#2024-02-29-12:30:00; D2 := LDT_TO_LDATE(DT2);"
          "T2 := LDT_TO_LTOD(DT2); X := LDATE_AND_TIME#2000-01-01-00:00:00; E := DT2 - LDT#2024-02-29-00:00:00;"
          "D := LD#2024-03-01;");
  CHECK(r.run().empty());
  CHECK(r["D"] == "D#2024-03-01");
  CHECK(r["T"] == "TOD#12:30:00.500000000");
  CHECK(r["DT2"] == "DT#2024-02-29-12:30:00.000000000");
  CHECK(r["D2"] == "D#2024-02-29");
  CHECK(r["T2"] == "TOD#12:30:00.000000000");
  CHECK(r["X"] == "DT#2000-01-01-00:00:00.000000000");
  CHECK(r["E"] == "T#12h30m");
}

TEST_CASE("conversions between long and short time types are identities", "[st][time][ltime][conversions]") {
  StRun r(
      "A : TIME; B : LTIME; C : LINT; D : LREAL; E : LTIME; F : LTIME; G : LINT;",
      "A := LTIME_TO_TIME(LT#3s); B := TIME_TO_LTIME(T#4ms); C := LTIME_TO_LINT(LT#1us); D := LTIME_TO_LREAL(LT#2ns);"
      "E := LINT_TO_LTIME(1500); F := LREAL_TO_LTIME(2.5); G := TIME_TO_LINT(LTIME#1500ms);");
  CHECK(r.run().empty());
  CHECK(r["A"] == "T#3s");
  CHECK(r["B"] == "T#4ms");
  CHECK(r["C"] == "1000");
  CHECK(r["D"] == "2");
  CHECK(r["E"] == "T#1us500ns");
  CHECK(r["F"] == "T#3ns");  // rounded, halves away from zero
  CHECK(r["G"] == "1500");   // TIME_TO_: milliseconds
}

TEST_CASE("long time type errors are located", "[st][time][ltime][errors]") {
  CHECK(diagnostics(fb_with("A : LTIME;", "A := 5;")) ==
        Lines{"8:6: error: type mismatch: cannot use an integer literal as TIME for 'A'"});
  CHECK(diagnostics(fb_with("A : LTIME := LT#5x;", "")) ==
        Lines{"4:25: error: invalid initial value 'LT#5x' for 'A' of type LTIME"});
  CHECK(diagnostics(fb_with("A : LDATE;", "A := LTOD#1:00:00;")) ==
        Lines{"8:6: error: type mismatch: cannot use TIME_OF_DAY as DATE for 'A' (use TIME_OF_DAY_TO_DATE)"});
}
