#pragma once
// Awaiting work that runs off the I/O threads (the single writer, the PostgreSQL pool,
// the CPU pool of api/http/cpu_pool.hpp) and resuming on the calling coroutine's executor.
//
// g++ 12 coroutine bug (see docs/development.md): a temporary with a non-trivial destructor
// that is *converted* into a by-value coroutine parameter (a capturing lambda into a
// std::function, a command struct into the command variant) is destroyed twice. Build
// such arguments as named locals and std::move them into the call.

#include <functional>
#include <memory>
#include <type_traits>

#include "api/http/asio.hpp"
#include "projections/postgres/postgres_pool.hpp"

namespace tenantry::api {

// `start` receives a completion function; whatever thread calls it with the value resumes
// the awaiting coroutine on its own executor. The work guard keeps the io_context alive
// while the value is on its way.
template <class T>
asio::awaitable<T> await_elsewhere(std::function<void(std::function<void(T)>)> start) {
  // Not a coroutine itself: g++ 12 mishandles by-value coroutine parameters of class type
  // here, so the initiation carries `start` instead.
  return asio::async_initiate<decltype(asio::use_awaitable), void(T)>(
      [](auto handler, std::function<void(std::function<void(T)>)> begin) {
        auto executor = asio::get_associated_executor(handler);
        using handler_t = decltype(handler);
        auto shared = std::make_shared<handler_t>(std::move(handler));
        auto guard = std::make_shared<decltype(asio::make_work_guard(executor))>(
            asio::make_work_guard(executor));
        begin([executor, shared, guard](T value) mutable {
          asio::post(executor, [shared, guard, value = std::move(value)]() mutable {
            std::move (*shared)(std::move(value));
            guard->reset();
          });
        });
      },
      asio::use_awaitable, std::move(start));
}

// Runs `fn(connection)` on a PostgreSQL pool worker; its exceptions and an unreachable
// database come back as errors (503 database_unavailable), never as exceptions.
template <class Fn>
asio::awaitable<result<pool_value_t<Fn>>> query(postgres_pool& pool, Fn fn) {
  using T = result<pool_value_t<Fn>>;
  return await_elsewhere<T>([&pool, fn = std::move(fn)](std::function<void(T)> done) mutable {
    pool.run(std::move(fn), std::move(done));
  });
}

}  // namespace tenantry::api
