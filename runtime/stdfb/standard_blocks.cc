#include "runtime/stdfb/standard_blocks.h"

#include <algorithm>

#include "runtime/stdfb/communication.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_conversion.h"
#include "runtime/stdfb/management.h"
#include "runtime/type_library.h"

namespace plc {

namespace stdfb {}  // namespace stdfb

void add_standard_blocks(TypeLibrary& lib) {
  using namespace stdfb;
  for (auto make : {e_split,      e_merge, e_rend,  e_permit, e_select,  e_switch, e_demux,  e_delay,
                    e_rdelay,     e_cycle, e_train, e_table,  e_n_table, e_ctu,    e_ctd,    e_ctud,
                    e_ctud_udint, e_sr,    e_rs,    e_d_ff,   e_t_ff,    e_r_trig, e_f_trig, e_restart})
    lib.add(make());
  add_iec61131_blocks(lib);
  add_iec61131_conversions(lib);
  add_convert_blocks(lib);
  add_struct_mux_demux(lib);
  add_rt_event_blocks(lib);
  add_utils_blocks(lib);
  add_management_blocks(lib);
  for (auto add :
       {add_iec61131_character_string, add_iec61131_comparison, add_iec61131_selection, add_utils_text_output,
        add_utils_f_mux, add_utils_data_access, add_utils_csv_writer, add_communication_blocks})
    add(lib);
}

}  // namespace plc
