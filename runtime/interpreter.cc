// The bytecode interpreter: see algorithm.h for the instruction set and
// the run-time rules.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

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

Value call(Builtin f, Value a, Value b, const Resource& res) {
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
    case Builtin::kRound: {
      if (std::isnan(a.r)) return Value::of_int(0);
      return Value::of_int(f2i(std::round(a.r)));
    }
    case Builtin::kRoundU: {
      const double r = std::round(a.r);
      if (std::isnan(r) || r <= 0) return Value::of_uint(0);
      if (r >= 18446744073709551616.0) return Value::of_uint(std::numeric_limits<uint64_t>::max());
      return Value::of_uint(uint64_t(r));
    }
    case Builtin::kNowMonotonic: return Value::of_int(res.now().count());
    case Builtin::kTruncU: {
      const double t = std::trunc(a.r);
      if (std::isnan(t) || t <= 0) return Value::of_uint(0);
      if (t >= 18446744073709551616.0) return Value::of_uint(std::numeric_limits<uint64_t>::max());
      return Value::of_uint(uint64_t(t));
    }
  }
  return a;
}

// ---- strings (StrFn in algorithm.h) ----

// A string variable seen as characters: slot 0 the length, then `width`
// bytes per character (only the low byte is kept for WSTRING, as
// write_string does).
struct Text {
  Value* slots;
  unsigned width;
  uint64_t size() const { return slots[0].u; }
  unsigned char at(uint64_t k) const { return reinterpret_cast<unsigned char*>(slots + 1)[k * width]; }
};

// Builds a result in a scratch buffer first: the destination may be one of
// the operands (S := CONCAT(S, 'x')).
struct Builder {
  unsigned char buf[65536];
  uint32_t n = 0;
  uint32_t cap;
  void add(const Text& t, uint64_t from, uint64_t count) {
    for (uint64_t k = 0; k < count && from + k < t.size() && n < cap; ++k) buf[n++] = t.at(from + k);
  }
  void add(std::string_view s) {
    for (char c : s)
      if (n < cap) buf[n++] = static_cast<unsigned char>(c);
  }
  void store(Value* dst, unsigned width) {
    auto* bytes = reinterpret_cast<unsigned char*>(dst + 1);
    // Clear the whole capacity, so equal strings have equal slots.
    std::memset(bytes, 0, (size_t(cap) * width + 7) / 8 * 8);
    for (uint32_t k = 0; k < n; ++k) bytes[k * width] = buf[k];
    dst[0].u = n;
  }
};

// Clamps a count to [0, limit].
inline uint64_t clamp_count(int64_t v, uint64_t limit) { return v < 0 ? 0 : std::min<uint64_t>(uint64_t(v), limit); }
// A 1-based position as a 0-based index clamped to [0, size].
inline uint64_t clamp_pos(int64_t p, uint64_t size) { return p < 1 ? 0 : std::min<uint64_t>(uint64_t(p - 1), size); }

// Never inlined into the interpreter loop: an algorithm may pause there and
// resume on another thread (scheduler.h), and a thread_local address the
// compiler hoisted out of the loop would then be the first thread's.
[[gnu::noinline]] const char* exec_str(const Instr& i, const Instr& ext, Value* R, const Value* K) {
  const unsigned w = (ext.x & 0xf) == 2 ? 2 : 1;
  const unsigned sw = (ext.x >> 4) == 0 ? w : (ext.x >> 4) == 2 ? 2 : 1;  // the operands'
  thread_local Builder out;
  out.n = 0;
  out.cap = ext.c;
  Text s{&R[i.b], sw}, t{&R[i.c], sw};
  switch (StrFn(i.x)) {
    case StrFn::kLoadK: {
      Text k{const_cast<Value*>(&K[i.b]), 1};
      out.add(k, 0, k.size());
      break;
    }
    case StrFn::kCopy: out.add(s, 0, s.size()); break;
    case StrFn::kConcat:
      out.add(s, 0, s.size());
      out.add(t, 0, t.size());
      break;
    case StrFn::kLen: R[i.a].u = s.size(); return nullptr;
    case StrFn::kLeft: out.add(s, 0, clamp_count(R[ext.a].i, s.size())); break;
    case StrFn::kRight: {
      uint64_t n = clamp_count(R[ext.a].i, s.size());
      out.add(s, s.size() - n, n);
      break;
    }
    case StrFn::kMid: out.add(s, clamp_pos(R[ext.b].i, s.size()), clamp_count(R[ext.a].i, s.size())); break;
    case StrFn::kInsert: {  // IN2 goes after the P-th character of IN1
      uint64_t p = R[ext.a].i < 0 ? 0 : std::min<uint64_t>(uint64_t(R[ext.a].i), s.size());
      out.add(s, 0, p);
      out.add(t, 0, t.size());
      out.add(s, p, s.size() - p);
      break;
    }
    case StrFn::kDelete:
    case StrFn::kReplace: {
      uint64_t p = clamp_pos(R[ext.b].i, s.size());
      uint64_t l = clamp_count(R[ext.a].i, s.size() - p);
      out.add(s, 0, p);
      if (StrFn(i.x) == StrFn::kReplace) out.add(t, 0, t.size());
      out.add(s, p + l, s.size() - p - l);
      break;
    }
    case StrFn::kFind: {
      R[i.a].u = 0;
      if (t.size() == 0 || t.size() > s.size()) return nullptr;
      for (uint64_t k = 0; k + t.size() <= s.size(); ++k) {
        uint64_t m = 0;
        while (m < t.size() && s.at(k + m) == t.at(m)) ++m;
        if (m == t.size()) {
          R[i.a].u = k + 1;
          return nullptr;
        }
      }
      return nullptr;
    }
    case StrFn::kCompare: {
      uint64_t n = std::min(s.size(), t.size());
      for (uint64_t k = 0; k < n; ++k)
        if (s.at(k) != t.at(k)) {
          R[i.a].i = s.at(k) < t.at(k) ? -1 : 1;
          return nullptr;
        }
      R[i.a].i = s.size() < t.size() ? -1 : s.size() > t.size() ? 1 : 0;
      return nullptr;
    }
    case StrFn::kToString: {
      std::string text = format_value(DataType(ext.a), R[i.b]);
      if (auto hash = text.find('#'); hash != std::string::npos && DataType(ext.a) != DataType::kString)
        text.erase(0, hash + 1);  // T#1s -> 1s: the type is said by the conversion
      out.add(text);
      break;
    }
    case StrFn::kFromString: {
      std::string text(s.size(), '\0');
      for (uint64_t k = 0; k < s.size(); ++k) text[k] = char(s.at(k));
      auto v = parse_literal(DataType(ext.a), text);
      if (!v) return "STRING conversion of a text that is no literal of the type";
      R[i.a] = *v;
      return nullptr;
    }
    default: return "unknown string function";
  }
  out.store(&R[i.a], w);
  return nullptr;
}

}  // namespace

ExecResult execute(const Algorithm& alg, Value* R, Resource& res) {
  const Instr* code = alg.code.data();
  const Value* K = alg.constants.data();
  uint32_t pc = 0;
  // Direct threading (GCC/Clang labels as values): each instruction jumps
  // straight to the next one's handler; the switch is only the entry.
  static const void* const kLabels[] = {
      &&L_kEnd,   &&L_kRet,    &&L_kMov,    &&L_kLoadK, &&L_kAdd,  &&L_kSub,  &&L_kMul,  &&L_kDivS, &&L_kDivU,
      &&L_kModS,  &&L_kModU,   &&L_kNeg,    &&L_kSext,  &&L_kZext, &&L_kAnd,  &&L_kOr,   &&L_kXor,  &&L_kNotB,
      &&L_kNot,   &&L_kShl,    &&L_kShr,    &&L_kRol,   &&L_kRor,  &&L_kEq,   &&L_kNe,   &&L_kLtS,  &&L_kLeS,
      &&L_kLtU,   &&L_kLeU,    &&L_kEqF,    &&L_kNeF,   &&L_kLtF,  &&L_kLeF,  &&L_kAddF, &&L_kSubF, &&L_kMulF,
      &&L_kDivF,  &&L_kNegF,   &&L_kF32,    &&L_kI2F,   &&L_kU2F,  &&L_kF2I,  &&L_kJmp,  &&L_kJz,   &&L_kJnz,
      &&L_kLoadX, &&L_kStoreX, &&L_kBounds, &&L_kCall,  &&L_kStr,  &&L_kRange};
#define NEXT                    \
  do {                          \
    ip = &code[pc++];           \
    goto* kLabels[int(ip->op)]; \
  } while (0)
  for (;;) {
    const Instr* ip = &code[pc++];
    switch (ip->op) {
      case Op::kEnd:
      L_kEnd:
        return ExecResult::done();
      case Op::kRet:
      L_kRet:
        return ExecResult::done(R[ip->a]);
      case Op::kMov:
      L_kMov:
        R[ip->a] = R[ip->b];
        NEXT;
      case Op::kLoadK:
      L_kLoadK:
        R[ip->a] = K[ip->b];
        NEXT;
      case Op::kAdd:
      L_kAdd:
        R[ip->a].u = R[ip->b].u + R[ip->c].u;
        NEXT;
      case Op::kSub:
      L_kSub:
        R[ip->a].u = R[ip->b].u - R[ip->c].u;
        NEXT;
      case Op::kMul:
      L_kMul:
        R[ip->a].u = R[ip->b].u * R[ip->c].u;
        NEXT;
      case Op::kDivS:
      L_kDivS:
        if (R[ip->c].i == 0) return ExecResult::failed("integer division by zero");
        R[ip->a].i = (R[ip->b].i == std::numeric_limits<int64_t>::min() && R[ip->c].i == -1) ? R[ip->b].i
                                                                                             : R[ip->b].i / R[ip->c].i;
        NEXT;
      case Op::kDivU:
      L_kDivU:
        if (R[ip->c].u == 0) return ExecResult::failed("integer division by zero");
        R[ip->a].u = R[ip->b].u / R[ip->c].u;
        NEXT;
      case Op::kModS:
      L_kModS:
        if (R[ip->c].i == 0) return ExecResult::failed("MOD by zero");
        R[ip->a].i = R[ip->c].i == -1 ? 0 : R[ip->b].i % R[ip->c].i;
        NEXT;
      case Op::kModU:
      L_kModU:
        if (R[ip->c].u == 0) return ExecResult::failed("MOD by zero");
        R[ip->a].u = R[ip->b].u % R[ip->c].u;
        NEXT;
      case Op::kNeg:
      L_kNeg:
        R[ip->a].u = 0 - R[ip->b].u;
        NEXT;
      case Op::kSext:
      L_kSext:  // widths outside 1..63 leave the register as it is
        if (ip->x > 0 && ip->x < 64) {
          const unsigned s = 64u - ip->x;
          R[ip->a].i = int64_t(R[ip->a].u << s) >> s;
        }
        NEXT;
      case Op::kZext:
      L_kZext:
        if (ip->x > 0 && ip->x < 64) R[ip->a].u &= (uint64_t{1} << ip->x) - 1;
        NEXT;
      case Op::kAnd:
      L_kAnd:
        R[ip->a].u = R[ip->b].u & R[ip->c].u;
        NEXT;
      case Op::kOr:
      L_kOr:
        R[ip->a].u = R[ip->b].u | R[ip->c].u;
        NEXT;
      case Op::kXor:
      L_kXor:
        R[ip->a].u = R[ip->b].u ^ R[ip->c].u;
        NEXT;
      case Op::kNotB:
      L_kNotB:
        R[ip->a].u = R[ip->b].u ^ 1;
        NEXT;
      case Op::kNot:
      L_kNot:
        R[ip->a].u = ~R[ip->b].u;
        NEXT;
      case Op::kShl:
      L_kShl:
        R[ip->a].u = R[ip->c].u >= 64 ? 0 : R[ip->b].u << R[ip->c].u;
        NEXT;
      case Op::kShr:
      L_kShr:
        R[ip->a].u = R[ip->c].u >= 64 ? 0 : R[ip->b].u >> R[ip->c].u;
        NEXT;
      case Op::kRol:
      L_kRol:
      case Op::kRor:
      L_kRor : {  // width x in 1..64; 0 or more means 64
        const unsigned w = ip->x == 0 || ip->x > 64 ? 64u : ip->x;
        const unsigned n = unsigned(R[ip->c].u % w);
        R[ip->a].u = rotl(R[ip->b].u, ip->op == Op::kRol ? n : (w - n) % w, w);
        NEXT;
      }
      case Op::kEq:
      L_kEq:
        R[ip->a].u = R[ip->b].u == R[ip->c].u;
        NEXT;
      case Op::kNe:
      L_kNe:
        R[ip->a].u = R[ip->b].u != R[ip->c].u;
        NEXT;
      case Op::kLtS:
      L_kLtS:
        R[ip->a].u = R[ip->b].i < R[ip->c].i;
        NEXT;
      case Op::kLeS:
      L_kLeS:
        R[ip->a].u = R[ip->b].i <= R[ip->c].i;
        NEXT;
      case Op::kLtU:
      L_kLtU:
        R[ip->a].u = R[ip->b].u < R[ip->c].u;
        NEXT;
      case Op::kLeU:
      L_kLeU:
        R[ip->a].u = R[ip->b].u <= R[ip->c].u;
        NEXT;
      case Op::kEqF:
      L_kEqF:
        R[ip->a].u = R[ip->b].r == R[ip->c].r;
        NEXT;
      case Op::kNeF:
      L_kNeF:
        R[ip->a].u = R[ip->b].r != R[ip->c].r;
        NEXT;
      case Op::kLtF:
      L_kLtF:
        R[ip->a].u = R[ip->b].r < R[ip->c].r;
        NEXT;
      case Op::kLeF:
      L_kLeF:
        R[ip->a].u = R[ip->b].r <= R[ip->c].r;
        NEXT;
      case Op::kAddF:
      L_kAddF:
        R[ip->a].r = R[ip->b].r + R[ip->c].r;
        NEXT;
      case Op::kSubF:
      L_kSubF:
        R[ip->a].r = R[ip->b].r - R[ip->c].r;
        NEXT;
      case Op::kMulF:
      L_kMulF:
        R[ip->a].r = R[ip->b].r * R[ip->c].r;
        NEXT;
      case Op::kDivF:
      L_kDivF:
        R[ip->a].r = R[ip->b].r / R[ip->c].r;
        NEXT;
      case Op::kNegF:
      L_kNegF:
        R[ip->a].r = -R[ip->b].r;
        NEXT;
      case Op::kF32:
      L_kF32:
        R[ip->a].r = double(float(R[ip->a].r));
        NEXT;
      case Op::kI2F:
      L_kI2F:
        R[ip->a].r = double(R[ip->b].i);
        NEXT;
      case Op::kU2F:
      L_kU2F:
        R[ip->a].r = double(R[ip->b].u);
        NEXT;
      case Op::kF2I:
      L_kF2I:
        R[ip->a].i = f2i(R[ip->b].r);
        NEXT;
      case Op::kJmp:
      L_kJmp:
      case Op::kJz:
      L_kJz:
      case Op::kJnz:
      L_kJnz : {
        if (ip->op == Op::kJz && R[ip->a].u != 0) NEXT;
        if (ip->op == Op::kJnz && R[ip->a].u == 0) NEXT;
        const uint32_t to = target(*ip);
        // Every loop has a backward jump: charge the loop body to the budget.
        if (to < pc && !res.charge(pc - to)) return ExecResult::failed("instruction budget exceeded");
        pc = to;
        NEXT;
      }
      case Op::kBounds:
      L_kBounds:
        if (R[ip->a].i < 0 || R[ip->a].i >= int64_t(ip->b)) [[unlikely]]
          return ExecResult::failed(ip->x ? "dereference of a NULL reference" : "array index out of bounds");
        NEXT;
      case Op::kLoadX:
      L_kLoadX:
        R[ip->a] = R[ip->b + uint32_t(ip->x) * R[ip->c].u];
        NEXT;
      case Op::kStoreX:
      L_kStoreX:
        R[ip->b + uint32_t(ip->x) * R[ip->c].u] = R[ip->a];
        NEXT;
      case Op::kCall:
      L_kCall:
        R[ip->a] = call(Builtin(ip->x), R[ip->b], R[ip->c], res);
        NEXT;
      case Op::kStr:
      L_kStr:
        if (const char* fault = exec_str(*ip, code[pc], R, K)) return ExecResult::failed(fault);
        ++pc;  // the extension word
        NEXT;
      case Op::kRange:
      L_kRange:
        if (ip->x ? (R[ip->a].u < R[ip->b].u || R[ip->a].u > R[ip->c].u)
                  : (R[ip->a].i < R[ip->b].i || R[ip->a].i > R[ip->c].i))
          return ExecResult::failed("value outside its subrange");
        NEXT;
    }
  }
}

#undef NEXT

}  // namespace plc
