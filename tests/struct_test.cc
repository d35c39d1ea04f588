// STRUCT variables: flat member slots, literals, initial values, and data
// connections that copy the whole structure with its event.
#include "runtime/fb_type_builder.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// TYPE POINT : STRUCT X : INT := 1; Y : INT := 2; LABEL : STRING[8]; END_STRUCT
std::shared_ptr<const StructType> point() {
  static auto p = std::make_shared<const StructType>(StructType{"POINT",
                                                                {{"X", DataType::kInt, Value::of_int(1), 0, 0, nullptr},
                                                                 {"Y", DataType::kInt, Value::of_int(2), 0, 0, nullptr},
                                                                 {"LABEL", DataType::kString, {}, 0, 8, nullptr}}});
  return p;
}

VarDecl point_var(const char* name) { return {name, DataType::kStruct, {}, 0, 0, point()}; }

// Copies IN (a POINT) to OUT and emits CNF WITH OUT.
FbType copier() {
  return FbTypeBuilder("COPY_POINT")
      .event_input("REQ", {"IN"})
      .event_output("CNF", {"OUT"})
      .input(point_var("IN"))
      .output(point_var("OUT"))
      .native({[](FbContext& fb, EventId) {
                 const uint32_t n = point()->slots();
                 for (uint32_t k = 0; k < n; ++k) fb.v[n + k] = fb.v[k];
                 fb.emit(EventId{0});
               },
               nullptr})
      .build();
}

}  // namespace

TEST_CASE("a STRUCT takes the slots of its members, in order", "[types][struct]") {
  CHECK(point()->slots() == 1 + 1 + 2);
  CHECK(point()->member_slot("Y") == 1u);
  CHECK(point()->member_slot("label") == 2u);
  CHECK_FALSE(point()->member_slot("Z"));
  VarDecl arr{"PTS", DataType::kStruct, {}, 3, 0, point()};
  CHECK(arr.slots() == 12);
}

TEST_CASE("STRUCT members start at their initial values and take literals by name", "[types][struct]") {
  TypeLibrary lib = library_with({copier()});
  Rig rig({{{"C", "COPY_POINT", {{"IN", "(Y := -7, LABEL := 'up')"}}, ""}}, {}, {}}, {}, lib);
  Value* in = &rig.var("C", "IN");
  CHECK(in[0].i == 1);  // X keeps its initial value
  CHECK(in[1].i == -7);
  CHECK(read_string(point()->members[2], in + 2) == "up");
  auto bad = Resource::load({{{"C", "COPY_POINT", {{"IN", "(Z := 1)"}}, "app:2"}}, {}, {}}, lib);
  REQUIRE_FALSE(bad);
  CHECK(bad.errors().str() == "app:2: error: '(Z := 1)' is not a valid POINT literal for C.IN\n");
}

TEST_CASE("a STRUCT travels whole with its event through a data connection", "[types][struct][with]") {
  TypeLibrary lib = library_with({copier()});
  Rig rig({{{"A", "COPY_POINT", {{"IN", "(X := 5, LABEL := 'a')"}}, ""}, {"B", "COPY_POINT", {}, ""}},
           {{"A.CNF", "B.REQ", ""}},
           {{"A.OUT", "B.IN", ""}}},
          {}, lib);
  rig.fire("A", "REQ");
  Value* out = &rig.var("B", "OUT");
  CHECK(out[0].i == 5);
  CHECK(out[1].i == 2);
  CHECK(read_string(point()->members[2], out + 2) == "a");
}

TEST_CASE("a data connection between different STRUCT types is refused", "[types][struct][load]") {
  auto other = std::make_shared<const StructType>(
      StructType{"OTHER", {{"X", DataType::kInt, {}, 0, 0, nullptr}, {"Y", DataType::kInt, {}, 0, 0, nullptr}}});
  TypeLibrary lib = library_with({copier(), FbTypeBuilder("SINK")
                                                .event_input("REQ", {"IN"})
                                                .input(VarDecl{"IN", DataType::kStruct, {}, 0, 0, other})
                                                .native({[](FbContext&, EventId) {}, nullptr})
                                                .build()});
  auto r =
      Resource::load({{{"A", "COPY_POINT", {}, ""}, {"S", "SINK", {}, ""}}, {}, {{"A.OUT", "S.IN", "app:4"}}}, lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() == "app:4: error: type mismatch: A.OUT is POINT but S.IN is OTHER\n");
}
