// A terse way to declare an FB type's interface in C++, used by the native
// standard blocks and by tests:
//
//   FbTypeBuilder("E_CTU")
//       .event_input("CU", {"PV"}).event_input("R")
//       .event_output("CUO", {"Q", "CV"}).event_output("RO", {"Q", "CV"})
//       .input("PV", DataType::kUint).output("Q", DataType::kBool).output("CV", DataType::kUint)
//       .native({on_event, nullptr})
//       .build();
//
// WITH lists name variables; build() resolves them (declaration order of
// the calls does not matter) and aborts on a name that does not exist,
// since the declarations are part of the program, not user input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <functional>
#include <memory>

#include "runtime/algorithm_builder.h"
#include "runtime/ecc.h"
#include "runtime/fb_type.h"

namespace plc {

class FbTypeBuilder {
 public:
  explicit FbTypeBuilder(std::string name) { t_.name = std::move(name); }

  FbTypeBuilder& event_input(std::string name, std::initializer_list<const char*> with = {}) {
    ei_with_.emplace_back(with.begin(), with.end());
    t_.iface.event_inputs.push_back({std::move(name), {}});
    return *this;
  }
  FbTypeBuilder& event_output(std::string name, std::initializer_list<const char*> with = {}) {
    eo_with_.emplace_back(with.begin(), with.end());
    t_.iface.event_outputs.push_back({std::move(name), {}});
    return *this;
  }
  FbTypeBuilder& input(std::string name, DataType type, Value initial = {.u = 0}) {
    t_.iface.inputs.push_back({std::move(name), type, initial, 0, 0, nullptr});
    return *this;
  }
  FbTypeBuilder& output(std::string name, DataType type, Value initial = {.u = 0}) {
    t_.iface.outputs.push_back({std::move(name), type, initial, 0, 0, nullptr});
    return *this;
  }
  FbTypeBuilder& internal(std::string name, DataType type, Value initial = {.u = 0}) {
    t_.iface.internals.push_back({std::move(name), type, initial, 0, 0, nullptr});
    return *this;
  }
  // ARRAY[0..size-1] OF type, every element starting at `initial`.
  FbTypeBuilder& input_array(std::string name, DataType type, uint32_t size, Value initial = {.u = 0}) {
    t_.iface.inputs.push_back({std::move(name), type, initial, size, 0, nullptr});
    return *this;
  }
  FbTypeBuilder& output_array(std::string name, DataType type, uint32_t size, Value initial = {.u = 0}) {
    t_.iface.outputs.push_back({std::move(name), type, initial, size, 0, nullptr});
    return *this;
  }
  FbTypeBuilder& internal_array(std::string name, DataType type, uint32_t size, Value initial = {.u = 0}) {
    t_.iface.internals.push_back({std::move(name), type, initial, size, 0, nullptr});
    return *this;
  }
  // A port of class `c` in type group `group` (generic_type.h); `element`:
  // it holds one element of the group's (array) type.
  FbTypeBuilder& generic_input(std::string name, GenericClass c, uint8_t group, bool element = false) {
    t_.iface.inputs.push_back(generic_var(std::move(name), c, group, element));
    return *this;
  }
  FbTypeBuilder& generic_output(std::string name, GenericClass c, uint8_t group, bool element = false) {
    t_.iface.outputs.push_back(generic_var(std::move(name), c, group, element));
    return *this;
  }
  static VarDecl generic_var(std::string name, GenericClass c, uint8_t group, bool element) {
    VarDecl v;
    v.name = std::move(name);
    v.type = default_type(c).value_or(DataType::kLreal);
    v.generic = c;
    v.generic_group = group;
    v.generic_element = element;
    return v;
  }
  // A variable of any shape (struct, string capacity, array): the general form.
  FbTypeBuilder& input(VarDecl v) {
    t_.iface.inputs.push_back(std::move(v));
    return *this;
  }
  FbTypeBuilder& output(VarDecl v) {
    t_.iface.outputs.push_back(std::move(v));
    return *this;
  }
  FbTypeBuilder& comment(std::string c) {
    t_.comment = std::move(c);
    return *this;
  }
  FbTypeBuilder& native(NativeBehaviour b) {
    t_.kind = FbKind::kNative;
    t_.native = b;
    return *this;
  }

  // ---- basic FBs: algorithms, ECC states (the first is initial), transitions ----
  using AlgorithmBody = std::function<void(AlgorithmBuilder&)>;
  FbTypeBuilder& algorithm(std::string name, AlgorithmBody body) {
    algorithms_.push_back({std::move(name), std::move(body)});
    return *this;
  }
  struct Action {
    const char* algorithm;  // nullptr or "" for none
    const char* output;     // nullptr or "" for none
  };
  FbTypeBuilder& state(std::string name, std::initializer_list<Action> actions = {}) {
    states_.push_back({std::move(name), std::vector<Action>(actions)});
    return *this;
  }
  // `event` and `guard` (an algorithm returning BOOL) may be "" for none.
  FbTypeBuilder& transition(std::string from, std::string to, std::string event, std::string guard = "") {
    transitions_.push_back({std::move(from), std::move(to), std::move(event), std::move(guard)});
    return *this;
  }
  // ---- composite FBs: the inner network, boundary ports without "FB." ----
  FbTypeBuilder& composite(FbNetwork network) {
    t_.kind = FbKind::kComposite;
    t_.network = std::make_shared<const FbNetwork>(std::move(network));
    return *this;
  }
  // ---- simple FBs: event input -> algorithm, then outputs ----
  FbTypeBuilder& on(std::string event_input, std::string algorithm, std::initializer_list<const char*> outputs) {
    simple_.push_back({std::move(event_input), std::move(algorithm), std::vector<const char*>(outputs)});
    return *this;
  }

  FbType build() {
    resolve(t_.iface.event_inputs, ei_with_, [&](const char* n) { return t_.iface.find_input(n); });
    resolve(t_.iface.event_outputs, eo_with_, [&](const char* n) { return t_.iface.find_output(n); });
    if (!states_.empty()) build_ecc();
    else if (!simple_.empty()) build_simple();
    return std::move(t_);
  }

 private:
  template <typename Find>
  void resolve(std::vector<EventDecl>& events, const std::vector<std::vector<const char*>>& with, Find find) {
    for (size_t k = 0; k < events.size(); ++k)
      for (const char* n : with[k]) {
        auto idx = find(n);
        if (!idx) {
          std::fprintf(stderr, "FB type %s: WITH of %s names unknown variable %s\n", t_.name.c_str(),
                       events[k].name.c_str(), n);
          std::abort();
        }
        events[k].with.push_back(*idx);
      }
  }

  void build_algorithms() {
    for (auto& [name, body] : algorithms_) {
      AlgorithmBuilder b(t_.iface, name);
      body(b);
      t_.algorithms.push_back(b.build());
    }
  }
  int32_t algorithm_index(const std::string& name) {
    if (name.empty()) return kNoAlgorithm;
    for (size_t k = 0; k < t_.algorithms.size(); ++k)
      if (same_identifier(t_.algorithms[k].name, name)) return int32_t(k);
    fail("unknown algorithm", name);
  }
  EventId output_id(const char* name) {
    if (!name || !*name) return kNoEvent;
    if (auto e = t_.iface.find_event_output(name)) return *e;
    fail("unknown event output", name);
  }
  [[noreturn]] void fail(const char* what, const std::string& name) {
    std::fprintf(stderr, "FB type %s: %s %s\n", t_.name.c_str(), what, name.c_str());
    std::abort();
  }

  void build_ecc() {
    t_.iface.internals.push_back({"$state", DataType::kUint, {}, 0, 0, nullptr});
    build_algorithms();
    auto ecc = std::make_shared<Ecc>();
    auto state_index = [&](const std::string& n) -> uint16_t {
      for (size_t k = 0; k < states_.size(); ++k)
        if (same_identifier(states_[k].name, n)) return uint16_t(k);
      fail("unknown ECC state", n);
    };
    for (auto& [name, actions] : states_) {
      EccState st{name, {}};
      for (const Action& a : actions)
        st.actions.push_back({algorithm_index(a.algorithm ? a.algorithm : ""), output_id(a.output)});
      ecc->states.push_back(std::move(st));
    }
    for (auto& tr : transitions_) {
      EventId ev = kNoEvent;
      if (!tr.event.empty()) {
        auto e = t_.iface.find_event_input(tr.event);
        if (!e) fail("unknown event input", tr.event);
        ev = *e;
      }
      ecc->transitions.push_back({state_index(tr.from), state_index(tr.to), ev, algorithm_index(tr.guard)});
    }
    make_basic(t_, std::move(ecc));
  }

  void build_simple() {
    build_algorithms();
    t_.simple.assign(t_.iface.event_inputs.size(), {});
    for (auto& [ei, alg, outs] : simple_) {
      auto e = t_.iface.find_event_input(ei);
      if (!e) fail("unknown event input", ei);
      auto& se = t_.simple[index_of(*e)];
      se.algorithm = algorithm_index(alg);
      for (const char* o : outs) se.outputs.push_back(output_id(o));
    }
    t_.kind = FbKind::kSimple;
    t_.native = {simple_on_event, nullptr};
  }

  struct StateDecl {
    std::string name;
    std::vector<Action> actions;
  };
  struct TransitionDecl {
    std::string from, to, event, guard;
  };
  struct SimpleDecl {
    std::string event;
    std::string algorithm;
    std::vector<const char*> outputs;
  };

  FbType t_;
  std::vector<std::vector<const char*>> ei_with_, eo_with_;
  std::vector<std::pair<std::string, AlgorithmBody>> algorithms_;
  std::vector<StateDecl> states_;
  std::vector<TransitionDecl> transitions_;
  std::vector<SimpleDecl> simple_;
};

}  // namespace plc
