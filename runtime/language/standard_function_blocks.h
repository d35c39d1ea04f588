// The standard function blocks of IEC 61131-3 (3rd ed. 6.6.3.5) for FB
// instances declared in ST (`VAR T : TON; END_VAR`, called `T(IN := x,
// PT := T#5s)`): SR, RS, R_TRIG, F_TRIG, CTU, CTD, CTUD, TP, TON, TOF.
//
// They are written in ST (standard_function_blocks.cc) and compiled like a
// user's FUNCTION_BLOCK: an instance's variables are slots of the instance
// that holds it, a call is inlined. Timers read NOW_MONOTONIC(), the
// resource's time as given to Resource::step (the virtual clock in tests),
// when the call runs: as in IEC 61131-3, a timer changes only when it is
// called, no timer event is involved. Their semantics are those of the
// 4diac blocks FB_TON, FB_TOF, FB_TP, FB_SR, ... (runtime/stdfb/iec61131_*.cc:
// PT below zero counts as T#0s, TON's Q is recomputed from PT at each call,
// so a PT raised while IN stays TRUE makes Q fall again, TP is not
// retriggerable), with one difference, the standard's: CU and CD of the
// counters are rising-edge inputs (R_EDGE, 6.6.3.5.4), since an algorithm
// calls its counter at every run and a held CU counts once; FB_CTU counts
// every REQ instead. CV saturates at the bounds of INT, R dominates LD.
#pragma once

#include <memory>
#include <string_view>

#include "runtime/language/declarations.h"

namespace plc::lang {

// The standard FB of that name (case-insensitive), checked; null if none.
std::shared_ptr<FunctionDef> standard_function_block(std::string_view name);

}  // namespace plc::lang
