// The function blocks shipped in fblocks/, compiled from their text and run
// with exact event sequences under the virtual clock.
#include "runtime/device.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

// Every .st file of fblocks/, compiled together (in dependency order).
TypeLibrary fblocks_library(std::vector<lang::SystemDef>* systems = nullptr) {
  TypeLibrary lib = base_library();
  lang::TypeScope scope;
  const char* files[] = {"voter.st",    "ampel.st",     "mio_in.st",    "mio_out.st",      "e_delay.st",  "e_cycle.st",
                         "e_ctu.st",    "e_ctd.st",     "e_ctud.st",    "e_ctud_udint.st", "e_d_ff.st",   "e_demux.st",
                         "e_f_trig.st", "e_merge.st",   "e_n_table.st", "e_permit.st",     "e_r_trig.st", "e_rdelay.st",
                         "e_rend.st",   "e_restart.st", "e_rs.st",      "e_select.st",     "e_split.st",  "e_sr.st",
                         "e_switch.st", "e_t_ff.st",    "e_table.st",   "e_train.st",      "myapp.st"};
  for (const char* f : files) {
    Diagnostics d;
    lang::Compiled out;
    std::string path = std::string("fblocks/") + f;
    std::string text = repo_file(path);
    REQUIRE(!text.empty());
    if (!lang::compile(path, text, lib, scope, d, &out)) FAIL(d.str());
    CHECK(d.list().empty());  // not even a warning
    if (systems)
      for (auto& s : out.systems) systems->push_back(std::move(s));
  }
  return lib;
}

// The light changes among `e`, as "RED=..,YELLOW=..,GREEN=..)".
Events changes(const Events& e) {
  Events out;
  for (auto& s : e)
    if (s.rfind("L.CTL.CHANGE(", 0) == 0) out.push_back(s.substr(13));
  return out;
}

}  // namespace

TEST_CASE("every file of fblocks/ compiles without a diagnostic", "[fblocks]") {
  TypeLibrary lib = fblocks_library();
  for (const char* t : {"VOTER", "AMPEL", "AMPEL_CTL", "MIO_IN", "MIO_OUT", "E_DELAY", "E_TRAIN"}) CHECK(lib.find(t));
}

TEST_CASE("voter.st votes two out of three and holds a positive vote until Reset", "[fblocks][voter]") {
  TypeLibrary lib = fblocks_library();
  Rig rig({{{"V", "VOTER", {}, ""}}, {}, {}}, {}, lib);
  rig.var("V", "A") = Value::of_bool(true);
  CHECK(rig.fire("V", "Vote") == Events{"V.Voted(State=FALSE)"});
  CHECK(rig.fire("V", "Reset") == Events{});  // Ready ignores Reset
  rig.var("V", "C") = Value::of_bool(true);
  CHECK(rig.fire("V", "Vote") == Events{"V.Voted(State=TRUE)"});
  CHECK(rig.fire("V", "Vote") == Events{});  // VotedPos waits for Reset
  CHECK(rig.fire("V", "Reset") == Events{"V.Ready(State=FALSE)"});
  rig.var("V", "A") = Value::of_bool(false);
  CHECK(rig.fire("V", "Vote") == Events{"V.Voted(State=FALSE)"});
}

TEST_CASE("ampel.st cycles red, red-yellow, green, yellow on its E_DELAY", "[fblocks][ampel]") {
  TypeLibrary lib = fblocks_library();
  FbNetwork net{
      {{"L", "AMPEL", {{"T_RED", "T#4s"}, {"T_RED_YELLOW", "T#1s"}, {"T_GREEN", "T#6s"}, {"T_YELLOW", "T#2s"}}, ""}},
      {},
      {}};
  Rig rig(net, {}, lib);
  CHECK(changes(rig.fire("L.CTL", "INIT")) == Events{"RED=TRUE,YELLOW=FALSE,GREEN=FALSE)"});
  CHECK(changes(rig.advance(3999ms)) == Events{});
  CHECK(changes(rig.advance(1ms)) == Events{"RED=TRUE,YELLOW=TRUE,GREEN=FALSE)"});
  CHECK(changes(rig.advance(1s)) == Events{"RED=FALSE,YELLOW=FALSE,GREEN=TRUE)"});
  CHECK(changes(rig.advance(6s)) == Events{"RED=FALSE,YELLOW=TRUE,GREEN=FALSE)"});
  CHECK(changes(rig.advance(2s)) == Events{"RED=TRUE,YELLOW=FALSE,GREEN=FALSE)"});
}

TEST_CASE("ampel.st: a pedestrian request cuts green short, and is ignored in red", "[fblocks][ampel]") {
  TypeLibrary lib = fblocks_library();
  FbNetwork net{{{"L",
                  "AMPEL",
                  {{"T_RED", "T#4s"},
                   {"T_RED_YELLOW", "T#1s"},
                   {"T_GREEN", "T#6s"},
                   {"T_GREEN_SHORT", "T#2s"},
                   {"T_YELLOW", "T#2s"}},
                  ""}},
                {},
                {}};
  Rig rig(net, {}, lib);
  rig.fire("L.CTL", "INIT");
  CHECK(changes(rig.fire("L.CTL", "REQ")) == Events{});  // red: ignored
  rig.advance(4s);                                       // red-yellow
  rig.advance(1s);                                       // green at 5 s
  rig.advance(1s);                                       // 1 s into green
  CHECK(changes(rig.fire("L.CTL", "REQ")) == Events{});
  CHECK(changes(rig.advance(1999ms)) == Events{});
  CHECK(changes(rig.advance(1ms)) == Events{"RED=FALSE,YELLOW=TRUE,GREEN=FALSE)"});  // at 8 s, not 11 s
  CHECK(changes(rig.advance(2s)) == Events{"RED=TRUE,YELLOW=FALSE,GREEN=FALSE)"});
}

TEST_CASE("myapp.st runs across two devices: sensors vote, the light changes, lamps are written", "[fblocks][system]") {
  std::vector<lang::SystemDef> systems;
  TypeLibrary lib = fblocks_library(&systems);
  REQUIRE(systems.size() == 1);
  const lang::SystemDef& sys = systems[0];
  CHECK(sys.name == "MyApp");
  REQUIRE(sys.devices.size() == 2);
  CHECK(sys.devices[0].resources == std::vector<std::string>{"Field.Main"});
  CHECK(sys.devices[1].resources == std::vector<std::string>{"Crossing.Main"});
  auto device = Device::load(sys.resources, sys.application, lib);
  REQUIRE(device);
  Resource& field = *(*device)->resource("Field.Main");
  Resource& crossing = *(*device)->resource("Crossing.Main");

  struct Io : ResourceObserver {
    std::vector<std::string> writes;
    void on_output(FbIndex, EventId, const Value*) noexcept override {}
    void on_io_write(FbIndex, const std::string& a, DataType t, Value v) noexcept override {
      writes.push_back(a + ":=" + format_value(t, v));
    }
  } io;
  Recorder votes(field);
  votes.observe_all();
  crossing.set_observer(&io);
  VirtualClock clock;
  auto run = [&] {
    for (int k = 0; k < 10; ++k) {
      field.step(clock.now());
      crossing.step(clock.now());
    }
  };
  field.start();
  crossing.start();
  run();
  CHECK(io.writes == std::vector<std::string>{"Q0.0:=TRUE", "Q0.1:=FALSE", "Q0.2:=FALSE"});
  io.writes.clear();
  // Two of three sensors: the vote is positive and goes to the light.
  REQUIRE(write_input(field, *find_input_point(field, "I0.0"), Value::of_bool(true)));
  REQUIRE(write_input(field, *find_input_point(field, "I0.2"), Value::of_bool(true)));
  run();
  auto has = [&](const std::string& e) {
    return std::find(votes.events.begin(), votes.events.end(), e) != votes.events.end();
  };
  CHECK(has("Vote.Voted(State=TRUE)"));
  CHECK(has("Permit.EO"));
  // Red lasts T#4s, then red-yellow: the change resets the voter across devices.
  clock.advance(4s);
  run();
  CHECK(io.writes == std::vector<std::string>{"Q0.0:=TRUE", "Q0.1:=TRUE", "Q0.2:=FALSE"});
  CHECK(has("Vote.Ready(State=FALSE)"));
}
