// Generic ports (generic_type.h): each instance of a native generic block
// gets its ports' types at load, from its connections and typed literals,
// and the loaded network holds concrete types only.
#include "runtime/generic_type.h"
#include "runtime/device.h"
#include "runtime/fb_type_builder.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

using D = DataType;

// G_ADD: IN1 + IN2 -> OUT, all ANY_MAGNITUDE in one group; the code reads
// the decided type from its interface.
void g_add(FbContext& fb, EventId) {
  const Interface& i = fb.type().iface;
  const D t = i.outputs[0].type;
  Value& out = fb.v[i.output_slot(0)];
  if (is_real(t)) out = Value::of_real(fb.v[0].r + fb.v[1].r);
  else out = normalize(t, Value::of_uint(fb.v[0].u + fb.v[1].u));
  fb.emit(EventId{0});
}

FbType g_add_type() {
  return FbTypeBuilder("G_ADD")
      .event_input("REQ", {"IN1", "IN2"})
      .event_output("CNF", {"OUT"})
      .generic_input("IN1", GenericClass::kAnyMagnitude, 1)
      .generic_input("IN2", GenericClass::kAnyMagnitude, 1)
      .generic_output("OUT", GenericClass::kAnyMagnitude, 1)
      .native({g_add, nullptr})
      .build();
}

// G_MOVE: IN -> OUT, ANY (STRING included): copies the slots.
FbType g_move_type() {
  return FbTypeBuilder("G_MOVE")
      .event_input("REQ", {"IN"})
      .event_output("CNF", {"OUT"})
      .generic_input("IN", GenericClass::kAny, 1)
      .generic_output("OUT", GenericClass::kAny, 1)
      .native({[](FbContext& fb, EventId) {
                 const Interface& i = fb.type().iface;
                 std::copy(fb.v, fb.v + i.inputs[0].slots(), fb.v + i.output_slot(0));
                 fb.emit(EventId{0});
               },
               nullptr})
      .build();
}

const TypeLibrary& lib() {
  static TypeLibrary l = library_with({g_add_type(), g_move_type()});
  return l;
}

D out_type(Rig& rig, const std::string& fb) { return rig.res->type_of(rig.fb(fb)).iface.outputs[0].type; }

std::string load_error(const FbNetwork& net) {
  auto r = Resource::load(net, lib());
  REQUIRE_FALSE(r);
  return r.errors().str();
}

}  // namespace

TEST_CASE("a generic block's ports take the type of its typed literals", "[generic]") {
  Rig rig({{{"A", "G_ADD", {{"IN1", "INT#5"}, {"IN2", "INT#3"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(rig, "A") == D::kInt);
  CHECK(rig.fire("A", "REQ") == std::vector<std::string>{"A.CNF(OUT=8)"});
}

TEST_CASE("INT and UINT of one width unify to INT, as 4diac's reference examples expect", "[generic]") {
  Rig rig({{{"A", "G_ADD", {{"IN1", "INT#5"}, {"IN2", "UINT#8"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(rig, "A") == D::kInt);
  CHECK(rig.fire("A", "REQ") == std::vector<std::string>{"A.CNF(OUT=13)"});
}

TEST_CASE("a connection decides a generic input, and wraps at the decided width", "[generic]") {
  // E_CTU.CV is UINT; IN2 is SINT#1: they unify to UINT.
  Rig rig({{{"C", "E_CTU", {{"PV", "10"}}, ""}, {"A", "G_ADD", {{"IN2", "USINT#255"}}, ""}},
           {{"C.CUO", "A.REQ", ""}},
           {{"C.CV", "A.IN1", ""}}},
          {}, lib());
  CHECK(out_type(rig, "A") == D::kUint);
  CHECK(rig.fire("C", "CU") == std::vector<std::string>{"C.CUO(Q=FALSE,CV=1)", "A.CNF(OUT=256)"});
}

TEST_CASE("types flow along a chain of generic blocks", "[generic]") {
  // B is fed by A, A by the typed literals: B is decided after A.
  Rig rig({{{"B", "G_ADD", {{"IN2", "1"}}, ""}, {"A", "G_ADD", {{"IN1", "DINT#2"}, {"IN2", "DINT#3"}}, ""}},
           {{"A.CNF", "B.REQ", ""}},
           {{"A.OUT", "B.IN1", ""}}},
          {}, lib());
  CHECK(out_type(rig, "A") == D::kDint);
  CHECK(out_type(rig, "B") == D::kDint);
  CHECK(rig.fire("A", "REQ") == std::vector<std::string>{"A.CNF(OUT=5)", "B.CNF(OUT=6)"});
}

TEST_CASE("an output's destination decides a group nothing else decides", "[generic]") {
  Rig rig({{{"A", "G_ADD", {{"IN1", "2"}, {"IN2", "3"}}, ""}, {"D", "SINT2SINT", {}, ""}},
           {{"A.CNF", "D.REQ", ""}},
           {{"A.OUT", "D.IN", ""}}},
          {}, lib());
  CHECK(out_type(rig, "A") == D::kSint);
  CHECK(rig.fire("A", "REQ") == std::vector<std::string>{"A.CNF(OUT=5)", "D.CNF(OUT=5)"});
}

TEST_CASE("untyped literals decide by their form, else the class's widest type", "[generic]") {
  Rig ints({{{"A", "G_ADD", {{"IN1", "2"}, {"IN2", "3"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(ints, "A") == D::kLint);
  Rig reals({{{"A", "G_ADD", {{"IN1", "2.5"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(reals, "A") == D::kLreal);
  Rig mixed({{{"A", "G_ADD", {{"IN1", "5"}, {"IN2", "2.5"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(mixed, "A") == D::kLreal);
  CHECK(mixed.fire("A", "REQ") == std::vector<std::string>{"A.CNF(OUT=7.5)"});
  Rig none({{{"A", "G_ADD", {}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(none, "A") == D::kLreal);
  CHECK(literal_form("T#1s") == D::kTime);
  CHECK(literal_form("'x'") == D::kString);
  CHECK(literal_form("TRUE") == D::kBool);
  CHECK(literal_form("16#FF") == D::kLint);
  CHECK(literal_form("abc") == std::nullopt);
}

TEST_CASE("an ANY input takes a STRING, with the capacity of its source", "[generic]") {
  Rig rig({{{"M", "G_MOVE", {{"IN", "'hello'"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(rig, "M") == D::kString);
  rig.fire("M", "REQ");
  const Interface& i = rig.res->type_of(rig.fb("M")).iface;
  CHECK(read_string(i.outputs[0], rig.res->vars(rig.fb("M")) + i.output_slot(0)) == "hello");
}

TEST_CASE("each instance of a generic type has its own types", "[generic]") {
  Rig rig({{{"A", "G_ADD", {{"IN1", "INT#1"}}, ""}, {"B", "G_ADD", {{"IN1", "REAL#1.5"}}, ""}}, {}, {}}, {}, lib());
  CHECK(out_type(rig, "A") == D::kInt);
  CHECK(out_type(rig, "B") == D::kReal);
  CHECK(lib().find("G_ADD")->iface.outputs[0].type == D::kLreal);  // the library's type is untouched
}

TEST_CASE("a type outside a port's class is a located load error", "[generic][errors]") {
  const std::string e = load_error({{{"A", "G_ADD", {{"IN1", "'text'"}}, "net.sys:4:2"}}, {}, {}});
  CHECK_THAT(e, Catch::Contains("net.sys:4:2"));
  CHECK_THAT(e, Catch::Contains("IN1 would be STRING[254], which is not ANY_MAGNITUDE"));
}

TEST_CASE("candidates no type holds are a load error naming both", "[generic][errors]") {
  const std::string e = load_error({{{"A", "G_ADD", {{"IN1", "INT#1"}, {"IN2", "TIME#1s"}}, "x:1:1"}}, {}, {}});
  CHECK_THAT(e, Catch::Contains("'A' (G_ADD): IN1 (INT#1) is INT but IN2 (TIME#1s) is TIME; no type holds both"));
}

TEST_CASE("unify picks the wider type, the signed of one width, else a common wider one", "[generic]") {
  CHECK(unify(D::kInt, D::kDint) == D::kDint);
  CHECK(unify(D::kUint, D::kInt) == D::kInt);
  CHECK(unify(D::kSint, D::kUint) == D::kDint);
  CHECK(unify(D::kInt, D::kReal) == D::kReal);
  CHECK(unify(D::kDint, D::kReal) == D::kLreal);
  CHECK(unify(D::kInt, D::kTime) == std::nullopt);
  CHECK(unify(D::kBool, D::kByte) == std::nullopt);
}

TEST_CASE("classes hold the types of IEC 61131-3's hierarchy", "[generic]") {
  CHECK(in_class(GenericClass::kAnyMagnitude, D::kTime));
  CHECK_FALSE(in_class(GenericClass::kAnyNum, D::kTime));
  CHECK(in_class(GenericClass::kAnyBit, D::kBool));
  CHECK_FALSE(in_class(GenericClass::kAnyInt, D::kWord));
  CHECK(in_class(GenericClass::kAnyString, D::kWstring));
  CHECK_FALSE(in_class(GenericClass::kAnyElementary, D::kStruct));
  CHECK(parse_generic_class("any_chars") == GenericClass::kAnyString);
  CHECK(default_type(GenericClass::kAnyUnsigned) == D::kUlint);
  CHECK(default_type(GenericClass::kAnyStruct) == std::nullopt);
}

namespace {

std::shared_ptr<const StructType> pair_struct() {
  static auto p = std::make_shared<const StructType>(
      StructType{"PAIR", {{"A", D::kInt, {}, 0, 0, nullptr}, {"B", D::kBool, {}, 0, 0, nullptr}}});
  return p;
}

// A sink of a PAIR: fixes the structure STRUCT_MUX builds.
FbType pair_sink() {
  return FbTypeBuilder("PAIR_SINK")
      .event_input("REQ", {"IN"})
      .event_output("CNF")
      .input(VarDecl{"IN", D::kStruct, {}, 0, 0, pair_struct()})
      .native({[](FbContext& fb, EventId) { fb.emit(EventId{0}); }, nullptr})
      .build();
}

}  // namespace

TEST_CASE("STRUCT_MUX takes its structure from where OUT goes and gets one input per member",
          "[generic][convert][STRUCT_MUX]") {
  TypeLibrary l = library_with({pair_sink()});
  Rig rig({{{"M", "STRUCT_MUX", {{"A", "-7"}, {"B", "TRUE"}}, ""},
            {"D", "STRUCT_DEMUX", {}, ""},
            {"S", "PAIR_SINK", {}, ""}},
           {{"M.CNF", "D.REQ", ""}, {"M.CNF", "S.REQ", ""}},
           {{"M.OUT", "S.IN", ""}, {"M.OUT", "D.IN", ""}}},
          {}, l);
  const Interface& mux = rig.res->type_of(rig.fb("M")).iface;
  REQUIRE(mux.inputs.size() == 2);
  CHECK(mux.inputs[0].name == "A");
  CHECK(mux.inputs[1].type == D::kBool);
  const Interface& demux = rig.res->type_of(rig.fb("D")).iface;
  REQUIRE(demux.outputs.size() == 2);
  // The recorder prints a structure's first slot only: DEMUX shows the members.
  const auto events = rig.fire("M", "REQ");
  REQUIRE(events.size() == 3);
  CHECK(events[1] == "D.CNF(A=-7,B=TRUE)");
  CHECK(events[2] == "S.CNF");
}

TEST_CASE("a STRUCT_MUX whose structure nothing decides is a load error", "[generic][convert][STRUCT_MUX]") {
  const std::string e = load_error({{{"M", "STRUCT_MUX", {}, "f:2:3"}}, {}, {}});
  CHECK_THAT(e, Catch::Contains("nothing decides the type of OUT (ANY_STRUCT)"));
}

TEST_CASE("a connection from another resource of the device decides a generic input", "[generic][device]") {
  // C (R1) counts, its UINT CV crosses to A (R2): A adds as UINT.
  Application app{"APP",
                  {{{"C", "E_CTU", {}, ""}, {"A", "G_ADD", {{"IN2", "USINT#1"}}, ""}},
                   {{"C.CUO", "A.REQ", ""}},
                   {{"C.CV", "A.IN1", ""}}},
                  {{"C", "R1", ""}, {"A", "R2", ""}}};
  auto d = Device::load({{"R1", {}}, {"R2", {}}}, app, lib());
  if (!d) FAIL(d.errors().str());
  Resource& r2 = *d.value()->resource("R2");
  CHECK(r2.type_of(*r2.find_fb("A")).iface.inputs[0].type == D::kUint);
}

TEST_CASE("a typed literal of another type does not parse, so a typed expectation pins the type", "[generic]") {
  // fourdiac conformance rows write OUT=INT#6 to check that OUT is an INT.
  CHECK(parse_literal(D::kInt, "INT#6"));
  CHECK_FALSE(parse_literal(D::kDint, "INT#6"));
  CHECK_FALSE(parse_literal(D::kLreal, "INT#6"));
}

TEST_CASE("an array does not feed an elementary class", "[generic][errors]") {
  const std::string e =
      load_error({{{"S", "VALUES2ARRAY_2_LREAL", {}, ""}, {"A", "G_ADD", {}, "x:2:2"}}, {}, {{"S.OUT", "A.IN1", ""}}});
  CHECK_THAT(e, Catch::Contains("which is not ANY_MAGNITUDE"));
}
