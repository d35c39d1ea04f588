// The bytecode interpreter: see algorithm.h for the instruction set and
// the run-time rules.
#include <cmath>
#include <limits>

#include "runtime/algorithm.h"
#include "runtime/resource.h"

namespace plc {
namespace {

inline uint32_t target(const Instr& i) { return uint32_t(i.b) | uint32_t(i.c) << 16; }

inline int64_t f2i(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return int64_t(d);
}

inline uint64_t rotl(uint64_t v, unsigned n, unsigned w) {
  n %= w;
  uint64_t mask = w == 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
  v &= mask;
  return n ? ((v << n) | (v >> (w - n))) & mask : v;
}

Value call(Builtin f, Value a, Value b) {
  switch (f) {
    case Builtin::kSqrt: return Value::of_real(std::sqrt(a.r));
    case Builtin::kLn: return Value::of_real(std::log(a.r));
    case Builtin::kLog: return Value::of_real(std::log10(a.r));
    case Builtin::kExp: return Value::of_real(std::exp(a.r));
    case Builtin::kSin: return Value::of_real(std::sin(a.r));
    case Builtin::kCos: return Value::of_real(std::cos(a.r));
    case Builtin::kTan: return Value::of_real(std::tan(a.r));
    case Builtin::kAsin: return Value::of_real(std::asin(a.r));
    case Builtin::kAcos: return Value::of_real(std::acos(a.r));
    case Builtin::kAtan: return Value::of_real(std::atan(a.r));
    case Builtin::kExpt: return Value::of_real(std::pow(a.r, b.r));
    case Builtin::kAbsF: return Value::of_real(std::fabs(a.r));
    case Builtin::kAbsS: return Value::of_int(a.i < 0 ? int64_t(0 - a.u) : a.i);
  }
  return a;
}

}  // namespace

ExecResult execute(const Algorithm& alg, Value* R, Resource& res) {
  const Instr* code = alg.code.data();
  const Value* K = alg.constants.data();
  uint32_t pc = 0;
  for (;;) {
    const Instr& i = code[pc++];
    switch (i.op) {
      case Op::kEnd: return ExecResult::done();
      case Op::kRet: return ExecResult::done(R[i.a]);
      case Op::kMov: R[i.a] = R[i.b]; break;
      case Op::kLoadK: R[i.a] = K[i.b]; break;
      case Op::kAdd: R[i.a].u = R[i.b].u + R[i.c].u; break;
      case Op::kSub: R[i.a].u = R[i.b].u - R[i.c].u; break;
      case Op::kMul: R[i.a].u = R[i.b].u * R[i.c].u; break;
      case Op::kDivS:
        if (R[i.c].i == 0) return ExecResult::failed("integer division by zero");
        R[i.a].i = (R[i.b].i == std::numeric_limits<int64_t>::min() && R[i.c].i == -1) ? R[i.b].i
                                                                                        : R[i.b].i / R[i.c].i;
        break;
      case Op::kDivU:
        if (R[i.c].u == 0) return ExecResult::failed("integer division by zero");
        R[i.a].u = R[i.b].u / R[i.c].u;
        break;
      case Op::kModS:
        if (R[i.c].i == 0) return ExecResult::failed("MOD by zero");
        R[i.a].i = R[i.c].i == -1 ? 0 : R[i.b].i % R[i.c].i;
        break;
      case Op::kModU:
        if (R[i.c].u == 0) return ExecResult::failed("MOD by zero");
        R[i.a].u = R[i.b].u % R[i.c].u;
        break;
      case Op::kNeg: R[i.a].u = 0 - R[i.b].u; break;
      case Op::kSext:  // widths outside 1..63 leave the register as it is
        if (i.x > 0 && i.x < 64) {
          const unsigned s = 64u - i.x;
          R[i.a].i = int64_t(R[i.a].u << s) >> s;
        }
        break;
      case Op::kZext:
        if (i.x > 0 && i.x < 64) R[i.a].u &= (uint64_t{1} << i.x) - 1;
        break;
      case Op::kAnd: R[i.a].u = R[i.b].u & R[i.c].u; break;
      case Op::kOr: R[i.a].u = R[i.b].u | R[i.c].u; break;
      case Op::kXor: R[i.a].u = R[i.b].u ^ R[i.c].u; break;
      case Op::kNotB: R[i.a].u = R[i.b].u ^ 1; break;
      case Op::kNot: R[i.a].u = ~R[i.b].u; break;
      case Op::kShl: R[i.a].u = R[i.c].u >= 64 ? 0 : R[i.b].u << R[i.c].u; break;
      case Op::kShr: R[i.a].u = R[i.c].u >= 64 ? 0 : R[i.b].u >> R[i.c].u; break;
      case Op::kRol:
      case Op::kRor: {  // width x in 1..64; 0 or more means 64
        const unsigned w = i.x == 0 || i.x > 64 ? 64u : i.x;
        const unsigned n = unsigned(R[i.c].u % w);
        R[i.a].u = rotl(R[i.b].u, i.op == Op::kRol ? n : (w - n) % w, w);
        break;
      }
      case Op::kEq: R[i.a].u = R[i.b].u == R[i.c].u; break;
      case Op::kNe: R[i.a].u = R[i.b].u != R[i.c].u; break;
      case Op::kLtS: R[i.a].u = R[i.b].i < R[i.c].i; break;
      case Op::kLeS: R[i.a].u = R[i.b].i <= R[i.c].i; break;
      case Op::kLtU: R[i.a].u = R[i.b].u < R[i.c].u; break;
      case Op::kLeU: R[i.a].u = R[i.b].u <= R[i.c].u; break;
      case Op::kEqF: R[i.a].u = R[i.b].r == R[i.c].r; break;
      case Op::kNeF: R[i.a].u = R[i.b].r != R[i.c].r; break;
      case Op::kLtF: R[i.a].u = R[i.b].r < R[i.c].r; break;
      case Op::kLeF: R[i.a].u = R[i.b].r <= R[i.c].r; break;
      case Op::kAddF: R[i.a].r = R[i.b].r + R[i.c].r; break;
      case Op::kSubF: R[i.a].r = R[i.b].r - R[i.c].r; break;
      case Op::kMulF: R[i.a].r = R[i.b].r * R[i.c].r; break;
      case Op::kDivF: R[i.a].r = R[i.b].r / R[i.c].r; break;
      case Op::kNegF: R[i.a].r = -R[i.b].r; break;
      case Op::kF32: R[i.a].r = double(float(R[i.a].r)); break;
      case Op::kI2F: R[i.a].r = double(R[i.b].i); break;
      case Op::kU2F: R[i.a].r = double(R[i.b].u); break;
      case Op::kF2I: R[i.a].i = f2i(R[i.b].r); break;
      case Op::kJmp:
      case Op::kJz:
      case Op::kJnz: {
        if (i.op == Op::kJz && R[i.a].u != 0) break;
        if (i.op == Op::kJnz && R[i.a].u == 0) break;
        const uint32_t to = target(i);
        // Every loop has a backward jump: charge the loop body to the budget.
        if (to < pc && !res.charge(pc - to)) return ExecResult::failed("instruction budget exceeded");
        pc = to;
        break;
      }
      case Op::kBounds:
        if (R[i.a].i < 0 || R[i.a].i >= int64_t(i.b)) return ExecResult::failed("array index out of bounds");
        break;
      case Op::kLoadX: R[i.a] = R[i.b + uint32_t(i.x) * R[i.c].u]; break;
      case Op::kStoreX: R[i.b + uint32_t(i.x) * R[i.c].u] = R[i.a]; break;
      case Op::kCall: R[i.a] = call(Builtin(i.x), R[i.b], R[i.c]); break;
    }
  }
}

}  // namespace plc
