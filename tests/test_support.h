// Helpers shared by the engine tests: build a resource from a small network,
// drive it with a virtual clock and record the events it emits.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace plc::test {

inline const TypeLibrary& standard_library() {
  static TypeLibrary lib = [] {
    TypeLibrary l;
    add_standard_blocks(l);
    return l;
  }();
  return lib;
}

// The standard blocks plus `extra` types.
inline TypeLibrary library_with(std::initializer_list<FbType> extra) {
  TypeLibrary l;
  add_standard_blocks(l);
  for (const auto& t : extra) l.add(t);
  return l;
}

// PROBE copies its UINT IN to OUT on REQ and emits CNF WITH OUT: it shows
// which value an event brought.
inline const FbType& probe_type() {
  static const FbType t = FbTypeBuilder("PROBE")
                              .event_input("REQ", {"IN"})
                              .event_output("CNF", {"OUT"})
                              .input("IN", DataType::kUint)
                              .output("OUT", DataType::kUint)
                              .native({[](FbContext& fb, EventId) {
                                         fb.v[1] = fb.v[0];
                                         fb.emit(EventId{0});
                                       },
                                       nullptr})
                              .build();
  return t;
}

// Records "FB.EO" for every observed output, with the WITH values as
// "FB.EO(Q=TRUE,CV=3)".
class Recorder : public ResourceObserver {
 public:
  explicit Recorder(Resource& r) : r_(r) { r.set_observer(this); }
  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
    const auto& iface = r_.type_of(fb).iface;
    const auto& decl = iface.event_outputs[index_of(eo)];
    std::string s = r_.name_of(fb) + "." + decl.name;
    if (!decl.with.empty()) {
      s += "(";
      for (size_t k = 0; k < decl.with.size(); ++k) {
        const auto& var = iface.outputs[decl.with[k]];
        s += (k ? "," : "") + var.name + "=" + format_value(var.type, vars[iface.output_slot(decl.with[k])]);
      }
      s += ")";
    }
    events.push_back(s);
  }
  void on_overflow(FbIndex, EventId, uint64_t total) noexcept override { overflows = total; }
  void on_runaway(FbIndex fb) noexcept override { runaways.push_back(r_.name_of(fb)); }
  void on_fault(FbIndex fb, const char* what, const std::string& where) noexcept override {
    faults.push_back(r_.name_of(fb) + "/" + where + ": " + what);
  }
  // Observes every event output of every FB.
  void observe_all() {
    for (uint32_t fb = 0; fb < r_.fb_count(); ++fb)
      for (uint16_t k = 0; k < r_.type_of(FbIndex{fb}).iface.event_outputs.size(); ++k)
        r_.observe(FbIndex{fb}, EventId{k}, true);
  }
  std::vector<std::string> take() { return std::exchange(events, {}); }

  std::vector<std::string> events;
  std::vector<std::string> runaways;
  std::vector<std::string> faults;
  uint64_t overflows = 0;

 private:
  Resource& r_;
};

// A loaded resource, its recorder and a virtual clock.
struct Rig {
  explicit Rig(const FbNetwork& net, ResourceOptions o = {}, const TypeLibrary& lib = standard_library()) {
    auto loaded = Resource::load(net, lib, o);
    if (!loaded) FAIL(loaded.errors().str());
    res = std::move(loaded.value());
    rec = std::make_unique<Recorder>(*res);
    rec->observe_all();
  }
  FbIndex fb(const std::string& name) {
    auto f = res->find_fb(name);
    REQUIRE(f);
    return *f;
  }
  // Injects FB.EI and runs until idle at the current virtual time.
  std::vector<std::string> fire(const std::string& fb_name, const std::string& ei) {
    FbIndex f = fb(fb_name);
    auto e = res->type_of(f).iface.find_event_input(ei);
    REQUIRE(e);
    REQUIRE(res->inject(f, *e));
    run();
    return rec->take();
  }
  void run() {
    while (res->step(clock.now()).more_work) {
    }
  }
  // Advances virtual time, firing timers on the way.
  std::vector<std::string> advance(Duration d) {
    clock.advance(d);
    run();
    return rec->take();
  }
  Value& var(const std::string& fb_name, const std::string& var_name) {
    FbIndex f = fb(fb_name);
    const auto& iface = res->type_of(f).iface;
    if (auto k = iface.find_input(var_name)) return res->vars(f)[iface.input_slot(*k)];
    if (auto k = iface.find_output(var_name)) return res->vars(f)[iface.output_slot(*k)];
    auto k = iface.find_internal(var_name);
    REQUIRE(k);
    return res->vars(f)[iface.internal_slot(*k)];
  }

  VirtualClock clock;
  std::unique_ptr<Resource> res;
  std::unique_ptr<Recorder> rec;
};

using Events = std::vector<std::string>;

}  // namespace plc::test
