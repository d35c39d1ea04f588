// FB_R_TRIG and FB_F_TRIG (IEC 61131-3 6.6.3.5.3): edge detection between
// the CLK of one REQ and the CLK of the previous one; every REQ emits CNF.
//   FB_R_TRIG: Q := CLK AND NOT M;     M := CLK      (M starts FALSE)
//   FB_F_TRIG: Q := NOT CLK AND NOT M; M := NOT CLK  (M starts TRUE)
// so, as the standard's and FORTE's, neither reports an edge at the first
// REQ with CLK at its initial value FALSE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/iec61131_blocks.h"

namespace plc::stdfb {
namespace {

constexpr EventId kCnf{0};
enum Slot { CLK, Q, M };

void on_rising(FbContext& fb, EventId) {
  const bool clk = fb.v[CLK].as_bool();
  fb.v[Q] = Value::of_bool(clk && !fb.v[M].as_bool());
  fb.v[M] = Value::of_bool(clk);
  fb.emit(kCnf);
}

void on_falling(FbContext& fb, EventId) {
  const bool clk = fb.v[CLK].as_bool();
  fb.v[Q] = Value::of_bool(!clk && !fb.v[M].as_bool());
  fb.v[M] = Value::of_bool(!clk);
  fb.emit(kCnf);
}

FbType edge_block(const char* name, const char* comment, bool m_initial, void (*on_event)(FbContext&, EventId)) {
  return FbTypeBuilder(name)
      .comment(comment)
      .event_input("REQ", {"CLK"})
      .event_output("CNF", {"Q"})
      .input("CLK", DataType::kBool)
      .output("Q", DataType::kBool)
      .internal("$M", DataType::kBool, Value::of_bool(m_initial))
      .native({on_event, nullptr})
      .build();
}

}  // namespace

FbType fb_r_trig() { return edge_block("FB_R_TRIG", "Rising edge detection", false, on_rising); }
FbType fb_f_trig() { return edge_block("FB_F_TRIG", "Falling edge detection", true, on_falling); }

}  // namespace plc::stdfb
