// Variable declarations and data types as written (ast.h) turned into the
// engine's VarDecl and StructType, with their checks: unknown types, array
// bounds, string capacities, initial values that are no literal of the type.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fb_type.h"
#include "runtime/language/ast.h"
#include "runtime/status.h"

namespace plc {

// An enumerated type (IEC 61131-3 6.4.4.2): named values stored as integers
// of `base` (the type named in `Mask : BYTE (...)`; without one INT, or
// DINT when a value needs it). A value without ':=' is the previous one
// plus 1 (the first: 0).
struct EnumType {
  std::string name;
  std::vector<std::pair<std::string, int64_t>> values;
  DataType base = DataType::kInt;
  const int64_t* find(std::string_view value) const;  // case-insensitive
};

}  // namespace plc

namespace plc::lang {

// The constants of one POU (IEC 61131-3 6.5.6: VAR CONSTANT), with their
// values: usable in array bounds and CASE labels when they are integers.
struct Constant {
  std::string name;
  DataType type = DataType::kInt;
  Value value{.u = 0};
};
using Constants = std::vector<Constant>;
const Constant* find_constant(const Constants& list, std::string_view name);

struct FunctionDef;
// FB instances declared in a VAR (IEC 61131-3 6.5.2.2): name, FB type.
using FbInstances = std::vector<std::pair<std::string, std::shared_ptr<FunctionDef>>>;

// A user FUNCTION (IEC 61131-3 6.6.2) as the ST compiler checks it: once,
// on first use or in file order (st_compiler.h check_functions), then its
// resolved variables are kept for inlining it at every call.
struct FunctionDef {
  enum class State : uint8_t { kUnchecked, kChecking, kOk, kBroken };
  std::shared_ptr<const FunctionAst> ast;
  std::string file;
  State state = State::kUnchecked;
  std::vector<VarDecl> inputs, outputs, in_outs, locals;
  std::optional<VarDecl> result;  // nullopt: a function without a result
  // A function block's (ast->function_block): its VAR_TEMPs, and the FB
  // instances among its VARs (left out of `locals`), in declaration order.
  std::vector<VarDecl> temps;
  FbInstances instances;
  std::vector<std::string> instance_initials;  // per instance: `(PT := T#5s)` as written, or ""
  uint32_t instance_slots = 0;                 // a checked function block's: the slots of one instance
  Constants constants;                         // its VAR CONSTANTs of integer types
  std::vector<std::string> constant_names;     // all its VAR CONSTANTs
  bool function_block() const { return ast->function_block; }
};

// The structured types and functions visible to a file (its own TYPE and
// FUNCTION blocks and those already known), looked up case-insensitively.
// Functions and function blocks share one namespace (IEC 61131-3 POUs);
// the standard FBs of IEC 61131-3 (TON, CTU, R_TRIG, ...: see
// standard_function_blocks.h) are found in every scope, after its own.
class TypeScope {
 public:
  void add_function(std::shared_ptr<FunctionDef> f);
  std::shared_ptr<FunctionDef> find_function(std::string_view name) const;
  // The scope the standard FBs are checked in: without them.
  void without_standard_function_blocks() { standard_ = false; }
  std::vector<std::string> function_names() const;

  void add(std::shared_ptr<const StructType> t);
  std::shared_ptr<const StructType> find(std::string_view name) const;
  // Global constants (VAR_GLOBAL CONSTANT): visible in every POU of the scope.
  void add_global_constant(Constant c) { globals_.push_back(std::move(c)); }
  const Constant* find_global_constant(std::string_view name) const { return find_constant(globals_, name); }
  // Named types of other kinds (TYPE Matrix : ARRAY[...] OF REAL): kept as
  // written and put in place of their name where they are used.
  void add_alias(TypeAliasAst a);
  const TypeAliasAst* find_alias(std::string_view name) const;
  void add_enum(std::shared_ptr<const EnumType> t);
  std::shared_ptr<const EnumType> find_enum(std::string_view name) const;
  // Every enumerated type with a value of that name.
  std::vector<std::shared_ptr<const EnumType>> enums_with(std::string_view value) const;
  std::vector<std::string> names() const;
  // A structured type declared with errors (reported): declarations of its
  // type fail without a second report.
  void add_broken(std::string_view name);
  bool broken(std::string_view name) const;

 private:
  std::map<std::string, std::shared_ptr<const StructType>> structs_;  // key: upper case
  std::map<std::string, std::shared_ptr<const EnumType>> enums_;      // key: upper case
  std::map<std::string, TypeAliasAst> aliases_;                       // key: upper case
  std::map<std::string, std::string> broken_;                         // key: upper case
  std::map<std::string, std::shared_ptr<FunctionDef>> functions_;     // key: upper case
  bool standard_ = true;
  Constants globals_;
};

// Adds the constants among `decls` whose type is an integer or bit string
// to `out`; reports a constant without an initial value. (The others are
// checked as variables by resolve_var.)
void collect_constants(const std::vector<VarDeclAst>& decls, std::string_view file, Diagnostics& diags, Constants& out);

// Resolves one declaration; reports problems to `diags` and returns nullopt.
// Array bounds written as names are looked up in `constants`.
std::optional<VarDecl> resolve_var(const VarDeclAst& v, const TypeScope& scope, std::string_view file,
                                   Diagnostics& diags, const Constants* constants = nullptr);

// Resolves a global constant list (elementary types but strings, literal
// values) and adds it to `scope`.
void resolve_global_constants(const std::vector<VarDeclAst>& decls, TypeScope& scope, std::string_view file,
                              Diagnostics& diags);

// Resolves enumerated types and adds them to `scope`.
void resolve_enums(const std::vector<EnumTypeAst>& enums, TypeScope& scope, std::string_view file, Diagnostics& diags);

// The value an enumerated literal names: `Red` or `Color#Red`; nullopt if
// it names none of `t`'s.
std::optional<int64_t> enum_literal(const EnumType& t, std::string_view text);

// Checks named array, subrange and other types (TYPE Percent : INT
// (0..100); END_TYPE) in order (one may use earlier ones) and adds them to
// `scope`. Those whose element type is one of `later` (structures declared
// in the same file, not resolved yet) are left for a second call, after
// resolve_structs, and returned.
std::vector<TypeAliasAst> resolve_aliases(std::vector<TypeAliasAst> aliases, TypeScope& scope, std::string_view file,
                                          Diagnostics& diags, const std::vector<StructTypeAst>& later);

// Resolves TYPE ... STRUCT blocks in order (a struct may use earlier ones)
// and adds them to `scope`.
void resolve_structs(const std::vector<StructTypeAst>& structs, TypeScope& scope, std::string_view file,
                     Diagnostics& diags);

}  // namespace plc::lang
