// 4diac's non-generic utils (utils.cc): the LREAL array converters, the
// test-support blocks and FB_RANDOM.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/fourdiac_support.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

FbNetwork one(const char* type, std::vector<Parameter> params = {}) { return {{{"B", type, params, ""}}, {}, {}}; }

double real(Rig& rig, const char* var, int k = 0) { return (&rig.var("B", var))[k].r; }

// What `run` writes on file descriptor `fd` (1 or 2).
std::string captured(int fd, const std::function<void()>& run) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp") + "/captured" + std::to_string(fd);
  std::fflush(nullptr);
  const int saved = dup(fd);
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  dup2(fileno(f), fd);
  run();
  std::fflush(nullptr);
  dup2(saved, fd);
  close(saved);
  std::fclose(f);
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("ARRAY2ARRAY_2_LREAL copies both elements", "[utils]") {
  Rig rig(one("ARRAY2ARRAY_2_LREAL", {{"IN", "[1.5, -2.25]"}}));
  CHECK(rig.fire("B", "REQ").size() == 1);
  CHECK(real(rig, "OUT", 0) == 1.5);
  CHECK(real(rig, "OUT", 1) == -2.25);
}

TEST_CASE("ARRAY2VALUES_2_LREAL splits IN into OUT_1 and OUT_2", "[utils]") {
  Rig rig(one("ARRAY2VALUES_2_LREAL", {{"IN", "[3.0, -0.125]"}}));
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(OUT_1=3,OUT_2=-0.125)"});
}

TEST_CASE("VALUES2ARRAY_2_LREAL joins IN_1 and IN_2 into OUT", "[utils]") {
  Rig rig(one("VALUES2ARRAY_2_LREAL", {{"IN_1", "-0.5"}, {"IN_2", "42.0"}}));
  rig.fire("B", "REQ");
  CHECK(real(rig, "OUT", 0) == -0.5);
  CHECK(real(rig, "OUT", 1) == 42.0);
}

TEST_CASE("TEST_CONDITION reports a FALSE check as a fault and a TRUE one not", "[utils][test]") {
  Rig rig(one("TEST_CONDITION"));
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF"});
  CHECK(rig.rec->faults == std::vector<std::string>{"B/REQ: TEST_CONDITION failed"});
  CHECK(rig.res->stats().faults == 1);
  rig.var("B", "check") = Value::of_bool(true);
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF"});
  CHECK(rig.res->stats().faults == 1);
}

TEST_CASE("TEST_CONDITION prints FORTE's PASSED and FAILED log lines", "[utils][test]") {
  Rig rig(one("TEST_CONDITION"));
  const std::string rule = "------------------------------";
  const std::regex failed("ERROR: T#[0-9]{19}: " + rule + " \\[TEST_CONDITION_FAILED\\] B failed " + rule + "\n");
  const std::regex passed("INFO: T#[0-9]{19}:  " + rule + " \\[TEST_CONDITION_PASSED\\] B passed\n");
  CHECK(std::regex_match(captured(2, [&] { rig.fire("B", "REQ"); }), failed));
  rig.var("B", "check") = Value::of_bool(true);
  std::string err;
  CHECK(std::regex_match(captured(1, [&] { err = captured(2, [&] { rig.fire("B", "REQ"); }); }), passed));
  CHECK(err.empty());
}

TEST_CASE("STEST_END tells the observer that the test run is over", "[utils][test]") {
  Rig rig(one("STEST_END"));
  struct Ends : ResourceObserver {
    void on_output(FbIndex, EventId, const Value*) noexcept override {}
    void on_test_end(FbIndex fb) noexcept override { ended.push_back(index_of(fb)); }
    std::vector<uint32_t> ended;
  } ends;
  rig.res->set_observer(&ends);
  rig.fire("B", "REQ");
  CHECK(ends.ended == std::vector<uint32_t>{index_of(rig.fb("B"))});
  CHECK(rig.res->stats().test_ends == 1);  // the count the Erlang side checks the message against
}

TEST_CASE("FB_RANDOM gives the same sequence for the same SEED, in [0, 1)", "[utils][math]") {
  auto sequence = [](const char* seed) {
    Rig rig(one("FB_RANDOM", {{"SEED", seed}}));
    rig.fire("B", "INIT");
    std::vector<double> v;
    for (int k = 0; k < 1000; ++k) {
      rig.fire("B", "REQ");
      v.push_back(real(rig, "VAL"));
    }
    return v;
  };
  const auto a = sequence("7"), b = sequence("7"), c = sequence("8");
  CHECK(a == b);
  CHECK(a != c);
  std::set<double> distinct(a.begin(), a.end());
  CHECK(distinct.size() > 990);
  for (double x : a) {
    CHECK(x >= 0.0);
    CHECK(x < 1.0);
    CHECK(double(float(x)) == x);  // a REAL
  }
  double mean = 0;
  for (double x : a) mean += x / a.size();
  CHECK(std::abs(mean - 0.5) < 0.05);
}

TEST_CASE("FB_RANDOM with SEED 0 seeds from the resource's time", "[utils][math]") {
  auto first = [](std::chrono::nanoseconds at) {
    Rig rig(one("FB_RANDOM"));
    rig.advance(at);
    rig.fire("B", "INIT");
    rig.fire("B", "REQ");
    return real(rig, "VAL");
  };
  CHECK(first(1s) == first(1s));
  CHECK(first(1s) != first(2s));
  Rig rig(one("FB_RANDOM"));  // no INIT: the sequence of time 0
  rig.fire("B", "REQ");
  CHECK(real(rig, "VAL") == first(0s));
}

TEST_CASE("A 4diac FB_RANDOM BasicFB with C++ algorithms loads as the native block", "[utils][math][4diac]") {
  // 4diac's math/FB_RANDOM.fbt: its algorithms are "Other" text, which
  // plc cannot run; the file names a native type, so only its interface
  // is read and checked.
  FourdiacFolder f;
  f.write("FB_RANDOM.fbt",
          fbt("FB_RANDOM",
              "<EventInputs><Event Name=\"INIT\" Type=\"Event\"><With Var=\"SEED\"/></Event>"
              "<Event Name=\"REQ\" Type=\"Event\"/></EventInputs>\n"
              "<EventOutputs><Event Name=\"INITO\" Type=\"Event\"/>"
              "<Event Name=\"CNF\" Type=\"Event\"><With Var=\"VAL\"/></Event></EventOutputs>\n"
              "<InputVars><VarDeclaration Name=\"SEED\" Type=\"UINT\" InitialValue=\"0\"/></InputVars>\n"
              "<OutputVars><VarDeclaration Name=\"VAL\" Type=\"REAL\"/></OutputVars>\n",
              "<BasicFB><ECC><ECState Name=\"START\"/><ECState Name=\"REQ\"><ECAction Algorithm=\"REQ\" "
              "Output=\"CNF\"/></ECState>"
              "<ECTransition Source=\"START\" Destination=\"REQ\" Condition=\"REQ\"/>"
              "<ECTransition Source=\"REQ\" Destination=\"START\" Condition=\"1\"/></ECC>"
              "<Algorithm Name=\"REQ\"><Other Language=\"AnyText\" Text=\"VAL() = rand();\"/></Algorithm>"
              "</BasicFB>\n"));
  CHECK(f.require("FB_RANDOM"));
  // An abridged body, not one 4diac ships: a warning that it is not used.
  CHECK(f.report() ==
        "FB_RANDOM.fbt:9:1: warning: in FBType FB_RANDOM/BasicFB: FB_RANDOM is a native type of plc; the file's ECC "
        "and algorithms are not used\n");
  const FbType* t = f.lib.find("FB_RANDOM");
  REQUIRE(t);
  CHECK(t->kind == FbKind::kNative);
}

TEST_CASE("E_STOPWATCH measures from START to the STOP after it on the engine's clock", "[utils][E_STOPWATCH]") {
  Rig rig(one("E_STOPWATCH"));
  CHECK(rig.fire("B", "STOP") == Events{});  // no START yet
  rig.clock.advance(std::chrono::milliseconds(5));
  CHECK(rig.fire("B", "START") == Events{});
  rig.clock.advance(std::chrono::milliseconds(20));
  CHECK(rig.fire("B", "START") == Events{});  // running: ignored
  rig.clock.advance(std::chrono::milliseconds(30));
  CHECK(rig.fire("B", "STOP") == Events{"B.EO(TD=T#50ms)"});
  CHECK(rig.fire("B", "STOP") == Events{});
}
