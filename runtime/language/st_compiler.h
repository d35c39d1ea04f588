// Structured Text (IEC 61131-3 3.3) compiled into the engine's bytecode
// (runtime/algorithm.h), with its static checks.
//
// Typing follows IEC 61131-3 (3rd edition, 6.4.2 and figure 11):
// - implicit conversions only widen: SINT < INT < DINT < LINT, USINT < UINT
//   < UDINT < ULINT, an unsigned type into the next wider signed one
//   (USINT -> INT ...), BOOL < BYTE < WORD < DWORD < LWORD, REAL < LREAL,
//   SINT/INT/USINT/UINT -> REAL, DINT/UDINT -> LREAL (and so on through the
//   chains). A binary operator works in the smallest type both operands
//   widen to; every other conversion must be written (INT_TO_SINT, ...);
// - an untyped literal (5, 16#FF, 2.5) takes the type its context needs and
//   must fit in it; typed literals (INT#5, T#1s) have their type;
// - integer arithmetic wraps modulo 2^n of its type (algorithm.h), integer
//   division and MOD by zero and array indices out of bounds are run-time
//   faults; a narrowing X_TO_Y conversion keeps the low bits (two's
//   complement), REAL -> integer rounds to nearest (halves away from zero)
//   and saturates, TRUNC truncates;
// - TIME_TO_<integer> gives milliseconds, <integer>_TO_TIME takes them (as
//   most IEC 61131-3 tools do); TIME values themselves have 1 ns resolution.
//   4diac's TIME_IN_{S,MS,US,NS}_TO_{LINT,ULINT,LREAL} name the unit: the
//   integer forms truncate toward zero, LREAL divides exactly;
//   NOW_MONOTONIC() is the resource's time as given to Resource::step (the
//   virtual time under a virtual clock);
// - an enumerated type (declarations.h EnumType) is a type of its own:
//   stored as its integer base, it converts to and from nothing, compares
//   with = and <> only (to its own type), takes no arithmetic and no
//   standard function; `Red` alone is the value of the type the context
//   wants, or of the only type that has it; CASE labels over it are its
//   values;
// - `x.3` / `x.%X3` is a BOOL place: reading shifts and masks the integer,
//   writing clears and sets that bit, then normalises the integer to its
//   type (bit 15 of an INT is its sign);
// - VAR CONSTANTs are variables no statement may write (assignment, FOR,
//   `=>`, VAR_IN_OUT); those of integer types are also CASE labels and
//   (declarations.h) array bounds; global constants (VAR_GLOBAL CONSTANT,
//   TypeScope) are literals wherever no variable has their name;
//
// Errors are reported, all of them, with file:line:col; compilation goes on
// after an error (the faulty expression gets an error type that silences
// follow-up errors).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/algorithm.h"
#include "runtime/fb_type.h"
#include "runtime/language/ast.h"
#include "runtime/language/declarations.h"
#include "runtime/status.h"

namespace plc::lang {

// The slots an FB type's variables may take: instructions address slots in
// 16 bits, and the algorithms' temporaries come after the variables.
inline constexpr uint32_t kMaxDataSlots = UINT16_MAX - 4096;

// User FUNCTIONs (IEC 61131-3 6.6.2) of one file, added to `scope` and
// checked in file order (a function another one calls is checked first,
// at that call). Rules and choices:
// - a call is inlined: the function's body is compiled into the caller's
//   code at every call site, its variables in slots of the caller's
//   instance that belong to that call site (hidden internals named
//   "$<algorithm>#<n>.<function>.<variable>"), so a call allocates
//   nothing and costs no frame; they start from their initial values at
//   every call (a function has no memory);
// - inside the body only the function's own variables are visible; its
//   inputs are copies the body may change; RETURN ends the function;
// - arguments: all inputs and in-outs by position, in the order they are
//   declared (`F(a, b)`), or by name (`F(IN2 := b)`; inputs not named keep
//   their initial values) after an optional positional prefix; outputs by
//   name only (`Q => v`), copied to the caller's variable after the body;
// - a VAR_IN_OUT is the caller's variable itself (by reference: the body
//   reads and writes it in place, no copy): it must be given, as a
//   variable, an array element or a structure member of exactly its type
//   (STRING capacity included), not an input of the FB nor a FOR variable
//   inside its loop; an element picked by a variable index is picked once,
//   at the call; only scalars may be picked that way;
// - recursion, direct or through other functions, is refused where the
//   call that closes the cycle is written; inlining stops with an error
//   past 16 nested calls, 2000 calls in one algorithm (counting those
//   inside inlined functions), or 400 nested statements;
// - the names of the standard functions and conversions cannot be
//   redefined; a function with a result that never assigns it is warned
//   about.
void check_functions(std::string_view file, const std::vector<std::shared_ptr<const FunctionAst>>& functions,
                     TypeScope& scope, Diagnostics& diags);

// FB instances in FB types (IEC 61131-3 6.5.2.2: `VAR Timer : TON; END_VAR`
// in a basic or simple FB type's VAR, or in a FUNCTION_BLOCK of IEC
// 61131-3 form) of the standard FBs (standard_function_blocks.h) and of
// user FUNCTION_BLOCKs. Rules and choices:
// - an instance's variables (inputs, outputs, VARs, and its own instances'
//   in turn) are internals of the FB type that holds it, named
//   "Timer.IN", "Timer.Q", "Outer.Inner.Q", ...: they are part of the
//   instance's state like every variable (online reconfiguration carries
//   them by name, as it does the ECC's state); nothing is allocated nor
//   looked up by name at run time;
// - a call `Timer(IN := x, PT := T#5s, Q => q)` (or by position, all the
//   inputs in declared order: `Timer(x, T#5s)`) is a statement; it sets
//   the inputs given (the others keep their last values), inlines the
//   FB's body on the instance's slots, then copies the outputs named with
//   `=>`; its VAR_TEMPs start from their initial values at every call; a
//   VAR_IN_OUT of a FUNCTION_BLOCK is given at every call and refers to
//   the caller's variable, with the rules of a function's;
// - `Timer : TON := (PT := T#5s)` sets initial values of inputs and
//   outputs (literals, enumerated values) in the instance's slots;
// - outside the call, `Timer.Q` reads an output, `Timer.PT` reads or
//   writes an input; the FB's VARs are not visible; an instance is neither
//   a value nor assignable;
// - an FB holding an instance of itself, directly or not, is refused where
//   the declaration that closes the cycle is written; instances cannot be
//   inputs, outputs, VAR_TEMPs, array elements, nor held by a FUNCTION.
std::shared_ptr<FunctionDef> function_block_type(const TypeRef& t, const TypeScope& scope);  // null: not an FB
void declare_instance(const std::string& path, const FunctionDef& f, std::vector<VarDecl>& internals);
// An instance's initial values, `T : TON := (PT := T#5s, IN := TRUE)`
// (IEC 61131-3 6.5.2.2: inputs and outputs, literals), written over the
// internals declare_instance made for `path`. "" when they apply, else why not.
std::string initialise_instance(const std::string& path, const FunctionDef& f, std::string_view text,
                                std::vector<VarDecl>& internals);
uint32_t instance_slots(const FunctionDef& f);

class StCompiler {
 public:
  // Variables are looked up in `iface`; temporaries (and the algorithms'
  // VAR_TEMPs) are appended to its internals, as hidden names starting
  // with '$'. `unresolved` names variables declared with an error already
  // reported (an unknown type, ...): using them reports nothing more.
  StCompiler(std::string_view file, Interface& iface, const TypeScope& scope, Diagnostics& diags,
             std::vector<std::string> unresolved = {})
      : file_(file), iface_(iface), scope_(scope), diags_(diags), unresolved_(std::move(unresolved)) {}

  // An algorithm; nullopt when it has errors (all reported).
  std::optional<Algorithm> algorithm(const AlgorithmAst& alg);

  // A guard: a BOOL expression, compiled to an algorithm ending in kRet.
  std::optional<Algorithm> guard(std::string name, const Expr& condition);

  // The FB instances of the FB type (declare_instance made their slots).
  void set_instances(FbInstances instances) { instances_ = std::move(instances); }
  // The FB type's VAR CONSTANTs: integer values (CASE labels), every name (read-only).
  void set_constants(Constants values, std::vector<std::string> names) {
    constants_ = std::move(values);
    constant_names_ = std::move(names);
  }

 private:
  std::string file_;
  Interface& iface_;
  const TypeScope& scope_;
  Diagnostics& diags_;
  std::vector<std::string> unresolved_;
  FbInstances instances_;
  Constants constants_;
  std::vector<std::string> constant_names_;
};

}  // namespace plc::lang
