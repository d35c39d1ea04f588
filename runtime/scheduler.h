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
// The fiber's stack is kStackBytes, fixed, with a guard page below it
// (Boost.Context's protected_fixedsize_stack): an overflow is a clean
// SIGSEGV, not a silent write into the neighbouring heap. Nothing in a
// slice recurses (algorithms are bytecode, ECCs and composite networks are
// flat), so the deepest stack is dispatch -> native block or ECC ->
// interpreter -> observer -> enif_send. 256 KiB leaves room for native
// blocks with large locals and for sanitizer builds, whose frames are
// several times larger; pages cost memory only once touched.
//
// No exception may leave a fiber (Boost.Context would call std::terminate,
// taking the BEAM with it). Observer callbacks are noexcept; anything else
// that escapes Resource::step() (a bug in a native block) is caught at the
// fiber's entry and reported as a fault of the FB that was running, with
// Resource::report_escaped_exception; the slice ends there and the next one
// goes on with the queued events. Under AddressSanitizer every switch
// between the fiber and its caller is announced to it, so that an exception
// unwinding the fiber's stack leaves no stale poison behind; under
// ThreadSanitizer too, so that it keeps one shadow stack per fiber instead
// of mixing the fiber's frames into those of whichever thread resumed it.
//
// One run_slice at a time per ResourceFiber (the caller serialises, e.g.
// one Erlang process owns each resource); different resources run in
// parallel. Events from other threads go through Resource::post().
#pragma once

#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>

#include <cstddef>

#include "runtime/clock.h"
#include "runtime/resource.h"

namespace plc {

struct SliceResult {
  StepResult step;
  bool paused = false;  // the slice ended inside an event (pause_slice)
};

class ResourceFiber {
 public:
  static constexpr std::size_t kStackBytes = 256 * 1024;

  explicit ResourceFiber(Resource& r);
  ~ResourceFiber();
  ResourceFiber(const ResourceFiber&) = delete;
  ResourceFiber& operator=(const ResourceFiber&) = delete;

  // Runs the resource until its step ends or it pauses. Any thread.
  SliceResult run_slice(Time now);
  bool paused() const { return paused_; }

 private:
  static void pause_hook(void* self);
  void step();
  // Leaving or entering the fiber, for AddressSanitizer and ThreadSanitizer
  // (no-ops otherwise); unwound(): back from the fiber's destruction.
  void to_fiber();
  void in_caller();
  void to_caller();
  void in_fiber();
  void unwound();

  Resource& r_;
  boost::context::fiber fiber_;          // the suspended resource (empty before first use)
  boost::context::fiber caller_;         // the thread's context while the fiber runs
  boost::context::stack_context stack_;  // the fiber's stack
  const void* caller_stack_ = nullptr;   // the calling thread's stack
  std::size_t caller_stack_size_ = 0;
  void* caller_fake_stack_ = nullptr;  // ASan's use-after-return stacks
  void* fiber_fake_stack_ = nullptr;
  void* tsan_fiber_ = nullptr;   // ThreadSanitizer's state of the fiber
  void* tsan_caller_ = nullptr;  // and of the thread that resumed it
  Time now_{0};
  StepResult last_;
  bool paused_ = false;
};

}  // namespace plc
