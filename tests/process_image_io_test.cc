// 4diac's io/ blocks on plc's process image (process_image.h): Q* writes
// reach the observer with their address and type, I* read what the host
// wrote through write_input.
#include "runtime/process_image.h"
#include "tests/allocation_counter.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

const TypeLibrary& io_library() {
  static TypeLibrary lib = [] {
    TypeLibrary l;
    add_standard_blocks(l);
    add_process_image_blocks(l);
    return l;
  }();
  return lib;
}

// The Recorder, and what on_io_write saw as "address:=value".
struct IoRig : Rig {
  struct Writes : Recorder {
    explicit Writes(Resource& r) : Recorder(r), r_(r) {}
    // The Recorder shows a STRING as its length: show STATUS's text.
    void on_output(FbIndex fb, EventId eo, const Value* vars) noexcept override {
      Recorder::on_output(fb, eo, vars);
      std::string& s = events.back();
      const size_t at = s.find("STATUS="), end = s.find_first_of(",)", at);
      if (at == std::string::npos) return;
      const Interface& iface = r_.type_of(fb).iface;
      const uint16_t k = *iface.find_output("STATUS");
      s.replace(at + 7, end - at - 7, "'" + read_string(iface.outputs[k], vars + iface.output_slot(k)) + "'");
    }
    void on_io_write(FbIndex, const std::string& a, DataType t, Value v) noexcept override {
      writes.push_back(a + ":=" + format_value(t, v));
    }
    std::vector<std::string> writes;
    Resource& r_;
  };
  explicit IoRig(const char* type, const char* params)
      : Rig({{{"B", type, {{"QI", "TRUE"}, {"PARAMS", params}}, ""}}, {}, {}}, {}, io_library()) {
    rec = std::make_unique<Writes>(*res);
    rec->observe_all();
  }
  std::vector<std::string> take_writes() { return std::exchange(static_cast<Writes&>(*rec).writes, {}); }
  bool write(const char* address, Value v) {
    auto fb = find_input_point(*res, address);
    return fb && write_input(*res, *fb, v);
  }
};

}  // namespace

TEST_CASE("QX's REQ writes OUT to its PARAMS address once initialized", "[process_image][io]") {
  IoRig rig("QX", "'Q0.1'");
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=FALSE,STATUS='not initialized')"});
  CHECK(rig.take_writes().empty());
  CHECK(rig.fire("B", "INIT") == Events{"B.INITO(QO=TRUE,STATUS='OK')"});
  rig.var("B", "OUT") = Value::of_bool(true);
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=TRUE,STATUS='OK')"});
  CHECK(rig.take_writes() == std::vector<std::string>{"Q0.1:=TRUE"});
}

TEST_CASE("QB, QW, QD and QL write OUT with its own type", "[process_image][io]") {
  for (auto [type, literal, expect] : {std::tuple{"QB", "16#A5", "QB0:=165"}, std::tuple{"QW", "16#BEEF", "QB0:=48879"},
                                       std::tuple{"QD", "16#DEADBEEF", "QB0:=3735928559"},
                                       std::tuple{"QL", "16#FFFFFFFFFFFFFFFF", "QB0:=18446744073709551615"}}) {
    IoRig rig(type, "'QB0'");
    rig.fire("B", "INIT");
    REQUIRE(parse_var_literal(rig.res->type_of(rig.fb("B")).iface.inputs[2], literal, &rig.var("B", "OUT")));
    rig.fire("B", "REQ");
    CHECK(rig.take_writes() == std::vector<std::string>{expect});
  }
}

TEST_CASE("A Q block with QI FALSE writes nothing and answers QO FALSE", "[process_image][io]") {
  IoRig rig("QX", "'Q0.1'");
  rig.fire("B", "INIT");
  rig.var("B", "QI") = Value::of_bool(false);
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=FALSE,STATUS='OK')"});
  CHECK(rig.fire("B", "INIT") == Events{"B.INITO(QO=FALSE,STATUS='not initialized')"});
  rig.var("B", "QI") = Value::of_bool(true);
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=FALSE,STATUS='not initialized')"});
  CHECK(rig.take_writes().empty());
}

TEST_CASE("INIT with an empty PARAMS does not start an I/O block", "[process_image][io]") {
  IoRig rig("QX", "''");
  CHECK(rig.fire("B", "INIT") == Events{"B.INITO(QO=FALSE,STATUS='PARAMS names no address')"});
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=FALSE,STATUS='not initialized')"});
  CHECK(rig.take_writes().empty());
}

TEST_CASE("IX indicates a write from the host with IND and polls it with REQ", "[process_image][io]") {
  IoRig rig("IX", "'I0.3'");
  rig.fire("B", "INIT");
  CHECK(input_point_type(*rig.res, rig.fb("B")) == DataType::kBool);
  REQUIRE(rig.write("I0.3", Value::of_bool(true)));
  rig.run();
  CHECK(rig.rec->take() == Events{"B.IND(QO=TRUE,STATUS='OK',IN=TRUE)"});
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=TRUE,STATUS='OK',IN=TRUE)"});
  CHECK_FALSE(find_input_point(*rig.res, "I0.4"));
}

TEST_CASE("IX before INIT keeps the host's value for the first poll", "[process_image][io]") {
  IoRig rig("IX", "'I0.3'");
  REQUIRE(rig.write("I0.3", Value::of_bool(true)));
  rig.run();
  CHECK(rig.rec->take() == Events{});
  rig.fire("B", "INIT");
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=TRUE,STATUS='OK',IN=TRUE)"});
}

TEST_CASE("IW shows the host's WORD at the next REQ, without an IND", "[process_image][io]") {
  IoRig rig("IW", "'IW2'");
  rig.fire("B", "INIT");
  CHECK(input_point_type(*rig.res, rig.fb("B")) == DataType::kWord);
  REQUIRE(rig.write("IW2", Value::of_uint(0xBEEF)));
  rig.run();
  CHECK(rig.rec->take() == Events{});
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=TRUE,STATUS='OK',IN=48879)"});
  rig.var("B", "QI") = Value::of_bool(false);
  REQUIRE(rig.write("IW2", Value::of_uint(1)));
  rig.run();
  CHECK(rig.fire("B", "REQ") == Events{"B.CNF(QO=FALSE,STATUS='OK',IN=48879)"});
}

TEST_CASE("IB, ID and IL read the host's value of their type", "[process_image][io]") {
  for (auto [type, value, expect] :
       {std::tuple{"IB", uint64_t(0xA5), "IN=165"}, std::tuple{"ID", uint64_t(0xDEADBEEF), "IN=3735928559"},
        std::tuple{"IL", ~uint64_t(0), "IN=18446744073709551615"}}) {
    IoRig rig(type, "'X'");
    rig.fire("B", "INIT");
    REQUIRE(rig.write("X", Value::of_uint(value)));
    rig.run();  // the write arrives through the inbox
    CHECK(rig.fire("B", "REQ") == Events{std::string("B.CNF(QO=TRUE,STATUS='OK',") + expect + ")"});
  }
}

TEST_CASE("write_input refuses an FB that is not an input point", "[process_image][io]") {
  IoRig rig("QX", "'Q0.1'");
  CHECK_FALSE(write_input(*rig.res, rig.fb("B"), Value::of_bool(true)));
  CHECK_FALSE(find_input_point(*rig.res, "Q0.1"));
}

TEST_CASE("QL and IL serve REQ without allocating", "[process_image][io][allocation]") {
  FbNetwork net{{{"Q", "QL", {{"QI", "TRUE"}, {"PARAMS", "'a process-image address of 40 chars.....'"}}, ""},
                 {"I", "IL", {{"QI", "TRUE"}, {"PARAMS", "'IL0'"}}, ""}},
                {{"Q.CNF", "I.REQ", ""}},
                {}};
  auto loaded = Resource::load(net, io_library());
  REQUIRE(loaded);
  Resource& r = *loaded.value();
  struct Count : ResourceObserver {
    void on_output(FbIndex, EventId, const Value*) noexcept override {}
    void on_io_write(FbIndex, const std::string& a, DataType, Value) noexcept override { chars += a.size(); }
    size_t chars = 0;
  } count;
  r.set_observer(&count);
  const FbIndex q = *r.find_fb("Q"), i = *r.find_fb("I");
  auto req = [&] {
    REQUIRE(r.inject(q, EventId{1}));
    while (r.step(Time{}).more_work) {
    }
  };
  r.inject(q, EventId{0});
  r.inject(i, EventId{0});
  req();  // the address buffer grows once
  const uint64_t before = allocations();
  for (int k = 0; k < 100; ++k) req();
  CHECK(allocations() - before == 0);
  CHECK(count.chars == 101 * 40);
}
