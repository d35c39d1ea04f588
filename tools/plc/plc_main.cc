// plc: the command line of the language (bin/plc runs it).
//
//   plc check FILE...          compile FB types and systems, print every
//                              diagnostic; exit 1 when there is an error
//   plc run [--for SECONDS] [--lib PATH]... SYSTEM_FILE
//                              run a system on this machine (all its devices
//                              in this process), printing output events and
//                              process-image writes as they happen
//   plc conformance DIR        run 4diac's reference examples (a clone of
//                              4diac-examples' reference folder) against the
//                              table in tests/fourdiac_reference_examples.h;
//                              prints "N passed, N failed", exit 1 on failure
//
// Types come from the .st files named (check) or, for run, from every .st
// file in the system file's directory and in each --lib directory or file.
// Files may use each other's types in any order. check also reads 4diac
// files (.fbt, .adp, .dtp, .sys): their types are looked up in the file's
// folder and its subfolders, and in each --lib folder.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/clock.h"
#include "runtime/device.h"
#include "runtime/fourdiac/conformance.h"
#include "runtime/fourdiac/load_file.h"
#include "runtime/language/compiler.h"
#include "runtime/process_image.h"
#include "runtime/type_library.h"
#include "tests/fourdiac_reference_examples.h"

namespace fs = std::filesystem;
using namespace plc;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: plc check [--lib DIR]... FILE...\n"
               "       plc run [--for SECONDS] [--lib PATH]... SYSTEM_FILE\n"
               "       plc conformance DIR\n");
  return 2;
}

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

struct Source {
  std::string path, text;
  bool done = false;
  lang::Compiled compiled;
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
    if (!read_file(f, s.text)) {
      std::fprintf(stderr, "%s: error: cannot read the file\n", f.c_str());
      return false;
    }
    sources.push_back(std::move(s));
  }
  return true;
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
  for (const auto& s : sources) std::fputs(s.diags.str().c_str(), stderr);
}

int check(const std::vector<std::string>& all, const std::vector<std::string>& libs) {
  std::vector<std::string> files, fourdiac_files;
  for (const auto& f : all) (fourdiac::is_4diac_file(f) ? fourdiac_files : files).push_back(f);
  std::vector<Source> sources;
  if (!load_sources(files, sources)) return 1;
  TypeLibrary lib = runtime_library();
  lang::TypeScope scope;
  bool ok = compile_all(sources, lib, scope);
  print(sources);
  for (const auto& f : fourdiac_files) {
    Source s;
    s.path = f;
    ok &= fourdiac::load_file(f, libs, lib, scope, s.diags);
    std::fputs(s.diags.str().c_str(), stderr);
    sources.push_back(std::move(s));
  }
  size_t errors = 0, warnings = 0;
  for (const auto& s : sources)
    for (const auto& d : s.diags.list()) (d.warning ? warnings : errors)++;
  std::fprintf(stderr, "%zu file%s: %zu error%s, %zu warning%s\n", sources.size(), sources.size() == 1 ? "" : "s", errors,
               errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  return ok ? 0 : 1;
}

std::string seconds(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%9.3fs", double(t.count()) / 1e9);
  return buf;
}

// Prints every event output (but START's; inner FBs of composites appear
// as Composite.Inner) and every process-image write.
class Printer : public ResourceObserver {
 public:
  Printer(Resource& r, std::string name, Time origin) : r_(r), name_(std::move(name)), origin_(origin) {}
  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
    const auto& iface = r_.type_of(fb).iface;
    const auto& decl = iface.event_outputs[index_of(eo)];
    std::string s = "[" + seconds(r_.now() - origin_) + "] " + name_ + " " + r_.name_of(fb) + "." + decl.name;
    for (auto k : decl.with) {
      const auto& var = iface.outputs[k];
      const Value* slots = vars + iface.output_slot(k);
      s += " " + var.name + "=" +
           (var.type == DataType::kString || var.type == DataType::kWstring ? "'" + read_string(var, slots) + "'"
                                                                              : format_value(var.type, slots[0]));
    }
    std::puts(s.c_str());
    std::fflush(stdout);
  }
  void on_io_write(FbIndex fb, const std::string& address, DataType type, Value v) noexcept override {
    std::printf("[%s] %s %s writes %s := %s\n", seconds(r_.now() - origin_).c_str(), name_.c_str(), r_.name_of(fb).c_str(),
                address.c_str(), format_value(type, v).c_str());
    std::fflush(stdout);
  }
  void on_overflow(FbIndex fb, EventId, uint64_t total) noexcept override {
    std::printf("[%s] %s queue overflow (%llu events refused so far)\n", seconds(r_.now() - origin_).c_str(), name_.c_str(),
                (unsigned long long)total);
  }
  void on_fault(FbIndex fb, const char* what, const std::string& where) noexcept override {
    std::printf("[%s] %s fault in %s %s: %s\n", seconds(r_.now() - origin_).c_str(), name_.c_str(), r_.name_of(fb).c_str(),
                where.c_str(), what);
  }

 private:
  Resource& r_;
  std::string name_;
  Time origin_;
};

void add_st_files(const fs::path& p, std::vector<std::string>& out) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(p, ec))
      if (e.path().extension() == ".st") found.push_back(e.path().string());
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  } else {
    out.push_back(p.string());
  }
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

int run(double for_seconds, const std::vector<std::string>& libs, const std::string& system_file) {
  std::vector<std::string> files;
  fs::path sys_path(system_file);
  add_st_files(sys_path.parent_path().empty() ? fs::path(".") : sys_path.parent_path(), files);
  for (const auto& l : libs) add_st_files(l, files);
  auto canonical = [](const std::string& f) {
    std::error_code ec;
    auto c = fs::weakly_canonical(f, ec);
    return ec ? f : c.string();
  };
  std::vector<std::string> unique, seen;
  files.push_back(system_file);
  for (const auto& f : files) {
    std::string c = canonical(f);
    if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
    seen.push_back(c);
    unique.push_back(f);
  }
  std::vector<Source> sources;
  if (!load_sources(unique, sources)) return 1;
  TypeLibrary lib = runtime_library();
  lang::TypeScope scope;
  bool ok = compile_all(sources, lib, scope);
  print(sources);
  if (!ok) return 1;
  const lang::SystemDef* sys = nullptr;
  const std::string sys_canon = canonical(system_file);
  for (const auto& s : sources)
    if (canonical(s.path) == sys_canon && !s.compiled.systems.empty()) sys = &s.compiled.systems[0];
  if (!sys) {
    std::fprintf(stderr, "%s: error: the file defines no SYSTEM\n", system_file.c_str());
    return 1;
  }
  auto device = Device::load(sys->resources, sys->application, lib);
  if (!device) {
    std::fputs(device.errors().str().c_str(), stderr);
    return 1;
  }
  MonotonicClock clock;
  const Time origin = clock.now();
  std::vector<std::unique_ptr<Printer>> printers;
  for (size_t k = 0; k < (*device)->size(); ++k) {
    Resource& r = (*device)->at(k);
    printers.push_back(std::make_unique<Printer>(r, (*device)->name_of(k), origin));
    r.set_observer(printers.back().get());
    for (uint32_t fb = 0; fb < r.fb_count(); ++fb) {
      const std::string& name = r.name_of(FbIndex{fb});
      if (name == "START") continue;
      for (uint16_t e = 0; e < r.type_of(FbIndex{fb}).iface.event_outputs.size(); ++e) r.observe(FbIndex{fb}, EventId{e}, true);
    }
  }
  std::printf("system %s: %zu resource%s\n", sys->name.c_str(), (*device)->size(), (*device)->size() == 1 ? "" : "s");
  std::fflush(stdout);
  // Input points (MIO_IN) by address, read before the resources run; a
  // thread turns `ADDR := TRUE` lines of the standard input into writes.
  std::vector<std::pair<std::string, std::pair<Resource*, FbIndex>>> points;
  for (size_t k = 0; k < (*device)->size(); ++k) {
    Resource& r = (*device)->at(k);
    for (uint32_t fb = 0; fb < r.fb_count(); ++fb)
      if (r.type_of(FbIndex{fb}).name == "MIO_IN") {
        const auto& iface = r.type_of(FbIndex{fb}).iface;
        points.push_back({read_string(iface.inputs[0], r.vars(FbIndex{fb})), {&r, FbIndex{fb}}});
      }
  }
  if (!points.empty()) {
    std::thread([points] {
      std::string line;
      while (std::getline(std::cin, line)) {
        auto assign = line.find(":=");
        if (assign == std::string::npos) continue;
        auto trim = [](std::string x) {
          x.erase(0, x.find_first_not_of(" \t"));
          x.erase(x.find_last_not_of(" \t\r") + 1);
          return x;
        };
        std::string addr = trim(line.substr(0, assign)), text = trim(line.substr(assign + 2));
        auto v = parse_literal(DataType::kBool, text);
        bool found = false;
        for (const auto& [a, where] : points)
          if (a == addr && v) found = write_input(*where.first, where.second, v->as_bool());
        if (!found) std::fprintf(stderr, "plc: no input point '%s' or no BOOL value '%s'\n", addr.c_str(), text.c_str());
      }
    }).detach();
  }
  for (size_t k = 0; k < (*device)->size(); ++k) (*device)->at(k).start(true);
  const Time end = for_seconds > 0 ? origin + Time(int64_t(for_seconds * 1e9)) : kNever;
  for (;;) {
    Time now = clock.now();
    if (now >= end) break;
    bool busy = false;
    Time next = end;
    for (size_t k = 0; k < (*device)->size(); ++k) {
      StepResult s = (*device)->at(k).step(now);
      busy |= s.more_work || s.dispatched;
      next = std::min(next, s.next_deadline);
    }
    if (busy) continue;
    // Sleep until the next timer, but wake up often enough for the inboxes.
    Time wait = std::min<Time>(next - now, std::chrono::milliseconds(10));
    if (wait > Time{0}) std::this_thread::sleep_for(wait);
  }
  for (size_t k = 0; k < (*device)->size(); ++k) {
    (*device)->at(k).stop();
    (*device)->at(k).step(clock.now());
  }
  return 0;
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
  if (args[0] == "conformance") {
    if (args.size() != 2) return usage();
    return conformance(args[1]);
  }
  if (args[0] == "run") {
    double for_seconds = 0;
    std::vector<std::string> libs;
    std::string system;
    for (size_t k = 1; k < args.size(); ++k) {
      if (args[k] == "--for" && k + 1 < args.size()) {
        char* end = nullptr;
        for_seconds = std::strtod(args[++k].c_str(), &end);
        if (!end || *end || for_seconds <= 0) return usage();
      } else if (args[k] == "--lib" && k + 1 < args.size()) {
        libs.push_back(args[++k]);
      } else if (system.empty() && args[k][0] != '-') {
        system = args[k];
      } else {
        return usage();
      }
    }
    if (system.empty()) return usage();
    return run(for_seconds, libs, system);
  }
  return usage();
}
