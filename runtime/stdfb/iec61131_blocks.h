// The function blocks of IEC 61131-3 clause 6.6.3.5 (bistables, edge
// detection, counters, timers) as 4diac IDE's library declares them:
// FB_CTU, FB_TON, FB_R_TRIG, FB_SR, ... with one event input REQ, whose
// WITH list holds every input, and one event output CNF, whose WITH list
// holds every output. Each REQ evaluates the block once, like one call of
// the IEC 61131-3 FB in a PLC scan, and emits CNF. One file per family;
// each file's top comment says where plc differs from FORTE on purpose.
#pragma once

#include "runtime/fb_type.h"

namespace plc {

class TypeLibrary;

namespace stdfb {

// FB_CTU, FB_CTD, FB_CTUD and their _DINT/_LINT/_UDINT/_ULINT variants.
void add_iec61131_counters(TypeLibrary& lib);

// FB_TON, FB_TOF, FB_TP.
FbType fb_ton();
FbType fb_tof();
FbType fb_tp();

// FB_R_TRIG, FB_F_TRIG.
FbType fb_r_trig();
FbType fb_f_trig();

// FB_SR, FB_RS.
FbType fb_sr();
FbType fb_rs();

// F_ADD, F_SUB, F_MUL, F_DIV, F_MOD, F_EXPT, F_MOVE, F_TRUNC, F_MULTIME,
// F_DIVTIME, F_ADD_3 and the date and time functions (F_ADD_DT_TIME, ...).
void add_iec61131_arithmetic(TypeLibrary& lib);

// F_ABS, F_SQRT, F_LN, F_LOG, F_EXP and the trigonometric functions.
void add_iec61131_numerical(TypeLibrary& lib);

// F_AND, F_OR, F_XOR (and _3), F_NOT, F_SHL, F_SHR, F_ROL, F_ROR.
void add_iec61131_bitwise(TypeLibrary& lib);

// The IEC 61131-3 functions as 4diac's generic FBs (iec61131-3/):
// charString (F_CONCAT, F_LEFT, ...), comparison (F_EQ, ...) and
// selection (F_SEL, F_MUX_2, F_MAX, F_MIN, F_LIMIT).
void add_iec61131_character_string(TypeLibrary& lib);
void add_iec61131_comparison(TypeLibrary& lib);
void add_iec61131_selection(TypeLibrary& lib);

// 4diac's generic utils/ blocks: APPEND_STRING_2/3 and OUT_ANY_CONSOLE;
// F_MUX_2_1/2; GET_AT_INDEX, SET_AT_INDEX, GET_STRUCT_VALUE;
// CSV_WRITER_1..10.
void add_utils_text_output(TypeLibrary& lib);
void add_utils_f_mux(TypeLibrary& lib);
void add_utils_data_access(TypeLibrary& lib);
void add_utils_csv_writer(TypeLibrary& lib);

}  // namespace stdfb

// The counters, timers, edge detection and bistables above.
void add_iec61131_blocks(TypeLibrary& lib);

}  // namespace plc
