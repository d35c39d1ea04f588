// Wakes resources at their next timer deadline, to the nanosecond, from
// one native thread: an Erlang timer has millisecond resolution and, on a
// busy node, fires late; sleeping on a dirty scheduler instead would move
// the resource's process between schedulers on every tick. Each resource
// (an Alarm) has at most one alarm set; setting it again replaces it. The
// clock holds alarms weakly: a resource released in the meantime is not
// rung, and is not kept alive by its alarm. The thread asks for the lowest
// real-time priority (SCHED_FIFO 1) and runs at normal priority when the
// OS refuses; plc_resource backs it up with an Erlang timer.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "runtime/clock.h"

namespace plc::nif {

class Alarm {
 public:
  // Called on the clock's thread (not a scheduler thread) at the deadline.
  virtual void ring() noexcept = 0;

 protected:
  ~Alarm() = default;
};

class AlarmClock {
 public:
  // Starts the clock's thread; the clock lives as long as the process.
  static AlarmClock& instance();

  // Rings `who` at `at` (steady clock), replacing its previous alarm.
  void set(const std::shared_ptr<Alarm>& who, Time at);

 private:
  AlarmClock() = default;
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  struct Entry {
    const Alarm* key;
    std::weak_ptr<Alarm> alarm;
  };
  std::multimap<Time, Entry> queue_;
  std::map<const Alarm*, Time> set_;  // each alarm's current deadline
};

}  // namespace plc::nif
