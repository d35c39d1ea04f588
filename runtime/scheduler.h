// Runs a resource in bounded slices on whichever thread asks.
//
// A resource executes as a fiber (its own stack, Boost.Context's `fiber`).
// run_slice() switches into that fiber, which runs Resource::step() until
// the step ends (queue empty, event budget spent) or until something inside
// it calls Resource::pause_slice() (an algorithm that used up its
// instruction budget); then the fiber switches back and run_slice returns.
// The next run_slice, from the same or any other thread, continues exactly
// where the previous slice ended, in the middle of an event chain or an
// algorithm if need be. This is how BEAM's dirty schedulers, which are
// many threads entering and leaving native code, can take turns driving
// many resources, and how a runaway algorithm cannot hold a thread.
//
// Why Boost.Context rather than Boost.Fiber's schedulers: a Boost.Fiber
// fiber blocked on a fiber condition variable can only be woken by the
// thread whose scheduler it last ran on, and only while that thread runs
// fiber code; threads that leave native code between calls (dirty NIFs)
// would strand it. An explicit resume has no such owner.
//
// One run_slice at a time per ResourceFiber (the caller serialises, e.g.
// one Erlang process owns each resource); different resources run in
// parallel. Events from other threads go through Resource::post().
#pragma once

#include <boost/context/fiber.hpp>

#include "runtime/clock.h"
#include "runtime/resource.h"

namespace plc {

struct SliceResult {
  StepResult step;
  bool paused = false;  // the slice ended inside an event (pause_slice)
};

class ResourceFiber {
 public:
  explicit ResourceFiber(Resource& r);
  ~ResourceFiber();
  ResourceFiber(const ResourceFiber&) = delete;
  ResourceFiber& operator=(const ResourceFiber&) = delete;

  // Runs the resource until its step ends or it pauses. Any thread.
  SliceResult run_slice(Time now);
  bool paused() const { return paused_; }

 private:
  static void pause_hook(void* self);

  Resource& r_;
  boost::context::fiber fiber_;   // the suspended resource (empty before first use)
  boost::context::fiber caller_;  // the thread's context while the fiber runs
  Time now_{0};
  StepResult last_;
  bool paused_ = false;
};

}  // namespace plc
