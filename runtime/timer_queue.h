// Timers of a resource's FBs (E_DELAY, E_CYCLE, ...). Each FB instance
// owns at most one timer, so the queue is an indexed binary min-heap keyed
// by FB index: arming, re-arming and cancelling are O(log n) and, after the
// resource is loaded, never allocate. Deadlines are absolute times, which
// is what makes E_CYCLE drift-free. Equal deadlines fire in arming order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/clock.h"

namespace plc {

class TimerQueue {
 public:
  explicit TimerQueue(uint32_t owners) : pos_(owners, kAbsent) { heap_.reserve(owners); }

  bool armed(uint32_t owner) const { return pos_[owner] != kAbsent; }
  bool empty() const { return heap_.empty(); }
  Time next_deadline() const { return heap_.empty() ? kNever : heap_.front().deadline; }

  // A deadline of kNever means "never": the timer is cancelled.
  void arm(uint32_t owner, Time deadline) {
    cancel(owner);
    if (deadline == kNever) return;
    heap_.push_back({deadline, ++sequence_, owner});
    pos_[owner] = uint32_t(heap_.size() - 1);
    up(uint32_t(heap_.size() - 1));
  }

  void cancel(uint32_t owner) {
    uint32_t p = pos_[owner];
    if (p == kAbsent) return;
    pos_[owner] = kAbsent;
    Entry last = heap_.back();
    heap_.pop_back();
    if (p == heap_.size()) return;
    heap_[p] = last;
    pos_[last.owner] = p;
    down(p);
    up(p);
  }

  // The armed timers as (deadline, owner), in the order they were armed
  // (online reconfiguration re-arms them so in a new queue).
  std::vector<std::pair<Time, uint32_t>> in_arming_order() const {
    std::vector<Entry> sorted(heap_);
    std::sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) { return a.sequence < b.sequence; });
    std::vector<std::pair<Time, uint32_t>> out;
    for (const Entry& e : sorted) out.emplace_back(e.deadline, e.owner);
    return out;
  }

  // Moves every armed deadline `by` later (a resource that was stopped
  // continues where its timers stood); the order does not change.
  void postpone(Duration by) {
    for (Entry& e : heap_) e.deadline = e.deadline > kNever - by ? kNever : e.deadline + by;
  }

  // Removes and returns the owner of the earliest timer (caller checked !empty()).
  uint32_t pop() {
    uint32_t owner = heap_.front().owner;
    cancel(owner);
    return owner;
  }

 private:
  static constexpr uint32_t kAbsent = UINT32_MAX;
  struct Entry {
    Time deadline;
    uint64_t sequence;
    uint32_t owner;
    bool before(const Entry& o) const {
      return deadline < o.deadline || (deadline == o.deadline && sequence < o.sequence);
    }
  };

  void place(uint32_t p, const Entry& e) {
    heap_[p] = e;
    pos_[e.owner] = p;
  }
  void up(uint32_t p) {
    Entry e = heap_[p];
    while (p > 0) {
      uint32_t parent = (p - 1) / 2;
      if (!e.before(heap_[parent])) break;
      place(p, heap_[parent]);
      p = parent;
    }
    place(p, e);
  }
  void down(uint32_t p) {
    Entry e = heap_[p];
    const uint32_t n = uint32_t(heap_.size());
    for (;;) {
      uint32_t c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && heap_[c + 1].before(heap_[c])) ++c;
      if (!heap_[c].before(e)) break;
      place(p, heap_[c]);
      p = c;
    }
    place(p, e);
  }

  std::vector<Entry> heap_;
  std::vector<uint32_t> pos_;
  uint64_t sequence_ = 0;
};

}  // namespace plc
