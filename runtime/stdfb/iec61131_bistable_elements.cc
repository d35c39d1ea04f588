// FB_SR and FB_RS (IEC 61131-3 6.6.3.5.2): bistables evaluated once per
// REQ, which emits CNF every time.
//   FB_SR, set dominant:   Q1 := S1 OR (NOT R AND Q1)
//   FB_RS, reset dominant: Q1 := NOT R1 AND (S OR Q1)
// As 4diac FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/iec61131_blocks.h"

namespace plc::stdfb {
namespace {

constexpr EventId kCnf{0};

namespace sr {
enum Slot { S1, R, Q1 };
void on_event(FbContext& fb, EventId) {
  fb.v[Q1] = Value::of_bool(fb.v[S1].as_bool() || (!fb.v[R].as_bool() && fb.v[Q1].as_bool()));
  fb.emit(kCnf);
}
}  // namespace sr

namespace rs {
enum Slot { S, R1, Q1 };
void on_event(FbContext& fb, EventId) {
  fb.v[Q1] = Value::of_bool(!fb.v[R1].as_bool() && (fb.v[S].as_bool() || fb.v[Q1].as_bool()));
  fb.emit(kCnf);
}
}  // namespace rs

}  // namespace

FbType fb_sr() {
  return FbTypeBuilder("FB_SR")
      .comment("Bistable, set dominant")
      .event_input("REQ", {"S1", "R"})
      .event_output("CNF", {"Q1"})
      .input("S1", DataType::kBool)
      .input("R", DataType::kBool)
      .output("Q1", DataType::kBool)
      .native({sr::on_event, nullptr})
      .build();
}

FbType fb_rs() {
  return FbTypeBuilder("FB_RS")
      .comment("Bistable, reset dominant")
      .event_input("REQ", {"S", "R1"})
      .event_output("CNF", {"Q1"})
      .input("S", DataType::kBool)
      .input("R1", DataType::kBool)
      .output("Q1", DataType::kBool)
      .native({rs::on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
