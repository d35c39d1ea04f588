// Forcing (runtime/forcing.h): a forced input holds against connections,
// events from outside, writes and the FB's own algorithm; a forced output is
// what everything downstream sees; clearing restores the normal flow; and
// dispatch allocates nothing while a force holds.
#include "runtime/forcing.h"

#include "runtime/device.h"
#include "tests/allocation_counter.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// K counts REQs (an algorithm writing a variable), M is N + K, OUT is IN
// with '!' appended, Y is X: a STRING, an INT and an LREAL through.
const char* kEcho =
    "FUNCTION_BLOCK ECHO\n"
    "EVENT_INPUT REQ WITH IN, N, X; END_EVENT\n"
    "EVENT_OUTPUT CNF WITH OUT, M, Y; END_EVENT\n"
    "VAR_INPUT IN : STRING[16]; N : INT; X : LREAL; END_VAR\n"
    "VAR_OUTPUT OUT : STRING[16]; M : INT; Y : LREAL; END_VAR\n"
    "VAR K : INT; END_VAR\n"
    "EC_STATES S0; S1 : Run -> CNF; END_STATES\n"
    "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
    "ALGORITHM Run IN ST:\n"
    "  K := K + 1; M := N + K; Y := X; OUT := CONCAT(IN, '!');\n"
    "END_ALGORITHM\n"
    "END_FUNCTION_BLOCK\n";

const TypeLibrary& echo_library() {
  static TypeLibrary lib = compiled(kEcho);
  return lib;
}

// The slot and declaration of FB.VAR.
std::pair<uint32_t, const VarDecl*> variable(Resource& r, FbIndex f, const std::string& name) {
  const auto& iface = r.type_of(f).iface;
  if (auto k = iface.find_input(name)) return {iface.input_slot(*k), &iface.inputs[*k]};
  if (auto k = iface.find_output(name)) return {iface.output_slot(*k), &iface.outputs[*k]};
  auto k = iface.find_internal(name);
  REQUIRE(k);
  return {iface.internal_slot(*k), &iface.internals[*k]};
}

void force(Rig& rig, const std::string& fb, const std::string& var, const std::string& literal) {
  FbIndex f = rig.fb(fb);
  auto [slot, decl] = variable(*rig.res, f, var);
  std::vector<Value> v(decl->slots());
  write_initial(*decl, v.data());
  REQUIRE(parse_var_literal(*decl, literal, v.data()));
  REQUIRE_FALSE(rig.res->force(f, slot, v.data()));
}

bool clear(Rig& rig, const std::string& fb, const std::string& var) {
  FbIndex f = rig.fb(fb);
  return rig.res->clear_force(f, variable(*rig.res, f, var).first);
}

std::string text(Rig& rig, const std::string& fb, const std::string& var) {
  FbIndex f = rig.fb(fb);
  auto [slot, decl] = variable(*rig.res, f, var);
  return read_string(*decl, rig.res->vars(f) + slot);
}

// Counter C1 feeds C2's PV with its CV: C1.CUO -> C2.CU, C1.CV -> C2.PV.
FbNetwork chained_counters() {
  FbNetwork n;
  n.fbs = {{"C1", "E_CTU", {{"PV", "100"}}, ""}, {"C2", "E_CTU", {}, ""}};
  n.event_connections = {{"C1.CUO", "C2.CU", ""}};
  n.data_connections = {{"C1.CV", "C2.PV", ""}};
  return n;
}

// A.CNF -> B.REQ with A.OUT -> B.IN, A.M -> B.X (INT into LREAL: a
// converting copy).
FbNetwork chained_echoes() {
  FbNetwork n;
  n.fbs = {{"A", "ECHO", {}, ""}, {"B", "ECHO", {}, ""}};
  n.event_connections = {{"A.CNF", "B.REQ", ""}};
  n.data_connections = {{"A.OUT", "B.IN", ""}, {"A.M", "B.X", ""}};
  return n;
}

}  // namespace

TEST_CASE("A forced input wins against its connection", "[forcing]") {
  Rig rig(chained_counters());
  force(rig, "C2", "PV", "3");
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=1)", "C2.CUO(Q=FALSE,CV=1)"});
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=2)", "C2.CUO(Q=FALSE,CV=2)"});
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=3)", "C2.CUO(Q=TRUE,CV=3)"});
  CHECK(rig.var("C2", "PV").u == 3);
}

TEST_CASE("A forced input holds through many events", "[forcing]") {
  Rig rig(chained_counters());
  force(rig, "C2", "PV", "7");
  for (int k = 1; k <= 5000; ++k) {
    rig.fire("C1", "CU");
    REQUIRE(rig.var("C2", "PV").u == 7);
  }
  CHECK(rig.var("C2", "CV").u == 5000);
  CHECK(rig.var("C2", "Q").u == 1);
}

TEST_CASE("A forced output is what connections downstream carry and the observer sees", "[forcing]") {
  Rig rig(chained_counters());
  force(rig, "C1", "CV", "40");
  // C1 counts from its forced 40 (41 > PV 100 is false), sends 40.
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=40)", "C2.CUO(Q=FALSE,CV=1)"});
  CHECK(rig.var("C2", "PV").u == 40);
  CHECK(rig.var("C1", "CV").u == 40);  // written back after C1's own event
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=40)", "C2.CUO(Q=FALSE,CV=2)"});
  const Value* v = rig.res->forced(rig.fb("C1"), variable(*rig.res, rig.fb("C1"), "CV").first);
  REQUIRE(v);
  CHECK(v->u == 40);
}

TEST_CASE("A forced output reaches a connection's held value at once", "[forcing]") {
  // C1.CV -> C2.PV, but C2.CU comes from M: PV takes C1.CV's held value.
  FbNetwork n;
  n.fbs = {{"C1", "E_CTU", {}, ""}, {"C2", "E_CTU", {}, ""}, {"M", "E_MERGE", {}, ""}};
  n.event_connections = {{"M.EO", "C2.CU", ""}};
  n.data_connections = {{"C1.CV", "C2.PV", ""}};
  Rig rig(n);
  force(rig, "C1", "CV", "2");
  CHECK(rig.fire("M", "EI1") == Events{"M.EO", "C2.CUO(Q=FALSE,CV=1)"});
  CHECK(rig.var("C2", "PV").u == 2);
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=TRUE,CV=2)"});  // 3 >= PV 0 internally; 2 sent
  CHECK(rig.fire("M", "EI1") == Events{"M.EO", "C2.CUO(Q=TRUE,CV=2)"});
  REQUIRE(clear(rig, "C1", "CV"));
  CHECK(rig.fire("M", "EI1") == Events{"M.EO", "C2.CUO(Q=TRUE,CV=3)"});
  CHECK(rig.var("C2", "PV").u == 2);  // the held value keeps the forced value until C1 sends
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=TRUE,CV=3)"});
  CHECK(rig.fire("M", "EI1") == Events{"M.EO", "C2.CUO(Q=TRUE,CV=4)"});
  CHECK(rig.var("C2", "PV").u == 3);
}

TEST_CASE("Clearing a forced input leaves the forced value until its next event", "[forcing]") {
  Rig rig(chained_counters());
  force(rig, "C2", "PV", "1");
  rig.fire("C1", "CU");
  rig.fire("C1", "CU");
  REQUIRE(clear(rig, "C2", "PV"));
  CHECK_FALSE(clear(rig, "C2", "PV"));  // no longer forced
  CHECK(rig.var("C2", "PV").u == 1);
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=3)", "C2.CUO(Q=TRUE,CV=3)"});
  CHECK(rig.var("C2", "PV").u == 3);
  CHECK(rig.res->forced().empty());
}

TEST_CASE("Clearing a forced output sends the FB's own value from its next event", "[forcing]") {
  Rig rig(chained_counters());
  force(rig, "C1", "CV", "9");
  rig.fire("C1", "CU");
  REQUIRE(clear(rig, "C1", "CV"));
  CHECK(rig.var("C1", "CV").u == 9);
  CHECK(rig.fire("C1", "CU") == Events{"C1.CUO(Q=FALSE,CV=10)", "C2.CUO(Q=FALSE,CV=2)"});
  CHECK(rig.var("C2", "PV").u == 10);
}

TEST_CASE("Forced variables hold against the FB's own algorithm, an event's values and writes", "[forcing]") {
  Rig rig({{{"A", "ECHO", {}, ""}}, {}, {}}, {}, echo_library());
  force(rig, "A", "N", "10");
  force(rig, "A", "K", "5");  // an internal variable, which the algorithm counts up
  for (int k = 0; k < 3; ++k) {
    rig.fire("A", "REQ");
    CHECK(rig.var("A", "M").i == 16);  // the algorithm sees its own write (K = 6) within the event
    CHECK(rig.var("A", "N").i == 10);
    CHECK(rig.var("A", "K").i == 5);
  }
  // An event from outside carrying N, and a plain write posted before the
  // force that lands after it, are both undone.
  FbIndex a = rig.fb("A");
  const uint32_t n_slot = variable(*rig.res, a, "N").first;
  InboxEvent e;
  e.fb = index_of(a);
  e.ei = EventId{0};
  e.count = 1;
  e.slot[0] = rig.res->slot_of(a, n_slot);
  e.value[0] = Value::of_int(99);
  REQUIRE(rig.res->post(e));
  rig.run();
  CHECK(rig.var("A", "M").i == 16);
  e.ei = kNoEvent;
  REQUIRE(rig.res->post(e));
  rig.run();
  CHECK(rig.var("A", "N").i == 10);
  CHECK(rig.res->write_refused(a, n_slot, 1));
  CHECK_FALSE(rig.res->write_refused(a, variable(*rig.res, a, "X").first, 1));
  REQUIRE(clear(rig, "A", "N"));
  REQUIRE(clear(rig, "A", "K"));
  CHECK_FALSE(rig.res->write_refused(a, n_slot, 1));
  rig.fire("A", "REQ");
  CHECK(rig.var("A", "M").i == 16);  // N kept 10, K counts on from 5
  rig.fire("A", "REQ");
  CHECK(rig.var("A", "M").i == 17);
  CHECK(rig.var("A", "K").i == 7);
}

TEST_CASE("A forced STRING output travels downstream and a forced STRING input holds", "[forcing]") {
  Rig rig(chained_echoes(), {}, echo_library());
  force(rig, "A", "IN", "'in'");
  rig.fire("A", "REQ");
  CHECK(text(rig, "A", "OUT") == "in!");
  CHECK(text(rig, "B", "OUT") == "in!!");
  force(rig, "A", "OUT", "'forced text'");
  rig.fire("A", "REQ");
  CHECK(text(rig, "A", "OUT") == "forced text");
  CHECK(text(rig, "B", "IN") == "forced text");
  CHECK(text(rig, "B", "OUT") == "forced text!");
  force(rig, "B", "IN", "'x'");  // forced again: a connection's STRING is held off too
  rig.fire("A", "REQ");
  CHECK(text(rig, "B", "OUT") == "x!");
  REQUIRE(clear(rig, "A", "OUT"));
  REQUIRE(clear(rig, "B", "IN"));
  rig.fire("A", "REQ");
  CHECK(text(rig, "B", "OUT") == "in!!");
  CHECK(rig.res->forced().size() == 1);
}

TEST_CASE("An ARRAY input is forced as a whole", "[forcing]") {
  const TypeLibrary lib = compiled(
      "FUNCTION_BLOCK SUM3\n"
      "EVENT_INPUT REQ WITH A; END_EVENT\n"
      "EVENT_OUTPUT CNF WITH S; END_EVENT\n"
      "VAR_INPUT A : ARRAY[0..2] OF INT; END_VAR\n"
      "VAR_OUTPUT S : INT; END_VAR\n"
      "EC_STATES S0; S1 : Run -> CNF; END_STATES\n"
      "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
      "ALGORITHM Run IN ST: S := A[0] + A[1] + A[2]; END_ALGORITHM\n"
      "END_FUNCTION_BLOCK\n");
  Rig rig({{{"X", "SUM3", {{"A", "[1, 2, 3]"}}, ""}}, {}, {}}, {}, lib);
  rig.fire("X", "REQ");
  CHECK(rig.var("X", "S").i == 6);
  force(rig, "X", "A", "[10, 20, 30]");  // against the parameter sampled at each REQ
  rig.fire("X", "REQ");
  CHECK(rig.var("X", "S").i == 60);
  REQUIRE(clear(rig, "X", "A"));
  rig.fire("X", "REQ");
  CHECK(rig.var("X", "S").i == 6);
}

TEST_CASE("A forced output feeding a converting connection is converted", "[forcing]") {
  Rig rig(chained_echoes(), {}, echo_library());
  force(rig, "A", "M", "-5");  // INT into B's LREAL X
  rig.fire("A", "REQ");
  CHECK(rig.var("B", "Y").r == -5.0);
  REQUIRE(clear(rig, "A", "M"));
  rig.fire("A", "REQ");  // A's K was 1, is now 2
  CHECK(rig.var("B", "Y").r == 2.0);
}

TEST_CASE("Forcing names the variable by its first slot", "[forcing]") {
  Rig rig({{{"A", "ECHO", {}, ""}}, {}, {}}, {}, echo_library());
  FbIndex a = rig.fb("A");
  Value v[1] = {Value::of_int(1)};
  auto why = rig.res->force(a, variable(*rig.res, a, "IN").first + 1, v);  // inside the STRING
  REQUIRE(why);
  CHECK(*why == "no variable of A starts at slot 1");
  CHECK(rig.res->forced().empty());
}

TEST_CASE("A forced output is what an event to another resource carries", "[forcing][device]") {
  // C (on R1) counts; each CUO goes to K.CU on R2 carrying CV into K.PV.
  Application app{
      "APP",
      {{{"C", "E_CTU", {{"PV", "100"}}, ""}, {"K", "E_CTU", {}, ""}}, {{"C.CUO", "K.CU", ""}}, {{"C.CV", "K.PV", ""}}},
      {{"C", "R1", ""}, {"K", "R2", ""}}};
  auto d = Device::load({{"R1", {}}, {"R2", {}}}, app, standard_library());
  REQUIRE(d);
  Resource& r1 = *d.value()->resource("R1");
  Resource& r2 = *d.value()->resource("R2");
  const FbIndex c = *r1.find_fb("C"), k = *r2.find_fb("K");
  const Value cv = Value::of_uint(70);
  REQUIRE_FALSE(r1.force(c, 2, &cv));  // E_CTU's CV
  r1.inject(c, EventId{0});
  r1.step(Time{0});
  r2.step(Time{0});
  CHECK(r2.vars(k)[0].u == 70);  // K.PV
  REQUIRE(r1.clear_force(c, 2));
  r1.inject(c, EventId{0});
  r1.step(Time{0});
  r2.step(Time{0});
  CHECK(r2.vars(k)[0].u == 71);
  CHECK(r2.vars(k)[2].u == 2);  // K.CV
}

namespace {
// Counts outputs and reads the forced value through the observer's view.
class QuietObserver : public ResourceObserver {
 public:
  void on_output(FbIndex, EventId, const Value* vars) noexcept override {
    ++outputs;
    last_cv = vars[2].u;  // E_CTU's CV
  }
  uint64_t outputs = 0;
  uint64_t last_cv = 0;
};
}  // namespace

TEST_CASE("Dispatch allocates nothing while a force holds", "[forcing][allocation]") {
  auto loaded = Resource::load(chained_counters(), standard_library());
  REQUIRE(loaded);
  Resource& r = *loaded.value();
  QuietObserver obs;
  r.set_observer(&obs);
  FbIndex c1 = *r.find_fb("C1"), c2 = *r.find_fb("C2");
  r.observe(c1, EventId{0}, true);
  Value cv[1] = {Value::of_uint(50)}, pv[1] = {Value::of_uint(2)};
  REQUIRE_FALSE(r.force(c1, 2, cv));
  REQUIRE_FALSE(r.force(c2, 0, pv));
  auto one_event = [&] {
    r.inject(c1, EventId{0});
    while (r.step(Time{0}).more_work) {
    }
  };
  one_event();  // warm up
  const uint64_t before = allocations();
  for (int k = 0; k < 1000; ++k) one_event();
  CHECK(allocations() == before);
  CHECK(obs.outputs == 1001);
  CHECK(obs.last_cv == 50);
  CHECK(r.vars(c2)[0].u == 2);
  CHECK(r.vars(c2)[2].u == 1001);
}
