#include "runtime/scheduler.h"

#include <utility>

namespace ctx = boost::context;

namespace plc {

ResourceFiber::ResourceFiber(Resource& r) : r_(r) {
  r_.set_pause_hook(&ResourceFiber::pause_hook, this);
  fiber_ = ctx::fiber([this](ctx::fiber&& caller) {
    caller_ = std::move(caller);
    for (;;) {
      last_ = r_.step(now_);
      paused_ = false;
      caller_ = std::move(caller_).resume();
    }
    return std::move(caller_);
  });
}

ResourceFiber::~ResourceFiber() {
  r_.set_pause_hook(nullptr, nullptr);
  // Destroying a suspended Boost.Context fiber unwinds its stack.
  fiber_ = ctx::fiber();
}

SliceResult ResourceFiber::run_slice(Time now) {
  now_ = now;
  fiber_ = std::move(fiber_).resume();
  SliceResult s;
  s.paused = paused_;
  s.step = paused_ ? StepResult{0, true, r_.next_deadline()} : last_;
  return s;
}

void ResourceFiber::pause_hook(void* p) {
  auto* self = static_cast<ResourceFiber*>(p);
  self->paused_ = true;
  self->caller_ = std::move(self->caller_).resume();
}

}  // namespace plc
