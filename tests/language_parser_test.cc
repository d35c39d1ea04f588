// The parser of IEC 61499-1 Annex B function blocks and systems with
// IEC 61131-3 Structured Text: the tree it builds, the errors it reports,
// and that it ends on any input.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/language/parser.h"

using namespace plc;
using namespace plc::lang;

namespace {

std::string op_name(OpKind op) {
  switch (op) {
    case OpKind::kOr: return "OR";
    case OpKind::kXor: return "XOR";
    case OpKind::kAnd: return "AND";
    case OpKind::kEq: return "=";
    case OpKind::kNe: return "<>";
    case OpKind::kLt: return "<";
    case OpKind::kLe: return "<=";
    case OpKind::kGt: return ">";
    case OpKind::kGe: return ">=";
    case OpKind::kAdd:
    case OpKind::kPlus: return "+";
    case OpKind::kSub:
    case OpKind::kNeg: return "-";
    case OpKind::kMul: return "*";
    case OpKind::kDiv: return "/";
    case OpKind::kMod: return "MOD";
    case OpKind::kPow: return "**";
    case OpKind::kNot: return "NOT";
    case OpKind::kNone: break;
  }
  return "?";
}

// An expression fully parenthesised: (a + (b * c)), f(x, IN:=y), a[i].m
std::string show(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kName: return e.text;
    case ExprKind::kIndex: return show(*e.args.at(0)) + "[" + show(*e.args.at(1)) + "]";
    case ExprKind::kMember: return show(*e.args.at(0)) + "." + e.text;
    case ExprKind::kUnary: return "(" + op_name(e.op) + " " + show(*e.args.at(0)) + ")";
    case ExprKind::kBinary: return "(" + show(*e.args.at(0)) + " " + op_name(e.op) + " " + show(*e.args.at(1)) + ")";
    case ExprKind::kCall: {
      std::string s = e.text + "(";
      REQUIRE(e.arg_names.size() == e.args.size());
      for (size_t k = 0; k < e.args.size(); ++k) {
        if (k) s += ", ";
        if (!e.arg_names[k].empty()) s += e.arg_names[k] + ":=";
        s += show(*e.args[k]);
      }
      return s + ")";
    }
  }
  return "?";
}

std::string expr(std::string_view text) {
  Diagnostics diags;
  ExprPtr e = parse_expression("e.st", text, diags);
  INFO(text << "\n" << diags.str());
  REQUIRE(diags.ok());
  REQUIRE(e);
  return show(*e);
}

std::vector<std::string> messages(const Diagnostics& diags) {
  std::vector<std::string> m;
  for (const auto& d : diags.list()) m.push_back(d.str());
  return m;
}

std::vector<std::string> expr_errors(std::string_view text) {
  Diagnostics diags;
  ExprPtr e = parse_expression("e.st", text, diags);
  CHECK(!e);
  return messages(diags);
}

FileAst parse_ok(std::string_view text) {
  Diagnostics diags;
  FileAst file = parse_file("t.st", text, diags);
  INFO(diags.str());
  REQUIRE(diags.ok());
  return file;
}

std::vector<std::string> errors(std::string_view text) {
  Diagnostics diags;
  parse_file("t.st", text, diags);
  return messages(diags);
}

// The statements of one algorithm; `st` starts on line 3.
Block statements(std::string_view st) {
  FileAst file =
      parse_ok("FUNCTION_BLOCK F\nALGORITHM A IN ST :\n" + std::string(st) + "\nEND_ALGORITHM\nEND_FUNCTION_BLOCK\n");
  REQUIRE(file.fb_types.size() == 1);
  REQUIRE(file.fb_types[0].algorithms.size() == 1);
  return std::move(file.fb_types[0].algorithms[0].body);
}

std::vector<std::string> statement_errors(std::string_view st) {
  return errors("FUNCTION_BLOCK F\nALGORITHM A IN ST :\n" + std::string(st) + "\nEND_ALGORITHM\nEND_FUNCTION_BLOCK\n");
}

bool at(Loc loc, uint32_t line, uint32_t col) { return loc.line == line && loc.col == col; }

const char* const kVoter = R"(FUNCTION_BLOCK VOTER  (* Votes two out of three *)
EVENT_INPUT
  Vote WITH A, B, C;
  Reset;
END_EVENT
EVENT_OUTPUT
  Voted WITH State;
  Ready WITH State;
END_EVENT
VAR_INPUT
  A : BOOL;
  B, C : BOOL := TRUE;
  V : ARRAY[0..3] OF INT := [1, 2, 3, 4];
  S : STRING[20] := 'hi; there';
  P : MyStruct := (x := 1, y := 2);
  N : ARRAY[-2..2] OF STRING[8] := ['a', 'b'];
END_VAR
VAR_OUTPUT
  State : BOOL;
END_VAR
VAR
  Count : INT := -1 (* a comment *) ;
END_VAR
EC_STATES
  Ready;
  Vote : VoteAlg -> Voted;
  VotedPos;
  Reset : ResetAlg -> Ready, Other -> Ready;
  S2 : -> Voted, ResetAlg;
END_STATES
EC_TRANSITIONS
  Ready TO Vote := Vote;
  Vote TO VotedPos := State;
  Vote TO Ready := NOT State;
  VotedPos TO Reset := Reset;
  Reset TO Ready := 1;
  Ready TO S2 := Vote[Count > 3];
  Ready TO Vote := Vote AND Count > 3;
  S2 TO Ready := Reset[];
END_TRANSITIONS
ALGORITHM VoteAlg IN ST :
  State := A AND B OR A AND C OR B AND C;
END_ALGORITHM
ALGORITHM ResetAlg IN ST:
  State := FALSE;
END_ALGORITHM
ALGORITHM Other IN ST: VAR_TEMP i : INT; j, k : DINT := 5; END_VAR
  FOR i := 1 TO 3 DO Count := Count + i; END_FOR;
END_ALGORITHM
END_FUNCTION_BLOCK
)";

}  // namespace

// ------------------------------------------------------------------ expressions

TEST_CASE("binary operators follow the precedence of IEC 61131-3 table 71", "[language][parser][expr]") {
  CHECK(expr("a OR b XOR c AND d") == "(a OR (b XOR (c AND d)))");
  CHECK(expr("a AND b XOR c OR d") == "(((a AND b) XOR c) OR d)");
  CHECK(expr("a & b = c") == "(a AND (b = c))");
  CHECK(expr("a = b < c") == "(a = (b < c))");
  CHECK(expr("a <> b >= c") == "(a <> (b >= c))");
  CHECK(expr("a < b + c") == "(a < (b + c))");
  CHECK(expr("a + b * c") == "(a + (b * c))");
  CHECK(expr("a MOD b + c") == "((a MOD b) + c)");
  CHECK(expr("a * b ** c") == "(a * (b ** c))");
  CHECK(expr("(a + b) * c") == "((a + b) * c)");
  CHECK(expr("a OR b AND c = d + e * f ** g") == "(a OR (b AND (c = (d + (e * (f ** g))))))");
  CHECK(expr("a ** b * c + d = e AND f OR g") == "((((((a ** b) * c) + d) = e) AND f) OR g)");
}

TEST_CASE("binary operators are left-associative, ** included", "[language][parser][expr]") {
  CHECK(expr("a - b - c") == "((a - b) - c)");
  CHECK(expr("a / b * c") == "((a / b) * c)");
  CHECK(expr("a ** b ** c") == "((a ** b) ** c)");
  CHECK(expr("a < b < c") == "((a < b) < c)");
  CHECK(expr("a OR b OR c") == "((a OR b) OR c)");
}

TEST_CASE("unary operators bind tighter than **, and -5 written as one is a literal", "[language][parser][expr]") {
  CHECK(expr("-a ** 2") == "((- a) ** 2)");
  CHECK(expr("NOT a AND b") == "((NOT a) AND b)");
  CHECK(expr("NOT NOT a") == "(NOT (NOT a))");
  CHECK(expr("+a") == "(+ a)");
  CHECK(expr("a - -b") == "(a - (- b))");
  Diagnostics diags;
  ExprPtr lit = parse_expression("e.st", "-32768", diags);
  REQUIRE(lit);
  CHECK(lit->kind == ExprKind::kLiteral);
  CHECK(lit->text == "-32768");
  CHECK(expr("-1.5E3") == "-1.5E3");
  CHECK(expr("a-5") == "(a - 5)");
  CHECK(expr("a - -5") == "(a - -5)");
  CHECK(expr("- 5") == "(- 5)");
  CHECK(expr("--5") == "(- -5)");
  CHECK(expr("-INT#5") == "(- INT#5)");
}

TEST_CASE("primaries: literals, names, indexes, members and calls", "[language][parser][expr]") {
  CHECK(expr("T#1s500ms") == "T#1s500ms");
  CHECK(expr("'it$'s'") == "'it$'s'");
  CHECK(expr("UINT#16#FF") == "UINT#16#FF");
  CHECK(expr("TRUE") == "TRUE");
  CHECK(expr("a[i + 1].x") == "a[(i + 1)].x");
  CHECK(expr("a.b.c[2]") == "a.b.c[2]");
  CHECK(expr("f()") == "f()");
  CHECK(expr("LIMIT(0, x, 10)") == "LIMIT(0, x, 10)");
  CHECK(expr("SEL(G := c, IN0 := a + 1, IN1 := f(b))") == "SEL(G:=c, IN0:=(a + 1), IN1:=f(b))");

  Diagnostics diags;
  ExprPtr e = parse_expression("e.st", "x + Arr[i].m * f(1, IN := 2)", diags);
  REQUIRE(e);
  CHECK(e->kind == ExprKind::kBinary);
  CHECK(e->op == OpKind::kAdd);
  CHECK(at(e->loc, 1, 1));  // a node is where its first token is
  const Expr& mul = *e->args[1];
  CHECK(at(mul.loc, 1, 5));
  const Expr& member = *mul.args[0];
  CHECK(member.kind == ExprKind::kMember);
  CHECK(member.text == "m");
  const Expr& index = *member.args[0];
  CHECK(index.kind == ExprKind::kIndex);
  CHECK(index.args[0]->kind == ExprKind::kName);
  CHECK(index.args[0]->text == "Arr");
  const Expr& call = *mul.args[1];
  CHECK(call.kind == ExprKind::kCall);
  CHECK(call.text == "f");
  CHECK(at(call.loc, 1, 16));
  CHECK(call.arg_names == std::vector<std::string>{"", "IN"});
}

TEST_CASE("expression errors say what was expected and where", "[language][parser][expr][errors]") {
  CHECK(expr_errors("a +") == std::vector<std::string>{"e.st:1:4: error: expected an expression, found end of file"});
  CHECK(expr_errors("(a + b") ==
        std::vector<std::string>{"e.st:1:7: error: expected ')' to match the '(' at 1:1, found end of file"});
  CHECK(expr_errors("a b") ==
        std::vector<std::string>{"e.st:1:3: error: expected an operator or the end of the expression, found 'b'"});
  CHECK(expr_errors("a[1, ]") == std::vector<std::string>{"e.st:1:6: error: expected an expression, found ']'"});
  CHECK(expr_errors("a[1 2]") ==
        std::vector<std::string>{"e.st:1:5: error: expected ',' or ']' after the array index, found '2'"});
  {  // an output argument of a user function
    Diagnostics d;
    ExprPtr call = parse_expression("e.st", "f(IN := 1, Q => x)", d);
    REQUIRE(call);
    CHECK(call->arg_names == std::vector<std::string>{"IN", "Q"});
    CHECK(call->arg_outputs == std::vector<bool>{false, true});
  }
  CHECK(expr_errors("f(Q => )") == std::vector<std::string>{"e.st:1:8: error: expected an expression, found ')'"});
  CHECK(expr_errors("a.+") == std::vector<std::string>{"e.st:1:3: error: expected a member name after '.', found '+'"});
  CHECK(expr_errors("f(1 2)") ==
        std::vector<std::string>{"e.st:1:5: error: expected ',' or ')' in the arguments of 'f', found '2'"});
}

// ------------------------------------------------------------------ statements

TEST_CASE("assignments and call statements", "[language][parser][stmt]") {
  Block b = statements("x := 1;\na[i] := 2; p.x := y + 1;\nf(x);\n;;");
  REQUIRE(b.size() == 4);
  CHECK(b[0]->kind == StmtKind::kAssign);
  CHECK(show(*b[0]->target) == "x");
  CHECK(show(*b[0]->value) == "1");
  CHECK(at(b[0]->loc, 3, 1));
  CHECK(show(*b[1]->target) == "a[i]");
  CHECK(b[1]->target->kind == ExprKind::kIndex);
  CHECK(show(*b[2]->target) == "p.x");
  CHECK(show(*b[2]->value) == "(y + 1)");
  CHECK(at(b[2]->loc, 4, 12));
  CHECK(b[3]->kind == StmtKind::kCall);
  CHECK(show(*b[3]->value) == "f(x)");
}

TEST_CASE("IF with ELSIF and ELSE", "[language][parser][stmt]") {
  Block b = statements(
      "IF a THEN x := 1;\n"
      "ELSIF b THEN x := 2; y := 3;\n"
      "ELSE x := 4;\n"
      "END_IF;\n"
      "IF c THEN END_IF;");
  REQUIRE(b.size() == 2);
  const Stmt& s = *b[0];
  CHECK(s.kind == StmtKind::kIf);
  REQUIRE(s.conds.size() == 2);
  REQUIRE(s.bodies.size() == 3);  // ELSE: one body more than conditions
  CHECK(show(*s.conds[1]) == "b");
  CHECK(s.bodies[1].size() == 2);
  CHECK(show(*s.bodies[2][0]->value) == "4");
  CHECK(b[1]->conds.size() == 1);
  CHECK(b[1]->bodies.size() == 1);
  CHECK(b[1]->bodies[0].empty());
}

TEST_CASE("CASE with lists, ranges, constants, negative labels and ELSE", "[language][parser][stmt]") {
  Block b = statements(
      "CASE x + 1 OF\n"
      "  1: a := 1;\n"
      "  2, 3..5: a := 2; b := 3;\n"
      "  -1: ;\n"
      "  Limit: a := 4;\n"
      "  16#10..16#1F, -3..-2:\n"
      "ELSE\n"
      "  a := 0;\n"
      "END_CASE;");
  REQUIRE(b.size() == 1);
  const Stmt& s = *b[0];
  CHECK(s.kind == StmtKind::kCase);
  CHECK(show(*s.value) == "(x + 1)");
  REQUIRE(s.labels.size() == 5);
  REQUIRE(s.bodies.size() == 6);
  CHECK(show(*s.labels[0][0].lo) == "1");
  CHECK(!s.labels[0][0].hi);
  REQUIRE(s.labels[1].size() == 2);
  CHECK(show(*s.labels[1][1].lo) == "3");
  CHECK(show(*s.labels[1][1].hi) == "5");
  CHECK(s.bodies[1].size() == 2);
  CHECK(show(*s.labels[2][0].lo) == "-1");
  CHECK(s.bodies[2].empty());
  CHECK(s.labels[3][0].lo->kind == ExprKind::kName);
  CHECK(show(*s.labels[4][1].lo) == "-3");
  CHECK(show(*s.labels[4][1].hi) == "-2");
  CHECK(s.bodies[4].empty());
  CHECK(show(*s.bodies[5][0]->value) == "0");
}

TEST_CASE("FOR, WHILE, REPEAT, EXIT and RETURN", "[language][parser][stmt]") {
  Block b = statements(
      "FOR i := 1 TO n * 2 BY -1 DO s := s + i; IF s > 9 THEN EXIT; END_IF; END_FOR;\n"
      "FOR j := 0 TO 3 DO END_FOR;\n"
      "WHILE s > 0 DO s := s - 1; END_WHILE;\n"
      "REPEAT s := s + 1; UNTIL s >= 10 END_REPEAT;\n"
      "RETURN;");
  REQUIRE(b.size() == 5);
  const Stmt& f = *b[0];
  CHECK(f.kind == StmtKind::kFor);
  CHECK(f.target->kind == ExprKind::kName);
  CHECK(f.target->text == "i");
  CHECK(show(*f.value) == "1");
  CHECK(show(*f.limit) == "(n * 2)");
  CHECK(show(*f.step) == "-1");
  REQUIRE(f.bodies.size() == 1);
  REQUIRE(f.bodies[0].size() == 2);
  CHECK(f.bodies[0][1]->bodies[0][0]->kind == StmtKind::kExit);
  CHECK(!b[1]->step);
  CHECK(b[2]->kind == StmtKind::kWhile);
  CHECK(show(*b[2]->conds[0]) == "(s > 0)");
  CHECK(b[3]->kind == StmtKind::kRepeat);
  CHECK(show(*b[3]->conds[0]) == "(s >= 10)");
  CHECK(b[3]->bodies[0].size() == 1);
  CHECK(b[4]->kind == StmtKind::kReturn);
  CHECK(at(b[4]->loc, 7, 1));
}

TEST_CASE("keywords are case-insensitive in statements", "[language][parser][stmt]") {
  Block b = statements("if a then x := 1; elsif b then x := 2; else x := 3; end_if;\nfor i := 1 to 2 do end_for;");
  REQUIRE(b.size() == 2);
  CHECK(b[0]->bodies.size() == 3);
}

// ------------------------------------------------------------------ FB types

TEST_CASE("a basic FB type: interface, ECC and algorithms", "[language][parser][fb]") {
  FileAst file = parse_ok(kVoter);
  REQUIRE(file.fb_types.size() == 1);
  const FbTypeAst& fb = file.fb_types[0];
  CHECK(fb.name.text == "VOTER");
  CHECK(at(fb.name.loc, 1, 16));
  CHECK(fb.comment == "Votes two out of three");
  CHECK(fb.kind == FbTypeKind::kBasic);

  REQUIRE(fb.event_inputs.size() == 2);
  CHECK(fb.event_inputs[0].name.text == "Vote");
  REQUIRE(fb.event_inputs[0].with.size() == 3);
  CHECK(fb.event_inputs[0].with[2].text == "C");
  CHECK(at(fb.event_inputs[0].with[2].loc, 3, 19));
  CHECK(fb.event_inputs[1].with.empty());
  REQUIRE(fb.event_outputs.size() == 2);
  CHECK(fb.event_outputs[1].with[0].text == "State");

  REQUIRE(fb.inputs.size() == 7);
  CHECK(fb.inputs[0].name.text == "A");
  CHECK(fb.inputs[0].type.name == "BOOL");
  CHECK(fb.inputs[0].initial.empty());
  CHECK(fb.inputs[1].name.text == "B");
  CHECK(fb.inputs[2].name.text == "C");
  CHECK(fb.inputs[2].initial == "TRUE");
  CHECK(at(fb.inputs[2].initial_loc, 12, 18));
  CHECK(at(fb.inputs[2].name.loc, 12, 6));
  const VarDeclAst& v = fb.inputs[3];
  CHECK(v.type.is_array);
  CHECK(v.type.lo == 0);
  CHECK(v.type.hi == 3);
  CHECK(v.type.name == "INT");
  CHECK(v.initial == "[1, 2, 3, 4]");
  CHECK(fb.inputs[4].type.name == "STRING");
  CHECK(fb.inputs[4].type.string_length == 20);
  CHECK(fb.inputs[4].initial == "'hi; there'");
  CHECK(fb.inputs[5].type.name == "MyStruct");
  CHECK(fb.inputs[5].initial == "(x := 1, y := 2)");
  CHECK(fb.inputs[6].type.lo == -2);
  CHECK(fb.inputs[6].type.string_length == 8);
  CHECK(fb.inputs[6].initial == "['a', 'b']");
  REQUIRE(fb.outputs.size() == 1);
  REQUIRE(fb.internals.size() == 1);
  CHECK(fb.internals[0].initial == "-1");

  REQUIRE(fb.states.size() == 5);
  CHECK(fb.states[0].actions.empty());
  REQUIRE(fb.states[1].actions.size() == 1);
  CHECK(fb.states[1].actions[0].algorithm.text == "VoteAlg");
  CHECK(fb.states[1].actions[0].output.text == "Voted");
  REQUIRE(fb.states[3].actions.size() == 2);
  CHECK(fb.states[3].actions[1].algorithm.text == "Other");
  CHECK(fb.states[3].actions[1].output.text == "Ready");
  CHECK(at(fb.states[3].actions[1].loc, 28, 30));
  REQUIRE(fb.states[4].actions.size() == 2);
  CHECK(fb.states[4].actions[0].algorithm.text.empty());
  CHECK(fb.states[4].actions[0].output.text == "Voted");
  CHECK(fb.states[4].actions[1].algorithm.text == "ResetAlg");
  CHECK(fb.states[4].actions[1].output.text.empty());

  REQUIRE(fb.transitions.size() == 8);
  CHECK(fb.transitions[0].from.text == "Ready");
  CHECK(fb.transitions[0].to.text == "Vote");
  CHECK(show(*fb.transitions[0].condition) == "Vote");
  CHECK(at(fb.transitions[0].loc, 32, 3));
  CHECK(show(*fb.transitions[2].condition) == "(NOT State)");
  CHECK(show(*fb.transitions[4].condition) == "1");
  CHECK(fb.transitions[5].event.text == "Vote");  // 4diac: Event[guard]
  CHECK(show(*fb.transitions[5].condition) == "(Count > 3)");
  CHECK(fb.transitions[6].event.text.empty());  // first edition: one expression
  CHECK(show(*fb.transitions[6].condition) == "(Vote AND (Count > 3))");
  CHECK(fb.transitions[7].event.text == "Reset");
  CHECK(!fb.transitions[7].condition);

  REQUIRE(fb.algorithms.size() == 3);
  CHECK(fb.algorithms[0].name.text == "VoteAlg");
  CHECK(fb.algorithms[0].language == "ST");
  REQUIRE(fb.algorithms[0].body.size() == 1);
  CHECK(show(*fb.algorithms[0].body[0]->value) == "(((A AND B) OR (A AND C)) OR (B AND C))");
  const AlgorithmAst& other = fb.algorithms[2];
  REQUIRE(other.temps.size() == 3);
  CHECK(other.temps[0].name.text == "i");
  CHECK(other.temps[2].name.text == "k");
  CHECK(other.temps[2].initial == "5");
  REQUIRE(other.body.size() == 1);
  CHECK(other.body[0]->kind == StmtKind::kFor);
}

TEST_CASE("an ECC condition is Event[guard] only when the bracket ends it", "[language][parser][fb]") {
  FileAst file = parse_ok(
      "FUNCTION_BLOCK F\n"
      "EC_TRANSITIONS\n"
      "  A TO B := Flags[2] AND REQ;\n"
      "  A TO B := [X > 1];\n"
      "  A TO B := REQ[Flags[2]];\n"
      "END_TRANSITIONS\n"
      "END_FUNCTION_BLOCK");
  const auto& t = file.fb_types.at(0).transitions;
  REQUIRE(t.size() == 3);
  CHECK(t[0].event.text.empty());
  CHECK(show(*t[0].condition) == "(Flags[2] AND REQ)");
  CHECK(t[1].event.text.empty());
  CHECK(show(*t[1].condition) == "(X > 1)");
  CHECK(t[2].event.text == "REQ");
  CHECK(show(*t[2].condition) == "Flags[2]");
}

TEST_CASE("event declarations may name their type before or after WITH", "[language][parser][fb]") {
  FileAst file = parse_ok(
      "FUNCTION_BLOCK F\n"
      "EVENT_INPUT\n"
      "  INIT : EVENT WITH QI;\n"
      "  REQ WITH QI, X : EVENT;\n"
      "  E2 : EVENT;\n"
      "END_EVENT\n"
      "END_FUNCTION_BLOCK");
  const auto& ev = file.fb_types.at(0).event_inputs;
  REQUIRE(ev.size() == 3);
  CHECK(ev[0].with.size() == 1);
  CHECK(ev[1].with.size() == 2);
  CHECK(ev[1].with[1].text == "X");
  CHECK(ev[2].with.empty());
}

TEST_CASE("what the body holds decides the kind of FB type", "[language][parser][fb]") {
  FileAst file = parse_ok(
      "FUNCTION_BLOCK Simple\n"
      "EVENT_INPUT REQ; END_EVENT\n"
      "ALGORITHM REQ IN ST : x := 1; END_ALGORITHM\n"
      "END_FUNCTION_BLOCK\n"
      "FUNCTION_BLOCK OnlyInterface\n"
      "EVENT_INPUT REQ; END_EVENT\n"
      "END_FUNCTION_BLOCK\n"
      "FUNCTION_BLOCK WithService\n"
      "EVENT_INPUT INIT; END_EVENT\n"
      "SERVICE Svc / Res\n"
      "  SEQUENCE normal_init\n"
      "    Svc.INIT() -> Svc.INITO();\n"
      "  END_SEQUENCE\n"
      "END_SERVICE\n"
      "END_FUNCTION_BLOCK\n"
      "FUNCTION_BLOCK EccOnly\n"
      "EC_STATES START; END_STATES\n"
      "END_FUNCTION_BLOCK\n");
  REQUIRE(file.fb_types.size() == 4);
  CHECK(file.fb_types[0].kind == FbTypeKind::kSimple);
  CHECK(file.fb_types[1].kind == FbTypeKind::kServiceInterface);
  CHECK(file.fb_types[2].kind == FbTypeKind::kServiceInterface);
  CHECK(file.fb_types[2].event_inputs.size() == 1);
  CHECK(file.fb_types[3].kind == FbTypeKind::kBasic);
}

TEST_CASE("a composite FB type: FB instances with parameters and connections", "[language][parser][fb]") {
  FileAst file = parse_ok(R"(FUNCTION_BLOCK COUNTER2
EVENT_INPUT EI WITH PV; END_EVENT
EVENT_OUTPUT EO WITH CV; END_EVENT
VAR_INPUT PV : UINT; END_VAR
VAR_OUTPUT CV : UINT; END_VAR
FBS
  C1 : E_CTU;
  D : E_DELAY := (DT := T#1s);
  X : E_X := (A := 'a,b', B := [1, 2], C := (m := 1, n := 2), E := -5);
  Y : E_Y := ();
END_FBS
EVENT_CONNECTIONS
  EI TO C1.CU;
  C1.CUO TO EO;
END_CONNECTIONS
DATA_CONNECTIONS
  PV TO C1.PV;
  T#2s TO D.DT;
  -5 TO X.N;
  'txt' TO X.S;
  [1, 2] TO X.A;
  (m := 1) TO X.C;
  C1.CV TO CV;
END_CONNECTIONS
END_FUNCTION_BLOCK
)");
  REQUIRE(file.fb_types.size() == 1);
  const FbTypeAst& fb = file.fb_types[0];
  CHECK(fb.kind == FbTypeKind::kComposite);
  const NetworkAst& net = fb.network;
  REQUIRE(net.fbs.size() == 4);
  CHECK(net.fbs[0].name.text == "C1");
  CHECK(net.fbs[0].type.text == "E_CTU");
  CHECK(net.fbs[0].parameters.empty());
  REQUIRE(net.fbs[1].parameters.size() == 1);
  CHECK(net.fbs[1].parameters[0].first.text == "DT");
  CHECK(net.fbs[1].parameters[0].second == "T#1s");
  REQUIRE(net.fbs[2].parameters.size() == 4);
  CHECK(net.fbs[2].parameters[0].second == "'a,b'");
  CHECK(net.fbs[2].parameters[1].second == "[1, 2]");
  CHECK(net.fbs[2].parameters[2].second == "(m := 1, n := 2)");
  CHECK(net.fbs[2].parameters[3].second == "-5");
  CHECK(net.fbs[3].parameters.empty());

  REQUIRE(net.event_connections.size() == 2);
  CHECK(net.event_connections[0].source == "EI");
  CHECK(net.event_connections[0].destination == "C1.CU");
  CHECK(at(net.event_connections[1].loc, 14, 3));
  CHECK(!net.event_connections[1].source_is_literal);

  REQUIRE(net.data_connections.size() == 7);
  CHECK(!net.data_connections[0].source_is_literal);
  CHECK(net.data_connections[1].source_is_literal);
  CHECK(net.data_connections[1].source == "T#2s");
  CHECK(net.data_connections[1].destination == "D.DT");
  CHECK(net.data_connections[2].source == "-5");
  CHECK(net.data_connections[3].source == "'txt'");
  CHECK(net.data_connections[4].source == "[1, 2]");
  CHECK(net.data_connections[5].source == "(m := 1)");
  CHECK(net.data_connections[6].source == "C1.CV");
  CHECK(net.data_connections[6].destination == "CV");
}

TEST_CASE("structured types: several in one TYPE block", "[language][parser][types]") {
  FileAst file = parse_ok(
      "TYPE\n"
      "  Point : STRUCT x : INT; y : REAL := 1.5; END_STRUCT;\n"
      "  Pair : STRUCT a, b : Point; END_STRUCT\n"
      "END_TYPE\n"
      "TYPE Empty : STRUCT END_STRUCT; END_TYPE\n");
  REQUIRE(file.structs.size() == 3);
  CHECK(file.structs[0].name.text == "Point");
  REQUIRE(file.structs[0].members.size() == 2);
  CHECK(file.structs[0].members[1].name.text == "y");
  CHECK(file.structs[0].members[1].type.name == "REAL");
  CHECK(file.structs[0].members[1].initial == "1.5");
  CHECK(file.structs[1].members.size() == 2);
  CHECK(file.structs[1].members[1].type.name == "Point");
  CHECK(file.structs[2].members.empty());
}

TEST_CASE("a system: applications, devices with resources, mappings", "[language][parser][system]") {
  FileAst file = parse_ok(R"(SYSTEM MyApp
APPLICATION App
  FBS V : VOTER; C : E_CTU := (PV := 3); END_FBS
  EVENT_CONNECTIONS V.Voted TO C.CU; END_CONNECTIONS
  DATA_CONNECTIONS 5 TO C.PV; END_CONNECTIONS
END_APPLICATION
DEVICE Dev1 : PLC_DEVICE := (node := 'a@host')   (* parameters optional *)
  RESOURCE Res1 : EMB_RES := (queue_capacity := 64)
    FBS L : E_CYCLE; END_FBS
    DATA_CONNECTIONS T#100ms TO L.DT; END_CONNECTIONS
  END_RESOURCE
  RESOURCE Res2 : EMB_RES
  END_RESOURCE
END_DEVICE
DEVICE Dev2 : PLC_DEVICE
END_DEVICE
MAPPING
  App.V ON Dev1.Res1;
  C ON Dev1.Res2;
END_MAPPING
END_SYSTEM
)");
  REQUIRE(file.systems.size() == 1);
  const SystemAst& sys = file.systems[0];
  CHECK(sys.name.text == "MyApp");
  REQUIRE(sys.applications.size() == 1);
  CHECK(sys.applications[0].name.text == "App");
  CHECK(sys.applications[0].network.fbs.size() == 2);
  CHECK(sys.applications[0].network.event_connections.size() == 1);
  CHECK(sys.applications[0].network.data_connections.at(0).source_is_literal);
  REQUIRE(sys.devices.size() == 2);
  const DeviceAst& dev = sys.devices[0];
  CHECK(dev.name.text == "Dev1");
  CHECK(dev.type.text == "PLC_DEVICE");
  REQUIRE(dev.parameters.size() == 1);
  CHECK(dev.parameters[0].first.text == "node");
  CHECK(dev.parameters[0].second == "'a@host'");
  REQUIRE(dev.resources.size() == 2);
  CHECK(dev.resources[0].name.text == "Res1");
  CHECK(dev.resources[0].type.text == "EMB_RES");
  CHECK(dev.resources[0].parameters.at(0).second == "64");
  CHECK(dev.resources[0].network.fbs.size() == 1);
  CHECK(dev.resources[0].network.data_connections.at(0).source == "T#100ms");
  CHECK(dev.resources[1].parameters.empty());
  CHECK(sys.devices[1].resources.empty());
  REQUIRE(sys.mappings.size() == 2);
  CHECK(sys.mappings[0].fb == "App.V");
  CHECK(sys.mappings[0].resource == "Dev1.Res1");
  CHECK(sys.mappings[1].fb == "C");
  CHECK(at(sys.mappings[1].loc, 19, 3));
}

TEST_CASE("a file holds types, FB types and systems in any order", "[language][parser]") {
  FileAst file = parse_ok(
      "SYSTEM S END_SYSTEM\n"
      "FUNCTION_BLOCK A END_FUNCTION_BLOCK\n"
      "TYPE T : STRUCT a : INT; END_STRUCT; END_TYPE\n"
      "function_block B end_function_block\n"
      "SYSTEM S2 END_SYSTEM\n");
  CHECK(file.systems.size() == 2);
  CHECK(file.fb_types.size() == 2);
  CHECK(file.structs.size() == 1);
  CHECK(parse_ok("").fb_types.empty());
  CHECK(parse_ok("(* only a comment *)").fb_types.empty());
}

// ------------------------------------------------------------------ errors

TEST_CASE("syntax errors say what was expected, what was found and where", "[language][parser][errors]") {
  CHECK(statement_errors("x := 1;\n  y = 2;") ==
        std::vector<std::string>{"t.st:4:5: error: expected ':=' after the assignment target, found '='"});
  CHECK(statement_errors("IF a THEN\n  x := 1\nEND_IF;") ==
        std::vector<std::string>{"t.st:5:1: error: expected ';' after statement, found 'END_IF'"});
  CHECK(statement_errors("x := (1 + ;") ==
        std::vector<std::string>{"t.st:3:11: error: expected an expression, found ';'"});
  CHECK(statement_errors("IF a x := 1; END_IF;") ==
        std::vector<std::string>{"t.st:3:6: error: expected THEN after the condition, found 'x'"});
  CHECK(statement_errors("IF a THEN\n  x := 1;") ==
        std::vector<std::string>{"t.st:5:1: error: expected END_IF for the IF at line 3, found 'END_ALGORITHM'"});
  CHECK(statement_errors("WHILE a DO x := 1; END_FOR;") ==
        std::vector<std::string>{"t.st:3:20: error: expected END_WHILE for the WHILE at line 3, found 'END_FOR'"});
  CHECK(statement_errors("x := 1; END_IF;") ==
        std::vector<std::string>{"t.st:3:9: error: 'END_IF' without a matching IF"});
  CHECK(statement_errors("x := 1 END_IF;") ==
        std::vector<std::string>{"t.st:3:8: error: expected ';' after statement, found 'END_IF'"});
  CHECK(statement_errors("FOR 1 := 2 TO 3 DO x := 1; END_FOR;") ==
        std::vector<std::string>{"t.st:3:5: error: expected the loop variable after FOR, found '1'"});
  CHECK(statement_errors("CASE x OF 1 2: y := 1; END_CASE;") ==
        std::vector<std::string>{"t.st:3:13: error: expected ':' after the CASE label, found '2'"});
  CHECK(statement_errors("REPEAT x := 1; END_REPEAT;") ==
        std::vector<std::string>{"t.st:3:16: error: expected UNTIL for the REPEAT at line 3, found 'END_REPEAT'"});
  CHECK(statement_errors("THEN x := 1;") ==
        std::vector<std::string>{"t.st:3:1: error: expected a statement, found 'THEN'"});
  CHECK(errors("FUNCTION_BLOCK F\nALGORITHM A IN ST\n  x := 1;\nEND_ALGORITHM\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:3:3: error: expected ':' after the algorithm's language, found 'x'"});
  CHECK(errors("FUNCTION_BLOCK F\nALGORITHM A ST :\n  x := 1;\nEND_ALGORITHM\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{
            "t.st:2:13: error: expected IN after the algorithm's name (ALGORITHM Name IN ST :), found 'ST'"});
  CHECK(statement_errors("f(x) := 1;") ==
        std::vector<std::string>{"t.st:3:6: error: cannot assign to the result of a call to 'f'"});
}

TEST_CASE("an unknown word where a section keyword belongs lists the sections", "[language][parser][errors]") {
  Diagnostics diags;
  FileAst file = parse_file("t.st",
                            "FUNCTION_BLOCK F\n"
                            "VAR_INPT\n"
                            "  A : BOOL;\n"
                            "END_VAR\n"
                            "VAR_OUTPUT Q : BOOL; END_VAR\n"
                            "END_FUNCTION_BLOCK\n",
                            diags);
  CHECK(messages(diags) ==
        std::vector<std::string>{
            "t.st:2:1: error: expected EVENT_INPUT, EVENT_OUTPUT, VAR_INPUT, VAR_OUTPUT, VAR, EC_STATES, "
            "EC_TRANSITIONS, ALGORITHM, FBS, EVENT_CONNECTIONS, DATA_CONNECTIONS, SERVICE or END_FUNCTION_BLOCK, "
            "found 'VAR_INPT'"});
  REQUIRE(file.fb_types.size() == 1);
  CHECK(file.fb_types[0].outputs.size() == 1);
  CHECK(errors("hello FUNCTION_BLOCK F END_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:1:1: error: expected FUNCTION, FUNCTION_BLOCK, TYPE or SYSTEM, found 'hello'"});
  CHECK(errors("SYSTEM S\nDEVICE D : T\nEND_DEVICE\nFBS\nEND_SYSTEM") ==
        std::vector<std::string>{"t.st:4:1: error: expected APPLICATION, DEVICE, MAPPING or END_SYSTEM, found 'FBS'"});
}

TEST_CASE("every error of a file is reported, one per statement or declaration", "[language][parser][errors]") {
  Diagnostics diags;
  FileAst file = parse_file("t.st", R"(FUNCTION_BLOCK F
VAR_INPUT
  A BOOL;
  B : ;
  C : INT := ;
  D : ARRAY[0..1, 0..2 OF INT;
  E : INT;
  G : INT (* missing ; *)
  H : INT;
END_VAR
EC_TRANSITIONS
  S1 S2 := X;
  S1 TO S2 = X;
  S1 TO S2 := X;
END_TRANSITIONS
ALGORITHM A IN ST :
  x := 1 + + ;
  y := @;
  z := 1;
  w := (((1 + ) * 2;
  IF a THEN
    v = 1;
  END_IF;
END_ALGORITHM
END_FUNCTION_BLOCK
SYSTEM S
MAPPING App.V Dev1.Res1; END_MAPPING
END_SYSTEM
)",
                            diags);
  CHECK(messages(diags) == std::vector<std::string>{
                               "t.st:3:5: error: expected ':' after the variable name, found 'BOOL'",
                               "t.st:4:7: error: expected a type name, found ';'",
                               "t.st:5:14: error: expected a value after ':=', found ';'",
                               "t.st:6:24: error: expected ',' or ']' after the array bounds, found 'OF'",
                               "t.st:9:3: error: expected ';' after the declaration, found 'H'",
                               "t.st:12:6: error: expected TO after the source state, found 'S2'",
                               "t.st:13:12: error: expected ':=' before the transition condition, found '='",
                               "t.st:17:14: error: expected an expression, found ';'",
                               "t.st:18:8: error: unexpected character '@'",
                               "t.st:20:15: error: expected an expression, found ')'",
                               "t.st:22:7: error: expected ':=' after the assignment target, found '='",
                               "t.st:27:15: error: expected ON after the FB name, found 'Dev1'",
                           });
  // What could be read is kept.
  REQUIRE(file.fb_types.size() == 1);
  const FbTypeAst& fb = file.fb_types[0];
  REQUIRE(fb.inputs.size() == 3);
  CHECK(fb.inputs[0].name.text == "E");
  CHECK(fb.inputs[1].name.text == "G");
  CHECK(fb.inputs[2].name.text == "H");
  CHECK(fb.transitions.size() == 1);
  REQUIRE(fb.algorithms.size() == 1);
  REQUIRE(fb.algorithms[0].body.size() == 2);  // z := 1 and the IF
  CHECK(fb.algorithms[0].body[1]->bodies[0].empty());
}

TEST_CASE("a forgotten ';' at the end of a line costs one error, not the next statement",
          "[language][parser][errors]") {
  Diagnostics diags;
  FileAst file = parse_file("t.st",
                            "FUNCTION_BLOCK F\nALGORITHM A IN ST :\n"
                            "x := 1\n"
                            "y := 2;\n"
                            "END_ALGORITHM\nEND_FUNCTION_BLOCK\n",
                            diags);
  CHECK(messages(diags) == std::vector<std::string>{"t.st:4:1: error: expected ';' after statement, found 'y'"});
  CHECK(file.fb_types.at(0).algorithms.at(0).body.size() == 2);
}

TEST_CASE("a missing END_VAR or END_FUNCTION_BLOCK is reported where the next section starts",
          "[language][parser][errors]") {
  CHECK(errors("FUNCTION_BLOCK F\nVAR_INPUT A : BOOL;\nVAR_OUTPUT B : BOOL; END_VAR\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:3:1: error: expected END_VAR for the VAR_INPUT at line 2, found 'VAR_OUTPUT'"});
  CHECK(
      errors("FUNCTION_BLOCK F\nEVENT_INPUT E; END_EVENT\nFUNCTION_BLOCK G END_FUNCTION_BLOCK") ==
      std::vector<std::string>{
          "t.st:3:1: error: expected END_FUNCTION_BLOCK for the FUNCTION_BLOCK 'F' at line 1, found 'FUNCTION_BLOCK'"});
  CHECK(errors("FUNCTION_BLOCK F") ==
        std::vector<std::string>{
            "t.st:1:17: error: expected END_FUNCTION_BLOCK for the FUNCTION_BLOCK 'F' at line 1, found end of file"});
  CHECK(errors("TYPE P : 5; END_TYPE") ==
        std::vector<std::string>{"t.st:1:10: error: expected STRUCT, '(', ARRAY or a type name after ':', found '5'"});
  CHECK(errors("TYPE P : INT END_TYPE") ==
        std::vector<std::string>{"t.st:1:14: error: expected ';' after the type, found 'END_TYPE'"});
}

TEST_CASE("unsupported constructs are reported as such", "[language][parser][errors]") {
  CHECK(errors("FUNCTION_BLOCK F\nVAR_INPUT A : INT[3]; END_VAR\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:2:18: error: only STRING and WSTRING take a length, not 'INT'"});
  CHECK(errors("FUNCTION_BLOCK F\nVAR_IN_OUT A : INT; END_VAR\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:2:1: error: VAR_IN_OUT is not supported in function block types"});
  CHECK(errors("FUNCTION_BLOCK F\nFBS X : T; END_FBS\nEC_STATES S; END_STATES\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{
            "t.st:1:1: error: function block 'F' has both an FB network (FBS, connections) and an ECC or algorithms"});
}

TEST_CASE("an algorithm in another language is kept for the compiler to report", "[language][parser]") {
  FileAst file =
      parse_ok("FUNCTION_BLOCK F\nALGORITHM A IN LD :\n  |--[ ]--( )--|\nEND_ALGORITHM\nEND_FUNCTION_BLOCK\n");
  REQUIRE(file.fb_types.at(0).algorithms.size() == 1);
  CHECK(file.fb_types[0].algorithms[0].language == "LD");
  CHECK(file.fb_types[0].algorithms[0].body.empty());
}

TEST_CASE("an unterminated comment is one error, whatever it swallowed", "[language][parser][errors]") {
  CHECK(errors("FUNCTION_BLOCK F\nEVENT_INPUT\n  E; (* oops\nEND_EVENT\nEND_FUNCTION_BLOCK\n") ==
        std::vector<std::string>{"t.st:3:6: error: unterminated comment: '(*' has no matching '*)'"});
  CHECK(errors("FUNCTION_BLOCK F\nALGORITHM A IN ST :\n  s := 'abc;\nEND_ALGORITHM\nEND_FUNCTION_BLOCK\n") ==
        std::vector<std::string>{"t.st:3:8: error: unterminated string literal: no closing ' on its line"});
}

// ------------------------------------------------------------------ robustness

namespace {

uint64_t next_random(uint64_t& s) {
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}

std::string repeat(std::string_view s, size_t n) {
  std::string r;
  r.reserve(s.size() * n);
  for (size_t k = 0; k < n; ++k) r += s;
  return r;
}

std::string in_algorithm(std::string_view st) {
  return "FUNCTION_BLOCK F\nALGORITHM A IN ST :\n" + std::string(st) + "\nEND_ALGORITHM\nEND_FUNCTION_BLOCK\n";
}

}  // namespace

TEST_CASE("nesting deeper than the limit is one error, however deep", "[language][parser][robustness]") {
  const std::string too_deep = "t.st:3:205: error: nesting too deep (more than 200 levels)";
  for (size_t depth : {size_t(300), size_t(100000)}) {
    INFO(depth);
    auto one_error = [&](const std::string& text) {
      Diagnostics diags;
      parse_file("t.st", text, diags);
      INFO(diags.str());
      REQUIRE(diags.list().size() == 1);
      CHECK(diags.list()[0].message.find("nesting too deep") != std::string::npos);
    };
    one_error(in_algorithm("x := " + repeat("(", depth) + "1" + repeat(")", depth) + ";\ny := 1;"));
    one_error(in_algorithm("x := " + repeat("(", depth)));
    one_error(in_algorithm("x := " + repeat("NOT ", depth) + "a;"));
    one_error(in_algorithm("x := " + repeat("- ", depth) + "a;"));
    one_error(in_algorithm("x := " + repeat("f(", depth) + repeat(")", depth) + ";"));
    one_error(in_algorithm("x := a" + repeat("[a", depth) + repeat("]", depth) + ";"));
    one_error(in_algorithm("x := " + repeat("a + (", depth) + "a" + repeat(")", depth) + ";"));
    one_error(in_algorithm("x := " + repeat("a AND NOT (", depth) + "a" + repeat(")", depth) + ";"));
    one_error(in_algorithm(repeat("IF a THEN ", depth) + "x := 1;" + repeat(" END_IF;", depth)));
    one_error(in_algorithm(repeat("WHILE a DO FOR i := 1 TO 2 DO ", depth) + repeat(" END_FOR; END_WHILE;", depth)));
    one_error("FUNCTION_BLOCK F\nEC_TRANSITIONS A TO B := " + repeat("(", depth) +
              "X;\nEND_TRANSITIONS\nEND_FUNCTION_BLOCK");
  }
  Diagnostics diags;
  parse_file("t.st", in_algorithm("x := " + repeat("(", 300) + "1" + repeat(")", 300) + ";"), diags);
  CHECK(messages(diags) == std::vector<std::string>{too_deep});
}

TEST_CASE("nesting within the limit parses", "[language][parser][robustness]") {
  // Statements and the expressions in them share one budget.
  const size_t depth = 190;
  Block b = statements("x := " + repeat("(", depth) + "1" + repeat(")", depth) + ";\n" + repeat("IF a THEN ", depth) +
                       "x := 1;" + repeat(" END_IF;", depth) + "\ny := a" + repeat(" + a", depth) +
                       ";\nz := " + repeat("NOT ", depth) + "a;");
  REQUIRE(b.size() == 4);
  CHECK(show(*b[0]->value) == "1");
  const Stmt* s = b[1].get();
  for (size_t k = 1; k < depth; ++k) s = s->bodies.at(0).at(0).get();
  CHECK(s->bodies.at(0).at(0)->kind == StmtKind::kAssign);
  CHECK(statement_errors(repeat("IF a THEN ", 150) + "x := " + repeat("(", 60) + "1" + repeat(")", 60) + ";" +
                         repeat(" END_IF;", 150)) ==
        std::vector<std::string>{"t.st:3:1555: error: nesting too deep (more than 200 levels)"});
}

TEST_CASE("a chain of binary operators may be as long as the source: it is no nesting",
          "[language][parser][robustness]") {
  // a + b + ... is a left spine that every walk over the tree follows in a
  // loop; 4diac files hold flat expressions of hundreds of terms.
  for (size_t terms : {size_t(201), size_t(100000)}) {
    INFO(terms);
    Block b = statements("x := a" + repeat(" + a", terms - 1) + ";\ny := a" + repeat(" ** a", terms - 1) + ";");
    REQUIRE(b.size() == 2);
    size_t length = 1;
    for (const Expr* e = b[0]->value.get(); e->kind == ExprKind::kBinary; e = e->args.at(0).get()) ++length;
    CHECK(length == terms);
  }
  CHECK(show(*statements("x := a + b * c - d;").at(0)->value) == "((a + (b * c)) - d)");
}

TEST_CASE("values written in brackets are not nested parses: any depth is fine", "[language][parser][robustness]") {
  Diagnostics diags;
  FileAst file = parse_file("t.st",
                            "FUNCTION_BLOCK F\nVAR_INPUT A : INT := " + repeat("[", 100000) + repeat("]", 100000) +
                                ";\nEND_VAR\nEND_FUNCTION_BLOCK",
                            diags);
  CHECK(diags.ok());
  Diagnostics unclosed;
  parse_file("t.st", "FUNCTION_BLOCK F\nVAR_INPUT A : INT := " + repeat("(", 100000) + "\nEND_VAR\nEND_FUNCTION_BLOCK",
             unclosed);
  CHECK(messages(unclosed) ==
        std::vector<std::string>{"t.st:3:1: error: expected ')' or ']' to close the value, found 'END_VAR'"});
}

TEST_CASE("random bytes give diagnostics, never a crash or a hang", "[language][parser][robustness]") {
  uint64_t seed = 0x2545F4914F6CDD1Du;
  for (int round = 0; round < 200; ++round) {
    std::string text(1 + next_random(seed) % 4000, '\0');
    for (char& c : text) c = char(next_random(seed));
    Diagnostics diags;
    parse_file("r.st", text, diags);
    CHECK(!diags.ok());
    CHECK(diags.list().size() <= 1001);
  }
}

TEST_CASE("random token soup gives diagnostics, never a crash or a hang", "[language][parser][robustness]") {
  static const char* const kWords[] = {"FUNCTION_BLOCK",
                                       "END_FUNCTION_BLOCK",
                                       "EVENT_INPUT",
                                       "END_EVENT",
                                       "VAR_INPUT",
                                       "VAR",
                                       "END_VAR",
                                       "EC_STATES",
                                       "END_STATES",
                                       "EC_TRANSITIONS",
                                       "END_TRANSITIONS",
                                       "ALGORITHM",
                                       "IN",
                                       "ST",
                                       "END_ALGORITHM",
                                       "FBS",
                                       "END_FBS",
                                       "EVENT_CONNECTIONS",
                                       "DATA_CONNECTIONS",
                                       "END_CONNECTIONS",
                                       "TYPE",
                                       "STRUCT",
                                       "END_STRUCT",
                                       "END_TYPE",
                                       "SYSTEM",
                                       "END_SYSTEM",
                                       "APPLICATION",
                                       "END_APPLICATION",
                                       "DEVICE",
                                       "END_DEVICE",
                                       "RESOURCE",
                                       "END_RESOURCE",
                                       "MAPPING",
                                       "END_MAPPING",
                                       "ON",
                                       "WITH",
                                       "SERVICE",
                                       "END_SERVICE",
                                       "IF",
                                       "THEN",
                                       "ELSIF",
                                       "ELSE",
                                       "END_IF",
                                       "CASE",
                                       "OF",
                                       "END_CASE",
                                       "FOR",
                                       "TO",
                                       "BY",
                                       "DO",
                                       "END_FOR",
                                       "WHILE",
                                       "END_WHILE",
                                       "REPEAT",
                                       "UNTIL",
                                       "END_REPEAT",
                                       "EXIT",
                                       "RETURN",
                                       "ARRAY",
                                       "x",
                                       "y",
                                       "f",
                                       "1",
                                       "2.5",
                                       "T#1s",
                                       "'s'",
                                       ":=",
                                       "=>",
                                       "->",
                                       "(",
                                       ")",
                                       "[",
                                       "]",
                                       ",",
                                       ";",
                                       ":",
                                       ".",
                                       "..",
                                       "+",
                                       "-",
                                       "*",
                                       "**",
                                       "=",
                                       "<>",
                                       "AND",
                                       "NOT",
                                       "MOD",
                                       "\n"};
  uint64_t seed = 0x9E3779B97F4A7C15u;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const size_t n = next_random(seed) % 600;
    for (size_t k = 0; k < n; ++k) {
      text += kWords[next_random(seed) % std::size(kWords)];
      text += ' ';
    }
    Diagnostics diags;
    parse_file("r.st", text, diags);
    CHECK(diags.list().size() <= 1001);
  }
}

TEST_CASE("every prefix and many one-byte changes of a valid file parse without a crash",
          "[language][parser][robustness]") {
  const std::string voter = kVoter;
  for (size_t n = 0; n <= voter.size(); ++n) {
    Diagnostics diags;
    parse_file("p.st", std::string_view(voter).substr(0, n), diags);
  }
  for (size_t k = 0; k < voter.size(); k += 3) {
    for (char c : {'\0', '(', ')', ';', '[', 'X', '*', '\''}) {
      std::string mutated = voter;
      mutated[k] = c;
      Diagnostics diags;
      parse_file("m.st", mutated, diags);
    }
  }
  SUCCEED();
}

TEST_CASE("NUL bytes inside a file are errors where they are", "[language][parser][robustness]") {
  std::string text = in_algorithm("x := 1;\ny := 2;\nz := 3;");
  text[text.find("y :=") + 1] = '\0';
  Diagnostics diags;
  FileAst file = parse_file("t.st", text, diags);
  CHECK(messages(diags) == std::vector<std::string>{"t.st:4:2: error: unexpected byte 0x00"});
  CHECK(file.fb_types.at(0).algorithms.at(0).body.size() == 2);  // the statement with the error is left out
}

TEST_CASE("past 1000 errors the parser stops and says so", "[language][parser][robustness]") {
  Diagnostics diags;
  parse_file("t.st", in_algorithm(repeat("x := ;\n", 5000)), diags);
  REQUIRE(diags.list().size() == 1001);
  CHECK(diags.list()[999].str() == "t.st:1002:6: error: expected an expression, found ';'");
  CHECK(diags.list()[1000].str() == "t.st:1003:6: error: too many errors, giving up");
}

TEST_CASE("A[i, j] is parsed as A[i][j]", "[language][parser][arrays]") {
  CHECK(expr("a[1, i + 1]") == "a[1][(i + 1)]");
  CHECK(expr("a[1][2, 3].m") == "a[1][2][3].m");
}

TEST_CASE("multi-dimensional array, array of arrays, subrange and named types are parsed",
          "[language][parser][arrays][types]") {
  FileAst f = parse_ok(
      "TYPE Matrix : ARRAY[1..3, 1..N] OF REAL; Percent : INT (0..100) := 50; Level : SINT (-5..+5); END_TYPE\n"
      "FUNCTION_BLOCK F VAR_INPUT T : ARRAY[0..1] OF ARRAY[-2..2, 0..3] OF INT; V : UINT (1..9); END_VAR\n"
      "END_FUNCTION_BLOCK\n");
  REQUIRE(f.aliases.size() == 3);
  const TypeRef& m = f.aliases[0].type;
  CHECK(f.aliases[0].name.text == "Matrix");
  CHECK(m.is_array);
  CHECK(m.lo == 1);
  CHECK(m.hi == 3);
  REQUIRE(m.more_dims.size() == 1);
  CHECK(m.more_dims[0].lo == 1);
  CHECK(m.more_dims[0].hi_name.text == "N");
  CHECK(m.name == "REAL");
  CHECK(f.aliases[1].type.subrange);
  CHECK(f.aliases[1].type.range_lo == 0);
  CHECK(f.aliases[1].type.range_hi == 100);
  CHECK(f.aliases[1].initial == "50");
  CHECK(f.aliases[2].type.range_lo == -5);
  CHECK(f.aliases[2].type.range_hi == 5);
  const TypeRef& t = f.fb_types.at(0).inputs.at(0).type;
  CHECK(t.lo == 0);
  CHECK(t.hi == 1);
  REQUIRE(t.more_dims.size() == 2);
  CHECK(t.more_dims[0].lo == -2);
  CHECK(t.more_dims[1].hi == 3);
  const TypeRef& v = f.fb_types.at(0).inputs.at(1).type;
  CHECK(v.name == "UINT");
  CHECK(v.subrange);
  CHECK(v.range_hi == 9);
}

TEST_CASE("subrange syntax errors are located", "[language][parser][types][errors]") {
  CHECK(errors("TYPE P : INT (0 100); END_TYPE") ==
        std::vector<std::string>{"t.st:1:17: error: expected '..' between the subrange's limits, found '100'"});
  CHECK(errors("TYPE P : INT (0..); END_TYPE") ==
        std::vector<std::string>{"t.st:1:18: error: expected the subrange's upper limit, found ')'"});
  CHECK(errors("FUNCTION_BLOCK F VAR V : INT (0..1; END_VAR END_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:1:35: error: expected ')' after the subrange, found ';'"});
}

TEST_CASE("REF_TO and ^ parse; a REF_TO without its type is located", "[language][parser][references]") {
  CHECK(errors("FUNCTION_BLOCK F\nVAR P : REF_TO INT; Q : REF_TO ARRAY[0..1] OF INT; END_VAR\nEND_FUNCTION_BLOCK")
            .empty());
  CHECK(errors("FUNCTION_BLOCK F\nVAR P : REF_TO; END_VAR\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{"t.st:2:15: error: expected a type name, found ';'"});
  CHECK(errors("FUNCTION F : INT VAR_INPUT P : REF_TO INT; END_VAR P^ := P^ + 1; F := P^; END_FUNCTION").empty());
  CHECK(errors("FUNCTION F : INT VAR_INPUT P : REF_TO INT; END_VAR ^P := 1; END_FUNCTION") ==
        std::vector<std::string>{"t.st:1:52: error: expected a statement, found '^'"});
}
