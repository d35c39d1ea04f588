// 4diac's reference examples (ReferenceExamples.sys of 4diac-examples) run
// on plc against tests/fourdiac_reference_examples.h. The examples are not
// in this repository: the test runs them from $PLC_4DIAC_REFERENCE, or from
// ../shared/conformance/4diac-reference next to the workspace, and says so
// loudly when neither exists.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "runtime/type_library.h"
#include "tests/fourdiac_reference_examples.h"

using namespace plc;

namespace {

namespace fs = std::filesystem;

// The workspace, found through a file Bazel links into the test's runfiles.
fs::path reference_folder() {
  if (const char* env = std::getenv("PLC_4DIAC_REFERENCE"); env && *env) return env;
  std::error_code ec;
  fs::path linked = fs::canonical("fblocks/voter.st", ec);
  if (ec) return {};
  return linked.parent_path().parent_path().parent_path() / "shared" / "conformance" / "4diac-reference";
}

}  // namespace

TEST_CASE("the table of reference examples names each example once and says what to trigger",
          "[fourdiac][conformance]") {
  std::set<std::string> names;
  for (const auto& row : test::reference_examples()) {
    CHECK(names.insert(identifier_key(row.example)).second);
    CHECK_FALSE(row.trigger.empty());
    if (row.nondeterministic) {
      CHECK(row.run_for.count() > 0);
      CHECK_FALSE(row.stop.empty());
    }
  }
}

TEST_CASE("every 4diac reference example behaves as its row of the table says", "[fourdiac][conformance]") {
  const fs::path dir = reference_folder();
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    WARN("*** 4diac reference examples NOT FOUND at '" + dir.string() +
         "': the conformance examples were NOT run (set PLC_4DIAC_REFERENCE to a clone of 4diac-examples' reference "
         "folder) ***");
    return;
  }
  fourdiac::ConformanceReport report = fourdiac::run_conformance(dir, test::reference_examples());
  for (const auto& r : report.results) {
    INFO(r.example << ": " << r.detail);
    CHECK(r.passed);
  }
  INFO(report.diags.str());
  CHECK(report.diags.ok());
  WARN("4diac reference examples in " << dir.string() << ": " << report.summary());
  CHECK(report.failed == 0);
}
