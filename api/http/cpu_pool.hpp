#pragma once
// The pool that runs CPU-heavy work (password hashing and verification) off the I/O
// threads, with a bounded queue: when it is full, work is refused at once (503 overloaded)
// instead of piling up behind callers nobody has authenticated yet.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <type_traits>

#include <boost/asio/thread_pool.hpp>
#include "api/http/offload.hpp"
#include "events/result.hpp"

namespace tenantry::api {

class cpu_pool {
 public:
  // `queue_limit` counts the tasks running and waiting together.
  cpu_pool(std::size_t threads, std::size_t queue_limit);
  cpu_pool(const cpu_pool&) = delete;
  cpu_pool& operator=(const cpu_pool&) = delete;

  // Runs `task` on a pool thread, or refuses it (false) when the queue is full.
  bool try_post(std::function<void()> task);
  // Waits for the tasks queued to finish and stops the threads.
  void join();

  std::uint64_t completed() const { return completed_.load(); }  // tasks run so far
  std::uint64_t refused() const { return refused_.load(); }      // tasks refused as full

 private:
  boost::asio::thread_pool threads_;
  std::size_t limit_;
  std::atomic<std::size_t> pending_{0};
  std::atomic<std::uint64_t> completed_{0};
  std::atomic<std::uint64_t> refused_{0};
};

// 503 overloaded (with Retry-After): the CPU pool's queue is full.
error cpu_overloaded();

// What run_on awaits for a function returning T: result<T>, or T itself when T is a result.
template <class T>
struct pooled_result {
  using type = result<T>;
};
template <class T>
struct pooled_result<result<T>> {
  using type = result<T>;
};
template <class T>
using pooled_result_t = typename pooled_result<T>::type;

// Runs `fn` on `pool` and awaits its result; a full queue comes back as cpu_overloaded()
// and an exception of `fn` as an internal error, never as an exception.
template <class Fn>
auto run_on(cpu_pool& pool, Fn fn) -> asio::awaitable<pooled_result_t<std::invoke_result_t<Fn>>> {
  using R = pooled_result_t<std::invoke_result_t<Fn>>;
  return await_elsewhere<R>([&pool, fn = std::move(fn)](std::function<void(R)> done) mutable {
    auto task = [fn = std::move(fn), done]() mutable {
      try {
        done(R(fn()));
      } catch (const std::exception& e) {
        done(R(fail(errc::internal, "internal", e.what())));
      }
    };
    if (!pool.try_post(std::move(task))) done(R(std::unexpected(cpu_overloaded())));
  });
}

}  // namespace tenantry::api
