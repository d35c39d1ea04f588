#include <chrono>
#include <stdexcept>
#include <thread>

#include "runtime/fb_type_builder.h"
#include "runtime/scheduler.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

TEST_CASE("a network that names unknown types, ports and FBs reports every problem", "[resource][load]") {
  FbNetwork net{{{"C", "E_CTU", {{"PV", "7"}, {"XX", "1"}}, "app.sys:3"},
                 {"C", "E_SPLIT", {}, "app.sys:4"},
                 {"D", "E_NOPE", {}, "app.sys:5"},
                 {"E", "E_CTU", {{"PV", "70000"}}, "app.sys:6"}},
                {{"C.CUO", "Z.EI", "app.sys:9"}, {"C.CU", "C.CV", "app.sys:10"}},
                {{"C.CV", "E.Q", "app.sys:12"}}};
  auto r = Resource::load(net, standard_library());
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() ==
        "app.sys:3: error: 'C' (E_CTU) has no data input 'XX'\n"
        "app.sys:4: error: duplicate FB instance name 'C'\n"
        "app.sys:5: error: unknown FB type 'E_NOPE' for instance 'D'\n"
        "app.sys:6: error: '70000' is not a valid UINT literal for E.PV\n"
        "app.sys:12: error: 'E.Q' is not a data input\n"
        "app.sys:9: error: unknown FB instance 'Z' in 'Z.EI'\n"
        "app.sys:10: error: 'C.CU' is not an event output\n"
        "app.sys:10: error: 'C.CV' is not an event input\n");
}

TEST_CASE("every resource has a START block whose COLD output starts the network", "[resource][E_RESTART]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "1"}}, ""}}, {{"START.COLD", "C.CU", ""}}, {}});
  rig.res->start(true);
  rig.run();
  CHECK(rig.rec->take() == Events{"START.COLD", "C.CUO(Q=TRUE,CV=1)"});
}

TEST_CASE("an event carries the data its sender had when it was sent", "[resource][with]") {
  // C counts twice before D (a second counter fed by C.CV... through
  // C.CUO WITH CV) runs: each of D's dispatches sees the CV that travelled
  // with its own event, 1 then 2, not 2 twice.
  TypeLibrary lib;
  add_standard_blocks(lib);
  lib.add(probe_type());
  Rig rig({{{"S", "E_SPLIT", {}, ""}, {"C", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PROBE", {}, ""}},
           {{"S.EO1", "C.CU", ""}, {"S.EO2", "C.CU", ""}, {"C.CUO", "P.REQ", ""}},
           {{"C.CV", "P.IN", ""}}},
          {}, lib);
  rig.rec->take();
  CHECK(rig.fire("S", "EI") ==
        Events{"S.EO1", "S.EO2", "C.CUO(Q=FALSE,CV=1)", "C.CUO(Q=FALSE,CV=2)", "P.CNF(OUT=1)", "P.CNF(OUT=2)"});
}

TEST_CASE("an event emitted into a full queue is refused, counted and reported", "[resource][overflow]") {
  ResourceOptions o;
  o.queue_capacity = 2;
  // S fans out to three counters: the third event does not fit.
  Rig rig({{{"S", "E_SPLIT", {}, ""},
            {"A", "E_CTU", {{"PV", "1"}}, ""},
            {"B", "E_CTU", {{"PV", "1"}}, ""},
            {"C", "E_CTU", {{"PV", "1"}}, ""}},
           {{"S.EO1", "A.CU", ""}, {"S.EO1", "B.CU", ""}, {"S.EO1", "C.CU", ""}},
           {}},
          o);
  rig.fire("S", "EI");
  CHECK(rig.res->stats().dropped == 1);
  CHECK(rig.rec->overflows == 1);
  CHECK(rig.var("A", "CV").u == 1);
  CHECK(rig.var("B", "CV").u == 1);
  CHECK(rig.var("C", "CV").u == 0);
}

TEST_CASE("a cycle of event connections is cut into budgeted steps", "[resource][budget]") {
  ResourceOptions o;
  o.event_budget = 100;
  Rig rig({{{"S", "E_SPLIT", {}, ""}}, {{"S.EO1", "S.EI", ""}}, {}}, o);
  rig.rec->take();
  REQUIRE(rig.res->inject(rig.fb("S"), EventId{0}));
  for (int k = 0; k < 3; ++k) {
    StepResult s = rig.res->step(rig.clock.now());
    CHECK(s.dispatched == 100);
    CHECK(s.more_work);
  }
  CHECK(rig.res->stats().budget_yields == 3);
  CHECK(rig.res->stats().dispatched == 300);
}

TEST_CASE("events posted from another thread are drained by the resource's fiber", "[resource][fiber]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "1000"}}, ""}}, {}, {}});
  rig.rec->observe_all();
  ResourceFiber fiber(*rig.res);
  FbIndex c = rig.fb("C");
  int posted = 0;
  std::thread producer([&] {
    for (int k = 0; k < 1000; ++k) {
      InboxEvent e;
      e.fb = index_of(c);
      e.ei = EventId{0};
      posted += rig.res->post(e);
    }
  });
  producer.join();
  REQUIRE(posted == 1000);
  SliceResult s = fiber.run_slice(rig.clock.now());
  CHECK_FALSE(s.paused);
  CHECK(s.step.dispatched == 1000);
  CHECK(rig.var("C", "CV").u == 1000);
  CHECK(rig.var("C", "Q").as_bool());
}

TEST_CASE("a paused slice resumes where it stopped, on another thread", "[resource][fiber]") {
  // PAUSER pauses the slice in the middle of its event, twice, then emits.
  static int stage = 0;
  static const FbType pauser = FbTypeBuilder("PAUSER")
                                   .event_input("REQ")
                                   .event_output("CNF")
                                   .native({[](FbContext& fb, EventId) {
                                              stage = 1;
                                              fb.resource().pause_slice();
                                              stage = 2;
                                              fb.resource().pause_slice();
                                              stage = 3;
                                              fb.emit(EventId{0});
                                            },
                                            nullptr})
                                   .build();
  TypeLibrary lib;
  lib.add(pauser);
  Rig rig({{{"P", "PAUSER", {}, ""}}, {}, {}}, {}, lib);
  ResourceFiber fiber(*rig.res);
  REQUIRE(rig.res->inject(rig.fb("P"), EventId{0}));
  CHECK(fiber.run_slice(rig.clock.now()).paused);
  CHECK(stage == 1);
  bool paused_on_other_thread = false;
  std::thread other([&] { paused_on_other_thread = fiber.run_slice(rig.clock.now()).paused; });
  other.join();
  CHECK(paused_on_other_thread);
  CHECK(stage == 2);
  SliceResult s = fiber.run_slice(rig.clock.now());
  CHECK_FALSE(s.paused);
  CHECK(stage == 3);
  CHECK(rig.rec->take() == Events{"P.CNF"});
}

TEST_CASE("an event injected between steps happens at the next step's time", "[resource][timer]") {
  Rig rig({{{"D", "E_DELAY", {{"DT", "T#10ms"}}, ""}}, {}, {}});
  rig.rec->take();
  rig.clock.advance(std::chrono::milliseconds(100));
  REQUIRE(rig.res->inject(rig.fb("D"), EventId{0}));  // START at t = 100 ms
  rig.run();
  CHECK(rig.advance(std::chrono::microseconds(9999)) == Events{});
  CHECK(rig.advance(std::chrono::microseconds(1)) == Events{"D.EO"});
}

TEST_CASE("an event cycle does not starve timers, the inbox or the clock", "[resource][budget][timer]") {
  // S loops on itself forever; D (E_DELAY 1 ms) must still fire and a
  // posted event must still arrive while time advances.
  ResourceOptions o;
  o.event_budget = 1000;
  Rig rig({{{"S", "E_SPLIT", {}, ""}, {"D", "E_DELAY", {{"DT", "T#1ms"}}, ""}, {"C", "E_CTU", {}, ""}},
           {{"S.EO1", "S.EI", ""}},
           {}},
          o);
  rig.res->observe(rig.fb("S"), EventId{0}, false);
  rig.res->observe(rig.fb("S"), EventId{1}, false);
  REQUIRE(rig.res->inject(rig.fb("S"), EventId{0}));
  REQUIRE(rig.res->inject(rig.fb("D"), EventId{0}));
  InboxEvent e;
  e.fb = index_of(rig.fb("C"));
  e.ei = EventId{0};
  REQUIRE(rig.res->post(e));
  for (int k = 0; k < 20; ++k) {
    rig.clock.advance(std::chrono::microseconds(100));
    CHECK(rig.res->step(rig.clock.now()).more_work);
  }
  CHECK(rig.res->now() == rig.clock.now());
  CHECK(rig.rec->take() == Events{"C.CUO(Q=TRUE,CV=1)", "D.EO"});
}

namespace {

// Counts the outputs it is told about, nothing else.
class Counter final : public ResourceObserver {
 public:
  void on_output(FbIndex fb, EventId, const Value*) noexcept override {
    last_fb = index_of(fb);
    ++outputs;
  }
  uint64_t outputs = 0;
  uint32_t last_fb = 0;
};

}  // namespace

TEST_CASE("a network of 50000 FBs loads in linear time and finds its FBs by name in any case", "[resource][load]") {
  // S0.EO1 -> S1.EI -> ... -> S49999.EI. Names used to be looked up by a
  // linear scan per connection: 40000 FBs took 30 s to load.
  constexpr int kFbs = 50000;
  FbNetwork net;
  for (int k = 0; k < kFbs; ++k) {
    net.fbs.push_back({"S" + std::to_string(k), "E_SPLIT", {}, ""});
    if (k > 0)
      net.event_connections.push_back({"S" + std::to_string(k - 1) + ".EO1", "S" + std::to_string(k) + ".EI", ""});
  }
  const auto started = std::chrono::steady_clock::now();
  auto r = Resource::load(net, standard_library());
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(r);
  CHECK(took < 10s);  // under 1 s in a sanitizer build; quadratic lookups take minutes
  Resource& res = *r.value();
  CHECK(res.fb_count() == kFbs + 1);  // and START
  const FbIndex last = *res.find_fb("s49999");
  CHECK(res.name_of(last) == "S49999");
  Counter seen;
  res.set_observer(&seen);
  res.observe(last, EventId{0}, true);
  REQUIRE(res.inject(*res.find_fb("S0"), EventId{0}));
  CHECK(res.step(Time{0}).dispatched == kFbs);
  CHECK(seen.outputs == 1);
  CHECK(seen.last_fb == index_of(last));
}

TEST_CASE("the payload ring grows to hold the largest event the network carries", "[resource][load]") {
  // BIG sends an ARRAY[0..39] OF UINT with CNF; SINK takes it with REQ.
  static const FbType big = FbTypeBuilder("BIG")
                                .event_input("REQ")
                                .event_output("CNF", {"OUT"})
                                .output_array("OUT", DataType::kUint, 40)
                                .native({[](FbContext& fb, EventId) {
                                           for (uint64_t k = 0; k < 40; ++k) fb.v[k] = Value::of_uint(k + 1);
                                           fb.emit(EventId{0});
                                         },
                                         nullptr})
                                .build();
  static const FbType sink = FbTypeBuilder("SINK")
                                 .event_input("REQ", {"IN"})
                                 .input_array("IN", DataType::kUint, 40)
                                 .native({[](FbContext&, EventId) {}, nullptr})
                                 .build();
  TypeLibrary lib = library_with({big, sink});
  ResourceOptions o;
  o.payload_capacity = 8;
  SECTION("to the largest connection") {
    Rig rig({{{"B", "BIG", {}, ""}, {"S", "SINK", {}, ""}}, {{"B.CNF", "S.REQ", ""}}, {{"B.OUT", "S.IN", ""}}}, o, lib);
    CHECK(rig.res->payload_capacity() == 40);
    rig.fire("B", "REQ");
    CHECK(rig.res->stats().dropped == 0);
    CHECK(rig.var("S", "IN").u == 1);
    CHECK(rig.res->vars(rig.fb("S"))[39].u == 40);
  }
  SECTION("and to what an event posted with values may carry") {
    Rig rig({{{"C", "E_CTU", {}, ""}}, {}, {}}, o, lib);
    CHECK(rig.res->payload_capacity() == 1 + 2 * InboxEvent::kMaxValues);
  }
  SECTION("but not below what was asked for") {
    o.payload_capacity = 100;
    Rig rig({{{"B", "BIG", {}, ""}, {"S", "SINK", {}, ""}}, {{"B.CNF", "S.REQ", ""}}, {{"B.OUT", "S.IN", ""}}}, o, lib);
    CHECK(rig.res->payload_capacity() == 100);
  }
}

TEST_CASE("an exception escaping a native block in a fiber is reported as a fault of that block, and the queue goes on",
          "[resource][fiber][fault]") {
  static const FbType thrower = FbTypeBuilder("THROWER")
                                    .event_input("REQ")
                                    .native({[](FbContext&, EventId) { throw std::runtime_error("boom"); }, nullptr})
                                    .build();
  TypeLibrary lib = library_with({thrower});
  Rig rig({{{"S", "E_SPLIT", {}, ""}, {"T", "THROWER", {}, ""}, {"C", "E_CTU", {}, ""}},
           {{"S.EO1", "T.REQ", ""}, {"S.EO2", "C.CU", ""}},
           {}},
          {}, lib);
  ResourceFiber fiber(*rig.res);
  REQUIRE(rig.res->inject(rig.fb("S"), EventId{0}));
  SliceResult s = fiber.run_slice(rig.clock.now());
  CHECK(s.step.more_work);
  CHECK(rig.rec->faults == std::vector<std::string>{"T/: uncaught exception: boom"});
  CHECK(rig.res->stats().faults == 1);
  CHECK(rig.var("C", "CV").u == 0);  // still queued behind T's event
  s = fiber.run_slice(rig.clock.now());
  CHECK_FALSE(s.step.more_work);
  CHECK(rig.var("C", "CV").u == 1);
}

TEST_CASE("a native block may use half of the fiber's fixed stack", "[resource][fiber]") {
  static bool done = false;
  static const FbType deep = FbTypeBuilder("DEEP")
                                 .event_input("REQ")
                                 .native({[](FbContext&, EventId) {
                                            volatile char big[ResourceFiber::kStackBytes / 2];
                                            for (size_t k = 0; k < sizeof big; k += 512) big[k] = char(k);
                                            done = big[sizeof big - 512] == char(sizeof big - 512);
                                          },
                                          nullptr})
                                 .build();
  TypeLibrary lib = library_with({deep});
  Rig rig({{{"D", "DEEP", {}, ""}}, {}, {}}, {}, lib);
  ResourceFiber fiber(*rig.res);
  REQUIRE(rig.res->inject(rig.fb("D"), EventId{0}));
  CHECK_FALSE(fiber.run_slice(rig.clock.now()).step.more_work);
  CHECK(done);
}

TEST_CASE("a burst posted from outside, larger than the queue, is held back in the inbox and none of it is lost",
          "[resource][inbox]") {
  ResourceOptions o;
  o.queue_capacity = 8;
  o.event_budget = 5;
  Rig rig({{{"C", "E_CTU", {{"PV", "1000"}}, ""}}, {}, {}}, o);
  rig.res->observe(rig.fb("C"), EventId{0}, false);
  InboxEvent e;
  e.fb = index_of(rig.fb("C"));
  e.ei = EventId{0};
  e.count = 1;
  e.slot[0] = rig.res->slot_of(rig.fb("C"), 0);  // PV, carried with each CU
  e.value[0] = Value::of_uint(1000);
  for (int k = 0; k < 100; ++k) REQUIRE(rig.res->post(e));
  int steps = 0;
  while (rig.res->step(rig.clock.now()).more_work) ++steps;
  CHECK(steps >= 100 / 5 - 1);  // the budget still bounds every step
  CHECK(rig.var("C", "CV").u == 100);
  CHECK(rig.res->stats().dropped == 0);
  CHECK(rig.res->stats().max_depth == 5);  // the inbox is drained no faster than the step's budget
}

TEST_CASE("post() refuses an event once the inbox holds inbox_capacity events", "[resource][inbox]") {
  ResourceOptions o;
  o.inbox_capacity = 10;
  Rig rig({{{"C", "E_CTU", {{"PV", "1000"}}, ""}}, {}, {}}, o);
  InboxEvent e;
  e.fb = index_of(rig.fb("C"));
  e.ei = EventId{0};
  int accepted = 0;
  for (int k = 0; k < 15; ++k) accepted += rig.res->post(e);
  CHECK(accepted == 10);
  rig.run();
  CHECK(rig.var("C", "CV").u == 10);
  CHECK(rig.res->post(e));  // room again once drained
}

TEST_CASE("events posted one after the other from different threads are dispatched in that order",
          "[resource][inbox]") {
  // An Erlang process that posts twice may run on two scheduler threads.
  Rig rig({{{"C", "E_CTU", {{"PV", "1000"}}, ""}}, {}, {}});
  FbIndex c = rig.fb("C");
  const auto& iface = rig.res->type_of(c).iface;
  const EventId cu = *iface.find_event_input("CU"), reset = *iface.find_event_input("R");
  std::vector<std::string> expected;
  for (int round = 0; round < 200; ++round) {
    const bool count = round % 3 != 1;
    std::thread([&] {
      InboxEvent e;
      e.fb = index_of(c);
      e.ei = count ? cu : reset;
      REQUIRE(rig.res->post(e));
    }).join();
    expected.push_back(count ? "C.CUO" : "C.RO");
  }
  rig.run();
  std::vector<std::string> got;
  for (const auto& e : rig.rec->take()) got.push_back(e.substr(0, e.find('(')));
  CHECK(got == expected);
}

TEST_CASE("a plain write posted after an event does not overtake it", "[resource][inbox]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "1"}}, ""}}, {}, {}});
  InboxEvent cu;
  cu.fb = index_of(rig.fb("C"));
  cu.ei = EventId{0};
  InboxEvent write;
  write.fb = cu.fb;
  write.ei = kNoEvent;
  write.count = 1;
  write.slot[0] = rig.res->slot_of(rig.fb("C"), 0);  // PV
  write.value[0] = Value::of_uint(5);
  REQUIRE(rig.res->post(cu));
  REQUIRE(rig.res->post(write));
  REQUIRE(rig.res->post(cu));
  rig.run();
  // The first CU sees PV = 1 (Q at CV 1), the second PV = 5.
  CHECK(rig.rec->take() == Events{"C.CUO(Q=TRUE,CV=1)", "C.CUO(Q=FALSE,CV=2)"});
}

TEST_CASE("a short step moves no more inbox events than its budget", "[resource][inbox]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "1000"}}, ""}}, {}, {}});
  InboxEvent cu;
  cu.fb = index_of(rig.fb("C"));
  cu.ei = EventId{0};
  for (int k = 0; k < 1000; ++k) REQUIRE(rig.res->post(cu));
  rig.res->limit_next_step(16, 5000);
  StepResult s = rig.res->step(rig.clock.now());
  CHECK(s.dispatched == 16);
  CHECK(s.more_work);
  CHECK(rig.res->queue_depth() <= 16);
  rig.run();
  CHECK(rig.var("C", "CV").u == 1000);
}

TEST_CASE("a resource stopped and started again continues warm: its cycle neither restarts nor catches up",
          "[resource][E_RESTART][timer]") {
  Rig rig({{{"CYC", "E_CYCLE", {{"DT", "T#10ms"}}, ""},
            {"C", "E_CTU", {{"PV", "100"}}, ""},
            {"W", "E_CTU", {{"PV", "100"}}, ""}},
           {{"START.COLD", "CYC.START", ""}, {"CYC.EO", "C.CU", ""}, {"START.WARM", "W.CU", ""}},
           {}});
  rig.res->start(true);
  rig.run();
  rig.advance(25ms);
  REQUIRE(rig.var("C", "CV").u == 2);
  rig.rec->take();
  rig.res->stop();
  CHECK(rig.advance(0ms) == Events{"START.STOP"});
  rig.clock.advance(1s);  // held: the host runs no step
  rig.res->resume(1s);
  CHECK(rig.advance(0ms) == Events{"START.WARM", "W.CUO(Q=FALSE,CV=1)"});
  CHECK(rig.advance(4ms) == Events{});  // the cycle was due at 30 ms: now at 1030 ms
  CHECK(rig.advance(1ms) == Events{"CYC.EO", "C.CUO(Q=FALSE,CV=3)"});
  CHECK(rig.advance(10ms) == Events{"CYC.EO", "C.CUO(Q=FALSE,CV=4)"});
}
