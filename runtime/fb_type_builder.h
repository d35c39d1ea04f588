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

#include <cstdlib>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

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
    t_.iface.inputs.push_back({std::move(name), type, initial});
    return *this;
  }
  FbTypeBuilder& output(std::string name, DataType type, Value initial = {.u = 0}) {
    t_.iface.outputs.push_back({std::move(name), type, initial});
    return *this;
  }
  FbTypeBuilder& internal(std::string name, DataType type, Value initial = {.u = 0}) {
    t_.iface.internals.push_back({std::move(name), type, initial});
    return *this;
  }
  // ARRAY[0..size-1] OF type, every element starting at `initial`.
  FbTypeBuilder& input_array(std::string name, DataType type, uint32_t size, Value initial = {.u = 0}) {
    t_.iface.inputs.push_back({std::move(name), type, initial, size, 0});
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

  FbType build() {
    resolve(t_.iface.event_inputs, ei_with_, [&](const char* n) { return t_.iface.find_input(n); });
    resolve(t_.iface.event_outputs, eo_with_, [&](const char* n) { return t_.iface.find_output(n); });
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

  FbType t_;
  std::vector<std::vector<const char*>> ei_with_, eo_with_;
};

}  // namespace plc
