// The character string functions of IEC 61131-3 (6.6.2.5.11, Table 29)
// as 4diac's FBs (iec61131-3/charString/): one REQ runs the function on
// its WITH inputs and emits CNF with OUT. IN, IN1, IN2 and OUT are one
// ANY_STRING type per instance (STRING or WSTRING, decided at load); L,
// P and the ANY_INT outputs are each their own ANY_INT type. Positions
// count from 1.
//
// Out-of-range L and P behave as FORTE's iec61131_functions.h does (4diac
// FORTE of October 2024; an error log there, nothing here), and the result
// is cut to OUT's capacity:
// - LEFT/RIGHT(IN, L): L < 0 or L > LEN(IN) gives IN.
// - MID(IN, L, P): P < 0 gives IN; else RIGHT(IN, LEN(IN) - P + 1), then
//   LEFT of that with L, each with the rule above, so P = 0 or
//   P > LEN(IN) + 1 takes from the start (MID('ABC', 2, 9) = 'AB') and
//   P = LEN(IN) + 1 gives ''. FORTE computes both lengths as INT; plc in
//   64 bits, so an L or P beyond 32767 does not wrap.
// - INSERT(IN1, IN2, P): P <= 0 or P > LEN(IN1) gives IN1; IN2 goes after
//   the P-th character.
// - DELETE(IN, L, P) and REPLACE(IN1, IN2, L, P): L <= 0, P <= 0, or
//   characters past the end (P + L - 1 > LEN) give IN (IN1). FORTE's
//   DELETE refuses P + L > LEN, so it cannot delete the last character
//   (DELETE('ABC', 1, 3) is 'ABC' there); plc deletes it ('AB'), as
//   REPLACE does in FORTE and as the standard means.
// - FIND(IN1, IN2): the position of the first occurrence, 0 for none;
//   an empty IN2 is found at 1 (FORTE's std::string::find).
// - LEN and FIND are written to their ANY_INT output wrapped to its width.
// CONCAT_DATE_TOD is DATE + TIME_OF_DAY as a DATE_AND_TIME.
#include <cstdint>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_function_fb.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

using G = GenericClass;

// Characters [from, from + n) of a text; left and right take the first
// or last `l` of them by FORTE's LEFT and RIGHT rules.
struct Span {
  uint32_t from, n;
};
Span left(Span s, int64_t l) { return l < 0 || l > int64_t(s.n) ? s : Span{s.from, uint32_t(l)}; }
Span right(Span s, int64_t l) { return l < 0 || l > int64_t(s.n) ? s : Span{s.from + s.n - uint32_t(l), uint32_t(l)}; }

Span whole(const Text& t) { return {0, t.size()}; }

void put(TextOut& out, const Text& t, Span s) { out.append(t, s.from, s.n); }

void f_concat(FbContext& fb, EventId) {
  const Text a(input_port(fb, 0)), b(input_port(fb, 1));
  {
    TextOut out(output_port(fb, 0));
    out.append(a);
    out.append(b);
  }
  fb.emit(EventId{0});
}

void f_left(FbContext& fb, EventId) {
  const Text in(input_port(fb, 0));
  {
    TextOut out(output_port(fb, 0));
    put(out, in, left(whole(in), int_value(input_port(fb, 1))));
  }
  fb.emit(EventId{0});
}

void f_right(FbContext& fb, EventId) {
  const Text in(input_port(fb, 0));
  {
    TextOut out(output_port(fb, 0));
    put(out, in, right(whole(in), int_value(input_port(fb, 1))));
  }
  fb.emit(EventId{0});
}

void f_mid(FbContext& fb, EventId) {
  const Text in(input_port(fb, 0));
  const int64_t l = int_value(input_port(fb, 1)), p = int_value(input_port(fb, 2));
  {
    TextOut out(output_port(fb, 0));
    put(out, in, p < 0 ? whole(in) : left(right(whole(in), int64_t(in.size()) - p + 1), l));
  }
  fb.emit(EventId{0});
}

void f_len(FbContext& fb, EventId) {
  set_int(output_port(fb, 0), Text(input_port(fb, 0)).size());
  fb.emit(EventId{0});
}

void f_find(FbContext& fb, EventId) {
  const Text a(input_port(fb, 0)), b(input_port(fb, 1));
  int64_t at = 0;
  for (uint32_t k = 0; !at && k + b.size() <= a.size(); ++k) {
    uint32_t j = 0;
    while (j < b.size() && a[k + j] == b[j]) ++j;
    if (j == b.size()) at = k + 1;
  }
  set_int(output_port(fb, 0), at);
  fb.emit(EventId{0});
}

void f_insert(FbContext& fb, EventId) {
  const Text a(input_port(fb, 0)), b(input_port(fb, 1));
  const int64_t p = int_value(input_port(fb, 2));
  {
    TextOut out(output_port(fb, 0));
    if (p <= 0 || p > int64_t(a.size())) {
      out.append(a);
    } else {
      out.append(a, 0, uint32_t(p));
      out.append(b);
      out.append(a, uint32_t(p), a.size() - uint32_t(p));
    }
  }
  fb.emit(EventId{0});
}

// IN with characters [P, P + L) (1-based) replaced by `with` (nullptr:
// deleted), or IN unchanged when L or P is out of range.
void splice(FbContext& fb, const Text& in, const Text* with, int64_t l, int64_t p) {
  TextOut out(output_port(fb, 0));
  if (l <= 0 || p <= 0 || p + l - 1 > int64_t(in.size())) {
    out.append(in);
    return;
  }
  out.append(in, 0, uint32_t(p - 1));
  if (with) out.append(*with);
  out.append(in, uint32_t(p - 1 + l), in.size());
}

void f_delete(FbContext& fb, EventId) {
  splice(fb, Text(input_port(fb, 0)), nullptr, int_value(input_port(fb, 1)), int_value(input_port(fb, 2)));
  fb.emit(EventId{0});
}

void f_replace(FbContext& fb, EventId) {
  const Text with(input_port(fb, 1));
  splice(fb, Text(input_port(fb, 0)), &with, int_value(input_port(fb, 2)), int_value(input_port(fb, 3)));
  fb.emit(EventId{0});
}

void f_concat_date_tod(FbContext& fb, EventId) {
  fb.v[2] = Value::of_int(fb.v[0].i + fb.v[1].i);
  fb.emit(EventId{0});
}

}  // namespace

void add_iec61131_character_string(TypeLibrary& lib) {
  lib.add(function_fb("F_CONCAT", "concatenation", {any("IN1", G::kAnyString, 1), any("IN2", G::kAnyString, 1)},
                      any("OUT", G::kAnyString, 1), f_concat));
  lib.add(function_fb("F_CONCAT_DATE_TOD", "concatenation",
                      {fixed("IN1", DataType::kDate), fixed("IN2", DataType::kTimeOfDay)},
                      fixed("OUT", DataType::kDateAndTime), f_concat_date_tod));
  lib.add(function_fb("F_DELETE", "delete L characters of IN beginning at the P-th character position",
                      {any("IN", G::kAnyString, 1), any("L", G::kAnyInt, 2), any("P", G::kAnyInt, 3)},
                      any("OUT", G::kAnyString, 1), f_delete));
  lib.add(function_fb("F_FIND", "find the character position of the beginning of the first occurrence of IN2 in IN1",
                      {any("IN1", G::kAnyString, 1), any("IN2", G::kAnyString, 1)}, any("OUT", G::kAnyInt, 2), f_find));
  lib.add(function_fb("F_INSERT", "insert IN2 into IN1 after the P-th character position",
                      {any("IN1", G::kAnyString, 1), any("IN2", G::kAnyString, 1), any("P", G::kAnyInt, 2)},
                      any("OUT", G::kAnyString, 1), f_insert));
  lib.add(function_fb("F_LEFT", "leftmost L characters of IN", {any("IN", G::kAnyString, 1), any("L", G::kAnyInt, 2)},
                      any("OUT", G::kAnyString, 1), f_left));
  lib.add(
      function_fb("F_LEN", "string length function", {any("IN", G::kAnyString, 1)}, any("OUT", G::kAnyInt, 2), f_len));
  lib.add(function_fb("F_MID", "L characters of IN",
                      {any("IN", G::kAnyString, 1), any("L", G::kAnyInt, 2), any("P", G::kAnyInt, 3)},
                      any("OUT", G::kAnyString, 1), f_mid));
  lib.add(function_fb(
      "F_REPLACE", "replace L characters of IN1 by IN2 starting at the P-th character position",
      {any("IN1", G::kAnyString, 1), any("IN2", G::kAnyString, 1), any("L", G::kAnyInt, 2), any("P", G::kAnyInt, 3)},
      any("OUT", G::kAnyString, 1), f_replace));
  lib.add(function_fb("F_RIGHT", "rightmost L characters of IN", {any("IN", G::kAnyString, 1), any("L", G::kAnyInt, 2)},
                      any("OUT", G::kAnyString, 1), f_right));
}

}  // namespace plc::stdfb
