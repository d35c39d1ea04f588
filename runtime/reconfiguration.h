// Online reconfiguration (IEC 61499-1 management: CREATE and DELETE of FB
// instances and connections, and WRITE, on a running resource): the
// resource keeps running, with the changed network, and the FBs that were
// not touched keep their state.
//
// How: the changed network is loaded as a new resource next to the running
// one (so a change that does not load changes nothing), and
// transfer_state() moves the running resource's state into it between two
// steps; the host then runs the new one in place of the old. Moved:
// - every instance that is in both networks under the same name with the
//   same type (the same type object, or a generic instance whose types
//   were decided the same: same name, same slots, same behaviour): all its
//   slots (inputs, outputs, internals, the ECC's state), its armed timer
//   (same deadline, timers re-armed in the order they were armed), and
//   the native state outside its slots (CSV_WRITER's open file: the old
//   resource no longer releases it);
// - what each connection holds (the value its source last sent); a new
//   connection from a kept FB holds that FB's current output;
// - the event queue, in order: an event whose connection is still there
//   (same source, same destination) is delivered by it, with the values it
//   carries (a WITH input that did not travel before takes its source's
//   current value); an injected or timer event goes to the same FB's
//   input. Events whose destination FB or connection was deleted are lost:
//   counted (Stats::lost, carried over with the other counters) and
//   listed in the result;
// - the inbox (events posted by other threads): moved with the FB indices
//   and slots renumbered, and the old resource is retired: whatever is
//   posted to it later goes to the new one the same way, so a poster that
//   still holds the old resource loses nothing;
// - which event outputs are observed, the forced variables (forcing.h),
//   the clock and the statistics.
// New instances, and instances whose type changed (a generic instance
// whose decided types changed, or a type recompiled since), start with
// their initial values and parameters; nothing fires (no START.COLD), as
// a CREATE in FORTE gives an FB that waits for its first event.
//
// The caller makes sure no step of `from` is paused inside an algorithm
// (ResourceFiber::paused()): an algorithm half run cannot move.
// Connections to other resources (RemoteLink) are not moved: the host
// reconfigures standalone resources only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/resource.h"

namespace plc {

struct Reconfiguration {
  static constexpr uint32_t kGone = UINT32_MAX;
  static constexpr size_t kListed = 16;  // lost events listed at most
  uint32_t kept = 0;                     // instances whose state moved
  uint32_t fresh = 0;                    // instances that start anew
  uint32_t removed = 0;                  // instances of `from` not in `to`
  uint64_t lost_events = 0;
  std::vector<std::string> lost;  // "FB.EI" each lost event was going to, the first kListed
  std::vector<uint32_t> fb_map;   // FB of `from` -> FB of `to`, or kGone
};

// Moves the running state of `from` into `to`, freshly loaded and not yet
// started, and retires `from` (see the file comment). `to` must outlive
// every post to `from`.
Reconfiguration transfer_state(Resource& from, Resource& to);

}  // namespace plc
