#include "runtime/stdfb/management.h"

#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// Records what management blocks ask, and the events they emit.
class Manager : public Recorder {
 public:
  explicit Manager(Resource& r) : Recorder(r), r_(r) {}
  void on_management(FbIndex fb, const Value* vars) noexcept override {
    const Interface& i = r_.type_of(fb).iface;
    std::string s = r_.name_of(fb) + ":";
    for (uint16_t k = 1; k < i.inputs.size(); ++k) s += " " + read_string(i.inputs[k], vars + i.input_slot(k));
    asked.push_back(s);
  }
  std::vector<std::string> asked;

 private:
  Resource& r_;
};

void set_text(Rig& rig, const std::string& fb, const std::string& var, const std::string& text) {
  FbIndex f = rig.fb(fb);
  const Interface& i = rig.res->type_of(f).iface;
  write_string(i.inputs[*i.find_input(var)], text, &rig.var(fb, var));
}

// The block's STATUS text.
std::string status(Rig& rig, const std::string& fb) {
  FbIndex f = rig.fb(fb);
  const Interface& i = rig.res->type_of(f).iface;
  return read_string(i.outputs[1], rig.res->vars(f) + i.output_slot(1));
}

// The events, CNF's QO with each (the recorder prints a string's length).
std::string cnf(Rig& rig, Manager& m) {
  std::string s;
  for (const auto& e : m.take()) s += e.substr(0, e.find(",STATUS")) + " ";
  return s + status(rig, "M");
}

}  // namespace

TEST_CASE("a management block hands its command to the host and confirms with the host's answer",
          "[management][ST_CREATE_FB]") {
  Rig rig({{{"M", "ST_CREATE_FB", {{"QI", "TRUE"}}, ""}}, {}, {}});
  Manager manager(*rig.res);
  manager.observe_all();
  set_text(rig, "M", "FB_NAME", "T1");
  set_text(rig, "M", "FB_TYPE", "E_CTU");
  set_text(rig, "M", "DST", "RES");
  CHECK(rig.fire("M", "REQ") == Events{});  // no CNF before the answer
  CHECK(manager.take() == Events{});
  CHECK(manager.asked == std::vector<std::string>{"M: T1 E_CTU RES"});

  auto answer = stdfb::management_answer(*rig.res, rig.fb("M"), "RDY");
  REQUIRE(answer);
  REQUIRE(rig.res->post(*answer));
  rig.run();
  CHECK(cnf(rig, manager) == "M.CNF(QO=TRUE RDY");

  REQUIRE(rig.res->post(*stdfb::management_answer(*rig.res, rig.fb("M"), "NO_SUCH_OBJECT")));
  rig.run();
  CHECK(cnf(rig, manager) == "M.CNF(QO=FALSE NO_SUCH_OBJECT");
}

TEST_CASE("a management block without QI answers Not Ready at once and asks nothing", "[management]") {
  Rig rig({{{"M", "EC_START_ELEM", {}, ""}}, {}, {}});
  Manager manager(*rig.res);
  manager.observe_all();
  rig.fire("M", "REQ");
  CHECK(cnf(rig, manager) == "M.CNF(QO=FALSE Not Ready");
  CHECK(manager.asked.empty());
}

TEST_CASE("a management block with no host to manage it answers UNSUPPORTED_CMD", "[management]") {
  Rig rig({{{"M", "ST_DEL_FB", {{"QI", "TRUE"}}, ""}}, {}, {}});
  rig.rec->observe_all();
  rig.res->set_observer(nullptr);
  FbIndex m = rig.fb("M");
  REQUIRE(rig.res->inject(m, EventId{0}));
  rig.run();
  CHECK_FALSE(rig.var("M", "QO").as_bool());
  CHECK(status(rig, "M") == "UNSUPPORTED_CMD");
}

TEST_CASE("an answer is only one of the protocol's responses, and only for a management block", "[management]") {
  Rig rig({{{"M", "ST_SET_PARM", {}, ""}, {"C", "E_CTU", {}, ""}}, {}, {}});
  CHECK_FALSE(stdfb::management_answer(*rig.res, rig.fb("M"), "FINE"));
  CHECK_FALSE(stdfb::management_answer(*rig.res, rig.fb("C"), "RDY"));
  CHECK(stdfb::management_answer(*rig.res, rig.fb("M"), "INVALID_STATE"));
}
