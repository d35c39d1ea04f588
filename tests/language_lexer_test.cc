// The tokens of the textual language (IEC 61131-3 3rd ed. 6.1-6.3, IEC 61499-1 Annex B).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/language/lexer.h"

using namespace plc;
using namespace plc::lang;

namespace {

struct Lexed {
  std::vector<Token> tokens;  // without the final kEnd
  Diagnostics diags;
};

Lexed lex(std::string_view text) {
  Lexed l;
  l.tokens = tokenize("t.st", text, l.diags);
  REQUIRE(!l.tokens.empty());
  CHECK(l.tokens.back().kind == Tok::kEnd);
  l.tokens.pop_back();
  return l;
}

std::vector<Tok> kinds(std::string_view text) {
  std::vector<Tok> k;
  for (const auto& t : lex(text).tokens) k.push_back(t.kind);
  return k;
}

std::vector<std::string> texts(std::string_view text) {
  std::vector<std::string> s;
  for (const auto& t : lex(text).tokens) s.emplace_back(t.text);
  return s;
}

// The one token `text` lexes into.
Token one(std::string_view text) {
  Lexed l = lex(text);
  INFO(text);
  REQUIRE(l.diags.ok());
  REQUIRE(l.tokens.size() == 1);
  CHECK(l.tokens[0].text == text);
  return l.tokens[0];
}

std::vector<std::string> errors(std::string_view text) {
  const Lexed l = lex(text);
  std::vector<std::string> e;
  for (const auto& d : l.diags.list()) e.push_back(d.str());
  return e;
}

}  // namespace

TEST_CASE("keywords are recognised in any case and identifiers keep their spelling", "[language][lexer]") {
  CHECK(kinds("IF if If END_IF end_if") == std::vector{Tok::kIf, Tok::kIf, Tok::kIf, Tok::kEndIf, Tok::kEndIf});
  CHECK(kinds("function_block End_Function_Block ec_states VAR_INTERNAL var_temp") ==
        std::vector{Tok::kFunctionBlock, Tok::kEndFunctionBlock, Tok::kEcStates, Tok::kVarInternal, Tok::kVarTemp});
  CHECK(kinds("and Or xor NOT mod") == std::vector{Tok::kAnd, Tok::kOr, Tok::kXor, Tok::kNot, Tok::kMod});
  CHECK(kinds("true False") == std::vector{Tok::kBool, Tok::kBool});
  // Words the parser takes by position stay identifiers.
  CHECK(kinds("WITH IN ST ON EVENT") == std::vector(5, Tok::kIdent));
  CHECK(texts("MyVar myvar _x1 END_IFX IFS") == std::vector<std::string>{"MyVar", "myvar", "_x1", "END_IFX", "IFS"});
  CHECK(kinds("END_IFX") == std::vector{Tok::kIdent});
}

TEST_CASE("comments of the three kinds are skipped and (* *) comments nest", "[language][lexer]") {
  CHECK(texts("a (* one *) b /* two */ c // three\nd") == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(texts("a (* outer (* inner *) still outer *) b") == std::vector<std::string>{"a", "b"});
  CHECK(texts("a /* (* not nested */ b") == std::vector<std::string>{"a", "b"});
  CHECK(texts("a (* // *) b") == std::vector<std::string>{"a", "b"});
  CHECK(texts("a // (* no comment opens here\nb") == std::vector<std::string>{"a", "b"});
  CHECK(texts("(**)x(***)") == std::vector<std::string>{"x"});
}

TEST_CASE("an unterminated comment is an error at its start", "[language][lexer]") {
  CHECK(errors("a\n  (* never (* closed *) ...") ==
        std::vector<std::string>{"t.st:2:3: error: unterminated comment: '(*' has no matching '*)'"});
  CHECK(errors("x /* open") ==
        std::vector<std::string>{"t.st:1:3: error: unterminated comment: '/*' has no matching '*/'"});
  Lexer lexer("a (* b");
  CHECK(lexer.next().kind == Tok::kIdent);
  CHECK(lexer.next().kind == Tok::kEnd);
  CHECK(lexer.ended_in_comment());
}

TEST_CASE("integer, based and real literals", "[language][lexer][literal]") {
  CHECK(one("42").kind == Tok::kInteger);
  CHECK(one("1_000").kind == Tok::kInteger);
  CHECK(one("2#1010").kind == Tok::kInteger);
  CHECK(one("8#17").kind == Tok::kInteger);
  CHECK(one("16#AFFE").kind == Tok::kInteger);
  CHECK(one("16#dead_beef").kind == Tok::kInteger);
  CHECK(one("3.5").kind == Tok::kReal);
  CHECK(one("1.0E3").kind == Tok::kReal);
  CHECK(one("1e-3").kind == Tok::kReal);
  CHECK(one("1_000.000_1E+2").kind == Tok::kReal);
  // The minus is an operator of its own.
  CHECK(kinds("-5") == std::vector{Tok::kMinus, Tok::kInteger});
  // A range is not a real.
  CHECK(kinds("1..5") == std::vector{Tok::kInteger, Tok::kRange, Tok::kInteger});
  CHECK(kinds("16#F..16#FF") == std::vector{Tok::kInteger, Tok::kRange, Tok::kInteger});
  // An exponent needs digits: 1e is the integer 1 then a name.
  CHECK(kinds("1ex") == std::vector{Tok::kInteger, Tok::kIdent});
}

TEST_CASE("malformed numbers are errors at their start", "[language][lexer][literal]") {
  CHECK(errors("x := 3#12;") == std::vector<std::string>{"t.st:1:6: error: invalid base '3' in '3#12' (2, 8 or 16)"});
  CHECK(errors("2#1012") ==
        std::vector<std::string>{"t.st:1:1: error: invalid digit '2' in the base-2 number '2#1012'"});
  CHECK(errors("16#FG") ==
        std::vector<std::string>{"t.st:1:1: error: invalid digit 'G' in the base-16 number '16#FG'"});
  CHECK(errors("16#") == std::vector<std::string>{"t.st:1:1: error: malformed number '16#'"});
  CHECK(errors("1__0") == std::vector<std::string>{"t.st:1:1: error: malformed number '1__0'"});
  CHECK(errors("1_") == std::vector<std::string>{"t.st:1:1: error: malformed number '1_'"});
  CHECK(kinds("a 1__0 b") == std::vector{Tok::kIdent, Tok::kError, Tok::kIdent});
}

TEST_CASE("typed, duration and date literals keep their text as written", "[language][lexer][literal]") {
  CHECK(one("INT#5").kind == Tok::kTyped);
  CHECK(one("int#-5").kind == Tok::kTyped);
  CHECK(one("UINT#16#FF").kind == Tok::kTyped);
  CHECK(one("BOOL#1").kind == Tok::kTyped);
  CHECK(one("BOOL#TRUE").kind == Tok::kTyped);
  CHECK(one("REAL#1.5").kind == Tok::kTyped);
  CHECK(one("LREAL#-1.0E-3").kind == Tok::kTyped);
  CHECK(one("STRING#'a;b'").kind == Tok::kTyped);
  CHECK(one("T#1s500ms").kind == Tok::kTime);
  CHECK(one("TIME#-2m").kind == Tok::kTime);
  CHECK(one("t#1h_2m").kind == Tok::kTime);
  CHECK(one("T#1.5s").kind == Tok::kTime);
  CHECK(one("LT#5ns").kind == Tok::kTime);
  CHECK(one("D#2024-01-31").kind == Tok::kDate);
  CHECK(one("DATE#2024-01-31").kind == Tok::kDate);
  CHECK(one("TOD#12:30:00.5").kind == Tok::kTimeOfDay);
  CHECK(one("TIME_OF_DAY#12:30:00").kind == Tok::kTimeOfDay);
  CHECK(one("DT#2024-01-31-12:30:00").kind == Tok::kDateAndTime);
  CHECK(one("DATE_AND_TIME#2024-01-31-12:30:00.25").kind == Tok::kDateAndTime);
  // A literal ends where its form ends.
  CHECK(texts("T#1s;") == std::vector<std::string>{"T#1s", ";"});
  CHECK(texts("(DT := T#1s)") == std::vector<std::string>{"(", "DT", ":=", "T#1s", ")"});
  CHECK(texts("D.DT") == std::vector<std::string>{"D", ".", "DT"});
}

TEST_CASE("literal tokens are the forms plc::parse_literal reads", "[language][lexer][literal]") {
  struct Case {
    const char* text;
    DataType type;
  };
  for (const Case& c :
       {Case{"42", DataType::kInt}, Case{"1_000", DataType::kDint}, Case{"16#AFFE", DataType::kWord},
        Case{"INT#5", DataType::kInt}, Case{"UINT#16#FF", DataType::kUint}, Case{"BOOL#1", DataType::kBool},
        Case{"TRUE", DataType::kBool}, Case{"REAL#1.5", DataType::kReal}, Case{"1.0E3", DataType::kLreal},
        Case{"T#1s500ms", DataType::kTime}, Case{"TIME#-2m", DataType::kTime}, Case{"t#1h_2m", DataType::kTime},
        Case{"D#2024-01-31", DataType::kDate}, Case{"TOD#12:30:00.5", DataType::kTimeOfDay},
        Case{"DT#2024-01-31-12:30:00", DataType::kDateAndTime}}) {
    INFO(c.text);
    const Token t = one(c.text);
    CHECK(is_literal(t.kind));
    CHECK(parse_literal(c.type, t.text));
  }
}

TEST_CASE("an unknown type before '#' or a missing value is an error", "[language][lexer][literal]") {
  CHECK(one("Color#Red").kind == Tok::kTyped);  // an enumerated value: the compiler checks the type
  CHECK(errors("Color#5") ==
        std::vector<std::string>{"t.st:1:1: error: unknown type 'Color' in the typed literal 'Color#5'"});
  CHECK(errors("x T#;") == std::vector<std::string>{"t.st:1:3: error: 'T#' lacks its value after '#'"});
  CHECK(errors("INT#") == std::vector<std::string>{"t.st:1:1: error: 'INT#' lacks its value after '#'"});
}

TEST_CASE("strings take $ escapes; bad escapes and unterminated strings are errors at their start",
          "[language][lexer][string]") {
  CHECK(one("'abc'").kind == Tok::kString);
  CHECK(one("''").kind == Tok::kString);
  CHECK(one("'it$'s $$5 $L$N$R$T$P $l $0A'").kind == Tok::kString);
  CHECK(one("'say \"hi\"'").kind == Tok::kString);
  CHECK(one("\"wide $\" string\"").kind == Tok::kWString);
  CHECK(one("'(* not a comment *)'").kind == Tok::kString);
  CHECK(errors("x := 'abc;\ny := 1;") ==
        std::vector<std::string>{"t.st:1:6: error: unterminated string literal: no closing ' on its line"});
  CHECK(kinds("x := 'abc;\ny") == std::vector{Tok::kIdent, Tok::kAssign, Tok::kError, Tok::kIdent});
  CHECK(errors("'a $Q b'") == std::vector<std::string>{"t.st:1:4: error: invalid escape '$Q' in a string literal"});
  CHECK(errors("'a $4'") == std::vector<std::string>{"t.st:1:4: error: invalid escape '$4' in a string literal"});
  CHECK(kinds("'a $Q b'") == std::vector{Tok::kError});
  CHECK(errors("'a $Q b") ==
        std::vector<std::string>{"t.st:1:1: error: unterminated string literal: no closing ' on its line"});
}

TEST_CASE("operators take the longest match", "[language][lexer]") {
  CHECK(texts(":= : => = -> - ** * .. . <> <= < >= > & + / ( ) [ ] , ;") ==
        std::vector<std::string>{":=", ":",  "=>", "=", "->", "-", "**", "*", "..", ".", "<>", "<=",
                                 "<",  ">=", ">",  "&", "+",  "/", "(",  ")", "[",  "]", ",",  ";"});
  CHECK(kinds("a:=b**2<>c") ==
        std::vector{Tok::kIdent, Tok::kAssign, Tok::kIdent, Tok::kPower, Tok::kInteger, Tok::kNe, Tok::kIdent});
  CHECK(kinds("x->y") == std::vector{Tok::kIdent, Tok::kArrow, Tok::kIdent});
}

TEST_CASE("positions are 1-based lines and byte columns", "[language][lexer]") {
  Lexed l = lex("a\n  bb (* x\n y *) c\r\n\td");
  REQUIRE(l.tokens.size() == 4);
  CHECK((l.tokens[0].loc.line == 1 && l.tokens[0].loc.col == 1));
  CHECK((l.tokens[1].loc.line == 2 && l.tokens[1].loc.col == 3));
  CHECK((l.tokens[2].loc.line == 3 && l.tokens[2].loc.col == 7));
  CHECK((l.tokens[3].loc.line == 4 && l.tokens[3].loc.col == 2));
  // A byte order mark is not a column.
  Lexed bom = lex("\xEF\xBB\xBFx");
  REQUIRE(bom.tokens.size() == 1);
  CHECK(bom.tokens[0].loc.col == 1);
}

TEST_CASE("stray characters are reported once per run and skipped", "[language][lexer]") {
  CHECK(errors("a @ b") == std::vector<std::string>{"t.st:1:3: error: unexpected character '@'"});
  CHECK(errors("a @#%$ b") == std::vector<std::string>{"t.st:1:3: error: unexpected character '@'"});
  CHECK(errors(std::string_view("a\0b", 3)) == std::vector<std::string>{"t.st:1:2: error: unexpected byte 0x00"});
  CHECK(errors("x \xC3\xA9 y") == std::vector<std::string>{"t.st:1:3: error: unexpected byte 0xC3"});
  CHECK(kinds("a @ b") == std::vector{Tok::kIdent, Tok::kError, Tok::kIdent});
  CHECK(kinds("a@b") == std::vector{Tok::kIdent, Tok::kError, Tok::kIdent});
}

TEST_CASE("the lexer ends on any bytes", "[language][lexer][robustness]") {
  uint64_t seed = 0x9E3779B97F4A7C15u;
  for (int round = 0; round < 50; ++round) {
    std::string text(2000, '\0');
    for (char& c : text) {
      seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
      c = char(seed);
    }
    Diagnostics diags;
    auto tokens = tokenize("r.st", text, diags);
    CHECK(tokens.back().kind == Tok::kEnd);
    CHECK(tokens.size() <= text.size() + 1);
  }
}
