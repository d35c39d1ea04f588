// The parser's entry points for ST held in 4diac XML: algorithm texts with
// or without 4diac's ALGORITHM wrapping, transition conditions in every
// form 4diac writes, and positions shifted to where the text sits in its file.
#include <catch2/catch.hpp>

#include "runtime/language/parser.h"

using namespace plc;
using namespace plc::lang;

TEST_CASE("an algorithm text is read with 4diac's ALGORITHM wrapping, VAR_TEMP, or as bare statements",
          "[fourdiac][parser]") {
  Diagnostics d;
  AlgorithmAst a = parse_algorithm_text(
      "f.fbt", "\n\nALGORITHM CU\nVAR_TEMP x : INT; END_VAR\nx := 1;\nCV := x;\nEND_ALGORITHM\n\n", {1, 1}, d);
  CHECK(d.ok());
  CHECK(a.name.text == "CU");
  CHECK(a.language == "ST");
  CHECK(a.temps.size() == 1);
  CHECK(a.body.size() == 2);
  CHECK(a.body[1]->loc.line == 6);

  AlgorithmAst b = parse_algorithm_text("f.fbt", "OUT := IN; IF IN THEN OUT := FALSE; END_IF;", {1, 1}, d);
  CHECK(d.ok());
  CHECK(b.name.text.empty());
  CHECK(b.body.size() == 2);

  AlgorithmAst c = parse_algorithm_text("f.fbt", "ALGORITHM X IN ST:\nOUT := IN;\nEND_ALGORITHM", {1, 1}, d);
  CHECK(d.ok());
  CHECK(c.name.text == "X");
}

TEST_CASE("positions in an embedded text are shifted to where the text starts in its file", "[fourdiac][parser]") {
  Diagnostics d;
  // The text starts at line 10, column 30: its first line is shifted by
  // both, the following ones by the line only.
  AlgorithmAst a = parse_algorithm_text("f.fbt", "x := 1 +;\ny := ;", {10, 30}, d);
  REQUIRE(d.error_count() == 2);
  CHECK(d.list()[0].str() == "f.fbt:10:38: error: expected an expression, found ';'");
  CHECK(d.list()[1].str() == "f.fbt:11:6: error: expected an expression, found ';'");
  CHECK(a.body.empty());
}

TEST_CASE("an algorithm text must end where its wrapping says", "[fourdiac][parser]") {
  Diagnostics d;
  parse_algorithm_text("f.fbt", "ALGORITHM A\nx := 1;\n", {1, 1}, d);
  CHECK_THAT(d.str(), Catch::Contains(
                          "f.fbt:3:1: error: expected END_ALGORITHM for the ALGORITHM at line 1, found end of file"));
  Diagnostics e;
  parse_algorithm_text("f.fbt", "ALGORITHM A IN LD:\nEND_ALGORITHM", {1, 1}, e);
  CHECK_THAT(e.str(), Catch::Contains("f.fbt:1:1: error: only ST algorithms are supported, not 'LD'"));
  Diagnostics g;
  parse_algorithm_text("f.fbt", "x := 1; END_ALGORITHM", {1, 1}, g);
  CHECK_THAT(g.str(),
             Catch::Contains("f.fbt:1:9: error: expected the end of the algorithm text, found 'END_ALGORITHM'"));
}

TEST_CASE("transition conditions: 1, Event, Event[guard], [guard], Adapter.Event[guard], expressions",
          "[fourdiac][parser]") {
  auto parse = [](const std::string& text, EccTransitionAst& t) {
    Diagnostics d;
    const bool ok = parse_transition_condition("f.fbt", text, {1, 1}, t, d);
    CHECK(ok == d.ok());
    return ok;
  };
  {
    EccTransitionAst t;
    REQUIRE(parse("1", t));
    CHECK(t.event.text.empty());
    CHECK(t.condition->kind == ExprKind::kLiteral);
  }
  {
    EccTransitionAst t;
    REQUIRE(parse("CU[CV < 65535]", t));
    CHECK(t.event.text == "CU");
    CHECK(t.condition->op == OpKind::kLt);
  }
  {
    EccTransitionAst t;
    REQUIRE(parse("REQ[]", t));
    CHECK(t.event.text == "REQ");
    CHECK_FALSE(t.condition);
  }
  {
    EccTransitionAst t;
    REQUIRE(parse("[x > 3]", t));
    CHECK(t.event.text.empty());
    CHECK(t.condition->op == OpKind::kGt);
  }
  {
    EccTransitionAst t;
    REQUIRE(parse("adp.CNF[adp.DO1 = 5]", t));
    CHECK(t.event.text == "adp.CNF");
    CHECK(t.condition->args[0]->kind == ExprKind::kMember);
  }
  {
    EccTransitionAst t;
    REQUIRE(parse("adp.REQ", t));
    CHECK(t.condition->kind == ExprKind::kMember);
  }
  {
    EccTransitionAst t;
    REQUIRE(parse("REQ AND x[2] > 1", t));  // an index, not the bracket form
    CHECK(t.condition->op == OpKind::kAnd);
  }
  EccTransitionAst bad;
  CHECK_FALSE(parse("REQ[x", bad));
  CHECK_FALSE(parse("REQ x", bad));
  CHECK_FALSE(parse("", bad));
}

TEST_CASE("a 4diac algorithm text's last statement may lack its ';', as 4diac takes it", "[fourdiac][parser]") {
  Diagnostics d;
  AlgorithmAst a = parse_algorithm_text(
      "f.fbt", "VAR\n  i: INT;\nEND_VAR;\ni := 0;\nWHILE i < 10 DO\n  i := i + 1;\nEND_WHILE\n", {1, 1}, d);
  CHECK(d.ok());
  CHECK(a.body.size() == 2);
  AlgorithmAst b = parse_algorithm_text("f.fbt", "x := 1", {1, 1}, d);
  CHECK(d.ok());
  CHECK(b.body.size() == 1);
  // Only at the end of the text: between statements ';' is still due.
  parse_algorithm_text("f.fbt", "x := 1\ny := 2;", {1, 1}, d);
  REQUIRE(d.error_count() == 1);
  CHECK(d.list()[0].str() == "f.fbt:2:1: error: expected ';' after statement, found 'y'");
}
