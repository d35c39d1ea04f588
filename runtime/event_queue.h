// The resource's event queue (IEC 61499-1 6.1.3: a resource schedules the
// events of its FB network). A bounded FIFO ring whose capacity is chosen
// per resource at run time; storage is allocated once, so pushing and
// popping never allocate. The caller checks free() before it pushes and
// counts what does not fit: see Resource for the overflow policy.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>

namespace plc {

template <typename T>
class Ring {
 public:
  explicit Ring(uint32_t capacity)
      : capacity_(capacity < 1 ? 1 : capacity),
        mask_(std::bit_ceil(capacity_) - 1),
        items_(std::make_unique<T[]>(mask_ + 1)) {}

  uint32_t capacity() const { return capacity_; }
  // Indices wrap at 2^32; capacities stay far below that, so tail - head is
  // the size even across the wrap.
  uint32_t size() const { return tail_ - head_; }
  bool empty() const { return head_ == tail_; }
  uint32_t free() const { return capacity_ - size(); }

  // Caller checked free() > 0.
  void push_unchecked(const T& item) { items_[tail_++ & mask_] = item; }
  // Caller checked !empty().
  T pop() { return items_[head_++ & mask_]; }

  // Batch access for the dispatch hot path: the caller keeps the tail in a
  // register while it pushes several items, then stores it back once.
  uint32_t tail() const { return tail_; }
  uint32_t head() const { return head_; }
  void put(uint32_t at, const T& item) { items_[at & mask_] = item; }
  void set_tail(uint32_t t) { tail_ = t; }

 private:
  uint32_t capacity_;
  uint32_t mask_;
  std::unique_ptr<T[]> items_;
  uint32_t head_ = 0;
  uint32_t tail_ = 0;
};

}  // namespace plc
