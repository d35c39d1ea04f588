#include "runtime/language/parser.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "runtime/language/lexer.h"

namespace plc::lang {
namespace {

constexpr size_t kMaxErrors = 1000;

// Tokens that open or close a declaration-level construct: after an error
// the parser resynchronises on them.
// In 4diac's ST (algorithm texts, ECC conditions) only ST's keywords are
// reserved: the words of plc's textual FB, system and type declarations
// (SERVICE, DEVICE, TYPE, ...) are names there, as 4diac's interface
// lists allow them as variable names.
bool reserved_in_4diac_st(Tok k) {
  switch (k) {
    case Tok::kVar:
    case Tok::kVarTemp:
    case Tok::kEndVar:
    case Tok::kAlgorithm:
    case Tok::kEndAlgorithm:
    case Tok::kStruct:
    case Tok::kEndStruct:
    case Tok::kArray: return true;
    default: return k < Tok::kFunctionBlock;
  }
}

bool is_structural(Tok k) {
  switch (k) {
    case Tok::kFunctionBlock:
    case Tok::kEndFunctionBlock:
    case Tok::kEventInput:
    case Tok::kEventOutput:
    case Tok::kEndEvent:
    case Tok::kVarInput:
    case Tok::kVarOutput:
    case Tok::kVarInOut:
    case Tok::kVar:
    case Tok::kVarInternal:
    case Tok::kVarTemp:
    case Tok::kEndVar:
    case Tok::kEcStates:
    case Tok::kEndStates:
    case Tok::kEcTransitions:
    case Tok::kEndTransitions:
    case Tok::kAlgorithm:
    case Tok::kEndAlgorithm:
    case Tok::kFbs:
    case Tok::kEndFbs:
    case Tok::kEventConnections:
    case Tok::kDataConnections:
    case Tok::kEndConnections:
    case Tok::kService:
    case Tok::kEndService:
    case Tok::kType:
    case Tok::kEndType:
    case Tok::kEndStruct:
    case Tok::kSystem:
    case Tok::kEndSystem:
    case Tok::kApplication:
    case Tok::kEndApplication:
    case Tok::kDevice:
    case Tok::kEndDevice:
    case Tok::kResource:
    case Tok::kEndResource:
    case Tok::kMapping:
    case Tok::kEndMapping:
    case Tok::kFunction:
    case Tok::kEndFunction: return true;
    default: return false;
  }
}

bool is_top_level(Tok k) {
  return k == Tok::kFunctionBlock || k == Tok::kFunction || k == Tok::kType || k == Tok::kSystem;
}

// What ends a section of a system's application or device: a sibling or
// the end of the system.
bool is_system_level(Tok k) {
  return k == Tok::kApplication || k == Tok::kDevice || k == Tok::kMapping || k == Tok::kEndSystem || is_top_level(k);
}
bool is_device_level(Tok k) { return k == Tok::kResource || k == Tok::kEndDevice || is_system_level(k); }

// The ST constructs that hold statement lists.
enum Construct { kIfBlock, kCaseBlock, kForBlock, kWhileBlock, kRepeatBlock, kConstructCount };

// Words that end or split a statement list.
bool is_block_word(Tok k) {
  switch (k) {
    case Tok::kElsif:
    case Tok::kElse:
    case Tok::kEndIf:
    case Tok::kEndCase:
    case Tok::kEndFor:
    case Tok::kEndWhile:
    case Tok::kUntil:
    case Tok::kEndRepeat: return true;
    default: return false;
  }
}

std::string opener_of(Tok block_word) {
  switch (block_word) {
    case Tok::kElse: return "IF or CASE";
    case Tok::kElsif:
    case Tok::kEndIf: return "IF";
    case Tok::kEndCase: return "CASE";
    case Tok::kEndFor: return "FOR";
    case Tok::kEndWhile: return "WHILE";
    default: return "REPEAT";
  }
}

bool starts_construct(Tok k) {
  return k == Tok::kIf || k == Tok::kCase || k == Tok::kFor || k == Tok::kWhile || k == Tok::kRepeat;
}
bool ends_construct(Tok k) {
  return k == Tok::kEndIf || k == Tok::kEndCase || k == Tok::kEndFor || k == Tok::kEndWhile || k == Tok::kEndRepeat;
}
bool starts_statement(Tok k) {
  return starts_construct(k) || k == Tok::kExit || k == Tok::kContinue || k == Tok::kReturn;
}

// Binary operators, IEC 61131-3 table 71 (1: lowest).
int binary_precedence(Tok k, OpKind& op) {
  switch (k) {
    case Tok::kOr: op = OpKind::kOr; return 1;
    case Tok::kXor: op = OpKind::kXor; return 2;
    case Tok::kAnd:
    case Tok::kAmp: op = OpKind::kAnd; return 3;
    case Tok::kEq: op = OpKind::kEq; return 4;
    case Tok::kNe: op = OpKind::kNe; return 4;
    case Tok::kLt: op = OpKind::kLt; return 5;
    case Tok::kLe: op = OpKind::kLe; return 5;
    case Tok::kGt: op = OpKind::kGt; return 5;
    case Tok::kGe: op = OpKind::kGe; return 5;
    case Tok::kPlus: op = OpKind::kAdd; return 6;
    case Tok::kMinus: op = OpKind::kSub; return 6;
    case Tok::kStar: op = OpKind::kMul; return 7;
    case Tok::kSlash: op = OpKind::kDiv; return 7;
    case Tok::kMod: op = OpKind::kMod; return 7;
    case Tok::kPower: op = OpKind::kPow; return 8;
    default: return 0;
  }
}

// Decimal or based (16#FF) digits with '_' separators.
bool integer_value(std::string_view s, uint64_t& out) {
  unsigned base = 10;
  if (auto hash = s.find('#'); hash != std::string_view::npos) {
    base = s.substr(0, hash) == "2" ? 2 : s.substr(0, hash) == "8" ? 8 : 16;
    s.remove_prefix(hash + 1);
  }
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    const unsigned d = c <= '9' ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10);
    if (v > (std::numeric_limits<uint64_t>::max() - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool only_space(std::string_view s) { return trim(s).empty(); }

// The text of the first comment in `gap` (source between two tokens).
std::string first_comment(std::string_view gap) {
  const size_t paren = gap.find("(*"), slash = gap.find("/*"), line = gap.find("//");
  const size_t start = std::min({paren, slash, line});
  if (start == std::string_view::npos) return "";
  std::string_view rest = gap.substr(start + 2);
  if (start == line) return std::string(trim(rest.substr(0, rest.find('\n'))));
  if (start == slash) return std::string(trim(rest.substr(0, rest.find("*/"))));
  int depth = 1;
  for (size_t k = 0; k + 1 < rest.size(); ++k) {
    if (rest[k] == '(' && rest[k + 1] == '*') ++depth, ++k;
    else if (rest[k] == '*' && rest[k + 1] == ')' && --depth == 0) return std::string(trim(rest.substr(0, k)));
  }
  return std::string(trim(rest));
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }
std::string kw(Tok k) { return std::string(spelling(k)); }

Name name_of(const Token& t) { return Name{std::string(t.text), t.loc}; }

// Counts while alive: nesting depth, open constructs.
class Scoped {
 public:
  explicit Scoped(int& counter) : counter_(counter) { ++counter_; }
  ~Scoped() { --counter_; }
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;

 private:
  int& counter_;
};

// An expression with the height of its tree (bounded by kMaxNesting).
struct Parsed {
  ExprPtr expr;
  int height = 0;
  explicit operator bool() const { return expr != nullptr; }
};

class Parser {
 public:
  // `fourdiac_st`: the text is 4diac's ST (reserved_in_4diac_st).
  Parser(std::string_view file_name, std::string_view text, Loc origin = {1, 1}, bool fourdiac_st = false)
      : file_(file_name), fourdiac_st_(fourdiac_st) {
    Lexer lexer(text);
    toks_.reserve(text.size() / 5 + 16);  // about one token per 4-5 bytes of ST
    do toks_.push_back(lexer.next());
    while (toks_.back().kind != Tok::kEnd);
    if (fourdiac_st)
      for (auto& t : toks_)
        if (is_keyword(t.kind) && !reserved_in_4diac_st(t.kind)) t.kind = Tok::kIdent;
    lex_errors_ = lexer.errors();
    eof_in_comment_ = lexer.ended_in_comment();
    if (origin.line > 1 || origin.col > 1) {
      for (auto& t : toks_) shift(t.loc, origin);
      for (auto& e : lex_errors_) shift(e.loc, origin);
    }
  }

  FileAst file();
  ExprPtr lone_expression();
  AlgorithmAst algorithm_text();
  bool transition_condition(EccTransitionAst& out);
  void flush(Diagnostics& diags);

 private:
  // ---------------------------------------------------------------- tokens
  const Token& cur() const { return toks_[pos_]; }
  const Token& ahead(size_t n) const { return toks_[std::min(pos_ + n, toks_.size() - 1)]; }
  const Token& prev() const { return toks_[pos_ ? pos_ - 1 : 0]; }
  bool at(Tok k) const { return cur().kind == k; }
  bool at_word(std::string_view w) const { return at(Tok::kIdent) && same_word(cur().text, w); }
  bool at_section_boundary() const { return at(Tok::kEnd) || is_structural(cur().kind); }
  const Token& advance() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool accept(Tok k) {
    if (!at(k)) return false;
    advance();
    return true;
  }
  std::string source_text(size_t first, size_t last) const;

  // ---------------------------------------------------------------- errors
  // One error per statement or declaration: after the first, the parser is
  // in panic until it reaches a point it trusts again (a new statement,
  // declaration or section). Out of line and taking views, so that no
  // message is built in the frames of the recursive functions.
  [[gnu::cold, gnu::noinline]] void syntax_error(const Token& t, std::string_view message);
  [[gnu::cold, gnu::noinline]] void expected(std::string_view what) { expected_at(cur(), what); }
  [[gnu::cold, gnu::noinline]] void expected_at(const Token& t, std::string_view what);
  [[gnu::cold, gnu::noinline]] void expected_closing_paren(const Token& open);
  [[gnu::cold, gnu::noinline]] void expected_argument_end(const Token& name);
  [[gnu::cold, gnu::noinline]] void report_too_deep(const Token& t);
  std::string found(const Token& t) const;
  bool too_deep();

  // ---------------------------------------------------------------- declarations
  template <typename Item>
  void parse_items(const Token& open, Tok end, std::string_view what, Item&& item);
  void skip_item(Tok end);
  template <typename Section>
  void parse_sections(const Token& open, std::string_view name, Tok end, std::string_view sections,
                      bool (*is_outer)(Tok), Section&& section);
  void skip_to_section();

  void parse_type_block(FileAst& out);
  void global_constants(std::vector<VarDeclAst>& out);
  bool enum_values(EnumTypeAst& e);
  bool struct_type(FileAst& out);
  FbTypeAst parse_fb_type();
  FunctionAst parse_function(bool function_block);
  bool iec61131_function_block() const;
  bool fb_section(FbTypeAst& fb, bool& network, bool& ecc);
  void var_section(std::vector<VarDeclAst>& out);
  bool var_decl(std::vector<VarDeclAst>& out, Tok end);
  bool type_ref(TypeRef& t);
  bool array_bound(int64_t& v, Name& constant);
  bool signed_integer(int64_t& v, const char* what);
  bool subrange(TypeRef& t);
  bool raw_value(std::string& out, Loc& loc, bool in_list);
  bool parameters(std::vector<std::pair<Name, std::string>>& out);
  bool event_decl(std::vector<EventDeclAst>& out, Tok end);
  bool event_type();
  bool state(std::vector<EccStateAst>& out);
  bool transition(std::vector<EccTransitionAst>& out);
  bool bracket_condition_ahead() const;
  void algorithm(std::vector<AlgorithmAst>& out);
  bool algorithm_header(AlgorithmAst& a);
  bool network_section(NetworkAst& net);
  bool fb_instance(std::vector<FbInstanceAst>& out);
  bool connection(std::vector<ConnectionAst>& out, bool data);
  bool literal_source(std::string& out);
  bool port_path(std::string& out, std::string_view what);
  SystemAst parse_system();
  ApplicationAst parse_application();
  DeviceAst parse_device();
  ResourceAst parse_resource();
  bool header(Name& name, Name& type, std::vector<std::pair<Name, std::string>>& params, std::string_view what);
  bool mapping(std::vector<MappingAst>& out);

  // ---------------------------------------------------------------- statements
  Block parse_block(bool case_body);
  bool closes_open_construct(Tok k) const;
  bool any_open() const;
  bool at_case_label() const;
  void parse_statement(Block& out);
  void parse_simple(Block& out);
  void parse_if(Block& out);
  void parse_case(Block& out);
  bool case_labels(std::vector<CaseLabel>& labels);
  void parse_for(Block& out);
  bool for_header(Stmt& s);
  void parse_while(Block& out);
  void parse_repeat(Block& out);
  void finish(Block& out, StmtPtr s, bool ok, Tok end, const Token& opener);
  void end_statement(bool complete);
  bool at_statement_boundary() const;
  void skip_statement();
  void skip_to(Tok wanted);
  void skip_nested_statement();

  // ---------------------------------------------------------------- expressions
  Parsed parse_expr();
  Parsed parse_unary();
  Parsed parse_postfix();
  Parsed parse_primary();
  [[gnu::noinline]] Parsed parse_call(const Token& name);
  Parsed leaf(ExprKind kind, const Token& t, std::string_view text);
  Parsed node(ExprKind kind, OpKind op, Loc loc, Parsed a, Parsed b = {});

  static void shift(Loc& l, Loc origin) {
    if (l.line == 0) return;
    if (l.line == 1) l.col += origin.col - 1;
    l.line += origin.line - 1;
  }
  void algorithm_body(AlgorithmAst& a);

  std::string file_;
  bool fourdiac_st_;  // the text is 4diac's ST (reserved_in_4diac_st, end_statement)
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::array<int, kConstructCount> open_{};
  bool panic_ = false;
  bool deep_reported_ = false;
  bool gave_up_ = false;
  bool eof_in_comment_ = false;
  std::vector<SourceError> lex_errors_;
  std::vector<SourceError> errors_;
  // Binary operators waiting for their right operand, with their left one.
  struct Pending {
    Parsed lhs;
    OpKind op;
    int precedence;
  };
  std::vector<Pending> pending_;
};

bool before(Loc a, Loc b) { return a.line != b.line ? a.line < b.line : a.col < b.col; }

// ------------------------------------------------------------------ errors

void Parser::syntax_error(const Token& t, std::string_view message) {
  if (panic_ || gave_up_) return;
  panic_ = true;
  // The lexer has said what is wrong with an invalid token, and a comment
  // that never ends explains the end of file.
  if (t.kind == Tok::kError || (t.kind == Tok::kEnd && eof_in_comment_)) return;
  errors_.push_back({t.loc, std::string(message)});
  // Give up once the errors up to this point pass the limit: jumping to
  // the end of file unwinds every construct.
  auto lex_before = std::upper_bound(lex_errors_.begin(), lex_errors_.end(), t.loc,
                                     [](Loc l, const SourceError& e) { return before(l, e.loc); }) -
                    lex_errors_.begin();
  if (errors_.size() + size_t(lex_before) > kMaxErrors) {
    gave_up_ = true;
    pos_ = toks_.size() - 1;
  }
}

void Parser::expected_at(const Token& t, std::string_view what) {
  if (panic_) return;
  syntax_error(t, "expected " + std::string(what) + ", found " + found(t));
}

void Parser::expected_closing_paren(const Token& open) {
  expected("')' to match the '(' at " + std::to_string(open.loc.line) + ":" + std::to_string(open.loc.col));
}

void Parser::expected_argument_end(const Token& name) {
  expected("',' or ')' in the arguments of " + quoted(name.text));
}

void Parser::report_too_deep(const Token& t) {
  syntax_error(t, "nesting too deep (more than " + std::to_string(kMaxNesting) + " levels)");
}

std::string Parser::found(const Token& t) const {
  if (t.kind == Tok::kEnd) return "end of file";
  constexpr size_t kShown = 40;
  if (t.text.size() > kShown) return quoted(std::string(t.text.substr(0, kShown - 3)) + "...");
  return quoted(t.text);
}

// Reported once per top-level statement or declaration: what follows
// inside it is at least as deep.
bool Parser::too_deep() {
  if (depth_ <= kMaxNesting) return false;
  if (deep_reported_) panic_ = true;
  else report_too_deep(cur());
  deep_reported_ = true;
  return true;
}

void Parser::flush(Diagnostics& diags) {
  std::vector<SourceError> all = std::move(lex_errors_);
  all.insert(all.end(), std::make_move_iterator(errors_.begin()), std::make_move_iterator(errors_.end()));
  std::stable_sort(all.begin(), all.end(),
                   [](const SourceError& a, const SourceError& b) { return before(a.loc, b.loc); });
  size_t n = 0;
  Loc last{};
  for (auto& e : all) {
    if (n > 0 && e.loc.line == last.line && e.loc.col == last.col) continue;  // one error per position
    if (n == kMaxErrors) {
      diags.error(where(file_, e.loc), "too many errors, giving up");
      break;
    }
    diags.error(where(file_, e.loc), std::move(e.message));
    last = e.loc;
    ++n;
  }
}

// The source of tokens [first, last): as written, but a comment inside
// becomes one space.
std::string Parser::source_text(size_t first, size_t last) const {
  const char* begin = toks_[first].text.data();
  const char* end = toks_[last - 1].text.data() + toks_[last - 1].text.size();
  bool clean = true;
  for (size_t k = first + 1; k < last && clean; ++k) {
    const char* gap = toks_[k - 1].text.data() + toks_[k - 1].text.size();
    clean = only_space(std::string_view(gap, size_t(toks_[k].text.data() - gap)));
  }
  if (clean) return std::string(begin, size_t(end - begin));
  std::string s;
  for (size_t k = first; k < last; ++k) {
    if (k > first && toks_[k].text.data() != toks_[k - 1].text.data() + toks_[k - 1].text.size()) s += ' ';
    s += toks_[k].text;
  }
  return s;
}

// ------------------------------------------------------------------ file

FileAst Parser::file() {
  FileAst f;
  while (!at(Tok::kEnd)) {
    panic_ = false;
    switch (cur().kind) {
      case Tok::kFunctionBlock: {
        if (iec61131_function_block()) {
          auto fn = parse_function(true);
          if (!fn.name.text.empty()) f.functions.push_back(std::make_shared<const FunctionAst>(std::move(fn)));
          break;
        }
        FbTypeAst fb = parse_fb_type();
        if (!fb.name.text.empty()) f.fb_types.push_back(std::move(fb));
        break;
      }
      case Tok::kFunction: {
        auto fn = parse_function(false);
        if (!fn.name.text.empty()) f.functions.push_back(std::make_shared<const FunctionAst>(std::move(fn)));
        break;
      }
      case Tok::kType: parse_type_block(f); break;
      case Tok::kSystem: {
        SystemAst s = parse_system();
        if (!s.name.text.empty()) f.systems.push_back(std::move(s));
        break;
      }
      case Tok::kIdent:
        if (at_word("VAR_GLOBAL")) {
          global_constants(f.global_constants);
          break;
        }
        [[fallthrough]];
      default:
        expected("FUNCTION, FUNCTION_BLOCK, TYPE or SYSTEM");
        do advance();
        while (!at(Tok::kEnd) && !is_top_level(cur().kind));
    }
  }
  return f;
}

// 4diac's <ST Text>: see parse_algorithm_text in parser.h.
AlgorithmAst Parser::algorithm_text() {
  AlgorithmAst a;
  a.language = "ST";
  const bool header = at(Tok::kAlgorithm);
  Token open = cur();
  if (header) {
    advance();
    if (at(Tok::kIdent)) a.name = name_of(advance());
    else expected("the algorithm's name after ALGORITHM");
    if (!panic_ && at_word("IN")) {
      advance();
      if (at(Tok::kIdent)) a.language = advance().text;
      else expected("the algorithm's language after IN");
      if (!panic_ && !accept(Tok::kColon)) expected("':' after the algorithm's language");
    }
    if (!same_word(a.language, "ST")) {
      syntax_error(open, "only ST algorithms are supported, not " + quoted(a.language));
      return a;
    }
  }
  panic_ = false;
  algorithm_body(a);
  if (header && !accept(Tok::kEndAlgorithm))
    expected("END_ALGORITHM for the ALGORITHM at line " + std::to_string(open.loc.line));
  if (!at(Tok::kEnd)) expected("the end of the algorithm text");
  return a;
}

// Older 4diac files declare an algorithm's temporaries with VAR: the same
// as VAR_TEMP there (they live for one run of the algorithm).
void Parser::algorithm_body(AlgorithmAst& a) {
  for (;;) {
    while (at(Tok::kVarTemp) || at(Tok::kVar)) {
      const Token& temp = advance();
      parse_items(temp, Tok::kEndVar, "the declaration", [&] { return var_decl(a.temps, Tok::kEndVar); });
    }
    Block part = parse_block(false);
    for (auto& s : part) a.body.push_back(std::move(s));
    if (!at(Tok::kVarTemp) && !at(Tok::kVar)) break;
    syntax_error(cur(), std::string(cur().text) + " must come before the algorithm's statements");
  }
}

// 4diac's ECTransition Condition: see parse_transition_condition in parser.h.
bool Parser::transition_condition(EccTransitionAst& out) {
  // The bracket forms: [Adapter.]Event[guard], Event[], [guard]; the ']'
  // must end the text.
  size_t k = pos_;
  if (toks_[k].kind == Tok::kIdent) {
    ++k;
    if (toks_[k].kind == Tok::kDot && toks_[k + 1].kind == Tok::kIdent) k += 2;
  }
  bool bracket = false;
  if (toks_[k].kind == Tok::kLBracket) {
    int depth = 0;
    for (; toks_[k].kind != Tok::kEnd; ++k) {
      if (toks_[k].kind == Tok::kLBracket) ++depth;
      else if (toks_[k].kind == Tok::kRBracket && --depth == 0) break;
    }
    bracket = toks_[k].kind == Tok::kRBracket && toks_[k + 1].kind == Tok::kEnd;
  }
  if (bracket) {
    if (at(Tok::kIdent)) {
      out.event = name_of(advance());
      if (accept(Tok::kDot)) out.event.text += "." + std::string(advance().text);
    }
    const Token& open = advance();  // '['
    if (!at(Tok::kRBracket)) {
      Parsed guard = parse_expr();
      if (!guard) return false;
      out.condition = std::move(guard.expr);
    } else if (out.event.text.empty()) {
      syntax_error(open, "expected a guard inside '[]'");
      return false;
    }
    if (!accept(Tok::kRBracket)) {
      expected("']' after the transition guard");
      return false;
    }
  } else {
    Parsed condition = parse_expr();
    if (!condition) return false;
    out.condition = std::move(condition.expr);
  }
  if (!at(Tok::kEnd)) expected("an operator or the end of the condition");
  return errors_.empty() && lex_errors_.empty();
}

ExprPtr Parser::lone_expression() {
  Parsed e = parse_expr();
  if (e && !at(Tok::kEnd)) expected("an operator or the end of the expression");
  if (!errors_.empty() || !lex_errors_.empty()) return nullptr;
  return std::move(e.expr);
}

// ------------------------------------------------------------------ declarations

// `open` item; item; ... `end`: each item is followed by ';'.
template <typename Item>
void Parser::parse_items(const Token& open, Tok end, std::string_view what, Item&& item) {
  panic_ = false;
  for (;;) {
    if (accept(end)) {
      panic_ = false;
      return;
    }
    if (at_section_boundary()) {
      expected(kw(end) + " for the " + kw(open.kind) + " at line " + std::to_string(open.loc.line));
      return;
    }
    panic_ = false;
    deep_reported_ = false;
    const size_t start = pos_;
    if (item()) {
      if (accept(Tok::kSemicolon)) continue;
      expected("';' after " + std::string(what));
      if (cur().loc.line > prev().loc.line) continue;  // forgotten at the end of a line: go on
    }
    skip_item(end);
    if (pos_ == start) advance();
  }
}

void Parser::skip_item(Tok end) {
  while (!at(Tok::kSemicolon) && !at(end) && !at_section_boundary()) advance();
  accept(Tok::kSemicolon);
}

// `open` name section... `end`; `section` parses one section if it knows
// the current token. A token of an outer level means `end` is missing.
template <typename Section>
void Parser::parse_sections(const Token& open, std::string_view name, Tok end, std::string_view sections,
                            bool (*is_outer)(Tok), Section&& section) {
  for (;;) {
    if (accept(end)) {
      panic_ = false;
      return;
    }
    if (section()) continue;
    if (at(Tok::kEnd) || is_outer(cur().kind)) {
      expected(kw(end) + " for the " + kw(open.kind) + (name.empty() ? "" : " " + quoted(name)) + " at line " +
               std::to_string(open.loc.line));
      return;
    }
    expected(std::string(sections) + " or " + kw(end));
    advance();
    skip_to_section();
  }
}

void Parser::skip_to_section() {
  while (!at_section_boundary()) advance();
}

void Parser::parse_type_block(FileAst& out) {
  const Token& open = advance();
  for (;;) {
    panic_ = false;
    if (accept(Tok::kEndType)) return;
    if (at_section_boundary()) {
      expected("END_TYPE for the TYPE at line " + std::to_string(open.loc.line));
      return;
    }
    const size_t start = pos_;
    if (!struct_type(out)) skip_item(Tok::kEndType);
    if (pos_ == start) advance();
  }
}

bool Parser::struct_type(FileAst& out) {
  if (!at(Tok::kIdent)) {
    expected("a type declaration (Name : STRUCT ... END_STRUCT) or END_TYPE");
    return false;
  }
  StructTypeAst st;
  st.name = name_of(advance());
  if (!accept(Tok::kColon)) {
    expected("':' after the type name");
    return false;
  }
  auto limit = [&](size_t k) {
    Tok n = ahead(k).kind;
    return n == Tok::kInteger || n == Tok::kMinus || n == Tok::kPlus;
  };
  if (at(Tok::kLParen) || (at(Tok::kIdent) && ahead(1).kind == Tok::kLParen && !limit(2))) {  // an enumerated type
    EnumTypeAst e;
    e.name = st.name;
    if (at(Tok::kIdent)) e.base = name_of(advance());
    if (!enum_values(e)) return false;
    accept(Tok::kSemicolon);
    out.enums.push_back(std::move(e));
    return true;
  }
  if (!at(Tok::kStruct)) {  // a named array, subrange or other type
    TypeAliasAst a;
    a.name = std::move(st.name);
    if (!at(Tok::kIdent) && !at(Tok::kArray)) {
      expected("STRUCT, '(', ARRAY or a type name after ':'");
      return false;
    }
    if (!type_ref(a.type)) return false;
    if (accept(Tok::kAssign) && !raw_value(a.initial, a.initial_loc, false)) return false;
    if (!accept(Tok::kSemicolon)) {
      expected("';' after the type");
      return false;
    }
    out.aliases.push_back(std::move(a));
    return true;
  }
  const Token& open = advance();
  parse_items(open, Tok::kEndStruct, "the member declaration", [&] { return var_decl(st.members, Tok::kEndStruct); });
  accept(Tok::kSemicolon);
  out.structs.push_back(std::move(st));
  return true;
}

// VAR_GLOBAL CONSTANT declarations END_VAR: a global constant list.
void Parser::global_constants(std::vector<VarDeclAst>& out) {
  const Token& open = advance();
  if (at_word("CONSTANT")) {
    advance();
  } else {
    panic_ = false;
    syntax_error(open, "only constant global variables are supported: VAR_GLOBAL CONSTANT");
  }
  const size_t before = out.size();
  parse_items(open, Tok::kEndVar, "the declaration", [&] { return var_decl(out, Tok::kEndVar); });
  for (size_t k = before; k < out.size(); ++k) out[k].constant = true;
}

// (Red, Green := 5, Blue)
bool Parser::enum_values(EnumTypeAst& e) {
  advance();  // '('
  do {
    if (!at(Tok::kIdent)) {
      expected("a value name of the enumerated type");
      return false;
    }
    Name n = name_of(advance());
    std::string value;
    if (accept(Tok::kAssign)) {
      if (at(Tok::kMinus)) value = std::string(advance().text);
      if (!at(Tok::kInteger)) {
        expected("an integer after ':='");
        return false;
      }
      value += advance().text;
    }
    e.values.push_back({std::move(n), std::move(value)});
  } while (accept(Tok::kComma));
  if (!accept(Tok::kRParen)) {
    expected("',' or ')' in the enumerated type's values");
    return false;
  }
  return true;
}

FbTypeAst Parser::parse_fb_type() {
  const Token& open = advance();
  FbTypeAst fb;
  if (at(Tok::kIdent)) {
    fb.name = name_of(cur());
    const char* gap = cur().text.data() + cur().text.size();
    fb.comment = first_comment(std::string_view(gap, size_t(ahead(1).text.data() - gap)));
    advance();
  } else {
    expected("the function block's name after FUNCTION_BLOCK");
  }
  bool network = false, ecc = false;
  parse_sections(open, fb.name.text, Tok::kEndFunctionBlock,
                 "EVENT_INPUT, EVENT_OUTPUT, VAR_INPUT, VAR_OUTPUT, VAR, EC_STATES, EC_TRANSITIONS, ALGORITHM, FBS, "
                 "EVENT_CONNECTIONS, DATA_CONNECTIONS, SERVICE",
                 is_top_level, [&] { return fb_section(fb, network, ecc); });
  // What the body says the block is (ast.h FbTypeAst::kind).
  if (network) fb.kind = FbTypeKind::kComposite;
  else if (ecc) fb.kind = FbTypeKind::kBasic;
  else if (!fb.algorithms.empty()) fb.kind = FbTypeKind::kSimple;
  else fb.kind = FbTypeKind::kServiceInterface;
  if (network && (ecc || !fb.algorithms.empty()) && !fb.name.text.empty()) {
    panic_ = false;
    syntax_error(open, "function block " + quoted(fb.name.text) +
                           " has both an FB network (FBS, connections) and an ECC or algorithms");
  }
  return fb;
}

// Whether the FUNCTION_BLOCK at the cursor has the form of IEC 61131-3
// (declarations, then statements or VAR_TEMP) rather than Annex B's: its
// declarations are followed by neither an Annex B section nor its end.
bool Parser::iec61131_function_block() const {
  size_t k = pos_ + 1;
  if (toks_[k].kind == Tok::kIdent) ++k;
  for (;;) {
    switch (toks_[k].kind) {
      case Tok::kVarInput:
      case Tok::kVarOutput:
      case Tok::kVarInOut:
      case Tok::kVar:
      case Tok::kVarInternal:
        while (toks_[k].kind != Tok::kEndVar && toks_[k].kind != Tok::kEnd) ++k;
        if (toks_[k].kind == Tok::kEnd) return false;
        ++k;
        continue;
      case Tok::kVarTemp: return true;
      case Tok::kIdent: {  // a statement, not a misspelt section keyword
        const Tok next = toks_[k + 1].kind;
        return next == Tok::kAssign || next == Tok::kLParen || next == Tok::kDot || next == Tok::kLBracket;
      }
      case Tok::kIf:
      case Tok::kCase:
      case Tok::kFor:
      case Tok::kWhile:
      case Tok::kRepeat:
      case Tok::kReturn:
      case Tok::kSemicolon: return true;
      default: return false;
    }
  }
}

// FUNCTION Name [: Type] VAR_INPUT ... VAR_OUTPUT ... VAR_IN_OUT ...
// VAR ... VAR_TEMP ... statements END_FUNCTION, or (`function_block`)
// FUNCTION_BLOCK Name VAR_INPUT ... VAR_OUTPUT ... VAR ... VAR_TEMP ...
// statements END_FUNCTION_BLOCK.
FunctionAst Parser::parse_function(bool function_block) {
  const Token& open = advance();
  const char* what = function_block ? "FUNCTION_BLOCK" : "FUNCTION";
  FunctionAst fn;
  fn.function_block = function_block;
  if (at(Tok::kIdent)) {
    fn.name = name_of(advance());
  } else {
    expected(std::string("the ") + (function_block ? "function block" : "function") + "'s name after " + what);
  }
  if (!function_block && !panic_ && accept(Tok::kColon) && !type_ref(fn.result)) fn.name.text.clear();
  for (;;) {
    panic_ = false;
    switch (cur().kind) {
      case Tok::kVarInput:
      case Tok::kVarInOut: {
        const bool in_out = at(Tok::kVarInOut);
        auto& list = in_out ? fn.in_outs : fn.inputs;
        const size_t before = list.size();
        var_section(list);
        for (size_t k = before; k < list.size(); ++k) fn.positional.push_back({in_out, k});
        continue;
      }
      case Tok::kVarOutput: var_section(fn.outputs); continue;
      case Tok::kVar:
      case Tok::kVarInternal: var_section(fn.locals); continue;
      case Tok::kVarTemp: var_section(function_block ? fn.temps : fn.locals); continue;
      default: break;
    }
    break;
  }
  fn.body = parse_block(false);
  fn.end = cur().loc;
  if (!accept(function_block ? Tok::kEndFunctionBlock : Tok::kEndFunction)) {
    expected(std::string("END_") + what + " for the " + what + " at line " + std::to_string(open.loc.line));
    while (!at(Tok::kEnd) && !is_top_level(cur().kind)) advance();
  }
  return fn;
}

bool Parser::fb_section(FbTypeAst& fb, bool& network, bool& ecc) {
  switch (cur().kind) {
    case Tok::kEventInput:
    case Tok::kEventOutput: {
      auto& events = at(Tok::kEventInput) ? fb.event_inputs : fb.event_outputs;
      const Token& open = advance();
      parse_items(open, Tok::kEndEvent, "the event declaration", [&] { return event_decl(events, Tok::kEndEvent); });
      return true;
    }
    case Tok::kVarInput: var_section(fb.inputs); return true;
    case Tok::kVarOutput: var_section(fb.outputs); return true;
    case Tok::kVar:
    case Tok::kVarInternal: var_section(fb.internals); return true;
    case Tok::kVarInOut: {
      syntax_error(cur(), "VAR_IN_OUT is not supported in function block types");
      std::vector<VarDeclAst> ignored;
      var_section(ignored);
      return true;
    }
    case Tok::kEcStates: {
      ecc = true;
      const Token& open = advance();
      parse_items(open, Tok::kEndStates, "the state", [&] { return state(fb.states); });
      return true;
    }
    case Tok::kEcTransitions: {
      ecc = true;
      const Token& open = advance();
      parse_items(open, Tok::kEndTransitions, "the transition", [&] { return transition(fb.transitions); });
      return true;
    }
    case Tok::kAlgorithm: algorithm(fb.algorithms); return true;
    case Tok::kService: {
      // The service sequences document a native block; nothing to keep.
      const Token& open = advance();
      while (!at(Tok::kEndService) && !at_section_boundary()) advance();
      if (!accept(Tok::kEndService)) expected("END_SERVICE for the SERVICE at line " + std::to_string(open.loc.line));
      return true;
    }
    default:
      if (!network_section(fb.network)) return false;
      network = true;
      return true;
  }
}

// VAR_INPUT / VAR_OUTPUT / VAR / VAR_INTERNAL ... END_VAR
// VAR CONSTANT (IEC 61131-3 6.5.6) marks every declaration of the section.
void Parser::var_section(std::vector<VarDeclAst>& out) {
  const Token& open = advance();
  bool constant = false;
  if (at_word("CONSTANT")) {
    constant = true;
    if (open.kind != Tok::kVar && open.kind != Tok::kVarInternal) {
      panic_ = false;
      syntax_error(cur(), "CONSTANT is allowed after VAR only, not after " + std::string(open.text));
    }
    advance();
  }
  // RETAIN / NON_RETAIN (IEC 61131-3 6.5.6): after VAR, VAR_INPUT and
  // VAR_OUTPUT; not with CONSTANT (a constant has nothing to retain).
  bool retain = false;
  if (at_word("RETAIN") || at_word("NON_RETAIN")) {
    retain = at_word("RETAIN");
    const bool allowed = open.kind == Tok::kVar || open.kind == Tok::kVarInternal || open.kind == Tok::kVarInput ||
                         open.kind == Tok::kVarOutput;
    if (!allowed || constant) {
      panic_ = false;
      syntax_error(cur(),
                   quoted(cur().text) + (constant ? " cannot be combined with CONSTANT"
                                                  : " is allowed after VAR, VAR_INPUT and VAR_OUTPUT only, not after " +
                                                        std::string(open.text)));
      retain = false;
    }
    advance();
  }
  const size_t before = out.size();
  parse_items(open, Tok::kEndVar, "the declaration", [&] { return var_decl(out, Tok::kEndVar); });
  for (size_t k = before; k < out.size(); ++k) {
    out[k].constant = constant;
    out[k].retain = retain;
  }
}

// A, B : TYPE := initial
bool Parser::var_decl(std::vector<VarDeclAst>& out, Tok end) {
  if (!at(Tok::kIdent)) {
    expected("a variable declaration or " + kw(end));
    return false;
  }
  std::vector<Name> names{name_of(advance())};
  while (accept(Tok::kComma)) {
    if (!at(Tok::kIdent)) {
      expected("a variable name after ','");
      return false;
    }
    names.push_back(name_of(advance()));
  }
  if (!accept(Tok::kColon)) {
    expected(names.size() == 1 ? "':' after the variable name" : "':' after the variable names");
    return false;
  }
  TypeRef type;
  if (!type_ref(type)) return false;
  std::string initial;
  Loc initial_loc;
  if (accept(Tok::kAssign) && !raw_value(initial, initial_loc, false)) return false;
  for (auto& n : names) out.push_back(VarDeclAst{std::move(n), type, initial, initial_loc});
  return true;
}

// INT | STRING[20] | ARRAY[lo..hi, ...] OF type | INT (lo..hi)
bool Parser::type_ref(TypeRef& t) {
  t.loc = cur().loc;
  while (accept(Tok::kArray)) {  // ARRAY[a..b] OF ARRAY[c..d] OF ...: one more dimension each
    if (!accept(Tok::kLBracket)) {
      expected("'[' after ARRAY");
      return false;
    }
    do {
      ArrayRange r;
      if (!array_bound(r.lo, r.lo_name)) return false;
      if (!accept(Tok::kRange)) {
        expected("'..' between the array bounds");
        return false;
      }
      if (!array_bound(r.hi, r.hi_name)) return false;
      if (!t.is_array) {
        t.is_array = true;
        t.lo = r.lo;
        t.hi = r.hi;
        t.lo_name = std::move(r.lo_name);
        t.hi_name = std::move(r.hi_name);
      } else {
        t.more_dims.push_back(std::move(r));
      }
    } while (accept(Tok::kComma));
    if (!accept(Tok::kRBracket)) {
      expected("',' or ']' after the array bounds");
      return false;
    }
    if (!accept(Tok::kOf)) {
      expected("OF after the array bounds");
      return false;
    }
  }
  if (at_word("REF_TO")) {  // REF_TO type: what the array's elements, or the variable, refer to
    Scoped nest(depth_);
    if (too_deep()) return false;
    t.name = advance().text;
    t.ref_to = std::make_shared<TypeRef>();
    return type_ref(*t.ref_to);
  }
  if (!at(Tok::kIdent)) {
    expected("a type name");
    return false;
  }
  const Token& name = advance();
  t.name = name.text;
  if (at(Tok::kLParen) &&
      (ahead(1).kind == Tok::kInteger || ahead(1).kind == Tok::kMinus || ahead(1).kind == Tok::kPlus))
    return subrange(t);
  if (!at(Tok::kLBracket)) return true;
  if (!same_word(name.text, "STRING") && !same_word(name.text, "WSTRING")) {
    syntax_error(cur(), "only STRING and WSTRING take a length, not " + quoted(name.text));
    return false;
  }
  advance();
  uint64_t n = 0;
  if (!at(Tok::kInteger) || !integer_value(cur().text, n) || n > std::numeric_limits<uint32_t>::max()) {
    expected("the string length");
    return false;
  }
  advance();
  t.string_length = uint32_t(n);
  if (!accept(Tok::kRBracket)) {
    expected("']' after the string length");
    return false;
  }
  return true;
}

// (lo..hi) after an integer type's name: a subrange.
bool Parser::subrange(TypeRef& t) {
  t.range_loc = advance().loc;  // '('
  if (!signed_integer(t.range_lo, "the subrange's lower limit")) return false;
  if (!accept(Tok::kRange)) {
    expected("'..' between the subrange's limits");
    return false;
  }
  if (!signed_integer(t.range_hi, "the subrange's upper limit")) return false;
  if (!accept(Tok::kRParen)) {
    expected("')' after the subrange");
    return false;
  }
  t.subrange = true;
  return true;
}

bool Parser::array_bound(int64_t& v, Name& constant) {
  if (at(Tok::kIdent)) {
    constant = name_of(advance());
    return true;
  }
  return signed_integer(v, "an integer array bound");
}

bool Parser::signed_integer(int64_t& v, const char* what) {
  bool negative = false;
  if (at(Tok::kMinus) || at(Tok::kPlus)) negative = advance().kind == Tok::kMinus;
  if (!at(Tok::kInteger)) {
    expected(what);
    return false;
  }
  uint64_t magnitude = 0;
  const uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  if (!integer_value(cur().text, magnitude) || magnitude > limit) {
    syntax_error(cur(), "integer " + quoted(cur().text) + " is out of range");
    return false;
  }
  advance();
  v = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
  return true;
}

// The source text of a value up to ';' at bracket depth 0 (in a parameter
// list: up to ',' or ')' at depth 0).
bool Parser::raw_value(std::string& out, Loc& loc, bool in_list) {
  const size_t first = pos_;
  int depth = 0;
  for (;; advance()) {
    const Tok k = cur().kind;
    if (at_section_boundary()) break;
    if (k == Tok::kError) {
      syntax_error(cur(), "");
      return false;
    }
    if (k == Tok::kLParen || k == Tok::kLBracket) {
      ++depth;
    } else if (k == Tok::kRParen || k == Tok::kRBracket) {
      if (depth == 0 && in_list && k == Tok::kRParen) break;
      if (depth == 0) {
        syntax_error(cur(), "unbalanced " + quoted(cur().text) + " in the value");
        return false;
      }
      --depth;
    } else if (k == Tok::kSemicolon || (k == Tok::kComma && in_list && depth == 0)) {
      if (depth == 0) break;
      expected("')' or ']' before ';'");
      return false;
    }
  }
  if (depth != 0) {
    expected("')' or ']' to close the value");
    return false;
  }
  if (pos_ == first) {
    expected("a value after ':='");
    return false;
  }
  loc = toks_[first].loc;
  out = source_text(first, pos_);
  return true;
}

// (name := value, ...)
bool Parser::parameters(std::vector<std::pair<Name, std::string>>& out) {
  if (!accept(Tok::kLParen)) {
    expected("'(' before the parameters");
    return false;
  }
  if (accept(Tok::kRParen)) return true;
  do {
    if (!at(Tok::kIdent)) {
      expected("a parameter name");
      return false;
    }
    Name name = name_of(advance());
    if (!accept(Tok::kAssign)) {
      expected("':=' after the parameter name");
      return false;
    }
    std::string value;
    Loc loc;
    if (!raw_value(value, loc, true)) return false;
    out.emplace_back(std::move(name), std::move(value));
  } while (accept(Tok::kComma));
  if (!accept(Tok::kRParen)) {
    expected("',' or ')' after the parameter");
    return false;
  }
  return true;
}

// Name [: EVENT] [WITH A, B] [: EVENT]
bool Parser::event_decl(std::vector<EventDeclAst>& out, Tok end) {
  if (!at(Tok::kIdent)) {
    expected("an event declaration or " + kw(end));
    return false;
  }
  EventDeclAst e;
  e.name = name_of(advance());
  if (accept(Tok::kColon) && !event_type()) return false;
  if (at_word("WITH")) {
    advance();
    do {
      if (!at(Tok::kIdent)) {
        expected("a variable name in the WITH list");
        return false;
      }
      e.with.push_back(name_of(advance()));
    } while (accept(Tok::kComma));
  }
  if (accept(Tok::kColon) && !event_type()) return false;
  out.push_back(std::move(e));
  return true;
}

bool Parser::event_type() {
  if (!at(Tok::kIdent)) {
    expected("an event type after ':'");
    return false;
  }
  advance();
  return true;
}

// State [: Algorithm -> Event, -> Event, Algorithm]
bool Parser::state(std::vector<EccStateAst>& out) {
  if (!at(Tok::kIdent)) {
    expected("a state declaration or END_STATES");
    return false;
  }
  EccStateAst s;
  s.name = name_of(advance());
  if (accept(Tok::kColon)) {
    do {
      EccActionAst a;
      a.loc = cur().loc;
      if (at(Tok::kIdent)) a.algorithm = name_of(advance());
      if (accept(Tok::kArrow)) {
        if (!at(Tok::kIdent)) {
          expected("an event output after '->'");
          return false;
        }
        a.output = name_of(advance());
      } else if (a.algorithm.text.empty()) {
        expected("an action (Algorithm -> Event)");
        return false;
      }
      s.actions.push_back(std::move(a));
    } while (accept(Tok::kComma));
  }
  out.push_back(std::move(s));
  return true;
}

// From TO To := condition
bool Parser::transition(std::vector<EccTransitionAst>& out) {
  if (!at(Tok::kIdent)) {
    expected("a transition (State TO State := condition) or END_TRANSITIONS");
    return false;
  }
  EccTransitionAst t;
  t.loc = cur().loc;
  t.from = name_of(advance());
  if (!accept(Tok::kTo)) {
    expected("TO after the source state");
    return false;
  }
  if (!at(Tok::kIdent)) {
    expected("the destination state after TO");
    return false;
  }
  t.to = name_of(advance());
  if (!accept(Tok::kAssign)) {
    expected("':=' before the transition condition");
    return false;
  }
  if (bracket_condition_ahead()) {
    if (at(Tok::kIdent)) t.event = name_of(advance());
    const Token& open = advance();  // '['
    if (!at(Tok::kRBracket)) {
      Parsed guard = parse_expr();
      if (!guard) return false;
      t.condition = std::move(guard.expr);
    } else if (t.event.text.empty()) {
      syntax_error(open, "expected a guard inside '[]'");
      return false;
    }
    if (!accept(Tok::kRBracket)) {
      expected("']' after the transition guard");
      return false;
    }
  } else {
    Parsed condition = parse_expr();
    if (!condition) return false;
    t.condition = std::move(condition.expr);
  }
  out.push_back(std::move(t));
  return true;
}

// `Event[guard];` or `[guard];`: the bracket closes right before ';'.
bool Parser::bracket_condition_ahead() const {
  size_t k = pos_;
  if (toks_[k].kind == Tok::kIdent) ++k;
  if (toks_[k].kind != Tok::kLBracket) return false;
  int depth = 0;
  for (;; ++k) {
    const Tok t = toks_[k].kind;
    if (t == Tok::kEnd || t == Tok::kSemicolon || is_structural(t)) return false;
    if (t == Tok::kLBracket) ++depth;
    else if (t == Tok::kRBracket && --depth == 0) break;
  }
  const Tok next = toks_[k + 1].kind;  // toks_[k] is ']', so a token follows
  return next == Tok::kSemicolon || next == Tok::kEndTransitions;
}

// Name IN ST : -- false when broken before the language (a missing ':'
// alone is reported, the body follows anyway).
bool Parser::algorithm_header(AlgorithmAst& a) {
  if (!at(Tok::kIdent)) {
    expected("the algorithm's name after ALGORITHM");
    return false;
  }
  a.name = name_of(advance());
  if (!at_word("IN")) {
    expected("IN after the algorithm's name (ALGORITHM Name IN ST :)");
    return false;
  }
  advance();
  if (!at(Tok::kIdent)) {
    expected("the algorithm's language after IN");
    return false;
  }
  a.language = advance().text;
  if (!accept(Tok::kColon)) expected("':' after the algorithm's language");
  return true;
}

// ALGORITHM Name IN ST : [VAR_TEMP ... END_VAR] statements END_ALGORITHM
void Parser::algorithm(std::vector<AlgorithmAst>& out) {
  const Token& open = advance();
  panic_ = false;
  AlgorithmAst a;
  if (!algorithm_header(a)) {  // skip what is left of it
    while (!at(Tok::kColon) && !at(Tok::kSemicolon) && !at_section_boundary()) advance();
    accept(Tok::kColon);
  }
  if (a.language.empty()) a.language = "ST";
  const std::string end_message = "END_ALGORITHM for the ALGORITHM" +
                                  (a.name.text.empty() ? "" : " " + quoted(a.name.text)) + " at line " +
                                  std::to_string(open.loc.line);
  if (!same_word(a.language, "ST")) {
    // Another language: the compiler reports it; its body is not ST, so
    // what the lexer made of it does not count.
    const Loc body = cur().loc;
    while (!at_section_boundary()) advance();
    std::erase_if(lex_errors_, [&](const SourceError& e) { return !before(e.loc, body) && before(e.loc, cur().loc); });
    if (!accept(Tok::kEndAlgorithm)) expected(end_message);
    if (!a.name.text.empty()) out.push_back(std::move(a));
    return;
  }
  panic_ = false;
  for (;;) {
    while (at(Tok::kVarTemp)) {
      const Token& temp = advance();
      parse_items(temp, Tok::kEndVar, "the declaration", [&] { return var_decl(a.temps, Tok::kEndVar); });
    }
    Block part = parse_block(false);
    for (auto& s : part) a.body.push_back(std::move(s));
    if (!at(Tok::kVarTemp)) break;
    syntax_error(cur(), "VAR_TEMP must come before the algorithm's statements");
  }
  if (!accept(Tok::kEndAlgorithm)) expected(end_message);
  if (!a.name.text.empty()) out.push_back(std::move(a));
}

// FBS / EVENT_CONNECTIONS / DATA_CONNECTIONS of a composite, application or resource.
bool Parser::network_section(NetworkAst& net) {
  switch (cur().kind) {
    case Tok::kFbs: {
      const Token& open = advance();
      parse_items(open, Tok::kEndFbs, "the FB instance", [&] { return fb_instance(net.fbs); });
      return true;
    }
    case Tok::kEventConnections:
    case Tok::kDataConnections: {
      const bool data = at(Tok::kDataConnections);
      auto& list = data ? net.data_connections : net.event_connections;
      const Token& open = advance();
      parse_items(open, Tok::kEndConnections, "the connection", [&] { return connection(list, data); });
      return true;
    }
    default: return false;
  }
}

// Name : Type [:= (param := value, ...)]
bool Parser::fb_instance(std::vector<FbInstanceAst>& out) {
  if (!at(Tok::kIdent)) {
    expected("an FB instance (Name : Type) or END_FBS");
    return false;
  }
  FbInstanceAst fb;
  fb.name = name_of(advance());
  if (!accept(Tok::kColon)) {
    expected("':' after the FB instance name");
    return false;
  }
  if (!at(Tok::kIdent)) {
    expected("the FB type after ':'");
    return false;
  }
  fb.type = name_of(advance());
  if (accept(Tok::kAssign) && !parameters(fb.parameters)) return false;
  out.push_back(std::move(fb));
  return true;
}

// Source TO Destination (a DATA_CONNECTIONS source may be a literal)
bool Parser::connection(std::vector<ConnectionAst>& out, bool data) {
  ConnectionAst c;
  c.loc = cur().loc;
  if (data && literal_source(c.source)) {
    c.source_is_literal = true;
  } else if (!port_path(c.source, "a connection (Source TO Destination) or END_CONNECTIONS")) {
    return false;
  }
  if (!accept(Tok::kTo)) {
    expected("TO after the connection's source");
    return false;
  }
  if (!port_path(c.destination, "the connection's destination after TO")) return false;
  out.push_back(std::move(c));
  return true;
}

bool Parser::literal_source(std::string& out) {
  const size_t first = pos_;
  if (at(Tok::kMinus) || at(Tok::kPlus)) {
    if (ahead(1).kind != Tok::kInteger && ahead(1).kind != Tok::kReal) return false;
    advance();
    advance();
  } else if (is_literal(cur().kind)) {
    advance();
  } else if (at(Tok::kLParen) || at(Tok::kLBracket)) {  // a structure or array value
    int depth = 0;
    do {
      if (at(Tok::kLParen) || at(Tok::kLBracket)) ++depth;
      else if (at(Tok::kRParen) || at(Tok::kRBracket)) --depth;
      advance();
    } while (depth > 0 && !at(Tok::kSemicolon) && !at_section_boundary());
  } else {
    return false;
  }
  out = source_text(first, pos_);
  return true;
}

// Name or Name.Port (as many levels as written)
bool Parser::port_path(std::string& out, std::string_view what) {
  if (!at(Tok::kIdent)) {
    expected(std::string(what));
    return false;
  }
  out = advance().text;
  while (accept(Tok::kDot)) {
    if (!at(Tok::kIdent)) {
      expected("a name after '.'");
      return false;
    }
    out += '.';
    out += advance().text;
  }
  return true;
}

SystemAst Parser::parse_system() {
  const Token& open = advance();
  SystemAst sys;
  if (at(Tok::kIdent)) sys.name = name_of(advance());
  else expected("the system's name after SYSTEM");
  parse_sections(open, sys.name.text, Tok::kEndSystem, "APPLICATION, DEVICE, MAPPING", is_top_level, [&] {
    switch (cur().kind) {
      case Tok::kApplication: sys.applications.push_back(parse_application()); return true;
      case Tok::kDevice: sys.devices.push_back(parse_device()); return true;
      case Tok::kMapping: {
        const Token& m = advance();
        parse_items(m, Tok::kEndMapping, "the mapping", [&] { return mapping(sys.mappings); });
        return true;
      }
      default: return false;
    }
  });
  return sys;
}

ApplicationAst Parser::parse_application() {
  const Token& open = advance();
  panic_ = false;
  ApplicationAst app;
  if (at(Tok::kIdent)) app.name = name_of(advance());
  else expected("the application's name after APPLICATION");
  parse_sections(open, app.name.text, Tok::kEndApplication, "FBS, EVENT_CONNECTIONS, DATA_CONNECTIONS", is_system_level,
                 [&] { return network_section(app.network); });
  return app;
}

DeviceAst Parser::parse_device() {
  const Token& open = advance();
  panic_ = false;
  DeviceAst dev;
  if (!header(dev.name, dev.type, dev.parameters, "device")) skip_to_section();
  parse_sections(open, dev.name.text, Tok::kEndDevice, "RESOURCE", is_system_level, [&] {
    if (!at(Tok::kResource)) return false;
    dev.resources.push_back(parse_resource());
    return true;
  });
  return dev;
}

ResourceAst Parser::parse_resource() {
  const Token& open = advance();
  panic_ = false;
  ResourceAst res;
  if (!header(res.name, res.type, res.parameters, "resource")) skip_to_section();
  parse_sections(open, res.name.text, Tok::kEndResource, "FBS, EVENT_CONNECTIONS, DATA_CONNECTIONS", is_device_level,
                 [&] { return network_section(res.network); });
  return res;
}

// Name : Type [:= (param := value, ...)] [;]
bool Parser::header(Name& name, Name& type, std::vector<std::pair<Name, std::string>>& params, std::string_view what) {
  if (!at(Tok::kIdent)) {
    expected("the " + std::string(what) + "'s name");
    return false;
  }
  name = name_of(advance());
  if (!accept(Tok::kColon)) {
    expected("':' after the " + std::string(what) + "'s name");
    return false;
  }
  if (!at(Tok::kIdent)) {
    expected("the " + std::string(what) + "'s type after ':'");
    return false;
  }
  type = name_of(advance());
  if (accept(Tok::kAssign) && !parameters(params)) return false;
  accept(Tok::kSemicolon);
  return true;
}

// [App.]FB ON Device.Resource
bool Parser::mapping(std::vector<MappingAst>& out) {
  MappingAst m;
  m.loc = cur().loc;
  if (!port_path(m.fb, "a mapping (FB ON Device.Resource) or END_MAPPING")) return false;
  if (!at_word("ON")) {
    expected("ON after the FB name");
    return false;
  }
  advance();
  if (!port_path(m.resource, "the resource (Device.Resource) after ON")) return false;
  out.push_back(std::move(m));
  return true;
}

// ------------------------------------------------------------------ statements

// Statements up to a word that ends the list (END_IF, ELSE, ...), a section
// keyword or, in a CASE, the next label.
Block Parser::parse_block(bool case_body) {
  Block body;
  for (;;) {
    const Tok k = cur().kind;
    if (at_section_boundary()) break;
    if (case_body && at_case_label()) break;
    if (is_block_word(k)) {
      // A wrong END_ inside a construct ends it (finish() says which was due).
      if (closes_open_construct(k) || (ends_construct(k) && any_open())) break;
      syntax_error(cur(), quoted(cur().text) + " without a matching " + opener_of(k));
      advance();
      accept(Tok::kSemicolon);
      continue;
    }
    const size_t start = pos_;
    parse_statement(body);
    if (pos_ == start) advance();
  }
  panic_ = false;
  return body;
}

bool Parser::any_open() const {
  return std::any_of(open_.begin(), open_.end(), [](int n) { return n > 0; });
}

bool Parser::closes_open_construct(Tok k) const {
  switch (k) {
    case Tok::kElsif:
    case Tok::kEndIf: return open_[kIfBlock] > 0;
    case Tok::kElse: return open_[kIfBlock] > 0 || open_[kCaseBlock] > 0;
    case Tok::kEndCase: return open_[kCaseBlock] > 0;
    case Tok::kEndFor: return open_[kForBlock] > 0;
    case Tok::kEndWhile: return open_[kWhileBlock] > 0;
    case Tok::kUntil:
    case Tok::kEndRepeat: return open_[kRepeatBlock] > 0;
    default: return false;
  }
}

// `1:`, `-1:`, `X:`, `1, 2:`, `2..5:`
bool Parser::at_case_label() const {
  size_t k = pos_;
  if (toks_[k].kind == Tok::kMinus || toks_[k].kind == Tok::kPlus) ++k;
  if (k + 1 >= toks_.size()) return false;
  if (!is_literal(toks_[k].kind) && toks_[k].kind != Tok::kIdent) return false;
  const Tok next = toks_[k + 1].kind;
  return next == Tok::kColon || next == Tok::kComma || next == Tok::kRange;
}

void Parser::parse_statement(Block& out) {
  panic_ = false;
  Scoped nest(depth_);
  if (depth_ == 1) deep_reported_ = false;
  if (too_deep()) {
    skip_nested_statement();
    return;
  }
  switch (cur().kind) {
    case Tok::kSemicolon: advance(); return;
    case Tok::kIf: return parse_if(out);
    case Tok::kCase: return parse_case(out);
    case Tok::kFor: return parse_for(out);
    case Tok::kWhile: return parse_while(out);
    case Tok::kRepeat: return parse_repeat(out);
    case Tok::kExit:
    case Tok::kContinue:
    case Tok::kReturn: {
      auto s = std::make_unique<Stmt>();
      s->kind = at(Tok::kExit) ? StmtKind::kExit : at(Tok::kContinue) ? StmtKind::kContinue : StmtKind::kReturn;
      s->loc = advance().loc;
      out.push_back(std::move(s));
      return end_statement(true);
    }
    case Tok::kIdent: return parse_simple(out);
    default:
      expected("a statement");
      advance();
      skip_statement();
  }
}

// target := value;  or  f(args);
void Parser::parse_simple(Block& out) {
  const Loc loc = cur().loc;
  Parsed target = parse_postfix();
  if (!target) return end_statement(false);
  auto s = std::make_unique<Stmt>();
  s->loc = loc;
  if (target.expr->kind == ExprKind::kCall) {
    if (at(Tok::kAssign)) {
      syntax_error(cur(), "cannot assign to the result of a call to " + quoted(target.expr->text));
      return end_statement(false);
    }
    s->kind = StmtKind::kCall;
    s->value = std::move(target.expr);
    out.push_back(std::move(s));
    return end_statement(true);
  }
  if (!accept(Tok::kAssign)) {
    expected("':=' after the assignment target");
    return end_statement(false);
  }
  Parsed value = parse_expr();
  if (!value) return end_statement(false);
  s->kind = StmtKind::kAssign;
  s->target = std::move(target.expr);
  s->value = std::move(value.expr);
  out.push_back(std::move(s));
  end_statement(true);
}

void Parser::parse_if(Block& out) {
  const Token& open = advance();
  Scoped is_open(open_[kIfBlock]);
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::kIf;
  s->loc = open.loc;
  bool ok = true;
  do {
    Parsed cond = parse_expr();
    const bool header_ok = cond && accept(Tok::kThen);
    if (cond && !header_ok) expected("THEN after the condition");
    if (!header_ok) skip_to(Tok::kThen);
    ok = ok && header_ok;
    s->conds.push_back(std::move(cond.expr));
    s->bodies.push_back(parse_block(false));
  } while (accept(Tok::kElsif));
  if (accept(Tok::kElse)) s->bodies.push_back(parse_block(false));
  finish(out, std::move(s), ok, Tok::kEndIf, open);
}

void Parser::parse_case(Block& out) {
  const Token& open = advance();
  Scoped is_open(open_[kCaseBlock]);
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::kCase;
  s->loc = open.loc;
  Parsed selector = parse_expr();
  bool ok = bool(selector);
  s->value = std::move(selector.expr);
  if (ok && !accept(Tok::kOf)) {
    expected("OF after the CASE selector");
    ok = false;
  }
  if (!ok) skip_to(Tok::kOf);
  while (!at_section_boundary() && !is_block_word(cur().kind)) {
    const size_t start = pos_;
    panic_ = false;
    std::vector<CaseLabel> labels;
    const bool labels_ok = case_labels(labels);
    Block body = parse_block(true);
    if (labels_ok) {
      s->labels.push_back(std::move(labels));
      s->bodies.push_back(std::move(body));
    }
    if (pos_ == start) advance();
  }
  if (accept(Tok::kElse)) s->bodies.push_back(parse_block(false));
  finish(out, std::move(s), ok, Tok::kEndCase, open);
}

// 1, 2..5, X, -1 :
bool Parser::case_labels(std::vector<CaseLabel>& labels) {
  do {
    CaseLabel label;
    Parsed lo = parse_expr();
    if (!lo) break;
    label.lo = std::move(lo.expr);
    if (accept(Tok::kRange)) {
      Parsed hi = parse_expr();
      if (!hi) break;
      label.hi = std::move(hi.expr);
    }
    labels.push_back(std::move(label));
    if (!accept(Tok::kComma)) {
      if (accept(Tok::kColon)) return true;
      expected("':' after the CASE label");
      break;
    }
  } while (true);
  skip_to(Tok::kColon);
  return false;
}

void Parser::parse_for(Block& out) {
  const Token& open = advance();
  Scoped is_open(open_[kForBlock]);
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::kFor;
  s->loc = open.loc;
  const bool ok = for_header(*s);
  if (!ok) skip_to(Tok::kDo);
  s->bodies.push_back(parse_block(false));
  finish(out, std::move(s), ok, Tok::kEndFor, open);
}

// i := start TO limit [BY step] DO
bool Parser::for_header(Stmt& s) {
  if (!at(Tok::kIdent)) {
    expected("the loop variable after FOR");
    return false;
  }
  const Token& var = advance();
  s.target = leaf(ExprKind::kName, var, var.text).expr;
  if (!accept(Tok::kAssign)) {
    expected("':=' after the loop variable");
    return false;
  }
  Parsed start = parse_expr();
  if (!start) return false;
  s.value = std::move(start.expr);
  if (!accept(Tok::kTo)) {
    expected("TO after the start value");
    return false;
  }
  Parsed limit = parse_expr();
  if (!limit) return false;
  s.limit = std::move(limit.expr);
  if (accept(Tok::kBy)) {
    Parsed step = parse_expr();
    if (!step) return false;
    s.step = std::move(step.expr);
  }
  if (!accept(Tok::kDo)) {
    expected("DO after the FOR header");
    return false;
  }
  return true;
}

void Parser::parse_while(Block& out) {
  const Token& open = advance();
  Scoped is_open(open_[kWhileBlock]);
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::kWhile;
  s->loc = open.loc;
  Parsed cond = parse_expr();
  bool ok = bool(cond);
  if (ok && !accept(Tok::kDo)) {
    expected("DO after the WHILE condition");
    ok = false;
  }
  if (!ok) skip_to(Tok::kDo);
  s->conds.push_back(std::move(cond.expr));
  s->bodies.push_back(parse_block(false));
  finish(out, std::move(s), ok, Tok::kEndWhile, open);
}

void Parser::parse_repeat(Block& out) {
  const Token& open = advance();
  Scoped is_open(open_[kRepeatBlock]);
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::kRepeat;
  s->loc = open.loc;
  s->bodies.push_back(parse_block(false));
  bool ok = false;
  if (!accept(Tok::kUntil)) {
    expected("UNTIL for the REPEAT at line " + std::to_string(open.loc.line));
  } else if (Parsed cond = parse_expr()) {
    s->conds.push_back(std::move(cond.expr));
    ok = true;
  } else {
    while (!at_statement_boundary()) advance();
  }
  finish(out, std::move(s), ok, Tok::kEndRepeat, open);
}

// The end word of a construct, then ';'. A construct whose own syntax was
// broken is left out; its body was parsed for its errors.
void Parser::finish(Block& out, StmtPtr s, bool ok, Tok end, const Token& opener) {
  bool closed = accept(end);
  if (!closed) {
    expected(kw(end) + " for the " + kw(opener.kind) + " at line " + std::to_string(opener.loc.line));
    // END_FOR where END_WHILE was due, and no FOR is open: a slip, take it as ours.
    if (ends_construct(cur().kind) && !closes_open_construct(cur().kind)) {
      advance();
      closed = true;
    }
  }
  if (ok) out.push_back(std::move(s));
  if (closed) end_statement(true);
}

void Parser::end_statement(bool complete) {
  if (accept(Tok::kSemicolon)) return;
  // 4diac's files end an algorithm's last statement without ';' (END_WHILE
  // at the end of the text), and 4diac takes them; IEC 61131-3 ends every
  // statement with ';'.
  if (complete && fourdiac_st_ && at(Tok::kEnd)) return;
  if (complete) {
    expected("';' after statement");
    if (cur().loc.line > prev().loc.line) return;  // forgotten at the end of a line: go on
  }
  skip_statement();
}

bool Parser::at_statement_boundary() const {
  const Tok k = cur().kind;
  return k == Tok::kSemicolon || at_section_boundary() || is_block_word(k) || starts_statement(k);
}

void Parser::skip_statement() {
  while (!at_statement_boundary()) advance();
  accept(Tok::kSemicolon);
}

// After a broken header: on to `wanted` (taken) or the next statement boundary.
void Parser::skip_to(Tok wanted) {
  while (!at(wanted) && !at_statement_boundary()) advance();
  accept(wanted);
}

// Skips a statement too deep to parse, with everything nested in it.
void Parser::skip_nested_statement() {
  if (!starts_construct(cur().kind)) {
    advance();
    return skip_statement();
  }
  int level = 0;
  do {
    const Tok k = cur().kind;
    if (at_section_boundary()) return;
    if (starts_construct(k)) ++level;
    else if (ends_construct(k)) --level;
    advance();
  } while (level > 0);
  accept(Tok::kSemicolon);
}

// ------------------------------------------------------------------ expressions

// Binary operators by precedence climbing over an explicit stack (shared by
// the nested calls, each above its own base): recursion only comes from
// parentheses, unary operators, indexes and arguments, bounded by depth_.
Parsed Parser::parse_expr() {
  Scoped nest(depth_);
  if (too_deep()) return {};
  const size_t base = pending_.size();
  Parsed current = parse_unary();  // the operand right of the waiting operators
  if (!current) return {};
  for (;;) {
    OpKind op = OpKind::kNone;
    const int precedence = binary_precedence(cur().kind, op);
    while (pending_.size() > base && pending_.back().precedence >= precedence) {  // left-associative
      Pending p = std::move(pending_.back());
      pending_.pop_back();
      const Loc loc = p.lhs.expr->loc;
      current = node(ExprKind::kBinary, p.op, loc, std::move(p.lhs), std::move(current));
      if (!current) break;
    }
    if (!current || precedence == 0) break;
    advance();
    pending_.push_back({std::move(current), op, precedence});
    current = parse_unary();
    if (!current) break;
  }
  pending_.resize(base);  // after an error, what was waiting goes
  return current;
}

Parsed Parser::parse_unary() {
  const OpKind op = at(Tok::kMinus)  ? OpKind::kNeg
                    : at(Tok::kPlus) ? OpKind::kPlus
                    : at(Tok::kNot)  ? OpKind::kNot
                                     : OpKind::kNone;
  if (op == OpKind::kNone) return parse_postfix();
  Scoped nest(depth_);
  if (too_deep()) return {};
  const Token& sign = advance();
  // -5 written as one: a negative literal, as parse_literal reads it.
  if (op == OpKind::kNeg && (at(Tok::kInteger) || at(Tok::kReal)) && cur().text.data() == sign.text.data() + 1) {
    const Token& number = advance();
    return leaf(ExprKind::kLiteral, sign, std::string_view(sign.text.data(), number.text.size() + 1));
  }
  Parsed operand = parse_unary();
  if (!operand) return {};
  return node(ExprKind::kUnary, op, sign.loc, std::move(operand));
}

// primary { [index] | .member | ^ }
Parsed Parser::parse_postfix() {
  Parsed e = parse_primary();
  while (e) {
    if (at(Tok::kLBracket)) {
      advance();
      // A[i, j] is A[i][j]: one index node per dimension.
      const Loc loc = e.expr->loc;
      do {
        Parsed index = parse_expr();
        if (!index) return {};
        e = node(ExprKind::kIndex, OpKind::kNone, loc, std::move(e), std::move(index));
      } while (accept(Tok::kComma));
      if (!accept(Tok::kRBracket)) {
        expected("',' or ']' after the array index");
        return {};
      }
    } else if (at(Tok::kDot)) {
      advance();
      // After '.', a keyword is a member name (an adapter's DO, a struct's END).
      // A bit of an integer: x.3, x.%X3 (the compiler checks the type).
      if (!at(Tok::kIdent) && !is_keyword(cur().kind) && !at(Tok::kInteger)) {
        expected("a member name after '.'");
        return {};
      }
      const Token& member = advance();
      const Loc loc = e.expr->loc;
      e = node(ExprKind::kMember, OpKind::kNone, loc, std::move(e));
      if (e) e.expr->text = member.text;
    } else if (at(Tok::kCaret)) {
      const Loc loc = e.expr->loc;
      advance();
      e = node(ExprKind::kDeref, OpKind::kNone, loc, std::move(e));
    } else {
      break;
    }
  }
  return e;
}

Parsed Parser::parse_primary() {
  const Token& t = cur();
  if (is_literal(t.kind)) {
    advance();
    return leaf(ExprKind::kLiteral, t, t.text);
  }
  if (t.kind == Tok::kIdent) {
    advance();
    if (at(Tok::kLParen)) return parse_call(t);
    return leaf(ExprKind::kName, t, t.text);
  }
  // The functions named like operators (IEC 61131-3 table 24): AND(a, b).
  const bool operator_word = t.kind == Tok::kAnd || t.kind == Tok::kOr || t.kind == Tok::kXor || t.kind == Tok::kMod;
  if (operator_word && ahead(1).kind == Tok::kLParen) {
    advance();
    return parse_call(t);
  }
  if (t.kind == Tok::kLParen) {
    advance();
    Parsed inner = parse_expr();
    if (!inner) return {};
    if (!accept(Tok::kRParen)) {
      expected_closing_paren(t);
      return {};
    }
    return inner;
  }
  expected("an expression");
  return {};
}

// name(a, b) or name(IN := a, PT := b)
Parsed Parser::parse_call(const Token& name) {
  advance();  // '('
  Parsed call = leaf(ExprKind::kCall, name, name.text);
  if (accept(Tok::kRParen)) return call;
  do {
    std::string formal;
    const bool output = at(Tok::kIdent) && ahead(1).kind == Tok::kOutAssign;
    if (at(Tok::kIdent) && (ahead(1).kind == Tok::kAssign || output)) {
      formal = advance().text;
      advance();
    }
    Parsed arg = parse_expr();
    if (!arg) return {};
    call.height = std::max(call.height, arg.height + 1);
    call.expr->args.push_back(std::move(arg.expr));
    call.expr->arg_names.push_back(std::move(formal));
    call.expr->arg_outputs.push_back(output);
  } while (accept(Tok::kComma));
  if (!accept(Tok::kRParen)) {
    expected_argument_end(name);
    return {};
  }
  if (call.height > kMaxNesting) {
    report_too_deep(name);
    return {};
  }
  return call;
}

Parsed Parser::leaf(ExprKind kind, const Token& t, std::string_view text) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->loc = t.loc;
  e->text = text;
  return {std::move(e), 1};
}

// The height counts what the walks over the tree recurse into: a binary
// node's left operand is walked in a loop down the chain (a + b + ...), so
// only its right operand adds a level.
Parsed Parser::node(ExprKind kind, OpKind op, Loc loc, Parsed a, Parsed b) {
  const int height = kind == ExprKind::kBinary ? std::max(a.height, b.height + 1) : 1 + std::max(a.height, b.height);
  if (height > kMaxNesting) {
    report_too_deep(cur());
    return {};
  }
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->op = op;
  e->loc = loc;
  e->args.push_back(std::move(a.expr));
  if (b.expr) e->args.push_back(std::move(b.expr));
  return {std::move(e), height};
}

}  // namespace

Expr::~Expr() {
  std::vector<ExprPtr> doomed;
  for (auto& a : args) doomed.push_back(std::move(a));
  while (!doomed.empty()) {
    ExprPtr e = std::move(doomed.back());
    doomed.pop_back();
    if (!e) continue;
    for (auto& a : e->args) doomed.push_back(std::move(a));
    e->args.clear();
  }  // each `e` is freed here with no children left
}

FileAst parse_file(std::string_view file_name, std::string_view text, Diagnostics& diags) {
  Parser parser(file_name, text);
  FileAst file = parser.file();
  parser.flush(diags);
  return file;
}

ExprPtr parse_expression(std::string_view file_name, std::string_view text, Diagnostics& diags) {
  Parser parser(file_name, text);
  ExprPtr e = parser.lone_expression();
  parser.flush(diags);
  return e;
}

AlgorithmAst parse_algorithm_text(std::string_view file_name, std::string_view text, Loc origin, Diagnostics& diags) {
  Parser parser(file_name, text, origin, true);
  AlgorithmAst a = parser.algorithm_text();
  parser.flush(diags);
  return a;
}

bool parse_transition_condition(std::string_view file_name, std::string_view text, Loc origin, EccTransitionAst& out,
                                Diagnostics& diags) {
  Parser parser(file_name, text, origin, true);
  const bool ok = parser.transition_condition(out);
  parser.flush(diags);
  return ok;
}

}  // namespace plc::lang
