// The resource's event queue (IEC 61499-1 6.1.3: a resource schedules the
// events of its FB network). A bounded FIFO ring whose capacity is chosen
// per resource at run time; storage is allocated once, so pushing and
// popping never allocate. A push onto a full ring fails and the caller
// counts it: see Resource for the overflow policy.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>

namespace plc {

template <typename T>
class Ring {
 public:
  explicit Ring(uint32_t capacity)
      : capacity_(capacity),
        mask_(std::bit_ceil(capacity < 1 ? 1u : capacity) - 1),
        items_(std::make_unique<T[]>(mask_ + 1)) {}

  uint32_t capacity() const { return capacity_; }
  uint32_t size() const { return uint32_t(tail_ - head_); }
  bool empty() const { return head_ == tail_; }
  uint32_t free() const { return capacity_ - size(); }

  bool push(const T& item) {
    if (size() >= capacity_) return false;
    items_[tail_++ & mask_] = item;
    return true;
  }
  // Caller checked !empty().
  T pop() { return items_[head_++ & mask_]; }
  const T& front() const { return items_[head_ & mask_]; }

 private:
  uint32_t capacity_;
  uint32_t mask_;
  std::unique_ptr<T[]> items_;
  uint64_t head_ = 0;
  uint64_t tail_ = 0;
};

}  // namespace plc
