// The numerical functions of IEC 61131-3 (6.6.2.5.6, Table 28) as 4diac's
// iec61131-3/numerical FBs: F_ABS, F_SQRT, F_LN, F_LOG, F_EXP, F_SIN,
// F_COS, F_TAN, F_ASIN, F_ACOS, F_ATAN. REQ computes OUT := f(IN) and emits
// CNF; IN and OUT share one type (generic_type.h).
//
// F_ABS is ANY_NUM: an integer's absolute value wraps to its width, as in
// FORTE (ABS(INT#-32768) = -32768), an unsigned one is itself. The others
// are ANY_REAL, computed in LREAL by C's <cmath> as in FORTE and rounded
// to OUT's type (a REAL to float). Outside a function's domain the result
// is IEEE 754's, as in FORTE and plc's ST: SQRT(-1.0) and ASIN(2.0) are
// NaN, LN(0.0) is -inf. The angles are in radians; LOG is base 10.
#include <cmath>

#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_function_fb.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

using G = GenericClass;

void abs(FbContext& fb, EventId) {
  FunctionCall c(fb);
  const Value x = c.in(0);
  const DataType t = c.out_type();
  if (is_real(t)) return c.ret(Value::of_real(std::fabs(x.r)));
  c.ret(is_signed_int(t) && x.i < 0 ? Value::of_uint(0 - x.u) : x);
}

double sqrt(double x) { return std::sqrt(x); }
double ln(double x) { return std::log(x); }
double log(double x) { return std::log10(x); }
double exp(double x) { return std::exp(x); }
double sin(double x) { return std::sin(x); }
double cos(double x) { return std::cos(x); }
double tan(double x) { return std::tan(x); }
double asin(double x) { return std::asin(x); }
double acos(double x) { return std::acos(x); }
double atan(double x) { return std::atan(x); }

template <double (*F)(double)>
void real_function(FbContext& fb, EventId) {
  FunctionCall c(fb);
  c.ret(Value::of_real(F(c.in(0).r)));
}

struct RealFunction {
  const char* name;
  const char* comment;  // 4diac's
  void (*on_event)(FbContext&, EventId);
};
constexpr RealFunction kRealFunctions[] = {
    {"F_SQRT", "square root", real_function<sqrt>},
    {"F_LN", "natural logarithm", real_function<ln>},
    {"F_LOG", "logarithm base 10", real_function<log>},
    {"F_EXP", "natural exponential", real_function<exp>},
    {"F_SIN", "sine of input in radians", real_function<sin>},
    {"F_COS", "cosine in radians", real_function<cos>},
    {"F_TAN", "tangent in radians", real_function<tan>},
    {"F_ASIN", "principal arc sin", real_function<asin>},
    {"F_ACOS", "principal arc cosine", real_function<acos>},
    {"F_ATAN", "principal arc tan", real_function<atan>},
};

}  // namespace

void add_iec61131_numerical(TypeLibrary& lib) {
  lib.add(function_fb("F_ABS", "absolute value", {any("IN", G::kAnyNum, 1)}, any("OUT", G::kAnyNum, 1), abs));
  for (const RealFunction& f : kRealFunctions)
    lib.add(function_fb(f.name, f.comment, {any("IN", G::kAnyReal, 1)}, any("OUT", G::kAnyReal, 1), f.on_event));
}

}  // namespace plc::stdfb
