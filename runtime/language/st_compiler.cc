// Structured Text -> bytecode. See st_compiler.h for the typing rules.
//
// Code generation is a single pass over the tree. Variables are registers
// already (instance slots), so reading a scalar variable emits nothing;
// every operator writes a fresh temporary, and an assignment retargets the
// last instruction to the variable when it can (`State := A AND B` is one
// kAnd into State, not a kAnd and a kMov).
#include "runtime/language/st_compiler.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>

#include "runtime/algorithm_builder.h"
#include "runtime/language/suggest.h"
#include "runtime/type_library.h"

namespace plc::lang {
namespace {

// ------------------------------------------------------------------ types

struct Ty {
  enum Kind : uint8_t { kTyped, kFlexInt, kFlexReal, kError, kVoid, kNull };
  Kind kind = kTyped;
  DataType dt = DataType::kBool;
  uint16_t len = 0;  // STRING capacity (0: default)
  std::shared_ptr<const StructType> st;
  uint32_t array_size = 0;  // of the first dimension
  int64_t lo = 0;
  std::vector<ArrayDim> inner;         // the further dimensions: each element of the first is an array
  std::shared_ptr<const EnumType> en;  // an enumerated type (stored as dt)
  bool subrange = false;               // an integer subrange: what is stored is checked
  int64_t range_lo = 0, range_hi = 0;
  std::shared_ptr<const Ty> ref;  // REF_TO *ref: a ULINT slot, 0 (NULL) or 1 + the slot referred to

  static Ty scalar(DataType d) {
    Ty t;
    t.dt = d;
    return t;
  }
  static Ty error() {
    Ty t;
    t.kind = kError;
    return t;
  }
  static Ty flex_int() {
    Ty t;
    t.kind = kFlexInt;
    t.dt = DataType::kLint;
    return t;
  }
  static Ty null() {  // the literal NULL, of every reference type
    Ty t;
    t.kind = kNull;
    t.dt = DataType::kUlint;
    return t;
  }
  static Ty flex_real() {
    Ty t;
    t.kind = kFlexReal;
    t.dt = DataType::kLreal;
    return t;
  }
  static Ty of(const VarDecl& v) {
    Ty t;
    t.dt = v.type;
    t.len = v.string_length;
    t.st = v.struct_type;
    t.array_size = v.array_size;
    t.lo = v.array_lo;
    if (v.array_dims.size() > 1) {
      t.array_size = v.array_dims[0].size;
      t.inner.assign(v.array_dims.begin() + 1, v.array_dims.end());
    }
    t.en = v.enum_type;
    t.subrange = v.subrange;
    t.range_lo = v.range_lo;
    t.range_hi = v.range_hi;
    if (v.ref_to) t.ref = std::make_shared<const Ty>(of(*v.ref_to));
    return t;
  }
  static Ty of(std::shared_ptr<const EnumType> e) {
    Ty t = scalar(e->base);
    t.en = std::move(e);
    return t;
  }

  bool bad() const { return kind == kError; }
  bool flex() const { return kind == kFlexInt || kind == kFlexReal; }
  bool is_array() const { return kind == kTyped && array_size != 0; }
  bool is_string() const {
    return kind == kTyped && !array_size && (dt == DataType::kString || dt == DataType::kWstring);
  }
  bool is_struct() const { return kind == kTyped && !array_size && dt == DataType::kStruct; }
  bool is_scalar() const { return kind == kTyped && !array_size && !is_string() && dt != DataType::kStruct && !ref; }
  bool is_ref() const { return kind == kTyped && ref; }
  uint16_t capacity() const { return len ? len : VarDecl::kDefaultStringLength; }
  Ty element() const {
    Ty t = *this;
    t.array_size = 0;
    t.lo = 0;
    if (!inner.empty()) {
      t.array_size = inner[0].size;
      t.lo = inner[0].lo;
      t.inner.erase(t.inner.begin());
    }
    return t;
  }
  VarDecl decl() const { return VarDecl{"", dt, {}, 0, len, st}; }
  // The slots of one element of the first dimension (a row of a
  // multi-dimensional array).
  uint32_t element_slots() const {
    uint32_t n = decl().element_slots();
    for (const ArrayDim& d : inner) n *= d.size;
    return n;
  }
};

bool is_int(DataType d) {
  return is_signed_int(d) || (is_unsigned_int(d) && d >= DataType::kUsint && d <= DataType::kUlint);
}
bool is_bits(DataType d) { return d == DataType::kBool || (d >= DataType::kByte && d <= DataType::kLword); }
bool is_time_like(DataType d) { return d >= DataType::kTime && d <= DataType::kDateAndTime; }

bool int_int(const Ty& t) { return t.kind == Ty::kFlexInt || (t.is_scalar() && is_int(t.dt)); }
bool num(const Ty& t) { return t.flex() || (t.is_scalar() && (is_int(t.dt) || is_real(t.dt))); }

std::string describe(const Ty& t) {
  switch (t.kind) {
    case Ty::kFlexInt: return "an integer literal";
    case Ty::kFlexReal: return "a REAL literal";
    case Ty::kError: return "<error>";
    case Ty::kVoid: return "no value";
    case Ty::kNull: return "NULL";
    case Ty::kTyped: break;
  }
  if (t.ref) return "REF_TO " + describe(*t.ref);
  std::string el;
  if (t.en) el = t.en->name;
  else if (t.dt == DataType::kStruct) el = t.st ? t.st->name : "STRUCT";
  else el = std::string(type_name(t.dt));
  if ((t.dt == DataType::kString || t.dt == DataType::kWstring) && t.len) el += "[" + std::to_string(t.len) + "]";
  if (t.subrange) el += " (" + std::to_string(t.range_lo) + ".." + std::to_string(t.range_hi) + ")";
  if (!t.array_size) return el;
  std::string dims = std::to_string(t.lo) + ".." + std::to_string(t.lo + int64_t(t.array_size) - 1);
  for (const ArrayDim& d : t.inner)
    dims += ", " + std::to_string(d.lo) + ".." + std::to_string(d.lo + int64_t(d.size) - 1);
  return "ARRAY[" + dims + "] OF " + el;
}

// Direct implicit widening (IEC 61131-3 figure 11); widens() takes the
// transitive closure.
const std::vector<DataType>& wider_than(DataType d) {
  using D = DataType;
  static const std::map<D, std::vector<D>> edges = {
      {D::kSint, {D::kInt, D::kReal}},
      {D::kInt, {D::kDint, D::kReal}},
      {D::kDint, {D::kLint, D::kLreal}},
      {D::kUsint, {D::kUint, D::kInt, D::kReal}},
      {D::kUint, {D::kUdint, D::kDint, D::kReal}},
      {D::kUdint, {D::kUlint, D::kLint, D::kLreal}},
      {D::kReal, {D::kLreal}},
      {D::kBool, {D::kByte}},
      {D::kByte, {D::kWord}},
      {D::kWord, {D::kDword}},
      {D::kDword, {D::kLword}},
  };
  static const std::vector<D> none;
  auto it = edges.find(d);
  return it == edges.end() ? none : it->second;
}

bool widens(DataType from, DataType to) {
  if (from == to) return true;
  for (DataType n : wider_than(from))
    if (widens(n, to)) return true;
  return false;
}

// The smallest type both widen to, if any.
std::optional<DataType> join(DataType a, DataType b) {
  using D = DataType;
  static const D order[] = {D::kBool, D::kByte,  D::kWord, D::kDword, D::kLword, D::kUsint, D::kSint, D::kUint,
                            D::kInt,  D::kUdint, D::kDint, D::kUlint, D::kLint,  D::kReal,  D::kLreal};
  if (widens(a, b)) return b;
  if (widens(b, a)) return a;
  for (D c : order)
    if (widens(a, c) && widens(b, c)) return c;
  return std::nullopt;
}

// Smallest real an integer type widens to.
DataType real_for(DataType d) { return widens(d, DataType::kReal) ? DataType::kReal : DataType::kLreal; }

bool same_shape(const Ty& a, const Ty& b) {
  if (a.array_size != b.array_size || a.dt != b.dt || a.inner.size() != b.inner.size()) return false;
  for (size_t k = 0; k < a.inner.size(); ++k)
    if (a.inner[k].size != b.inner[k].size) return false;
  if (a.dt == DataType::kStruct) return a.st == b.st || (a.st && b.st && a.st->name == b.st->name);
  if (a.array_size && (a.dt == DataType::kString || a.dt == DataType::kWstring)) return a.capacity() == b.capacity();
  return true;
}

// Two references of one type: REF_TO the same type.
bool same_reference(const Ty& a, const Ty& b) {
  return a.ref && b.ref && same_shape(*a.ref, *b.ref) && describe(*a.ref) == describe(*b.ref);
}

// ------------------------------------------------------------- code values

// An evaluated expression. Scalars are in register `reg` (a temp or the
// variable's own slot); strings, arrays and structs start at slot `reg`.
// Flexible literals are not materialised yet: their value is in `k`.
struct Val {
  Ty ty;
  uint16_t reg = 0;
  Value k{.u = 0};
  bool temp = false;  // reg is a temporary of this statement
  // A string literal: the index of its load (kStr kLoadK and its StrExt),
  // whose character width coerce() may still change.
  int64_t literal_load = -1;
  static Val error() { return Val{Ty::error()}; }
};

// Where a variable (or an element or member of one) lives.
struct Place {
  Ty ty;
  uint32_t base = 0;   // first slot
  int offset = -1;     // register with a dynamic slot offset (already scaled), or -1
  bool input = false;  // a VAR_INPUT of the FB: read-only for algorithms
  std::string name;
  bool instance_output = false;  // an output of an FB instance (T.Q): read-only
  bool constant = false;         // a VAR CONSTANT (or an element, a member of one)
  int bit = -1;                  // x.3: one bit (a BOOL) of the integer at base/offset, of type `word`
  DataType word = DataType::kBool;
  bool temporary = false;  // a VAR_TEMP or a function's variable: gone when the algorithm or call ends
};

struct Local {
  std::string name;  // as written
  VarDecl decl;
  uint16_t slot;
};

// One function of the standard library (IEC 61131-3 2.5.1.5).
enum class Fn : uint8_t {
  kAbs,
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
  kShl,
  kShr,
  kRol,
  kRor,
  kMin,
  kMax,
  kLimit,
  kSel,
  kMux,
  kMove,
  kTrunc,
  kLen,
  kLeft,
  kRight,
  kMid,
  kConcat,
  kInsert,
  kDelete,
  kReplace,
  kFind,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kAnd,
  kOr,
  kXor,
  kNot,
  kGt,
  kGe,
  kEq,
  kLe,
  kLt,
  kNe,
  kNowMonotonic,
};

struct FnInfo {
  Fn fn;
  std::vector<const char*> formals;  // parameter names in order; "" for extensible
  int min_args, max_args;            // max -1: extensible
};

const std::map<std::string, FnInfo>& functions() {
  static const std::map<std::string, FnInfo> f = {
      {"ABS", {Fn::kAbs, {"IN"}, 1, 1}},
      {"SQRT", {Fn::kSqrt, {"IN"}, 1, 1}},
      {"LN", {Fn::kLn, {"IN"}, 1, 1}},
      {"LOG", {Fn::kLog, {"IN"}, 1, 1}},
      {"EXP", {Fn::kExp, {"IN"}, 1, 1}},
      {"SIN", {Fn::kSin, {"IN"}, 1, 1}},
      {"COS", {Fn::kCos, {"IN"}, 1, 1}},
      {"TAN", {Fn::kTan, {"IN"}, 1, 1}},
      {"ASIN", {Fn::kAsin, {"IN"}, 1, 1}},
      {"ACOS", {Fn::kAcos, {"IN"}, 1, 1}},
      {"ATAN", {Fn::kAtan, {"IN"}, 1, 1}},
      {"EXPT", {Fn::kExpt, {"IN1", "IN2"}, 2, 2}},
      {"SHL", {Fn::kShl, {"IN", "N"}, 2, 2}},
      {"SHR", {Fn::kShr, {"IN", "N"}, 2, 2}},
      {"ROL", {Fn::kRol, {"IN", "N"}, 2, 2}},
      {"ROR", {Fn::kRor, {"IN", "N"}, 2, 2}},
      {"MIN", {Fn::kMin, {}, 2, -1}},
      {"MAX", {Fn::kMax, {}, 2, -1}},
      {"LIMIT", {Fn::kLimit, {"MN", "IN", "MX"}, 3, 3}},
      {"SEL", {Fn::kSel, {"G", "IN0", "IN1"}, 3, 3}},
      {"MUX", {Fn::kMux, {}, 2, -1}},
      {"MOVE", {Fn::kMove, {"IN"}, 1, 1}},
      {"TRUNC", {Fn::kTrunc, {"IN"}, 1, 1}},
      {"LEN", {Fn::kLen, {"IN"}, 1, 1}},
      {"LEFT", {Fn::kLeft, {"IN", "L"}, 2, 2}},
      {"RIGHT", {Fn::kRight, {"IN", "L"}, 2, 2}},
      {"MID", {Fn::kMid, {"IN", "L", "P"}, 3, 3}},
      {"CONCAT", {Fn::kConcat, {}, 2, -1}},
      {"INSERT", {Fn::kInsert, {"IN1", "IN2", "P"}, 3, 3}},
      {"DELETE", {Fn::kDelete, {"IN", "L", "P"}, 3, 3}},
      {"REPLACE", {Fn::kReplace, {"IN1", "IN2", "L", "P"}, 4, 4}},
      {"FIND", {Fn::kFind, {"IN1", "IN2"}, 2, 2}},
      {"ADD", {Fn::kAdd, {}, 2, -1}},
      {"SUB", {Fn::kSub, {"IN1", "IN2"}, 2, 2}},
      {"MUL", {Fn::kMul, {}, 2, -1}},
      {"DIV", {Fn::kDiv, {"IN1", "IN2"}, 2, 2}},
      {"MOD", {Fn::kMod, {"IN1", "IN2"}, 2, 2}},
      {"AND", {Fn::kAnd, {}, 2, -1}},
      {"OR", {Fn::kOr, {}, 2, -1}},
      {"XOR", {Fn::kXor, {}, 2, -1}},
      {"NOT", {Fn::kNot, {"IN"}, 1, 1}},
      {"GT", {Fn::kGt, {"IN1", "IN2"}, 2, -1}},
      {"GE", {Fn::kGe, {"IN1", "IN2"}, 2, -1}},
      {"EQ", {Fn::kEq, {"IN1", "IN2"}, 2, -1}},
      {"LE", {Fn::kLe, {"IN1", "IN2"}, 2, -1}},
      {"LT", {Fn::kLt, {"IN1", "IN2"}, 2, -1}},
      {"NE", {Fn::kNe, {"IN1", "IN2"}, 2, 2}},
      {"NOW_MONOTONIC", {Fn::kNowMonotonic, {}, 0, 0}},
  };
  return f;
}

// ---------------------------------------------------------------- compiler

using Chain = std::vector<const FunctionDef*>;  // the functions being checked, outermost first
void check_function(FunctionDef& f, const TypeScope& scope, Diagnostics& diags, Chain& chain);

// Past this depth of inlined calls (F calls G calls ...) the call is refused.
constexpr size_t kMaxInlineDepth = 16;
// Past these an algorithm (with its inlined functions) is refused: they
// bound the work of compiling functions that call others many times.
constexpr size_t kMaxCode = size_t(1) << 20;
constexpr uint32_t kMaxInlinedCalls = 2000;
// Statements nested this deep (an algorithm's own and its inlined
// functions' together) are refused: the compiler recurses over them, and
// it must fit a thread's stack even built with AddressSanitizer (the NIF
// runs it on a large stack of its own: nif/big_stack.h).
constexpr int kMaxStatementDepth = 400;

class Gen {
 public:
  Gen(std::string_view file, Interface& iface, Diagnostics& diags, std::string name,
      const std::vector<std::string>& unresolved, const TypeScope& scope, Chain* chain = nullptr)
      : file_(file),
        iface_(iface),
        diags_(diags),
        sink_(&diags),
        scope_(scope),
        chain_(chain ? chain : &own_chain_),
        b_(iface, name),
        name_(std::move(name)),
        unresolved_(unresolved) {}

  bool failed() const { return errors_ != 0; }

  // The FB instances of the FB type whose algorithm this is.
  void set_instances(const FbInstances* instances) { instances_ = instances; }
  void set_constants(const Constants* values, const std::vector<std::string>* names) {
    constants_ = values;
    constant_names_ = names;
  }

  // Checks what an FB instance's declaration may not have; reports it.
  bool instance_declaration(const VarDeclAst& v, const FunctionDef& fb) {
    if (v.type.is_array) {
      error(v.type.loc, "arrays of FB instances are not supported ('" + v.name.text + "')");
      return false;
    }
    if (!v.initial.empty()) {
      std::vector<VarDecl> scratch;
      declare_instance("i", fb, scratch);
      if (std::string why = initialise_instance("i", fb, v.initial, scratch); !why.empty()) {
        error(v.initial_loc, "FB instance '" + v.name.text + "': " + why);
        return false;
      }
    }
    return true;
  }

  // The limits of the engine's 16-bit operands, checked once at the end.
  void check_size(Loc at) {
    if (b_.constant_count() > UINT16_MAX || b_.size() > kMaxCode)
      error(at, "'" + name_ + "' is too large once its functions are inlined (" + std::to_string(b_.size()) +
                    " instructions, " + std::to_string(b_.constant_count()) + " constants)");
  }

  // The standalone check of a user function: its declarations resolved
  // into `f`, its body compiled once (here, in a scratch interface) for its
  // diagnostics. True when it has none.
  bool function_check(FunctionDef& f) {
    const FunctionAst& a = *f.ast;
    bool ok = true;
    std::vector<std::string> seen{a.name.text};
    const std::string kind = a.function_block ? "function block '" : "function '";
    auto resolve = [&](const std::vector<VarDeclAst>& list, std::vector<VarDecl>& out, bool memory = false) {
      for (const VarDeclAst& v : list) {
        if (v.retain && !a.function_block) {
          error(v.name.loc, "RETAIN variable '" + v.name.text + "' in function '" + a.name.text +
                                "': a function has no memory to retain (IEC 61131-3 6.6.2)");
          ok = false;
        }
        for (const std::string& n : seen)
          if (same_identifier(n, v.name.text)) {
            error(v.name.loc, "duplicate variable '" + v.name.text + "' in " + kind + a.name.text + "'");
            ok = false;
          }
        seen.push_back(v.name.text);
        if (auto fb = function_block_type(v.type, scope_)) {
          bool good = false;
          if (!memory) {
            error(v.type.loc,
                  a.function_block
                      ? "FB instance '" + v.name.text + "' must be declared in VAR, not as an input, output or VAR_TEMP"
                      : "function '" + a.name.text + "' cannot hold an instance of function block '" +
                            fb->ast->name.text + "': a function has no memory (IEC 61131-3 6.6.2)");
          } else {
            if (fb->state == FunctionDef::State::kUnchecked) check_function(*fb, scope_, diags_, *chain_);
            if (fb->state == FunctionDef::State::kChecking)
              error(v.type.loc, "function block '" + a.name.text + "' contains an instance of itself (" +
                                    chain_text(*fb) + "): an FB cannot hold itself");
            else good = instance_declaration(v, *fb) && fb->state == FunctionDef::State::kOk;
          }
          if (good) {
            f.instances.push_back({v.name.text, fb});
            f.instance_initials.push_back(v.initial);
            continue;
          }
          ok = false;
          unresolved_.push_back(v.name.text);
          continue;
        }
        auto d = resolve_var(v, scope_, file_, diags_, &f.constants);
        if (!d) {
          ok = false;
          unresolved_.push_back(v.name.text);
          continue;
        }
        out.push_back(*d);
      }
    };
    f.inputs.clear();
    f.outputs.clear();
    f.locals.clear();
    f.result.reset();
    f.in_outs.clear();
    f.temps.clear();
    f.instances.clear();
    f.instance_initials.clear();
    f.constants.clear();
    f.constant_names.clear();
    const size_t errors = diags_.error_count();
    collect_constants(a.locals, file_, diags_, f.constants);
    for (const VarDeclAst& v : a.locals)
      if (v.constant) f.constant_names.push_back(v.name.text);
    if (diags_.error_count() != errors) ok = false;
    resolve(a.inputs, f.inputs);
    resolve(a.outputs, f.outputs);
    resolve(a.in_outs, f.in_outs);
    resolve(a.locals, f.locals, a.function_block);
    resolve(a.temps, f.temps);
    if (a.function_block) {  // compiled once in an instance of its own
      // The size of an instance, counted before its variables are made: FBs
      // holding several instances of FBs that do so grow exponentially.
      uint64_t slots = 0;
      for (const auto* list : {&f.inputs, &f.outputs, &f.locals})
        for (const VarDecl& d : *list) slots += d.slots();
      for (const auto& i : f.instances) slots += i.second->instance_slots;
      if (slots > kMaxDataSlots) {
        error(a.name.loc, "an instance of function block '" + a.name.text + "' would need more than " +
                              std::to_string(kMaxDataSlots) + " slots of data");
        return false;
      }
      f.instance_slots = uint32_t(slots);
      const std::string path = name_ + ".check";
      declare_instance(path, f, iface_.internals);
      Frame fr = instance_frame(f, path);
      for (size_t k = f.inputs.size() + f.outputs.size() + f.locals.size(); k < fr.vars.size(); ++k)
        initialise(fr.vars[k]);
      scratch_references(f, fr);
      body(f, std::move(fr), false);
      return ok && !failed();
    }
    if (!a.result.name.empty()) {
      f.result = resolve_var(VarDeclAst{a.name, a.result, "", {}}, scope_, file_, diags_);
      if (!f.result) {
        ok = false;
        unresolved_.push_back(a.name.text);
      }
    }
    Frame fr = frame(f);
    for (const Local& l : fr.vars) initialise(l);
    scratch_references(f, fr);
    body(f, std::move(fr), false);
    if (ok && !failed() && f.result && !assigns(a.body, a.name.text))
      diags_.warning(where(file_, a.name.loc.line, a.name.loc.col),
                     "function '" + a.name.text + "' never assigns its result: it returns the initial value of " +
                         describe(Ty::of(*f.result)));
    return ok && !failed();
  }
  // Always ends in an explicit kEnd: the extension word after a final kStr
  // looks like one to AlgorithmBuilder::build, but is never executed.
  Algorithm build(bool terminate) {
    if (terminate) b_.op(Op::kEnd, 0);
    return b_.build();
  }

  // A VAR_TEMP; `d` is nullopt when its declaration had an error (reported).
  void temp(const VarDeclAst& decl, const std::optional<VarDecl>& d) {
    if (!d) {
      unresolved_.push_back(decl.name.text);
      return;
    }
    for (const Local& l : locals_)
      if (same_identifier(l.name, decl.name.text)) error(decl.name.loc, "duplicate VAR_TEMP '" + decl.name.text + "'");
    VarDecl hidden = *d;
    hidden.name = "$" + name_ + "." + d->name;
    if (!iface_.find_internal(hidden.name)) iface_.internals.push_back(hidden);
    uint16_t slot = uint16_t(iface_.internal_slot(*iface_.find_internal(hidden.name)));
    locals_.push_back({decl.name.text, *d, slot});
    // VAR_TEMPs start from their initial values at every run.
    std::vector<Value> init(d->slots());
    write_initial(*d, init.data());
    for (size_t s = 0; s < init.size(); ++s) b_.op(Op::kLoadK, uint16_t(slot + s), b_.add_constant(init[s]));
  }

  void block(const Block& stmts) {
    for (const auto& s : stmts)
      if (s) statement(*s);
  }

  void guard(const Expr& e) {
    temps_used_ = temp_floor_;
    at_ = e.loc;
    Val v = expr(e);
    if (v.ty.bad()) return;
    v = coerce(v, Ty::scalar(DataType::kBool), e.loc, "a transition condition");
    if (v.ty.bad()) return;
    b_.op(Op::kRet, v.reg);
  }

  void error(Loc at, std::string message) {
    ++errors_;
    sink_->error(where(file_, at.line, at.col), std::move(message));
  }

 private:
  // One inlined call of a user function: its variables in slots of its
  // own (hidden internals named after the call site), RETURN jumps to `end`.
  struct Frame {
    const FunctionDef* fn = nullptr;
    std::vector<Local> vars;                          // inputs, outputs, locals, then the result
    std::vector<std::pair<std::string, Place>> refs;  // VAR_IN_OUT: the caller's variables themselves
    AlgorithmBuilder::Label end = 0;
    std::string path;  // a function block's: the instance, "Outer.Inner" (its slots are "Outer.Inner.<variable>")
  };
  struct Loop {
    AlgorithmBuilder::Label exit, next;  // EXIT, CONTINUE
  };
  // For the standalone check: VAR_IN_OUTs refer to scratch variables of their type.
  void scratch_references(const FunctionDef& f, Frame& fr) {
    for (const VarDecl& d : f.in_outs) {
      VarDecl hidden = d;
      hidden.name = "$" + name_ + ".in_out." + d.name;
      fr.refs.push_back({d.name, Place{Ty::of(d), new_internal(std::move(hidden)), -1, false, d.name}});
    }
  }

  // ---- registers
  // Temporary $tN, shared by the algorithms of the type. Inlined functions
  // use many, so they are found in a map, made once per algorithm.
  uint16_t temp() {
    const uint32_t n = temps_used_++;
    if (!temps_mapped_) {
      temps_mapped_ = true;
      uint32_t slot = iface_.internal_slot(0);
      for (const VarDecl& d : iface_.internals) {
        if (d.name.size() > 2 && d.name.size() < 12 && d.name.rfind("$t", 0) == 0 &&
            d.name.find_first_not_of("0123456789", 2) == std::string::npos)
          temp_slots_.emplace(uint32_t(std::stoul(d.name.substr(2))), slot);
        slot += d.slots();
      }
    }
    if (auto it = temp_slots_.find(n); it != temp_slots_.end()) return checked_slot(it->second);
    const uint16_t slot = new_internal({"$t" + std::to_string(n), DataType::kLword, {}, 0, 0, nullptr});
    temp_slots_.emplace(n, slot);
    return slot;
  }
  uint16_t string_temp(DataType dt, uint16_t cap) {
    std::string name =
        "$s" + std::to_string(cap) + (dt == DataType::kWstring ? "w" : "") + "_" + std::to_string(temps_used_++);
    if (!iface_.find_internal(name)) iface_.internals.push_back({name, dt, {}, 0, cap, nullptr});
    return slot_of_internal(name);
  }
  // A hidden internal of a name no other has (a call site's): no lookup.
  uint16_t new_internal(VarDecl d) {
    const uint32_t s = iface_.slot_count();  // the slot of the internal appended next
    iface_.internals.push_back(std::move(d));
    return checked_slot(s);
  }
  uint16_t slot_of_internal(const std::string& name) {
    return checked_slot(iface_.internal_slot(*iface_.find_internal(name)));
  }
  uint16_t checked_slot(uint32_t s) {
    if (s > kMaxDataSlots) {
      if (!too_big_) error(at_, "the FB type needs more than " + std::to_string(kMaxDataSlots) + " slots of data");
      too_big_ = true;
      return 0;
    }
    return uint16_t(s);
  }
  uint16_t constant(Value v) {
    uint16_t r = temp();
    b_.op(Op::kLoadK, r, b_.add_constant(v));
    return r;
  }
  void bind(AlgorithmBuilder::Label l) {
    b_.bind(l);
    label_floor_ = b_.size();
  }

  // ---- statements
  void statement(const Stmt& s) {
    // The parser bounds the nesting of one body; inlined functions stack
    // their bodies, so the compiler's recursion is bounded here too.
    if (stmt_depth_ >= kMaxStatementDepth) {
      error(s.loc, "statements nested too deeply once functions are inlined");
      return;
    }
    ++stmt_depth_;
    statement_(s);
    --stmt_depth_;
  }

  void statement_(const Stmt& s) {
    temps_used_ = temp_floor_;
    at_ = s.loc;
    switch (s.kind) {
      case StmtKind::kAssign: assign(s); break;
      case StmtKind::kIf: if_(s); break;
      case StmtKind::kCase: case_(s); break;
      case StmtKind::kFor: for_(s); break;
      case StmtKind::kWhile: while_(s); break;
      case StmtKind::kRepeat: repeat_(s); break;
      case StmtKind::kExit:
        if (loops_.empty()) error(s.loc, "EXIT outside of a loop");
        else b_.jump(Op::kJmp, 0, loops_.back().exit);
        break;
      case StmtKind::kContinue:
        if (loops_.empty()) error(s.loc, "CONTINUE outside of a loop");
        else b_.jump(Op::kJmp, 0, loops_.back().next);
        break;
      case StmtKind::kReturn:
        if (frames_.empty()) b_.op(Op::kEnd, 0);
        else b_.jump(Op::kJmp, 0, frames_.back().end);
        break;
      case StmtKind::kCall:
        if (s.value) {
          statement_call_ = true;
          Val v = expr(*s.value);
          statement_call_ = false;
          (void)v;
        }
        break;
    }
  }

  void assign(const Stmt& s) {
    if (!s.target || !s.value) return;
    if (s.target->kind == ExprKind::kName && !is_variable(s.target->text) &&
        scope_.find_global_constant(s.target->text)) {
      error(s.target->loc, "cannot assign to '" + s.target->text + "': it is a constant (VAR_GLOBAL CONSTANT)");
      expr(*s.value);
      return;
    }
    if (s.target->kind == ExprKind::kName)
      if (auto in = instance(s.target->text)) {
        error(s.target->loc, "cannot assign to FB instance '" + in->name + "' (of " + in->fb->ast->name.text +
                                 "): give its inputs in a call, or assign one (" + in->name + "." + first_input(*in) +
                                 " := ...)");
        expr(*s.value);
        return;
      }
    auto p = place(*s.target);
    if (!p) {
      expr(*s.value);  // still check it
      return;
    }
    read_only(*p, s.target->loc);
    control_variable(*p, s.target->loc);
    if (p->offset >= 0 && p->ty.is_array()) {
      error(s.target->loc, "assigning a whole array selected by a variable index is not supported");
      expr(*s.value);
      return;
    }
    hint_ = &p->ty;
    Val v = expr(*s.value);
    hint_ = nullptr;
    store(*p, v, s.value->loc);
  }

  // Reports a write to an input of the FB or an output of an FB instance.
  void read_only(const Place& p, Loc at) {
    if (p.input) error(at, "cannot assign to input variable '" + p.name + "'");
    if (p.instance_output) error(at, "cannot assign to '" + p.name + "': the outputs of an FB instance are read-only");
    if (p.constant) error(at, "cannot assign to '" + p.name + "': it is a constant (VAR CONSTANT)");
  }

  // The VAR CONSTANTs visible here: the FB type's, or the inlined body's.
  const std::vector<std::string>* constant_names() const {
    return frames_.empty() ? constant_names_ : &frames_.back().fn->constant_names;
  }
  const Constant* constant(std::string_view name) const {
    const Constants* list = frames_.empty() ? constants_ : &frames_.back().fn->constants;
    if (const Constant* c = list ? find_constant(*list, name) : nullptr) return c;
    if (is_variable(name)) return nullptr;
    const Constant* g = scope_.find_global_constant(name);
    return g && (is_signed_int(g->type) || is_unsigned_int(g->type)) ? g : nullptr;
  }

  // A global constant read where no variable has its name: its value.
  std::optional<Val> global_constant(const Expr& e) {
    if (is_variable(e.text) || instance(e.text)) return std::nullopt;
    const Constant* g = scope_.find_global_constant(e.text);
    if (!g) return std::nullopt;
    return Val{Ty::scalar(g->type), constant(g->value), {}, true};
  }

  // A FOR loop's control variable is only changed by the loop itself.
  void control_variable(const Place& p, Loc at) {
    for (uint32_t c : control_vars_)
      if (p.offset < 0 && p.base == c && !p.ty.bad()) {
        error(at, "cannot assign to FOR control variable '" + p.name + "' inside its loop");
        return;
      }
  }

  void store(const Place& p, Val v, Loc at) {
    if (v.ty.bad() || p.ty.bad()) return;
    const Val given = v;
    v = coerce(v, p.ty, at, "'" + p.name + "'");
    if (v.ty.bad()) return;
    if (p.ty.subrange && p.ty.is_scalar() && !range_check(p, given, v.reg, at)) return;
    if (p.bit >= 0) {  // word := (word AND NOT mask) OR (bit SHL n), in the word's type
      uint16_t w = temp();
      b_.op(Op::kMov, w, bit_word(p));
      b_.op(Op::kAnd, w, w, constant(Value::of_uint(~(uint64_t(1) << p.bit))));
      uint16_t b = temp();
      b_.op(Op::kShl, b, v.reg, constant(Value::of_uint(uint64_t(p.bit))));
      b_.op(Op::kOr, w, w, b);
      normalise(w, p.word);
      if (p.offset < 0) b_.op(Op::kMov, uint16_t(p.base), w);
      else b_.op(Op::kStoreX, w, uint16_t(p.base), uint16_t(p.offset), 1);
      return;
    }
    if (p.offset >= 0 && !p.ty.is_scalar()) {  // a STRING or structure element at a variable index
      uint16_t from = v.reg;
      if (p.ty.is_string()) {  // cut to the element's capacity first
        from = string_temp(p.ty.dt, p.ty.capacity());
        str(StrFn::kCopy, from, v.reg, 0, p.ty, 0, 0);
      }
      copy_indexed(p, from, true);
      return;
    }
    if (p.ty.is_scalar() || p.ty.is_ref()) {
      if (p.offset >= 0) {
        b_.op(Op::kStoreX, v.reg, uint16_t(p.base), uint16_t(p.offset), 1);
      } else if (v.reg != p.base && !(v.temp && retarget(v.reg, uint16_t(p.base)))) {
        b_.op(Op::kMov, uint16_t(p.base), v.reg);
      }
      return;
    }
    if (p.ty.is_string()) {
      if (v.reg != p.base) str(StrFn::kCopy, uint16_t(p.base), v.reg, 0, p.ty, 0, 0);
      return;
    }
    // Arrays and structures: copy slot by slot.
    uint32_t n = p.ty.decl().slots();
    if (p.ty.is_array()) n = p.ty.element_slots() * p.ty.array_size;
    for (uint32_t k = 0; k < n; ++k) b_.op(Op::kMov, uint16_t(p.base + k), uint16_t(v.reg + k));
  }

  // A value stored into a subrange (IEC 61131-3 6.4.4.4): a constant is
  // checked now, an expression at run time, before the store (a fault, as
  // an array index out of bounds), unless it is a variable whose own range is within.
  bool range_check(const Place& p, const Val& v, uint16_t reg, Loc at) {
    const Ty& t = p.ty;
    const bool u = !is_signed_int(t.dt);
    auto outside = [&](Value x) {
      return u ? x.u < uint64_t(t.range_lo) || x.u > uint64_t(t.range_hi) : x.i < t.range_lo || x.i > t.range_hi;
    };
    if (v.ty.kind == Ty::kFlexInt) {
      if (!outside(v.k)) return true;
      error(at, "value " + (u ? std::to_string(v.k.u) : std::to_string(v.k.i)) + " is outside the subrange " +
                    std::to_string(t.range_lo) + ".." + std::to_string(t.range_hi) + " of '" + p.name + "'");
      return false;
    }
    if (!v.temp && v.ty.subrange && v.ty.range_lo >= t.range_lo && v.ty.range_hi <= t.range_hi) return true;
    b_.op(Op::kRange, reg, constant(Value::of_int(t.range_lo)), constant(Value::of_int(t.range_hi)), u ? 1 : 0);
    return true;
  }

  // A whole STRING or structure element at a variable index, copied slot
  // by slot out of its place into the block at `block`, or into its place.
  void copy_indexed(const Place& p, uint16_t block, bool into_place) {
    const uint32_t n = p.ty.element_slots();
    for (uint32_t k = 0; k < n; ++k)
      b_.op(into_place ? Op::kStoreX : Op::kLoadX, uint16_t(block + k), uint16_t(p.base + k), uint16_t(p.offset), 1);
  }
  // Slots for one value of a STRING or structure type.
  uint16_t block_of(const Ty& t) {
    if (t.is_string()) return string_temp(t.dt, t.capacity());
    return new_internal({"$" + name_ + ".element" + std::to_string(elements_++), t.dt, {}, 0, 0, t.st});
  }

  // Makes the instructions that produced temp `t` write `dst` instead.
  bool retarget(uint16_t t, uint16_t dst) {
    size_t k = b_.size();
    auto in_place = [](Op o) { return o == Op::kSext || o == Op::kZext || o == Op::kF32; };
    while (k > label_floor_ && b_.at(k - 1).a == t && in_place(b_.at(k - 1).op)) --k;
    if (k <= label_floor_) return false;
    Instr& producer = b_.at(k - 1);
    switch (producer.op) {
      case Op::kEnd:
      case Op::kRet:
      case Op::kJmp:
      case Op::kJz:
      case Op::kJnz:
      case Op::kStoreX:
      case Op::kBounds:
      case Op::kRange:
      case Op::kStr: return false;
      default: break;
    }
    if (producer.a != t || in_place(producer.op)) return false;
    for (size_t j = k - 1; j < b_.size(); ++j) b_.at(j).a = dst;
    return true;
  }

  uint16_t condition(const Expr& e, const char* what) {
    Val v = expr(e);
    if (v.ty.bad()) return 0;
    v = coerce(v, Ty::scalar(DataType::kBool), e.loc, what);
    return v.reg;
  }

  void if_(const Stmt& s) {
    auto end = b_.new_label();
    for (size_t k = 0; k < s.conds.size(); ++k) {
      temps_used_ = temp_floor_;
      auto next = b_.new_label();
      if (s.conds[k]) b_.jump(Op::kJz, condition(*s.conds[k], "an IF condition"), next);
      if (k < s.bodies.size()) block(s.bodies[k]);
      b_.jump(Op::kJmp, 0, end);
      bind(next);
    }
    if (s.bodies.size() > s.conds.size()) block(s.bodies.back());
    bind(end);
  }

  void case_(const Stmt& s) {
    if (!s.value) return;
    Val sel = expr(*s.value);
    if (!sel.ty.bad() && !int_int(sel.ty) &&
        !(sel.ty.is_scalar() && is_bits(sel.ty.dt) && sel.ty.dt != DataType::kBool)) {
      error(s.value->loc, "CASE selector must be an integer or bit string, not " + describe(sel.ty));
      sel = Val::error();
    }
    if (sel.ty.flex()) sel = coerce(sel, Ty::scalar(DataType::kLint), s.value->loc, "the CASE selector");
    auto end = b_.new_label();
    std::vector<AlgorithmBuilder::Label> bodies;
    std::vector<std::pair<int64_t, int64_t>> seen;
    for (size_t k = 0; k < s.labels.size(); ++k) {
      bodies.push_back(b_.new_label());
      for (const CaseLabel& l : s.labels[k]) {
        auto lo = case_label(l.lo.get(), sel.ty), hi = l.hi ? case_label(l.hi.get(), sel.ty) : lo;
        if (!lo || !hi || sel.ty.bad()) continue;
        for (auto [a, b] : seen)
          if (*lo <= b && a <= *hi) {
            error(l.lo->loc, "CASE label " + std::to_string(*lo) + (l.hi ? ".." + std::to_string(*hi) : "") +
                                 " overlaps an earlier label");
            break;
          }
        seen.push_back({*lo, *hi});
        const bool u = sel.ty.is_scalar() && !is_signed_int(sel.ty.dt);
        uint16_t t = temp();
        if (!l.hi) {
          b_.op(Op::kEq, t, sel.reg, constant(Value::of_int(*lo)));
          b_.jump(Op::kJnz, t, bodies.back());
        } else {
          auto skip = b_.new_label();
          b_.op(u ? Op::kLeU : Op::kLeS, t, constant(Value::of_int(*lo)), sel.reg);
          b_.jump(Op::kJz, t, skip);
          b_.op(u ? Op::kLeU : Op::kLeS, t, sel.reg, constant(Value::of_int(*hi)));
          b_.jump(Op::kJnz, t, bodies.back());
          bind(skip);
        }
      }
    }
    auto else_ = b_.new_label();
    b_.jump(Op::kJmp, 0, else_);
    for (size_t k = 0; k < bodies.size(); ++k) {
      bind(bodies[k]);
      if (k < s.bodies.size()) block(s.bodies[k]);
      b_.jump(Op::kJmp, 0, end);
    }
    bind(else_);
    if (s.bodies.size() > s.labels.size()) block(s.bodies.back());
    bind(end);
  }

  std::optional<int64_t> case_label(const Expr* e, const Ty& sel) {
    if (!e) return std::nullopt;
    if (sel.en) {  // labels are values of the selector's enumerated type
      const bool named = e->kind == ExprKind::kName || (e->kind == ExprKind::kLiteral && starts_name(e->text));
      auto v = named ? enum_literal(*sel.en, e->text) : std::nullopt;
      if (!v) {
        error(e->loc, "CASE label '" + e->text + "' is not a value of " + sel.en->name);
        return std::nullopt;
      }
      return *v;
    }
    if (e->kind == ExprKind::kName)
      if (const Constant* c = constant(e->text)) {  // IEC 61131-3 allows constants as CASE labels
        Ty ct = Ty::scalar(c->type);
        if (!sel.bad() && sel.is_scalar() && !widens(c->type, sel.dt) && c->type != sel.dt) {
          error(e->loc, "CASE label '" + c->name + "' is " + describe(ct) + ", the selector " + describe(sel));
          return std::nullopt;
        }
        return is_signed_int(c->type) ? c->value.i : int64_t(c->value.u);
      }
    Val v = expr(*e);
    if (v.ty.bad()) return std::nullopt;
    if (v.ty.kind != Ty::kFlexInt) {
      // Typed literals are constants too.
      if (!(e->kind == ExprKind::kLiteral && v.ty.is_scalar() && (is_int(v.ty.dt) || is_bits(v.ty.dt)))) {
        error(e->loc, "CASE label must be an integer constant");
        return std::nullopt;
      }
      return literal_value(*e);
    }
    if (!sel.bad() && sel.is_scalar() && !fits(v.k, sel.dt)) {
      error(e->loc, "CASE label " + std::to_string(v.k.i) + " is out of the range of " + describe(sel));
      return std::nullopt;
    }
    return v.k.i;
  }

  std::optional<int64_t> literal_value(const Expr& e) {
    auto [dt, text] = split_typed(e.text);
    auto v = parse_literal(*dt, e.text);
    if (!v) return std::nullopt;
    return v->i;
  }

  void for_(const Stmt& s) {
    if (!s.target || !s.value || !s.limit) return;
    auto p = place(*s.target);
    if (!p || p->ty.bad()) return unusable_for(s);
    if (p->offset >= 0 || !p->ty.is_scalar() || !is_int(p->ty.dt) || s.target->kind != ExprKind::kName) {
      error(s.target->loc, "FOR control variable must be a variable of an integer type");
      return unusable_for(s);
    }
    read_only(*p, s.target->loc);
    control_variable(*p, s.target->loc);  // an inner FOR on the same variable
    // A 64-bit counter runs the loop, so reaching the limit of the control
    // variable's type cannot wrap it around into an endless loop.
    const uint16_t counter = temp(), limit = temp(), step = temp(), flag = temp();
    store_to(counter, expr(*s.value), p->ty, s.value->loc, "the FOR start");
    store_to(limit, expr(*s.limit), p->ty, s.limit->loc, "the FOR limit");
    int step_sign = 1;
    if (s.step) {
      Val st = expr(*s.step);
      if (st.ty.kind == Ty::kFlexInt) step_sign = st.k.i > 0 ? 1 : st.k.i < 0 ? -1 : 0;
      else step_sign = 2;  // decided at run time
      if (!is_signed_int(p->ty.dt) && st.ty.kind == Ty::kFlexInt && st.k.i < 0) {
        error(s.step->loc, "FOR with a negative step needs a signed control variable");
      }
      store_to(step, st, p->ty, s.step->loc, "the FOR step");
    } else {
      b_.op(Op::kLoadK, step, b_.add_constant(Value::of_int(1)));
    }
    const uint32_t saved_floor = temp_floor_;
    temp_floor_ = temps_used_;
    control_vars_.push_back(p->base);
    auto top = b_.new_label(), end = b_.new_label(), next = b_.new_label();
    loops_.push_back({end, next});
    bind(top);
    const bool u = !is_signed_int(p->ty.dt);
    auto test = [&](bool up) { b_.op(u ? Op::kLeU : Op::kLeS, flag, up ? counter : limit, up ? limit : counter); };
    if (step_sign == 2) {
      auto down = b_.new_label(), go = b_.new_label();
      uint16_t zero = flag;
      b_.op(Op::kLoadK, zero, b_.add_constant(Value::of_int(0)));
      b_.op(Op::kLtS, flag, step, zero);
      b_.jump(Op::kJnz, flag, down);
      test(true);
      b_.jump(Op::kJmp, 0, go);
      bind(down);
      test(false);
      bind(go);
    } else {
      test(step_sign >= 0);
    }
    b_.jump(Op::kJz, flag, end);
    b_.op(Op::kMov, uint16_t(p->base), counter);
    if (!s.bodies.empty()) block(s.bodies[0]);
    temps_used_ = temp_floor_;
    bind(next);
    b_.op(Op::kAdd, counter, counter, step);
    b_.jump(Op::kJmp, 0, top);
    bind(end);
    loops_.pop_back();
    control_vars_.pop_back();
    temp_floor_ = saved_floor;
  }

  // A FOR whose control variable was reported: the rest is still checked.
  void unusable_for(const Stmt& s) {
    for (const Expr* e : {s.value.get(), s.limit.get(), s.step.get()})
      if (e) expr(*e);
    auto end = b_.new_label();
    loops_.push_back({end, end});
    if (!s.bodies.empty()) block(s.bodies[0]);
    loops_.pop_back();
    bind(end);
  }

  // Evaluates `v`, converted to type `t`, into register `dst`.
  void store_to(uint16_t dst, Val v, const Ty& t, Loc at, const std::string& what) {
    if (v.ty.bad()) return;
    v = coerce(v, t, at, what);
    if (v.ty.bad()) return;
    if (!(v.temp && retarget(v.reg, dst))) b_.op(Op::kMov, dst, v.reg);
  }

  void while_(const Stmt& s) {
    auto top = b_.new_label(), end = b_.new_label();
    bind(top);
    temps_used_ = temp_floor_;
    if (!s.conds.empty() && s.conds[0]) b_.jump(Op::kJz, condition(*s.conds[0], "a WHILE condition"), end);
    loops_.push_back({end, top});
    if (!s.bodies.empty()) block(s.bodies[0]);
    loops_.pop_back();
    b_.jump(Op::kJmp, 0, top);
    bind(end);
  }

  void repeat_(const Stmt& s) {
    auto top = b_.new_label(), end = b_.new_label(), next = b_.new_label();
    bind(top);
    loops_.push_back({end, next});
    if (!s.bodies.empty()) block(s.bodies[0]);
    loops_.pop_back();
    bind(next);
    temps_used_ = temp_floor_;
    if (!s.conds.empty() && s.conds[0]) b_.jump(Op::kJz, condition(*s.conds[0], "a REPEAT condition"), top);
    bind(end);
  }

  // ---- places
  const Local* local(std::string_view name) const {
    for (const Local& l : locals_)
      if (same_identifier(l.name, name)) return &l;
    return nullptr;
  }

  std::optional<Place> variable(const Expr& e) {
    if (!frames_.empty()) return frame_variable(e);
    if (const Local* l = local(e.text)) {
      Place p{Ty::of(l->decl), l->slot, -1, false, l->name};
      p.temporary = true;
      return p;
    }
    if (auto k = iface_.find_input(e.text))
      return Place{Ty::of(iface_.inputs[*k]), iface_.input_slot(*k), -1, true, iface_.inputs[*k].name};
    if (auto k = iface_.find_output(e.text))
      return Place{Ty::of(iface_.outputs[*k]), iface_.output_slot(*k), -1, false, iface_.outputs[*k].name};
    if (auto k = iface_.find_internal(e.text); k && e.text[0] != '$')
      return Place{Ty::of(iface_.internals[*k]), iface_.internal_slot(*k), -1, false, iface_.internals[*k].name};
    for (const std::string& n : unresolved_)
      if (same_identifier(n, e.text)) return Place{Ty::error(), 0, -1, false, n};  // its declaration was reported
    if (not_an_instance(e)) return std::nullopt;
    std::vector<std::string> names;
    for (const auto* list : {&iface_.inputs, &iface_.outputs, &iface_.internals})
      for (const auto& v : *list) names.push_back(v.name);
    for (const Local& l : locals_) names.push_back(l.name);
    std::string msg = "unknown variable '" + e.text + "'" + did_you_mean(e.text, names);
    if (iface_.find_event_input(e.text) || iface_.find_event_output(e.text))
      msg = "'" + e.text + "' is an event, not a variable";
    error(e.loc, msg);
    return std::nullopt;
  }

  // Inside a function only its own variables are visible (IEC 61131-3
  // 6.6.2.1: a function has no access to its caller's variables). Its
  // inputs are copies: the body may change them.
  std::optional<Place> frame_variable(const Expr& e) {
    const Frame& fr = frames_.back();
    for (const auto& [name, p] : fr.refs)
      if (same_identifier(name, e.text)) {
        Place q = p;
        q.temporary = true;  // bound for this call only
        return q;
      }
    for (const Local& l : fr.vars)
      if (same_identifier(l.name, e.text)) {
        Place p{Ty::of(l.decl), l.slot, -1, false, l.name};
        // A function's variables live for the call; a function block
        // instance's, but its VAR_TEMPs, are the instance's own.
        p.temporary = !fr.fn->function_block() || is_temp_of(*fr.fn, l.name);
        return p;
      }
    for (const std::string& n : unresolved_)
      if (same_identifier(n, e.text)) return Place{Ty::error(), 0, -1, false, n};
    if (not_an_instance(e)) return std::nullopt;
    std::vector<std::string> names;
    for (const Local& l : fr.vars) names.push_back(l.name);
    for (const auto& r : fr.refs) names.push_back(r.first);
    error(e.loc, "unknown variable '" + e.text + "' in " +
                     (fr.fn->function_block() ? "function block '" : "function '") + fr.fn->ast->name.text + "'" +
                     did_you_mean(e.text, names));
    return std::nullopt;
  }

  static bool is_temp_of(const FunctionDef& f, const std::string& name) {
    for (const VarDecl& d : f.temps)
      if (same_identifier(d.name, name)) return true;
    return false;
  }

  std::optional<Place> place(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kDeref: return dereference(e);
      case ExprKind::kName: {
        auto p = variable(e);
        if (const auto* names = constant_names(); p && names)
          for (const std::string& n : *names) p->constant |= same_identifier(n, e.text);
        return p;
      }
      case ExprKind::kIndex: {
        if (e.args.size() != 2 || !e.args[0] || !e.args[1]) return std::nullopt;
        auto p = place(*e.args[0]);
        if (!p || p->ty.bad()) {
          expr(*e.args[1]);
          return p;
        }
        if (!p->ty.is_array()) {
          error(e.loc, "'" + p->name + "' is not an array (it is " + describe(p->ty) + ")");
          return std::nullopt;
        }
        Val i = expr(*e.args[1]);
        if (i.ty.bad()) return std::nullopt;
        if (!int_int(i.ty)) {
          error(e.args[1]->loc, "array index must be an integer, not " + describe(i.ty));
          return std::nullopt;
        }
        Ty el = p->ty.element();
        const uint32_t stride = p->ty.element_slots();  // of one element: a row of a multi-dimensional array
        p->name += "[]";
        if (i.ty.flex()) {  // constant index: checked now
          if (i.k.i < p->ty.lo || i.k.i >= p->ty.lo + int64_t(p->ty.array_size)) {
            error(e.args[1]->loc, "index " + std::to_string(i.k.i) + " is out of the bounds of " + describe(p->ty));
            return std::nullopt;
          }
          const uint32_t off = uint32_t(i.k.i - p->ty.lo) * stride;
          if (p->offset >= 0) {
            uint16_t t = temp();
            b_.op(Op::kAdd, t, uint16_t(p->offset), constant(Value::of_uint(off)));
            p->offset = t;
          } else {
            p->base += off;
          }
          p->ty = el;
          return p;
        }
        uint16_t idx = temp();
        if (p->ty.lo != 0) b_.op(Op::kSub, idx, i.reg, constant(Value::of_int(p->ty.lo)));
        else b_.op(Op::kMov, idx, i.reg);
        if (p->ty.array_size > UINT16_MAX) {
          error(e.loc, "arrays over 65535 elements cannot be indexed by a variable");
          return std::nullopt;
        }
        b_.op(Op::kBounds, idx, uint16_t(p->ty.array_size));
        if (stride != 1) b_.op(Op::kMul, idx, idx, constant(Value::of_uint(stride)));
        if (p->offset >= 0) b_.op(Op::kAdd, idx, idx, uint16_t(p->offset));
        p->offset = idx;
        p->ty = el;
        return p;
      }
      case ExprKind::kMember: {
        if (e.args.empty() || !e.args[0]) return std::nullopt;
        if (e.args[0]->kind == ExprKind::kName)
          if (auto in = instance(e.args[0]->text)) return instance_member(*in, e);
        auto p = place(*e.args[0]);
        if (!p || p->ty.bad()) return p;
        if (auto n = bit_number(e.text)) return bit_place(std::move(*p), *n, e);
        if (!p->ty.is_struct() || !p->ty.st) {
          error(e.loc, "'" + p->name + "' is not a structure (it is " + describe(p->ty) + ")");
          return std::nullopt;
        }
        for (const VarDecl& m : p->ty.st->members)
          if (same_identifier(m.name, e.text)) {
            p->base += *p->ty.st->member_slot(m.name);
            p->ty = Ty::of(m);
            p->name += "." + m.name;
            return p;
          }
        std::vector<std::string> names;
        for (const VarDecl& m : p->ty.st->members) names.push_back(m.name);
        error(e.loc, "structure " + p->ty.st->name + " has no member '" + e.text + "'" + did_you_mean(e.text, names));
        return std::nullopt;
      }
      default: error(e.loc, "this expression cannot be assigned to"); return std::nullopt;
    }
  }

  // x.3 or x.%X3 (IEC 61131-3 6.5.5.2): the bit number, or nullopt.
  static std::optional<unsigned> bit_number(std::string_view m) {
    if (m.size() > 2 && m[0] == '%' && (m[1] == 'X' || m[1] == 'x')) m.remove_prefix(2);
    if (m.empty() || m.size() > 3 || m.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    return unsigned(std::stoul(std::string(m)));
  }
  std::optional<Place> bit_place(Place p, unsigned n, const Expr& e) {
    const DataType d = p.ty.dt;
    if (!p.ty.is_scalar() || p.ty.en || !(is_int(d) || (is_bits(d) && d != DataType::kBool))) {
      error(e.loc, "bit access '" + p.name + "." + e.text + "' needs an integer or bit string, not " + describe(p.ty));
      return std::nullopt;
    }
    if (n >= bit_width(d)) {
      error(e.loc, "bit " + std::to_string(n) + " is out of the " + std::to_string(bit_width(d)) + " bits of " +
                       describe(p.ty) + " '" + p.name + "'");
      return std::nullopt;
    }
    p.name += "." + e.text;
    p.bit = int(n);
    p.word = d;
    p.ty = Ty::scalar(DataType::kBool);
    return p;
  }
  // The integer a bit place is part of, in a register.
  uint16_t bit_word(const Place& p) {
    if (p.offset < 0) return uint16_t(p.base);
    uint16_t w = temp();
    b_.op(Op::kLoadX, w, uint16_t(p.base), uint16_t(p.offset), 1);
    return w;
  }

  Val load(const Place& p, Loc at) {
    if (p.bit >= 0) {
      uint16_t t = temp();
      b_.op(Op::kShr, t, bit_word(p), constant(Value::of_uint(uint64_t(p.bit))));
      b_.op(Op::kAnd, t, t, constant(Value::of_uint(1)));
      return Val{p.ty, t, {}, true};
    }
    if (p.offset < 0) return Val{p.ty, uint16_t(p.base), {}, false};
    if (p.ty.is_array()) {
      error(at, "reading a whole array selected by a variable index is not supported");
      return Val::error();
    }
    if (!p.ty.is_scalar()) {  // a STRING or structure element: copied out
      const uint16_t t = block_of(p.ty);
      copy_indexed(p, t, false);
      return Val{p.ty, t, {}, true};
    }
    uint16_t t = temp();
    b_.op(Op::kLoadX, t, uint16_t(p.base), uint16_t(p.offset), 1);
    return Val{p.ty, t, {}, true};
  }

  // ---- expressions
  Val expr(const Expr& e) {
    if (++depth_ > 400) {
      --depth_;
      error(e.loc, "expression nested too deeply");
      return Val::error();
    }
    Val v = expr_(e);
    --depth_;
    return v;
  }

  Val expr_(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: return literal(e);
      case ExprKind::kName:
        if (auto v = global_constant(e)) return *v;
        if (auto v = enum_untyped(e)) return *v;
        [[fallthrough]];
      case ExprKind::kIndex:
      case ExprKind::kMember:
      case ExprKind::kDeref: {
        if (e.kind == ExprKind::kName && same_identifier(e.text, "NULL") && !is_variable(e.text))
          return Val{Ty::null(), 0, {}, false};
        auto p = place(e);
        if (!p) return Val::error();
        return load(*p, e.loc);
      }
      case ExprKind::kUnary: return unary(e);
      case ExprKind::kBinary: return binary_chain(e);
      case ExprKind::kCall: return call(e);
    }
    return Val::error();
  }

  // a + b + c ...: down the left spine in a loop (it is as long as the
  // source), then back up, each right operand compiled in its turn.
  Val binary_chain(const Expr& top) {
    std::vector<const Expr*> spine;
    const Expr* x = &top;
    while (x->kind == ExprKind::kBinary) {
      if (x->args.size() != 2 || !x->args[0] || !x->args[1]) return Val::error();
      spine.push_back(x);
      x = x->args[0].get();
    }
    Val l = expr(*x);
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
      Val r = expr(*(*it)->args[1]);
      l = binary((*it)->op, l, r, (*it)->loc);
    }
    return l;
  }

  static std::pair<std::optional<DataType>, std::string_view> split_typed(std::string_view text) {
    auto hash = text.find('#');
    if (hash == std::string_view::npos) return {std::nullopt, text};
    std::string prefix = identifier_key(text.substr(0, hash));
    if (prefix == "T" || prefix == "LT" || prefix == "LTIME") return {DataType::kTime, text};
    if (prefix == "D" || prefix == "LD" || prefix == "LDATE") return {DataType::kDate, text};
    if (prefix == "TOD" || prefix == "LTOD") return {DataType::kTimeOfDay, text};
    if (prefix == "DT" || prefix == "LDT") return {DataType::kDateAndTime, text};
    if (auto t = parse_type_name(prefix)) return {*t, text};
    return {std::nullopt, text};  // 16#FF: a based literal, untyped
  }

  Val literal(const Expr& e) {
    const std::string& text = e.text;
    if (!text.empty() && (text[0] == '\'' || text[0] == '"')) return string_literal(text, e.loc);
    std::string u = identifier_key(text);
    if (u == "TRUE" || u == "FALSE")
      return Val{Ty::scalar(DataType::kBool), constant(Value::of_bool(u == "TRUE")), {}, true};
    auto [dt, rest] = split_typed(text);
    if (!dt && starts_name(text) && text.find('#') != std::string::npos) return enum_typed(e);
    if (dt == DataType::kString || dt == DataType::kWstring) {  // STRING#'abc', WSTRING#"abc"
      // Past the blanks the lexer lets stand after '#' (STRING# 'abc').
      const size_t start = text.find_first_not_of(" \t", text.find('#') + 1);
      const std::string value = start == std::string::npos ? std::string() : text.substr(start);
      const char quote = dt == DataType::kWstring ? '"' : '\'';
      if (value.empty() || value[0] != quote) {
        error(e.loc, "invalid " + std::string(type_name(*dt)) + " literal '" + text + "' (a " +
                         std::string(type_name(*dt)) + " is written between " + quote + " quotes)");
        return Val::error();
      }
      return string_literal(value, e.loc);
    }
    if (dt) {
      auto v = parse_literal(*dt, text);
      if (!v) {
        error(e.loc, "invalid " + std::string(type_name(*dt)) + " literal '" + text + "'");
        return Val::error();
      }
      return Val{Ty::scalar(*dt), constant(*v), {}, true};
    }
    const bool real = text.find('#') == std::string::npos &&
                      (text.find('.') != std::string::npos || text.find('e') != std::string::npos ||
                       text.find('E') != std::string::npos);
    if (real) {
      auto v = parse_literal(DataType::kLreal, text);
      if (!v) {
        error(e.loc, "invalid REAL literal '" + text + "'");
        return Val::error();
      }
      return Val{Ty::flex_real(), 0, *v, false};
    }
    if (auto v = parse_literal(DataType::kLint, text)) return Val{Ty::flex_int(), 0, *v, false};
    if (auto v = parse_literal(DataType::kLword, text))
      return Val{Ty::flex_int(), 0, *v, false};  // 16#FFFF_FFFF_FFFF_FFFF
    error(e.loc, "invalid literal '" + text + "'");
    return Val::error();
  }

  static bool starts_name(std::string_view t) {
    return !t.empty() && (std::isalpha(static_cast<unsigned char>(t[0])) || t[0] == '_');
  }
  // Color#Red.
  Val enum_typed(const Expr& e) {
    const std::string type = e.text.substr(0, e.text.find('#'));
    auto en = scope_.find_enum(type);
    if (!en) {
      error(e.loc, "unknown type '" + type + "' in the typed literal '" + e.text + "'");
      return Val::error();
    }
    auto v = enum_literal(*en, e.text);
    if (!v) {
      std::vector<std::string> names;
      for (const auto& n : en->values) names.push_back(n.first);
      const std::string value = e.text.substr(type.size() + 1);
      error(e.loc, "enumerated type " + en->name + " has no value '" + value + "'" + did_you_mean(value, names));
      return Val::error();
    }
    return Val{Ty::of(en), constant(Value::of_int(*v)), {}, true};
  }

  // `Red` where no variable has that name: the value of the enumerated
  // type the context wants, or of the only type that has it.
  std::optional<Val> enum_untyped(const Expr& e) {
    if (is_variable(e.text) || instance(e.text)) return std::nullopt;
    for (const std::string& n : unresolved_)
      if (same_identifier(n, e.text)) return std::nullopt;
    std::shared_ptr<const EnumType> en;
    if (hint_ && hint_->en && hint_->en->find(e.text)) {
      en = hint_->en;
    } else {
      auto all = scope_.enums_with(e.text);
      if (all.empty()) return std::nullopt;
      if (all.size() > 1) {
        error(e.loc, "'" + e.text + "' is a value of " + all[0]->name + " and of " + all[1]->name + ": write " +
                         all[0]->name + "#" + e.text + " or " + all[1]->name + "#" + e.text);
        return Val::error();
      }
      en = all[0];
    }
    return Val{Ty::of(en), constant(Value::of_int(*en->find(e.text))), {}, true};
  }

  Val string_literal(const std::string& text, Loc at) {
    const bool wide = text[0] == '"';
    VarDecl d{"", wide ? DataType::kWstring : DataType::kString, {}, 0, 0, nullptr};
    std::vector<Value> slots(d.slots());
    if (!parse_var_literal(d, text, slots.data())) {
      error(at, "invalid string literal " + text);
      return Val::error();
    }
    // Constant pool form: the length, then the characters packed 1 byte each.
    const uint64_t n = slots[0].u;
    std::string chars = read_string(d, slots.data());
    const uint16_t first = b_.add_constant(Value::of_uint(n));
    for (size_t k = 0; k < (n + 7) / 8; ++k) {
      Value v{.u = 0};
      for (size_t j = 0; j < 8 && k * 8 + j < n; ++j)
        v.u |= uint64_t(static_cast<unsigned char>(chars[k * 8 + j])) << (8 * j);
      b_.add_constant(v);
    }
    Ty t = Ty::scalar(d.type);
    t.len = uint16_t(std::max<uint64_t>(n, 1));
    uint16_t r = string_temp(d.type, t.len);
    const int64_t load = int64_t(b_.size());
    b_.op(Op::kStr, r, first, 0, uint8_t(StrFn::kLoadK));
    b_.at(b_.size() - 1).x = uint8_t(StrFn::kLoadK);
    b_.op(Op::kEnd, 0, 0, t.len, wide ? 2 : 1);
    return Val{t, r, {}, true, load};
  }

  // Emits kStr fn; dst, s1, s2 are slots; a1/a2 registers.
  // `src_ty` is the type of the string operands when it is not dst_ty's
  // (STRING_TO_WSTRING): StrExt carries both character widths.
  void str(StrFn fn, uint16_t dst, uint16_t s1, uint16_t s2, const Ty& dst_ty, uint16_t a1, uint16_t a2,
           const Ty* src_ty = nullptr) {
    b_.op(Op::kStr, dst, s1, s2, uint8_t(fn));
    auto width = [](const Ty& t) { return uint8_t(t.dt == DataType::kWstring ? 2 : 1); };
    const uint8_t w = width(dst_ty), sw = src_ty ? width(*src_ty) : 0;
    b_.op(Op::kEnd, a1, a2, dst_ty.is_string() ? dst_ty.capacity() : 0, uint8_t(w | sw << 4));
  }

  static bool fits(Value v, DataType t) {
    int64_t i = v.i;
    switch (t) {
      case DataType::kSint: return i >= -128 && i <= 127;
      case DataType::kInt: return i >= -32768 && i <= 32767;
      case DataType::kDint: return i >= INT32_MIN && i <= INT32_MAX;
      case DataType::kLint: return true;
      case DataType::kUsint:
      case DataType::kByte: return i >= 0 && i <= 255;
      case DataType::kUint:
      case DataType::kWord: return i >= 0 && i <= 65535;
      case DataType::kUdint:
      case DataType::kDword: return i >= 0 && i <= int64_t(UINT32_MAX);
      case DataType::kUlint:
      case DataType::kLword: return true;  // 64-bit patterns
      default: return false;
    }
  }

  // Converts `v` to type `to` (implicitly: only widening), materialising
  // flexible literals.
  Val coerce(Val v, const Ty& to, Loc at, const std::string& what) {
    if (v.ty.bad() || to.bad()) return Val::error();
    if (to.is_ref() || v.ty.is_ref() || v.ty.kind == Ty::kNull) {  // a reference takes NULL or one of its type
      if (to.is_ref() && v.ty.kind == Ty::kNull) return Val{to, constant(Value::of_uint(0)), {}, true};
      if (same_reference(v.ty, to)) {
        v.ty = to;
        return v;
      }
      std::string hint;
      if (to.is_ref() && v.ty.kind != Ty::kNull && !v.ty.is_ref()) hint = " (REF(variable) makes a reference)";
      if (v.ty.is_ref() && !to.is_ref()) hint = " (" + describe(v.ty) + "^ is the variable it refers to)";
      error(at, "type mismatch: cannot use " + describe(v.ty) + " as " + describe(to) + " for " + what + hint);
      return Val::error();
    }
    if (v.ty.en || to.en) {  // an enumerated type converts to nothing else (IEC 61131-3 6.4.4.2)
      if (v.ty.en == to.en && v.ty.array_size == to.array_size) return v;
      error(at, "type mismatch: cannot use " + describe(v.ty) + " as " + describe(to) + " for " + what);
      return Val::error();
    }
    if (v.ty.kind == Ty::kFlexInt) {
      if (to.is_scalar() && (is_int(to.dt) || (is_bits(to.dt) && to.dt != DataType::kBool))) {
        if (!fits(v.k, to.dt)) {
          error(at, "integer literal " + std::to_string(v.k.i) + " does not fit in " + describe(to) + " of " + what);
          return Val::error();
        }
        return Val{to, constant(normalize(to.dt, v.k)), {}, true};
      }
      if (to.is_scalar() && is_real(to.dt))
        return Val{
            to, constant(Value::of_real(to.dt == DataType::kReal ? double(float(v.k.i)) : double(v.k.i))), {}, true};
    } else if (v.ty.kind == Ty::kFlexReal) {
      if (to.is_scalar() && is_real(to.dt))
        return Val{to, constant(Value::of_real(to.dt == DataType::kReal ? double(float(v.k.r)) : v.k.r)), {}, true};
    } else if (to.is_scalar() && v.ty.is_scalar()) {
      if (v.ty.dt == to.dt) return v;
      if (widens(v.ty.dt, to.dt)) {
        if (is_real(to.dt) && !is_real(v.ty.dt)) {
          uint16_t t = temp();
          b_.op(is_signed_int(v.ty.dt) ? Op::kI2F : Op::kU2F, t, v.reg);
          if (to.dt == DataType::kReal) b_.op(Op::kF32, t);
          return Val{to, t, {}, true};
        }
        v.ty = to;  // integers and bit strings are kept normalised: nothing to do
        return v;
      }
    } else if (to.is_string() && v.ty.is_string() && to.dt == v.ty.dt) {
      return v;
    } else if (to.is_string() && v.ty.is_string() && v.literal_load >= 0) {
      // A literal's value is known: 'abc' where a WSTRING is due, "abc"
      // where a STRING is (4diac's files write "..." for STRINGs). Every
      // character fits either: plc's WSTRING holds 8-bit characters.
      v.ty.dt = to.dt;
      v.reg = string_temp(to.dt, v.ty.len);
      b_.at(size_t(v.literal_load)).a = v.reg;
      b_.at(size_t(v.literal_load) + 1).x = to.dt == DataType::kWstring ? 2 : 1;
      return v;
    } else if (!to.is_scalar() && !v.ty.is_scalar() && !v.ty.flex() && same_shape(v.ty, to)) {
      return v;
    }
    std::string hint;
    if ((v.ty.is_scalar() || v.ty.is_string()) && (to.is_scalar() || to.is_string()))
      hint = " (use " + std::string(type_name(v.ty.dt)) + "_TO_" + std::string(type_name(to.dt)) + ")";
    error(at, "type mismatch: cannot use " + describe(v.ty) + " as " + describe(to) + " for " + what + hint);
    return Val::error();
  }

  // A string literal `v` where string `other` is: `v` in other's width.
  Val adapt_literal(Val v, const Val& other) {
    if (v.literal_load < 0 || !other.ty.is_string() || other.ty.dt == v.ty.dt) return v;
    Ty to = v.ty;
    to.dt = other.ty.dt;
    return coerce(v, to, Loc{}, "");
  }

  // Emits an integer result normalisation for type t.
  void normalise(uint16_t r, DataType t) {
    if (t == DataType::kReal) b_.op(Op::kF32, r);
    else if (is_signed_int(t) && bit_width(t) < 64) b_.op(Op::kSext, r, 0, 0, uint8_t(bit_width(t)));
    else if (is_unsigned_int(t) && bit_width(t) < 64) b_.op(Op::kZext, r, 0, 0, uint8_t(bit_width(t)));
  }

  Val unary(const Expr& e) {
    if (e.args.empty() || !e.args[0]) return Val::error();
    Val v = expr(*e.args[0]);
    if (v.ty.bad()) return v;
    if (v.ty.en) {
      error(e.loc, std::string("operator ") + op_text(e.op) + " cannot be applied to " + describe(v.ty));
      return Val::error();
    }
    switch (e.op) {
      case OpKind::kPlus:
        if (!num(v.ty) && !(v.ty.is_scalar() && v.ty.dt == DataType::kTime)) break;
        return v;
      case OpKind::kNeg:
        if (v.ty.kind == Ty::kFlexInt) {
          v.k.i = int64_t(0 - v.k.u);
          return v;
        }
        if (v.ty.kind == Ty::kFlexReal) {
          v.k.r = -v.k.r;
          return v;
        }
        if (v.ty.is_scalar() && (is_signed_int(v.ty.dt) || v.ty.dt == DataType::kTime)) {
          uint16_t t = temp();
          b_.op(Op::kNeg, t, v.reg);
          normalise(t, v.ty.dt);
          return Val{v.ty, t, {}, true};
        }
        if (v.ty.is_scalar() && is_real(v.ty.dt)) {
          uint16_t t = temp();
          b_.op(Op::kNegF, t, v.reg);
          return Val{v.ty, t, {}, true};
        }
        break;
      case OpKind::kNot:
        if (auto r = negate(v)) return *r;
        break;
      default: break;
    }
    const char* op = e.op == OpKind::kNot ? "NOT" : e.op == OpKind::kNeg ? "-" : "+";
    error(e.loc, std::string("operator ") + op + " cannot be applied to " + describe(v.ty));
    return Val::error();
  }

  // NOT of a BOOL or a bit string; nullopt for other types.
  std::optional<Val> negate(const Val& v) {
    if (!v.ty.is_scalar() || !is_bits(v.ty.dt)) return std::nullopt;
    uint16_t t = temp();
    if (v.ty.dt == DataType::kBool) {
      b_.op(Op::kNotB, t, v.reg);
    } else {
      b_.op(Op::kNot, t, v.reg);
      normalise(t, v.ty.dt);
    }
    return Val{v.ty, t, {}, true};
  }

  static const char* op_text(OpKind o) {
    switch (o) {
      case OpKind::kOr: return "OR";
      case OpKind::kXor: return "XOR";
      case OpKind::kAnd: return "AND";
      case OpKind::kEq: return "=";
      case OpKind::kNe: return "<>";
      case OpKind::kLt: return "<";
      case OpKind::kLe: return "<=";
      case OpKind::kGt: return ">";
      case OpKind::kGe: return ">=";
      case OpKind::kAdd: return "+";
      case OpKind::kSub: return "-";
      case OpKind::kMul: return "*";
      case OpKind::kDiv: return "/";
      case OpKind::kMod: return "MOD";
      case OpKind::kPow: return "**";
      default: return "?";
    }
  }

  static bool comparison(OpKind o) { return o >= OpKind::kEq && o <= OpKind::kGe; }

  // Folds an operator on two flexible literals.
  Val fold(OpKind o, const Val& l, const Val& r, Loc at) {
    const bool real = l.ty.kind == Ty::kFlexReal || r.ty.kind == Ty::kFlexReal;
    double a = l.ty.kind == Ty::kFlexReal ? l.k.r : double(l.k.i),
           b = r.ty.kind == Ty::kFlexReal ? r.k.r : double(r.k.i);
    int64_t x = l.k.i, y = r.k.i;
    Val out{real ? Ty::flex_real() : Ty::flex_int()};
    if (comparison(o)) {
      bool c = false;
      switch (o) {
        case OpKind::kEq: c = real ? a == b : x == y; break;
        case OpKind::kNe: c = real ? a != b : x != y; break;
        case OpKind::kLt: c = real ? a < b : x < y; break;
        case OpKind::kLe: c = real ? a <= b : x <= y; break;
        case OpKind::kGt: c = real ? a > b : x > y; break;
        default: c = real ? a >= b : x >= y; break;
      }
      return Val{Ty::scalar(DataType::kBool), constant(Value::of_bool(c)), {}, true};
    }
    switch (o) {
      case OpKind::kAdd:
        if (real) out.k.r = a + b;
        else out.k.u = l.k.u + r.k.u;
        return out;
      case OpKind::kSub:
        if (real) out.k.r = a - b;
        else out.k.u = l.k.u - r.k.u;
        return out;
      case OpKind::kMul:
        if (real) out.k.r = a * b;
        else out.k.u = l.k.u * r.k.u;
        return out;
      case OpKind::kDiv:
        if (real) {
          out.k.r = a / b;
          return out;
        }
        if (y == 0) {
          error(at, "division by zero in a constant expression");
          return Val::error();
        }
        out.k.i = (x == INT64_MIN && y == -1) ? x : x / y;
        return out;
      case OpKind::kMod:
        if (real) break;
        if (y == 0) {
          error(at, "MOD by zero in a constant expression");
          return Val::error();
        }
        out.k.i = y == -1 ? 0 : x % y;
        return out;
      case OpKind::kPow:
        out = Val{Ty::flex_real()};
        out.k.r = std::pow(a, b);
        return out;
      default: break;
    }
    error(at,
          std::string("operator ") + op_text(o) + " cannot be applied to " + describe(l.ty) + " and " + describe(r.ty));
    return Val::error();
  }

  Val binary(OpKind o, Val l, Val r, Loc at) {
    if (l.ty.bad() || r.ty.bad()) return Val::error();
    if (l.ty.flex() && r.ty.flex()) return fold(o, l, r, at);
    auto mismatch = [&]() {
      error(at, std::string("operator ") + op_text(o) + " cannot be applied to " + describe(l.ty) + " and " +
                    describe(r.ty));
      return Val::error();
    };
    // References: = and <> only (no arithmetic), with NULL or one of their type.
    if (l.ty.is_ref() || r.ty.is_ref() || l.ty.kind == Ty::kNull || r.ty.kind == Ty::kNull) {
      const bool null_l = l.ty.kind == Ty::kNull, null_r = r.ty.kind == Ty::kNull;
      if ((o != OpKind::kEq && o != OpKind::kNe) || (null_l && null_r) ||
          (!null_l && !null_r && !same_reference(l.ty, r.ty)) || (null_l && !r.ty.is_ref()) ||
          (null_r && !l.ty.is_ref()))
        return mismatch();
      const Ty u = Ty::scalar(DataType::kUlint);
      if (null_l) l = Val{u, constant(Value::of_uint(0)), {}, true};
      if (null_r) r = Val{u, constant(Value::of_uint(0)), {}, true};
      l.ty = u;
      r.ty = u;
      return compare(o, u, l, r);
    }
    if (l.ty.en || r.ty.en) {  // enumerated values: = and <> only, of one type
      if ((o != OpKind::kEq && o != OpKind::kNe) || l.ty.en != r.ty.en || !l.ty.is_scalar() || !r.ty.is_scalar())
        return mismatch();
      return compare(o, Ty::scalar(l.ty.dt), l, r);
    }
    // Strings: comparison only.
    if (l.ty.is_string() || r.ty.is_string()) {
      if (r.ty.is_string() && r.literal_load >= 0) r = adapt_literal(r, l);
      else if (l.ty.is_string() && l.literal_load >= 0) l = adapt_literal(l, r);
      if (!comparison(o) || !l.ty.is_string() || !r.ty.is_string() || l.ty.dt != r.ty.dt) return mismatch();
      uint16_t c = temp();
      str(StrFn::kCompare, c, l.reg, r.reg, Ty::scalar(DataType::kLint), 0, 0, &l.ty);  // the operands' width
      return compare(o, Ty::scalar(DataType::kLint), Val{Ty::scalar(DataType::kLint), c, {}, true},
                     Val{Ty::scalar(DataType::kLint), constant(Value::of_int(0)), {}, true});
    }
    if (!l.ty.flex() && !l.ty.is_scalar()) return mismatch();
    if (!r.ty.flex() && !r.ty.is_scalar()) return mismatch();
    // Time arithmetic (IEC 61131-3 table 30).
    if ((l.ty.is_scalar() && is_time_like(l.ty.dt)) || (r.ty.is_scalar() && is_time_like(r.ty.dt)))
      return time_op(o, l, r, at);
    // The type the operation works in.
    Ty t;
    if (l.ty.flex() || r.ty.flex()) {
      const Val& typed = l.ty.flex() ? r : l;
      const Val& flex = l.ty.flex() ? l : r;
      t = typed.ty;
      if (flex.ty.kind == Ty::kFlexReal && is_int(t.dt)) t = Ty::scalar(real_for(t.dt));
      if (flex.ty.kind == Ty::kFlexReal && !is_real(t.dt)) return mismatch();
    } else {
      auto j = join(l.ty.dt, r.ty.dt);
      if (!j) return mismatch();
      t = Ty::scalar(*j);
    }
    std::string what = std::string("operator ") + op_text(o);
    if (o == OpKind::kPow) {
      if (!is_real(t.dt) && !is_int(t.dt)) return mismatch();
      Ty rt = Ty::scalar(is_real(t.dt) ? t.dt : real_for(t.dt));
      l = coerce(l, rt, at, what);
      r = coerce(r, rt, at, what);
      if (l.ty.bad() || r.ty.bad()) return Val::error();
      uint16_t d = temp();
      b_.op(Op::kCall, d, l.reg, r.reg, uint8_t(Builtin::kExpt));
      normalise(d, rt.dt);
      return Val{rt, d, {}, true};
    }
    l = coerce(l, t, at, what);
    r = coerce(r, t, at, what);
    if (l.ty.bad() || r.ty.bad()) return Val::error();
    if (comparison(o)) return compare(o, t, l, r);
    const DataType d = t.dt;
    Op code;
    switch (o) {
      case OpKind::kAnd:
      case OpKind::kOr:
      case OpKind::kXor:
        if (!is_bits(d)) return mismatch();
        code = o == OpKind::kAnd ? Op::kAnd : o == OpKind::kOr ? Op::kOr : Op::kXor;
        break;
      case OpKind::kAdd:
      case OpKind::kSub:
      case OpKind::kMul:
      case OpKind::kDiv:
        if (is_real(d))
          code = o == OpKind::kAdd   ? Op::kAddF
                 : o == OpKind::kSub ? Op::kSubF
                 : o == OpKind::kMul ? Op::kMulF
                                     : Op::kDivF;
        else if (is_int(d))
          code = o == OpKind::kAdd   ? Op::kAdd
                 : o == OpKind::kSub ? Op::kSub
                 : o == OpKind::kMul ? Op::kMul
                 : is_signed_int(d)  ? Op::kDivS
                                     : Op::kDivU;
        else return mismatch();
        break;
      case OpKind::kMod:
        if (!is_int(d)) return mismatch();
        code = is_signed_int(d) ? Op::kModS : Op::kModU;
        break;
      default: return mismatch();
    }
    uint16_t out = temp();
    b_.op(code, out, l.reg, r.reg);
    if (code != Op::kAnd && code != Op::kOr && code != Op::kXor) normalise(out, d);
    return Val{t, out, {}, true};
  }

  Val compare(OpKind o, const Ty& t, const Val& l, const Val& r) {
    const DataType d = t.dt;
    const bool f = is_real(d), s = is_signed_int(d) || is_time_like(d);
    uint16_t out = temp();
    uint16_t a = l.reg, b = r.reg;
    Op code;
    switch (o) {
      case OpKind::kEq: code = f ? Op::kEqF : Op::kEq; break;
      case OpKind::kNe: code = f ? Op::kNeF : Op::kNe; break;
      case OpKind::kLt: code = f ? Op::kLtF : s ? Op::kLtS : Op::kLtU; break;
      case OpKind::kLe: code = f ? Op::kLeF : s ? Op::kLeS : Op::kLeU; break;
      case OpKind::kGt:
        code = f ? Op::kLtF : s ? Op::kLtS : Op::kLtU;
        std::swap(a, b);
        break;
      default:
        code = f ? Op::kLeF : s ? Op::kLeS : Op::kLeU;
        std::swap(a, b);
        break;
    }
    b_.op(code, out, a, b);
    return Val{Ty::scalar(DataType::kBool), out, {}, true};
  }

  Val time_op(OpKind o, Val l, Val r, Loc at) {
    using D = DataType;
    auto dt = [](const Val& v) { return v.ty.is_scalar() ? v.ty.dt : D::kLint; };
    const D a = dt(l), b = dt(r);
    auto mismatch = [&]() {
      error(at, std::string("operator ") + op_text(o) + " cannot be applied to " + describe(l.ty) + " and " +
                    describe(r.ty));
      return Val::error();
    };
    auto emit = [&](Op code, D result) {
      uint16_t out = temp();
      b_.op(code, out, l.reg, r.reg);
      return Val{Ty::scalar(result), out, {}, true};
    };
    if (comparison(o)) {
      if (a != b || l.ty.flex() || r.ty.flex()) return mismatch();
      return compare(o, l.ty, l, r);
    }
    if (o == OpKind::kAdd) {
      if (a == D::kTime && b == D::kTime) return emit(Op::kAdd, D::kTime);
      if ((a == D::kTimeOfDay || a == D::kDateAndTime) && b == D::kTime) return emit(Op::kAdd, a);
      return mismatch();
    }
    if (o == OpKind::kSub) {
      if (a == b && !l.ty.flex() && !r.ty.flex()) return emit(Op::kSub, D::kTime);  // TIME, DATE, TOD, DT differences
      if ((a == D::kTimeOfDay || a == D::kDateAndTime) && b == D::kTime) return emit(Op::kSub, a);
      return mismatch();
    }
    if ((o == OpKind::kMul || o == OpKind::kDiv) && a == D::kTime && int_int(r.ty)) {
      r = coerce(r, Ty::scalar(D::kLint), at, "a TIME multiplier");
      if (r.ty.bad()) return Val::error();
      return emit(o == OpKind::kMul ? Op::kMul : Op::kDivS, D::kTime);
    }
    if (o == OpKind::kMul && b == D::kTime && int_int(l.ty)) {
      std::swap(l, r);
      r = coerce(r, Ty::scalar(D::kLint), at, "a TIME multiplier");
      if (r.ty.bad()) return Val::error();
      return emit(Op::kMul, D::kTime);
    }
    return mismatch();
  }

  // ---- function calls
  Val call(const Expr& e) {
    const std::string name = identifier_key(e.text);
    const bool as_statement = std::exchange(statement_call_, false);
    if (auto in = instance(e.text)) return instance_call(e, *in, as_statement);
    for (const std::string& n : unresolved_)
      if (same_identifier(n, e.text)) return Val::error();  // an FB instance whose declaration was reported
    if (auto f = scope_.find_function(name)) return user_call(e, *f, as_statement);
    if (is_variable(e.text)) {
      error(e.loc, "'" + e.text + "' is a variable, not a function nor an FB instance: it cannot be called");
      return Val::error();
    }
    if (name == "REF") return ref_of(e);
    for (size_t k = 0; k < e.arg_outputs.size(); ++k)
      if (e.arg_outputs[k]) {
        error(e.args[k]->loc, "function " + name + " has no output parameters ('=>')");
        return Val::error();
      }
    std::vector<Val> args;
    // The arguments do not see the type the call's result is wanted in.
    const Ty* hint = hint_;
    hint_ = nullptr;
    for (const auto& a : e.args) args.push_back(a ? expr(*a) : Val::error());
    hint_ = hint;
    for (size_t k = 0; k < args.size(); ++k) {
      if (args[k].ty.bad()) return Val::error();
      if (args[k].ty.en) {
        error(e.args[k]->loc,
              "standard function " + name + " does not take enumerated values (" + describe(args[k].ty) + ")");
        return Val::error();
      }
    }
    if (name.rfind("TIME_IN_", 0) == 0) return time_in(e, name, args);
    if (auto pos = name.find("_TO_"); pos != std::string::npos)
      return conversion(e, name.substr(0, pos), name.substr(pos + 4), args);
    if (name.rfind("TO_", 0) == 0) return conversion(e, "", name.substr(3), args);
    auto it = functions().find(name);
    if (it == functions().end()) {
      std::vector<std::string> names = scope_.function_names();
      for (const auto& [n, f] : functions()) names.push_back(n);
      error(e.loc, "unknown function '" + e.text + "'" + did_you_mean(name, names));
      return Val::error();
    }
    const FnInfo& f = it->second;
    if (int(args.size()) < f.min_args || (f.max_args >= 0 && int(args.size()) > f.max_args)) {
      std::string n = f.max_args < 0 ? "at least " + std::to_string(f.min_args) : std::to_string(f.min_args);
      error(e.loc, "function " + name + " takes " + n + " argument" + (f.min_args == 1 && f.max_args == 1 ? "" : "s") +
                       ", " + std::to_string(args.size()) + " given");
      return Val::error();
    }
    if (!reorder(e, f, args)) return Val::error();
    return function(e, f.fn, name, args);
  }

  // ---- references (IEC 61131-3 6.4.4.10)
  // REF(variable): a reference to a variable of this instance, or to an
  // element or member of one. What could dangle (a VAR_TEMP, a function's
  // variable) or let an algorithm write what it may not (an input, a
  // constant, an FB instance's output) is refused here.
  Val ref_of(const Expr& e) {
    if (e.args.size() != 1 || !e.args[0] || (!e.arg_names.empty() && !e.arg_names[0].empty())) {
      error(e.loc, "REF takes one variable: REF(x)");
      return Val::error();
    }
    const Expr& a = *e.args[0];
    const bool named = a.kind == ExprKind::kName && is_variable(a.text);
    if (!named && a.kind != ExprKind::kIndex && a.kind != ExprKind::kMember && a.kind != ExprKind::kDeref) {
      error(a.loc, "REF() needs a variable of this FB, not " +
                       std::string(a.kind == ExprKind::kName ? "'" + a.text + "'" : "an expression"));
      return Val::error();
    }
    auto p = place(a);
    if (!p || p->ty.bad()) return Val::error();
    std::string why;
    if (p->input) why = "it is an input, which algorithms only read";
    else if (p->instance_output) why = "the outputs of an FB instance are read-only";
    else if (p->constant) why = "it is a constant";
    else if (p->temporary)
      why = frames_.empty() ? "a VAR_TEMP ends with its algorithm, the reference would outlive it"
                            : "a function's variables end with its call, the reference would outlive them";
    else if (p->bit >= 0) why = "a single bit cannot be referred to";
    else if (p->ty.is_ref()) why = "a reference to a reference is not supported";
    if (!why.empty()) {
      error(a.loc, "REF(" + p->name + "): " + why);
      return Val::error();
    }
    Ty t = Ty::scalar(DataType::kUlint);
    t.ref = std::make_shared<const Ty>(p->ty);
    const uint16_t at = constant(Value::of_uint(uint64_t(p->base) + 1));
    if (p->offset < 0) return Val{t, at, {}, true};
    const uint16_t r = temp();
    b_.op(Op::kAdd, r, uint16_t(p->offset), at);
    return Val{t, r, {}, true};
  }

  static uint32_t slots_of(const Ty& t) { return t.is_array() ? t.element_slots() * t.array_size : t.decl().slots(); }

  // r^: the variable r refers to, at the slot it holds. A NULL reference
  // (or a value no REF() made) is a run-time fault where it is used.
  std::optional<Place> dereference(const Expr& e) {
    if (e.args.empty() || !e.args[0]) return std::nullopt;
    Val r = expr(*e.args[0]);
    if (r.ty.bad()) return std::nullopt;
    if (!r.ty.is_ref()) {
      error(e.loc, "'^' dereferences a reference, not " + describe(r.ty));
      return std::nullopt;
    }
    const Ty target = *r.ty.ref;
    // Where the reference may start: 0 .. total - size. None when nothing
    // here is that large (a function checked on its own, or inlined where
    // no such variable exists: the reference can only be NULL).
    const uint32_t total = iface_.slot_count(), size = slots_of(target);
    const uint32_t starts = size > total ? 0 : total - size + 1;
    if (starts > UINT16_MAX) {
      error(e.loc, "a reference cannot be dereferenced in an FB type of over 65535 slots");
      return std::nullopt;
    }
    const uint16_t at = temp();
    b_.op(Op::kSub, at, r.reg, constant(Value::of_uint(1)));
    b_.op(Op::kBounds, at, uint16_t(starts), 0, 1);  // x = 1: a reference (its fault's message)
    const std::string name = e.args[0]->kind == ExprKind::kName ? e.args[0]->text : "reference";
    return Place{target, 0, at, false, name + "^"};
  }

  // ---- user functions (IEC 61131-3 6.6.2), inlined at every call
  // The variables of one call, in slots named after the call site.
  Frame frame(const FunctionDef& f) {
    Frame fr;
    fr.fn = &f;
    fr.end = b_.new_label();
    const std::string prefix = "$" + name_ + "#" + std::to_string(calls_++) + "." + f.ast->name.text + ".";
    auto add = [&](const VarDecl& d, const std::string& name) {
      VarDecl hidden = d;
      hidden.name = prefix + name;
      fr.vars.push_back({name, d, new_internal(std::move(hidden))});
    };
    for (const auto* list : {&f.inputs, &f.outputs, &f.locals})
      for (const VarDecl& d : *list) add(d, d.name);
    if (f.result) add(*f.result, f.ast->name.text);
    return fr;
  }

  // A function's variables start from their initial values at every call.
  void initialise(const Local& l) {
    std::vector<Value> init(l.decl.slots());
    write_initial(l.decl, init.data());
    for (size_t s = 0; s < init.size(); ++s) b_.op(Op::kLoadK, uint16_t(l.slot + s), b_.add_constant(init[s]));
  }

  // Compiles the body of `f` into the current code, in frame `fr`. `quiet`:
  // `f` checked clean already, so what it reports here (an engine limit, a
  // function it calls redefined since) is said once, at the call.
  void body(const FunctionDef& f, Frame fr, bool quiet, Loc call = {}) {
    auto saved_loops = std::exchange(loops_, {});
    auto saved_controls = std::exchange(control_vars_, {});
    const Ty* saved_hint = std::exchange(hint_, nullptr);
    const Loc saved_at = at_;
    const uint32_t saved_floor = std::exchange(temp_floor_, temps_used_);
    Diagnostics scratch;
    Diagnostics* saved_sink = sink_;
    if (quiet) sink_ = &scratch;
    const AlgorithmBuilder::Label end = fr.end;
    frames_.push_back(std::move(fr));
    block(f.ast->body);
    frames_.pop_back();
    bind(end);
    sink_ = saved_sink;
    loops_ = std::move(saved_loops);
    control_vars_ = std::move(saved_controls);
    hint_ = saved_hint;
    at_ = saved_at;
    temp_floor_ = saved_floor;
    // The innermost reason is forwarded once, from call to call.
    const std::string inlined = "' cannot be inlined here: ";
    const std::string kind = f.function_block() ? "function block '" : "function '";
    if (quiet && !scratch.ok())
      for (const auto& d : scratch.list())
        if (!d.warning) {
          const bool forwarded =
              (d.message.rfind("function '", 0) == 0 || d.message.rfind("function block '", 0) == 0) &&
              d.message.find(inlined) != std::string::npos;
          error(call, forwarded ? d.message : kind + f.ast->name.text + inlined + d.str());
          break;
        }
  }

  // Whether `body` assigns `name` (a function's result) anywhere.
  static bool assigns(const Block& body, const std::string& name) {
    for (const auto& s : body) {
      if (!s) continue;
      if (s->kind == StmtKind::kAssign && s->target && s->target->kind == ExprKind::kName &&
          same_identifier(s->target->text, name))
        return true;
      for (const Block& b : s->bodies)
        if (assigns(b, name)) return true;
    }
    return false;
  }

  std::string chain_text(const FunctionDef& f) const {
    std::string text;
    bool on = false;
    for (const FunctionDef* c : *chain_) {
      on |= c == &f;
      if (on) text += c->ast->name.text + " -> ";
    }
    return text + f.ast->name.text;
  }

  // The caller's variable a VAR_IN_OUT refers to, for the whole call: a
  // variable (or an element, a member) of exactly the declared type, one
  // the caller may write.
  std::optional<Place> reference(const Expr& a, const VarDecl& d, const std::string& owner) {
    const std::string what = "VAR_IN_OUT '" + d.name + "' of " + owner;
    if (a.kind != ExprKind::kName && a.kind != ExprKind::kIndex && a.kind != ExprKind::kMember) {
      error(a.loc, what + " needs a variable, not an expression");
      return std::nullopt;
    }
    auto p = place(a);
    if (!p || p->ty.bad()) return std::nullopt;
    if (p->bit >= 0) {
      error(a.loc, "a bit ('" + p->name + "') cannot be passed to " + what + ": it needs a variable");
      return std::nullopt;
    }
    if (p->input || p->instance_output || p->constant) {
      error(a.loc, "cannot pass " + std::string(p->input ? "input variable '" : "'") + p->name + "' to " + what +
                       (p->input             ? ": inputs are read-only"
                        : p->instance_output ? ": the outputs of an FB instance are read-only"
                                             : ": it is a constant"));
      return std::nullopt;
    }
    control_variable(*p, a.loc);
    const Ty want = Ty::of(d);
    // A reference only for a reference to the same type (same_shape sees two ULINT slots).
    const bool ref_mismatch = (p->ty.is_ref() || want.is_ref()) && !same_reference(p->ty, want);
    if (ref_mismatch || !same_shape(p->ty, want) || p->ty.is_string() != want.is_string() ||
        (want.is_string() && p->ty.capacity() != want.capacity())) {
      error(a.loc, "type mismatch: " + what + " is " + describe(want) + ", '" + p->name + "' is " + describe(p->ty) +
                       " (a VAR_IN_OUT takes a variable of its exact type)");
      return std::nullopt;
    }
    if (p->offset >= 0 && !p->ty.is_scalar()) {
      error(a.loc, "a STRING, array or structure element selected by a variable index cannot be passed to " + what);
      return std::nullopt;
    }
    p->name = d.name;
    return p;
  }

  // A call F(a, IN2 := b, OUT => v): arguments bound to F's inputs by
  // position (all of them) or by name (the others keep their initial
  // values), outputs copied to the caller's variables after the body.
  Val user_call(const Expr& e, FunctionDef& f, bool as_statement) {
    const std::string& fname = f.ast->name.text;
    if (f.function_block()) {
      error(e.loc, "'" + fname + "' is a function block type, not a function: declare an instance of it (VAR " +
                       "Inst : " + fname + "; END_VAR) and call the instance");
      return Val::error();
    }
    if (f.state == FunctionDef::State::kUnchecked) check_function(f, scope_, diags_, *chain_);
    if (f.state == FunctionDef::State::kChecking) {
      error(e.loc, "recursive call of function '" + fname + "' (" + chain_text(f) +
                       "): IEC 61131-3 functions cannot call themselves");
      return Val::error();
    }
    if (f.state == FunctionDef::State::kBroken) return Val::error();  // its errors are reported
    if (frames_.size() >= kMaxInlineDepth) {
      error(e.loc, "functions nested more than " + std::to_string(kMaxInlineDepth) + " calls deep");
      return Val::error();
    }
    if (calls_ >= kMaxInlinedCalls || b_.size() > kMaxCode || too_big_) {
      if (!too_many_calls_)
        error(e.loc, (name_[0] == '$' ? "function '" + name_.substr(1) : "'" + name_) + "' calls functions more than " +
                         std::to_string(kMaxInlinedCalls) + " times once they are inlined");
      too_many_calls_ = true;
      return Val::error();
    }
    if (!f.result && !as_statement) {
      error(e.loc, "function '" + fname + "' has no result: call it as a statement");
      return Val::error();
    }
    // Bind the arguments: by position in the order of declaration of the
    // inputs and in-outs, or by name.
    std::vector<int> input_arg(f.inputs.size(), -1), ref_arg(f.in_outs.size(), -1);
    std::vector<std::pair<size_t, size_t>> outs;  // (output, argument)
    const auto& order = f.ast->positional;
    bool formal = false;
    size_t positional = 0;
    auto find = [](const std::vector<VarDecl>& list, const std::string& n) {
      for (size_t j = 0; j < list.size(); ++j)
        if (same_identifier(list[j].name, n)) return int(j);
      return -1;
    };
    for (size_t k = 0; k < e.args.size(); ++k) {
      const std::string& n = k < e.arg_names.size() ? e.arg_names[k] : std::string();
      const bool out = k < e.arg_outputs.size() && e.arg_outputs[k];
      const Loc at = e.args[k]->loc;
      if (n.empty()) {
        if (formal) {
          error(at, "positional argument after a formal one in the call of '" + fname + "'");
          return Val::error();
        }
        if (positional < order.size())
          (order[positional].first ? ref_arg : input_arg)[order[positional].second] = int(k);
        ++positional;
        continue;
      }
      formal = true;
      const int in = find(f.inputs, n), io = find(f.in_outs, n), o = find(f.outputs, n);
      if (out ? o < 0 : (in < 0 && io < 0)) {
        std::vector<std::string> names;
        for (const auto* list : out ? std::vector{&f.outputs} : std::vector{&f.inputs, &f.in_outs})
          for (const VarDecl& d : *list) names.push_back(d.name);
        if (out && (in >= 0 || io >= 0))
          error(at, "'" + n + "' is " + (in >= 0 ? "an input" : "a VAR_IN_OUT") + " of function '" + fname +
                        "': give it with " + n + " :=");
        else if (!out && o >= 0)
          error(at, "'" + n + "' is an output of function '" + fname + "': read it with " + n + " =>");
        else
          error(at, "function '" + fname + "' has no " + (out ? "output" : "input") + " '" + n + "'" +
                        did_you_mean(n, names));
        return Val::error();
      }
      const bool twice = out       ? std::any_of(outs.begin(), outs.end(), [&](auto p) { return p.first == size_t(o); })
                         : io >= 0 ? ref_arg[size_t(io)] >= 0
                                   : input_arg[size_t(in)] >= 0;
      if (twice) {
        error(at, "parameter '" + n + "' given twice");
        return Val::error();
      }
      if (out) outs.push_back({size_t(o), k});
      else if (io >= 0) ref_arg[size_t(io)] = int(k);
      else input_arg[size_t(in)] = int(k);
    }
    if (positional > order.size() || (!formal && positional != order.size())) {
      error(e.loc, "function '" + fname + "' takes " + std::to_string(order.size()) + " input" +
                       (order.size() == 1 ? "" : "s") + ", " + std::to_string(positional) + " given" +
                       (formal ? " by position" : ""));
      return Val::error();
    }
    for (size_t j = 0; j < ref_arg.size(); ++j)
      if (ref_arg[j] < 0) {
        error(e.loc, "VAR_IN_OUT '" + f.in_outs[j].name + "' of function '" + fname + "' is not given");
        return Val::error();
      }
    Frame fr = frame(f);
    const std::vector<Local> vars = fr.vars;
    for (size_t j = 0; j < vars.size(); ++j)
      if (j >= input_arg.size() || input_arg[j] < 0) initialise(vars[j]);
    // The inputs, in the order they are written.
    bool ok = true;
    for (size_t k = 0; k < e.args.size(); ++k) {
      auto j = std::find(input_arg.begin(), input_arg.end(), int(k));
      if (j == input_arg.end()) continue;
      const Local& in = vars[size_t(j - input_arg.begin())];
      Place p{Ty::of(in.decl), in.slot, -1, false, in.name};
      hint_ = &p.ty;
      Val v = expr(*e.args[k]);
      hint_ = nullptr;
      if (v.ty.bad()) {
        ok = false;
        continue;
      }
      Val c = coerce(v, p.ty, e.args[k]->loc, "input '" + in.name + "' of function '" + fname + "'");
      if (c.ty.bad()) ok = false;
      else store(p, v.ty.flex() ? v : c, e.args[k]->loc);  // a literal as such: a subrange checks it now
    }
    for (size_t j = 0; j < ref_arg.size(); ++j) {
      auto r = reference(*e.args[size_t(ref_arg[j])], f.in_outs[j], "function '" + fname + "'");
      if (r) fr.refs.push_back({f.in_outs[j].name, *r});
      else ok = false;
    }
    if (!ok) return Val::error();
    body(f, std::move(fr), true, e.loc);
    // The outputs, into the caller's variables.
    for (auto [o, k] : outs) {
      const Local& out = vars[f.inputs.size() + o];
      auto p = place(*e.args[k]);
      if (!p) {
        ok = false;
        continue;
      }
      read_only(*p, e.args[k]->loc);
      control_variable(*p, e.args[k]->loc);
      if (p->offset >= 0 && p->ty.is_array()) {
        error(e.args[k]->loc, "assigning a whole array selected by a variable index is not supported");
        continue;
      }
      Val v{Ty::of(out.decl), out.slot, {}, false};
      v = coerce(v, p->ty, e.args[k]->loc, "'" + p->name + "' (output '" + out.name + "' of function '" + fname + "')");
      if (v.ty.bad()) ok = false;
      else store(*p, v, e.args[k]->loc);
    }
    if (!ok) return Val::error();
    if (!f.result) {
      Ty none;
      none.kind = Ty::kVoid;
      return Val{none};
    }
    return Val{Ty::of(*f.result), vars.back().slot, {}, false};
  }

  // ---- FB instances (IEC 61131-3 6.5.2.2, 6.6.3.4), inlined at every call
  // An instance visible here: the FB type's (in an algorithm) or the
  // function block's whose body is being inlined.
  struct Instance {
    std::string path;  // "Outer.Inner": its variables are the internals "Outer.Inner.<variable>"
    const FunctionDef* fb = nullptr;
    std::string name;  // as declared
  };
  std::optional<Instance> instance(std::string_view name) const {
    const FbInstances* list = instances_;
    std::string prefix;
    if (!frames_.empty()) {
      const Frame& fr = frames_.back();
      if (!fr.fn->function_block()) return std::nullopt;
      list = &fr.fn->instances;
      prefix = fr.path + ".";
    }
    if (list)
      for (const auto& [n, f] : *list)
        if (same_identifier(n, name)) return Instance{prefix + n, f.get(), n};
    return std::nullopt;
  }
  static std::string first_input(const Instance& in) { return in.fb->inputs.empty() ? "IN" : in.fb->inputs[0].name; }

  // An instance named where a variable is wanted: reported.
  bool not_an_instance(const Expr& e) {
    auto in = instance(e.text);
    if (!in) return false;
    const auto& outs = in->fb->outputs;
    error(e.loc, "'" + in->name + "' is an instance of function block " + in->fb->ast->name.text +
                     ", not a variable: call it as a statement (" + in->name + "(...);) and read its outputs (" +
                     in->name + "." + (outs.empty() ? std::string("Q") : outs[0].name) + ")");
    return true;
  }

  bool is_variable(std::string_view name) const {
    if (!frames_.empty()) {
      for (const Local& l : frames_.back().vars)
        if (same_identifier(l.name, name)) return true;
      for (const auto& r : frames_.back().refs)
        if (same_identifier(r.first, name)) return true;
      return false;
    }
    return local(name) || iface_.find_input(name) || iface_.find_output(name) ||
           (iface_.find_internal(name) && name[0] != '$');
  }

  // The variables of instance `path` of `f`, its own slots; its VAR_TEMPs
  // in slots of this call site, which start from their initial values.
  Frame instance_frame(const FunctionDef& f, const std::string& path) {
    Frame fr;
    fr.fn = &f;
    fr.end = b_.new_label();
    fr.path = path;
    for (const auto* list : {&f.inputs, &f.outputs, &f.locals})
      for (const VarDecl& d : *list) {
        auto k = iface_.find_internal(path + "." + d.name);
        if (!k) error(at_, "FB instance '" + path + "' has no variable '" + d.name + "' (internal error)");
        fr.vars.push_back({d.name, d, k ? checked_slot(iface_.internal_slot(*k)) : uint16_t(0)});
      }
    const std::string prefix = "$" + name_ + "#" + std::to_string(calls_++) + "." + path + ".";
    for (const VarDecl& d : f.temps) {
      VarDecl hidden = d;
      hidden.name = prefix + d.name;
      fr.vars.push_back({d.name, d, new_internal(std::move(hidden))});
    }
    return fr;
  }

  // Inst.IN (read and written) or Inst.Q (read only).
  std::optional<Place> instance_member(const Instance& in, const Expr& e) {
    const FunctionDef& f = *in.fb;
    for (int pass = 0; pass < 2; ++pass)
      for (const VarDecl& d : pass ? f.outputs : f.inputs)
        if (same_identifier(d.name, e.text)) {
          auto k = iface_.find_internal(in.path + "." + d.name);
          if (!k) {
            error(e.loc, "FB instance '" + in.path + "' has no variable '" + d.name + "' (internal error)");
            return std::nullopt;
          }
          Place p{Ty::of(d), checked_slot(iface_.internal_slot(*k)), -1, false, in.name + "." + d.name};
          p.instance_output = pass == 1;
          return p;
        }
    std::vector<std::string> names;
    for (const auto* list : {&f.inputs, &f.outputs})
      for (const VarDecl& d : *list) names.push_back(d.name);
    bool hidden = false;
    for (const VarDecl& d : f.locals) hidden |= same_identifier(d.name, e.text);
    for (const auto& i : f.instances) hidden |= same_identifier(i.first, e.text);
    if (hidden)
      error(e.loc, "'" + e.text + "' is an internal variable of function block " + f.ast->name.text +
                       ": only the inputs and outputs of instance '" + in.name + "' can be used");
    else
      error(e.loc, "function block " + f.ast->name.text + " has no input or output '" + e.text + "'" +
                       did_you_mean(e.text, names));
    return std::nullopt;
  }

  // Inst(a, b) or Inst(IN := a, Q => v): the inputs given are set (the
  // others keep their values: an instance remembers them), the body runs
  // on the instance's slots, then the outputs named with => are copied.
  Val instance_call(const Expr& e, const Instance& in, bool as_statement) {
    const FunctionDef& f = *in.fb;
    const std::string& fname = f.ast->name.text;
    const std::string what = "FB instance '" + in.name + "' (of " + fname + ")";
    if (!as_statement) {
      error(e.loc, what + " is called as a statement (" + in.name + "(...);); read its outputs as " + in.name + "." +
                       (f.outputs.empty() ? std::string("Q") : f.outputs[0].name));
      return Val::error();
    }
    if (frames_.size() >= kMaxInlineDepth) {
      error(e.loc, "calls nested more than " + std::to_string(kMaxInlineDepth) + " deep");
      return Val::error();
    }
    if (calls_ >= kMaxInlinedCalls || b_.size() > kMaxCode || too_big_) {
      if (!too_many_calls_)
        error(e.loc, "'" + name_ + "' calls functions and FB instances more than " + std::to_string(kMaxInlinedCalls) +
                         " times once they are inlined");
      too_many_calls_ = true;
      return Val::error();
    }
    std::vector<int> input_arg(f.inputs.size(), -1), ref_arg(f.in_outs.size(), -1);
    std::vector<std::pair<size_t, size_t>> outs;  // (output, argument)
    const auto& order = f.ast->positional;        // inputs and in-outs as declared
    bool formal = false;
    size_t positional = 0;
    auto find = [](const std::vector<VarDecl>& list, const std::string& n) {
      for (size_t j = 0; j < list.size(); ++j)
        if (same_identifier(list[j].name, n)) return int(j);
      return -1;
    };
    for (size_t k = 0; k < e.args.size(); ++k) {
      const std::string& n = k < e.arg_names.size() ? e.arg_names[k] : std::string();
      const bool out = k < e.arg_outputs.size() && e.arg_outputs[k];
      const Loc at = e.args[k]->loc;
      if (n.empty()) {
        if (formal) {
          error(at, "positional argument after a formal one in the call of " + what);
          return Val::error();
        }
        if (positional < order.size())
          (order[positional].first ? ref_arg : input_arg)[order[positional].second] = int(k);
        ++positional;
        continue;
      }
      formal = true;
      const int i = find(f.inputs, n), io = find(f.in_outs, n), o = find(f.outputs, n);
      if (out ? o < 0 : (i < 0 && io < 0)) {
        std::vector<std::string> names;
        for (const auto* list : out ? std::vector{&f.outputs} : std::vector{&f.inputs, &f.in_outs})
          for (const VarDecl& d : *list) names.push_back(d.name);
        if (out && (i >= 0 || io >= 0))
          error(at, "'" + n + "' is " + (i >= 0 ? "an input" : "a VAR_IN_OUT") + " of " + fname + ": give it with " +
                        n + " :=");
        else if (!out && o >= 0) error(at, "'" + n + "' is an output of " + fname + ": read it with " + n + " =>");
        else
          error(at, "function block " + fname + " has no " + (out ? "output" : "input") + " '" + n + "'" +
                        did_you_mean(n, names));
        return Val::error();
      }
      const bool twice = out       ? std::any_of(outs.begin(), outs.end(), [&](auto p) { return p.first == size_t(o); })
                         : io >= 0 ? ref_arg[size_t(io)] >= 0
                                   : input_arg[size_t(i)] >= 0;
      if (twice) {
        error(at, "parameter '" + n + "' given twice");
        return Val::error();
      }
      if (out) outs.push_back({size_t(o), k});
      else if (io >= 0) ref_arg[size_t(io)] = int(k);
      else input_arg[size_t(i)] = int(k);
    }
    if (positional > order.size() || (!formal && positional != 0 && positional != order.size())) {
      error(e.loc, what + " takes " + std::to_string(order.size()) + " input" + (order.size() == 1 ? "" : "s") +
                       " by position, " + std::to_string(positional) + " given");
      return Val::error();
    }
    for (size_t j = 0; j < ref_arg.size(); ++j)
      if (ref_arg[j] < 0) {  // IEC 61131-3 6.6.1.2.2: a VAR_IN_OUT is given at every call
        error(e.loc, "VAR_IN_OUT '" + f.in_outs[j].name + "' of " + what + " is not given");
        return Val::error();
      }
    Frame fr = instance_frame(f, in.path);
    const std::vector<Local> vars = fr.vars;
    bool ok = true;
    for (size_t k = 0; k < e.args.size(); ++k) {
      auto j = std::find(input_arg.begin(), input_arg.end(), int(k));
      if (j == input_arg.end()) continue;
      const Local& v = vars[size_t(j - input_arg.begin())];
      Place p{Ty::of(v.decl), v.slot, -1, false, v.name};
      hint_ = &p.ty;
      Val x = expr(*e.args[k]);
      hint_ = nullptr;
      if (x.ty.bad()) {
        ok = false;
        continue;
      }
      Val c = coerce(x, p.ty, e.args[k]->loc, "input '" + v.name + "' of " + what);
      if (c.ty.bad()) ok = false;
      else store(p, x.ty.flex() ? x : c, e.args[k]->loc);  // a literal as such: a subrange checks it now
    }
    for (size_t k = f.inputs.size() + f.outputs.size() + f.locals.size(); k < vars.size(); ++k) initialise(vars[k]);
    for (size_t j = 0; j < ref_arg.size(); ++j) {
      auto ref = reference(*e.args[size_t(ref_arg[j])], f.in_outs[j], "function block '" + fname + "'");
      if (ref) fr.refs.push_back({f.in_outs[j].name, *ref});
      else ok = false;
    }
    if (!ok) return Val::error();
    body(f, std::move(fr), true, e.loc);
    for (auto [o, k] : outs) {
      const Local& out = vars[f.inputs.size() + o];
      auto p = place(*e.args[k]);
      if (!p) {
        ok = false;
        continue;
      }
      read_only(*p, e.args[k]->loc);
      control_variable(*p, e.args[k]->loc);
      Val v{Ty::of(out.decl), out.slot, {}, false};
      v = coerce(v, p->ty, e.args[k]->loc, "'" + p->name + "' (output '" + out.name + "' of " + what + ")");
      if (v.ty.bad()) ok = false;
      else store(*p, v, e.args[k]->loc);
    }
    if (!ok) return Val::error();
    Ty none;
    none.kind = Ty::kVoid;
    return Val{none};
  }

  // Puts formal arguments (IN := x) in their positions.
  bool reorder(const Expr& e, const FnInfo& f, std::vector<Val>& args) {
    bool formal = false;
    for (const auto& n : e.arg_names) formal |= !n.empty();
    if (!formal) return true;
    if (f.formals.empty() || f.formals.size() != args.size()) {
      error(e.loc, "function " + identifier_key(e.text) + " takes its arguments by position");
      return false;
    }
    std::vector<Val> out(args.size());
    std::vector<bool> set(args.size());
    for (size_t k = 0; k < args.size(); ++k) {
      const std::string& n = k < e.arg_names.size() ? e.arg_names[k] : std::string();
      size_t at = k;
      if (!n.empty()) {
        at = f.formals.size();
        for (size_t j = 0; j < f.formals.size(); ++j)
          if (same_identifier(n, f.formals[j])) at = j;
        if (at == f.formals.size()) {
          error(e.args[k]->loc, "function " + identifier_key(e.text) + " has no parameter '" + n + "'");
          return false;
        }
      }
      if (set[at]) {
        error(e.args[k]->loc, "parameter '" + std::string(f.formals[at]) + "' given twice");
        return false;
      }
      set[at] = true;
      out[at] = args[k];
    }
    args = std::move(out);
    return true;
  }

  Val numeric_arg(const Expr& e, Val v, size_t k, bool reals_only = false) {
    // A literal argument takes the type the result is wanted in, if it can.
    if (v.ty.flex() && hint_ && hint_->is_scalar() &&
        (is_real(hint_->dt) || (is_int(hint_->dt) && !reals_only && v.ty.kind == Ty::kFlexInt)))
      return coerce(v, *hint_, e.args[k]->loc, "argument " + std::to_string(k + 1));
    if (v.ty.kind == Ty::kFlexInt && reals_only)
      return coerce(v, Ty::scalar(DataType::kLreal), e.args[k]->loc, "argument " + std::to_string(k + 1));
    if (v.ty.kind == Ty::kFlexInt)
      return coerce(v, Ty::scalar(DataType::kLint), e.args[k]->loc, "argument " + std::to_string(k + 1));
    if (v.ty.kind == Ty::kFlexReal)
      return coerce(v, Ty::scalar(DataType::kLreal), e.args[k]->loc, "argument " + std::to_string(k + 1));
    if (!num(v.ty)) {
      error(e.args[k]->loc, "argument " + std::to_string(k + 1) + " of " + identifier_key(e.text) +
                                " must be a number, not " + describe(v.ty));
      return Val::error();
    }
    if (reals_only && !is_real(v.ty.dt)) return coerce(v, Ty::scalar(real_for(v.ty.dt)), e.args[k]->loc, "argument");
    return v;
  }

  Val string_arg(const Expr& e, const Val& v, size_t k) {
    if (!v.ty.is_string()) {
      error(e.args[k]->loc, "argument " + std::to_string(k + 1) + " of " + identifier_key(e.text) +
                                " must be a STRING, not " + describe(v.ty));
      return Val::error();
    }
    return v;
  }

  // The two string arguments of FIND, INSERT, REPLACE in one width (a
  // literal takes the other's); false, reported, when they cannot be.
  bool same_width(const Expr& e, Val& s, Val& s2) {
    if (s.ty.bad() || s2.ty.bad()) return false;
    if (s2.literal_load >= 0) s2 = adapt_literal(s2, s);
    else s = adapt_literal(s, s2);
    if (s.ty.dt == s2.ty.dt) return true;
    error(e.args[1]->loc, identifier_key(e.text) + " of STRING and WSTRING");
    return false;
  }

  Val int_arg(const Expr& e, const Val& v, size_t k) {
    if (!int_int(v.ty)) {
      error(e.args[k]->loc, "argument " + std::to_string(k + 1) + " of " + identifier_key(e.text) +
                                " must be an integer, not " + describe(v.ty));
      return Val::error();
    }
    return v.ty.flex() ? coerce(v, Ty::scalar(DataType::kLint), e.args[k]->loc, "an argument") : v;
  }

  // The common type of several arguments (MIN, MAX, LIMIT, SEL, MUX).
  std::optional<Ty> common(const Expr& e, std::vector<Val>& args, size_t from) {
    std::optional<Ty> t;
    bool real_flex = false;
    for (size_t k = from; k < args.size(); ++k) {
      const Val& v = args[k];
      if (v.ty.flex()) {
        real_flex |= v.ty.kind == Ty::kFlexReal;
        continue;
      }
      if (!t) {
        t = v.ty;
        continue;
      }
      if (t->is_scalar() && v.ty.is_scalar()) {
        auto j = join(t->dt, v.ty.dt);
        if (!j) {
          error(e.args[k]->loc, "arguments of " + identifier_key(e.text) + " have no common type (" + describe(*t) +
                                    " and " + describe(v.ty) + ")");
          return std::nullopt;
        }
        t = Ty::scalar(*j);
      } else if (!same_shape(*t, v.ty) || t->is_string() != v.ty.is_string()) {
        error(e.args[k]->loc, "arguments of " + identifier_key(e.text) + " have no common type (" + describe(*t) +
                                  " and " + describe(v.ty) + ")");
        return std::nullopt;
      }
    }
    if (!t && hint_ && hint_->is_scalar() && (is_int(hint_->dt) || is_real(hint_->dt)) &&
        (!real_flex || is_real(hint_->dt)))
      t = *hint_;  // only literals: they take the type the result is wanted in
    if (!t) t = Ty::scalar(real_flex ? DataType::kLreal : DataType::kLint);
    if (real_flex && t->is_scalar() && is_int(t->dt)) t = Ty::scalar(real_for(t->dt));
    for (size_t k = from; k < args.size(); ++k) {
      args[k] =
          coerce(args[k], *t, e.args[k]->loc, "argument " + std::to_string(k + 1) + " of " + identifier_key(e.text));
      if (args[k].ty.bad()) return std::nullopt;
    }
    return t;
  }

  Val unary_call(Builtin f, const Val& v, const Ty& t) {
    uint16_t out = temp();
    b_.op(Op::kCall, out, v.reg, v.reg, uint8_t(f));
    normalise(out, t.dt);
    return Val{t, out, {}, true};
  }

  Val function(const Expr& e, Fn fn, const std::string& name, std::vector<Val>& a) {
    using D = DataType;
    switch (fn) {
      case Fn::kAbs: {
        Val v = numeric_arg(e, a[0], 0);
        if (v.ty.bad()) return v;
        if (is_real(v.ty.dt)) return unary_call(Builtin::kAbsF, v, v.ty);
        if (is_signed_int(v.ty.dt)) return unary_call(Builtin::kAbsS, v, v.ty);
        return v;
      }
      case Fn::kSqrt:
      case Fn::kLn:
      case Fn::kLog:
      case Fn::kExp:
      case Fn::kSin:
      case Fn::kCos:
      case Fn::kTan:
      case Fn::kAsin:
      case Fn::kAcos:
      case Fn::kAtan: {
        static const std::map<Fn, Builtin> b = {{Fn::kSqrt, Builtin::kSqrt}, {Fn::kLn, Builtin::kLn},
                                                {Fn::kLog, Builtin::kLog},   {Fn::kExp, Builtin::kExp},
                                                {Fn::kSin, Builtin::kSin},   {Fn::kCos, Builtin::kCos},
                                                {Fn::kTan, Builtin::kTan},   {Fn::kAsin, Builtin::kAsin},
                                                {Fn::kAcos, Builtin::kAcos}, {Fn::kAtan, Builtin::kAtan}};
        Val v = numeric_arg(e, a[0], 0, true);
        if (v.ty.bad()) return v;
        return unary_call(b.at(fn), v, v.ty);
      }
      case Fn::kExpt: {
        Val x = numeric_arg(e, a[0], 0, true), y = numeric_arg(e, a[1], 1, true);
        if (x.ty.bad() || y.ty.bad()) return Val::error();
        y = coerce(y, Ty::scalar(D::kLreal), e.args[1]->loc, "the exponent");
        uint16_t out = temp();
        b_.op(Op::kCall, out, x.reg, y.reg, uint8_t(Builtin::kExpt));
        normalise(out, x.ty.dt);
        return Val{x.ty, out, {}, true};
      }
      case Fn::kShl:
      case Fn::kShr:
      case Fn::kRol:
      case Fn::kRor: {
        Val v = a[0];
        if (v.ty.kind == Ty::kFlexInt) v = coerce(v, Ty::scalar(D::kLword), e.args[0]->loc, "argument 1");
        if (v.ty.bad()) return v;
        if (!v.ty.is_scalar() || !is_bits(v.ty.dt) || v.ty.dt == D::kBool) {
          error(e.args[0]->loc,
                "argument 1 of " + name + " must be a bit string (BYTE, WORD, DWORD, LWORD), not " + describe(v.ty));
          return Val::error();
        }
        Val n = int_arg(e, a[1], 1);
        if (n.ty.bad()) return n;
        uint16_t out = temp();
        Op code = fn == Fn::kShl ? Op::kShl : fn == Fn::kShr ? Op::kShr : fn == Fn::kRol ? Op::kRol : Op::kRor;
        b_.op(code, out, v.reg, n.reg, uint8_t(bit_width(v.ty.dt)));
        if (fn == Fn::kShl) normalise(out, v.ty.dt);
        return Val{v.ty, out, {}, true};
      }
      case Fn::kMin:
      case Fn::kMax: {
        auto t = common(e, a, 0);
        if (!t) return Val::error();
        if (!t->is_scalar()) {
          error(e.loc, name + " needs numbers, times or bit strings, not " + describe(*t));
          return Val::error();
        }
        uint16_t out = temp(), c = temp();
        b_.op(Op::kMov, out, a[0].reg);
        for (size_t k = 1; k < a.size(); ++k) {
          Val cmp = fn == Fn::kMin ? compare(OpKind::kLt, *t, a[k], Val{*t, out})
                                   : compare(OpKind::kGt, *t, a[k], Val{*t, out});
          b_.op(Op::kMov, c, cmp.reg);
          auto skip = b_.new_label();
          b_.jump(Op::kJz, c, skip);
          b_.op(Op::kMov, out, a[k].reg);
          bind(skip);
        }
        return Val{*t, out, {}, true};
      }
      case Fn::kLimit: {  // LIMIT(MN, IN, MX) = MIN(MAX(IN, MN), MX)
        auto t = common(e, a, 0);
        if (!t) return Val::error();
        if (!t->is_scalar()) {
          error(e.loc, "LIMIT needs numbers, times or bit strings, not " + describe(*t));
          return Val::error();
        }
        uint16_t out = temp();
        b_.op(Op::kMov, out, a[1].reg);
        auto low = b_.new_label(), high = b_.new_label();
        Val lt = compare(OpKind::kLt, *t, Val{*t, out}, a[0]);
        b_.jump(Op::kJz, lt.reg, low);
        b_.op(Op::kMov, out, a[0].reg);
        bind(low);
        Val gt = compare(OpKind::kGt, *t, Val{*t, out}, a[2]);
        b_.jump(Op::kJz, gt.reg, high);
        b_.op(Op::kMov, out, a[2].reg);
        bind(high);
        return Val{*t, out, {}, true};
      }
      case Fn::kSel: {
        Val g = coerce(a[0], Ty::scalar(D::kBool), e.args[0]->loc, "G of SEL");
        if (g.ty.bad()) return g;
        auto t = common(e, a, 1);
        if (!t) return Val::error();
        return select(e, *t, {a[1], a[2]}, [&](uint16_t out, std::vector<AlgorithmBuilder::Label>& ls) {
          b_.jump(Op::kJnz, g.reg, ls[1]);
          (void)out;
        });
      }
      case Fn::kMux: {
        Val k = int_arg(e, a[0], 0);
        if (k.ty.bad()) return k;
        auto t = common(e, a, 1);
        if (!t) return Val::error();
        std::vector<Val> ins(a.begin() + 1, a.end());
        return select(e, *t, ins, [&](uint16_t out, std::vector<AlgorithmBuilder::Label>& ls) {
          uint16_t i = temp(), c = temp();
          b_.op(Op::kMov, i, k.reg);
          b_.op(Op::kBounds, i, uint16_t(ins.size()));  // MUX selector out of range: a fault
          for (size_t j = 1; j < ins.size(); ++j) {
            b_.op(Op::kEq, c, i, constant(Value::of_int(int64_t(j))));
            b_.jump(Op::kJnz, c, ls[j]);
          }
          (void)out;
        });
      }
      case Fn::kMove: return a[0];
      case Fn::kNowMonotonic: {
        uint16_t out = temp();
        b_.op(Op::kCall, out, out, out, uint8_t(Builtin::kNowMonotonic));
        return Val{Ty::scalar(D::kTime), out, {}, true};
      }
      case Fn::kTrunc: {
        Val v = numeric_arg(e, a[0], 0, true);
        if (v.ty.bad()) return v;
        // TRUNC gives the integer type its result is wanted in (ANY_INT).
        D to = hint_ && hint_->is_scalar() && is_int(hint_->dt) ? hint_->dt : v.ty.dt == D::kReal ? D::kDint : D::kLint;
        uint16_t out = temp();
        if (to == D::kUlint) b_.op(Op::kCall, out, v.reg, v.reg, uint8_t(Builtin::kTruncU));  // 2^63 and up fit
        else b_.op(Op::kF2I, out, v.reg);
        normalise(out, to);
        return Val{Ty::scalar(to), out, {}, true};
      }
      case Fn::kLen: {
        Val s = string_arg(e, a[0], 0);
        if (s.ty.bad()) return s;
        uint16_t out = temp();
        str(StrFn::kLen, out, s.reg, 0, s.ty, 0, 0);
        b_.at(b_.size() - 1).c = 0;
        return Val{Ty::scalar(D::kInt), out, {}, true};
      }
      case Fn::kLeft:
      case Fn::kRight:
      case Fn::kMid:
      case Fn::kDelete: {
        Val s = string_arg(e, a[0], 0);
        if (s.ty.bad()) return s;
        Val l = int_arg(e, a[1], 1);
        Val p = a.size() > 2 ? int_arg(e, a[2], 2) : l;
        if (l.ty.bad() || p.ty.bad()) return Val::error();
        Ty t = s.ty;
        uint16_t out = string_temp(t.dt, t.capacity());
        StrFn f = fn == Fn::kLeft    ? StrFn::kLeft
                  : fn == Fn::kRight ? StrFn::kRight
                  : fn == Fn::kMid   ? StrFn::kMid
                                     : StrFn::kDelete;
        str(f, out, s.reg, 0, t, l.reg, p.reg);
        return Val{t, out, {}, true};
      }
      case Fn::kConcat: {
        Ty t = Ty::error();
        uint32_t cap = 0;
        // Literals take the width of the first variable (or expression).
        size_t first = 0;
        while (first + 1 < a.size() && a[first].literal_load >= 0) ++first;
        for (size_t k = 0; k < a.size(); ++k) {
          if (string_arg(e, a[k], k).ty.bad()) return Val::error();
          if (k != first) a[k] = adapt_literal(a[k], a[first]);
          if (k && a[k].ty.dt != a[0].ty.dt) {
            error(e.args[k]->loc, "CONCAT of STRING and WSTRING");
            return Val::error();
          }
          cap += a[k].ty.capacity();
        }
        t = a[0].ty;
        t.len = uint16_t(std::min<uint32_t>(cap, 4096));
        uint16_t out = string_temp(t.dt, t.len);
        str(StrFn::kCopy, out, a[0].reg, 0, t, 0, 0);
        for (size_t k = 1; k < a.size(); ++k) str(StrFn::kConcat, out, out, a[k].reg, t, 0, 0);
        return Val{t, out, {}, true};
      }
      case Fn::kInsert:
      case Fn::kReplace: {
        Val s = string_arg(e, a[0], 0), s2 = string_arg(e, a[1], 1);
        if (!same_width(e, s, s2)) return Val::error();
        Val x = int_arg(e, a[2], 2);
        Val y = a.size() > 3 ? int_arg(e, a[3], 3) : x;
        if (x.ty.bad() || y.ty.bad()) return Val::error();
        Ty t = s.ty;
        t.len = uint16_t(std::min<uint32_t>(uint32_t(s.ty.capacity()) + s2.ty.capacity(), 4096));
        uint16_t out = string_temp(t.dt, t.len);
        str(fn == Fn::kInsert ? StrFn::kInsert : StrFn::kReplace, out, s.reg, s2.reg, t, x.reg, y.reg);
        return Val{t, out, {}, true};
      }
      case Fn::kFind: {
        Val s = string_arg(e, a[0], 0), s2 = string_arg(e, a[1], 1);
        if (!same_width(e, s, s2)) return Val::error();
        uint16_t out = temp();
        str(StrFn::kFind, out, s.reg, s2.reg, s.ty, 0, 0);
        b_.at(b_.size() - 1).c = 0;
        return Val{Ty::scalar(D::kInt), out, {}, true};
      }
      case Fn::kAdd:
      case Fn::kMul:
      case Fn::kAnd:
      case Fn::kOr:
      case Fn::kXor: {
        OpKind o = fn == Fn::kAdd   ? OpKind::kAdd
                   : fn == Fn::kMul ? OpKind::kMul
                   : fn == Fn::kAnd ? OpKind::kAnd
                   : fn == Fn::kOr  ? OpKind::kOr
                                    : OpKind::kXor;
        Val v = a[0];
        for (size_t k = 1; k < a.size(); ++k) v = binary(o, v, a[k], e.loc);
        return v;
      }
      case Fn::kSub: return binary(OpKind::kSub, a[0], a[1], e.loc);
      case Fn::kDiv: return binary(OpKind::kDiv, a[0], a[1], e.loc);
      case Fn::kMod: return binary(OpKind::kMod, a[0], a[1], e.loc);
      case Fn::kGt:
      case Fn::kGe:
      case Fn::kEq:
      case Fn::kLe:
      case Fn::kLt: {  // extensible: GT(a, b, c) = a > b AND b > c
        const OpKind o = fn == Fn::kGt   ? OpKind::kGt
                         : fn == Fn::kGe ? OpKind::kGe
                         : fn == Fn::kEq ? OpKind::kEq
                         : fn == Fn::kLe ? OpKind::kLe
                                         : OpKind::kLt;
        Val v = binary(o, a[0], a[1], e.loc);
        for (size_t k = 2; k < a.size(); ++k) v = binary(OpKind::kAnd, v, binary(o, a[k - 1], a[k], e.loc), e.loc);
        return v;
      }
      case Fn::kNe: return binary(OpKind::kNe, a[0], a[1], e.loc);
      case Fn::kNot: {
        if (auto r = negate(a[0])) return *r;
        error(e.loc, "NOT cannot be applied to " + describe(a[0].ty));
        return Val::error();
      }
    }
    return Val::error();
  }

  // out := ins[k] where `dispatch` jumps to label k (falls through for 0).
  template <typename Dispatch>
  Val select(const Expr& e, const Ty& t, const std::vector<Val>& ins, Dispatch dispatch) {
    if (!t.is_scalar()) {
      error(e.loc, "selecting STRINGs, arrays or structures is not supported");
      return Val::error();
    }
    uint16_t out = temp();
    std::vector<AlgorithmBuilder::Label> ls;
    for (size_t k = 0; k < ins.size(); ++k) ls.push_back(b_.new_label());
    auto end = b_.new_label();
    dispatch(out, ls);
    for (size_t k = 0; k < ins.size(); ++k) {
      bind(ls[k]);
      b_.op(Op::kMov, out, ins[k].reg);
      b_.jump(Op::kJmp, 0, end);
    }
    bind(end);
    return Val{t, out, {}, true};
  }

  // TIME_IN_{S,MS,US,NS}_TO_{LINT,ULINT,LREAL} (4diac's library): the
  // integer results truncate toward zero (an ULINT of a negative TIME
  // wraps), LREAL divides the nanoseconds exactly, as the F_TIME_IN_* FBs.
  Val time_in(const Expr& e, const std::string& name, std::vector<Val>& a) {
    using D = DataType;
    static const std::map<std::string, int64_t> units = {
        {"S", 1'000'000'000}, {"MS", 1'000'000}, {"US", 1'000}, {"NS", 1}};
    const size_t pos = name.find("_TO_", 8);
    auto unit = pos == std::string::npos ? units.end() : units.find(name.substr(8, pos - 8));
    const std::string to_name = pos == std::string::npos ? "" : name.substr(pos + 4);
    if (unit == units.end() || (to_name != "LINT" && to_name != "ULINT" && to_name != "LREAL")) {
      error(e.loc, "unknown function '" + e.text + "'");
      return Val::error();
    }
    if (a.size() != 1) {
      error(e.loc, "function " + name + " takes 1 argument, " + std::to_string(a.size()) + " given");
      return Val::error();
    }
    Val v = coerce(a[0], Ty::scalar(D::kTime), e.args[0]->loc, "the argument of " + name);
    if (v.ty.bad()) return v;
    const D to = *parse_type_name(to_name);
    uint16_t out = temp();
    if (to == D::kLreal) {
      b_.op(Op::kI2F, out, v.reg);
      b_.op(Op::kDivF, out, out, constant(Value::of_real(double(unit->second))));
    } else {
      b_.op(Op::kDivS, out, v.reg, constant(Value::of_int(unit->second)));
    }
    return Val{Ty::scalar(to), out, {}, true};
  }

  Val conversion(const Expr& e, const std::string& from_name, const std::string& to_name, std::vector<Val>& a) {
    using D = DataType;
    auto to = parse_type_name(to_name);
    std::optional<D> from = from_name.empty() ? std::nullopt : parse_type_name(from_name);
    if (!to || (!from_name.empty() && !from) || to == D::kStruct) {
      error(e.loc, "unknown conversion function '" + e.text + "'");
      return Val::error();
    }
    if (a.size() != 1) {
      error(e.loc, "function " + identifier_key(e.text) + " takes 1 argument, " + std::to_string(a.size()) + " given");
      return Val::error();
    }
    Val v = a[0];
    if (v.ty.kind == Ty::kFlexInt)
      v = coerce(v, Ty::scalar(from ? *from : D::kLint), e.args[0]->loc, "the argument of " + identifier_key(e.text));
    else if (v.ty.kind == Ty::kFlexReal)
      v = coerce(v, Ty::scalar(from ? *from : D::kLreal), e.args[0]->loc, "the argument of " + identifier_key(e.text));
    if (v.ty.bad()) return v;
    const D src = v.ty.is_string() ? v.ty.dt : v.ty.is_scalar() ? v.ty.dt : D::kStruct;
    if (from && src != *from) {
      // INT_TO_REAL(x) with x SINT: the argument widens into INT first.
      if (v.ty.is_scalar() && widens(src, *from)) v = coerce(v, Ty::scalar(*from), e.args[0]->loc, "the argument");
      else {
        error(e.args[0]->loc, "argument of " + identifier_key(e.text) + " must be " + std::string(type_name(*from)) +
                                  ", not " + describe(v.ty));
        return Val::error();
      }
    }
    const D s = from ? *from : src;
    const D d = *to;
    if (s == D::kStruct || v.ty.is_array()) {
      error(e.args[0]->loc, "cannot convert " + describe(v.ty));
      return Val::error();
    }
    Ty out_ty = Ty::scalar(d);
    // Strings.
    const bool s_str = s == D::kString || s == D::kWstring, d_str = d == D::kString || d == D::kWstring;
    if (s_str && d_str) {
      Ty t = Ty::scalar(d);
      t.len = v.ty.capacity();
      uint16_t out = string_temp(d, t.len);
      str(StrFn::kCopy, out, v.reg, 0, t, 0, 0, &v.ty);
      return Val{t, out, {}, true};
    }
    if (d_str) {
      Ty t = Ty::scalar(d);
      t.len = 64;
      uint16_t out = string_temp(d, t.len);
      str(StrFn::kToString, out, v.reg, 0, t, uint16_t(s), 0);
      return Val{t, out, {}, true};
    }
    if (s_str) {
      uint16_t out = temp();
      str(StrFn::kFromString, out, v.reg, 0, v.ty, uint16_t(d), 0);
      b_.at(b_.size() - 1).c = 0;
      return Val{out_ty, out, {}, true};
    }
    uint16_t out = temp();
    const bool s_real = is_real(s), d_real = is_real(d);
    const bool s_time = s == D::kTime, d_time = d == D::kTime;
    if (s == d) return Val{out_ty, v.reg, {}, v.temp};
    if ((is_time_like(s) && !s_time) || (is_time_like(d) && !d_time)) {
      // DATE/TOD/DT <-> the others: only DT_TO_DATE, DT_TO_TOD and the identity.
      const int64_t day = 86400LL * 1000000000LL;
      if (s == D::kDateAndTime && d == D::kDate) {
        b_.op(Op::kModS, out, v.reg, constant(Value::of_int(day)));
        b_.op(Op::kSub, out, v.reg, out);
        return Val{out_ty, out, {}, true};
      }
      if (s == D::kDateAndTime && d == D::kTimeOfDay) {
        b_.op(Op::kModS, out, v.reg, constant(Value::of_int(day)));
        return Val{out_ty, out, {}, true};
      }
      error(e.loc, "no conversion from " + std::string(type_name(s)) + " to " + std::string(type_name(d)));
      return Val::error();
    }
    uint16_t src_reg = v.reg;
    // TIME <-> numbers in milliseconds, LTIME <-> numbers in nanoseconds
    // (its resolution, as other compilers do; the value is the same).
    auto per_unit = [](const std::string& n) { return same_identifier(n, "LTIME") ? 1 : 1000000; };
    if (s_time) {
      const int64_t unit = per_unit(from_name);
      if (d_real) {
        b_.op(Op::kI2F, out, src_reg);
        b_.op(Op::kDivF, out, out, constant(Value::of_real(double(unit))));
        if (d == D::kReal) b_.op(Op::kF32, out);
        return Val{out_ty, out, {}, true};
      }
      b_.op(Op::kDivS, out, src_reg, constant(Value::of_int(unit)));
      if (d == D::kBool) b_.op(Op::kNe, out, out, constant(Value::of_int(0)));
      else normalise(out, d);
      return Val{out_ty, out, {}, true};
    }
    if (d_time) {
      const int64_t unit = per_unit(to_name);
      if (s_real) {
        b_.op(Op::kMulF, out, src_reg, constant(Value::of_real(double(unit))));
        b_.op(Op::kCall, out, out, out, uint8_t(Builtin::kRound));
      } else {
        b_.op(Op::kMul, out, src_reg, constant(Value::of_int(unit)));
      }
      return Val{out_ty, out, {}, true};
    }
    if (d == D::kBool) {
      b_.op(s_real ? Op::kNeF : Op::kNe, out, src_reg, constant(s_real ? Value::of_real(0) : Value::of_int(0)));
      return Val{out_ty, out, {}, true};
    }
    if (s_real && d_real) {
      b_.op(Op::kMov, out, src_reg);
      if (d == D::kReal) b_.op(Op::kF32, out);
      return Val{out_ty, out, {}, true};
    }
    if (s_real) {
      // ULINT rounds in unsigned 64 bits: values from 2^63 up fit.
      const Builtin round = d == D::kUlint ? Builtin::kRoundU : Builtin::kRound;
      b_.op(Op::kCall, out, src_reg, src_reg, uint8_t(round));
      normalise(out, d);
      return Val{out_ty, out, {}, true};
    }
    if (d_real) {
      b_.op(is_signed_int(s) ? Op::kI2F : Op::kU2F, out, src_reg);
      if (d == D::kReal) b_.op(Op::kF32, out);
      return Val{out_ty, out, {}, true};
    }
    // Integers and bit strings: keep the low bits.
    b_.op(Op::kMov, out, src_reg);
    normalise(out, d);
    return Val{out_ty, out, {}, true};
  }

  std::string file_;
  Interface& iface_;
  Diagnostics& diags_;
  Diagnostics* sink_;  // where error() reports: diags_, or a scratch list while a checked function is inlined
  const TypeScope& scope_;
  Chain own_chain_;
  Chain* chain_;
  AlgorithmBuilder b_;
  std::string name_;
  std::vector<Local> locals_;
  std::vector<Frame> frames_;
  const FbInstances* instances_ = nullptr;                    // the FB type's FB instances
  const Constants* constants_ = nullptr;                      // the FB type's VAR CONSTANTs of integer types
  const std::vector<std::string>* constant_names_ = nullptr;  // and all their names
  uint32_t calls_ = 0;                                        // call sites of user functions so far: names their slots
  uint32_t elements_ = 0;        // structure elements read at a variable index: names their copies
  bool too_many_calls_ = false;  // reported
  int stmt_depth_ = 0;
  bool statement_call_ = false;  // the call being compiled is a statement: its result is dropped
  std::vector<Loop> loops_;
  std::vector<uint32_t> control_vars_;
  uint32_t temps_used_ = 0, temp_floor_ = 0;
  std::unordered_map<uint32_t, uint32_t> temp_slots_;  // N -> slot of temp $tN
  bool temps_mapped_ = false;
  size_t label_floor_ = 0;
  int depth_ = 0;
  const Ty* hint_ = nullptr;             // the type an assignment wants its value in
  std::vector<std::string> unresolved_;  // declared with an error: using them reports nothing
  Loc at_;                               // the statement (or guard) being compiled
  int errors_ = 0;
  bool too_big_ = false;
};

}  // namespace

std::shared_ptr<FunctionDef> function_block_type(const TypeRef& t, const TypeScope& scope) {
  if (scope.find(t.name) || parse_type_name(t.name)) return nullptr;
  auto f = scope.find_function(t.name);
  return f && f->function_block() ? f : nullptr;
}

void declare_instance(const std::string& path, const FunctionDef& f, std::vector<VarDecl>& internals) {
  for (const auto* list : {&f.inputs, &f.outputs, &f.locals})
    for (const VarDecl& d : *list) {
      internals.push_back(d);
      internals.back().name = path + "." + d.name;
    }
  for (size_t k = 0; k < f.instances.size(); ++k) {
    const auto& [n, inner] = f.instances[k];
    declare_instance(path + "." + n, *inner, internals);
    if (k < f.instance_initials.size() && !f.instance_initials[k].empty())
      initialise_instance(path + "." + n, *inner, f.instance_initials[k], internals);  // checked already
  }
}

std::string initialise_instance(const std::string& path, const FunctionDef& f, std::string_view text,
                                std::vector<VarDecl>& internals) {
  const std::string form = "its initial value is written (Input := literal, ...)";
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return form;
  text = trim(text.substr(1, text.size() - 2));
  // Split at the commas outside quotes and brackets.
  std::vector<std::string_view> items;
  int depth = 0;
  char quote = 0;
  size_t from = 0;
  for (size_t k = 0; k <= text.size(); ++k) {
    const char c = k < text.size() ? text[k] : ',';
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '$' && k + 1 < text.size()) ++k;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[') {
      ++depth;
    } else if (c == ')' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 0) {
      items.push_back(trim(text.substr(from, k - from)));
      from = k + 1;
    }
  }
  for (std::string_view item : items) {
    const size_t eq = item.find(":=");
    if (eq == std::string_view::npos) return form;
    const std::string name(trim(item.substr(0, eq)));
    const std::string_view value = trim(item.substr(eq + 2));
    const VarDecl* port = nullptr;
    for (const auto* list : {&f.inputs, &f.outputs})
      for (const VarDecl& d : *list)
        if (same_identifier(d.name, name)) port = &d;
    if (!port) {
      std::vector<std::string> names;
      for (const auto* list : {&f.inputs, &f.outputs})
        for (const VarDecl& d : *list) names.push_back(d.name);
      return "function block " + f.ast->name.text + " has no input or output '" + name + "'" +
             did_you_mean(name, names);
    }
    VarDecl* slot = nullptr;
    for (VarDecl& d : internals)
      if (d.name == path + "." + port->name) slot = &d;
    if (!slot) return "its variables are not declared";  // not reached: declare_instance made them
    if (slot->ref_to) return "'" + name + "' is a reference: it starts as NULL (set it with REF() in a call)";
    if (slot->enum_type) {
      auto v = enum_literal(*slot->enum_type, value);
      if (!v) return "'" + std::string(value) + "' is no value of " + slot->enum_type->name;
      slot->initial = Value::of_int(*v);
      continue;
    }
    std::vector<Value> slots(slot->slots());
    write_initial(*slot, slots.data());
    if (!parse_var_literal(*slot, value, slots.data()))
      return "invalid initial value '" + std::string(value) + "' for " + port->name;
    if (!slot->array_size && slot->type != DataType::kStruct && slot->type != DataType::kString &&
        slot->type != DataType::kWstring)
      slot->initial = slots[0];
    else slot->initial_literal = std::string(value);
  }
  return "";
}

uint32_t instance_slots(const FunctionDef& f) { return f.instance_slots; }

namespace {

void check_function(FunctionDef& f, const TypeScope& scope, Diagnostics& diags, Chain& chain) {
  f.state = FunctionDef::State::kChecking;
  chain.push_back(&f);
  Interface scratch;
  Gen g(f.file, scratch, diags, "$" + f.ast->name.text, {}, scope, &chain);
  const bool ok = g.function_check(f);
  chain.pop_back();
  f.state = ok ? FunctionDef::State::kOk : FunctionDef::State::kBroken;
}

// A standard function's name (or a conversion's) cannot be a user function's.
bool standard_name(const std::string& key) {
  if (functions().count(key) || key.rfind("TIME_IN_", 0) == 0) return true;
  if (key.rfind("TO_", 0) == 0 && parse_type_name(key.substr(3))) return true;
  auto pos = key.find("_TO_");
  return pos != std::string::npos && parse_type_name(key.substr(0, pos)) && parse_type_name(key.substr(pos + 4));
}

}  // namespace

void check_functions(std::string_view file, const std::vector<std::shared_ptr<const FunctionAst>>& functions,
                     TypeScope& scope, Diagnostics& diags) {
  std::vector<std::shared_ptr<FunctionDef>> defs;
  std::map<std::string, Loc> seen;
  for (const auto& a : functions) {
    const Loc at = a->name.loc;
    const std::string key = identifier_key(a->name.text);
    if (!seen.emplace(key, at).second) {
      diags.error(where(file, at.line, at.col), "duplicate function '" + a->name.text + "'");
      continue;
    }
    if (standard_name(key)) {
      diags.error(where(file, at.line, at.col),
                  "'" + a->name.text + "' is a standard function of IEC 61131-3 and cannot be redefined");
      continue;
    }
    auto def = std::make_shared<FunctionDef>();
    def->ast = a;
    def->file = std::string(file);
    scope.add_function(def);
    defs.push_back(def);
  }
  Chain chain;
  for (const auto& d : defs)
    if (d->state == FunctionDef::State::kUnchecked) check_function(*d, scope, diags, chain);
}

std::optional<Algorithm> StCompiler::algorithm(const AlgorithmAst& alg) {
  Gen g(file_, iface_, diags_, alg.name.text, unresolved_, scope_);
  g.set_instances(&instances_);
  g.set_constants(&constants_, &constant_names_);
  if (!alg.language.empty() && identifier_key(alg.language) != "ST") {
    g.error(alg.name.loc, "algorithm '" + alg.name.text + "' is written in " + alg.language + "; only ST is supported");
    return std::nullopt;
  }
  bool temps_ok = true;
  for (const auto& t : alg.temps) {
    auto d = resolve_var(t, scope_, file_, diags_, &constants_);
    temps_ok &= d.has_value();
    g.temp(t, d);
  }
  g.block(alg.body);
  g.check_size(alg.name.loc);
  if (g.failed() || !temps_ok) return std::nullopt;
  return g.build(true);
}

std::optional<Algorithm> StCompiler::guard(std::string name, const Expr& condition) {
  Gen g(file_, iface_, diags_, std::move(name), unresolved_, scope_);
  g.set_instances(&instances_);
  g.set_constants(&constants_, &constant_names_);
  g.guard(condition);
  g.check_size(condition.loc);
  if (g.failed()) return std::nullopt;
  return g.build(false);
}

}  // namespace plc::lang
