// Retained variables (IEC 61131-3 6.5.6 RETAIN; IEC 61499-1 leaves the
// persistence of data to the implementation): the values a resource keeps
// across a restart, after which its START block fires WARM instead of COLD.
//
// A RetainImage is a snapshot of every variable declared RETAIN in the
// instances of one resource, but references (VarDecl::ref_to: they are the
// running program's, a changed one could give their slot to another
// variable), each entry keyed by the instance's name, the variable's name
// and its type's signature. Restoring matches by those keys, not by slot
// numbers: a program changed between capture and restore gets back what
// still matches (same instance, same variable, same type, still RETAIN)
// and is told which entries it dropped and why.
//
// The image's bytes (serialize_retain / parse_retain) come back from a
// file: they are never trusted. A truncated, padded or garbage image is an
// error with the byte offset where it went wrong, and a value a variable
// cannot hold (a BOOL of 7, a STRING longer than its capacity, an INT out
// of its range) drops that entry instead of writing it.
//
// Format, little-endian: "PLCRETN1", u32 version (1), u32 entry count,
// then per entry: u16 length + instance name, u16 length + variable name,
// u16 length + type signature, u32 slot count, that many u64 slots.
// Consistency across a crash is the store's job (erlang/src/plc_retain.erl
// writes whole images atomically); capture runs between slices, where no
// algorithm is halfway through (the host does not capture a paused slice).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/fb_type.h"
#include "runtime/status.h"

namespace plc {

class Resource;

struct RetainEntry {
  std::string fb;    // the instance, as named in the resource
  std::string var;   // the variable, as declared
  std::string type;  // retain_signature() of its declaration
  std::vector<Value> slots;
};

struct RetainImage {
  std::vector<RetainEntry> entries;
};

// An entry of an image that restore_retained() did not write, and why.
struct RetainDropped {
  std::string fb, var, why;
};

// The type of a declaration as text: "DINT", "STRING[20]",
// "ARRAY[0..9] OF INT", "POINT{X:REAL,Y:REAL}".
std::string retain_signature(const VarDecl& v);

// Whether the resource has any retained variable.
bool has_retained(const Resource& r);

RetainImage capture_retained(const Resource& r);
std::string serialize_retain(const RetainImage& image);
Expected<RetainImage> parse_retain(std::string_view bytes);

// Writes the entries that still match into the resource's slots (before
// START fires); returns those it dropped.
std::vector<RetainDropped> restore_retained(Resource& r, const RetainImage& image);

}  // namespace plc
