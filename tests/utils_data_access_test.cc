// 4diac's GET_AT_INDEX, SET_AT_INDEX and GET_STRUCT_VALUE
// (runtime/stdfb/utils_data_access.cc), fed by a test block SRC whose
// outputs are an ARRAY[1..3] OF INT and a structure.
#include <memory>
#include <string>

#include "runtime/fb_type_builder.h"
#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

namespace {

void emit_cnf(FbContext& fb, EventId) { fb.emit(EventId{0}); }

VarDecl var(const char* name, DataType t, uint32_t array_size = 0, int64_t lo = 0) {
  VarDecl v;
  v.name = name;
  v.type = t;
  v.array_size = array_size;
  v.array_lo = lo;
  return v;
}

std::shared_ptr<const StructType> point_type() {
  auto inner = std::make_shared<StructType>();
  inner->name = "INNER";
  inner->members = {var("Z", DataType::kLreal)};
  VarDecl in = var("IN", DataType::kStruct);
  in.struct_type = inner;
  VarDecl label = var("LABEL", DataType::kString);
  label.string_length = 10;
  auto point = std::make_shared<StructType>();
  point->name = "POINT";
  point->members = {var("X", DataType::kInt), label, in};
  return point;
}

// SRC: REQ emits CNF WITH A (ARRAY[1..3] OF INT) and P (POINT).
// SINK: inputs of fixed types for the generic outputs to follow.
TypeLibrary test_library() {
  VarDecl p = var("P", DataType::kStruct);
  p.struct_type = point_type();
  VarDecl s = var("S", DataType::kString);
  s.string_length = 4;
  return library_with({FbTypeBuilder("SRC")
                           .event_input("REQ")
                           .event_output("CNF", {"A", "P"})
                           .output(var("A", DataType::kInt, 3, 1))
                           .output(p)
                           .native({emit_cnf, nullptr})
                           .build(),
                       FbTypeBuilder("SINK")
                           .event_input("REQ", {"I", "S", "R"})
                           .input("I", DataType::kInt)
                           .input(s)
                           .input("R", DataType::kLreal)
                           .native({emit_cnf, nullptr})
                           .build()});
}

const TypeLibrary& lib() {
  static TypeLibrary l = test_library();
  return l;
}

// SRC.A = [10, 20, 30]; SRC.P = (X := 7, LABEL := 'hello', IN := (Z := 2.5)).
void fill(Generic& g) {
  Value* a = g.slots("A", "SRC");
  a[0].i = 10;
  a[1].i = 20;
  a[2].i = 30;
  Value* p = g.slots("P", "SRC");
  p[0].i = 7;
  write_string(point_type()->members[1], "hello", p + 1);
  p[1 + point_type()->members[1].slots()].r = 2.5;
}

struct Indexed {
  Indexed(const std::string& type, std::vector<Parameter> params)
      : g(FbNetwork{{{"SRC", "SRC", {}, ""}, {"F", type, std::move(params), ""}},
                    {{"SRC.CNF", "F.REQ", ""}},
                    {{"SRC.A", "F.IN_ARRAY", ""}}},
          lib()) {
    fill(g);
  }
  std::vector<std::string> req() { return g.fire("REQ", "SRC"); }
  Generic g;
};

struct Member {
  Member(const std::string& member, const char* sink_port)
      : g(
            FbNetwork{
                {{"SRC", "SRC", {}, ""}, {"F", "GET_STRUCT_VALUE", {{"member", member}}, ""}, {"K", "SINK", {}, ""}},
                {{"SRC.CNF", "F.REQ", ""}},
                {{"SRC.P", "F.in_struct", ""}, {"F.output", std::string("K.") + sink_port, ""}}},
            lib()) {
    fill(g);
    g.fire("REQ", "SRC");
  }
  Generic g;
};

}  // namespace

TEST_CASE("GET_AT_INDEX copies the element at INDEX of the array's own bounds", "[utils][GET_AT_INDEX]") {
  Indexed x("GET_AT_INDEX", {{"INDEX", "1"}});
  CHECK(x.req() == std::vector<std::string>{"SRC.CNF", "F.CNF"});
  CHECK(x.g.type("OUT") == DataType::kInt);
  CHECK(x.g.decl("OUT").array_size == 0);
  CHECK(x.g.value("QO").as_bool());
  CHECK(x.g.value("OUT").i == 10);
  x.g.slots("INDEX")->u = 3;
  x.req();
  CHECK(x.g.value("OUT").i == 30);
}

TEST_CASE("GET_AT_INDEX out of bounds gives QO FALSE and leaves OUT", "[utils][GET_AT_INDEX]") {
  Indexed x("GET_AT_INDEX", {{"INDEX", "2"}});
  x.req();
  REQUIRE(x.g.value("OUT").i == 20);
  for (uint64_t index : {0u, 4u, 65535u}) {
    x.g.slots("INDEX")->u = index;
    x.req();
    CHECK_FALSE(x.g.value("QO").as_bool());
    CHECK(x.g.value("OUT").i == 20);
  }
}

TEST_CASE("GET_AT_INDEX of a value that is no array gives QO FALSE", "[utils][GET_AT_INDEX]") {
  Generic g("GET_AT_INDEX", {{"IN_ARRAY", "INT#5"}, {"INDEX", "0"}});
  g.fire();
  CHECK_FALSE(g.value("QO").as_bool());
}

TEST_CASE("SET_AT_INDEX copies the array with one element replaced", "[utils][SET_AT_INDEX]") {
  Indexed x("SET_AT_INDEX", {{"INDEX", "2"}, {"VALUE", "INT#-4"}});
  x.req();
  CHECK(x.g.value("QO").as_bool());
  CHECK(x.g.decl("OUT_ARRAY").array_size == 3);
  CHECK(x.g.type("VALUE") == DataType::kInt);
  const Value* out = x.g.slots("OUT_ARRAY");
  CHECK(out[0].i == 10);
  CHECK(out[1].i == -4);
  CHECK(out[2].i == 30);
  CHECK(x.g.slots("IN_ARRAY")[1].i == 20);
}

TEST_CASE("SET_AT_INDEX out of bounds gives QO FALSE and leaves OUT_ARRAY", "[utils][SET_AT_INDEX]") {
  Indexed x("SET_AT_INDEX", {{"INDEX", "0"}, {"VALUE", "INT#-4"}});
  x.req();
  CHECK_FALSE(x.g.value("QO").as_bool());
  const Value* out = x.g.slots("OUT_ARRAY");
  CHECK((out[0].i == 0 && out[1].i == 0 && out[2].i == 0));
}

TEST_CASE("GET_STRUCT_VALUE copies a member of output's type", "[utils][GET_STRUCT_VALUE]") {
  Member m("'X'", "I");
  CHECK(m.g.type("output") == DataType::kInt);
  CHECK(m.g.value("QO").as_bool());
  CHECK(m.g.value("output").i == 7);
  Member lower("'x'", "I");
  CHECK(lower.g.value("output").i == 7);
}

TEST_CASE("GET_STRUCT_VALUE follows a dotted path into inner structures", "[utils][GET_STRUCT_VALUE]") {
  Member m("'IN.Z'", "R");
  CHECK(m.g.value("QO").as_bool());
  CHECK(m.g.value("output").r == 2.5);
}

TEST_CASE("GET_STRUCT_VALUE cuts a STRING member to output's capacity", "[utils][GET_STRUCT_VALUE]") {
  Member m("'LABEL'", "S");
  CHECK(m.g.value("QO").as_bool());
  CHECK(m.g.text("output") == "hell");
}

TEST_CASE("GET_STRUCT_VALUE of a missing member or another type gives QO FALSE", "[utils][GET_STRUCT_VALUE]") {
  for (const char* path : {"'Y'", "'X.Z'", "'IN'", "'IN.'", "''", "'LABEL'"}) {
    Member m(path, "I");
    CHECK_FALSE(m.g.value("QO").as_bool());
    CHECK(m.g.value("output").i == 0);
  }
}
