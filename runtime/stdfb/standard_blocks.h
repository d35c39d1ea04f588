// The standard event blocks of IEC 61499-1 Annex A, one file each,
// implemented natively. Interfaces (ports, types, WITH lists and their
// order) are those of Eclipse 4diac FORTE; behaviour follows FORTE unless
// a file's comment says otherwise.
#pragma once

#include "runtime/clock.h"
#include "runtime/data_type.h"
#include "runtime/fb_type.h"

namespace plc {
class TypeLibrary;
}

namespace plc::stdfb {

// Splitting, merging and selecting events.
FbType e_split();
FbType e_merge();
FbType e_rend();
FbType e_permit();
FbType e_select();
FbType e_switch();
FbType e_demux();

// Timed blocks.
FbType e_delay();
FbType e_rdelay();
FbType e_cycle();
FbType e_train();
FbType e_table();
FbType e_n_table();

// Counters.
FbType e_ctu();
FbType e_ctd();
FbType e_ctud();
FbType e_ctud_udint();

// Bistables and edge detection.
FbType e_sr();
FbType e_rs();
FbType e_d_ff();
FbType e_t_ff();
FbType e_r_trig();
FbType e_f_trig();

// The resource's START block.
FbType e_restart();

// 4diac's rtevents/ (RT_E_CYCLE, RT_E_DELAY, ...): rt_events.cc.
void add_rt_event_blocks(TypeLibrary& lib);

// 4diac's non-generic utils (ARRAY2VALUES_2_LREAL, TEST_CONDITION, ...) and
// FB_RANDOM: utils.cc.
void add_utils_blocks(TypeLibrary& lib);

}  // namespace plc::stdfb
