#include "runtime/reconfiguration.h"

#include "runtime/fb_type_builder.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

const TypeLibrary& lib() {
  static const TypeLibrary l = library_with({probe_type()});
  return l;
}

// The running rig `from` continues as a rig of `net`, at the same time.
std::unique_ptr<Rig> reconfigure(Rig& from, const FbNetwork& net, Reconfiguration* report = nullptr) {
  auto to = std::make_unique<Rig>(net, ResourceOptions{}, lib());
  to->clock.advance(from.clock.now() - to->clock.now());
  Reconfiguration r = transfer_state(*from.res, *to->res);
  if (report) *report = r;
  return to;
}

// An E_CYCLE of 10 ms counting into C, as a resource starts it.
FbNetwork counting(std::vector<FbInstanceDecl> more = {}, std::vector<ConnectionDecl> more_events = {},
                   std::vector<ConnectionDecl> more_data = {}) {
  FbNetwork net{{{"CYC", "E_CYCLE", {{"DT", "T#10ms"}}, ""}, {"C", "E_CTU", {{"PV", "1000"}}, ""}},
                {{"START.COLD", "CYC.START", ""}, {"CYC.EO", "C.CU", ""}},
                {}};
  net.fbs.insert(net.fbs.end(), more.begin(), more.end());
  net.event_connections.insert(net.event_connections.end(), more_events.begin(), more_events.end());
  net.data_connections.insert(net.data_connections.end(), more_data.begin(), more_data.end());
  return net;
}

}  // namespace

TEST_CASE("a counter fed by E_CYCLE keeps counting while an FB and its connections are added", "[reconfiguration]") {
  Rig rig(counting(), {}, lib());
  rig.res->start(true);
  rig.run();
  rig.advance(55ms);
  REQUIRE(rig.var("C", "CV").u == 5);

  Reconfiguration report;
  auto next = reconfigure(rig, counting({{"D", "E_CTU", {{"PV", "2"}}, ""}}, {{"C.CUO", "D.CU", ""}}), &report);
  CHECK(report.kept == 3);  // CYC, C, START
  CHECK(report.fresh == 1);
  CHECK(report.removed == 0);
  CHECK(report.lost_events == 0);
  CHECK(next->var("C", "CV").u == 5);
  CHECK(next->var("D", "CV").u == 0);

  // The cycle's next deadline is still 60 ms: no restart, no drift.
  CHECK(next->advance(4ms) == Events{});
  CHECK(next->advance(1ms) == Events{"CYC.EO", "C.CUO(Q=FALSE,CV=6)", "D.CUO(Q=FALSE,CV=1)"});
  next->advance(20ms);
  CHECK(next->var("C", "CV").u == 8);
  CHECK(next->var("D", "CV").u == 3);
  CHECK(next->var("D", "Q").as_bool());
}

TEST_CASE("deleting an FB and its connections leaves the rest running", "[reconfiguration]") {
  Rig rig(counting({{"D", "E_CTU", {{"PV", "2"}}, ""}}, {{"C.CUO", "D.CU", ""}}), {}, lib());
  rig.res->start(true);
  rig.run();
  rig.advance(30ms);
  REQUIRE(rig.var("D", "CV").u == 3);

  Reconfiguration report;
  auto next = reconfigure(rig, counting(), &report);
  CHECK(report.kept == 3);
  CHECK(report.removed == 1);
  CHECK(report.fb_map[index_of(rig.fb("D"))] == Reconfiguration::kGone);
  CHECK(next->advance(10ms) == Events{"CYC.EO", "C.CUO(Q=FALSE,CV=4)"});
}

TEST_CASE("a queued event whose destination was deleted is lost, counted and named; the others are delivered",
          "[reconfiguration]") {
  Rig rig({{{"A", "E_CTU", {{"PV", "9"}}, ""}, {"B", "E_CTU", {{"PV", "9"}}, ""}}, {}, {}}, {}, lib());
  REQUIRE(rig.res->inject(rig.fb("A"), EventId{0}));
  REQUIRE(rig.res->inject(rig.fb("B"), EventId{0}));
  REQUIRE(rig.res->inject(rig.fb("A"), EventId{0}));

  Reconfiguration report;
  auto next = reconfigure(rig, {{{"A", "E_CTU", {{"PV", "9"}}, ""}}, {}, {}}, &report);
  CHECK(report.lost_events == 1);
  CHECK(report.lost == std::vector<std::string>{"B.CU"});
  CHECK(next->res->stats().lost == 1);
  next->run();
  CHECK(next->rec->take() == Events{"A.CUO(Q=FALSE,CV=1)", "A.CUO(Q=FALSE,CV=2)"});
}

TEST_CASE("queued events keep the data they carry across a reconfiguration", "[reconfiguration]") {
  const FbNetwork net{{{"S", "E_SPLIT", {}, ""}, {"C", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PROBE", {}, ""}},
                      {{"S.EO1", "C.CU", ""}, {"S.EO2", "C.CU", ""}, {"C.CUO", "P.REQ", ""}},
                      {{"C.CV", "P.IN", ""}}};
  Rig rig(net, {}, lib());
  REQUIRE(rig.res->inject(rig.fb("S"), EventId{0}));
  rig.res->limit_next_step(3, 1000000);  // S.EI, C.CU, C.CU: two C.CUO -> P.REQ wait, with CV 1 and 2
  rig.res->step(rig.clock.now());
  REQUIRE(rig.res->queue_depth() == 2);
  rig.rec->take();

  FbNetwork more = net;
  more.fbs.push_back({"X", "E_SPLIT", {}, ""});
  auto next = reconfigure(rig, more);
  next->run();
  CHECK(next->rec->take() == Events{"P.CNF(OUT=1)", "P.CNF(OUT=2)"});
}

TEST_CASE("a new connection into a kept FB holds its source's current value", "[reconfiguration]") {
  // C counts to 2. Then T and the connections T.EO1 -> P.REQ and
  // C.CV -> P.IN are created: CV does not travel with T's event, so P
  // samples what the new connection holds, C's CV.
  Rig rig({{{"C", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PROBE", {}, ""}}, {}, {}}, {}, lib());
  rig.fire("C", "CU");
  rig.fire("C", "CU");
  auto next = reconfigure(rig, {{{"C", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PROBE", {}, ""}, {"T", "E_SPLIT", {}, ""}},
                                {{"T.EO1", "P.REQ", ""}},
                                {{"C.CV", "P.IN", ""}}});
  CHECK(next->fire("T", "EI") == Events{"T.EO1", "T.EO2", "P.CNF(OUT=2)"});
}

TEST_CASE("an FB whose type changed under the same name starts with its initial values", "[reconfiguration]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "9"}}, ""}}, {}, {}}, {}, lib());
  rig.fire("C", "CU");
  Reconfiguration report;
  auto next = reconfigure(rig, {{{"C", "E_CTD", {{"PV", "9"}}, ""}}, {}, {}}, &report);
  CHECK(report.kept == 1);  // START
  CHECK(report.fresh == 1);
  CHECK(next->var("C", "CV").u == 0);
}

TEST_CASE("what is posted to a retired resource reaches its successor, renumbered", "[reconfiguration]") {
  Rig rig({{{"A", "E_CTU", {{"PV", "9"}}, ""}, {"B", "E_CTU", {{"PV", "9"}}, ""}}, {}, {}}, {}, lib());
  InboxEvent early;
  early.fb = index_of(rig.fb("B"));
  early.ei = EventId{0};
  REQUIRE(rig.res->post(early));
  // B moves from index 1 to index 0: A is deleted.
  Reconfiguration report;
  auto next = reconfigure(rig, {{{"B", "E_CTU", {{"PV", "9"}}, ""}}, {}, {}}, &report);
  CHECK(report.fb_map[index_of(rig.fb("B"))] == 0);
  InboxEvent late = early;
  CHECK(rig.res->post(late));  // the old index of B
  InboxEvent lost;
  lost.fb = index_of(rig.fb("A"));
  lost.ei = EventId{0};
  CHECK_FALSE(rig.res->post(lost));
  next->run();
  CHECK(next->rec->take() == Events{"B.CUO(Q=FALSE,CV=1)", "B.CUO(Q=FALSE,CV=2)"});
}

TEST_CASE("a kept FB's forced input stays forced across a reconfiguration", "[reconfiguration][forcing]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "9"}}, ""}}, {}, {}}, {}, lib());
  const auto& iface = rig.res->type_of(rig.fb("C")).iface;
  const Value two = Value::of_uint(2);
  REQUIRE_FALSE(rig.res->force(rig.fb("C"), iface.input_slot(*iface.find_input("PV")), &two));
  auto next = reconfigure(rig, {{{"C", "E_CTU", {{"PV", "9"}}, ""}, {"X", "E_SPLIT", {}, ""}}, {}, {}});
  CHECK(next->fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)"});
  CHECK(next->fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=2)"});
  CHECK(next->var("C", "PV").u == 2);
}
