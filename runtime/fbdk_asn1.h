// FBDK's ASN.1 encoding of the data of communication function blocks
// (PUBLISH/SUBSCRIBE, CLIENT/SERVER: stdfb/communication.h), byte-compatible
// with 4diac FORTE.
//
// IEC 61499 leaves the encoding of service interface FB data to a
// compliance profile; 4diac uses the one of FBDK's "Compliance Profile for
// Feasibility Demonstrations" (a subset of ISO/IEC 8825 BER), implemented
// in FORTE's src/core/cominfra/fbdkasn1layer.cpp (3.0 line). This codec
// follows that file rule by rule (its function names in brackets) and was
// pinned against FORTE by tools/forte_interop.sh and FORTE's own test
// vectors (tests/fbdk_asn1_test.cc).
//
// A message is the SDs of one REQ (or RSP) in port order, each a data
// point: a tag byte, then the value [serializeDataPointArray]. A block
// without SDs sends the single byte 0x05 (ASN.1 NULL) and a receiver
// without RDs accepts exactly that. Tags are APPLICATION (0x40) plus the
// type's number, constructed types also 0x20:
//
//   type              tag         on the wire
//   BOOL              0x40, 0x41  nothing: 0x40 FALSE, 0x41 TRUE
//   SINT..LINT        0x42..0x45  two's complement, 1/2/4/8 bytes, big-endian
//   USINT..ULINT      0x46..0x49  unsigned, 1/2/4/8 bytes
//   BYTE..LWORD       0x51..0x54  unsigned, 1/2/4/8 bytes
//   REAL, LREAL       0x4A, 0x4B  IEEE 754 single, double
//   TIME              0x4C        signed 64-bit microseconds
//   DATE, TOD, DT     0x4D..0x4F  signed 64-bit nanoseconds (FORTE 3)
//   STRING            0x50        u16 byte count, the bytes
//   WSTRING           0x55        u16 count of UTF-16 units, UTF-16BE
//   ARRAY             0x76        u16 element count, the elements
//   structure         0x61        the members
//
// An array's elements are data points when they are BOOL, else the element
// tag comes once and then the bare values [serializeArray]; a structure's
// members are bare values except (scalar) BOOL members, which are data
// points [serializeValueStruct]. TIME is truncated toward zero to
// microseconds on the way out, as FORTE divides.
//
// Decoding mirrors FORTE's receiver [deserializeDataPoint], with these
// choices (the same as the Erlang codec this one replaced):
// - a WSTRING may start with a byte order mark, FFFE meaning little-endian;
//   its characters must be U+0000..U+00FF (the engine's WSTRING functions
//   read a character per unit, and what plc:read shows is one byte per
//   character): a wider one is refused, not cut;
// - an array that arrives with fewer elements than the RD has fills the
//   rest with zero; more elements are decoded (checked) and dropped;
// - what FORTE would wrap silently is an error: a TIME beyond 64-bit
//   nanoseconds, a STRING or WSTRING longer than the RD's capacity;
// - NaNs arrive as the canonical quiet NaN, as everywhere in the engine.
// On the way out a WSTRING sends its UTF-16 units as they are.
//
// The engine has no LTIME, LDATE, LTOD, LDT, CHAR or WCHAR, so neither has
// the codec. Every function here works in place on the engine's slots
// (data_type.h, fb_type.h), allocates nothing and never reads or writes
// outside the spans it is given: decode() is a trust boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "runtime/data_type.h"
#include "runtime/fb_type.h"

namespace plc::fbdk {

inline constexpr uint8_t kNullTag = 0x05;
inline constexpr uint8_t kFalseTag = 0x40;
inline constexpr uint8_t kTrueTag = 0x41;
inline constexpr uint8_t kArrayTag = 0x76;
inline constexpr uint8_t kStructTag = 0x61;

// The tag of a data point of type `t` (BOOL: the tag of FALSE).
uint8_t tag_of(DataType t);

enum class Fault : uint8_t {
  kNone,
  kTruncated,      // the message ends inside a value (a stream: more bytes may come)
  kBadTag,         // a tag that is not the one the RD's type expects
  kNotNull,        // a block without RDs got something else than NULL
  kTrailingBytes,  // a datagram longer than its RDs
  kOutOfRange,     // a TIME beyond 64-bit nanoseconds
  kTooLong,        // a STRING/WSTRING beyond the RD's capacity; an array beyond 65535 elements
  kBadUtf16,       // a WSTRING that is not UTF-16
  kBeyondLatin1,   // a WSTRING character beyond U+00FF
  kNoType,         // a structure whose type is not known (not decided at load)
};

// Where and why a message does not decode (or SDs cannot be sent).
struct Error {
  Fault fault = Fault::kNone;
  uint16_t point = 0;    // the 1-based SD or RD; 0: the message as a whole
  uint32_t offset = 0;   // the byte of the message at which it was found
  uint8_t expected = 0;  // kBadTag, kNotNull: the tag expected
  uint8_t got = 0;       // kBadTag, kNotNull: the byte found
  // kTrailingBytes: the bytes left over; kTooLong: the length; kBeyondLatin1:
  // the character; kOutOfRange: the microseconds (two's complement).
  uint64_t detail = 0;
  explicit operator bool() const { return fault != Fault::kNone; }
};

// "data point 2, byte 7: expected tag 0x43 (INT), got 0x42 (SINT)" (the 1-based SD or RD).
std::string describe(const Error& e);

// The SDs' or the RDs' declarations in port order, and their slots laid
// out one after the other (as an interface's inputs and outputs are).
struct Ports {
  std::span<const VarDecl> decls;
  uint32_t slots() const;
};

// The size of the message that encode() writes for these SDs, or why they
// cannot be sent (an array of more than 65535 elements, a structure
// without its type).
struct Size {
  size_t bytes = 0;
  Error error;
};
Size encoded_size(Ports sds, const Value* slots);

// Writes the message for the SDs into out[0, encoded_size(sds, slots).bytes);
// only after encoded_size succeeded.
void encode(Ports sds, const Value* slots, unsigned char* out);

// A datagram (UDP) is one whole message; a stream (TCP) is messages one
// after the other without framing, as FORTE sends them.
enum class Framing : uint8_t { kDatagram, kStream };

struct Decoded {
  Error error;
  size_t bytes = 0;  // the message's length (without error)
  // A stream's message not complete yet: wait for more bytes.
  bool incomplete() const { return error.fault == Fault::kTruncated; }
  explicit operator bool() const { return !error; }
};

// Decodes the first message of `bytes` into the RDs' slots (rds.slots()
// values at `slots`; partly written when it fails). A datagram must end
// with the message (else kTrailingBytes).
Decoded decode(Ports rds, std::span<const unsigned char> bytes, Value* slots, Framing framing);

}  // namespace plc::fbdk
