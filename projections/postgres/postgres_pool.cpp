#include "projections/postgres/postgres_pool.hpp"

#include <optional>

#include <spdlog/spdlog.h>

#include "projections/migrations.hpp"
#include "projections/postgres/postgres_error.hpp"

namespace tenantry {

namespace {

void report(const postgres_pool::failure& on_failure, const error& e) {
  if (!on_failure) {
    spdlog::error("postgres pool: a job failed: {} ({})", e.message, e.code);
    return;
  }
  try {
    on_failure(e);
  } catch (const std::exception& ex) {
    spdlog::error("postgres pool: a failure handler threw: {}", ex.what());
  } catch (...) {
    spdlog::error("postgres pool: a failure handler threw");
  }
}

}  // namespace

postgres_pool::postgres_pool(std::string database_url, std::string schema,
                             postgres_pool_options options)
    : database_url_(std::move(database_url)), schema_(std::move(schema)), options_(options) {
  const std::size_t n = std::max<std::size_t>(options_.connections, 1);
  workers_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

postgres_pool::~postgres_pool() {
  stop();
}

void postgres_pool::submit(job run, failure on_failure) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back({std::move(run), std::move(on_failure)});
      queued_.notify_one();
      return;
    }
  }
  bool stopping;
  {
    std::lock_guard lock(mutex_);
    stopping = stopping_;
  }
  report(on_failure,
         stopping
             ? error{errc::unavailable, "shutting_down", "The database pool is shutting down."}
             : error{errc::unavailable, "overloaded", "Too many database requests are waiting."});
}

void postgres_pool::stop() {
  std::deque<queued> abandoned;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    abandoned.swap(queue_);
  }
  queued_.notify_all();
  for (std::thread& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
  for (queued& q : abandoned)
    report(q.on_failure,
           error{errc::unavailable, "shutting_down", "The database pool is shutting down."});
}

// One worker: its connection lives here; a broken one is dropped and made anew on the
// next job, but no more often than reconnect_backoff after a failed attempt.
void postgres_pool::work() {
  std::optional<pqxx::connection> conn;
  // When the last connection attempt failed; none has while it is the epoch.
  std::chrono::steady_clock::time_point last_failed_connect{};
  error last_connect_error;
  for (;;) {
    queued q;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      q = std::move(queue_.front());
      queue_.pop_front();
    }
    if (conn && !conn->is_open()) conn.reset();
    if (!conn) {
      const auto now = std::chrono::steady_clock::now();
      if (last_failed_connect != std::chrono::steady_clock::time_point{} &&
          now - last_failed_connect < options_.reconnect_backoff) {
        report(q.on_failure, last_connect_error);
        continue;
      }
      try {
        conn.emplace(database_url_);
        if (auto used = use_schema(*conn, schema_); !used)
          throw std::runtime_error(used.error().message);
        last_failed_connect = {};
      } catch (...) {
        conn.reset();
        last_connect_error = current_database_error();
        last_connect_error.category = errc::unavailable;
        last_connect_error.code = "database_unavailable";
        last_failed_connect = now;
        spdlog::warn("postgres pool: cannot connect: {}", last_connect_error.message);
        report(q.on_failure, last_connect_error);
        continue;
      }
    }
    try {
      q.run(*conn);
    } catch (...) {
      const error e = current_database_error();
      if (!conn->is_open()) conn.reset();
      report(q.on_failure, e);
    }
  }
}

}  // namespace tenantry
