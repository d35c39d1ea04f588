// A value as FORTE's toString writes it (src/core/datatypes/, 4diac FORTE
// of October 2024), for the utils blocks that print values: APPEND_STRING,
// OUT_ANY_CONSOLE and CSV_WRITER.
//
// - BOOL TRUE/FALSE; integers and bit strings in decimal;
// - REAL as %.9g, LREAL as %.17g, with ".0" added when the text has no
//   '.' and no 'e' (1.0, 2.5, 1e+20, inf.0);
// - TIME as T#1d2h3m4s5ms6us7ns, zero parts left out, T#0ns for zero;
// - DATE D#2024-10-15, TIME_OF_DAY TOD#12:30:00.000,
//   DATE_AND_TIME DT#2024-10-15-12:30:00.000 (UTC, milliseconds);
// - STRING quoted 'it$'s', WSTRING quoted "say $"hi$"" (in UTF-8), with
//   $$, $n, $r, $t, $p and, in a STRING, $XX for other unprintable bytes;
// - arrays [1,2,3], structures (A:=1,B:='x').
// FORTE writes a large array collapsed (3(0)); plc writes every element.
#pragma once

#include <cstddef>
#include <cstdio>

#include "runtime/fb_type.h"

namespace plc::stdfb {

// Characters collected in a caller's buffer: when full they go to `file`
// (then the buffer starts again), or, without a file, the rest is dropped.
class TextSink {
 public:
  TextSink(char* buf, size_t cap, std::FILE* file = nullptr) : buf_(buf), cap_(cap), file_(file) {}
  void put(char c) {
    if (n_ == cap_) flush();
    if (n_ < cap_) buf_[n_++] = c;
  }
  void put(const char* s, size_t n) {
    for (size_t k = 0; k < n; ++k) put(s[k]);
  }
  void put(const char* s);
  // Writes the buffer to the file, if there is one.
  void flush();
  const char* data() const { return buf_; }
  size_t size() const { return n_; }

 private:
  char* buf_;
  size_t cap_;
  size_t n_ = 0;
  std::FILE* file_;
};

// The start of a line of FORTE's log (src/arch/devlog.cpp): the level,
// then the wall-clock time in ns since 1970: "INFO: T#1733112000123456789: ".
// The utils blocks that print (OUT_ANY_CONSOLE, TEST_CONDITION) start their
// lines so, as FORTE's DEVLOG_INFO and DEVLOG_ERROR do, for the scripts and
// test harnesses that read FORTE's output.
void put_log_prefix(TextSink& out, const char* level);

// Writes the value held in `slots` of variable `d` (every element of an
// array). `quote`: a STRING or WSTRING is quoted and escaped as above;
// false writes its characters as they are (a WSTRING in UTF-8; APPEND_STRING), inside an
// array or structure they are quoted anyway.
void write_text(TextSink& out, const VarDecl& d, const Value* slots, bool quote = true);
// One element of `d`'s type (its array size ignored), held in `element`.
void write_element_text(TextSink& out, const VarDecl& d, const Value* element, bool quote = true);

}  // namespace plc::stdfb
