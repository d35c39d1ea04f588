// Applications mapped onto several resources of a device (runtime/device.h).
#include <atomic>
#include <thread>

#include "runtime/device.h"
#include "runtime/scheduler.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// C (on R1) counts; each CUO goes to K.CU on R2 carrying CV into K.PV.
Application counter_pair() {
  return {"APP",
          {{{"C", "E_CTU", {{"PV", "100"}}, ""}, {"K", "E_CTU", {}, ""}},
           {{"C.CUO", "K.CU", "app:3"}},
           {{"C.CV", "K.PV", "app:4"}}},
          {{"C", "R1", ""}, {"K", "R2", ""}}};
}

std::unique_ptr<Device> load(const Application& app) {
  auto d = Device::load({{"R1", {}}, {"R2", {}}}, app, standard_library());
  if (!d) FAIL(d.errors().str());
  return std::move(d.value());
}

Value& var(Resource& r, const char* fb, const char* name) {
  FbIndex f = *r.find_fb(fb);
  const auto& iface = r.type_of(f).iface;
  if (auto k = iface.find_input(name)) return r.vars(f)[iface.input_slot(*k)];
  return r.vars(f)[iface.output_slot(*iface.find_output(name))];
}

}  // namespace

TEST_CASE("an event crosses resources with the data its sender had when it was sent", "[device]") {
  auto d = load(counter_pair());
  Resource& r1 = *d->resource("R1");
  Resource& r2 = *d->resource("R2");
  r1.inject(*r1.find_fb("C"), EventId{0});
  r1.inject(*r1.find_fb("C"), EventId{0});
  r1.step(Time{0});  // C counts twice before R2 runs at all
  CHECK(var(r1, "C", "CV").u == 2);
  Recorder rec(r2);
  rec.observe_all();
  r2.step(Time{0});
  // Q = TRUE at CV = 1 proves the first event brought PV = 1 (not the 2 of the second).
  CHECK(rec.take() == Events{"K.CUO(Q=TRUE,CV=1)", "K.CUO(Q=TRUE,CV=2)"});
  CHECK(var(r2, "K", "PV").u == 2);
}

TEST_CASE("resources of a device run on their own threads and wake each other", "[device][fiber]") {
  auto d = load(counter_pair());
  Resource& r1 = *d->resource("R1");
  Resource& r2 = *d->resource("R2");
  std::atomic<int> wakeups{0};
  r2.set_wakeup([](void* n) { ++*static_cast<std::atomic<int>*>(n); }, &wakeups);
  ResourceFiber f1(r1), f2(r2);
  std::thread t1([&] {
    for (int k = 0; k < 50; ++k) {
      r1.inject(*r1.find_fb("C"), EventId{0});
      f1.run_slice(Time{0});
    }
  });
  std::thread t2([&] {
    while (var(r2, "K", "CV").u < 50) f2.run_slice(Time{0});
  });
  t1.join();
  t2.join();
  CHECK(wakeups == 50);
  CHECK(var(r2, "K", "CV").u == 50);
  CHECK(var(r2, "K", "PV").u == 50);
}

TEST_CASE("a device reports unmapped FBs, unknown resources and data crossing resources without an event",
          "[device][load]") {
  Application app{"APP",
                  {{{"C", "E_CTU", {}, ""}, {"K", "E_CTU", {}, ""}, {"L", "E_CTU", {}, "app:9"}},
                   {{"C.CUO", "K.CU", ""}},
                   {{"C.CV", "K.PV", ""}, {"C.Q", "L.PV", "app:12"}}},
                  {{"C", "R1", ""}, {"K", "R2", ""}, {"X", "R9", "app:15"}}};
  auto d = Device::load({{"R1", {}}, {"R2", {}}}, app, standard_library());
  REQUIRE_FALSE(d);
  CHECK(d.errors().str() ==
        "app:15: error: unknown resource 'R9' in the mapping of 'X'\n"
        "app:9: error: FB 'L' is not mapped to a resource\n");
  app.mapping.back() = {"L", "R2", ""};
  d = Device::load({{"R1", {}}, {"R2", {}}}, app, standard_library());
  REQUIRE_FALSE(d);
  CHECK(d.errors().str() ==
        "app:12: error: data connection 'C.Q' -> 'L.PV' crosses resources without an event connection from the "
        "same FB carrying it (both ports in the events' WITH lists)\n");
}

TEST_CASE("data crossing resources may widen as it may inside a resource, and may not narrow", "[device][load]") {
  // C (E_CTU, CV: UINT) on R1 feeds K (E_CTUD_UDINT, PV: UDINT) on R2.
  Application app{"APP",
                  {{{"C", "E_CTU", {{"PV", "100"}}, ""}, {"K", "E_CTUD_UDINT", {}, ""}},
                   {{"C.CUO", "K.CU", "app:3"}},
                   {{"C.CV", "K.PV", "app:4"}}},
                  {{"C", "R1", ""}, {"K", "R2", ""}}};
  SECTION("UINT into UDINT") {
    auto d = load(app);
    Resource& r1 = *d->resource("R1");
    Resource& r2 = *d->resource("R2");
    r1.inject(*r1.find_fb("C"), EventId{0});
    r1.step(Time{0});
    r2.step(Time{0});
    CHECK(var(r2, "K", "PV").u == 1);
    CHECK(var(r2, "K", "CV").u == 1);
  }
  SECTION("UDINT into UINT, refused as a resource refuses it") {
    app.network.event_connections = {{"K.CO", "C.CU", "app:3"}};
    app.network.data_connections = {{"K.CV", "C.PV", "app:4"}};
    auto d = Device::load({{"R1", {}}, {"R2", {}}}, app, standard_library());
    REQUIRE_FALSE(d);
    CHECK(d.errors().str() == "app:4: error: type mismatch: K.CV is UDINT but C.PV is UINT\n");
    auto r = Resource::load(app.network, standard_library());
    REQUIRE_FALSE(r);
    CHECK(r.errors().str() == d.errors().str());
  }
}

TEST_CASE("resource and FB names in a device's mapping ignore case", "[device][load]") {
  Application app = counter_pair();
  app.mapping = {{"c", "r1", ""}, {"K", "R2", ""}};
  SECTION("mapped in any case") {
    auto d = load(app);
    CHECK(d->resource("R1")->find_fb("C"));
    CHECK(d->resource("r2")->find_fb("K"));
  }
  SECTION("two resources whose names differ only in case are one name twice") {
    auto d = Device::load({{"R1", {}}, {"R2", {}}, {"r1", {}}}, app, standard_library());
    REQUIRE_FALSE(d);
    CHECK(d.errors().str() == "r1: error: duplicate resource name 'r1'\n");
  }
}

namespace {

// Stands in for a host's socket: forwards to whatever resource is current,
// refuses while there is none.
struct Socket final : EventSink {
  Resource* current = nullptr;
  int refused = 0;
  bool post(const InboxEvent& e) override {
    if (current) return current->post(e);
    ++refused;
    return false;
  }
};

}  // namespace

TEST_CASE("a resource instantiated from a device plan sends through the host's sink and survives a restart of its peer",
          "[device][plan]") {
  auto plan = DevicePlan::make({{"R1", {}}, {"R2", {}}}, counter_pair(), standard_library());
  REQUIRE(plan);
  const DevicePlan& p = **plan;
  REQUIRE(p.size() == 2);
  CHECK(p.find("r2") == size_t{1});
  CHECK(!p.find("R3"));
  Socket to_r1, to_r2;
  std::vector<EventSink*> sinks{&to_r1, &to_r2};
  auto r1 = p.instantiate(0, standard_library(), sinks);
  REQUIRE(r1);
  Resource& src = *r1.value();
  FbIndex c = *src.find_fb("C");

  // The peer is down: the event is refused and counted as dropped.
  src.inject(c, EventId{0});
  src.step(Time{0});
  CHECK(to_r2.refused == 1);
  CHECK(src.stats().dropped == 1);

  // The peer comes up, from the same plan: the link finds K's inputs.
  auto r2 = p.instantiate(1, standard_library(), sinks);
  REQUIRE(r2);
  to_r2.current = r2.value().get();
  Recorder rec(*to_r2.current);
  rec.observe_all();
  src.inject(c, EventId{0});
  src.step(Time{0});
  to_r2.current->step(Time{0});
  CHECK(rec.take() == Events{"K.CUO(Q=FALSE,CV=1)"});  // PV = 2, C's count
  CHECK(var(*to_r2.current, "K", "PV").u == 2);

  // Restarted (a fresh instance, cold): counting starts again, PV still travels.
  auto again = p.instantiate(1, standard_library(), sinks);
  REQUIRE(again);
  to_r2.current = again.value().get();
  Recorder rec2(*to_r2.current);
  rec2.observe_all();
  src.inject(c, EventId{0});
  src.step(Time{0});
  to_r2.current->step(Time{0});
  CHECK(rec2.take() == Events{"K.CUO(Q=FALSE,CV=1)"});
  CHECK(var(*to_r2.current, "K", "PV").u == 3);
}

TEST_CASE("a device plan reports what Device::load reports", "[device][plan]") {
  Application app = counter_pair();
  app.mapping.pop_back();  // K unmapped
  auto plan = DevicePlan::make({{"R1", {}}, {"R2", {}}}, app, standard_library());
  REQUIRE(!plan);
  CHECK(plan.errors().str().find("FB 'K' is not mapped to a resource") != std::string::npos);
}

TEST_CASE("a plan of some resources only loads those and the layout of their targets, and names every pair",
          "[device][plan]") {
  // One node of a plant plans the resources it runs: here R1, which sends to R2.
  std::vector<bool> only_r1{true, false};
  auto plan = DevicePlan::make({{"R1", {}}, {"R2", {}}}, counter_pair(), standard_library(), &only_r1);
  REQUIRE(plan);
  const DevicePlan& p = **plan;
  CHECK(p.planned(0));
  CHECK(!p.planned(1));
  CHECK(p.targets_of(0) == std::vector<size_t>{1});
  CHECK(p.targets_of(1).empty());
  Socket to_r1, to_r2;
  std::vector<EventSink*> sinks{&to_r1, &to_r2};
  auto r1 = p.instantiate(0, standard_library(), sinks);
  REQUIRE(r1);
  auto r2 = p.instantiate(1, standard_library(), sinks);
  REQUIRE(!r2);
  CHECK(r2.errors().str().find("not planned here") != std::string::npos);

  // The link carries what a full plan's link carries: K.CU with C.CV into K.PV.
  auto full = DevicePlan::make({{"R1", {}}, {"R2", {}}}, counter_pair(), standard_library());
  REQUIRE(full);
  auto k = (*full)->instantiate(1, standard_library(), sinks);
  REQUIRE(k);
  to_r2.current = k.value().get();
  Recorder rec(*to_r2.current);
  rec.observe_all();
  Resource& src = *r1.value();
  src.inject(*src.find_fb("C"), EventId{0});
  src.step(Time{0});
  to_r2.current->step(Time{0});
  CHECK(rec.take() == Events{"K.CUO(Q=TRUE,CV=1)"});  // PV = 1, C's count
  CHECK(var(*to_r2.current, "K", "PV").u == 1);

  // Only the planned resource's own data connections are checked.
  std::vector<bool> only_r2{false, true};
  CHECK(DevicePlan::make({{"R1", {}}, {"R2", {}}}, counter_pair(), standard_library(), &only_r2));
}

TEST_CASE("a plan's hash depends on the definition, not on which resources a node plans", "[device][plan][hash]") {
  const std::vector<ResourceDecl> rs{{"R1", {}}, {"R2", {}}};
  std::vector<bool> only_r1{true, false}, none{false, false};
  auto full = DevicePlan::make(rs, counter_pair(), standard_library());
  auto part = DevicePlan::make(rs, counter_pair(), standard_library(), &only_r1);
  auto nothing = DevicePlan::make(rs, counter_pair(), standard_library(), &none);
  REQUIRE(full);
  REQUIRE(part);
  REQUIRE(nothing);
  const uint64_t h = (*full)->hash();
  CHECK(h == DevicePlan::hash_of(rs, counter_pair(), standard_library()));
  CHECK((*part)->hash() == h);
  CHECK((*nothing)->hash() == h);

  SECTION("another mapping, another FB type or another resource changes it") {
    Application moved = counter_pair();
    moved.mapping[1].resource = "R1";
    CHECK(DevicePlan::hash_of(rs, moved, standard_library()) != h);
    Application retyped = counter_pair();
    retyped.network.fbs[1].type = "E_CTD";
    CHECK(DevicePlan::hash_of(rs, retyped, standard_library()) != h);
    CHECK(DevicePlan::hash_of({{"R1", {}}, {"R3", {}}}, counter_pair(), standard_library()) != h);
  }
}

TEST_CASE("a plan of some devices plans exactly their resources", "[device][plan]") {
  const std::vector<ResourceDecl> rs{{"D1.R1", {}}, {"D2.R2", {}}};
  Application app = counter_pair();
  app.mapping = {{"C", "D1.R1", ""}, {"K", "D2.R2", ""}};
  const std::vector<DeviceDecl> devices{{"D1", {"D1.R1"}}, {"D2", {"D2.R2"}}};
  auto d1 = DevicePlan::make(rs, app, standard_library(), devices, {"d1"});  // case-insensitive
  REQUIRE(d1);
  CHECK((*d1)->planned(0));
  CHECK(!(*d1)->planned(1));
  auto both = DevicePlan::make(rs, app, standard_library(), devices, {"D2", "D1"});
  REQUIRE(both);
  CHECK((*both)->planned(0));
  CHECK((*both)->planned(1));
  auto none = DevicePlan::make(rs, app, standard_library(), devices, {});
  REQUIRE(none);
  CHECK(!(*none)->planned(0));
  CHECK(!(*none)->planned(1));
  CHECK((*none)->targets_of(0) == std::vector<size_t>{1});
  auto unknown = DevicePlan::make(rs, app, standard_library(), devices, {"D9"});
  REQUIRE(unknown);
  CHECK(!(*unknown)->planned(0));
  CHECK(!(*unknown)->planned(1));
}
