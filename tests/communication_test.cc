// The communication blocks (runtime/stdfb/communication.cc): the service
// sequences FORTE's CCommFB runs, with a fake host that records what the
// blocks ask (on_service) and answers through service_answer().
#include <string>
#include <vector>

#include "runtime/reconfiguration.h"
#include "runtime/stdfb/communication.h"
#include "tests/allocation_counter.h"
#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::stdfb;
using namespace plc::test;

namespace {

// Records the requests as "open 1 'plc[g]'", "send 1 5,'abc'", "close 1",
// and every output event as its name followed by its RDs' values.
class Host : public Recorder {
 public:
  explicit Host(Resource& r) : Recorder(r), r_(r) {}
  void on_service(FbIndex fb, ServiceRequest what, uint32_t channel, const Value* vars) noexcept override {
    const Interface& i = r_.type_of(fb).iface;
    const char* names[] = {"open", "send", "close"};
    std::string s = std::string(names[uint8_t(what)]) + " " + std::to_string(channel);
    if (what == ServiceRequest::kOpen) s += " " + text(i.inputs[1], vars + i.input_slot(1));
    if (what == ServiceRequest::kSend) {
      s += " ";
      for (uint16_t k = 2; k < i.inputs.size(); ++k)
        s += (k > 2 ? "," : "") + text(i.inputs[k], vars + i.input_slot(k));
    }
    requests.push_back(s);
  }
  void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
    const Interface& i = r_.type_of(fb).iface;
    std::string s = i.event_outputs[index_of(eo)].name;
    for (uint16_t k = 2; k < i.outputs.size() && index_of(eo) == 1; ++k)
      s += (k > 2 ? "," : " ") + text(i.outputs[k], vars + i.output_slot(k));
    events.push_back(s);
  }
  static std::string text(const VarDecl& d, const Value* v) {
    if (d.type == DataType::kString || d.type == DataType::kWstring) return "'" + read_string(d, v) + "'";
    return format_value(d.type, *v);
  }
  std::vector<std::string> requests;

 private:
  Resource& r_;
};

// One communication block "F" (and what `net` adds), driven by a Host.
struct Service {
  Service(const std::string& type, std::vector<Parameter> params) : g(type, std::move(params)), host(*g.rig.res) {
    host.observe_all();
  }
  Service(const FbNetwork& net) : g(net, standard_library()), host(*g.rig.res) { host.observe_all(); }

  Events fire(const std::string& ei) {
    FbIndex f = g.rig.fb("F");
    REQUIRE(g.rig.res->inject(f, *g.iface().find_event_input(ei)));
    g.rig.run();
    return host.take();
  }
  // Posts an answer of the host for channel `channel` (without running).
  void post(ServiceAnswer what, ComCode code, std::vector<Value> rd = {}, uint32_t channel = 1) {
    auto parts = service_answer(*g.rig.res, g.rig.fb("F"), channel, what, code, rd);
    REQUIRE(!parts.empty());
    REQUIRE(g.rig.res->post(parts.data(), uint32_t(parts.size())));
  }
  Events answer(ServiceAnswer what, ComCode code, std::vector<Value> rd = {}, uint32_t channel = 1) {
    post(what, code, std::move(rd), channel);
    g.rig.run();
    return host.take();
  }
  Events open() {
    fire("INIT");
    return answer(ServiceAnswer::kInit, ComCode::kOk);
  }
  bool qo() { return g.value("QO").as_bool(); }
  std::string status() { return g.text("STATUS"); }
  std::vector<std::string> requests() { return std::exchange(host.requests, {}); }

  Generic g;
  Host host;
};

std::vector<Parameter> publish_params(const std::string& id = "'plc[g]'") {
  return {{"QI", "TRUE"}, {"ID", id}, {"SD_1", "INT#5"}, {"SD_2", "'abc'"}};
}

std::vector<Value> text_slots(const VarDecl& d, const std::string& s) {
  std::vector<Value> v(d.slots());
  write_string(d, s, v.data());
  return v;
}

}  // namespace

TEST_CASE("PUBLISH INIT asks the host to open the ID; INITO comes with the host's answer", "[net][PUBLISH]") {
  Service p("PUBLISH_2", publish_params());
  CHECK(p.fire("INIT").empty());
  CHECK(p.requests() == std::vector<std::string>{"open 1 'plc[g]'"});
  CHECK(p.answer(ServiceAnswer::kInit, ComCode::kOk) == Events{"INITO"});
  CHECK(p.qo());
  CHECK(p.status() == "OK");
  SECTION("INIT with QI on an open channel is OK at once") {
    CHECK(p.fire("INIT") == Events{"INITO"});
    CHECK(p.requests().empty());
    CHECK(p.status() == "OK");
  }
}

TEST_CASE("PUBLISH REQ hands its SDs to the host and confirms at once", "[net][PUBLISH]") {
  Service p("PUBLISH_2", publish_params());
  p.open();
  p.requests();
  CHECK(p.fire("REQ") == Events{"CNF"});
  CHECK(p.requests() == std::vector<std::string>{"send 1 5,'abc'"});
  CHECK(p.qo());
  CHECK(p.status() == "OK");
  p.g.slots("SD_1")->i = -7;
  p.g.set_text("SD_2", "");
  p.fire("REQ");
  CHECK(p.requests() == std::vector<std::string>{"send 1 -7,''"});
}

TEST_CASE("PUBLISH REQ without QI is INHIBITED, before the channel is open NO_SOCKET", "[net][PUBLISH]") {
  Service p("PUBLISH_2", publish_params());
  CHECK(p.fire("REQ") == Events{"CNF"});
  CHECK_FALSE(p.qo());
  CHECK(p.status() == "NO_SOCKET");
  p.g.slots("QI")->u = 0;
  CHECK(p.fire("REQ") == Events{"CNF"});
  CHECK(p.status() == "INHIBITED");
  CHECK(p.requests().empty());
}

TEST_CASE("An empty ID is INVALID_ID without asking the host", "[net][PUBLISH]") {
  Service p("PUBLISH_1", {{"QI", "TRUE"}, {"SD_1", "INT#1"}});
  CHECK(p.fire("INIT") == Events{"INITO"});
  CHECK_FALSE(p.qo());
  CHECK(p.status() == "INVALID_ID");
  CHECK(p.requests().empty());
}

TEST_CASE("A host that refuses the ID gives INITO with QO FALSE and its reason", "[net][PUBLISH]") {
  Service p("PUBLISH_1", {{"QI", "TRUE"}, {"ID", "'nonsense'"}, {"SD_1", "INT#1"}});
  p.fire("INIT");
  CHECK(p.answer(ServiceAnswer::kInit, ComCode::kInvalidId) == Events{"INITO"});
  CHECK_FALSE(p.qo());
  CHECK(p.status() == "INVALID_ID");
  p.fire("REQ");
  CHECK(p.status() == "NO_SOCKET");
}

TEST_CASE("INIT without QI closes the channel: TERMINATED; a late answer is ignored", "[net][PUBLISH]") {
  Service p("PUBLISH_2", publish_params());
  p.fire("INIT");
  p.g.slots("QI")->u = 0;
  CHECK(p.fire("INIT") == Events{"INITO"});
  CHECK(p.requests() == std::vector<std::string>{"open 1 'plc[g]'", "close 1"});
  CHECK_FALSE(p.qo());
  CHECK(p.status() == "TERMINATED");
  CHECK(p.answer(ServiceAnswer::kInit, ComCode::kOk).empty());
  p.g.slots("QI")->u = 1;
  p.fire("INIT");
  CHECK(p.requests() == std::vector<std::string>{"open 2 'plc[g]'"});
  CHECK(p.answer(ServiceAnswer::kInit, ComCode::kOk, {}, 1).empty());
  CHECK(p.answer(ServiceAnswer::kInit, ComCode::kOk, {}, 2) == Events{"INITO"});
  CHECK(p.qo());
}

TEST_CASE("The wire a channel's INIT answer names is the block's; a stale answer's is ignored", "[net][PUBLISH]") {
  Service p("PUBLISH_2", publish_params("'127.0.0.1:61000'"));
  const FbIndex f = p.g.rig.fb("F");
  auto wire = [&] { return service_wire(p.g.rig.res->type_of(f), p.g.rig.res->vars(f)); };
  auto answer = [&](uint32_t channel, ServiceWire w) {
    auto parts = service_answer(*p.g.rig.res, f, channel, ServiceAnswer::kInit, ComCode::kOk, {}, w);
    REQUIRE(p.g.rig.res->post(parts.data(), uint32_t(parts.size())));
    p.g.rig.run();
    return p.host.take();
  };
  CHECK(wire() == ServiceWire::kValues);
  p.fire("INIT");
  CHECK(answer(1, ServiceWire::kFbdk) == Events{"INITO"});
  CHECK(wire() == ServiceWire::kFbdk);
  p.g.slots("QI")->u = 0;
  p.fire("INIT");
  p.g.slots("QI")->u = 1;
  p.fire("INIT");
  CHECK(answer(1, ServiceWire::kValues).empty());  // for channel 1, closed: no INITO, no wire
  CHECK(wire() == ServiceWire::kFbdk);
  CHECK(answer(2, ServiceWire::kValues) == Events{"INITO"});
  CHECK(wire() == ServiceWire::kValues);
}

TEST_CASE("A failed send comes back as CNF with QO FALSE and SEND_FAILED", "[net][PUBLISH]") {
  Service p("PUBLISH_2", publish_params());
  p.open();
  p.fire("REQ");
  CHECK(p.answer(ServiceAnswer::kData, ComCode::kSendFailed) == Events{"CNF"});
  CHECK_FALSE(p.qo());
  CHECK(p.status() == "SEND_FAILED");
}

TEST_CASE("A channel the host lost gives INITO TERMINATED and is closed", "[net][SUBSCRIBE]") {
  Service s("SUBSCRIBE_0", {{"QI", "TRUE"}, {"ID", "'plc[g]'"}});
  s.open();
  CHECK(s.answer(ServiceAnswer::kInit, ComCode::kTerminated) == Events{"INITO"});
  CHECK_FALSE(s.qo());
  CHECK(s.status() == "TERMINATED");
  CHECK(s.answer(ServiceAnswer::kData, ComCode::kOk).empty());
}

TEST_CASE("SUBSCRIBE: two packets in a row each come with their own values", "[net][SUBSCRIBE]") {
  // RD_1 is a UINT (E_CTU's PV), RD_2 a STRING (CSV_WRITER's FILE_NAME):
  // 3 + 1 + 33 values, five inbox parts per packet.
  FbNetwork net{{{"F", "SUBSCRIBE_2", {{"QI", "TRUE"}, {"ID", "'plc[g]'"}}, ""},
                 {"C", "E_CTU", {}, ""},
                 {"W", "CSV_WRITER_1", {{"SD_1", "INT#0"}}, ""}},
                {},
                {{"F.RD_1", "C.PV", ""}, {"F.RD_2", "W.FILE_NAME", ""}}};
  Service s(net);
  s.open();
  CHECK(s.g.type("RD_1") == DataType::kUint);
  CHECK(s.g.type("RD_2") == DataType::kString);
  const VarDecl& rd2 = s.g.decl("RD_2");
  auto packet = [&](uint64_t n, const std::string& text) {
    std::vector<Value> rd{Value::of_uint(n)};
    for (Value v : text_slots(rd2, text)) rd.push_back(v);
    return rd;
  };
  s.post(ServiceAnswer::kData, ComCode::kOk, packet(1, "first"));
  s.post(ServiceAnswer::kData, ComCode::kOk, packet(65535, "second, longer than eight slots of text: 40 chars"));
  s.g.rig.run();
  CHECK(s.host.take() == Events{"IND 1,'first'", "IND 65535,'second, longer than eight slots of text: 40 chars'"});
  CHECK(s.qo());
  CHECK(s.status() == "OK");
}

TEST_CASE("SUBSCRIBE_10 receives ten values in one event", "[net][SUBSCRIBE]") {
  Service s("SUBSCRIBE_10", {{"QI", "TRUE"}, {"ID", "'plc[g]'"}});
  s.open();
  std::vector<Value> rd;
  for (int k = 1; k <= 10; ++k) rd.push_back(Value::of_real(k * 1.5));
  CHECK(s.answer(ServiceAnswer::kData, ComCode::kOk, rd) == Events{"IND 1.5,3,4.5,6,7.5,9,10.5,12,13.5,15"});
}

TEST_CASE("SUBSCRIBE RSP without QI is INHIBITED, with QI it does nothing", "[net][SUBSCRIBE]") {
  Service s("SUBSCRIBE_1", {{"QI", "TRUE"}, {"ID", "'plc[g]'"}});
  s.open();
  CHECK(s.fire("RSP").empty());
  s.g.slots("QI")->u = 0;
  CHECK(s.fire("RSP") == Events{"IND 0"});
  CHECK(s.status() == "INHIBITED");
}

TEST_CASE("CLIENT REQ sends the request; CNF comes with the response", "[net][CLIENT]") {
  Service c("CLIENT_2_1", {{"QI", "TRUE"}, {"ID", "'plc[srv]'"}, {"SD_1", "DINT#-3"}, {"SD_2", "TRUE"}});
  c.open();
  c.requests();
  CHECK(c.fire("REQ").empty());
  CHECK(c.requests() == std::vector<std::string>{"send 1 -3,TRUE"});
  CHECK(c.answer(ServiceAnswer::kData, ComCode::kOk, {Value::of_real(2.25)}) == Events{"CNF 2.25"});
  CHECK(c.qo());
  CHECK(c.answer(ServiceAnswer::kData, ComCode::kRecvFailed) == Events{"CNF 2.25"});
  CHECK_FALSE(c.qo());
  CHECK(c.status() == "RECV_FAILED");
}

TEST_CASE("SERVER indicates a request with its RDs; RSP sends the SDs back without an event", "[net][SERVER]") {
  Service s("SERVER_1_2", {{"QI", "TRUE"}, {"ID", "'plc[srv]'"}, {"SD_1", "UINT#9"}});
  CHECK(s.g.iface().inputs.size() == 3);
  CHECK(s.g.iface().outputs.size() == 4);
  s.open();
  s.requests();
  CHECK(s.answer(ServiceAnswer::kData, ComCode::kOk, {Value::of_real(1), Value::of_real(-2)}) == Events{"IND 1,-2"});
  CHECK(s.fire("RSP").empty());
  CHECK(s.requests() == std::vector<std::string>{"send 1 9"});
}

TEST_CASE("The library has every PUBLISH, SUBSCRIBE, CLIENT and SERVER size", "[net]") {
  const TypeLibrary& lib = standard_library();
  for (const char* name : {"PUBLISH_0", "PUBLISH_10", "SUBSCRIBE_0", "SUBSCRIBE_10", "CLIENT_1", "CLIENT_2_1",
                           "CLIENT_0_4", "SERVER_1", "SERVER_1_2", "SERVER_4_4"}) {
    const FbType* t = lib.find(name);
    REQUIRE(t);
    CHECK(service_role(*t));
  }
  CHECK(lib.find("CLIENT_1")->iface.outputs.size() == 3);
  CHECK(lib.find("PUBLISH_10")->iface.event_inputs[1].with.size() == 11);
  CHECK_FALSE(service_role(*lib.find("E_CTU")));
}

TEST_CASE("PUBLISH REQ allocates nothing in the engine", "[net][PUBLISH][allocation]") {
  Service p("PUBLISH_2", publish_params());
  p.open();
  FbIndex f = p.g.rig.fb("F");
  const EventId req = *p.g.iface().find_event_input("REQ");
  // The fake host allocates to record; what counts is the engine alone.
  p.g.rig.res->set_observer(nullptr);
  const uint64_t before = allocations();
  for (int k = 0; k < 100; ++k) {
    REQUIRE(p.g.rig.res->inject(f, req));
    p.g.rig.res->step(p.g.rig.clock.now());
  }
  CHECK(allocations() - before == 0);
}

TEST_CASE("An event in parts for a block that takes none is dropped and counted", "[net][resource]") {
  Rig rig({{{"C", "E_CTU", {}, ""}}, {}, {}});
  InboxEvent parts[2];
  for (InboxEvent& e : parts) {
    e.fb = index_of(rig.fb("C"));
    e.ei = EventId{0};
    e.count = 1;
    e.slot[0] = rig.res->slot_of(rig.fb("C"));
    e.value[0] = Value::of_uint(1);
  }
  parts[0].more = true;
  REQUIRE(rig.res->post(parts, 2));
  rig.run();
  CHECK(rig.rec->take().empty());
  CHECK(rig.res->stats().dropped == 1);
}

TEST_CASE("Packets in parts wait in the inbox for room and arrive whole, in order", "[net][SUBSCRIBE][resource]") {
  // A queue that holds one event: the second and third packet wait in the
  // inbox, their parts staged or not yet taken.
  ResourceOptions o;
  o.queue_capacity = 1;
  Rig rig(FbNetwork{{{"F", "SUBSCRIBE_10", {{"QI", "TRUE"}, {"ID", "'plc[g]'"}}, ""}}, {}, {}}, o);
  Host host(*rig.res);
  host.observe_all();
  const FbIndex f = rig.fb("F");
  REQUIRE(rig.res->inject(f, EventId{0}));
  rig.run();
  auto post = [&](ServiceAnswer what, std::vector<Value> rd) {
    auto parts = service_answer(*rig.res, f, 1, what, ComCode::kOk, rd);
    REQUIRE(parts.size() == (rd.empty() ? 1u : 2u));  // 3 values, or 13
    REQUIRE(rig.res->post(parts.data(), uint32_t(parts.size())));
  };
  post(ServiceAnswer::kInit, {});
  rig.run();
  CHECK(host.take() == Events{"INITO"});
  for (int p = 1; p <= 3; ++p) {
    std::vector<Value> rd;
    for (int k = 1; k <= 10; ++k) rd.push_back(Value::of_real(p * 100 + k));
    post(ServiceAnswer::kData, rd);
  }
  rig.run();
  CHECK(host.take() == Events{"IND 101,102,103,104,105,106,107,108,109,110",
                              "IND 201,202,203,204,205,206,207,208,209,210",
                              "IND 301,302,303,304,305,306,307,308,309,310"});
  CHECK(rig.res->stats().dropped == 0);
  CHECK(rig.res->stats().max_depth == 1);
}

TEST_CASE("A packet in parts caught by an online change arrives whole in the new resource",
          "[net][SUBSCRIBE][reconfiguration]") {
  // A step that moves one inbox entry: the first packet's first part is
  // staged, its last part still in the inbox, when the change comes.
  ResourceOptions o;
  o.queue_capacity = 1;
  o.event_budget = 1;
  const FbNetwork net{{{"F", "SUBSCRIBE_10", {{"QI", "TRUE"}, {"ID", "'plc[g]'"}}, ""}}, {}, {}};
  Rig from(net, o);
  Host host(*from.res);
  host.observe_all();
  const FbIndex f = from.fb("F");
  REQUIRE(from.res->inject(f, EventId{0}));
  from.run();
  auto post = [&](Resource& r, ServiceAnswer what, int base) {
    std::vector<Value> rd;
    for (int k = 1; k <= 10 && base; ++k) rd.push_back(Value::of_real(base + k));
    auto parts = service_answer(r, f, 1, what, ComCode::kOk, rd);
    REQUIRE(r.post(parts.data(), uint32_t(parts.size())));
  };
  post(*from.res, ServiceAnswer::kInit, 0);
  from.run();
  CHECK(host.take() == Events{"INITO"});
  post(*from.res, ServiceAnswer::kData, 100);
  post(*from.res, ServiceAnswer::kData, 200);
  from.res->step(from.clock.now());
  CHECK(host.take().empty());

  Rig to(net);
  Host after(*to.res);
  after.observe_all();
  transfer_state(*from.res, *to.res);
  post(*from.res, ServiceAnswer::kData, 300);  // a late poster: forwarded, in parts
  to.run();
  CHECK(after.take() == Events{"IND 101,102,103,104,105,106,107,108,109,110",
                               "IND 201,202,203,204,205,206,207,208,209,210",
                               "IND 301,302,303,304,305,306,307,308,309,310"});
  CHECK(to.res->stats().dropped == 0);
}
