// The conformance runner: 4diac's reference examples (4diac-examples,
// ReferenceExamples.sys and its type library) run on plc and compared with
// a table of expectations (tests/fourdiac_reference_examples.h).
//
// An example is a top-level SubApp of an application of a .sys file in the
// folder; it is named "Application.SubApp" and its Comment says what to
// trigger and what to expect. Each example is loaded alone into a fresh
// resource (its FBs named as inside the SubApp), driven by a virtual clock,
// so every run is the same: the trigger is injected, the resource runs
// until nothing is left to do (timers included, up to kSettle of virtual
// time), and every event output the example's FBs emit is recorded with
// its WITH values, in order.
//
// A deterministic example passes when the recorded events are exactly the
// expected ones (a value is compared only where the row gives it) and the
// variables the row names have the expected values. A nondeterministic
// example (by design: cycles racing each other) passes when, within
// `run_for`, every listed output fires at least once, and after `stop` the
// network falls silent; nothing may fault or overflow.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "runtime/clock.h"
#include "runtime/status.h"

namespace plc::fourdiac {

inline constexpr Duration kSettle = std::chrono::seconds(10);

struct Expectation {
  std::string example;  // "_01_EventConnections.Ex1a"
  // "FB.EI" of the example, or one of its unfed SubApp event inputs ("Start").
  std::string trigger;
  // "FB.EO", or "FB.EO(VAR=literal,...)" to check those values too.
  std::vector<std::string> events;
  // After the run: "FB.VAR" and the literal it must hold.
  std::vector<std::pair<std::string, std::string>> values;
  // Where this row differs from the example's Comment, and why.
  std::string note;
  // Nondeterministic by design: see the file comment.
  bool nondeterministic = false;
  Duration run_for{};
  std::string stop;
};

struct ExampleResult {
  std::string example;
  bool passed = false;
  std::string detail;  // why it failed; the recorded events
};

struct ConformanceReport {
  std::vector<ExampleResult> results;  // file order; then rows the folder lacks
  size_t passed = 0, failed = 0;
  Diagnostics diags;  // from loading the files (warnings included)
  std::string summary() const { return std::to_string(passed) + " passed, " + std::to_string(failed) + " failed"; }
};

// Runs every example of every .sys file directly in `dir` (types from all
// of `dir`, recursively) against `table`. An example without a row, and a
// row without an example, count as failed.
ConformanceReport run_conformance(const std::filesystem::path& dir, const std::vector<Expectation>& table);

}  // namespace plc::fourdiac
