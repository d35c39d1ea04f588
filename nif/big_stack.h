// Runs load-time work (compiling text, reading 4diac files, loading
// networks) on a thread of its own with a large stack. The compiler and
// the loaders recurse over the program's structure (nested statements,
// expressions, inlined functions, composites); their depth limits are
// generous, and a dirty scheduler's stack is small (ERTS +sssdcpu: 40
// kilowords, 320 KB): a deep but legal program must not overflow it and
// take the VM down. The calling (dirty) thread waits; the work must not
// touch Erlang terms (an ErlNifEnv belongs to its thread), only C++ data.
#pragma once

#include <pthread.h>

#include <exception>
#include <new>
#include <optional>
#include <utility>

namespace plc::nif {

inline constexpr size_t kLoadStackBytes = size_t(256) << 20;  // reserved, touched only as deep as used

template <typename F>
auto on_big_stack(F&& work) -> decltype(work()) {
  using R = decltype(work());
  struct Job {
    F* work;
    std::optional<R> result;
    std::exception_ptr failure;
  } job{&work, std::nullopt, nullptr};
  auto run = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      j->result.emplace((*j->work)());
    } catch (...) {
      j->failure = std::current_exception();
    }
    return nullptr;
  };
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) throw std::bad_alloc();
  pthread_t thread;
  const bool started =
      pthread_attr_setstacksize(&attr, kLoadStackBytes) == 0 && pthread_create(&thread, &attr, run, &job) == 0;
  pthread_attr_destroy(&attr);
  if (!started) throw std::bad_alloc();
  pthread_join(thread, nullptr);
  if (job.failure) std::rethrow_exception(job.failure);
  return std::move(*job.result);
}

}  // namespace plc::nif
