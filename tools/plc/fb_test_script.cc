#include "tools/plc/fb_test_script.h"

#include <cctype>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>

#include "runtime/clock.h"
#include "runtime/resource.h"

namespace plc {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The first word of `s` (up to a blank), removed from it.
std::string_view word(std::string_view& s) {
  s = trim(s);
  size_t n = 0;
  while (n < s.size() && !std::isspace(static_cast<unsigned char>(s[n]))) ++n;
  std::string_view w = s.substr(0, n);
  s = trim(s.substr(n));
  return w;
}

std::vector<std::string> split_names(std::string_view s) {
  std::vector<std::string> names;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view n = trim(s.substr(0, comma));
    if (!n.empty()) names.emplace_back(n);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return names;
}

// Records the names of the event outputs of the instance under test.
class Outputs final : public ResourceObserver {
 public:
  explicit Outputs(Resource& r) : r_(r) {}
  void on_output(FbIndex fb, EventId eo, const Value*) noexcept override {
    events.push_back(r_.type_of(fb).iface.event_outputs[index_of(eo)].name);
  }
  void on_fault(FbIndex fb, const char* what, const std::string& where) noexcept override {
    faults.push_back(r_.name_of(fb) + "/" + where + ": " + what);
  }
  std::vector<std::string> events;
  std::vector<std::string> faults;

 private:
  Resource& r_;
};

struct Variable {
  const VarDecl* decl = nullptr;
  Value* slots = nullptr;
  uint32_t count = 0;  // slots the variable has
};

std::string format_variable(const VarDecl& d, const Value* v) {
  auto one = [&](const Value* e) {
    if (d.type == DataType::kString || d.type == DataType::kWstring) return "'" + read_string(d, e) + "'";
    if (d.type == DataType::kStruct) return std::string("(a structure)");
    return format_value(d.type, e[0]);
  };
  if (d.array_size == 0) return one(v);
  std::string s = "[";
  for (uint32_t k = 0; k < d.array_size; ++k) s += (k ? ", " : "") + one(v + k * d.element_slots());
  return s + "]";
}

class Script {
 public:
  Script(const std::string& path, const TypeLibrary& lib) : path_(path), lib_(lib) {}

  FbTestResult run(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line) && result_.error.empty()) {
      ++line_no_;
      std::string_view rest = trim(line);
      if (rest.empty() || rest.front() == '#') continue;
      command(rest);
    }
    if (result_.error.empty() && !res_) error("no `type` command: nothing was tested");
    return std::move(result_);
  }

 private:
  std::string at() const { return path_ + ":" + std::to_string(line_no_) + ": "; }
  void error(const std::string& what) { result_.error = at() + "error: " + what; }
  void fail(const std::string& what) { result_.failures.push_back(at() + "FAIL: " + what); }

  void command(std::string_view rest) {
    std::string verb(word(rest));
    for (auto& c : verb) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (verb == "type") return type(rest);
    if (!res_) return error("the first command must be `type NAME`, found `" + verb + "`");
    if (verb == "set") return set(rest);
    if (verb == "event") return event(rest);
    if (verb == "advance") return advance(rest);
    if (verb == "expect") return expect(rest);
    error("unknown command `" + verb + "` (type, set, event, advance, expect)");
  }

  void type(std::string_view rest) {
    if (res_) return error("a script tests one type: `type` given twice");
    std::string name(word(rest));
    if (name.empty() || !rest.empty()) return error("expected `type NAME`");
    if (!lib_.find(name)) return error("no FB type " + name + " was loaded");
    FbNetwork net;
    net.fbs.push_back({"UUT", name, {}, at()});
    auto loaded = Resource::load(net, lib_);
    if (!loaded) return error("cannot load " + name + ": " + loaded.errors().str());
    res_ = std::move(loaded.value());
    outputs_ = std::make_unique<Outputs>(*res_);
    res_->set_observer(outputs_.get());
    uut_ = *res_->find_fb("UUT");
    for (uint16_t k = 0; k < res_->type_of(uut_).iface.event_outputs.size(); ++k) res_->observe(uut_, EventId{k}, true);
    settle();
  }

  std::optional<Variable> variable(std::string_view name) {
    const auto& iface = res_->type_of(uut_).iface;
    Variable v;
    uint32_t slot = 0;
    if (auto k = iface.find_input(name)) v.decl = &iface.inputs[*k], slot = iface.input_slot(*k);
    else if (auto k = iface.find_output(name)) v.decl = &iface.outputs[*k], slot = iface.output_slot(*k);
    else if (auto k = iface.find_internal(name)) v.decl = &iface.internals[*k], slot = iface.internal_slot(*k);
    else return std::nullopt;
    v.slots = res_->vars(uut_) + slot;
    v.count = v.decl->slots();
    return v;
  }

  void set(std::string_view rest) {
    size_t assign = rest.find(":=");
    if (assign == std::string_view::npos) return error("expected `set VAR := LITERAL`");
    std::string name(trim(rest.substr(0, assign)));
    auto v = variable(name);
    if (!v) return error(res_->type_of(uut_).name + " has no variable " + name);
    std::vector<Value> parsed(v->slots, v->slots + v->count);
    if (!parse_var_literal(*v->decl, trim(rest.substr(assign + 2)), parsed.data()))
      return error("`" + std::string(trim(rest.substr(assign + 2))) + "` is no literal of " + name + "'s type");
    std::copy(parsed.begin(), parsed.end(), v->slots);
  }

  void event(std::string_view rest) {
    std::string name(trim(rest));
    auto e = res_->type_of(uut_).iface.find_event_input(name);
    if (!e) return error(res_->type_of(uut_).name + " has no event input " + name);
    if (!res_->inject(uut_, *e)) return error("the event queue refused " + name);
    settle();
  }

  void advance(std::string_view rest) {
    auto d = parse_literal(DataType::kTime, trim(rest));
    if (!d || d->i < 0) return error("expected `advance TIME`, e.g. advance T#250ms");
    clock_.advance(Duration(d->i));
    settle();
  }

  // Runs until idle at the current virtual time; a fault fails this line.
  void settle() {
    for (int steps = 0; res_->step(clock_.now()).more_work; ++steps)
      if (steps == 1000000) return fail("still busy after a million steps: an endless event loop?");
    for (const auto& f : outputs_->faults) fail("fault in " + f);
    outputs_->faults.clear();
  }

  void expect(std::string_view rest) {
    std::string_view what = rest;
    std::string first(word(what));
    for (auto& c : first) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (first == "no" && trim(what) == "events") return expect_events({});
    if (first == "events") return expect_events(split_names(what));
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos)
      return error("expected `expect VAR = LITERAL`, `expect events ...` or `expect no events`");
    std::string name(trim(rest.substr(0, eq)));
    std::string_view literal = trim(rest.substr(eq + 1));
    auto v = variable(name);
    if (!v) return error(res_->type_of(uut_).name + " has no variable " + name);
    std::vector<Value> want(v->count);
    write_initial(*v->decl, want.data());
    if (!parse_var_literal(*v->decl, literal, want.data()))
      return error("`" + std::string(literal) + "` is no literal of " + name + "'s type");
    bool same = true;
    for (uint32_t k = 0; k < v->count; ++k) same &= want[k].u == v->slots[k].u;
    if (same) {
      ++result_.checks;
      return;
    }
    fail("expected " + name + " = " + format_variable(*v->decl, want.data()) + ", got " +
         format_variable(*v->decl, v->slots));
  }

  void expect_events(const std::vector<std::string> want) {
    std::vector<std::string> got = std::exchange(outputs_->events, {});
    bool same = want.size() == got.size();
    for (size_t k = 0; same && k < want.size(); ++k) same = same_identifier(want[k], got[k]);
    if (same) {
      ++result_.checks;
      return;
    }
    auto list = [](const std::vector<std::string>& v) {
      if (v.empty()) return std::string("no events");
      std::string s;
      for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
      return s;
    };
    fail("expected " + list(want) + ", got " + list(got));
  }

  std::string path_;
  const TypeLibrary& lib_;
  FbTestResult result_;
  int line_no_ = 0;
  VirtualClock clock_;
  std::unique_ptr<Resource> res_;
  std::unique_ptr<Outputs> outputs_;
  FbIndex uut_{};
};

}  // namespace

FbTestResult run_fb_test_script(const std::string& path, const std::string& text, const TypeLibrary& lib) {
  return Script(path, lib).run(text);
}

}  // namespace plc
