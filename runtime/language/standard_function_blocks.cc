#include "runtime/language/standard_function_blocks.h"

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "runtime/language/parser.h"
#include "runtime/language/st_compiler.h"
#include "runtime/type_library.h"

namespace plc::lang {
namespace {

constexpr std::string_view kSource = R"(
FUNCTION_BLOCK SR
VAR_INPUT S1, R : BOOL; END_VAR
VAR_OUTPUT Q1 : BOOL; END_VAR
Q1 := S1 OR (NOT R AND Q1);
END_FUNCTION_BLOCK

FUNCTION_BLOCK RS
VAR_INPUT S, R1 : BOOL; END_VAR
VAR_OUTPUT Q1 : BOOL; END_VAR
Q1 := NOT R1 AND (S OR Q1);
END_FUNCTION_BLOCK

FUNCTION_BLOCK R_TRIG
VAR_INPUT CLK : BOOL; END_VAR
VAR_OUTPUT Q : BOOL; END_VAR
VAR M : BOOL; END_VAR
Q := CLK AND NOT M;
M := CLK;
END_FUNCTION_BLOCK

FUNCTION_BLOCK F_TRIG
VAR_INPUT CLK : BOOL; END_VAR
VAR_OUTPUT Q : BOOL; END_VAR
VAR M : BOOL := TRUE; END_VAR
Q := NOT CLK AND NOT M;
M := NOT CLK;
END_FUNCTION_BLOCK

FUNCTION_BLOCK CTU
VAR_INPUT CU, R : BOOL; PV : INT; END_VAR
VAR_OUTPUT Q : BOOL; CV : INT; END_VAR
VAR CU_M : BOOL; END_VAR
IF R THEN
  CV := 0;
ELSIF CU AND NOT CU_M AND CV < 32767 THEN
  CV := CV + 1;
END_IF;
CU_M := CU;
Q := CV >= PV;
END_FUNCTION_BLOCK

FUNCTION_BLOCK CTD
VAR_INPUT CD, LD : BOOL; PV : INT; END_VAR
VAR_OUTPUT Q : BOOL; CV : INT; END_VAR
VAR CD_M : BOOL; END_VAR
IF LD THEN
  CV := PV;
ELSIF CD AND NOT CD_M AND CV > -32768 THEN
  CV := CV - 1;
END_IF;
CD_M := CD;
Q := CV <= 0;
END_FUNCTION_BLOCK

FUNCTION_BLOCK CTUD
VAR_INPUT CU, CD, R, LD : BOOL; PV : INT; END_VAR
VAR_OUTPUT QU, QD : BOOL; CV : INT; END_VAR
VAR CU_M, CD_M : BOOL; END_VAR
VAR_TEMP UP, DOWN : BOOL; END_VAR
UP := CU AND NOT CU_M;
DOWN := CD AND NOT CD_M;
CU_M := CU;
CD_M := CD;
IF R THEN
  CV := 0;
ELSIF LD THEN
  CV := PV;
ELSIF NOT (UP AND DOWN) THEN
  IF UP AND CV < 32767 THEN
    CV := CV + 1;
  ELSIF DOWN AND CV > -32768 THEN
    CV := CV - 1;
  END_IF;
END_IF;
QU := CV >= PV;
QD := CV <= 0;
END_FUNCTION_BLOCK

FUNCTION_BLOCK TP
VAR_INPUT IN : BOOL; PT : TIME; END_VAR
VAR_OUTPUT Q : BOOL; ET : TIME; END_VAR
VAR START : TIME; PHASE : USINT; END_VAR (* 0: idle, 1: pulse, 2: pulse done, IN still TRUE *)
VAR_TEMP E, P : TIME; END_VAR
IF PHASE = 0 AND IN THEN
  PHASE := 1;
  START := NOW_MONOTONIC();
  Q := TRUE;
END_IF;
IF PHASE = 1 THEN
  E := NOW_MONOTONIC() - START;
  P := MAX(PT, T#0s);
  ET := MIN(E, P);
  IF E >= P THEN
    Q := FALSE;
    PHASE := 2;
  END_IF;
END_IF;
IF PHASE = 2 AND NOT IN THEN
  ET := T#0s;
  PHASE := 0;
END_IF;
END_FUNCTION_BLOCK

FUNCTION_BLOCK TON
VAR_INPUT IN : BOOL; PT : TIME; END_VAR
VAR_OUTPUT Q : BOOL; ET : TIME; END_VAR
VAR START : TIME; TIMING : BOOL; END_VAR
VAR_TEMP E, P : TIME; END_VAR
IF NOT IN THEN
  Q := FALSE;
  ET := T#0s;
  TIMING := FALSE;
ELSE
  IF NOT TIMING THEN
    TIMING := TRUE;
    START := NOW_MONOTONIC();
  END_IF;
  E := NOW_MONOTONIC() - START;
  P := MAX(PT, T#0s);
  ET := MIN(E, P);
  Q := E >= P;
END_IF;
END_FUNCTION_BLOCK

FUNCTION_BLOCK TOF
VAR_INPUT IN : BOOL; PT : TIME; END_VAR
VAR_OUTPUT Q : BOOL; ET : TIME; END_VAR
VAR START : TIME; TIMING : BOOL; END_VAR
VAR_TEMP E, P : TIME; END_VAR
IF IN THEN
  Q := TRUE;
  ET := T#0s;
  TIMING := FALSE;
ELSIF TIMING OR Q THEN
  IF NOT TIMING THEN
    TIMING := TRUE;
    START := NOW_MONOTONIC();
  END_IF;
  E := NOW_MONOTONIC() - START;
  P := MAX(PT, T#0s);
  ET := MIN(E, P);
  Q := Q AND E < P;
END_IF;
END_FUNCTION_BLOCK
)";

// Parsed and checked once; never changed afterwards, so every thread may
// inline them.
const std::map<std::string, std::shared_ptr<FunctionDef>>& blocks() {
  static const auto* all = [] {
    Diagnostics diags;
    FileAst ast = parse_file("<IEC 61131-3>", kSource, diags);
    TypeScope scope;
    scope.without_standard_function_blocks();
    check_functions("<IEC 61131-3>", ast.functions, scope, diags);
    if (!diags.ok()) {  // a bug of this file: every test would show it
      std::cerr << diags.str();
      std::abort();
    }
    auto* out = new std::map<std::string, std::shared_ptr<FunctionDef>>;
    for (const auto& f : ast.functions) (*out)[plc::identifier_key(f->name.text)] = scope.find_function(f->name.text);
    return out;
  }();
  return *all;
}

}  // namespace

std::shared_ptr<FunctionDef> standard_function_block(std::string_view name) {
  const auto& all = blocks();
  auto it = all.find(plc::identifier_key(name));
  return it == all.end() ? nullptr : it->second;
}

}  // namespace plc::lang
