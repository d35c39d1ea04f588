// E_CTUD (IEC 61499-1 Annex A): event-driven up-down counter, UINT; and
// E_CTUD_UDINT, the same with UDINT (4diac FORTE).
// CU (with PV): if CV < 65535 then CV := CV + 1, emit CO.
// CD:           if CV > 0 then CV := CV - 1, emit CO.
// R:            CV := 0, emit RO.
// LD (with PV): CV := PV, emit LDO.
// Before each output QU := (CV >= PV) and QD := (CV = 0). A CU at 65535 or
// a CD at 0 is ignored and emits nothing (the ECC's guards, as in 4diac
// FORTE): CV saturates instead of wrapping. The WITH lists keep FORTE's
// order (CO and RO: QU, CV, QD; LDO: QU, QD, CV).
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { PV, QU, QD, CV };
enum In : uint16_t { CU, CD, R, LD };
enum Out : uint16_t { CO, RO, LDO };
// kMax: the largest value of CV's type (65535 for UINT, 4294967295 for UDINT).
template <uint64_t kMax>
void on_event(FbContext& fb, EventId ei) {
  Out out = CO;
  switch (index_of(ei)) {
    case CU:
      if (fb.v[CV].u >= kMax) return;
      ++fb.v[CV].u;
      break;
    case CD:
      if (fb.v[CV].u == 0) return;
      --fb.v[CV].u;
      break;
    case R:
      fb.v[CV].u = 0;
      out = RO;
      break;
    default:  // LD
      fb.v[CV] = fb.v[PV];
      out = LDO;
      break;
  }
  fb.v[QU] = Value::of_bool(fb.v[CV].u >= fb.v[PV].u);
  fb.v[QD] = Value::of_bool(fb.v[CV].u == 0);
  fb.emit(EventId{out});
}

template <uint64_t kMax>
FbType up_down_counter(const char* name, const char* comment, DataType count) {
  return FbTypeBuilder(name)
      .comment(comment)
      .event_input("CU", {"PV"})
      .event_input("CD")
      .event_input("R")
      .event_input("LD", {"PV"})
      .event_output("CO", {"QU", "CV", "QD"})
      .event_output("RO", {"QU", "CV", "QD"})
      .event_output("LDO", {"QU", "QD", "CV"})
      .input("PV", count)
      .output("QU", DataType::kBool)
      .output("QD", DataType::kBool)
      .output("CV", count)
      .native({on_event<kMax>, nullptr})
      .build();
}

}  // namespace

FbType e_ctud() { return up_down_counter<65535>("E_CTUD", "Event-driven up-down counter", DataType::kUint); }

// 4diac FORTE's E_CTUD with UDINT PV and CV (the standard defines E_CTUD
// with UINT only); same rules, saturating at 4294967295.
FbType e_ctud_udint() {
  return up_down_counter<4294967295>("E_CTUD_UDINT", "Event-driven up-down counter, UDINT", DataType::kUdint);
}

}  // namespace plc::stdfb
