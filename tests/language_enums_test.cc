// Enumerated types (IEC 61131-3 6.4.4.2): TYPE Color : (Red, Green, Blue);
// END_TYPE, values written typed (Color#Red) or untyped (Red), stored as
// integers, kept apart from every other type.
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const std::string kTypes =
    "TYPE\n"
    "  Color : (Red, Green, Blue);\n"
    "  Mode : (Off := 1, Slow := 5, Fast, Max := 100000);\n"
    "  Light : (Dark, Red2, Green2);\n"
    "END_TYPE\n";
}  // namespace

TEST_CASE("enumerated variables start at their first value and take typed and untyped values", "[st][enum]") {
  StRun r("C0 : Color; C : Color; M : Mode; M2 : Mode := Mode#Fast; Same : BOOL; Differ : BOOL; N : INT;",
          "C := Blue; M := Mode#Max; Same := C = Color#Blue; Differ := M2 <> Fast;"
          "IF C0 = Red THEN N := 1; END_IF;",
          "", "", kTypes);
  CHECK(r.run().empty());
  CHECK(r["C0"] == "0");  // Red, the first value
  CHECK(r["C"] == "2");
  CHECK(r["M"] == "100000");
  CHECK(r["M2"] == "6");  // after Slow := 5
  CHECK(r["Same"] == "TRUE");
  CHECK(r["Differ"] == "FALSE");
  CHECK(r["N"] == "1");
  const auto& iface = r.rig.res->type_of(r.rig.fb("X")).iface;
  CHECK(iface.outputs[*iface.find_output("C")].type == DataType::kInt);
  CHECK(iface.outputs[*iface.find_output("M")].type == DataType::kDint);  // 100000 needs a DINT
}

TEST_CASE("CASE over an enumerated value takes its values as labels", "[st][enum][CASE]") {
  StRun r("Out : INT;",
          "Cs[1] := Green; Cs[2] := Color#Blue;"
          "FOR I := 0 TO 2 DO CASE Cs[I] OF Red: Out := Out + 1; Color#Green: Out := Out + 10; ELSE Out := Out + 100; "
          "END_CASE; END_FOR;",
          "Cs : ARRAY[0..2] OF Color; I : INT;", "", kTypes);
  CHECK(r.run().empty());
  CHECK(r["Out"] == "111");  // Red (the array's initial value), Green, Blue in ELSE
}

TEST_CASE("enumerated values go through functions, structures and FB instances", "[st][enum]") {
  StRun r("C : Color; Q : BOOL;", "S.C := Next(Red); C := Next(S.C); P(In := C, Hit => Q);", "S : Pixel; P : Probe;",
          "",
          kTypes +
              "TYPE Pixel : STRUCT C : Color := Green; X : INT; END_STRUCT; END_TYPE\n"
              "FUNCTION Next : Color VAR_INPUT In : Color; END_VAR\n"
              "CASE In OF Red: Next := Green; Green: Next := Blue; Blue: Next := Red; END_CASE; END_FUNCTION\n"
              "FUNCTION_BLOCK Probe VAR_INPUT In : Color; END_VAR VAR_OUTPUT Hit : BOOL; END_VAR Hit := In = Blue; "
              "END_FUNCTION_BLOCK\n");
  CHECK(r.run().empty());
  CHECK(r["C"] == "2");
  CHECK(r["Q"] == "TRUE");
}

TEST_CASE("enumerated type diagnostics", "[st][enum][diagnostics]") {
  auto d = [](const std::string& outputs, const std::string& body) {
    return diagnostics(kTypes + fb_with(outputs, body));
  };
  CHECK(mentions(d("C : Color;", "C := 1;"), "type mismatch: cannot use an integer literal as Color"));
  CHECK(mentions(d("C : Color; I : INT;", "I := C;"), "type mismatch: cannot use Color as INT"));
  CHECK(mentions(d("C : Color; M : Mode;", "C := M;"), "type mismatch: cannot use Mode as Color"));
  CHECK(mentions(d("C : Color;", "C := C + 1;"), "operator + cannot be applied to Color and an integer literal"));
  CHECK(mentions(d("C : Color; B : BOOL;", "B := C < Blue;"), "operator < cannot be applied to Color and Color"));
  CHECK(mentions(d("C : Color; B : BOOL;", "B := C = Mode#Off;"), "operator = cannot be applied to Color and Mode"));
  CHECK(mentions(d("C : Color;", "C := Color#Purple;"), "enumerated type Color has no value 'Purple'"));
  CHECK(mentions(d("C : Color;", "C := Colour#Red;"), "unknown type 'Colour' in the typed literal 'Colour#Red'"));
  CHECK(mentions(d("C : Color; I : INT;", "I := ABS(C);"), "standard function ABS does not take enumerated values"));
  CHECK(mentions(d("C : Color; I : INT;", "CASE C OF Red: I := 1; Mode#Off: I := 2; 3: I := 3; END_CASE;"),
                 "CASE label 'Mode#Off' is not a value of Color"));
  CHECK(mentions(d("C : Color; I : INT;", "CASE C OF 3: I := 3; END_CASE;"), "CASE label '3' is not a value of Color"));
  CHECK(mentions(diagnostics("TYPE A : (X, Y); B : (Y, Z); END_TYPE\n" + fb_with("Q : BOOL;", "Q := Y = Y;")),
                 "'Y' is a value of A and of B: write A#Y or B#Y"));
  CHECK(mentions(diagnostics("TYPE A : (X, Y, X); END_TYPE"), "duplicate value 'X' in enumerated type A"));
  CHECK(mentions(diagnostics(kTypes + fb_with("C : Color := Purple;", "")), "invalid initial value 'Purple'"));
}

TEST_CASE("an enumerated type may name values of a given integer type", "[st][enum]") {
  StRun r("M : Mask; Hi : BOOL; N : Big;", "M := Mask#Top; Hi := M = Top; N := Last;", "", "",
          "TYPE Mask : BYTE (Low := 1, Mid := 16#10, Top := 16#80); Big : DWORD (First := 16#FF00_0000, Last); "
          "END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["M"] == "128");
  CHECK(r["Hi"] == "TRUE");
  CHECK(r["N"] == "4278190081");
  const auto& iface = r.rig.res->type_of(r.rig.fb("X")).iface;
  CHECK(iface.outputs[*iface.find_output("M")].type == DataType::kByte);
  CHECK(mentions(diagnostics("TYPE E : BYTE (A, B); END_TYPE\n" + fb_with("M : E; Q : BOOL;", "Q := M.1;")),
                 "bit access 'M.1' needs an integer or bit string, not E"));  // an enum is no bit string
  CHECK(mentions(diagnostics("TYPE E : BYTE (A := 255, B); END_TYPE"), "the value of 'B' is out of the range of BYTE"));
  CHECK(mentions(diagnostics("TYPE E : REAL (A := 1); END_TYPE"),
                 "must be of an integer or bit string type up to 32 bits, not 'REAL'"));
}
