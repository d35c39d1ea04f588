#include "nif/alarm_clock.h"

#include <pthread.h>
#include <sched.h>

#include <thread>
#include <vector>

namespace plc::nif {

AlarmClock& AlarmClock::instance() {
  // Never destroyed: its thread runs until the VM exits.
  static AlarmClock* clock = [] {
    auto* c = new AlarmClock();
    std::thread([c] {
      // A real-time priority where the OS allows it (it does little: one
      // enif_send per deadline), so that a node whose schedulers keep every
      // core busy does not delay the wakeups by a scheduler tick or more.
      sched_param p{};
      p.sched_priority = 1;
      pthread_setschedparam(pthread_self(), SCHED_FIFO, &p);  // best effort
      c->loop();
    }).detach();
    return c;
  }();
  return *clock;
}

void AlarmClock::set(const std::shared_ptr<Alarm>& who, Time at) {
  std::lock_guard lock(mutex_);
  auto [it, added] = set_.try_emplace(who.get(), at);
  if (!added && it->second == at) return;  // already set for then
  it->second = at;
  const bool earliest = queue_.empty() || at < queue_.begin()->first;
  queue_.emplace(at, Entry{who.get(), who});
  if (earliest) changed_.notify_one();
}

void AlarmClock::loop() {
  const MonotonicClock clock;
  std::vector<std::shared_ptr<Alarm>> due;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (queue_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const Time next = queue_.begin()->first;
    const Time now = clock.now();
    if (next > now) {
      changed_.wait_until(lock, std::chrono::steady_clock::time_point(
                                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(next)));
      continue;
    }
    while (!queue_.empty() && queue_.begin()->first <= now) {
      auto [at, entry] = *queue_.begin();
      queue_.erase(queue_.begin());
      auto it = set_.find(entry.key);
      if (it == set_.end() || it->second != at) continue;  // replaced since
      set_.erase(it);
      if (std::shared_ptr<Alarm> a = entry.alarm.lock()) due.push_back(std::move(a));  // else released
    }
    lock.unlock();
    for (auto& a : due) a->ring();
    due.clear();  // may release the last reference, outside the lock
    lock.lock();
  }
}

}  // namespace plc::nif
