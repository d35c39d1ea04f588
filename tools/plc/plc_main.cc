// plc: the native half of the command line (bin/plc runs it; `plc run`
// runs on the Erlang VM instead, erlang/src/plc_cli.erl).
//
//   plc check FILE...          compile FB types and systems, print every
//                              diagnostic; exit 1 when there is an error
//   plc conformance DIR        run 4diac's reference examples (a clone of
//                              4diac-examples' reference folder) against the
//                              table in tests/fourdiac_reference_examples.h;
//                              prints "N passed, N failed", exit 1 on failure
//   plc test [--lib DIR]... FILE... SCRIPT.fbtest
//                              compile the FILEs, run the FB test script
//                              (tools/plc/fb_test_script.h) on them; exit 1
//                              when an expectation fails, 2 on a script or
//                              compile error
//
// Files may use each other's types in any order. Other types are looked
// up, for every file alike, in the file's folder and its subfolders and in
// each --lib folder (runtime/fourdiac/type_folder.h): a .st file there
// defines the type of its name (voter.st: VOTER), so `plc check
// fblocks/crossing3.st` finds VOTER in fblocks/voter.st. check reads .st
// files and 4diac files (.fbt, .sub, .adp, .dtp, .sys).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/fourdiac/conformance.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/fourdiac/load_file.h"
#include "runtime/language/compiler.h"
#include "runtime/language/parser.h"
#include "runtime/process_image.h"
#include "runtime/type_library.h"
#include "tests/fourdiac_reference_examples.h"
#include "tools/plc/fb_test_script.h"

namespace fs = std::filesystem;
using namespace plc;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: plc check [--lib DIR]... FILE...\n"
               "       plc conformance DIR\n"
               "       plc test [--lib DIR]... FILE... SCRIPT.fbtest\n"
               "       plc run ...  (bin/plc runs it on the Erlang VM)\n");
  return 2;
}

struct Source {
  std::string path, text;
  bool done = false;
  lang::Compiled compiled;
  Diagnostics used;  // of the types loaded for it from the folders
  Diagnostics diags;
};

// Compiles every source, retrying those that failed while others succeed,
// so files may depend on each other in any order. Returns false if any
// file still has errors; every file's diagnostics are in its Source.
bool compile_all(std::vector<Source>& sources, TypeLibrary& lib, lang::TypeScope& scope) {
  bool progress = true;
  while (progress) {
    progress = false;
    for (auto& s : sources) {
      if (s.done) continue;
      s.diags = Diagnostics();
      if (lang::compile(s.path, s.text, lib, scope, s.diags, &s.compiled)) s.done = progress = true;
    }
  }
  return std::all_of(sources.begin(), sources.end(), [](const Source& s) { return s.done; });
}

bool load_sources(const std::vector<std::string>& files, std::vector<Source>& sources) {
  for (const auto& f : files) {
    Source s;
    s.path = f;
    if (!fourdiac::read_file(f, s.text)) {
      std::fprintf(stderr, "%s: error: cannot read the file\n", f.c_str());
      return false;
    }
    sources.push_back(std::move(s));
  }
  return true;
}

// Loads the types the sources use from their folders and the --lib
// folders, except those the sources define.
bool load_used_types(std::vector<Source>& sources, const std::vector<std::string>& libs, TypeLibrary& lib,
                     lang::TypeScope& scope) {
  std::vector<lang::FileAst> asts;
  std::set<std::string> defined;
  for (const auto& s : sources) {
    Diagnostics parse_only;  // compile_all parses again and reports
    asts.push_back(lang::parse_file(s.path, s.text, parse_only));
    for (const auto& t : asts.back().fb_types) defined.insert(identifier_key(t.name.text));
  }
  bool ok = true;
  for (size_t k = 0; k < sources.size(); ++k)
    ok &= fourdiac::load_types_used(sources[k].path, asts[k], defined, libs, lib, scope, sources[k].used);
  return ok;
}

// The native types every program may use: the standard event blocks and
// the process image.
TypeLibrary runtime_library() {
  TypeLibrary lib;
  add_standard_blocks(lib);
  add_process_image_blocks(lib);
  return lib;
}

void print(const std::vector<Source>& sources) {
  for (const auto& s : sources) {
    std::fputs(s.used.str().c_str(), stderr);
    std::fputs(s.diags.str().c_str(), stderr);
  }
}

// Compiles `all` (ST and 4diac files; the types they use are looked up in
// their folders and the --lib folders) into `lib`, printing every
// diagnostic; each file's are in `sources`. Nothing when a file cannot be
// read; else whether every file compiled.
std::optional<bool> compile_files(const std::vector<std::string>& all, const std::vector<std::string>& libs,
                                  TypeLibrary& lib, std::vector<Source>& sources) {
  std::vector<std::string> files, fourdiac_files;
  for (const auto& f : all) (fourdiac::is_4diac_file(f) ? fourdiac_files : files).push_back(f);
  if (!load_sources(files, sources)) return std::nullopt;
  lang::TypeScope scope;
  bool ok = load_used_types(sources, libs, lib, scope);
  ok &= compile_all(sources, lib, scope);
  print(sources);
  for (const auto& f : fourdiac_files) {
    Source s;
    s.path = f;
    ok &= fourdiac::load_file(f, libs, lib, scope, s.diags);
    std::fputs(s.diags.str().c_str(), stderr);
    sources.push_back(std::move(s));
  }
  return ok;
}

int check(const std::vector<std::string>& all, const std::vector<std::string>& libs) {
  TypeLibrary lib = runtime_library();
  std::vector<Source> sources;
  std::optional<bool> ok = compile_files(all, libs, lib, sources);
  if (!ok) return 1;
  size_t errors = 0, warnings = 0;
  for (const auto& s : sources)
    for (const Diagnostics* ds : {&s.used, &s.diags})
      for (const auto& d : ds->list()) (d.warning ? warnings : errors)++;
  std::fprintf(stderr, "%zu file%s: %zu error%s, %zu warning%s\n", sources.size(), sources.size() == 1 ? "" : "s",
               errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  return *ok ? 0 : 1;
}

int run_test(const std::vector<std::string>& files, const std::vector<std::string>& libs, const std::string& script) {
  TypeLibrary lib = runtime_library();
  std::vector<Source> sources;
  if (compile_files(files, libs, lib, sources) != true) return 2;
  std::string text;
  if (!fourdiac::read_file(script, text)) {
    std::fprintf(stderr, "%s: error: cannot read the file\n", script.c_str());
    return 2;
  }
  FbTestResult r = run_fb_test_script(script, text, lib);
  for (const auto& f : r.failures) std::fprintf(stderr, "%s\n", f.c_str());
  if (!r.error.empty()) std::fprintf(stderr, "%s\n", r.error.c_str());
  std::printf("%s: %d check%s passed, %zu failed%s\n", script.c_str(), r.checks, r.checks == 1 ? "" : "s",
              r.failures.size(), r.error.empty() ? "" : ", stopped by an error");
  return !r.error.empty() ? 2 : r.failures.empty() ? 0 : 1;
}

int conformance(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::fprintf(stderr, "%s: error: no such folder\n", dir.c_str());
    return 2;
  }
  fourdiac::ConformanceReport report = fourdiac::run_conformance(dir, test::reference_examples());
  std::fputs(report.diags.str().c_str(), stderr);
  for (const auto& r : report.results) {
    std::printf("%s %s", r.passed ? "PASS" : "FAIL", r.example.c_str());
    if (!r.passed) std::printf(": %s", r.detail.c_str());
    std::printf("\n");
  }
  std::printf("%s\n", report.summary().c_str());
  return report.failed == 0 && report.diags.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  if (args[0] == "check") {
    std::vector<std::string> libs, files;
    for (size_t k = 1; k < args.size(); ++k) {
      if (args[k] == "--lib" && k + 1 < args.size()) libs.push_back(args[++k]);
      else files.push_back(args[k]);
    }
    if (files.empty()) return usage();
    return check(files, libs);
  }
  if (args[0] == "test") {
    std::vector<std::string> libs, files;
    for (size_t k = 1; k < args.size(); ++k) {
      if (args[k] == "--lib" && k + 1 < args.size()) libs.push_back(args[++k]);
      else files.push_back(args[k]);
    }
    if (files.size() < 2) return usage();
    std::string script = files.back();
    files.pop_back();
    return run_test(files, libs, script);
  }
  if (args[0] == "conformance") {
    if (args.size() != 2) return usage();
    return conformance(args[1]);
  }
  return usage();
}
