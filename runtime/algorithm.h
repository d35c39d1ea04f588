// The execution form of algorithms and guards (IEC 61499-1 5.2.1.4: the
// algorithms of basic FBs; IEC 61131-3 Structured Text compiles into it).
//
// A compact register bytecode. Registers are the instance's own slots
// (inputs, outputs, internals, then hidden temporaries the compiler adds
// as internals named "$tN"), so an algorithm runs on a plain `Value*` with
// no frame to set up. Instructions are 8 bytes and typed: the compiler has
// already decided signed, unsigned or real arithmetic, and inserts SEXT or
// ZEXT after integer operations on types narrower than 64 bits.
//
// Why bytecode rather than a closure tree: one contiguous array per
// algorithm, no pointer chasing or indirect call per node, and the voter's
// guard and algorithm run in a few dozen machine instructions (see
// bench/engine_basic_fb_bench.cc and the instruction counts in README).
//
// Documented run-time rules: integer overflow wraps modulo 2^n (two's
// complement) for every integer type; an integer division or MOD by zero,
// an array index outside its bounds and a value stored into a subrange
// variable outside its limits are run-time faults: the
// algorithm stops there, its effects so far stay, and the fault is
// reported through ResourceObserver::on_fault. REAL division by zero
// follows IEEE 754 (inf, NaN).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/data_type.h"

namespace plc {

enum class Op : uint8_t {
  kEnd,    // stop, no value
  kRet,    // stop, result = R[a]
  kMov,    // R[a] = R[b]
  kLoadK,  // R[a] = K[b]
  // integers (64-bit, wrapping)
  kAdd,
  kSub,
  kMul,
  kDivS,
  kDivU,
  kModS,
  kModU,
  kNeg,
  kSext,  // R[a] = sign-extend low x bits of R[a] (x in 1..63, else no-op)
  kZext,  // R[a] = low x bits of R[a] (x in 1..63, else no-op)
  // bit strings and BOOL (BOOL is 0/1)
  kAnd,
  kOr,
  kXor,
  kNotB /* R[a] = R[b] ^ 1 */,
  kNot /* R[a] = ~R[b] */,
  kShl,
  kShr,
  kRol,
  kRor /* rotate within width x (1..64; 0 means 64) */,
  // comparisons, result BOOL
  kEq,
  kNe,
  kLtS,
  kLeS,
  kLtU,
  kLeU,
  kEqF,
  kNeF,
  kLtF,
  kLeF,
  // reals
  kAddF,
  kSubF,
  kMulF,
  kDivF,
  kNegF,
  kF32,  // R[a] = (float) R[a]: REAL results
  kI2F,
  kU2F,
  kF2I /* truncate toward zero, saturating */,
  // control; target = b | c << 16
  kJmp,
  kJz,
  kJnz,
  // arrays: R[a] = R[b + x*R[c]] / R[b + x*R[c]] = R[a]; R[c] checked by kBounds
  kLoadX,
  kStoreX,
  kBounds,  // fault unless 0 <= R[a] < b (x = 1: R[a] is a dereferenced reference, minus one)
  kCall,    // R[a] = builtin x (R[b], R[c])
  kStr,     // string function x (StrFn), followed by one extension word (StrExt)
  kRange,   // fault unless R[b] <= R[a] <= R[c] (signed; unsigned when x is 1): a subrange's value
};

struct Instr {
  Op op;
  uint8_t x;
  uint16_t a, b, c;
};
static_assert(sizeof(Instr) == 8);

// Builtin functions for kCall (the IEC 61131-3 numeric functions).
enum class Builtin : uint8_t {
  kSqrt,
  kLn,
  kLog,
  kExp,
  kSin,
  kCos,
  kTan,
  kAsin,
  kAcos,
  kAtan,
  kExpt,
  kAbsF,
  kAbsS,
  kRound,         // R[a].i = REAL R[b] rounded to the nearest integer, halves away from zero, saturating
  kRoundU,        // R[a].u = REAL R[b] rounded as kRound, clamped to [0, 2^64-1] (NaN gives 0): ULINT results
  kNowMonotonic,  // R[a] = the resource's time (TIME), as given to Resource::step
  kTruncU,        // R[a].u = REAL R[b] truncated toward zero, clamped as kRoundU: TRUNC into ULINT
};

// String functions (IEC 61131-3 table 29) for kStr. Strings live in slots
// (fb_type.h: slot 0 the length, then the characters); operands named
// "string" below are the first slot of such a variable, "reg" a scalar.
// Positions are 1-based as in the standard. Arguments out of range are
// clamped, never faults: a negative length counts as 0, a position before
// the first character as 1, after the last as the end. A result longer
// than the destination's capacity is cut at the capacity.
//
//   kLoadK     string a := constant string at K[b] (length, then packed characters)
//   kCopy      string a := string b
//   kConcat    string a := string b & string c
//   kLen       reg a := LEN(string b)
//   kLeft      string a := LEFT(string b, reg ext.a)
//   kRight     string a := RIGHT(string b, reg ext.a)
//   kMid       string a := MID(string b, L := reg ext.a, P := reg ext.b)
//   kInsert    string a := INSERT(string b, string c, P := reg ext.a)
//   kDelete    string a := DELETE(string b, L := reg ext.a, P := reg ext.b)
//   kReplace   string a := REPLACE(string b, string c, L := reg ext.a, P := reg ext.b)
//   kFind      reg a := FIND(string b, string c): position, 0 when absent
//   kCompare   reg a := -1, 0 or 1 as string b <, =, > string c (by character codes)
//   kToString  string a := reg b as text (type DataType(ext.a), as format_value without prefix)
//   kFromString reg a := string b parsed as DataType(ext.a); fault when it is not a literal of that type
enum class StrFn : uint8_t {
  kLoadK,
  kCopy,
  kConcat,
  kLen,
  kLeft,
  kRight,
  kMid,
  kInsert,
  kDelete,
  kReplace,
  kFind,
  kCompare,
  kToString,
  kFromString,
};

// The word after a kStr: never executed. x: bytes per character of the
// destination (1 STRING, 2 WSTRING) in the low 4 bits, of the string
// operands in the high 4 bits (0: the destination's; STRING_TO_WSTRING
// reads 1 and writes 2); c: capacity of the destination string in
// characters.
struct StrExt {
  static Instr make(uint8_t width, uint16_t a, uint16_t b, uint16_t capacity, uint8_t source_width = 0) {
    return Instr{Op::kEnd, uint8_t(width | source_width << 4), a, b, capacity};
  }
};

struct Algorithm {
  std::string name;
  std::vector<Instr> code;
  std::vector<Value> constants;
};

// How an execution ended: 16 bytes, returned in registers.
struct ExecResult {
  Value result{.u = 0};         // of kRet
  const char* fault = nullptr;  // static text of the run-time fault, or nullptr

  static ExecResult done(Value v = {.u = 0}) { return {v, nullptr}; }
  static ExecResult failed(const char* what) { return {{.u = 0}, what}; }
};

class Resource;

// Runs `alg` on the registers `regs`. Loops draw from the resource's
// instruction budget; when it runs out the resource pauses the slice (or
// faults when it cannot pause). Defined in interpreter.cc.
ExecResult execute(const Algorithm& alg, Value* regs, Resource& r);

}  // namespace plc
