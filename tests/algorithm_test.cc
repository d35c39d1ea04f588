// The bytecode of runtime/algorithm.h, one TEST_CASE per rule: every Op with
// exact values, and the documented run-time rules (wrapping integers,
// faults for division by zero and bad indices, IEEE reals, the budget).
// Algorithms are built with AlgorithmBuilder inside an FB type and driven the
// way users drive them: set inputs, fire REQ, read outputs and events.
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>

#include "runtime/fb_type_builder.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

using Body = FbTypeBuilder::AlgorithmBody;

constexpr int64_t kMinLint = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxLint = std::numeric_limits<int64_t>::max();
constexpr uint64_t kMaxUlint = std::numeric_limits<uint64_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

Value lint(int64_t v) { return Value::of_int(v); }
Value ulint(uint64_t v) { return Value::of_uint(v); }
Value lreal(double v) { return Value::of_real(v); }

// One instance "X" of `type` in a resource of its own. There is no
// ResourceFiber, so an algorithm that runs out of budget faults.
struct Solo {
  explicit Solo(const FbType& type, ResourceOptions o = {})
      : lib(library_with({type})), rig(FbNetwork{{{"X", type.name, {}, ""}}, {}, {}}, o, lib) {}
  TypeLibrary lib;
  Rig rig;
};

// The simple FB "CALC": REQ (WITH A, B) runs algorithm "Alg", then emits
// CNF (WITH Q).
FbType calc_type(DataType in, DataType out, Body body) {
  return FbTypeBuilder("CALC")
      .event_input("REQ", {"A", "B"})
      .event_output("CNF", {"Q"})
      .input("A", in)
      .input("B", in)
      .output("Q", out)
      .algorithm("Alg", std::move(body))
      .on("REQ", "Alg", {"CNF"})
      .build();
}

struct Calc : Solo {
  Calc(DataType in, DataType out, Body body, ResourceOptions o = {}) : Solo(calc_type(in, out, std::move(body)), o) {}
  // Sets A and B, fires REQ and returns Q; the events it emitted are kept.
  Value operator()(Value a, Value b = Value{.u = 0}) {
    rig.var("X", "A") = a;
    rig.var("X", "B") = b;
    events = rig.fire("X", "REQ");
    return rig.var("X", "Q");
  }
  Events events;
};

// Q := A <op> B; x is the width of a rotation or the builtin of a call.
Body binary(Op op, uint8_t x = 0) {
  return [=](AlgorithmBuilder& b) { b.op(op, b.var("Q"), b.var("A"), b.var("B"), x); };
}
// Q := <op> A
Body unary(Op op) {
  return [=](AlgorithmBuilder& b) { b.op(op, b.var("Q"), b.var("A")); };
}
// Q := A; then <op> on Q in place (kSext, kZext, kF32).
Body in_place(Op op, uint8_t x = 0) {
  return [=](AlgorithmBuilder& b) {
    b.op(Op::kMov, b.var("Q"), b.var("A"));
    b.op(op, b.var("Q"), 0, 0, x);
  };
}
// Q := A <op> B as the compiler emits it for type t narrower than 64 bits:
// the 64-bit operation, then SEXT (signed) or ZEXT (unsigned) to t's width.
Body narrow(Op op, DataType t) {
  return [=](AlgorithmBuilder& b) {
    b.op(op, b.var("Q"), b.var("A"), b.var("B"));
    b.op(is_signed_int(t) ? Op::kSext : Op::kZext, b.var("Q"), 0, 0, uint8_t(bit_width(t)));
  };
}

// A <op> B in a fresh CALC.
Value apply(Op op, DataType in, DataType out, Value a, Value b = Value{.u = 0}, uint8_t x = 0) {
  return Calc(in, out, binary(op, x))(a, b);
}
int64_t signed_op(Op op, int64_t a, int64_t b) {
  return apply(op, DataType::kLint, DataType::kLint, lint(a), lint(b)).i;
}
uint64_t unsigned_op(Op op, uint64_t a, uint64_t b) {
  return apply(op, DataType::kUlint, DataType::kUlint, ulint(a), ulint(b)).u;
}
double real_op(Op op, double a, double b = 0) {
  return apply(op, DataType::kLreal, DataType::kLreal, lreal(a), lreal(b)).r;
}
// The BOOL result of a comparison, as 0 or 1.
uint64_t compare(Op op, DataType t, Value a, Value b) { return apply(op, t, DataType::kBool, a, b).u; }
double builtin(Builtin f, double a, double b = 0) {
  return apply(Op::kCall, DataType::kLreal, DataType::kLreal, lreal(a), lreal(b), uint8_t(f)).r;
}

// The events of one REQ computing A <op> B the compiler's way for type t.
Events narrow_cnf(Op op, DataType t, int64_t a, int64_t b) {
  Calc c(t, t, narrow(op, t));
  c(normalize(t, lint(a)), normalize(t, lint(b)));
  return c.events;
}

// Q := 7; Q := A <op> B; R := TRUE. CNF carries Q.
FbType faulting_division(Op op) {
  return FbTypeBuilder("DIV")
      .event_input("REQ", {"A", "B"})
      .event_output("CNF", {"Q"})
      .input("A", DataType::kLint)
      .input("B", DataType::kLint)
      .output("Q", DataType::kLint)
      .output("R", DataType::kBool)
      .algorithm("Alg",
                 [op](AlgorithmBuilder& b) {
                   b.op(Op::kMov, b.var("Q"), b.constant(lint(7)));
                   b.op(op, b.var("Q"), b.var("A"), b.var("B"));
                   b.op(Op::kMov, b.var("R"), b.constant(Value::of_bool(true)));
                 })
      .on("REQ", "Alg", {"CNF"})
      .build();
}

// The fault rule of algorithm.h for a division-like `op` whose fault reads `what`.
void check_division_by_zero_faults(Op op, const std::string& what) {
  Solo s(faulting_division(op));
  Rig& rig = s.rig;
  rig.var("X", "A") = lint(9);
  rig.var("X", "B") = lint(0);
  CHECK(rig.fire("X", "REQ") == Events{});  // CNF is not emitted
  CHECK(rig.rec->faults == std::vector<std::string>{"X/Alg: " + what});
  CHECK(rig.var("X", "Q").i == 7);  // effects before the fault stay
  CHECK(rig.var("X", "R").u == 0);  // the algorithm stopped at the fault
  CHECK(rig.res->stats().faults == 1);
  // The FB goes on with the next event.
  rig.var("X", "B") = lint(4);
  CHECK(rig.fire("X", "REQ").size() == 1);
  CHECK(rig.var("X", "R").u == 1);
  CHECK(rig.rec->faults.size() == 1);
}

// N := 0; WHILE N <> LIMIT DO N := N + 1; END_WHILE (4 instructions a turn).
FbType counter() {
  return FbTypeBuilder("LOOP")
      .event_input("REQ", {"LIMIT"})
      .event_output("CNF", {"N"})
      .input("LIMIT", DataType::kUlint)
      .output("N", DataType::kUlint)
      .algorithm("Count",
                 [](AlgorithmBuilder& b) {
                   uint16_t one = b.constant(ulint(1)), done = b.temp();
                   b.op(Op::kMov, b.var("N"), b.constant(ulint(0)));
                   auto top = b.new_label(), out = b.new_label();
                   b.bind(top);
                   b.op(Op::kEq, done, b.var("N"), b.var("LIMIT"));
                   b.jump(Op::kJnz, done, out);
                   b.op(Op::kAdd, b.var("N"), b.var("N"), one);
                   b.jump(Op::kJmp, 0, top);
                   b.bind(out);
                 })
      .on("REQ", "Count", {"CNF"})
      .build();
}

// ARR: ARRAY[0..3] OF DINT. GET: Q := ARR[I]; PUT: ARR[I] := V. Both check I.
FbType array_type() {
  return FbTypeBuilder("ARRAY4")
      .event_input("GET", {"I"})
      .event_input("PUT", {"I", "V"})
      .event_output("GOT", {"Q"})
      .event_output("PUT_DONE")
      .input_array("ARR", DataType::kDint, 4)
      .input("I", DataType::kDint)
      .input("V", DataType::kDint)
      .output("Q", DataType::kDint)
      .algorithm("Get",
                 [](AlgorithmBuilder& b) {
                   b.op(Op::kBounds, b.var("I"), 4);
                   b.op(Op::kLoadX, b.var("Q"), b.var("ARR"), b.var("I"), 1);
                 })
      .algorithm("Put",
                 [](AlgorithmBuilder& b) {
                   b.op(Op::kBounds, b.var("I"), 4);
                   b.op(Op::kStoreX, b.var("V"), b.var("ARR"), b.var("I"), 1);
                 })
      .on("GET", "Get", {"GOT"})
      .on("PUT", "Put", {"PUT_DONE"})
      .build();
}

}  // namespace

// ---- moves, constants and stopping ----

TEST_CASE("LOADK and MOV copy all 64 bits of a value", "[algorithm]") {
  Calc k(DataType::kUlint, DataType::kUlint, [](AlgorithmBuilder& b) {
    b.op(Op::kMov, b.var("Q"), b.constant(ulint(0xFEDCBA9876543210)));  // LOADK into a temp, then MOV
  });
  CHECK(k(ulint(0)).u == 0xFEDCBA9876543210);
  Calc mov(DataType::kLreal, DataType::kLreal, unary(Op::kMov));
  CHECK(mov(lreal(-2.5)).r == -2.5);
  CHECK(std::signbit(mov(lreal(-0.0)).r));
  CHECK(std::isnan(mov(lreal(kNan)).r));
}

TEST_CASE("END stops an algorithm: instructions after it do not run", "[algorithm]") {
  Calc c(DataType::kLint, DataType::kLint, [](AlgorithmBuilder& b) {
    b.op(Op::kMov, b.var("Q"), b.constant(lint(1)));
    b.op(Op::kEnd, 0);
    b.op(Op::kMov, b.var("Q"), b.constant(lint(2)));
  });
  CHECK(c(lint(0)).i == 1);
  CHECK(c.events == Events{"X.CNF(Q=1)"});
}

TEST_CASE("RET stops an algorithm and its result is ignored by a simple FB's event", "[algorithm]") {
  Calc c(DataType::kLint, DataType::kLint, [](AlgorithmBuilder& b) {
    b.op(Op::kMov, b.var("Q"), b.var("A"));
    b.op(Op::kRet, b.var("B"));
    b.op(Op::kMov, b.var("Q"), b.var("B"));
  });
  CHECK(c(lint(3), lint(0)).i == 3);
  CHECK(c.events == Events{"X.CNF(Q=3)"});  // a RET of FALSE does not suppress CNF
}

// ---- integers ----

TEST_CASE("integer ADD, SUB and MUL wrap modulo 2^64", "[algorithm][integer]") {
  CHECK(signed_op(Op::kAdd, 2, 3) == 5);
  CHECK(signed_op(Op::kAdd, -2, -3) == -5);
  CHECK(signed_op(Op::kAdd, kMaxLint, 1) == kMinLint);
  CHECK(signed_op(Op::kSub, 2, 3) == -1);
  CHECK(signed_op(Op::kSub, kMinLint, 1) == kMaxLint);
  CHECK(signed_op(Op::kMul, -6, 7) == -42);
  CHECK(signed_op(Op::kMul, kMaxLint, 2) == -2);
  CHECK(signed_op(Op::kMul, int64_t{1} << 32, int64_t{1} << 32) == 0);
  CHECK(unsigned_op(Op::kAdd, kMaxUlint, 1) == 0);
  CHECK(unsigned_op(Op::kSub, 0, 1) == kMaxUlint);
  CHECK(unsigned_op(Op::kMul, 0x8000000000000000, 3) == 0x8000000000000000);
}

TEST_CASE("after SEXT or ZEXT integer arithmetic wraps modulo the width of the type", "[algorithm][integer]") {
  CHECK(narrow_cnf(Op::kAdd, DataType::kSint, 127, 1) == Events{"X.CNF(Q=-128)"});
  CHECK(narrow_cnf(Op::kSub, DataType::kSint, -128, 1) == Events{"X.CNF(Q=127)"});
  CHECK(narrow_cnf(Op::kMul, DataType::kSint, 16, 9) == Events{"X.CNF(Q=-112)"});
  CHECK(narrow_cnf(Op::kAdd, DataType::kUsint, 255, 1) == Events{"X.CNF(Q=0)"});
  CHECK(narrow_cnf(Op::kSub, DataType::kUsint, 0, 1) == Events{"X.CNF(Q=255)"});
  CHECK(narrow_cnf(Op::kMul, DataType::kUsint, 16, 16) == Events{"X.CNF(Q=0)"});
  CHECK(narrow_cnf(Op::kAdd, DataType::kInt, 32767, 1) == Events{"X.CNF(Q=-32768)"});
  CHECK(narrow_cnf(Op::kMul, DataType::kInt, 200, 200) == Events{"X.CNF(Q=-25536)"});
  CHECK(narrow_cnf(Op::kAdd, DataType::kUint, 65535, 1) == Events{"X.CNF(Q=0)"});
  CHECK(narrow_cnf(Op::kSub, DataType::kUint, 0, 1) == Events{"X.CNF(Q=65535)"});
  CHECK(narrow_cnf(Op::kAdd, DataType::kDint, 2147483647, 1) == Events{"X.CNF(Q=-2147483648)"});
  CHECK(narrow_cnf(Op::kSub, DataType::kDint, -2147483648LL, 1) == Events{"X.CNF(Q=2147483647)"});
  CHECK(narrow_cnf(Op::kAdd, DataType::kUdint, 4294967295LL, 1) == Events{"X.CNF(Q=0)"});
  CHECK(narrow_cnf(Op::kSub, DataType::kUdint, 0, 1) == Events{"X.CNF(Q=4294967295)"});
}

TEST_CASE("SEXT sign-extends and ZEXT keeps the low x bits of a register", "[algorithm][integer]") {
  Calc sext8(DataType::kUlint, DataType::kLint, in_place(Op::kSext, 8));
  CHECK(sext8(ulint(0x1FF)).i == -1);
  CHECK(sext8(ulint(0x17F)).i == 127);
  CHECK(sext8(ulint(0x80)).i == -128);
  Calc sext32(DataType::kUlint, DataType::kLint, in_place(Op::kSext, 32));
  CHECK(sext32(ulint(0xFFFFFFFF80000000)).i == -2147483648LL);
  CHECK(sext32(ulint(0x100000005)).i == 5);
  Calc zext8(DataType::kLint, DataType::kUlint, in_place(Op::kZext, 8));
  CHECK(zext8(lint(-1)).u == 0xFF);
  Calc zext16(DataType::kUlint, DataType::kUlint, in_place(Op::kZext, 16));
  CHECK(zext16(ulint(0x12345)).u == 0x2345);
}

TEST_CASE("signed DIV and MOD truncate toward zero like C++", "[algorithm][integer]") {
  CHECK(signed_op(Op::kDivS, 7, 2) == 3);
  CHECK(signed_op(Op::kDivS, -7, 2) == -3);
  CHECK(signed_op(Op::kDivS, 7, -2) == -3);
  CHECK(signed_op(Op::kDivS, -7, -2) == 3);
  CHECK(signed_op(Op::kModS, 7, 2) == 1);
  CHECK(signed_op(Op::kModS, -7, 2) == -1);  // the sign of the dividend
  CHECK(signed_op(Op::kModS, 7, -2) == 1);
  CHECK(signed_op(Op::kModS, -7, -2) == -1);
  CHECK(signed_op(Op::kModS, 5, -1) == 0);
  CHECK(signed_op(Op::kDivS, kMinLint, 1) == kMinLint);
}

TEST_CASE("INT64_MIN / -1 wraps to INT64_MIN and INT64_MIN MOD -1 is 0", "[algorithm][integer]") {
  CHECK(signed_op(Op::kDivS, kMinLint, -1) == kMinLint);
  CHECK(signed_op(Op::kModS, kMinLint, -1) == 0);
  // The narrow types wrap the same way after SEXT.
  CHECK(narrow_cnf(Op::kDivS, DataType::kSint, -128, -1) == Events{"X.CNF(Q=-128)"});
  CHECK(narrow_cnf(Op::kDivS, DataType::kInt, -32768, -1) == Events{"X.CNF(Q=-32768)"});
  CHECK(narrow_cnf(Op::kDivS, DataType::kDint, -2147483648LL, -1) == Events{"X.CNF(Q=-2147483648)"});
}

TEST_CASE("unsigned DIV and MOD treat all 64 bits as magnitude", "[algorithm][integer]") {
  CHECK(unsigned_op(Op::kDivU, 7, 2) == 3);
  CHECK(unsigned_op(Op::kModU, 7, 2) == 1);
  CHECK(unsigned_op(Op::kDivU, uint64_t(-7), 2) == 9223372036854775804u);
  CHECK(unsigned_op(Op::kModU, uint64_t(-7), 2) == 1);
  CHECK(unsigned_op(Op::kModU, kMaxUlint, 10) == 5);
  CHECK(unsigned_op(Op::kDivU, kMaxUlint, kMaxUlint) == 1);
  CHECK(narrow_cnf(Op::kDivU, DataType::kUsint, 255, 16) == Events{"X.CNF(Q=15)"});
}

TEST_CASE("an integer division by zero is a fault: the algorithm stops, earlier effects stay, no CNF",
          "[algorithm][integer][fault]") {
  SECTION("signed") { check_division_by_zero_faults(Op::kDivS, "integer division by zero"); }
  SECTION("unsigned") { check_division_by_zero_faults(Op::kDivU, "integer division by zero"); }
}

// algorithm.h makes MOD by zero a fault like division; the interpreter
// reports it with its own text.
TEST_CASE("an integer MOD by zero is a fault: the algorithm stops, earlier effects stay, no CNF",
          "[algorithm][integer][fault]") {
  SECTION("signed") { check_division_by_zero_faults(Op::kModS, "MOD by zero"); }
  SECTION("unsigned") { check_division_by_zero_faults(Op::kModU, "MOD by zero"); }
}

TEST_CASE("NEG negates modulo 2^64, so -INT64_MIN is INT64_MIN", "[algorithm][integer]") {
  Calc neg(DataType::kLint, DataType::kLint, unary(Op::kNeg));
  CHECK(neg(lint(5)).i == -5);
  CHECK(neg(lint(-5)).i == 5);
  CHECK(neg(lint(0)).i == 0);
  CHECK(neg(lint(kMinLint)).i == kMinLint);
  Calc sint(DataType::kSint, DataType::kSint, [](AlgorithmBuilder& b) {
    b.op(Op::kNeg, b.var("Q"), b.var("A"));
    b.op(Op::kSext, b.var("Q"), 0, 0, 8);
  });
  sint(lint(-128));
  CHECK(sint.events == Events{"X.CNF(Q=-128)"});
}

// ---- bit strings and BOOL ----

TEST_CASE("AND, OR, XOR and NOT work bitwise on all 64 bits", "[algorithm][bits]") {
  CHECK(unsigned_op(Op::kAnd, 0xF0F0, 0xFF00) == 0xF000);
  CHECK(unsigned_op(Op::kOr, 0xF0F0, 0xFF00) == 0xFFF0);
  CHECK(unsigned_op(Op::kXor, 0xF0F0, 0xFF00) == 0x0FF0);
  CHECK(unsigned_op(Op::kAnd, kMaxUlint, 0x8000000000000001) == 0x8000000000000001);
  Calc bit_not(DataType::kLword, DataType::kLword, unary(Op::kNot));
  CHECK(bit_not(ulint(0)).u == kMaxUlint);
  CHECK(bit_not(ulint(0x00FF00FF00FF00FF)).u == 0xFF00FF00FF00FF00);
  Calc byte_not(DataType::kByte, DataType::kByte, [](AlgorithmBuilder& b) {
    b.op(Op::kNot, b.var("Q"), b.var("A"));
    b.op(Op::kZext, b.var("Q"), 0, 0, 8);
  });
  byte_not(ulint(0x0F));
  CHECK(byte_not.events == Events{"X.CNF(Q=240)"});
}

TEST_CASE("NOTB negates a BOOL and AND, OR, XOR combine BOOLs as 0 and 1", "[algorithm][bits]") {
  Calc notb(DataType::kBool, DataType::kBool, unary(Op::kNotB));
  CHECK(notb(Value::of_bool(false)).u == 1);
  CHECK(notb.events == Events{"X.CNF(Q=TRUE)"});
  CHECK(notb(Value::of_bool(true)).u == 0);
  CHECK(notb.events == Events{"X.CNF(Q=FALSE)"});
  Calc bool_xor(DataType::kBool, DataType::kBool, binary(Op::kXor));
  CHECK(bool_xor(Value::of_bool(true), Value::of_bool(true)).u == 0);
  CHECK(bool_xor(Value::of_bool(true), Value::of_bool(false)).u == 1);
}

TEST_CASE("SHL and SHR shift logically and give 0 for counts of 64 or more", "[algorithm][bits]") {
  CHECK(unsigned_op(Op::kShl, 1, 0) == 1);
  CHECK(unsigned_op(Op::kShl, 1, 63) == 0x8000000000000000);
  CHECK(unsigned_op(Op::kShl, 0xFF, 60) == 0xF000000000000000);
  CHECK(unsigned_op(Op::kShl, 1, 64) == 0);
  CHECK(unsigned_op(Op::kShl, kMaxUlint, 100) == 0);
  CHECK(unsigned_op(Op::kShr, 0x8000000000000000, 63) == 1);
  CHECK(unsigned_op(Op::kShr, 0x8000000000000000, 1) == 0x4000000000000000);  // no sign fill
  CHECK(unsigned_op(Op::kShr, kMaxUlint, 64) == 0);
  CHECK(unsigned_op(Op::kShr, kMaxUlint, kMaxUlint) == 0);
  CHECK(narrow_cnf(Op::kShl, DataType::kByte, 0x81, 1) == Events{"X.CNF(Q=2)"});
}

TEST_CASE("ROL and ROR rotate within widths 8, 16, 32 and 64, counts taken modulo the width", "[algorithm][bits]") {
  auto rol = [](unsigned w, uint64_t v, uint64_t n) {
    return apply(Op::kRol, DataType::kLword, DataType::kLword, ulint(v), ulint(n), uint8_t(w)).u;
  };
  auto ror = [](unsigned w, uint64_t v, uint64_t n) {
    return apply(Op::kRor, DataType::kLword, DataType::kLword, ulint(v), ulint(n), uint8_t(w)).u;
  };
  CHECK(rol(8, 0x81, 1) == 0x03);
  CHECK(rol(8, 0x81, 9) == 0x03);
  CHECK(rol(8, 0x81, 0) == 0x81);
  CHECK(ror(8, 0x81, 1) == 0xC0);
  CHECK(ror(8, 0x81, 8) == 0x81);
  CHECK(ror(8, 0x81, 8003) == 0x30);
  CHECK(rol(16, 0x8001, 4) == 0x0018);
  CHECK(ror(16, 0x8001, 4) == 0x1800);
  CHECK(rol(32, 0x80000001, 1) == 0x00000003);
  CHECK(ror(32, 0x80000001, 1) == 0xC0000000);
  CHECK(rol(32, 0x80000001, 36) == 0x00000018);
  CHECK(rol(64, 0x8000000000000001, 1) == 0x3);
  CHECK(ror(64, 0x8000000000000001, 1) == 0xC000000000000000);
  CHECK(rol(64, 0x8000000000000001, 64) == 0x8000000000000001);
  CHECK(ror(64, 0x8000000000000001, 0) == 0x8000000000000001);
  CHECK(ror(64, 0x8000000000000001, 68) == 0x1800000000000000);
}

// ---- comparisons ----

TEST_CASE("EQ and NE compare all 64 bits", "[algorithm][compare]") {
  CHECK(compare(Op::kEq, DataType::kLint, lint(-1), lint(-1)) == 1);
  CHECK(compare(Op::kEq, DataType::kLint, lint(-1), lint(1)) == 0);
  CHECK(compare(Op::kNe, DataType::kLint, lint(-1), lint(1)) == 1);
  CHECK(compare(Op::kNe, DataType::kLint, lint(7), lint(7)) == 0);
  CHECK(compare(Op::kEq, DataType::kUlint, ulint(kMaxUlint), lint(-1)) == 1);  // same bits
}

TEST_CASE("LT_S and LE_S order negative numbers below zero", "[algorithm][compare]") {
  const DataType t = DataType::kLint;
  CHECK(compare(Op::kLtS, t, lint(-1), lint(0)) == 1);
  CHECK(compare(Op::kLtS, t, lint(0), lint(-1)) == 0);
  CHECK(compare(Op::kLtS, t, lint(5), lint(5)) == 0);
  CHECK(compare(Op::kLtS, t, lint(kMinLint), lint(kMaxLint)) == 1);
  CHECK(compare(Op::kLeS, t, lint(-1), lint(0)) == 1);
  CHECK(compare(Op::kLeS, t, lint(5), lint(5)) == 1);
  CHECK(compare(Op::kLeS, t, lint(0), lint(-1)) == 0);
  CHECK(compare(Op::kLeS, t, lint(-3), lint(-4)) == 0);
}

TEST_CASE("LT_U and LE_U order all-ones above zero", "[algorithm][compare]") {
  const DataType t = DataType::kUlint;
  CHECK(compare(Op::kLtU, t, ulint(kMaxUlint), ulint(0)) == 0);
  CHECK(compare(Op::kLtU, t, ulint(0), ulint(kMaxUlint)) == 1);
  CHECK(compare(Op::kLtU, t, ulint(5), ulint(5)) == 0);
  CHECK(compare(Op::kLtU, t, lint(-1), lint(1)) == 0);  // -1 is 2^64 - 1 here
  CHECK(compare(Op::kLeU, t, ulint(5), ulint(5)) == 1);
  CHECK(compare(Op::kLeU, t, ulint(kMaxUlint), ulint(0)) == 0);
  CHECK(compare(Op::kLeU, t, ulint(0x7FFFFFFFFFFFFFFF), ulint(0x8000000000000000)) == 1);
}

TEST_CASE("real comparisons follow IEEE 754: -0 equals 0 and NaN is unordered", "[algorithm][compare][real]") {
  const DataType t = DataType::kLreal;
  CHECK(compare(Op::kEqF, t, lreal(1.5), lreal(1.5)) == 1);
  CHECK(compare(Op::kEqF, t, lreal(1.5), lreal(-1.5)) == 0);
  CHECK(compare(Op::kEqF, t, lreal(0.0), lreal(-0.0)) == 1);
  CHECK(compare(Op::kEq, t, lreal(0.0), lreal(-0.0)) == 0);  // EQ compares bits, not reals
  CHECK(compare(Op::kNeF, t, lreal(1.5), lreal(-1.5)) == 1);
  CHECK(compare(Op::kNeF, t, lreal(0.0), lreal(-0.0)) == 0);
  CHECK(compare(Op::kLtF, t, lreal(-2.5), lreal(-1.0)) == 1);
  CHECK(compare(Op::kLtF, t, lreal(-1.0), lreal(-2.5)) == 0);
  CHECK(compare(Op::kLtF, t, lreal(2.0), lreal(2.0)) == 0);
  CHECK(compare(Op::kLtF, t, lreal(-kInf), lreal(kInf)) == 1);
  CHECK(compare(Op::kLeF, t, lreal(2.0), lreal(2.0)) == 1);
  CHECK(compare(Op::kLeF, t, lreal(-0.5), lreal(-1.0)) == 0);
  // NaN: only NE holds, in both orders, even against itself.
  for (Value other : {lreal(kNan), lreal(1.0), lreal(-kInf)}) {
    CHECK(compare(Op::kEqF, t, lreal(kNan), other) == 0);
    CHECK(compare(Op::kNeF, t, lreal(kNan), other) == 1);
    CHECK(compare(Op::kLtF, t, lreal(kNan), other) == 0);
    CHECK(compare(Op::kLtF, t, other, lreal(kNan)) == 0);
    CHECK(compare(Op::kLeF, t, lreal(kNan), other) == 0);
    CHECK(compare(Op::kLeF, t, other, lreal(kNan)) == 0);
  }
}

// ---- reals ----

TEST_CASE("real ADD, SUB, MUL, DIV and NEG are IEEE 754 double operations", "[algorithm][real]") {
  CHECK(real_op(Op::kAddF, 1.5, 2.25) == 3.75);
  CHECK(real_op(Op::kAddF, 0.1, 0.2) == 0.30000000000000004);
  CHECK(real_op(Op::kSubF, 1.0, 3.5) == -2.5);
  CHECK(real_op(Op::kMulF, 1.5, -4.0) == -6.0);
  CHECK(real_op(Op::kDivF, 7.0, 2.0) == 3.5);
  CHECK(real_op(Op::kDivF, 1.0, 3.0) == Approx(0.3333333333333333));
  CHECK(real_op(Op::kAddF, 1e308, 1e308) == kInf);
  Calc neg(DataType::kLreal, DataType::kLreal, unary(Op::kNegF));
  CHECK(neg(lreal(2.5)).r == -2.5);
  CHECK(neg(lreal(-kInf)).r == kInf);
  CHECK(std::signbit(neg(lreal(0.0)).r));
  CHECK(std::isnan(neg(lreal(kNan)).r));
}

TEST_CASE("a real division by zero gives inf or NaN and is no fault", "[algorithm][real]") {
  Calc div(DataType::kLreal, DataType::kLreal, binary(Op::kDivF));
  CHECK(div(lreal(1.0), lreal(0.0)).r == kInf);
  CHECK(div(lreal(-1.0), lreal(0.0)).r == -kInf);
  CHECK(div(lreal(1.0), lreal(-0.0)).r == -kInf);
  CHECK(std::isnan(div(lreal(0.0), lreal(0.0)).r));
  CHECK(div.events.size() == 1);  // CNF is emitted
  CHECK(div.rig.rec->faults.empty());
}

TEST_CASE("F32 rounds a REAL result to float precision", "[algorithm][real]") {
  Calc f32(DataType::kLreal, DataType::kReal, in_place(Op::kF32));
  CHECK(f32(lreal(0.1)).r == 0.100000001490116119384765625);
  CHECK(f32(lreal(16777217.0)).r == 16777216.0);  // 2^24 + 1 has no float
  CHECK(f32(lreal(0.5)).r == 0.5);
  CHECK(f32(lreal(1e39)).r == kInf);  // beyond FLT_MAX
  CHECK(f32(lreal(-1e39)).r == -kInf);
  // REAL addition the compiler's way: ADDF, then F32.
  Calc add(DataType::kReal, DataType::kReal, [](AlgorithmBuilder& b) {
    b.op(Op::kAddF, b.var("Q"), b.var("A"), b.var("B"));
    b.op(Op::kF32, b.var("Q"));
  });
  CHECK(add(lreal(16777216.0), lreal(1.0)).r == 16777216.0);
  CHECK(add.events == Events{"X.CNF(Q=16777216)"});
}

TEST_CASE("I2F and U2F convert signed and unsigned integers to the nearest double", "[algorithm][real]") {
  Calc i2f(DataType::kLint, DataType::kLreal, unary(Op::kI2F));
  CHECK(i2f(lint(-3)).r == -3.0);
  CHECK(i2f(lint(-1)).r == -1.0);
  CHECK(i2f(lint(kMinLint)).r == -9223372036854775808.0);
  CHECK(i2f(lint(kMaxLint)).r == 9223372036854775808.0);  // rounds up to 2^63
  Calc u2f(DataType::kUlint, DataType::kLreal, unary(Op::kU2F));
  CHECK(u2f(ulint(3)).r == 3.0);
  CHECK(u2f(lint(-1)).r == 18446744073709551616.0);  // the same bits as -1 above
  CHECK(u2f(ulint(0x8000000000000000)).r == 9223372036854775808.0);
}

TEST_CASE("F2I truncates toward zero, saturates at the LINT range and maps NaN to 0", "[algorithm][real]") {
  Calc f2i(DataType::kLreal, DataType::kLint, unary(Op::kF2I));
  CHECK(f2i(lreal(2.7)).i == 2);
  CHECK(f2i(lreal(-2.7)).i == -2);
  CHECK(f2i(lreal(0.5)).i == 0);
  CHECK(f2i(lreal(-0.5)).i == 0);
  CHECK(f2i(lreal(9223372036854774784.0)).i == 9223372036854774784);  // largest double below 2^63
  CHECK(f2i(lreal(9223372036854775808.0)).i == kMaxLint);
  CHECK(f2i(lreal(1e19)).i == kMaxLint);
  CHECK(f2i(lreal(kInf)).i == kMaxLint);
  CHECK(f2i(lreal(-9223372036854775808.0)).i == kMinLint);
  CHECK(f2i(lreal(-1e19)).i == kMinLint);
  CHECK(f2i(lreal(-kInf)).i == kMinLint);
  CHECK(f2i(lreal(kNan)).i == 0);
}

// ---- control ----

TEST_CASE("JZ and JMP form an IF/ELSE", "[algorithm][control]") {
  // IF A < B THEN Q := A; ELSE Q := B; END_IF
  Calc min(DataType::kLint, DataType::kLint, [](AlgorithmBuilder& b) {
    uint16_t less = b.temp();
    auto other = b.new_label(), end = b.new_label();
    b.op(Op::kLtS, less, b.var("A"), b.var("B"));
    b.jump(Op::kJz, less, other);
    b.op(Op::kMov, b.var("Q"), b.var("A"));
    b.jump(Op::kJmp, 0, end);
    b.bind(other);
    b.op(Op::kMov, b.var("Q"), b.var("B"));
    b.bind(end);
  });
  CHECK(min(lint(3), lint(5)).i == 3);
  CHECK(min(lint(5), lint(3)).i == 3);
  CHECK(min(lint(-1), lint(0)).i == -1);
  CHECK(min(lint(4), lint(4)).i == 4);
}

TEST_CASE("JZ jumps on 0 only and JNZ on any other value", "[algorithm][control]") {
  // IF A <> 0 THEN Q := 1 ELSE Q := 2 END_IF, once with JZ and once with JNZ.
  auto if_else = [](Op jump) {
    return [jump](AlgorithmBuilder& b) {
      auto taken = b.new_label(), end = b.new_label();
      const bool jz = jump == Op::kJz;
      b.jump(jump, b.var("A"), taken);
      b.op(Op::kMov, b.var("Q"), b.constant(lint(jz ? 1 : 2)));
      b.jump(Op::kJmp, 0, end);
      b.bind(taken);
      b.op(Op::kMov, b.var("Q"), b.constant(lint(jz ? 2 : 1)));
      b.bind(end);
    };
  };
  for (Op jump : {Op::kJz, Op::kJnz}) {
    Calc c(DataType::kLint, DataType::kLint, if_else(jump));
    CHECK(c(lint(0)).i == 2);
    CHECK(c(lint(1)).i == 1);
    CHECK(c(lint(256)).i == 1);
    CHECK(c(lint(-1)).i == 1);
  }
}

TEST_CASE("a backward JMP forms a counted loop", "[algorithm][control]") {
  // Q := 0; FOR i := 1 TO A DO Q := Q + i; END_FOR
  Calc sum(DataType::kLint, DataType::kLint, [](AlgorithmBuilder& b) {
    uint16_t i = b.temp(), more = b.temp(), one = b.constant(lint(1));
    b.op(Op::kMov, b.var("Q"), b.constant(lint(0)));
    b.op(Op::kMov, i, one);
    auto top = b.new_label(), out = b.new_label();
    b.bind(top);
    b.op(Op::kLeS, more, i, b.var("A"));
    b.jump(Op::kJz, more, out);
    b.op(Op::kAdd, b.var("Q"), b.var("Q"), i);
    b.op(Op::kAdd, i, i, one);
    b.jump(Op::kJmp, 0, top);
    b.bind(out);
  });
  CHECK(sum(lint(10)).i == 55);
  CHECK(sum(lint(1)).i == 1);
  CHECK(sum(lint(0)).i == 0);
  CHECK(sum(lint(-5)).i == 0);
  CHECK(sum(lint(1000)).i == 500500);
  CHECK(sum.events == Events{"X.CNF(Q=500500)"});
}

TEST_CASE("a jump reaches targets beyond instruction 65535 (target = b | c << 16)", "[algorithm][control]") {
  Calc far(DataType::kLint, DataType::kLint, [](AlgorithmBuilder& b) {
    auto end = b.new_label();
    b.op(Op::kMov, b.var("Q"), b.var("A"));
    b.jump(Op::kJmp, 0, end);
    for (int k = 0; k < 70000; ++k) b.op(Op::kMov, b.var("Q"), b.var("B"));
    b.bind(end);
    b.op(Op::kAdd, b.var("Q"), b.var("Q"), b.var("A"));
  });
  CHECK(far(lint(21), lint(-1)).i == 42);
}

TEST_CASE("a loop longer than the instruction budget faults without a fiber; a larger budget lets it finish",
          "[algorithm][control][budget]") {
  ResourceOptions small;
  small.instruction_budget = 1000;
  Solo s(counter(), small);
  s.rig.var("X", "LIMIT") = ulint(1000);  // about 4000 instructions
  CHECK(s.rig.fire("X", "REQ") == Events{});
  CHECK(s.rig.rec->faults == std::vector<std::string>{"X/Count: instruction budget exceeded"});
  CHECK(s.rig.var("X", "N").u > 0);  // effects before the fault stay
  CHECK(s.rig.var("X", "N").u < 1000);
  CHECK(s.rig.res->stats().faults == 1);

  ResourceOptions large;
  large.instruction_budget = 10000;
  Solo l(counter(), large);
  l.rig.var("X", "LIMIT") = ulint(1000);
  CHECK(l.rig.fire("X", "REQ") == Events{"X.CNF(N=1000)"});
  CHECK(l.rig.rec->faults.empty());
}

// ---- arrays ----

TEST_CASE("LOADX and STOREX read and write the elements of an ARRAY input", "[algorithm][array]") {
  Solo s(array_type());
  Rig& rig = s.rig;
  Value* arr = &rig.var("X", "ARR");
  for (int k = 0; k < 4; ++k) arr[k] = lint(10 * (k + 1));
  for (int k = 0; k < 4; ++k) {
    rig.var("X", "I") = lint(k);
    CHECK(rig.fire("X", "GET") == Events{"X.GOT(Q=" + std::to_string(10 * (k + 1)) + ")"});
  }
  rig.var("X", "I") = lint(2);
  rig.var("X", "V") = lint(-7);
  CHECK(rig.fire("X", "PUT") == Events{"X.PUT_DONE"});
  CHECK(arr[0].i == 10);
  CHECK(arr[1].i == 20);
  CHECK(arr[2].i == -7);
  CHECK(arr[3].i == 40);
  rig.var("X", "I") = lint(3);
  rig.var("X", "V") = lint(99);
  rig.fire("X", "PUT");
  CHECK(arr[3].i == 99);
  CHECK(rig.fire("X", "GET") == Events{"X.GOT(Q=99)"});
  CHECK(rig.rec->faults.empty());
}

TEST_CASE("BOUNDS faults for an index below 0 or not below the array size", "[algorithm][array][fault]") {
  Solo s(array_type());
  Rig& rig = s.rig;
  Value* arr = &rig.var("X", "ARR");
  for (int k = 0; k < 4; ++k) arr[k] = lint(k + 1);
  rig.var("X", "Q") = lint(-99);
  rig.var("X", "V") = lint(42);
  for (int64_t bad : {int64_t{-1}, int64_t{4}, kMinLint, kMaxLint}) {
    rig.var("X", "I") = lint(bad);
    CHECK(rig.fire("X", "GET") == Events{});
    CHECK(rig.fire("X", "PUT") == Events{});
  }
  CHECK(rig.rec->faults.size() == 8);
  CHECK(rig.rec->faults[0] == "X/Get: array index out of bounds");
  CHECK(rig.rec->faults[1] == "X/Put: array index out of bounds");
  CHECK(rig.var("X", "Q").i == -99);                     // nothing was loaded
  for (int k = 0; k < 4; ++k) CHECK(arr[k].i == k + 1);  // nothing was stored
  rig.var("X", "I") = lint(3);
  CHECK(rig.fire("X", "GET") == Events{"X.GOT(Q=4)"});
}

// ---- builtins ----

TEST_CASE("CALL computes the IEC 61131-3 numeric functions", "[algorithm][call]") {
  using std::numbers::pi;
  CHECK(builtin(Builtin::kSqrt, 2.0) == 1.4142135623730951);
  CHECK(builtin(Builtin::kSqrt, 16.0) == 4.0);
  CHECK(std::isnan(builtin(Builtin::kSqrt, -1.0)));
  CHECK(builtin(Builtin::kLn, 1.0) == 0.0);
  CHECK(builtin(Builtin::kLn, std::numbers::e) == Approx(1.0));
  CHECK(builtin(Builtin::kLn, 0.0) == -kInf);
  CHECK(builtin(Builtin::kLog, 1000.0) == Approx(3.0));
  CHECK(builtin(Builtin::kLog, 1.0) == 0.0);
  CHECK(builtin(Builtin::kExp, 0.0) == 1.0);
  CHECK(builtin(Builtin::kExp, 1.0) == Approx(std::numbers::e));
  CHECK(builtin(Builtin::kSin, 0.0) == 0.0);
  CHECK(builtin(Builtin::kSin, pi / 2) == Approx(1.0));
  CHECK(builtin(Builtin::kCos, 0.0) == 1.0);
  CHECK(builtin(Builtin::kCos, pi) == Approx(-1.0));
  CHECK(builtin(Builtin::kTan, 0.0) == 0.0);
  CHECK(builtin(Builtin::kTan, pi / 4) == Approx(1.0));
  CHECK(builtin(Builtin::kAsin, 1.0) == Approx(pi / 2));
  CHECK(std::isnan(builtin(Builtin::kAsin, 2.0)));
  CHECK(builtin(Builtin::kAcos, 1.0) == 0.0);
  CHECK(builtin(Builtin::kAcos, -1.0) == Approx(pi));
  CHECK(builtin(Builtin::kAtan, 1.0) == Approx(pi / 4));
  CHECK(builtin(Builtin::kAtan, kInf) == Approx(pi / 2));
  CHECK(builtin(Builtin::kExpt, 2.0, 10.0) == 1024.0);
  CHECK(builtin(Builtin::kExpt, 2.0, -1.0) == 0.5);
  CHECK(builtin(Builtin::kExpt, 9.0, 0.5) == 3.0);
  CHECK(builtin(Builtin::kAbsF, -2.5) == 2.5);
  CHECK(builtin(Builtin::kAbsF, 2.5) == 2.5);
  CHECK_FALSE(std::signbit(builtin(Builtin::kAbsF, -0.0)));
  CHECK(builtin(Builtin::kAbsF, -kInf) == kInf);
}

TEST_CASE("CALL of integer ABS negates negative LINTs and wraps at INT64_MIN", "[algorithm][call]") {
  auto abs = [](int64_t v) {
    return apply(Op::kCall, DataType::kLint, DataType::kLint, lint(v), lint(0), uint8_t(Builtin::kAbsS)).i;
  };
  CHECK(abs(-7) == 7);
  CHECK(abs(7) == 7);
  CHECK(abs(0) == 0);
  CHECK(abs(-kMaxLint) == kMaxLint);
  CHECK(abs(kMinLint) == kMinLint);
}

// ---- guards ----

TEST_CASE("the RET value of a guard algorithm decides an ECC transition", "[algorithm][ecc]") {
  // START -REQ [10 < A]-> BIG, START -REQ-> SMALL; both go back at once.
  // The guard is three instructions, so the ECC runs it in the interpreter;
  // the MOV after its RET must not run.
  FbType sort = FbTypeBuilder("SORT")
                    .event_input("REQ", {"A"})
                    .event_output("BIG")
                    .event_output("SMALL")
                    .input("A", DataType::kLint)
                    .internal("SEEN", DataType::kBool)
                    .algorithm("IsBig",
                               [](AlgorithmBuilder& b) {
                                 uint16_t big = b.temp();
                                 b.op(Op::kLtS, big, b.constant(lint(10)), b.var("A"));
                                 b.op(Op::kRet, big);
                                 b.op(Op::kMov, b.var("SEEN"), b.constant(Value::of_bool(true)));
                               })
                    .state("START")
                    .state("BIG", {{"", "BIG"}})
                    .state("SMALL", {{"", "SMALL"}})
                    .transition("START", "BIG", "REQ", "IsBig")
                    .transition("START", "SMALL", "REQ")
                    .transition("BIG", "START", "")
                    .transition("SMALL", "START", "")
                    .build();
  Solo s(sort);
  Rig& rig = s.rig;
  rig.var("X", "A") = lint(11);
  CHECK(rig.fire("X", "REQ") == Events{"X.BIG"});
  rig.var("X", "A") = lint(10);
  CHECK(rig.fire("X", "REQ") == Events{"X.SMALL"});
  rig.var("X", "A") = lint(-100);
  CHECK(rig.fire("X", "REQ") == Events{"X.SMALL"});
  rig.var("X", "A") = lint(kMaxLint);
  CHECK(rig.fire("X", "REQ") == Events{"X.BIG"});
  CHECK(rig.var("X", "SEEN").u == 0);
  CHECK(rig.rec->faults.empty());
}
