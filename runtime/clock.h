// Time for the engine. The engine never reads a clock by itself: callers
// pass `now` to Resource::step, so a VirtualClock makes every timing test
// deterministic and the NIF can use the monotonic clock. Timers keep
// absolute deadlines, so periodic timers accumulate no drift.
#pragma once

#include <chrono>
#include <cstdint>

namespace plc {

using Duration = std::chrono::nanoseconds;
// Nanoseconds since an arbitrary epoch of the clock that produced it.
using Time = std::chrono::nanoseconds;

inline constexpr Time kNever = Time::max();

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

class MonotonicClock final : public Clock {
 public:
  Time now() const override {
    return std::chrono::duration_cast<Time>(std::chrono::steady_clock::now().time_since_epoch());
  }
};

// A clock that moves only when a test says so.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(Time start = Time{0}) : now_(start) {}
  Time now() const override { return now_; }
  void advance(Duration d) { now_ += d; }
  void set(Time t) { now_ = t; }

 private:
  Time now_;
};

}  // namespace plc
