// Helpers for the tests of the generic native blocks: one instance "F" of
// a type, its generic inputs typed by literal parameters (INT#5, 'text'),
// REQ fired, outputs read by name.
#pragma once

#include <string>
#include <vector>

#include "tests/test_support.h"

namespace plc::test {

struct Generic {
  Generic(const std::string& type, std::vector<Parameter> params, const TypeLibrary& lib = standard_library())
      : rig(FbNetwork{{{"F", type, std::move(params), ""}}, {}, {}}, {}, lib) {}
  Generic(const FbNetwork& net, const TypeLibrary& lib) : rig(net, {}, lib) {}

  const Interface& iface(const std::string& fb = "F") { return rig.res->type_of(rig.fb(fb)).iface; }
  // Fires F.`ei` and returns the names of the events that came out.
  std::vector<std::string> fire(const std::string& ei = "REQ", const std::string& fb = "F") {
    std::vector<std::string> names;
    for (const auto& e : rig.fire(fb, ei)) names.push_back(e.substr(0, e.find('(')));
    return names;
  }
  const VarDecl& decl(const std::string& var, const std::string& fb = "F") {
    const auto& i = iface(fb);
    if (auto k = i.find_output(var)) return i.outputs[*k];
    auto k = i.find_input(var);
    REQUIRE(k);
    return i.inputs[*k];
  }
  Value* slots(const std::string& var, const std::string& fb = "F") { return &rig.var(fb, var); }
  Value value(const std::string& var, const std::string& fb = "F") { return rig.var(fb, var); }
  std::string text(const std::string& var, const std::string& fb = "F") {
    return read_string(decl(var, fb), slots(var, fb));
  }
  void set_text(const std::string& var, const std::string& s, const std::string& fb = "F") {
    write_string(decl(var, fb), s, slots(var, fb));
  }
  DataType type(const std::string& var, const std::string& fb = "F") { return decl(var, fb).type; }

  Rig rig;
};

// F of `type` run once with `params`: its OUT as text.
inline std::string text_of(const std::string& type, std::vector<Parameter> params, const std::string& out = "OUT") {
  Generic g(type, std::move(params));
  REQUIRE(g.fire() == std::vector<std::string>{"F.CNF"});
  return g.text(out);
}

}  // namespace plc::test
