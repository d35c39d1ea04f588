// Forcing (4diac's monitoring, which IEC 61499 leaves to the tool): a
// forced variable of an FB instance holds the value it was forced to until
// the force is cleared.
//
// - A forced input (or internal) holds against its connections (the values
//   an event carries, the held values and parameters sampled at dispatch),
//   against the values an event from outside carries, against writes, and
//   against the FB's own algorithms: it is written back before and after
//   each event of its FB. Within one event the FB sees what its algorithm
//   wrote into it (as in FORTE, which does not guard inputs at all).
// - A forced output is what everything downstream sees, whatever the
//   algorithm writes: the values its events carry, the held value of its
//   connections (set to the forced value at once, as FORTE writes the
//   forced value into the connection), connections to other resources,
//   the observer's view (subscribers' plc_event data) and reads (watches).
//   The FB itself sees the forced value at the start of each of its
//   events, and its own writes within one: FORTE writes the forced value
//   back into the output at every event output that sends it.
// - Writes from outside (Resource::write_refused, the NIF's write) to a
//   forced variable are refused, so the value a force holds is only ever
//   changed by forcing again. A plain write that was already in the inbox
//   when the force came is undone after it lands.
// - Clearing a force leaves the variable at the forced value: an input
//   takes its next value from its next event (what that event carries, or
//   its held value, or its parameter), an output from its FB's next write;
//   downstream, held values keep the forced value until the output's next
//   event sends its real one. Events already queued keep what they carry.
//
// Cost: nothing on the dispatch path of an unforced port. A force patches
// the loaded tables and a clear restores them: the event connections into
// a forced FB run forced_on_event (which writes the forced values back
// around the FB's own behaviour) instead of the FB's; every slot copy,
// held value and remote link reading a forced output reads the forced
// value instead, through a source tag (kForcedSource) on the cold path
// that conversions take; and the observer is handed a copy of the FB's
// slots with its forced outputs in place. Any variable can be forced:
// elementary, STRING and WSTRING, arrays and structures, all being slots.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "runtime/connection.h"
#include "runtime/resource.h"

namespace plc {

// A slot copy's source tag (the conversion bits of connection.h) saying
// that the source is Forcing::sources[index], not a slot.
inline constexpr uint32_t kForcedSource = 7;
static_assert(uint32_t(Conversion::kSignExtend32) < kForcedSource, "the forced tag must be free");

// A forced variable as Resource::forced() lists it.
struct ForcedVar {
  FbIndex fb;
  uint32_t var_slot;  // the variable's first slot within its instance
  const VarDecl* var;
  const Value* value;  // var->slots() values, valid until the next force or clear
};

struct Forcing {
  struct Entry {
    uint32_t fb;
    uint32_t var_slot;  // within the instance
    uint32_t first;     // absolute slot
    const VarDecl* var;
    bool output;
    std::vector<Value> value;
  };
  // A table entry patched while a force holds, and what it held before.
  enum class Table : uint8_t { kCopy, kPublish, kRemote };
  struct Patch {
    Table table;
    uint32_t index, sub;  // sub: the copy within a remote link
    uint32_t original;
  };
  // A forced output slot as one slot copy reads it (with the copy's conversion).
  struct Source {
    Value value;
    uint32_t original;
  };

  std::vector<Entry> entries;  // written by the owning thread under `mutex`
  std::vector<Patch> patches;
  std::vector<Source> sources;
  std::vector<Value> view;          // an FB's slots with its forced outputs in place, for the observer
  std::vector<uint8_t> has_output;  // per instance: some output of it is forced
  uint32_t outputs = 0;             // entries that are outputs
  std::atomic<uint32_t> active{0};  // entries.size(), for other threads
  mutable std::mutex mutex;         // entries, for other threads (write_refused)
};

}  // namespace plc
