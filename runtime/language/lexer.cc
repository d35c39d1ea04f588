#include "runtime/language/lexer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace plc::lang {
namespace {

constexpr size_t kMaxLexErrors = 1000;  // the parser says "too many errors" past this

struct Keyword {
  std::string_view upper;
  Tok kind;
};

constexpr std::array kKeywords = std::to_array<Keyword>({
    {"ALGORITHM", Tok::kAlgorithm},
    {"AND", Tok::kAnd},
    {"APPLICATION", Tok::kApplication},
    {"ARRAY", Tok::kArray},
    {"BY", Tok::kBy},
    {"CASE", Tok::kCase},
    {"CONTINUE", Tok::kContinue},
    {"DATA_CONNECTIONS", Tok::kDataConnections},
    {"DEVICE", Tok::kDevice},
    {"DO", Tok::kDo},
    {"EC_STATES", Tok::kEcStates},
    {"EC_TRANSITIONS", Tok::kEcTransitions},
    {"ELSE", Tok::kElse},
    {"ELSIF", Tok::kElsif},
    {"END_ALGORITHM", Tok::kEndAlgorithm},
    {"END_APPLICATION", Tok::kEndApplication},
    {"END_CASE", Tok::kEndCase},
    {"END_CONNECTIONS", Tok::kEndConnections},
    {"END_DEVICE", Tok::kEndDevice},
    {"END_EVENT", Tok::kEndEvent},
    {"END_FBS", Tok::kEndFbs},
    {"END_FOR", Tok::kEndFor},
    {"END_FUNCTION", Tok::kEndFunction},
    {"END_FUNCTION_BLOCK", Tok::kEndFunctionBlock},
    {"END_IF", Tok::kEndIf},
    {"END_MAPPING", Tok::kEndMapping},
    {"END_REPEAT", Tok::kEndRepeat},
    {"END_RESOURCE", Tok::kEndResource},
    {"END_SERVICE", Tok::kEndService},
    {"END_STATES", Tok::kEndStates},
    {"END_STRUCT", Tok::kEndStruct},
    {"END_SYSTEM", Tok::kEndSystem},
    {"END_TRANSITIONS", Tok::kEndTransitions},
    {"END_TYPE", Tok::kEndType},
    {"END_VAR", Tok::kEndVar},
    {"END_WHILE", Tok::kEndWhile},
    {"EVENT_CONNECTIONS", Tok::kEventConnections},
    {"EVENT_INPUT", Tok::kEventInput},
    {"EVENT_OUTPUT", Tok::kEventOutput},
    {"EXIT", Tok::kExit},
    {"FALSE", Tok::kBool},
    {"FBS", Tok::kFbs},
    {"FOR", Tok::kFor},
    {"FUNCTION", Tok::kFunction},
    {"FUNCTION_BLOCK", Tok::kFunctionBlock},
    {"IF", Tok::kIf},
    {"MAPPING", Tok::kMapping},
    {"MOD", Tok::kMod},
    {"NOT", Tok::kNot},
    {"OF", Tok::kOf},
    {"OR", Tok::kOr},
    {"REPEAT", Tok::kRepeat},
    {"RESOURCE", Tok::kResource},
    {"RETURN", Tok::kReturn},
    {"SERVICE", Tok::kService},
    {"STRUCT", Tok::kStruct},
    {"SYSTEM", Tok::kSystem},
    {"THEN", Tok::kThen},
    {"TO", Tok::kTo},
    {"TRUE", Tok::kBool},
    {"TYPE", Tok::kType},
    {"UNTIL", Tok::kUntil},
    {"VAR", Tok::kVar},
    {"VAR_INPUT", Tok::kVarInput},
    {"VAR_INTERNAL", Tok::kVarInternal},
    {"VAR_IN_OUT", Tok::kVarInOut},
    {"VAR_OUTPUT", Tok::kVarOutput},
    {"VAR_TEMP", Tok::kVarTemp},
    {"WHILE", Tok::kWhile},
    {"XOR", Tok::kXor},
});

constexpr size_t kLongestKeyword = 18;  // END_FUNCTION_BLOCK

constexpr char upper(char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_ident_start(char c) { return is_letter(c) || c == '_'; }
constexpr bool is_ident_char(char c) { return is_letter(c) || is_digit(c) || c == '_'; }
constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool is_hex(char c) { return is_digit(c) || (upper(c) >= 'A' && upper(c) <= 'F'); }
constexpr bool starts_token(char c) {
  switch (c) {
    case '(':
    case ')':
    case '[':
    case ']':
    case ',':
    case ';':
    case ':':
    case '.':
    case '+':
    case '-':
    case '*':
    case '/':
    case '=':
    case '<':
    case '>':
    case '&':
    case '^':
    case '\'':
    case '"': return true;
    default: return is_ident_char(c) || is_space(c);
  }
}

// Keywords by a hash of their upper-case spelling (open addressing): one
// comparison for most words.
class KeywordTable {
 public:
  KeywordTable() {
    for (const Keyword& kw : kKeywords) {
      size_t h = hash(kw.upper);
      while (slots_[h]) h = (h + 1) % kSlots;
      slots_[h] = &kw;
    }
  }
  Tok find(std::string_view upper_word) const {
    for (size_t h = hash(upper_word); slots_[h]; h = (h + 1) % kSlots)
      if (slots_[h]->upper == upper_word) return slots_[h]->kind;
    return Tok::kIdent;
  }

 private:
  static constexpr size_t kSlots = 256;  // > 3x the keywords
  static size_t hash(std::string_view w) {
    return (w.size() * 7 + size_t(w.front()) * 31 + size_t(w.back()) * 13 + size_t(w[w.size() / 2])) % kSlots;
  }
  std::array<const Keyword*, kSlots> slots_{};
};

Tok keyword_kind(std::string_view word) {
  if (word.size() < 2 || word.size() > kLongestKeyword) return Tok::kIdent;
  static const KeywordTable table;
  char buf[kLongestKeyword];
  for (size_t k = 0; k < word.size(); ++k) buf[k] = upper(word[k]);
  return table.find(std::string_view(buf, word.size()));
}

// What follows '#' after a type name.
enum class Prefix { kTime, kDate, kTimeOfDay, kDateAndTime, kElementary, kUnknown };

Prefix classify_prefix(std::string_view p) {
  for (std::string_view s : {"T", "TIME", "LT", "LTIME"})
    if (same_word(p, s)) return Prefix::kTime;
  for (std::string_view s : {"D", "DATE", "LD", "LDATE"})
    if (same_word(p, s)) return Prefix::kDate;
  for (std::string_view s : {"TOD", "TIME_OF_DAY", "LTOD", "LTIME_OF_DAY"})
    if (same_word(p, s)) return Prefix::kTimeOfDay;
  for (std::string_view s : {"DT", "DATE_AND_TIME", "LDT", "LDATE_AND_TIME"})
    if (same_word(p, s)) return Prefix::kDateAndTime;
  for (std::string_view s : {"BOOL", "SINT", "INT", "DINT", "LINT", "USINT", "UINT", "UDINT", "ULINT", "BYTE", "WORD",
                             "DWORD", "LWORD", "REAL", "LREAL", "STRING", "WSTRING", "CHAR", "WCHAR"})
    if (same_word(p, s)) return Prefix::kElementary;
  return Prefix::kUnknown;
}

std::string describe_byte(char c) {
  char buf[32];
  if (c >= 0x20 && c < 0x7f) std::snprintf(buf, sizeof buf, "character '%c'", c);
  else std::snprintf(buf, sizeof buf, "byte 0x%02X", static_cast<unsigned char>(c));
  return buf;
}

}  // namespace

Lexer::Lexer(std::string_view source) : end_(source.data() + source.size()), p_(source.data()), line_start_(p_) {
  if (source.starts_with("\xEF\xBB\xBF")) p_ += 3;  // UTF-8 byte order mark
  line_start_ = p_;
}

Loc Lexer::loc_of(const char* p) const { return Loc{line_, uint32_t(p - line_start_ + 1)}; }

void Lexer::newline(const char* p) {
  ++line_;
  line_start_ = p + 1;
}

void Lexer::error(const char* at, std::string message) {
  if (errors_.size() < kMaxLexErrors + 1) errors_.push_back({loc_of(at), std::move(message)});
}

Token Lexer::make(Tok kind, const char* start, Loc loc) const {
  return Token{kind, std::string_view(start, size_t(p_ - start)), loc};
}

// Skips one comment whose opening p_ is at; false if it never ends.
bool Lexer::skip_block_comment(bool nested) {
  const char close = nested ? ')' : '/';
  int depth = 1;
  p_ += 2;
  while (p_ < end_) {
    if (*p_ == '\n') newline(p_);
    if (p_ + 1 < end_) {
      if (p_[0] == '*' && p_[1] == close) {
        p_ += 2;
        if (--depth == 0) return true;
        continue;
      }
      if (nested && p_[0] == '(' && p_[1] == '*') {
        p_ += 2;
        ++depth;
        continue;
      }
    }
    ++p_;
  }
  return false;
}

void Lexer::skip_space_and_comments() {
  for (;;) {
    while (p_ < end_ && is_space(*p_)) {
      if (*p_ == '\n') newline(p_);
      ++p_;
    }
    if (end_ - p_ < 2) return;
    const char* start = p_;
    const Loc at = loc_of(start);
    if ((p_[0] == '(' && p_[1] == '*') || (p_[0] == '/' && p_[1] == '*')) {
      if (!skip_block_comment(p_[0] == '(')) {
        errors_.push_back({at, "unterminated comment: '" + std::string(start, 2) + "' has no matching '" +
                                   (start[0] == '(' ? "*)" : "*/") + "'"});
        ended_in_comment_ = true;
      }
    } else if (p_[0] == '/' && p_[1] == '/') {
      while (p_ < end_ && *p_ != '\n') ++p_;
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skip_space_and_comments();
  const char* start = p_;
  const Loc loc = loc_of(start);
  if (p_ >= end_) return Token{Tok::kEnd, std::string_view(end_, 0), loc};
  const char c = *p_;
  if (is_ident_start(c)) return word(start, loc);
  if (c == '%' && start > line_start_ && start[-1] == '.' && p_ + 1 < end_ && is_ident_start(p_[1])) {
    // x.%X3: a bit of x (IEC 61131-3 6.5.5.2), a member name for the parser
    ++p_;
    while (p_ < end_ && is_ident_char(*p_)) ++p_;
    return make(Tok::kIdent, start, loc);
  }
  if (is_digit(c)) return number(start, loc);
  if (c == '\'' || c == '"') return string(start, loc);
  auto one = [&](Tok kind) {
    ++p_;
    return make(kind, start, loc);
  };
  auto two = [&](char second, Tok pair, Tok single) {
    if (p_ + 1 < end_ && p_[1] == second) {
      p_ += 2;
      return make(pair, start, loc);
    }
    return one(single);
  };
  switch (c) {
    case '(': return one(Tok::kLParen);
    case ')': return one(Tok::kRParen);
    case '[': return one(Tok::kLBracket);
    case ']': return one(Tok::kRBracket);
    case ',': return one(Tok::kComma);
    case ';': return one(Tok::kSemicolon);
    case '&': return one(Tok::kAmp);
    case '^': return one(Tok::kCaret);
    case '/': return one(Tok::kSlash);
    case ':': return two('=', Tok::kAssign, Tok::kColon);
    case '=': return two('>', Tok::kOutAssign, Tok::kEq);
    case '.': return two('.', Tok::kRange, Tok::kDot);
    case '+': return one(Tok::kPlus);
    case '-': return two('>', Tok::kArrow, Tok::kMinus);
    case '*': return two('*', Tok::kPower, Tok::kStar);
    case '>': return two('=', Tok::kGe, Tok::kGt);
    case '<':
      if (p_ + 1 < end_ && p_[1] == '>') {
        p_ += 2;
        return make(Tok::kNe, start, loc);
      }
      return two('=', Tok::kLe, Tok::kLt);
    default: return stray(start, loc);
  }
}

// Bytes that start no token: one error for the whole run.
Token Lexer::stray(const char* start, Loc loc) {
  while (p_ < end_ && !starts_token(*p_)) ++p_;
  error(start, "unexpected " + describe_byte(*start));
  return make(Tok::kError, start, loc);
}

Token Lexer::word(const char* start, Loc loc) {
  while (p_ < end_ && is_ident_char(*p_)) ++p_;
  std::string_view w(start, size_t(p_ - start));
  if (p_ < end_ && *p_ == '#') return typed_literal(start, loc, w);
  return make(keyword_kind(w), start, loc);
}

// TYPE#value: the value's form depends on the type.
Token Lexer::typed_literal(const char* start, Loc loc, std::string_view prefix) {
  ++p_;  // '#'
  const char* value = p_;
  auto take = [&](auto&& allowed) {
    while (p_ < end_ && allowed(*p_)) ++p_;
  };
  auto sign = [&] {
    if (p_ < end_ && (*p_ == '-' || *p_ == '+')) ++p_;
  };
  Tok kind = Tok::kTyped;
  switch (classify_prefix(prefix)) {
    case Prefix::kTime:
      kind = Tok::kTime;
      sign();
      take([](char c) { return is_ident_char(c) || c == '.'; });
      break;
    case Prefix::kDate:
      kind = Tok::kDate;
      take([](char c) { return is_digit(c) || c == '-' || c == '_'; });
      break;
    case Prefix::kTimeOfDay:
      kind = Tok::kTimeOfDay;
      take([](char c) { return is_digit(c) || c == ':' || c == '.' || c == '_'; });
      break;
    case Prefix::kDateAndTime:
      kind = Tok::kDateAndTime;
      take([](char c) { return is_digit(c) || c == '-' || c == ':' || c == '.' || c == '_'; });
      break;
    case Prefix::kElementary:
      // STRING# 'abc': blanks before a quoted value, as 4diac's grammar
      // (whose '#' and string are separate tokens) takes them; IEC 61131-3
      // writes the literal as one token. Nothing else may stand between.
      for (const char* q = p_; q < end_ && (*q == ' ' || *q == '\t' || *q == '\'' || *q == '"'); ++q) {
        if (*q == '\'' || *q == '"') {
          p_ = q;
          break;
        }
      }
      sign();
      if (p_ < end_ && (*p_ == '\'' || *p_ == '"')) {
        Token s = string(p_, loc);
        if (s.kind == Tok::kError) return make(Tok::kError, start, loc);
      } else if (p_ < end_ && is_digit(*p_)) {
        if (!number_body(p_)) return make(Tok::kError, start, loc);
      } else {
        take(is_ident_char);  // BOOL#TRUE
      }
      break;
    case Prefix::kUnknown:
      // Color#Red: an enumerated type's value (the compiler knows the types).
      if (p_ < end_ && is_ident_char(*p_) && !is_digit(*p_)) {
        take(is_ident_char);
        break;
      }
      take(is_ident_char);
      error(start, "unknown type '" + std::string(prefix) + "' in the typed literal '" +
                       std::string(start, size_t(p_ - start)) + "'");
      return make(Tok::kError, start, loc);
  }
  if (p_ == value || (p_ == value + 1 && (*value == '-' || *value == '+'))) {
    error(start, "'" + std::string(start, size_t(p_ - start)) + "' lacks its value after '#'");
    return make(Tok::kError, start, loc);
  }
  return make(kind, start, loc);
}

// Digits with '_' separators, a based integer (16#FF) or a real (1.5E-3);
// advances p_ past it. Reports malformed ones.
bool Lexer::number_body(const char* start) {
  auto digits = [&](auto&& allowed) {
    while (p_ < end_ && (allowed(*p_) || *p_ == '_')) ++p_;
  };
  auto well_separated = [](std::string_view s) {
    return !s.empty() && s.front() != '_' && s.back() != '_' && s.find("__") == std::string_view::npos;
  };
  digits(is_digit);
  if (p_ < end_ && *p_ == '#') {
    std::string_view base_text(start, size_t(p_ - start));
    const char* value = ++p_;
    digits(is_ident_char);
    std::string_view v(value, size_t(p_ - value));
    const unsigned base = base_text == "2" ? 2 : base_text == "8" ? 8 : base_text == "16" ? 16 : 0;
    if (base == 0) {
      error(start, "invalid base '" + std::string(base_text) + "' in '" + std::string(start, size_t(p_ - start)) +
                       "' (2, 8 or 16)");
      return false;
    }
    if (!well_separated(v)) {
      error(start, "malformed number '" + std::string(start, size_t(p_ - start)) + "'");
      return false;
    }
    for (char c : v) {
      const unsigned d = is_digit(c) ? unsigned(c - '0') : is_letter(c) ? unsigned(upper(c) - 'A' + 10) : 0;
      if (c != '_' && (d >= base || !is_hex(c))) {
        error(start, std::string("invalid digit '") + c + "' in the base-" + std::to_string(base) + " number '" +
                         std::string(start, size_t(p_ - start)) + "'");
        return false;
      }
    }
    return true;
  }
  const char* int_end = p_;
  if (p_ + 1 < end_ && *p_ == '.' && is_digit(p_[1])) {
    ++p_;
    digits(is_digit);
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    const char* e = p_ + 1;
    if (e < end_ && (*e == '+' || *e == '-')) ++e;
    if (e < end_ && is_digit(*e)) {
      p_ = e;
      digits(is_digit);
    }
  }
  // Each run of digits is well separated: 1_000.000_1 yes, 1__0 or 1_ no.
  std::string_view whole(start, size_t(p_ - start));
  bool ok = well_separated(std::string_view(start, size_t(int_end - start)));
  for (size_t k = 0; ok && k + 1 < whole.size(); ++k)
    if (whole[k] == '_' && !is_digit(whole[k + 1])) ok = false;
  for (size_t k = 1; ok && k < whole.size(); ++k)
    if (whole[k] == '_' && !is_digit(whole[k - 1])) ok = false;
  if (!ok) {
    error(start, "malformed number '" + std::string(whole) + "'");
    return false;
  }
  return true;
}

Token Lexer::number(const char* start, Loc loc) {
  if (!number_body(start)) return make(Tok::kError, start, loc);
  std::string_view text(start, size_t(p_ - start));
  const bool real = text.find('#') == std::string_view::npos && text.find_first_of(".eE") != std::string_view::npos;
  return make(real ? Tok::kReal : Tok::kInteger, start, loc);
}

// 'text' or "text" with $ escapes; ends at its line.
Token Lexer::string(const char* start, Loc loc) {
  const char quote = *p_++;
  const char* bad_escape = nullptr;  // the first one
  while (p_ < end_ && *p_ != quote && *p_ != '\n') {
    if (*p_ != '$') {
      ++p_;
      continue;
    }
    const char* esc = p_++;
    if (p_ >= end_ || *p_ == '\n') break;
    const char e = upper(*p_);
    if (e == '$' || e == '\'' || e == '"' || e == 'L' || e == 'N' || e == 'P' || e == 'R' || e == 'T') {
      ++p_;
    } else if (p_ + 1 < end_ && is_hex(p_[0]) && is_hex(p_[1])) {
      p_ += 2;
    } else if (!bad_escape) {
      bad_escape = esc;
    }
  }
  if (p_ >= end_ || *p_ != quote) {
    error(start, "unterminated string literal: no closing " + std::string(1, quote) + " on its line");
    return make(Tok::kError, start, loc);
  }
  ++p_;
  if (bad_escape) {
    error(bad_escape, "invalid escape '$" + std::string(1, bad_escape[1]) + "' in a string literal");
    return make(Tok::kError, start, loc);
  }
  return make(quote == '\'' ? Tok::kString : Tok::kWString, start, loc);
}

std::vector<Token> tokenize(std::string_view file_name, std::string_view source, Diagnostics& diags) {
  Lexer lexer(source);
  std::vector<Token> tokens;
  tokens.reserve(source.size() / 5 + 16);  // about one token per 4-5 bytes of ST
  do tokens.push_back(lexer.next());
  while (tokens.back().kind != Tok::kEnd);
  for (const auto& e : lexer.errors()) diags.error(where(file_name, e.loc), e.message);
  return tokens;
}

std::string_view spelling(Tok kind) {
  switch (kind) {
    case Tok::kEnd: return "end of file";
    case Tok::kError: return "invalid token";
    case Tok::kIdent: return "identifier";
    case Tok::kInteger: return "integer literal";
    case Tok::kReal: return "real literal";
    case Tok::kBool: return "boolean literal";
    case Tok::kString: return "string literal";
    case Tok::kWString: return "wide string literal";
    case Tok::kTime: return "duration literal";
    case Tok::kDate: return "date literal";
    case Tok::kTimeOfDay: return "time of day literal";
    case Tok::kDateAndTime: return "date and time literal";
    case Tok::kTyped: return "typed literal";
    case Tok::kAssign: return ":=";
    case Tok::kOutAssign: return "=>";
    case Tok::kArrow: return "->";
    case Tok::kLParen: return "(";
    case Tok::kRParen: return ")";
    case Tok::kLBracket: return "[";
    case Tok::kRBracket: return "]";
    case Tok::kComma: return ",";
    case Tok::kSemicolon: return ";";
    case Tok::kColon: return ":";
    case Tok::kDot: return ".";
    case Tok::kRange: return "..";
    case Tok::kPlus: return "+";
    case Tok::kMinus: return "-";
    case Tok::kStar: return "*";
    case Tok::kSlash: return "/";
    case Tok::kPower: return "**";
    case Tok::kEq: return "=";
    case Tok::kNe: return "<>";
    case Tok::kLt: return "<";
    case Tok::kLe: return "<=";
    case Tok::kGt: return ">";
    case Tok::kGe: return ">=";
    case Tok::kAmp: return "&";
    case Tok::kCaret: return "^";
    default: break;
  }
  for (const auto& kw : kKeywords)
    if (kw.kind == kind && kind != Tok::kBool) return kw.upper;
  return "?";
}

bool is_literal(Tok kind) { return kind >= Tok::kInteger && kind <= Tok::kTyped; }
bool is_keyword(Tok kind) { return kind >= Tok::kAnd; }

std::string where(std::string_view file_name, Loc loc) {
  std::string s(file_name);
  s += ':';
  s += std::to_string(loc.line);
  s += ':';
  s += std::to_string(loc.col);
  return s;
}

bool same_word(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (upper(a[k]) != upper(b[k])) return false;
  return true;
}

}  // namespace plc::lang
