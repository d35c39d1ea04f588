// The parser of the textual language: IEC 61499-1 Annex B (function block
// types, composite networks, systems) with IEC 61131-3 Structured Text
// (3rd ed. 7.3) for algorithms and ECC conditions, and IEC 61131-3 STRUCT
// type declarations. It builds the tree of ast.h.
//
// It never throws and always ends, whatever the bytes: every syntax error
// goes to `diags` as "file:line:col" with what was expected and what was
// found, then the parser resynchronises (at the next ';', block end or
// section keyword) and goes on, so one run reports every error of a file,
// at most one per statement or declaration. Constructs with errors are left
// out of the tree, so every pointer the tree holds is set, except the ones
// ast.h says may be null (FOR step, the guard of `Event[]`). Past 1000
// errors it stops with "too many errors".
//
// Nesting is bounded (IF in IF, parentheses, unary chains, and the height of
// an expression tree) by kMaxNesting, so the parser and every recursive walk
// over its tree use a bounded stack. A chain of binary operators
// (`a + b + ...`, left-associative) is a left spine that every walk follows
// in a loop (and ~Expr frees without recursion): it may be as long as the
// source; only right operands (`a + (b + ...)`, `a + b * c`) add a level.
//
// Where the standard leaves a choice:
// - operator precedence is 3rd ed. table 71: unary - + NOT bind tighter
//   than **, and ** is left-associative like every binary operator;
// - a '-' written directly before a number (no space: `-5`, `-1.5E3`) makes
//   one literal "-5", the form plc::parse_literal reads (and the only way to
//   write INT's -32768); `- 5` and `-x` are unary minus;
// - an ECC condition `Event[guard]` (4diac) fills EccTransitionAst::event;
//   `[guard]` alone is the guard; anything else is one expression;
// - an initial value (`:= ...`) and an FB/device/resource parameter value
//   are kept as source text, as written, comments left out;
// - FUNCTION_BLOCK is IEC 61131-3's form (a FunctionAst with
//   function_block set) when its declarations are followed by a statement
//   or VAR_TEMP, Annex B's otherwise; TYPE blocks declare structures and
//   enumerated types (`Color : (Red, Green := 5);`); VAR CONSTANT marks
//   the section's declarations (CONSTANT after another VAR_ keyword is an
//   error; VAR RETAIN, VAR_INPUT RETAIN and VAR_OUTPUT RETAIN mark theirs
//   retained, NON_RETAIN is the default said aloud).
#pragma once

#include <string_view>

#include "runtime/language/ast.h"
#include "runtime/status.h"

namespace plc::lang {

inline constexpr int kMaxNesting = 200;

// Parses a whole source file: any number of TYPE blocks, FUNCTION_BLOCK
// types and SYSTEMs in any order.
FileAst parse_file(std::string_view file_name, std::string_view text, Diagnostics& diags);

// Parses one ST expression alone (tests; guards given as text). Null when
// there was any error.
ExprPtr parse_expression(std::string_view file_name, std::string_view text, Diagnostics& diags);

// Entry points for ST held in another format (the 4diac XML importer):
// `origin` is where `text` starts in `file_name`, so diagnostics and tree
// locations point into that file (line 1 of the text is shifted by
// origin.col, later lines only by origin.line).

// An algorithm's text as 4diac stores it: `ALGORITHM Name [IN ST :]`,
// VAR_TEMP blocks (or VAR, as older files write them), statements,
// `END_ALGORITHM`; or, as older files do, the statements alone (then the
// name is left empty). `language` is "ST". Here and in an ECC condition
// only ST's keywords are reserved: SERVICE, DEVICE, TYPE and the other
// words of plc's declarations are names.
AlgorithmAst parse_algorithm_text(std::string_view file_name, std::string_view text, Loc origin, Diagnostics& diags);

// An ECC transition condition as 4diac writes it: `1`, `Event`,
// `Event[guard]`, `[guard]`, `Adapter.Event[guard]`, or one expression
// (`Event AND guard`, `Adapter.Event`). Fills `event` (the bracket forms;
// "Adapter.Event" keeps its dot) and `condition`; from/to stay empty.
// Returns false when there was any error (the transition is then partial).
bool parse_transition_condition(std::string_view file_name, std::string_view text, Loc origin, EccTransitionAst& out,
                                Diagnostics& diags);

}  // namespace plc::lang
