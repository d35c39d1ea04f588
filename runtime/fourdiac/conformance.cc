#include "runtime/fourdiac/conformance.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "runtime/fourdiac/sys_importer.h"
#include "runtime/fourdiac/type_folder.h"
#include "runtime/language/fb_type_compiler.h"
#include "runtime/process_image.h"
#include "runtime/resource.h"

namespace plc::fourdiac {
namespace {

std::string literal_of(const VarDecl& var, const Value* slots) {
  if (var.type == DataType::kString || var.type == DataType::kWstring) return "'" + read_string(var, slots) + "'";
  return format_value(var.type, slots[0]);
}

// One output event as it happened: "FB.EO" and its WITH values.
struct Recorded {
  std::string name;
  std::vector<std::pair<const VarDecl*, std::vector<Value>>> values;
  std::string str() const {
    std::string s = name;
    if (values.empty()) return s;
    s += "(";
    for (size_t k = 0; k < values.size(); ++k)
      s += (k ? "," : "") + values[k].first->name + "=" + literal_of(*values[k].first, values[k].second.data());
    return s + ")";
  }
};

class Trace : public ResourceObserver {
 public:
  explicit Trace(Resource& r) : r_(r) {
    r.set_observer(this);
    for (uint32_t fb = 0; fb < r.fb_count(); ++fb) {
      if (r.name_of(FbIndex{fb}) == "START") continue;
      for (uint16_t k = 0; k < r.type_of(FbIndex{fb}).iface.event_outputs.size(); ++k)
        r.observe(FbIndex{fb}, EventId{k}, true);
    }
  }
  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
    const auto& iface = r_.type_of(fb).iface;
    const auto& decl = iface.event_outputs[index_of(eo)];
    Recorded e{r_.name_of(fb) + "." + decl.name, {}};
    for (uint16_t w : decl.with) {
      const VarDecl& var = iface.outputs[w];
      const Value* v = vars + iface.output_slot(w);
      e.values.push_back({&var, std::vector<Value>(v, v + var.slots())});
    }
    events.push_back(std::move(e));
  }
  void on_overflow(FbIndex, EventId, uint64_t) noexcept override { ++overflows; }
  void on_fault(FbIndex fb, const char* what, const std::string& where) noexcept override {
    faults.push_back(r_.name_of(fb) + " " + where + ": " + what);
  }

  std::vector<Recorded> events;
  std::vector<std::string> faults;
  uint64_t overflows = 0;

 private:
  Resource& r_;
};

// "FB.EO(A=1,B=TRUE)" -> name and (var, literal) pairs.
void split_expected(const std::string& e, std::string& name, std::vector<std::pair<std::string, std::string>>& values) {
  auto open = e.find('(');
  name = e.substr(0, open);
  if (open == std::string::npos || e.back() != ')') return;
  std::string inner = e.substr(open + 1, e.size() - open - 2);
  size_t start = 0;
  int quote = 0;
  for (size_t k = 0; k <= inner.size(); ++k) {
    if (k < inner.size() && inner[k] == '\'') quote ^= 1;
    if (k == inner.size() || (inner[k] == ',' && !quote)) {
      std::string item = inner.substr(start, k - start);
      auto eq = item.find('=');
      if (eq != std::string::npos) values.push_back({item.substr(0, eq), item.substr(eq + 1)});
      start = k + 1;
    }
  }
}

// Whether the slots hold the literal (parsed for the variable's type).
bool holds(const VarDecl& var, const Value* slots, const std::string& literal) {
  if (var.type == DataType::kString || var.type == DataType::kWstring) {
    std::string text = literal;
    if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"')) text = text.substr(1, text.size() - 2);
    return read_string(var, slots) == text;
  }
  std::vector<Value> want(var.slots());
  write_initial(var, want.data());
  if (!parse_var_literal(var, literal, want.data())) return false;
  for (size_t k = 0; k < want.size(); ++k) {
    if (is_real(var.type) ? want[k].r != slots[k].r : want[k].u != slots[k].u) return false;
  }
  return true;
}

bool matches(const std::string& expected, const Recorded& got) {
  std::string name;
  std::vector<std::pair<std::string, std::string>> values;
  split_expected(expected, name, values);
  if (!same_identifier(name, got.name)) return false;
  for (const auto& value : values) {
    const std::string& var = value.first;  // a structured binding cannot be captured before C++20 in clang 14
    auto it = std::find_if(got.values.begin(), got.values.end(),
                           [&](const auto& v) { return same_identifier(v.first->name, var); });
    if (it == got.values.end() || !holds(*it->first, it->second.data(), value.second)) return false;
  }
  return true;
}

std::string list(const std::vector<Recorded>& events) {
  std::string s;
  for (const auto& e : events) s += (s.empty() ? "" : ", ") + e.str();
  return "[" + s + "]";
}

// One example, loaded alone: its FBs and the connections among them, named
// as inside the SubApp.
struct Example {
  std::string name;  // "App.SubApp"
  std::string file;
  lang::NetworkAst net;
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
};

std::vector<Example> examples_of(const ImportedApplication& app, const std::string& file) {
  std::vector<Example> out;
  for (const auto& sub : app.network.subapps) {
    if (sub.path.find('.') != std::string::npos) continue;  // nested: part of its parent's example
    Example ex{app.name + "." + sub.path, file, {}, {}};
    const std::string prefix = identifier_key(sub.path + ".");
    auto inside = [&](const std::string& name) { return identifier_key(name).rfind(prefix, 0) == 0; };
    auto strip = [&](const std::string& name) { return name.substr(prefix.size()); };
    for (const auto& f : app.network.net.fbs)
      if (inside(f.name.text)) {
        lang::FbInstanceAst g = f;
        g.name.text = strip(f.name.text);
        ex.net.fbs.push_back(std::move(g));
      }
    for (auto [from, to] : {std::pair{&app.network.net.event_connections, &ex.net.event_connections},
                            std::pair{&app.network.net.data_connections, &ex.net.data_connections}})
      for (const auto& c : *from)
        if (inside(c.source) && inside(c.destination))
          to->push_back({c.loc, strip(c.source), strip(c.destination), false});
    for (const auto& [port, dests] : app.network.entries)
      if (inside(port)) {
        std::vector<std::string> d;
        for (const auto& x : dests)
          if (inside(x)) d.push_back(strip(x));
        ex.entries.push_back({strip(port), std::move(d)});
      }
    out.push_back(std::move(ex));
  }
  return out;
}

class Runner {
 public:
  Runner(const Example& ex, const TypeLibrary& lib) : ex_(ex), lib_(lib) {}

  ExampleResult run(const Expectation& row) {
    ExampleResult res{ex_.name, false, ""};
    Diagnostics d;
    FbNetwork net = lang::network_of(ex_.net, ex_.file, d);
    auto loaded = Resource::load(net, lib_);
    if (!d.ok() || !loaded) {
      res.detail = "does not load: " + (d.ok() ? loaded.errors().str() : d.str());
      return res;
    }
    r_ = std::move(loaded.value());
    trace_ = std::make_unique<Trace>(*r_);
    if (!inject(row.trigger, res.detail)) return res;
    return row.nondeterministic ? nondeterministic(row, res) : deterministic(row, res);
  }

 private:
  bool inject(const std::string& trigger, std::string& detail) {
    for (const auto& [port, dests] : ex_.entries)
      if (same_identifier(port, trigger)) {
        for (const auto& dst : dests)
          if (!inject_one(dst, detail)) return false;
        return true;
      }
    return inject_one(trigger, detail);
  }

  bool inject_one(const std::string& target, std::string& detail) {
    auto dot = target.rfind('.');
    auto fb = dot == std::string::npos ? std::nullopt : r_->find_fb(target.substr(0, dot));
    auto ei = fb ? r_->type_of(*fb).iface.find_event_input(target.substr(dot + 1)) : std::nullopt;
    if (!ei) {
      detail = "the trigger '" + target + "' is no event input of the example";
      return false;
    }
    r_->inject(*fb, *ei);
    return true;
  }

  // Runs until nothing is left to do, firing timers up to `until`; false
  // when it was still busy after kMaxRounds steps or kMaxEvents events (a
  // cycle with no end).
  static constexpr int kMaxRounds = 1000000;
  static constexpr uint64_t kMaxEvents = 10000000;
  bool settle(Time until) {
    for (int round = 0; round < kMaxRounds && r_->stats().dispatched < kMaxEvents; ++round) {
      if (r_->step(clock_.now()).more_work) continue;
      const Time next = r_->next_deadline();
      if (next == kNever || next > until) {
        if (clock_.now() < until) clock_.advance(until - clock_.now());
        return true;
      }
      clock_.advance(next - clock_.now());
    }
    return false;
  }

  bool trouble(std::string& detail) const {
    if (!trace_->faults.empty()) detail = "fault: " + trace_->faults.front();
    else if (trace_->overflows) detail = "queue overflow";
    else return false;
    return true;
  }

  ExampleResult deterministic(const Expectation& row, ExampleResult& res) {
    if (!settle(clock_.now() + kSettle)) {
      res.detail = "never settles (" + std::to_string(trace_->events.size()) + " events so far)";
      return res;
    }
    const auto& got = trace_->events;
    bool ok = got.size() == row.events.size();
    for (size_t k = 0; ok && k < got.size(); ++k) ok = matches(row.events[k], got[k]);
    if (!ok) {
      std::string want;
      for (const auto& e : row.events) want += (want.empty() ? "" : ", ") + e;
      res.detail = "expected [" + want + "], got " + list(got);
      return res;
    }
    if (!check_values(row, res.detail) || trouble(res.detail)) return res;
    res.passed = true;
    res.detail = list(got);
    return res;
  }

  bool check_values(const Expectation& row, std::string& detail) {
    for (const auto& [path, literal] : row.values) {
      auto dot = path.rfind('.');
      auto fb = dot == std::string::npos ? std::nullopt : r_->find_fb(path.substr(0, dot));
      if (!fb) {
        detail = "no FB for '" + path + "'";
        return false;
      }
      const auto& iface = r_->type_of(*fb).iface;
      const std::string var = path.substr(dot + 1);
      const VarDecl* decl = nullptr;
      uint32_t slot = 0;
      if (auto k = iface.find_input(var)) decl = &iface.inputs[*k], slot = iface.input_slot(*k);
      else if (auto k = iface.find_output(var)) decl = &iface.outputs[*k], slot = iface.output_slot(*k);
      else if (auto k = iface.find_internal(var)) decl = &iface.internals[*k], slot = iface.internal_slot(*k);
      if (!decl) {
        detail = "no variable '" + path + "'";
        return false;
      }
      const Value* v = r_->vars(*fb) + slot;
      if (!holds(*decl, v, literal)) {
        detail = path + " is " + literal_of(*decl, v) + ", expected " + literal;
        return false;
      }
    }
    return true;
  }

  ExampleResult nondeterministic(const Expectation& row, ExampleResult& res) {
    if (!settle(clock_.now() + row.run_for)) {
      res.detail = "too busy to reach the end of its run";
      return res;
    }
    for (const auto& want : row.events)
      if (std::none_of(trace_->events.begin(), trace_->events.end(),
                       [&](const Recorded& e) { return matches(want, e); })) {
        res.detail = want + " never fired within the run (" + std::to_string(trace_->events.size()) + " events)";
        return res;
      }
    const size_t during = trace_->events.size();
    if (!row.stop.empty() && !inject(row.stop, res.detail)) return res;
    settle(clock_.now() + row.run_for);  // what was under way ends
    const size_t after_stop = trace_->events.size();
    if (!settle(clock_.now() + row.run_for) || trace_->events.size() != after_stop) {
      res.detail = "still running after " + row.stop + " (" + std::to_string(trace_->events.size() - after_stop) +
                   " more events)";
      return res;
    }
    if (trouble(res.detail)) return res;
    res.passed = true;
    res.detail = std::to_string(during) + " events before " + row.stop + ", " + std::to_string(after_stop - during) +
                 " after, then silence";
    return res;
  }

  const Example& ex_;
  const TypeLibrary& lib_;
  VirtualClock clock_;
  std::unique_ptr<Resource> r_;
  std::unique_ptr<Trace> trace_;
};

}  // namespace

ConformanceReport run_conformance(const std::filesystem::path& dir, const std::vector<Expectation>& table) {
  ConformanceReport report;
  TypeLibrary lib;
  add_standard_blocks(lib);
  add_process_image_blocks(lib);
  lang::TypeScope scope;
  TypeFolder folder({dir}, lib, scope, report.diags);
  std::vector<std::filesystem::path> systems;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".sys") systems.push_back(e.path());
  std::sort(systems.begin(), systems.end());
  if (ec || systems.empty()) report.diags.error(dir.string(), "no .sys file in this folder");

  std::map<std::string, const Expectation*> rows;
  for (const auto& row : table) rows[identifier_key(row.example)] = &row;
  std::map<std::string, bool> seen;
  for (const auto& path : systems) {
    std::string text;
    if (!read_file(path, text)) {
      report.diags.error(path.string(), "cannot read the file");
      continue;
    }
    LibraryElement x(path.string(), std::move(text), report.diags);
    if (!x.ok()) continue;
    ImportedSystem sys = import_system(x, folder);
    for (const auto& app : sys.applications)
      for (const Example& ex : examples_of(app, x.file())) {
        auto it = rows.find(identifier_key(ex.name));
        seen[identifier_key(ex.name)] = true;
        if (it == rows.end()) {
          report.results.push_back({ex.name, false, "no row in the table of expectations"});
          continue;
        }
        report.results.push_back(Runner(ex, lib).run(*it->second));
      }
  }
  for (const auto& row : table)
    if (!seen.count(identifier_key(row.example)))
      report.results.push_back({row.example, false, "not found in " + dir.string()});
  for (const auto& r : report.results) (r.passed ? report.passed : report.failed)++;
  return report;
}

}  // namespace plc::fourdiac
