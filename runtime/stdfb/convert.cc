// 4diac's convert/ blocks for the elementary types: BOOL2BOOL, INT2INT,
// STRING2STRING, ... copy IN to OUT on REQ and emit CNF (FORTE's
// src/modules/convert/), generated from the table below with the
// conversion blocks' machinery (iec61131_conversion.h). STRING2STRING and
// WSTRING2WSTRING copy up to the 254 characters of 4diac's STRING.
// STRUCT_MUX and STRUCT_DEMUX are in struct_mux_demux.cc.
#include "runtime/stdfb/iec61131_conversion.h"

namespace plc::stdfb {
namespace {

using D = DataType;

constexpr ConversionRow kConvertBlocks[] = {
    {"BOOL2BOOL", D::kBool, D::kBool},
    {"BYTE2BYTE", D::kByte, D::kByte},
    {"DINT2DINT", D::kDint, D::kDint},
    {"DWORD2DWORD", D::kDword, D::kDword},
    {"INT2INT", D::kInt, D::kInt},
    {"LREAL2LREAL", D::kLreal, D::kLreal},
    {"REAL2REAL", D::kReal, D::kReal},
    {"SINT2SINT", D::kSint, D::kSint},
    {"STRING2STRING", D::kString, D::kString},
    {"TIME2TIME", D::kTime, D::kTime},
    {"UDINT2UDINT", D::kUdint, D::kUdint},
    {"UINT2UINT", D::kUint, D::kUint},
    {"USINT2USINT", D::kUsint, D::kUsint},
    {"WORD2WORD", D::kWord, D::kWord},
    {"WSTRING2WSTRING", D::kWstring, D::kWstring},
};

}  // namespace

void add_convert_blocks(TypeLibrary& lib) { add_conversion_rows<kConvertBlocks>(lib); }

}  // namespace plc::stdfb
