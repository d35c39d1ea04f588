#include "runtime/stdfb/iec61131_blocks.h"

#include "runtime/type_library.h"

namespace plc {

void add_iec61131_blocks(TypeLibrary& lib) {
  using namespace stdfb;
  add_iec61131_counters(lib);
  add_iec61131_arithmetic(lib);
  add_iec61131_numerical(lib);
  add_iec61131_bitwise(lib);
  for (auto make : {fb_ton, fb_tof, fb_tp, fb_r_trig, fb_f_trig, fb_sr, fb_rs}) lib.add(make());
}

}  // namespace plc
