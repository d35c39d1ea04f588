// Counts every heap allocation of a test binary: it replaces the global
// operator new and delete. Include it in exactly one translation unit of a
// test (each *_test.cc is its own binary, so its test file is that unit);
// allocations() is the running count.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace plc::test {
inline std::atomic<uint64_t> g_allocations{0};
inline uint64_t allocations() { return g_allocations.load(); }
}  // namespace plc::test

void* operator new(std::size_t n) {
  ++plc::test::g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++plc::test::g_allocations;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
