// VAR CONSTANT (IEC 61131-3 6.5.6): read-only variables with an initial
// value; integer constants size arrays and label CASE branches.
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// An FB type T whose REQ runs `body`, with `constants` in VAR CONSTANT.
std::string fb_with_constants(const std::string& constants, const std::string& outputs, const std::string& body,
                              const std::string& internals = "") {
  std::string src = fb_with(outputs, body, internals);
  const std::string anchor = "EC_STATES";
  return src.insert(src.find(anchor), "VAR CONSTANT " + constants + " END_VAR\n");
}
}  // namespace

TEST_CASE("a VAR CONSTANT is read like a variable and sizes an array", "[st][constant]") {
  TypeLibrary lib = compiled(fb_with_constants(
      "N : INT := 4; Low : DINT := -1; Scale : REAL := 2.5; Name : STRING := 'plc';",
      "Sum : DINT; R : REAL; S : STRING;",
      "FOR I := Low TO N DO A[I] := I * 10; END_FOR; Sum := 0; FOR I := Low TO N DO Sum := Sum + A[I]; END_FOR;"
      "R := Scale * 2.0; S := Name;",
      "A : ARRAY[Low..N] OF DINT; I : DINT;"));
  Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib);
  rig.fire("X", "REQ");
  CHECK(format_value(DataType::kDint, rig.var("X", "Sum")) == "90");  // -10 + 0 + 10 + 20 + 30 + 40
  CHECK(rig.var("X", "R").r == 5.0);
  const auto& iface = rig.res->type_of(rig.fb("X")).iface;
  const VarDecl& a = iface.internals[*iface.find_internal("A")];
  CHECK(a.array_lo == -1);
  CHECK(a.array_size == 6);
}

TEST_CASE("integer constants label CASE branches", "[st][constant][CASE]") {
  TypeLibrary lib = compiled(fb_with_constants("Idle : USINT := 0; Busy : INT := 5; Done : INT := 9;", "Out : DINT;",
                                               "FOR K := 0 TO 9 DO CASE K OF Idle: Out := Out + 1; Busy..Done: Out := "
                                               "Out + 100; ELSE Out := Out + 10000; END_CASE; END_FOR;",
                                               "K : INT;"));
  Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib);
  rig.fire("X", "REQ");
  CHECK(format_value(DataType::kDint, rig.var("X", "Out")) == "40501");  // 1 + 4 * 10000 + 5 * 100
}

TEST_CASE("constants in FUNCTIONs and FUNCTION_BLOCKs", "[st][constant][function]") {
  StRun r("Y : INT; Z : INT;", "Y := Twice(21); C(); Z := C.Out;", "C : Counted;", "",
          "FUNCTION Twice : INT VAR_INPUT X : INT; END_VAR VAR CONSTANT K : INT := 2; END_VAR Twice := X * K; "
          "END_FUNCTION\n"
          "FUNCTION_BLOCK Counted VAR_OUTPUT Out : INT; END_VAR VAR CONSTANT Top : INT := 3; END_VAR "
          "VAR Buf : ARRAY[1..Top] OF INT := [1, 2, 3]; END_VAR Out := Buf[Top] * Top; END_FUNCTION_BLOCK\n");
  CHECK(r.run().empty());
  CHECK(r["Y"] == "42");
  CHECK(r["Z"] == "9");
}

TEST_CASE("constants cannot be assigned, and need a value", "[st][constant][diagnostics]") {
  auto d = [](const std::string& body, const std::string& internals = "") {
    return diagnostics(
        fb_with_constants("N : INT := 3; A : ARRAY[0..2] OF INT := [1, 2, 3];", "Q : INT;", body, internals));
  };
  CHECK(d("N := 4;") == std::vector<std::string>{"9:1: error: cannot assign to 'N': it is a constant (VAR CONSTANT)"});
  CHECK(d("A[1] := 4;") ==
        std::vector<std::string>{"9:1: error: cannot assign to 'A[]': it is a constant (VAR CONSTANT)"});
  CHECK(mentions(d("FOR N := 1 TO 2 DO END_FOR;"), "cannot assign to 'N': it is a constant"));
  CHECK(mentions(diagnostics(fb_with_constants("M : INT;", "Q : INT;", "Q := M;")),
                 "constant 'M' needs an initial value"));
  CHECK(mentions(diagnostics(fb_with("Q : INT;", "", "A : ARRAY[0..Nope] OF INT;")),
                 "array bound 'Nope' is not a constant of an integer type"));
  CHECK(mentions(diagnostics(fb_with_constants("R : REAL := 1.5;", "Q : INT;", "", "A : ARRAY[0..R] OF INT;")),
                 "array bound 'R' is not a constant of an integer type"));
  CHECK(
      mentions(diagnostics(fb_with_constants("Big : DINT := 100000;", "Q : INT;", "CASE Q OF Big: Q := 1; END_CASE;")),
               "CASE label 'Big' is DINT, the selector INT"));
  CHECK(mentions(diagnostics("FUNCTION_BLOCK T VAR_INPUT CONSTANT X : INT := 1; END_VAR Q := X; END_FUNCTION_BLOCK"),
                 "CONSTANT is allowed after VAR only"));
}

TEST_CASE("a global constant list is visible in every POU of the file", "[st][constant][global]") {
  StRun r("A : REAL; N : INT; Q : BOOL; D : TIME;",
          "A := Circle(1.0); FOR I := 1 TO Size DO N := N + Buf[I]; END_FOR; CASE N OF Size: Q := TRUE; END_CASE;"
          "D := Delay;",
          "Buf : ARRAY[1..Size] OF INT := [1, 1, 1]; I : INT;", "",
          "VAR_GLOBAL CONSTANT PI : REAL := 3.14159; Size : INT := 3; Delay : TIME := T#250ms; END_VAR\n"
          "FUNCTION Circle : REAL VAR_INPUT R : REAL; END_VAR Circle := PI * R * R; END_FUNCTION\n");
  CHECK(r.run().empty());
  CHECK(r.rig.var("X", "A").r == double(3.14159f));
  CHECK(r["N"] == "3");
  CHECK(r["Q"] == "TRUE");
  CHECK(r["D"] == "T#250ms");
  const std::string globals = "VAR_GLOBAL CONSTANT Size : INT := 3; END_VAR\n";
  CHECK(mentions(diagnostics(globals + fb_with("Q : INT;", "Size := 4;")),
                 "cannot assign to 'Size': it is a constant (VAR_GLOBAL CONSTANT)"));
  CHECK(mentions(diagnostics("VAR_GLOBAL G : INT := 3; END_VAR"),
                 "only constant global variables are supported: VAR_GLOBAL CONSTANT"));
  CHECK(mentions(diagnostics("VAR_GLOBAL CONSTANT S : STRING := 'x'; END_VAR"),
                 "global constant 'S' must be of an elementary type other than STRING"));
  CHECK(mentions(diagnostics("VAR_GLOBAL CONSTANT K : INT; END_VAR"), "constant 'K' needs an initial value"));
  // A variable of the same name hides the global constant.
  StRun shadow("Size : INT;", "Size := Size + 1;", "", "", globals);
  CHECK(shadow.run().empty());
  CHECK(shadow["Size"] == "1");
}
