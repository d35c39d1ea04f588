// FB_CTU, FB_CTD, FB_CTUD (IEC 61131-3 6.6.3.5.4) for INT and, with a
// suffix, DINT, LINT, UDINT and ULINT: the 14 counters of 4diac's library,
// generated from one table over the integer type. Each REQ evaluates the
// counter once and emits CNF, as FORTE does:
//   CTU:  IF R THEN CV := 0 ELSIF CU AND CV < max THEN CV := CV + 1;
//         Q := CV >= PV
//   CTD:  IF LD THEN CV := PV ELSIF CD AND CV > min THEN CV := CV - 1;
//         Q := CV <= 0
//   CTUD: IF R THEN CV := 0 ELSIF LD THEN CV := PV
//         ELSIF NOT (CU AND CD) THEN
//           IF CU AND CV < max THEN CV := CV + 1
//           ELSIF CD AND CV > min THEN CV := CV - 1;
//         QU := CV >= PV; QD := CV <= 0
// max and min are the bounds of CV's type: CV saturates, it never wraps.
// R dominates LD, LD dominates counting, as in the standard and FORTE.
//
// CU and CD are read as levels at each REQ, as in FORTE: in an event-driven
// application the REQ is the count pulse (a CU held TRUE across n REQs counts
// n). IEC 61131-3's scan-cyclic CTU declares CU R_EDGE, and 4diac's .fbt
// comments say "Rising Edge Detection"; an application that samples CU
// cyclically puts an FB_R_TRIG in front, on FORTE as here.
#include <limits>
#include <string>
#include <type_traits>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

constexpr EventId kCnf{0};

template <typename T>
T get(Value v) {
  if constexpr (std::is_signed_v<T>) return static_cast<T>(v.i);
  else return static_cast<T>(v.u);
}
template <typename T>
Value put(T x) {
  if constexpr (std::is_signed_v<T>) return Value::of_int(x);
  else return Value::of_uint(x);
}

template <typename T>
void count(FbContext& fb, int cv, bool up, bool down) {
  const T v = get<T>(fb.v[cv]);
  if (up && v < std::numeric_limits<T>::max()) fb.v[cv] = put<T>(T(v + 1));
  else if (down && v > std::numeric_limits<T>::min()) fb.v[cv] = put<T>(T(v - 1));
}

namespace ctu {
enum Slot { CU, R, PV, Q, CV };
template <typename T>
void on_event(FbContext& fb, EventId) {
  const bool up = fb.v[CU].as_bool();
  if (fb.v[R].as_bool()) fb.v[CV] = put<T>(0);
  else count<T>(fb, CV, up, false);
  fb.v[Q] = Value::of_bool(get<T>(fb.v[CV]) >= get<T>(fb.v[PV]));
  fb.emit(kCnf);
}
template <typename T>
FbType make(const std::string& name, DataType t) {
  return FbTypeBuilder(name)
      .comment("Up counter")
      .event_input("REQ", {"CU", "PV", "R"})
      .event_output("CNF", {"Q", "CV"})
      .input("CU", DataType::kBool)
      .input("R", DataType::kBool)
      .input("PV", t)
      .output("Q", DataType::kBool)
      .output("CV", t)
      .native({on_event<T>, nullptr})
      .build();
}
}  // namespace ctu

namespace ctd {
enum Slot { CD, LD, PV, Q, CV };
template <typename T>
void on_event(FbContext& fb, EventId) {
  const bool down = fb.v[CD].as_bool();
  if (fb.v[LD].as_bool()) fb.v[CV] = fb.v[PV];
  else count<T>(fb, CV, false, down);
  fb.v[Q] = Value::of_bool(get<T>(fb.v[CV]) <= 0);
  fb.emit(kCnf);
}
template <typename T>
FbType make(const std::string& name, DataType t) {
  return FbTypeBuilder(name)
      .comment("Down counter")
      .event_input("REQ", {"CD", "PV", "LD"})
      .event_output("CNF", {"Q", "CV"})
      .input("CD", DataType::kBool)
      .input("LD", DataType::kBool)
      .input("PV", t)
      .output("Q", DataType::kBool)
      .output("CV", t)
      .native({on_event<T>, nullptr})
      .build();
}
}  // namespace ctd

namespace ctud {
enum Slot { CU, CD, R, LD, PV, QU, QD, CV };
template <typename T>
void on_event(FbContext& fb, EventId) {
  const bool up = fb.v[CU].as_bool();
  const bool down = fb.v[CD].as_bool();
  if (fb.v[R].as_bool()) fb.v[CV] = put<T>(0);
  else if (fb.v[LD].as_bool()) fb.v[CV] = fb.v[PV];
  else if (!(up && down)) count<T>(fb, CV, up, down);
  fb.v[QU] = Value::of_bool(get<T>(fb.v[CV]) >= get<T>(fb.v[PV]));
  fb.v[QD] = Value::of_bool(get<T>(fb.v[CV]) <= 0);
  fb.emit(kCnf);
}
template <typename T>
FbType make(const std::string& name, DataType t) {
  return FbTypeBuilder(name)
      .comment("Up-down counter")
      .event_input("REQ", {"CD", "PV", "LD", "CU", "R"})
      .event_output("CNF", {"QU", "CV", "QD"})
      .input("CU", DataType::kBool)
      .input("CD", DataType::kBool)
      .input("R", DataType::kBool)
      .input("LD", DataType::kBool)
      .input("PV", t)
      .output("QU", DataType::kBool)
      .output("QD", DataType::kBool)
      .output("CV", t)
      .native({on_event<T>, nullptr})
      .build();
}
}  // namespace ctud

// One row of the table: the counters of one integer type. 4diac has no
// FB_CTUD_UDINT.
template <typename T>
void add_counters(TypeLibrary& lib, DataType t, const char* suffix, bool with_ctud) {
  lib.add(ctu::make<T>(std::string("FB_CTU") + suffix, t));
  lib.add(ctd::make<T>(std::string("FB_CTD") + suffix, t));
  if (with_ctud) lib.add(ctud::make<T>(std::string("FB_CTUD") + suffix, t));
}

}  // namespace

void add_iec61131_counters(TypeLibrary& lib) {
  add_counters<int16_t>(lib, DataType::kInt, "", true);
  add_counters<int32_t>(lib, DataType::kDint, "_DINT", true);
  add_counters<int64_t>(lib, DataType::kLint, "_LINT", true);
  add_counters<uint32_t>(lib, DataType::kUdint, "_UDINT", false);
  add_counters<uint64_t>(lib, DataType::kUlint, "_ULINT", true);
}

}  // namespace plc::stdfb
