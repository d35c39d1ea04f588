// Helpers for the language tests: compile text, run an algorithm, read the
// diagnostics.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/language/compiler.h"
#include "runtime/process_image.h"
#include "tests/test_support.h"

namespace plc::test {

inline TypeLibrary base_library() {
  TypeLibrary lib;
  add_standard_blocks(lib);
  add_process_image_blocks(lib);
  return lib;
}

// Compiles `src`; FAILs with the diagnostics when it has errors.
inline TypeLibrary compiled(const std::string& src, TypeLibrary lib = base_library()) {
  lang::TypeScope scope;
  Diagnostics d;
  if (!lang::compile("test.st", src, lib, scope, d)) FAIL(d.str());
  return lib;
}

// Every diagnostic of compiling `src`, as "line:col: error: message".
inline std::vector<std::string> diagnostics(const std::string& src, TypeLibrary lib = base_library()) {
  lang::TypeScope scope;
  Diagnostics d;
  lang::compile("t.st", src, lib, scope, d);
  std::vector<std::string> out;
  for (const auto& x : d.list()) {
    std::string s = x.str();
    if (s.rfind("t.st:", 0) == 0) s = s.substr(5);
    out.push_back(s);
  }
  return out;
}

// Whether one of the diagnostics contains `text`.
inline bool mentions(const std::vector<std::string>& diags, const std::string& text) {
  for (const auto& d : diags)
    if (d.find(text) != std::string::npos) return true;
  return false;
}

// An FB type T whose event REQ runs `body` (with the given declarations) and
// emits CNF: `vars` goes inside VAR_OUTPUT, `internals` inside VAR.
inline std::string fb_with(const std::string& outputs, const std::string& body, const std::string& internals = "",
                           const std::string& inputs = "") {
  return "FUNCTION_BLOCK T\n"
         "EVENT_INPUT REQ; END_EVENT\n"
         "EVENT_OUTPUT CNF; END_EVENT\n" +
         (inputs.empty() ? "" : "VAR_INPUT " + inputs + " END_VAR\n") + "VAR_OUTPUT " + outputs + " END_VAR\n" +
         (internals.empty() ? "" : "VAR " + internals + " END_VAR\n") +
         "EC_STATES S0; S1 : Run -> CNF; END_STATES\n"
         "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
         "ALGORITHM Run IN ST:\n" +
         body +
         "\nEND_ALGORITHM\n"
         "END_FUNCTION_BLOCK\n";
}

// Runs `body` once in a fresh instance of fb_with(outputs, body, ...);
// `prelude` (FUNCTIONs, TYPEs) comes before the FB type in the file.
struct StRun {
  StRun(const std::string& outputs, const std::string& body, const std::string& internals = "",
        const std::string& inputs = "", const std::string& prelude = "")
      : lib(compiled(prelude + fb_with(outputs, body, internals, inputs))),
        rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib) {}

  // Fires REQ; returns the faults reported (empty when none).
  std::vector<std::string> run() {
    rig.fire("X", "REQ");
    return std::exchange(rig.rec->faults, {});
  }
  // The value of an output or internal as a literal (format_value), or the
  // text of a STRING.
  std::string operator[](const std::string& var) {
    FbIndex f = rig.fb("X");
    const auto& iface = rig.res->type_of(f).iface;
    const VarDecl* d = nullptr;
    uint32_t slot = 0;
    if (auto k = iface.find_output(var)) d = &iface.outputs[*k], slot = iface.output_slot(*k);
    else if (auto k = iface.find_internal(var)) d = &iface.internals[*k], slot = iface.internal_slot(*k);
    else if (auto k = iface.find_input(var)) d = &iface.inputs[*k], slot = iface.input_slot(*k);
    REQUIRE(d);
    const Value* v = rig.res->vars(f) + slot;
    if (d->type == DataType::kString || d->type == DataType::kWstring) return read_string(*d, v);
    return format_value(d->type, v[0]);
  }
  // Element k of an array variable.
  std::string at(const std::string& var, uint32_t k) {
    FbIndex f = rig.fb("X");
    const auto& iface = rig.res->type_of(f).iface;
    const VarDecl* d = nullptr;
    uint32_t slot = 0;
    if (auto j = iface.find_output(var)) d = &iface.outputs[*j], slot = iface.output_slot(*j);
    else if (auto j = iface.find_internal(var)) d = &iface.internals[*j], slot = iface.internal_slot(*j);
    REQUIRE(d);
    return format_value(d->type, rig.res->vars(f)[slot + k * d->element_slots()]);
  }

  TypeLibrary lib;
  Rig rig;
};

// The text of a file of the repository (tests run from the workspace root).
inline std::string repo_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace plc::test
