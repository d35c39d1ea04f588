// The syntax tree of the textual language: IEC 61499-1 Annex B function
// block types and systems, with IEC 61131-3 Structured Text algorithms.
//
// The parser (parser.h) produces it and never fails: syntax errors become
// diagnostics and the tree keeps what could be read. The checkers
// (st_compiler.h, fb_type_compiler.h, system_compiler.h) give it meaning.
// Every node carries the position of its first token for diagnostics.
// Names are kept as written; every comparison of identifiers ignores case.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace plc::lang {

struct Loc {
  uint32_t line = 0, col = 0;  // 1-based; 0: unknown
};

// An identifier as written, with where it was written.
struct Name {
  std::string text;
  Loc loc;
};

// ---------------------------------------------------------------- types

// One dimension of an array after the first: `, lo..hi` or `OF ARRAY[lo..hi]`.
struct ArrayRange {
  int64_t lo = 0, hi = 0;
  Name lo_name, hi_name;  // as TypeRef's
};

// A data type as written: INT, STRING[20], ARRAY[0..9] OF REAL, MyStruct,
// ARRAY[0..1, 0..2] OF INT, ARRAY[0..1] OF ARRAY[0..2] OF INT, INT (0..100).
struct TypeRef {
  Loc loc;
  std::string name;            // element type name as written
  uint32_t string_length = 0;  // STRING[n] / WSTRING[n]; 0: default
  bool is_array = false;
  int64_t lo = 0, hi = 0;  // ARRAY[lo..hi]: the first dimension
  Name lo_name, hi_name;   // a bound written as a constant's name (VAR CONSTANT), resolved by resolve_var
  // The further dimensions, in order. An array of arrays is laid out as the
  // multi-dimensional array of the same bounds, and is the same type here.
  std::vector<ArrayRange> more_dims;
  // A subrange (IEC 61131-3 6.4.4.4): `INT (lo..hi)`.
  bool subrange = false;
  int64_t range_lo = 0, range_hi = 0;
  Loc range_loc;
  // A reference (IEC 61131-3 6.4.4.10): `REF_TO type`, the type it refers
  // to; `name` is then "REF_TO".
  std::shared_ptr<TypeRef> ref_to;
};

// TYPE Matrix : ARRAY[1..3, 1..3] OF REAL; END_TYPE, TYPE Percent : INT
// (0..100) := 50; END_TYPE: a name for a type, with its own initial value.
struct TypeAliasAst {
  Name name;
  TypeRef type;
  std::string initial;  // "" if none
  Loc initial_loc;
};

// ------------------------------------------------------------- Structured Text

enum class ExprKind : uint8_t {
  kLiteral,  // text: the literal as written ("INT#5", "T#1s", "'abc'", "TRUE", "3.5")
  kName,     // text: a variable (or, in ECC conditions, an event input)
  kIndex,    // args[0][args[1]]
  kMember,   // args[0].text
  kUnary,    // op args[0]
  kBinary,   // args[0] op args[1]
  kCall,     // text(args...); arg_names[k] non-empty for formal IN := x (or OUT => x)
  kDeref,    // args[0]^: the variable a reference refers to
};

enum class OpKind : uint8_t {
  kNone,
  kOr,
  kXor,
  kAnd,  // boolean / bitwise
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,  // comparison
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kNeg,
  kNot,
  kPlus,  // unary
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  Expr() = default;
  Expr(Expr&&) = default;
  Expr& operator=(Expr&&) = default;
  // Frees the tree without recursion: a chain `a + b + ...` is a left spine
  // as long as the source (parser.h).
  ~Expr();

  ExprKind kind = ExprKind::kLiteral;
  OpKind op = OpKind::kNone;
  Loc loc;
  std::string text;
  std::vector<ExprPtr> args;
  std::vector<std::string> arg_names;  // kCall: formal parameter names, or ""
  std::vector<bool> arg_outputs;       // kCall: argument k is `OUT => variable`
};

enum class StmtKind : uint8_t {
  kAssign,  // target := value
  kIf,      // conds[k] THEN bodies[k]; ELSE bodies.back() when bodies.size() > conds.size()
  kCase,    // CASE value OF labels[k]: bodies[k]; ELSE bodies.back() when bodies.size() > labels.size()
  kFor,     // FOR target := value TO limit BY step DO bodies[0]
  kWhile,   // WHILE conds[0] DO bodies[0]
  kRepeat,  // REPEAT bodies[0] UNTIL conds[0]
  kExit,
  kContinue,
  kReturn,
  kCall,  // a function called as a statement: value
};

// One CASE label: a single value (hi == nullptr) or a range lo..hi.
struct CaseLabel {
  ExprPtr lo, hi;
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

struct Stmt {
  StmtKind kind = StmtKind::kAssign;
  Loc loc;
  ExprPtr target;  // kAssign, kFor (a kName)
  ExprPtr value;   // kAssign, kCase selector, kFor start, kCall
  ExprPtr limit;   // kFor TO
  ExprPtr step;    // kFor BY (may be null)
  std::vector<ExprPtr> conds;
  std::vector<std::vector<CaseLabel>> labels;
  std::vector<Block> bodies;
};

// ------------------------------------------------------------- declarations

struct VarDeclAst {
  Name name;
  TypeRef type;
  std::string initial;  // the literal after ':=' as written ("" if none)
  Loc initial_loc;
  bool constant = false;  // declared in VAR CONSTANT
  bool retain = false;    // declared in VAR RETAIN, VAR_INPUT RETAIN or VAR_OUTPUT RETAIN
};

struct EventDeclAst {
  Name name;
  std::vector<Name> with;  // WITH A, B
};

struct AlgorithmAst {
  Name name;
  std::string language;           // "ST"; others are reported
  std::vector<VarDeclAst> temps;  // VAR_TEMP at the start of the body (4diac)
  Block body;
};

struct EccActionAst {
  Loc loc;
  Name algorithm;  // text empty: none
  Name output;     // text empty: none
};

struct EccStateAst {
  Name name;
  std::vector<EccActionAst> actions;
};

// `A TO B := condition;`. The condition is either `Event[guard]` (4diac:
// event set, guard may be null), or one expression: `1`, an event, a guard,
// or `Event AND guard` (first edition); the FB type compiler tells events
// from variables.
struct EccTransitionAst {
  Loc loc;
  Name from, to;
  Name event;  // only for the bracket form
  ExprPtr condition;
};

struct FbInstanceAst {
  Name name;
  Name type;
  std::vector<std::pair<Name, std::string>> parameters;  // FB : T := (PV := 5)
};

// `a.b TO c.d;` (or `literal TO c.d;` in DATA_CONNECTIONS: a parameter).
struct ConnectionAst {
  Loc loc;
  std::string source, destination;
  bool source_is_literal = false;
};

struct NetworkAst {
  std::vector<FbInstanceAst> fbs;
  std::vector<ConnectionAst> event_connections;
  std::vector<ConnectionAst> data_connections;
};

enum class FbTypeKind : uint8_t { kBasic, kSimple, kComposite, kServiceInterface };

struct FbTypeAst {
  Name name;
  std::string comment;
  std::vector<EventDeclAst> event_inputs, event_outputs;
  std::vector<VarDeclAst> inputs, outputs, internals;
  std::vector<AlgorithmAst> algorithms;
  std::vector<EccStateAst> states;
  std::vector<EccTransitionAst> transitions;
  NetworkAst network;  // composite
  // What the body says: ECC -> basic, FBS -> composite, SERVICE or
  // nothing but the interface -> service interface (behaviour native).
  FbTypeKind kind = FbTypeKind::kServiceInterface;
};

// IEC 61131-3 6.6.2: FUNCTION Name : Type ... END_FUNCTION. The result
// type is left empty (`name` "") for a function without one; its body
// assigns the result to the function's name.
// IEC 61131-3 6.6.3: FUNCTION_BLOCK Name VAR_INPUT ... END_VAR ... statements
// END_FUNCTION_BLOCK (no events: the form of IEC 61131-3, not Annex B) is
// one too, with `function_block` set: its VAR (locals) keep their values
// between calls, its VAR_TEMP (temps) do not; no result.
struct FunctionAst {
  Name name;
  TypeRef result;
  std::vector<VarDeclAst> inputs, outputs, in_outs, locals;  // locals: VAR and VAR_TEMP (a function's)
  std::vector<VarDeclAst> temps;                             // a function block's VAR_TEMP
  bool function_block = false;
  // The order of positional arguments: inputs and in-outs as declared
  // (true: in_outs[index], false: inputs[index]).
  std::vector<std::pair<bool, size_t>> positional;
  Block body;
  Loc end;  // END_FUNCTION
};

// TYPE Name : STRUCT a : INT; b : REAL := 1.5; END_STRUCT; END_TYPE
struct StructTypeAst {
  Name name;
  std::vector<VarDeclAst> members;
};

// TYPE Color : (Red, Green := 5, Blue); END_TYPE (IEC 61131-3 6.4.4.2),
// or with named values of a given integer type, `Mask : BYTE (A := 1, B
// := 16#80)`: a value's text is the integer written after ':=', or "".
struct EnumTypeAst {
  Name name;
  Name base;  // "" when not given
  std::vector<std::pair<Name, std::string>> values;
};

struct ResourceAst {
  Name name, type;
  std::vector<std::pair<Name, std::string>> parameters;  // RESOURCE r : T := (queue_capacity := 64)
  NetworkAst network;                                    // FBs local to the resource
};

struct DeviceAst {
  Name name, type;
  std::vector<std::pair<Name, std::string>> parameters;
  std::vector<ResourceAst> resources;
};

struct ApplicationAst {
  Name name;
  NetworkAst network;
};

// MAPPING app.fb ON device.resource;
struct MappingAst {
  Loc loc;
  std::string fb;        // "App.FB" or "FB"
  std::string resource;  // "Device.Resource"
};

struct SystemAst {
  Name name;
  std::vector<ApplicationAst> applications;
  std::vector<DeviceAst> devices;
  std::vector<MappingAst> mappings;
};

// One source file: any number of types, and at most one system.
struct FileAst {
  std::vector<StructTypeAst> structs;
  std::vector<EnumTypeAst> enums;
  std::vector<TypeAliasAst> aliases;
  std::vector<VarDeclAst> global_constants;  // VAR_GLOBAL CONSTANT ... END_VAR
  std::vector<FbTypeAst> fb_types;
  std::vector<std::shared_ptr<const FunctionAst>> functions;  // shared with the TypeScope that calls them
  std::vector<SystemAst> systems;
};

}  // namespace plc::lang
