// User FUNCTIONs (IEC 61131-3 6.6.2) in the textual language: declared
// next to the FB types, called from ST with positional and formal
// arguments, inlined at every call (st_compiler.h check_functions).
#include <catch2/catch.hpp>

#include "runtime/language/parser.h"
#include "tests/allocation_counter.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

using Lines = std::vector<std::string>;

const char* kScale =
    "FUNCTION Scale : REAL\n"
    "VAR_INPUT X : INT; Gain : REAL := 2.0; Offset : REAL; END_VAR\n"
    "Scale := INT_TO_REAL(X) * Gain + Offset;\n"
    "END_FUNCTION\n";

}  // namespace

TEST_CASE("a FUNCTION called with positional arguments returns the value assigned to its name", "[functions]") {
  StRun r("A : REAL; B : REAL;", "A := Scale(3, 1.5, 0.25); B := Scale(-2, 0.5, 10.0) + 1.0;", "", "", kScale);
  CHECK(r.run().empty());
  CHECK(r["A"] == "4.75");
  CHECK(r["B"] == "10");
}

TEST_CASE("formal arguments may come in any order and inputs left out keep their initial values", "[functions]") {
  StRun r("A : REAL; B : REAL;", "A := Scale(Offset := 1.0, X := 5); B := Scale(4, Offset := 0.5);", "", "", kScale);
  CHECK(r.run().empty());
  CHECK(r["A"] == "11");   // 5 * 2.0 (initial Gain) + 1.0
  CHECK(r["B"] == "8.5");  // 4 * 2.0 + 0.5
}

TEST_CASE("outputs are copied to the caller's variables with =>", "[functions]") {
  const char* fn =
      "FUNCTION DivMod : BOOL\n"
      "VAR_INPUT A, B : DINT; END_VAR\n"
      "VAR_OUTPUT Q, R : DINT; END_VAR\n"
      "IF B = 0 THEN DivMod := FALSE; RETURN; END_IF;\n"
      "Q := A / B; R := A MOD B; DivMod := TRUE;\n"
      "END_FUNCTION\n";
  StRun r("Ok : BOOL; Bad : BOOL; Q : DINT := 99; R : LINT; Q0 : DINT := 7;",
          "Ok := DivMod(A := 17, B := 5, Q => Q, R => R); Bad := DivMod(A := 1, B := 0, Q => Q0);", "", "", fn);
  CHECK(r.run().empty());
  CHECK(r["Ok"] == "TRUE");
  CHECK(r["Q"] == "3");
  CHECK(r["R"] == "2");  // DINT widens into the LINT variable
  CHECK(r["Bad"] == "FALSE");
  CHECK(r["Q0"] == "0");  // RETURN before Q was set: Q is its initial value, copied out
}

TEST_CASE("functions call other functions, declared before or after them", "[functions]") {
  const char* fns =
      "FUNCTION Sq : DINT VAR_INPUT X : DINT; END_VAR Sq := X * X; END_FUNCTION\n"
      "FUNCTION Hyp2 : DINT VAR_INPUT A, B : DINT; END_VAR Hyp2 := Sq(A) + Twice(Sq(B)) / 2; END_FUNCTION\n"
      "FUNCTION Twice : DINT VAR_INPUT X : DINT; END_VAR Twice := X + X; END_FUNCTION\n";
  StRun r("H : DINT; N : DINT;", "H := Hyp2(3, 4); N := Sq(Sq(Sq(2))) + Hyp2(Sq(1), Twice(1));", "", "", fns);
  CHECK(r.run().empty());
  CHECK(r["H"] == "25");
  CHECK(r["N"] == "261");  // 256 + (1 + 4)
}

TEST_CASE("a function's locals start from their initial values at every call", "[functions]") {
  const char* fn =
      "FUNCTION Count : INT\n"
      "VAR_INPUT N : INT; END_VAR\n"
      "VAR Acc : INT := 100; I : INT; END_VAR\n"
      "FOR I := 1 TO N DO Acc := Acc + I; END_FOR;\n"
      "Count := Acc;\n"
      "END_FUNCTION\n";
  StRun r("A : INT; B : INT; C : INT;", "FOR C := 1 TO 3 DO A := A + Count(4); END_FOR; B := Count(0);", "", "", fn);
  CHECK(r.run().empty());
  CHECK(r["A"] == "330");
  CHECK(r["B"] == "100");
}

TEST_CASE("a function without a result is called as a statement; its inputs are copies", "[functions]") {
  const char* fn =
      "FUNCTION Clamp\n"
      "VAR_INPUT V, Lo, Hi : INT; END_VAR VAR_OUTPUT Out : INT; END_VAR\n"
      "IF V < Lo THEN V := Lo; ELSIF V > Hi THEN V := Hi; END_IF; Out := V;\n"
      "END_FUNCTION\n";
  StRun r("A : INT; B : INT; V : INT := 50;", "Clamp(V := V, Lo := 0, Hi := 10, Out => A); B := V;", "", "", fn);
  CHECK(r.run().empty());
  CHECK(r["A"] == "10");
  CHECK(r["B"] == "50");
}

TEST_CASE("functions on STRINGs return STRINGs", "[functions][strings]") {
  const char* fn =
      "FUNCTION Greet : STRING[20]\n"
      "VAR_INPUT Name : STRING[10]; END_VAR\n"
      "Greet := CONCAT('Hello, ', Name, '!');\n"
      "END_FUNCTION\n";
  StRun r("S : STRING[30]; L : INT;", "S := Greet('Ada'); L := LEN(Greet('abcdefghijklmnop'));", "", "", fn);
  CHECK(r.run().empty());
  CHECK(r["S"] == "Hello, Ada!");
  CHECK(r["L"] == "18");  // the argument is cut to STRING[10], the result to STRING[20]
}

TEST_CASE("a function may be called in an ECC guard", "[functions][ecc]") {
  const char* src =
      "FUNCTION Big : BOOL VAR_INPUT X : INT; END_VAR Big := X > 10; END_FUNCTION\n"
      "FUNCTION_BLOCK G\n"
      "EVENT_INPUT REQ WITH V; END_EVENT EVENT_OUTPUT HI; LO; END_EVENT\n"
      "VAR_INPUT V : INT; END_VAR\n"
      "EC_STATES S0; SH : -> HI; SL : -> LO; END_STATES\n"
      "EC_TRANSITIONS S0 TO SH := REQ[Big(V)]; S0 TO SL := REQ[NOT Big(V)]; SH TO S0 := 1; SL TO S0 := 1;\n"
      "END_TRANSITIONS\n"
      "END_FUNCTION_BLOCK\n";
  TypeLibrary lib = compiled(src);
  Rig rig({{{"X", "G", {}, ""}}, {}, {}}, {}, lib);
  rig.var("X", "V") = Value::of_int(11);
  CHECK(rig.fire("X", "REQ") == Events{"X.HI"});
  rig.var("X", "V") = Value::of_int(10);
  CHECK(rig.fire("X", "REQ") == Events{"X.LO"});
}

TEST_CASE("calling an inlined function allocates nothing", "[functions][allocation]") {
  TypeLibrary lib = compiled(std::string(kScale) +
                             fb_with("A : REAL;", "A := A + Scale(3, 1.5, 0.25) + Scale(Offset := 1.0, X := 2);"));
  auto loaded = Resource::load({{{"X", "T", {}, ""}}, {}, {}}, lib);
  REQUIRE(loaded);
  Resource& res = *loaded.value();
  const FbIndex x = *res.find_fb("X");
  auto cycle = [&] {
    res.inject(x, EventId{0});
    while (res.step(Time{0}).more_work) {
    }
  };
  cycle();
  const uint64_t before = allocations();
  for (int k = 0; k < 100; ++k) cycle();
  CHECK(allocations() - before == 0);
  const auto& iface = res.type_of(x).iface;
  CHECK(res.vars(x)[iface.output_slot(*iface.find_output("A"))].r == 101 * 9.75);
}

TEST_CASE("functions of a file compiled earlier are visible to later files; a failed file adds none", "[functions]") {
  TypeLibrary lib = base_library();
  lang::TypeScope scope;
  Diagnostics d;
  REQUIRE(lang::compile("a.st", "FUNCTION Inc : INT VAR_INPUT X : INT; END_VAR Inc := X + 1; END_FUNCTION\n", lib,
                        scope, d));
  CHECK(
      !lang::compile("b.st", "FUNCTION Dec : INT VAR_INPUT X : INT; END_VAR Dec := Y; END_FUNCTION\n", lib, scope, d));
  CHECK(!scope.find_function("Dec"));
  REQUIRE(lang::compile("c.st", fb_with("A : INT;", "A := Inc(Inc(40));"), lib, scope, d));
  Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib);
  rig.fire("X", "REQ");
  CHECK(format_value(DataType::kInt, rig.var("X", "A")) == "42");
}

// ---------------------------------------------------------------- diagnostics

namespace {

// The diagnostics of `functions` followed by an FB whose algorithm is `body`.
Lines fn_diagnostics(const std::string& functions, const std::string& body = "A := 0;") {
  return diagnostics(functions + fb_with("A : INT;", body));
}

}  // namespace

TEST_CASE("recursion, direct or mutual, is refused where the call that closes the cycle is written",
          "[functions][diagnostics]") {
  CHECK(fn_diagnostics("FUNCTION F : INT VAR_INPUT X : INT; END_VAR F := F(X); END_FUNCTION\n", "A := F(1);") ==
        Lines{"1:50: error: recursive call of function 'F' (F -> F): IEC 61131-3 functions cannot call themselves"});
  CHECK(
      fn_diagnostics("FUNCTION F : INT VAR_INPUT X : INT; END_VAR F := G(X); END_FUNCTION\n"
                     "FUNCTION G : INT VAR_INPUT X : INT; END_VAR G := F(X) + 1; END_FUNCTION\n",
                     "A := F(1);") ==
      Lines{"2:50: error: recursive call of function 'F' (F -> G -> F): IEC 61131-3 functions cannot call themselves"});
}

TEST_CASE("calls name a known function with the inputs and outputs it declares", "[functions][diagnostics]") {
  CHECK(fn_diagnostics(kScale,
                       "A := Scal(1, 2.0, 3.0); A := Scale(1); A := Scale(X := 1, Gain => A); A := Scale(Z := 1); "
                       "A := Scale('a', 1.0, 1.0);") ==
        Lines{"12:6: error: unknown function 'Scal' (did you mean 'Scale'?)",
              "12:30: error: function 'Scale' takes 3 inputs, 1 given",
              "12:67: error: 'Gain' is an input of function 'Scale': give it with Gain :=",
              "12:87: error: function 'Scale' has no input 'Z'",
              "12:102: error: type mismatch: cannot use STRING[1] as INT for input 'X' of function 'Scale' (use "
              "STRING_TO_INT)"});
  CHECK(fn_diagnostics("FUNCTION F : INT VAR_INPUT X : INT; END_VAR F := X; END_FUNCTION\n", "A := F(X := 1, 2);") ==
        Lines{"9:16: error: positional argument after a formal one in the call of 'F'"});
  CHECK(fn_diagnostics("FUNCTION P VAR_INPUT X : INT; END_VAR END_FUNCTION\n"
                       "FUNCTION Q : INT VAR_OUTPUT O : STRING; END_VAR Q := 1; END_FUNCTION\n",
                       "A := P(1); Q(O => A); A := Q(O := 1);") ==
        Lines{"10:6: error: function 'P' has no result: call it as a statement",
              "10:19: error: type mismatch: cannot use STRING as INT for 'A' (output 'O' of function 'Q') (use "
              "STRING_TO_INT)",
              "10:35: error: 'O' is an output of function 'Q': read it with O =>"});
  CHECK(fn_diagnostics("", "A := ABS(1, X => A);") ==
        Lines{"8:18: error: function ABS has no output parameters ('=>')"});
}

TEST_CASE("a function sees only its own variables and is checked once, even when unused", "[functions][diagnostics]") {
  CHECK(fn_diagnostics("FUNCTION F : INT VAR_INPUT X : INT; END_VAR A := X; END_FUNCTION\n") ==
        Lines{"1:45: error: unknown variable 'A' in function 'F'"});
  CHECK(fn_diagnostics("FUNCTION R : INT VAR_INPUT X : UNKNOWN_T; END_VAR R := X; END_FUNCTION\n", "A := R(1);") ==
        Lines{"1:32: error: unknown data type 'UNKNOWN_T'"});
  CHECK(fn_diagnostics("FUNCTION H : INT VAR_INPUT X : BOOL; END_VAR VAR X : INT; END_VAR EXIT; CONTINUE; H := 1; "
                       "END_FUNCTION\n") == Lines{"1:50: error: duplicate variable 'X' in function 'H'",
                                                  "1:67: error: EXIT outside of a loop",
                                                  "1:73: error: CONTINUE outside of a loop"});
}

TEST_CASE("function names are unique and no standard function's", "[functions][diagnostics]") {
  CHECK(fn_diagnostics("FUNCTION F : INT F := 1; END_FUNCTION\nFUNCTION ADD : INT ADD := 1; END_FUNCTION\n"
                       "FUNCTION f : INT f := 2; END_FUNCTION\nFUNCTION INT_TO_REAL : INT END_FUNCTION\n") ==
        Lines{"2:10: error: 'ADD' is a standard function of IEC 61131-3 and cannot be redefined",
              "3:10: error: duplicate function 'f'",
              "4:10: error: 'INT_TO_REAL' is a standard function of IEC 61131-3 and cannot be redefined"});
}

TEST_CASE("a function that never assigns its result is a warning: the file still compiles",
          "[functions][diagnostics]") {
  CHECK(fn_diagnostics("FUNCTION F : INT VAR_INPUT X : INT; END_VAR VAR Y : INT; END_VAR Y := X; END_FUNCTION\n",
                       "A := F(1);") ==
        Lines{"1:10: warning: function 'F' never assigns its result: it returns the initial value of INT"});
}

TEST_CASE("a VAR_IN_OUT argument is passed by reference to the caller's variable", "[functions][in_out]") {
  const char* fns =
      "FUNCTION Swap VAR_IN_OUT A, B : INT; END_VAR VAR T : INT; END_VAR T := A; A := B; B := T; END_FUNCTION\n"
      "FUNCTION Append : INT\n"
      "VAR_IN_OUT S : STRING[20]; END_VAR VAR_INPUT C : STRING[5]; END_VAR\n"
      "S := CONCAT(S, C); Append := LEN(S);\n"
      "END_FUNCTION\n"
      "FUNCTION Inc1 VAR_IN_OUT V : DINT; END_VAR V := V + 1; END_FUNCTION\n"
      "FUNCTION Inc2 VAR_IN_OUT V : DINT; END_VAR Inc1(V); Inc1(V := V); END_FUNCTION\n";
  StRun r("X : INT := 1; Y : INT := 2; N : INT; Buf : STRING[20] := 'x'; D : DINT; PV : DINT;",
          "Swap(X, Y); Swap(B := Arr[I], A := Arr[I + 2]); N := Append(Buf, 'ab'); N := Append(C := 'cd', S := Buf);"
          "Inc2(D); Inc2(P.V); PV := P.V; Swap(A := Arr[1], B := X);",
          "Arr : ARRAY[1..3] OF INT := [10, 20, 30]; I : INT := 1; P : Pair;", "",
          "TYPE Pair : STRUCT V : DINT := 40; W : DINT; END_STRUCT; END_TYPE\n" + std::string(fns));
  CHECK(r.run().empty());
  CHECK(r["Y"] == "1");          // Swap(X, Y)
  CHECK(r.at("Arr", 0) == "2");  // Arr[1] and Arr[3] swapped, then Arr[1] and X
  CHECK(r.at("Arr", 1) == "20");
  CHECK(r.at("Arr", 2) == "10");
  CHECK(r["X"] == "30");
  CHECK(r["Buf"] == "xabcd");
  CHECK(r["N"] == "5");
  CHECK(r["D"] == "2");
  CHECK(r["PV"] == "42");
}

TEST_CASE("a VAR_IN_OUT takes a variable of its exact type that the caller may write",
          "[functions][in_out][diagnostics]") {
  const char* fn = "FUNCTION Inc VAR_IN_OUT V : DINT; END_VAR V := V + 1; END_FUNCTION\n";
  CHECK(diagnostics(fn + fb_with("A : INT; D : DINT;",
                                 "Inc(D + 1); Inc(A); Inc(V := Z); Inc(); FOR D := 1 TO 2 DO Inc(D); END_FOR;", "",
                                 "Z : DINT;")) ==
        Lines{"10:5: error: VAR_IN_OUT 'V' of function 'Inc' needs a variable, not an expression",
              "10:17: error: type mismatch: VAR_IN_OUT 'V' of function 'Inc' is DINT, 'A' is INT (a VAR_IN_OUT takes a "
              "variable of its exact type)",
              "10:30: error: cannot pass input variable 'Z' to VAR_IN_OUT 'V' of function 'Inc': inputs are read-only",
              "10:34: error: function 'Inc' takes 1 input, 0 given",
              "10:64: error: cannot assign to FOR control variable 'D' inside its loop"});
  CHECK(diagnostics(fn + fb_with("D : DINT;", "Inc(V => D);")) ==
        Lines{"9:10: error: 'V' is a VAR_IN_OUT of function 'Inc': give it with V :="});
  CHECK(diagnostics("FUNCTION Two VAR_INPUT X : INT; END_VAR VAR_IN_OUT V : DINT; END_VAR V := X; END_FUNCTION\n" +
                    fb_with("D : DINT;", "Two(X := 1);")) ==
        Lines{"9:1: error: VAR_IN_OUT 'V' of function 'Two' is not given"});
}

TEST_CASE("a function's syntax errors are located", "[functions][diagnostics]") {
  CHECK(fn_diagnostics("FUNCTION F : INT F := 1;\n") ==
        Lines{"2:1: error: expected END_FUNCTION for the FUNCTION at line 1, found 'FUNCTION_BLOCK'"});
  CHECK(fn_diagnostics("FUNCTION : INT END_FUNCTION\n") ==
        Lines{"1:10: error: expected the function's name after FUNCTION, found ':'"});
}

TEST_CASE("functions calling each other many times stop at the inlining limits", "[functions][diagnostics]") {
  // F<k> calls F<k-1> twice: 2^12 inlined calls of F0 in F12.
  std::string fns = "FUNCTION F0 : INT VAR_INPUT X : INT; END_VAR F0 := X + 1; END_FUNCTION\n";
  for (int k = 1; k <= 12; ++k)
    fns += "FUNCTION F" + std::to_string(k) + " : INT VAR_INPUT X : INT; END_VAR F" + std::to_string(k) + " := F" +
           std::to_string(k - 1) + "(X) + F" + std::to_string(k - 1) + "(X); END_FUNCTION\n";
  // F10 is the first past the limit; F11 and F12 use it and report nothing more.
  CHECK(diagnostics(fns + fb_with("A : INT;", "A := F12(1);")) ==
        Lines{"11:62: error: function 'F1' cannot be inlined here: t.st:2:60: error: function 'F10' calls functions "
              "more than 2000 times once they are inlined"});
  // Nine levels (1022 calls) are fine: F9(1) = 2^9 * 2.
  StRun r("A : INT;", "A := F9(1);", "", "", fns.substr(0, fns.find("FUNCTION F10")));
  CHECK(r.run().empty());
  CHECK(r["A"] == "1024");
}

TEST_CASE("bodies nested deeply through inlined calls are refused, not a stack overflow", "[functions][diagnostics]") {
  // Each F<k> nests 60 IFs around its call of F<k-1>: 420 levels in F7, past the 400 allowed.
  std::string fns = "FUNCTION F0 : INT VAR_INPUT X : INT; END_VAR F0 := X; END_FUNCTION\n";
  for (int k = 1; k <= 7; ++k) {
    std::string ifs, ends;
    for (int d = 0; d < 60; ++d) ifs += "IF X > 0 THEN ", ends += " END_IF;";
    fns += "FUNCTION F" + std::to_string(k) + " : INT VAR_INPUT X : INT; END_VAR " + ifs + "F" + std::to_string(k) +
           " := F" + std::to_string(k - 1) + "(X);" + ends + " END_FUNCTION\n";
  }
  Lines d = diagnostics(fns + fb_with("A : INT;", "A := F7(1);"));
  REQUIRE(d.size() == 1);
  const std::string tail = "error: statements nested too deeply once functions are inlined";
  CHECK(d[0].substr(d[0].size() - tail.size()) == tail);
  StRun r("A : INT;", "A := F6(3);", "", "", fns.substr(0, fns.find("FUNCTION F7")));
  CHECK(r.run().empty());
  CHECK(r["A"] == "3");
}

TEST_CASE("a function may return a structure or an array", "[functions]") {
  const char* prelude =
      "TYPE Pair : STRUCT Lo : INT; Hi : INT; END_STRUCT; END_TYPE\n"
      "FUNCTION Order : Pair VAR_INPUT A, B : INT; END_VAR\n"
      "IF A < B THEN Order.Lo := A; Order.Hi := B; ELSE Order.Lo := B; Order.Hi := A; END_IF;\n"
      "END_FUNCTION\n"
      "FUNCTION Ramp : ARRAY[0..3] OF INT VAR_INPUT Step : INT; END_VAR VAR I : INT; END_VAR\n"
      "FOR I := 0 TO 3 DO Ramp[I] := I * Step; END_FOR;\n"
      "END_FUNCTION\n";
  StRun r("Lo : INT; Hi : INT; R2 : INT;", "P := Order(9, 4); Lo := P.Lo; Hi := P.Hi; Arr := Ramp(5); R2 := Arr[2];",
          "P : Pair; Arr : ARRAY[0..3] OF INT;", "", prelude);
  CHECK(r.run().empty());
  CHECK(r["Lo"] == "4");
  CHECK(r["Hi"] == "9");
  CHECK(r["R2"] == "10");
}

TEST_CASE("the parser keeps a function's sections and its positional order", "[functions][parser]") {
  Diagnostics d;
  lang::FileAst f =
      lang::parse_file("f.st",
                       "FUNCTION F : STRING[8]\n"
                       "VAR_IN_OUT Buf : INT; END_VAR VAR_INPUT A : INT; END_VAR\n"
                       "VAR_OUTPUT Q : BOOL; END_VAR VAR_TEMP T : INT; END_VAR VAR_INPUT B : INT; END_VAR\n"
                       "F := 'x'; RETURN;\n"
                       "END_FUNCTION\n",
                       d);
  CHECK(d.list().empty());
  REQUIRE(f.functions.size() == 1);
  const lang::FunctionAst& fn = *f.functions[0];
  CHECK(fn.name.text == "F");
  CHECK(fn.result.name == "STRING");
  CHECK(fn.result.string_length == 8);
  CHECK(fn.inputs.size() == 2);
  CHECK(fn.in_outs.size() == 1);
  CHECK(fn.outputs.size() == 1);
  CHECK(fn.locals.size() == 1);
  CHECK(fn.body.size() == 2);
  CHECK(fn.positional == std::vector<std::pair<bool, size_t>>{{true, 0}, {false, 0}, {false, 1}});
}
