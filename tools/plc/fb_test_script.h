// FB test scripts: `plc test` and the `plc_fb_test` Bazel rule
// (tools/plc/defs.bzl) drive one instance of an FB type on a virtual clock
// and check what it does. One command per line; blank lines and lines
// starting with `#` are skipped; names are case-insensitive:
//
//   type COUNTER              the type under test (first command); its
//                             instance is UUT
//   set PV := 3               writes an input (or output, internal) with an
//                             IEC 61131-3 literal: 'text', [1, 2], T#5s
//   event CU                  injects event input CU and runs until idle
//   advance T#250ms           moves the virtual clock on, timers fire
//   expect events CUO, CNF    the event outputs emitted since the last
//                             `expect events` (or the start), in order
//   expect no events          none emitted since then
//   expect CV = 1             a variable's value, compared slot by slot
//                             with the literal read as the variable's type
//
// A fault reported by an algorithm fails the script at the line that
// caused it. A network still busy after a million steps (an endless event
// loop) fails too. Script errors (unknown command, port or variable, a
// literal the variable's type cannot read) are located as
// "file:line: error: ..." and stop the script; failed expectations are
// located as "file:line: FAIL: ..." and the script goes on.
#pragma once

#include <string>
#include <vector>

#include "runtime/type_library.h"

namespace plc {

struct FbTestResult {
  int checks = 0;                     // expectations that held
  std::vector<std::string> failures;  // "file:line: FAIL: ..."
  std::string error;                  // "file:line: error: ..." (the script stopped there)
  bool passed() const { return failures.empty() && error.empty(); }
};

FbTestResult run_fb_test_script(const std::string& path, const std::string& text, const TypeLibrary& lib);

}  // namespace plc
