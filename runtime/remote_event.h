// The wire form of an event between the resources of one system that run
// on different nodes (IEC 61499-1 leaves communication between devices to
// service interface FBs; here a RemoteLink's event, with the values it
// carries, is forwarded as bytes by the host: the NIF hands them to the
// node's link process, which carries them over Erlang distribution).
//
// Both nodes load the same system (the same DevicePlan, checked by its
// hash()), so an FB index, an event index and a slot index mean the same
// on both. The bytes, all integers little-endian (the nodes of a plant need
// not share a byte order):
//
//   fb u32 | event input u16 | count u8 | count x (slot u32 | value u64)
//
// slot: the target resource's absolute slot index; value: the slot's 8
// bytes (data_type.h), already in the target variable's representation (a
// converting connection converts at the sender).
//
// decode() is a trust boundary: the bytes may come from another version of
// the system, a buggy or hostile node. It checks them against the target
// resource and reports what is wrong as a value, never by throwing: an FB,
// one of its event inputs, slots among that FB's inputs only, values that
// fit their slot's type (an integer within its width, a BOOL 0 or 1, a REAL
// of float precision, a STRING length within its capacity: the string
// builtins trust it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "runtime/resource.h"

namespace plc::remote_event {

inline constexpr size_t kHeaderBytes = 7;
inline constexpr size_t kValueBytes = 12;
inline constexpr size_t kMaxBytes = kHeaderBytes + kValueBytes * InboxEvent::kMaxValues;

// The size of e's wire form (e.count at most InboxEvent::kMaxValues).
constexpr size_t encoded_size(const InboxEvent& e) { return kHeaderBytes + kValueBytes * e.count; }

// Writes e's wire form into out[0, encoded_size(e)) and returns its size;
// 0 (nothing written) when e carries more than kMaxValues values.
size_t encode(const InboxEvent& e, unsigned char* out);

enum class Error : uint8_t {
  kNone,
  kTruncated,        // shorter than its header or than its count says
  kTrailingBytes,    // longer than its count says
  kTooManyValues,    // count above InboxEvent::kMaxValues
  kUnknownFb,        // no such FB in the target resource
  kUnknownEvent,     // not an event input of that FB (a plain write included)
  kNotAnInput,       // a slot outside the FB's input variables
  kStringTooLong,    // a STRING/WSTRING length beyond the variable's capacity
  kValueDoesNotFit,  // a value its slot's type cannot hold (wrong type)
};

// A sentence for a log or an error term: "a slot outside the FB's inputs".
std::string_view describe(Error e);

struct Decoded {
  Error error = Error::kNone;
  InboxEvent event;  // valid when error is kNone
  explicit operator bool() const { return error == Error::kNone; }
};

// Decodes bytes sent for `target` and checks them against it.
Decoded decode(const Resource& target, std::span<const unsigned char> bytes);

}  // namespace plc::remote_event
