// The tokens of the textual language: IEC 61131-3 3rd ed. 6.1-6.3
// (character set, identifiers, keywords, comments, literals) plus the
// keywords of IEC 61499-1 Annex B.
//
// Keywords are recognised whatever their case; identifiers keep their
// spelling. Comments are `(* ... *)` (nesting allowed, as 3rd ed. 6.1.5
// permits), `/* ... */` and `// ...` to the end of the line. A literal
// token's text is the literal exactly as written, type prefix and sign
// after '#' included (`UINT#16#FF`, `T#-2m`), the form plc::parse_literal
// reads; a minus in front of a literal is a separate token. A name
// before '#' that is no elementary type, followed by a name (`Color#Red`),
// is a kTyped token too: an enumerated value, which the compiler checks
// against the types it knows. Directly after '.', `%X3` is an identifier
// (bit access `x.%X3`); `x.3` is '.' and an integer.
//
// Deliberate limits: a string literal ends at its line (IEC strings hold no
// raw line breaks: $N); `WITH`, `IN`, `ST`, `ON` and `EVENT` are not
// reserved, the parser recognises them by position, so they stay usable as
// names. Lexical errors (stray characters, unterminated comments and
// strings, malformed literals, bad $ escapes) are reported once each, an
// unterminated comment or string at its start; the token becomes
// Tok::kError so the parser adds nothing about it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/language/ast.h"
#include "runtime/status.h"

namespace plc::lang {

enum class Tok : uint8_t {
  kEnd,    // end of the source (text empty, loc just past the last byte)
  kError,  // a lexical error, already reported
  kIdent,
  // Literals.
  kInteger,      // 42  1_000  16#AFFE
  kReal,         // 3.5  1.0E3  1e-3
  kBool,         // TRUE FALSE
  kString,       // 'abc'
  kWString,      // "abc"
  kTime,         // T#1s  TIME#-2m  LT#5ns
  kDate,         // D#2024-01-31
  kTimeOfDay,    // TOD#12:30:00.5
  kDateAndTime,  // DT#2024-01-31-12:30:00
  kTyped,        // INT#5  UINT#16#FF  REAL#1.5  BOOL#1  STRING#'a'
  // Punctuation and operators.
  kAssign,     // :=
  kOutAssign,  // =>
  kArrow,      // ->
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kSemicolon,
  kColon,
  kDot,
  kRange,  // ..
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPower,  // **
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAmp,    // &
  kCaret,  // ^ (a reference's dereference)
  // Keywords: Structured Text.
  kAnd,
  kOr,
  kXor,
  kNot,
  kMod,
  kIf,
  kThen,
  kElsif,
  kElse,
  kEndIf,
  kCase,
  kOf,
  kEndCase,
  kFor,
  kTo,
  kBy,
  kDo,
  kEndFor,
  kWhile,
  kEndWhile,
  kRepeat,
  kUntil,
  kEndRepeat,
  kExit,
  kContinue,
  kReturn,
  // Keywords: declarations (IEC 61499-1 Annex B, IEC 61131-3).
  kFunctionBlock,
  kEndFunctionBlock,
  kEventInput,
  kEventOutput,
  kEndEvent,
  kVarInput,
  kVarOutput,
  kVarInOut,
  kVar,
  kVarInternal,
  kVarTemp,
  kEndVar,
  kEcStates,
  kEndStates,
  kEcTransitions,
  kEndTransitions,
  kAlgorithm,
  kEndAlgorithm,
  kFbs,
  kEndFbs,
  kEventConnections,
  kDataConnections,
  kEndConnections,
  kService,
  kEndService,
  kType,
  kEndType,
  kStruct,
  kEndStruct,
  kArray,
  kSystem,
  kEndSystem,
  kApplication,
  kEndApplication,
  kDevice,
  kEndDevice,
  kResource,
  kEndResource,
  kMapping,
  kEndMapping,
  kFunction,
  kEndFunction,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;  // into the source
  Loc loc;
};

// A problem found in a source, before it is given its file name.
struct SourceError {
  Loc loc;
  std::string message;
};

// Reads tokens one at a time; after the last one it returns kEnd forever.
// No allocation per token (only per error).
class Lexer {
 public:
  explicit Lexer(std::string_view source);

  Token next();

  const std::vector<SourceError>& errors() const { return errors_; }
  // A comment ran to the end of the source: what the parser would say
  // about the end of file is a consequence, not news.
  bool ended_in_comment() const { return ended_in_comment_; }

 private:
  Loc loc_of(const char* p) const;
  void newline(const char* p);  // p points at '\n'
  void error(const char* at, std::string message);
  void skip_space_and_comments();
  bool skip_block_comment(bool nested);
  Token make(Tok kind, const char* start, Loc loc) const;
  Token word(const char* start, Loc loc);
  Token typed_literal(const char* start, Loc loc, std::string_view prefix);
  bool number_body(const char* start);  // false: malformed (reported)
  Token number(const char* start, Loc loc);
  Token string(const char* start, Loc loc);
  Token stray(const char* start, Loc loc);

  const char* end_;
  const char* p_;
  const char* line_start_;
  uint32_t line_ = 1;
  std::vector<SourceError> errors_;
  bool ended_in_comment_ = false;
};

// Every token of `source`, the final kEnd included; lexical errors go to
// `diags` as "file:line:col".
std::vector<Token> tokenize(std::string_view file_name, std::string_view source, Diagnostics& diags);

// How a token kind is written: ":=", "END_IF", "identifier", "end of file".
std::string_view spelling(Tok kind);
bool is_literal(Tok kind);
bool is_keyword(Tok kind);

// "file:line:col"
std::string where(std::string_view file_name, Loc loc);

// Identifiers and keywords compare without regard to case.
bool same_word(std::string_view a, std::string_view b);

}  // namespace plc::lang
