#include "runtime/stdfb/standard_blocks.h"

#include "runtime/type_library.h"

namespace plc {

void add_standard_blocks(TypeLibrary& lib) {
  for (auto make : {stdfb::e_ctu, stdfb::e_restart, stdfb::e_split}) lib.add(make());
}

}  // namespace plc
