// The type conversion functions of IEC 61131-3 (2.5.1.5.1, Table 22 of
// edition 3) as 4diac function blocks: F_INT_TO_REAL, F_BYTE_BCD_TO_USINT,
// F_TIME_IN_MS_TO_LINT, ... (iec61131_conversion.cc) and 4diac's
// elementary copy blocks BOOL2BOOL, INT2INT, ... (convert.cc).
//
// Every one has 4diac's interface: event input REQ WITH IN, event output
// CNF WITH OUT, one input IN and one output OUT. REQ computes OUT from IN
// and emits CNF. The types are generated from one table per family: each
// row names the type, the type of IN, the type of OUT and the conversion.
// The values follow 4diac FORTE; iec61131_conversion.cc says where and why
// they differ from the ST conversion functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "runtime/data_type.h"
#include "runtime/fb_type.h"
#include "runtime/type_library.h"

namespace plc::stdfb {

enum class ConversionKind : uint8_t {
  kPlain,    // X_TO_Y
  kFromBcd,  // BYTE_BCD_TO_USINT...: each nibble a decimal digit
  kToBcd,    // USINT_TO_BCD_BYTE...
  kInS,      // TIME_IN_S_TO_*: the duration in whole seconds (or LREAL seconds)
  kInMs,
  kInUs,
  kInNs,
};

struct ConversionRow {
  const char* name;
  DataType in;
  DataType out;
  ConversionKind kind = ConversionKind::kPlain;
};

// The value of OUT for IN = `v`, both scalars (no STRING or WSTRING).
Value convert_scalar(const ConversionRow& row, Value v);

// REQ of a conversion block: computes OUT from IN, emits CNF. Allocates nothing.
void run_conversion(FbContext& fb, const ConversionRow& row);

// The FB type of a row with the native behaviour `b`.
FbType conversion_type(const ConversionRow& row, NativeBehaviour b);

// Adds one native type per row of `Rows` (a constexpr array of
// ConversionRow): each row's REQ handler is its own instantiation, since a
// native block's handler receives no per-type data.
template <const auto& Rows, size_t K>
void on_conversion_req(FbContext& fb, EventId) {
  run_conversion(fb, Rows[K]);
}

// The handlers are a pack expansion in an array, not a fold expression:
// clang limits a fold to 256 operands and the conversion table has 270.
template <const auto& Rows, size_t... K>
void add_conversion_rows(TypeLibrary& lib, std::index_sequence<K...>) {
  using Handler = void (*)(FbContext&, EventId);
  static constexpr Handler kHandlers[] = {&on_conversion_req<Rows, K>...};
  for (size_t k = 0; k < sizeof...(K); ++k) lib.add(conversion_type(Rows[k], {kHandlers[k], nullptr}));
}

template <const auto& Rows>
void add_conversion_rows(TypeLibrary& lib) {
  add_conversion_rows<Rows>(lib, std::make_index_sequence<std::size(Rows)>{});
}

// Called by add_standard_blocks.
void add_iec61131_conversions(TypeLibrary& lib);
void add_convert_blocks(TypeLibrary& lib);
// STRUCT_MUX and STRUCT_DEMUX (struct_mux_demux.cc).
void add_struct_mux_demux(TypeLibrary& lib);

}  // namespace plc::stdfb
