// The standard event blocks of IEC 61499-1 Annex A, one file each,
// implemented natively. Behaviour follows 4diac FORTE unless a file's
// comment says otherwise.
#pragma once

#include "runtime/fb_type.h"

namespace plc::stdfb {

FbType e_ctu();
FbType e_restart();
FbType e_split();

}  // namespace plc::stdfb
