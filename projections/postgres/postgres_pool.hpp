#pragma once
// A fixed set of worker threads, each with its own PostgreSQL connection (search_path on
// the read-model schema), taking jobs from one queue. The HTTP layer turns submit() into
// awaitables so that blocking libpqxx calls never run on I/O threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <pqxx/connection>

#include "events/result.hpp"

namespace tenantry {

struct postgres_pool_options {
  std::size_t connections = 4;
  std::size_t max_queue = 10000;  // submit() beyond this fails at once with "overloaded"
  // After a failed connect, jobs fail fast for this long before the next attempt.
  std::chrono::milliseconds reconnect_backoff{1000};
};

namespace detail {
template <class T>
struct unwrap_result {
  using type = T;
};
template <class T>
struct unwrap_result<result<T>> {
  using type = T;
};
}  // namespace detail

// T for a function returning T or result<T>.
template <class Fn>
using pool_value_t =
    typename detail::unwrap_result<std::invoke_result_t<Fn&, pqxx::connection&>>::type;

class postgres_pool {
 public:
  // Runs on a worker with that worker's connection. It may throw (libpqxx or anything):
  // the worker catches it, reconnects if the connection broke, and reports it to the
  // job's on_failure. A job that returns normally reports its own result.
  using job = std::function<void(pqxx::connection&)>;
  // Called once when the job did not complete: the database is unreachable
  // ("database_unavailable"), the queue is full ("overloaded"), the pool stopped
  // ("shutting_down"), or the job threw. Never called after the job returned.
  using failure = std::function<void(const error&)>;

  postgres_pool(std::string database_url, std::string schema, postgres_pool_options options = {});
  ~postgres_pool();  // stop()
  postgres_pool(const postgres_pool&) = delete;
  postgres_pool& operator=(const postgres_pool&) = delete;

  void submit(job run, failure on_failure = {});

  // fn(conn) -> T or result<T>, on a worker; done(result<T>) gets its value or the error,
  // exactly once, on the worker's thread (or the caller's, when submit fails at once).
  template <class Fn, class Done>
  void run(Fn fn, Done done);

  // Finishes the jobs in progress, fails the queued ones ("shutting_down"), joins.
  void stop();

  std::size_t size() const { return workers_.size(); }

 private:
  struct queued {
    job run;
    failure on_failure;
  };
  void work();

  std::string database_url_;
  std::string schema_;
  postgres_pool_options options_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<queued> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

template <class Fn, class Done>
void postgres_pool::run(Fn fn, Done done) {
  using returned = std::invoke_result_t<Fn&, pqxx::connection&>;
  using value = pool_value_t<Fn>;
  struct state {
    Done done;
    std::atomic<bool> delivered{false};
    void deliver(result<value> r) {
      if (!delivered.exchange(true)) done(std::move(r));
    }
  };
  auto s = std::make_shared<state>(std::move(done));
  submit(
      [fn = std::move(fn), s](pqxx::connection& conn) mutable {
        if constexpr (std::is_void_v<returned>) {
          fn(conn);
          s->deliver(result<void>{});
        } else {
          s->deliver(result<value>(fn(conn)));
        }
      },
      [s](const error& e) { s->deliver(std::unexpected(e)); });
}

}  // namespace tenantry
