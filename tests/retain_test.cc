// RETAIN (runtime/retain.h): what is retained, how an image is written and
// read back, and what a changed program keeps of an old image.
#include "runtime/retain.h"
#include "runtime/fourdiac/type_folder.h"
#include "tests/fourdiac_support.h"
#include "tests/language_support.h"

namespace plc::test {
namespace {

// A counter: COUNT and TEXT are retained, STEP is not; WARM reports COUNT.
const std::string kCounter = R"(
FUNCTION_BLOCK COUNTER
EVENT_INPUT REQ; WARM; END_EVENT
EVENT_OUTPUT CNF WITH COUNT; WARMED WITH COUNT; END_EVENT
VAR_OUTPUT RETAIN COUNT : DINT; END_VAR
VAR_OUTPUT NON_RETAIN STEP : DINT := 1; END_VAR
VAR RETAIN TEXT : STRING[12]; LAST : ARRAY[1..3] OF INT; Edge : R_TRIG; END_VAR
EC_STATES S0; S1 : Count -> CNF; S2 : -> WARMED; END_STATES
EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; S0 TO S2 := WARM; S2 TO S0 := 1; END_TRANSITIONS
ALGORITHM Count IN ST:
COUNT := COUNT + STEP;
TEXT := CONCAT('n=', DINT_TO_STRING(COUNT));
LAST[1] := LAST[2]; LAST[2] := LAST[3]; LAST[3] := DINT_TO_INT(COUNT);
Edge(CLK := TRUE);
END_ALGORITHM
END_FUNCTION_BLOCK
)";

FbNetwork counter_network() { return {{{"C", "COUNTER", {}, ""}}, {{"START.WARM", "C.WARM", ""}}, {}}; }

struct Counter {
  explicit Counter(const std::string& src = kCounter) : lib(compiled(src)), rig(counter_network(), {}, lib) {}
  void count(int n) {
    for (int k = 0; k < n; ++k) rig.fire("C", "REQ");
  }
  std::string text() {
    const auto& iface = rig.res->type_of(rig.fb("C")).iface;
    auto k = iface.find_internal("TEXT");
    return read_string(iface.internals[*k], rig.res->vars(rig.fb("C")) + iface.internal_slot(*k));
  }
  TypeLibrary lib;
  Rig rig;
};

std::vector<std::string> names(const RetainImage& image) {
  std::vector<std::string> out;
  for (const auto& e : image.entries) out.push_back(e.fb + "." + e.var + " : " + e.type);
  return out;
}

std::vector<std::string> dropped(const std::vector<RetainDropped>& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.fb + "." + x.var + ": " + x.why);
  return out;
}

TEST_CASE("an image holds every RETAIN variable of every instance, by name and type", "[retain]") {
  Counter c;
  c.count(3);
  const RetainImage image = capture_retained(*c.rig.res);
  CHECK(names(image) == std::vector<std::string>{"C.COUNT : DINT", "C.TEXT : STRING[12]", "C.LAST : ARRAY[1..3] OF INT",
                                                 "C.Edge.CLK : BOOL", "C.Edge.Q : BOOL", "C.Edge.M : BOOL"});
  CHECK(image.entries[0].slots.size() == 1);
  CHECK(image.entries[0].slots[0].i == 3);
  CHECK(has_retained(*c.rig.res));
}

TEST_CASE("a restored image brings back the retained values and START.WARM reports them", "[retain]") {
  Counter before;
  before.count(41);
  const std::string bytes = serialize_retain(capture_retained(*before.rig.res));

  Counter after;
  auto image = parse_retain(bytes);
  REQUIRE(image);
  CHECK(restore_retained(*after.rig.res, *image).empty());
  after.rig.res->start(false);
  after.rig.run();
  CHECK(after.rig.rec->take() == std::vector<std::string>{"START.WARM", "C.WARMED(COUNT=41)"});
  CHECK(after.text() == "n=41");
  after.rig.var("C", "STEP").i = 1;
  CHECK(after.rig.fire("C", "REQ") == std::vector<std::string>{"C.CNF(COUNT=42)"});
  CHECK(after.text() == "n=42");
  CHECK(format_value(DataType::kInt, after.rig.var("C", "LAST")) == "40");
}

TEST_CASE("NON_RETAIN and plain variables start from their initial values after a restore", "[retain]") {
  Counter before;
  before.rig.var("C", "STEP").i = 5;
  before.count(2);
  Counter after;
  restore_retained(*after.rig.res, *parse_retain(serialize_retain(capture_retained(*before.rig.res))));
  CHECK(after.rig.var("C", "COUNT").i == 10);
  CHECK(after.rig.var("C", "STEP").i == 1);
}

TEST_CASE("a changed program keeps what still matches and reports what it dropped", "[retain]") {
  Counter before;
  before.count(7);
  const RetainImage image = capture_retained(*before.rig.res);

  std::string changed = kCounter;
  changed.replace(changed.find("VAR RETAIN"), 10, "VAR");
  Counter after(changed);
  CHECK(dropped(restore_retained(*after.rig.res, image)) ==
        std::vector<std::string>{"C.TEXT: no RETAIN variable TEXT in C", "C.LAST: no RETAIN variable LAST in C",
                                 "C.Edge.CLK: no RETAIN variable Edge.CLK in C",
                                 "C.Edge.Q: no RETAIN variable Edge.Q in C",
                                 "C.Edge.M: no RETAIN variable Edge.M in C"});
  CHECK(after.rig.var("C", "COUNT").i == 7);

  RetainImage other = image;
  other.entries[0].type = "INT";
  other.entries[1].fb = "GONE";
  Counter again;
  CHECK(dropped(restore_retained(*again.rig.res, other)) ==
        std::vector<std::string>{"C.COUNT: type changed from INT to DINT", "GONE.TEXT: no instance GONE"});
  CHECK(again.rig.var("C", "COUNT").i == 0);
}

TEST_CASE("a value its variable cannot hold is dropped, not written", "[retain]") {
  Counter before;
  before.count(1);
  RetainImage image = capture_retained(*before.rig.res);
  image.entries[0].slots[0].i = int64_t(1) << 40;  // beyond DINT
  image.entries[1].slots[0].u = 13;                // longer than STRING[12]
  image.entries[3].slots[0].u = 2;                 // a BOOL of 2
  Counter after;
  CHECK(dropped(restore_retained(*after.rig.res, image)) ==
        std::vector<std::string>{"C.COUNT: value out of the range of DINT",
                                 "C.TEXT: value out of the range of STRING[12]",
                                 "C.Edge.CLK: value out of the range of BOOL"});
  CHECK(after.rig.var("C", "COUNT").i == 0);
  CHECK(after.text().empty());
}

TEST_CASE("a truncated, padded or foreign image is an error with its byte offset", "[retain]") {
  Counter c;
  c.count(2);
  const std::string bytes = serialize_retain(capture_retained(*c.rig.res));
  REQUIRE(parse_retain(bytes));
  auto error = [](std::string_view b) { return parse_retain(b).errors().list().at(0).str(); };
  CHECK(error("") == "retain image byte 0: error: not a retain image (no PLCRETN1 header)");
  CHECK(error("PLCRETN2") == "retain image byte 0: error: not a retain image (no PLCRETN1 header)");
  CHECK(error(std::string("PLCRETN1\x02\0\0\0", 12)) ==
        "retain image byte 8: error: unsupported version 2 (this runtime reads 1)");
  CHECK(error(bytes.substr(0, bytes.size() - 3)) == "retain image byte " + std::to_string(bytes.size() - 3 - 5) +
                                                        ": error: entry 6 of 6 has 1 slots, more than the image holds");
  CHECK(error(bytes + "x") ==
        "retain image byte " + std::to_string(bytes.size()) + ": error: 1 bytes after the last entry");
  // An entry claiming 2^32-1 slots is refused before anything is allocated.
  std::string huge("PLCRETN1\x01\0\0\0\x01\0\0\0\x01\0C\x01\0X\x01\0B\xFF\xFF\xFF\xFF", 29);
  CHECK(error(huge) == "retain image byte 29: error: entry 1 of 1 has 4294967295 slots, more than the image holds");
  // Every prefix of a valid image is refused, none crashes.
  for (size_t n = 0; n < bytes.size(); ++n) CHECK_FALSE(parse_retain(bytes.substr(0, n)));
}

TEST_CASE("mutated images are refused or restore only values their variables can hold", "[retain]") {
  Counter c;
  c.count(5);
  const std::string bytes = serialize_retain(capture_retained(*c.rig.res));
  Counter target;
  uint64_t state = 0x9E3779B97F4A7C15u;  // a fixed seed: the same 20000 images every run
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int parsed = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string m = bytes;
    for (int flips = 1 + int(next() % 4); flips > 0; --flips) m[next() % m.size()] = char(next());
    if (next() % 4 == 0) m.resize(next() % m.size());
    auto image = parse_retain(m);
    if (!image) continue;
    ++parsed;
    restore_retained(*target.rig.res, *image);
    const auto& iface = target.rig.res->type_of(target.rig.fb("C")).iface;
    const Value* v = target.rig.res->vars(target.rig.fb("C"));
    REQUIRE(normalize(DataType::kDint, v[iface.output_slot(0)]).u == v[iface.output_slot(0)].u);
    REQUIRE(v[iface.internal_slot(*iface.find_internal("TEXT"))].u <= 12);
  }
  CHECK(parsed > 0);  // some mutations keep the structure: restore saw them too
}

TEST_CASE("RETAIN is refused where the standard does not allow it", "[retain][language][errors]") {
  CHECK(diagnostics("FUNCTION_BLOCK F\nVAR CONSTANT RETAIN A : INT := 1; END_VAR\nEND_FUNCTION_BLOCK") ==
        std::vector<std::string>{"2:14: error: 'RETAIN' cannot be combined with CONSTANT"});
  CHECK(diagnostics("FUNCTION F : INT\nVAR_TEMP RETAIN A : INT; END_VAR\nF := 1;\nEND_FUNCTION") ==
        std::vector<std::string>{"2:10: error: 'RETAIN' is allowed after VAR, VAR_INPUT and VAR_OUTPUT only, not after "
                                 "VAR_TEMP"});
  CHECK(diagnostics("FUNCTION F : INT\nVAR_INPUT RETAIN A : INT; END_VAR\nF := A;\nEND_FUNCTION") ==
        std::vector<std::string>{"2:18: error: RETAIN variable 'A' in function 'F': a function has no memory to "
                                 "retain (IEC 61131-3 6.6.2)"});
}

TEST_CASE("the RETAIN variables of an IEC 61131-3 FUNCTION_BLOCK are retained in every instance", "[retain]") {
  const std::string src = R"(
FUNCTION_BLOCK ACC
VAR_INPUT RETAIN Step : INT := 1; END_VAR
VAR RETAIN Total : DINT; END_VAR
VAR Calls : DINT; END_VAR
Total := Total + Step; Calls := Calls + 1;
END_FUNCTION_BLOCK
FUNCTION_BLOCK HOST
EVENT_INPUT REQ; END_EVENT
EVENT_OUTPUT CNF; END_EVENT
VAR A : ACC; END_VAR
EC_STATES S0; S1 : Run -> CNF; END_STATES
EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS
ALGORITHM Run IN ST:
A(Step := 2);
END_ALGORITHM
END_FUNCTION_BLOCK
)";
  TypeLibrary lib = compiled(src);
  FbNetwork net{{{"H", "HOST", {}, ""}}, {}, {}};
  Rig before(net, {}, lib);
  for (int k = 0; k < 3; ++k) before.fire("H", "REQ");
  const RetainImage image = capture_retained(*before.res);
  CHECK(names(image) == std::vector<std::string>{"H.A.Step : INT", "H.A.Total : DINT"});
  Rig after(net, {}, lib);
  CHECK(restore_retained(*after.res, image).empty());
  CHECK(after.var("H", "A.Total").i == 6);
  CHECK(after.var("H", "A.Calls").i == 0);
}

TEST_CASE("a 4diac variable with the retain attribute RETAIN is retained", "[retain][4diac]") {
  FourdiacFolder f;
  f.write("RET_FB.fbt",
          fbt("RET_FB",
              "<EventInputs><Event Name=\"REQ\" Type=\"Event\"><With Var=\"IN\"/></Event></EventInputs>\n"
              "<EventOutputs><Event Name=\"CNF\" Type=\"Event\"><With Var=\"OUT\"/></Event></EventOutputs>\n"
              "<InputVars><VarDeclaration Name=\"IN\" Type=\"INT\">"
              "<Attribute Name=\"retain\" Type=\"STRING\" Value=\"NON_RETAIN\"/></VarDeclaration></InputVars>\n"
              "<OutputVars><VarDeclaration Name=\"OUT\" Type=\"INT\">"
              "<Attribute Name=\"retain\" Type=\"STRING\" Value=\"RETAIN\"/></VarDeclaration></OutputVars>\n",
              "<SimpleFB><Algorithm Name=\"REQ\"><ST><![CDATA[ALGORITHM REQ\nOUT := OUT + IN;\nEND_ALGORITHM]]></ST>"
              "</Algorithm></SimpleFB>\n"));
  REQUIRE(f.require("RET_FB"));
  const FbType* t = f.lib.find("RET_FB");
  REQUIRE(t);
  CHECK_FALSE(t->iface.inputs[0].retain);
  CHECK(t->iface.outputs[0].retain);
}

}  // namespace
}  // namespace plc::test
