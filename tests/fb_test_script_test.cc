// FB test scripts (tools/plc/fb_test_script.h): what `plc test` and the
// plc_fb_test Bazel rule report.
#include "tools/plc/fb_test_script.h"

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// ACC adds IN to SUM on REQ and emits CNF; OVER when SUM passes LIMIT.
const char* kAcc =
    "FUNCTION_BLOCK ACC\n"
    "EVENT_INPUT REQ WITH IN; END_EVENT\n"
    "EVENT_OUTPUT CNF WITH SUM; OVER; END_EVENT\n"
    "VAR_INPUT IN : INT; LIMIT : INT := 10; END_VAR\n"
    "VAR_OUTPUT SUM : INT; NAME : STRING := 'acc'; END_VAR\n"
    "EC_STATES S0; ADD : Add -> CNF; FULL : -> OVER; END_STATES\n"
    "EC_TRANSITIONS S0 TO ADD := REQ; ADD TO FULL := SUM > LIMIT; ADD TO S0 := 1; FULL TO S0 := 1;"
    " END_TRANSITIONS\n"
    "ALGORITHM Add IN ST: SUM := SUM + IN; END_ALGORITHM\n"
    "END_FUNCTION_BLOCK\n";

FbTestResult run(const std::string& script) {
  TypeLibrary lib = compiled(kAcc);
  return run_fb_test_script("t.fbtest", script, lib);
}

}  // namespace

TEST_CASE("a script that holds counts its checks", "[fb_test_script]") {
  auto r =
      run("# comment\n"
          "type ACC\n"
          "expect SUM = 0\n"
          "set IN := 4\n"
          "event REQ\n"
          "event REQ\n"
          "expect events CNF, CNF\n"
          "expect SUM = 8\n"
          "expect NAME = 'acc'\n"
          "event req\n"
          "expect events CNF, OVER\n"
          "expect no events\n");
  CHECK(r.passed());
  CHECK(r.checks == 6);
}

TEST_CASE("a failed expectation names its line and both values, and the script goes on", "[fb_test_script]") {
  auto r =
      run("type ACC\n"
          "set IN := 4\n"
          "event REQ\n"
          "expect SUM = 5\n"
          "expect events OVER\n"
          "expect SUM = 4\n");
  CHECK(r.failures == std::vector<std::string>{"t.fbtest:4: FAIL: expected SUM = 5, got 4",
                                               "t.fbtest:5: FAIL: expected OVER, got CNF"});
  CHECK(r.checks == 1);
  CHECK(r.error.empty());
}

TEST_CASE("script errors are located and stop the script", "[fb_test_script]") {
  CHECK(run("set IN := 1\n").error == "t.fbtest:1: error: the first command must be `type NAME`, found `set`");
  CHECK(run("type NOPE\n").error == "t.fbtest:1: error: no FB type NOPE was loaded");
  CHECK(run("type ACC\nexpect X = 1\nexpect SUM = 9\n").error == "t.fbtest:2: error: ACC has no variable X");
  CHECK(run("type ACC\n\nset IN := 'a'\n").error == "t.fbtest:3: error: `'a'` is no literal of IN's type");
  CHECK(run("type ACC\nevent GO\n").error == "t.fbtest:2: error: ACC has no event input GO");
  CHECK(run("type ACC\nadvance soon\n").error == "t.fbtest:2: error: expected `advance TIME`, e.g. advance T#250ms");
  CHECK(run("type ACC\npress REQ\n").error ==
        "t.fbtest:2: error: unknown command `press` (type, set, event, advance, expect)");
  CHECK(run("# nothing\n").error == "t.fbtest:1: error: no `type` command: nothing was tested");
}

TEST_CASE("timers run on the script's virtual clock", "[fb_test_script]") {
  TypeLibrary lib = base_library();
  auto r = run_fb_test_script("t.fbtest",
                              "type E_DELAY\n"
                              "set DT := T#50ms\n"
                              "event START\n"
                              "advance T#49ms\n"
                              "expect no events\n"
                              "advance T#1ms\n"
                              "expect events EO\n",
                              lib);
  CHECK(r.passed());
  CHECK(r.checks == 2);
}

TEST_CASE("an algorithm's fault fails the line that caused it", "[fb_test_script]") {
  TypeLibrary lib = compiled(fb_with("Q : INT;", "Q := 10 / Q;"));
  auto r = run_fb_test_script("t.fbtest", "type T\nevent REQ\n", lib);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].rfind("t.fbtest:2: FAIL: fault in UUT/", 0) == 0);
}
