#include "runtime/stdfb/communication.h"
#include "tests/fourdiac_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// A PUBLISH service interface as 4diac writes it, with `sds` SDs.
std::string publish_fbt(const std::string& name, int sds) {
  std::string with = "<With Var=\"QI\"/>", vars =
                                               "<VarDeclaration Name=\"QI\" Type=\"BOOL\"/>"
                                               "<VarDeclaration Name=\"ID\" Type=\"WSTRING\"/>";
  for (int k = 1; k <= sds; ++k) {
    with += "<With Var=\"SD_" + std::to_string(k) + "\"/>";
    vars += "<VarDeclaration Name=\"SD_" + std::to_string(k) + "\" Type=\"ANY\"/>";
  }
  return fbt(name,
             "<EventInputs><Event Name=\"INIT\" Type=\"Event\"><With Var=\"QI\"/><With Var=\"ID\"/></Event>"
             "<Event Name=\"REQ\" Type=\"Event\">" +
                 with +
                 "</Event></EventInputs>"
                 "<EventOutputs><Event Name=\"INITO\" Type=\"Event\"><With Var=\"QO\"/><With Var=\"STATUS\"/></Event>"
                 "<Event Name=\"CNF\" Type=\"Event\"><With Var=\"QO\"/><With Var=\"STATUS\"/></Event></EventOutputs>"
                 "<InputVars>" +
                 vars +
                 "</InputVars><OutputVars><VarDeclaration Name=\"QO\" Type=\"BOOL\"/>"
                 "<VarDeclaration Name=\"STATUS\" Type=\"WSTRING\"/></OutputVars>",
             "<Service RightInterface=\"RESOURCE\" LeftInterface=\"APPLICATION\"/>\n");
}

}  // namespace

TEST_CASE("a 4diac PUBLISH file declaring more SDs than its name says gets that many, as 4diac IDE draws it",
          "[net][fourdiac]") {
  // 4diac's own PUBLISH_9.fbt declares SD_1 .. SD_10 (and PUBLISH_10.fbt nine).
  FourdiacFolder f;
  f.lib.add(stdfb::communication_type("PUBLISH_9", stdfb::ServiceRole::kPublisher, 9, 0));
  f.write("PUBLISH_9.fbt", publish_fbt("PUBLISH_9", 10));
  REQUIRE(f.require("PUBLISH_9"));
  CHECK(f.report() == "");
  const FbType* t = f.lib.find("PUBLISH_9");
  REQUIRE(t);
  CHECK(t->iface.inputs.size() == 12);
  CHECK(t->iface.inputs[11].name == "SD_10");
  CHECK(stdfb::service_role(*t) == stdfb::ServiceRole::kPublisher);
}

TEST_CASE("a 4diac PUBLISH file with the name's number of SDs is the native block", "[net][fourdiac]") {
  FourdiacFolder f;
  f.write("PUBLISH_2.fbt", publish_fbt("PUBLISH_2", 2));
  REQUIRE(f.require("PUBLISH_2"));
  CHECK(f.report() == "");
  CHECK(f.lib.find("PUBLISH_2")->iface.inputs.size() == 4);
}
