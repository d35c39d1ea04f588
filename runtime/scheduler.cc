#include "runtime/scheduler.h"

#include <boost/context/protected_fixedsize_stack.hpp>

#include <cstdio>
#include <exception>
#include <utility>

// Which sanitizer is on: g++ defines __SANITIZE_*__, clang answers
// __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define PLC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define PLC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PLC_TSAN 1
#endif
#endif

#if defined(PLC_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(PLC_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace ctx = boost::context;

namespace plc {
namespace {

// A protected_fixedsize_stack that tells where the stack it allocated is.
class KnownStack {
 public:
  explicit KnownStack(ctx::stack_context* where) : where_(where) {}
  ctx::stack_context allocate() { return *where_ = inner_.allocate(); }
  void deallocate(ctx::stack_context& s) noexcept { inner_.deallocate(s); }

 private:
  ctx::protected_fixedsize_stack inner_{ResourceFiber::kStackBytes};
  ctx::stack_context* where_;
};

}  // namespace

ResourceFiber::ResourceFiber(Resource& r) : r_(r) {
  r_.set_pause_hook(&ResourceFiber::pause_hook, this);
#if defined(PLC_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
  fiber_ = ctx::fiber(std::allocator_arg, KnownStack(&stack_), [this](ctx::fiber&& caller) {
    in_fiber();
    caller_ = std::move(caller);
    for (;;) {
      step();
      paused_ = false;
      to_caller();
      caller_ = std::move(caller_).resume();
      in_fiber();
    }
    return std::move(caller_);
  });
}

// Runs one step; see the file comment for what happens to an exception.
// Boost.Context unwinds a fiber that is destroyed while suspended (paused
// in an event) by throwing forced_unwind through it: that one must pass.
void ResourceFiber::step() {
  try {
    last_ = r_.step(now_);
    return;
  } catch (const ctx::detail::forced_unwind&) {
    throw;
  } catch (const std::exception& e) {
    char what[256];  // no allocation here: this may be a bad_alloc
    std::snprintf(what, sizeof what, "uncaught exception: %s", e.what());
    r_.report_escaped_exception(what);
  } catch (...) {
    r_.report_escaped_exception("uncaught exception of unknown type");
  }
  last_ = StepResult{0, true, r_.next_deadline()};
}

ResourceFiber::~ResourceFiber() {
  r_.set_pause_hook(nullptr, nullptr);
  if (fiber_) {
    // Destroying a suspended Boost.Context fiber unwinds its stack, on that
    // stack, and comes back without passing through to_caller().
    to_fiber();
    fiber_ = ctx::fiber();
    in_caller();
    unwound();
  }
#if defined(PLC_TSAN)
  __tsan_destroy_fiber(tsan_fiber_);
#endif
}

SliceResult ResourceFiber::run_slice(Time now) {
  now_ = now;
  to_fiber();
  fiber_ = std::move(fiber_).resume();
  in_caller();
  SliceResult s;
  s.paused = paused_;
  s.step = paused_ ? StepResult{0, true, r_.next_deadline()} : last_;
  return s;
}

void ResourceFiber::pause_hook(void* p) {
  auto* self = static_cast<ResourceFiber*>(p);
  self->paused_ = true;
  self->to_caller();
  self->caller_ = std::move(self->caller_).resume();
  self->in_fiber();
}

// The sanitizers' fiber protocols. AddressSanitizer's
// (sanitizer/common_interface_defs.h): start before the switch, naming the
// stack about to run; finish right after it, on the new stack. The caller's
// stack is learnt at each entry, since every slice may come from another
// thread. ThreadSanitizer's (sanitizer/tsan_interface.h): the fiber is a
// thread of its own to TSan, and each switch says which one runs next, the
// fiber or whichever thread called run_slice this time. Switches
// synchronise (TSan orders what ran before a switch before what runs after
// it), as the real switch does.
#if defined(PLC_ASAN)
void ResourceFiber::to_fiber() {
  __sanitizer_start_switch_fiber(&caller_fake_stack_, static_cast<char*>(stack_.sp) - stack_.size, stack_.size);
}
void ResourceFiber::in_caller() { __sanitizer_finish_switch_fiber(caller_fake_stack_, nullptr, nullptr); }
void ResourceFiber::to_caller() {
  __sanitizer_start_switch_fiber(&fiber_fake_stack_, caller_stack_, caller_stack_size_);
}
void ResourceFiber::in_fiber() {
  __sanitizer_finish_switch_fiber(fiber_fake_stack_, &caller_stack_, &caller_stack_size_);
}
void ResourceFiber::unwound() {}
#elif defined(PLC_TSAN)
void ResourceFiber::to_fiber() {
  tsan_caller_ = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(tsan_fiber_, 0);
}
void ResourceFiber::in_caller() {}
void ResourceFiber::to_caller() { __tsan_switch_to_fiber(tsan_caller_, 0); }
void ResourceFiber::in_fiber() {}
// Back from the fiber's unwinding, which did not announce its way out.
void ResourceFiber::unwound() { __tsan_switch_to_fiber(tsan_caller_, 0); }
#else
void ResourceFiber::to_fiber() {}
void ResourceFiber::in_caller() {}
void ResourceFiber::to_caller() {}
void ResourceFiber::in_fiber() {}
void ResourceFiber::unwound() {}
#endif

}  // namespace plc
