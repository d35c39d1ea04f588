// The C++ API that produces algorithms (algorithm.h). The Structured Text
// compiler uses it; tests and native libraries can too:
//
//   AlgorithmBuilder b(iface, "REQ");
//   uint16_t t = b.temp();
//   b.op(Op::kAnd, t, b.var("A"), b.var("B"));   // t := A AND B
//   b.op(Op::kMov, b.var("Q"), t);               // Q := t
//   Algorithm alg = b.build();
//
// Registers are instance slots; temp() adds hidden internals "$t0", "$t1"
// ... to the interface (shared by all algorithms of the type).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/algorithm.h"
#include "runtime/fb_type.h"

namespace plc {

class AlgorithmBuilder {
 public:
  using Label = uint32_t;

  AlgorithmBuilder(Interface& iface, std::string name) : iface_(iface) { alg_.name = std::move(name); }

  // First slot of a declared variable (input, output or internal).
  uint16_t var(std::string_view name) const {
    if (auto k = iface_.find_input(name)) return checked(iface_.input_slot(*k));
    if (auto k = iface_.find_output(name)) return checked(iface_.output_slot(*k));
    if (auto k = iface_.find_internal(name)) return checked(iface_.internal_slot(*k));
    die("unknown variable", name);
  }

  // A scratch register, private to this algorithm while it runs.
  uint16_t temp() {
    std::string name = "$t" + std::to_string(temps_++);
    if (!iface_.find_internal(name)) iface_.internals.push_back({name, DataType::kLword, {}, 0, 0, nullptr});
    return var(name);
  }

  // A temp loaded with `v`.
  uint16_t constant(Value v) {
    uint16_t r = temp();
    op(Op::kLoadK, r, uint16_t(alg_.constants.size()));
    alg_.constants.push_back(v);
    return r;
  }

  AlgorithmBuilder& op(Op o, uint16_t a, uint16_t b = 0, uint16_t c = 0, uint8_t x = 0) {
    alg_.code.push_back({o, x, a, b, c});
    return *this;
  }

  Label new_label() {
    labels_.push_back(kUnbound);
    return Label(labels_.size() - 1);
  }
  void bind(Label l) { labels_[l] = uint32_t(alg_.code.size()); }
  // kJmp, kJz or kJnz to a label, resolved by build().
  void jump(Op o, uint16_t cond, Label l) {
    fixups_.push_back({uint32_t(alg_.code.size()), l});
    op(o, cond);
  }

  size_t size() const { return alg_.code.size(); }
  // Code emitted so far, for peephole rewrites by the compiler.
  Instr& at(size_t k) { return alg_.code[k]; }
  // Adds a constant to the pool without loading it; returns its index.
  uint16_t add_constant(Value v) {
    alg_.constants.push_back(v);
    return uint16_t(alg_.constants.size() - 1);
  }
  size_t constant_count() const { return alg_.constants.size(); }

  Algorithm build() {
    for (auto [at, label] : fixups_) {
      uint32_t to = labels_[label];
      if (to == kUnbound) die("jump to an unbound label in", alg_.name);
      alg_.code[at].b = uint16_t(to & 0xFFFF);
      alg_.code[at].c = uint16_t(to >> 16);
    }
    if (alg_.code.empty() || (alg_.code.back().op != Op::kEnd && alg_.code.back().op != Op::kRet)) op(Op::kEnd, 0);
    return std::move(alg_);
  }

 private:
  static constexpr uint32_t kUnbound = UINT32_MAX;

  [[noreturn]] static void die(const char* what, std::string_view name) {
    std::fprintf(stderr, "AlgorithmBuilder: %s '%.*s'\n", what, int(name.size()), name.data());
    std::abort();
  }
  static uint16_t checked(uint32_t slot) {
    if (slot > UINT16_MAX) die("more than 65535 slots in an FB type at", "");
    return uint16_t(slot);
  }

  Interface& iface_;
  Algorithm alg_;
  unsigned temps_ = 0;
  std::vector<uint32_t> labels_;
  std::vector<std::pair<uint32_t, Label>> fixups_;
};

}  // namespace plc
