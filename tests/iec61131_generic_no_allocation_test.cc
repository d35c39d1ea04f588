// The generic function FBs (charString, comparison, selection) and the
// generic utils blocks dispatch without heap allocation: this test binary
// replaces the global operator new and counts every call.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "tests/allocation_counter.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("a chain of generic FBs dispatches REQ and CNF without allocating", "[iec61131][utils][allocation]") {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string csv = std::string(dir ? dir : "/tmp") + "/no_allocation.csv";
  const std::vector<std::pair<const char*, FbInstanceDecl>> chain = {
      {"REQ", {"CAT", "F_CONCAT", {{"IN1", "'Hello, '"}, {"IN2", "'world'"}}, ""}},
      {"REQ", {"LEFT", "F_LEFT", {{"L", "5"}}, ""}},
      {"REQ", {"MID", "F_MID", {{"IN", "'ABCDEF'"}, {"L", "2"}, {"P", "3"}}, ""}},
      {"REQ", {"REP", "F_REPLACE", {{"IN1", "'ABCDEF'"}, {"IN2", "'xy'"}, {"L", "2"}, {"P", "2"}}, ""}},
      {"REQ", {"INS", "F_INSERT", {{"IN2", "'++'"}, {"P", "1"}}, ""}},
      {"REQ", {"DEL", "F_DELETE", {{"L", "1"}, {"P", "1"}}, ""}},
      {"REQ", {"FIND", "F_FIND", {{"IN2", "'y'"}}, ""}},
      {"REQ", {"LEN", "F_LEN", {{"IN", "\"wide\""}}, ""}},
      {"REQ", {"EQ", "F_EQ", {{"IN1", "'abc'"}, {"IN2", "'abd'"}}, ""}},
      {"REQ", {"SEL", "F_SEL", {{"G", "TRUE"}, {"IN0", "'zero'"}, {"IN1", "'one'"}}, ""}},
      {"REQ", {"MAX", "F_MAX", {{"IN1", "T#1s"}, {"IN2", "T#2s"}}, ""}},
      {"REQ", {"LIM", "F_LIMIT", {{"MN", "INT#0"}, {"IN", "INT#50"}, {"MX", "INT#10"}}, ""}},
      {"REQ", {"MUX", "F_MUX_2", {{"K", "1"}, {"IN1", "'a'"}, {"IN2", "'b'"}}, ""}},
      {"REQ", {"APP", "APPEND_STRING_3", {{"IN_1", "'t = '"}, {"IN_2", "LREAL#2.5"}, {"IN_3", "T#1s5ms"}}, ""}},
      {"EI2", {"FM", "F_MUX_2_2", {{"IN_1_1", "1"}, {"IN_1_2", "'x'"}, {"IN_2_1", "2"}, {"IN_2_2", "'y'"}}, ""}},
      {"REQ", {"CSV", "CSV_WRITER_2", {{"QI", "TRUE"}, {"FILE_NAME", "'" + csv + "'"}, {"SD_2", "REAL#0.5"}}, ""}},
  };
  FbNetwork net;
  for (size_t k = 0; k < chain.size(); ++k) {
    net.fbs.push_back(chain[k].second);
    if (k == 0) continue;
    const auto& prev = chain[k - 1].second;
    const std::string out = prev.type == "F_MUX_2_2" ? ".EO" : ".CNF";
    net.event_connections.push_back({prev.name + out, chain[k].second.name + "." + chain[k].first, ""});
  }
  net.data_connections = {{"CAT.OUT", "LEFT.IN", ""},
                          {"REP.OUT", "INS.IN1", ""},
                          {"INS.OUT", "DEL.IN", ""},
                          {"DEL.OUT", "FIND.IN1", ""},
                          {"APP.OUT", "CSV.SD_1", ""}};
  auto loaded = Resource::load(net, standard_library());
  REQUIRE(loaded);
  auto& r = *loaded.value();
  const FbIndex csv_fb = *r.find_fb("CSV");
  r.inject(csv_fb, EventId{0});  // INIT opens the file
  while (r.step(Time{0}).more_work) {
  }
  const FbIndex cat = *r.find_fb("CAT");
  auto cycle = [&] {
    r.inject(cat, EventId{0});
    while (r.step(Time{0}).more_work) {
    }
  };
  for (int k = 0; k < 10; ++k) cycle();  // warm up
  const uint64_t before = allocations();
  for (int k = 0; k < 1000; ++k) cycle();
  CHECK(allocations() - before == 0);
  // The chain really ran: REPLACE made 'AxyDEF', INSERT 'A++xyDEF', DELETE
  // '++xyDEF', in which FIND finds 'y' at 4.
  const FbIndex find = *r.find_fb("FIND");
  const auto& iface = r.type_of(find).iface;
  CHECK(r.vars(find)[iface.output_slot(0)].i == 4);
  const FbIndex csv_out = *r.find_fb("CSV");
  const auto& ci = r.type_of(csv_out).iface;
  CHECK(r.vars(csv_out)[ci.output_slot(0)].as_bool());
  unlink(csv.c_str());
}
