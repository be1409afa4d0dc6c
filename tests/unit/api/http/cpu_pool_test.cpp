// The CPU pool: work runs off the calling thread, the queue is bounded (running and waiting
// together), a full queue refuses at once with 503 overloaded, and exceptions come back as
// errors.

#include "api/http/cpu_pool.hpp"

#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/use_future.hpp>

namespace tenantry::api {
namespace {

template <class T>
T await_on_io(asio::awaitable<T> work) {
  asio::io_context io;
  auto done = asio::co_spawn(io, std::move(work), asio::use_future);
  io.run();
  return done.get();
}

TEST(CpuPool, RefusesWorkBeyondItsQueueAtOnce) {
  cpu_pool pool(1, 3);
  std::latch release(1);
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(pool.try_post([&] {
      release.wait();
      ++ran;
    }));
  EXPECT_FALSE(pool.try_post([&] { ++ran; }));
  EXPECT_EQ(pool.refused(), 1u);
  release.count_down();
  pool.join();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_EQ(pool.completed(), 3u);
}

TEST(CpuPool, RoomComesBackAsTasksFinish) {
  cpu_pool pool(2, 1);
  for (int i = 0; i < 20; ++i) {
    std::promise<void> finished;
    ASSERT_TRUE(pool.try_post([&] { finished.set_value(); })) << i;
    finished.get_future().wait();
    while (pool.completed() < static_cast<std::uint64_t>(i + 1)) std::this_thread::yield();
  }
  EXPECT_EQ(pool.refused(), 0u);
  pool.join();
}

TEST(CpuPool, RunOnAwaitsTheValueOrAResult) {
  cpu_pool pool(1, 4);
  const result<int> plain = await_on_io(run_on(pool, [] { return 6 * 7; }));
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, 42);
  // A function that returns a result is not wrapped twice.
  const result<std::string> failed = await_on_io(
      run_on(pool, []() -> result<std::string> { return fail(errc::conflict, "nope", "no"); }));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "nope");
  const result<int> thrown =
      await_on_io(run_on(pool, []() -> int { throw std::runtime_error("broken"); }));
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().category, errc::internal);
  pool.join();
}

TEST(CpuPool, AFullQueueIsOverloadedNotAWait) {
  cpu_pool pool(1, 1);
  std::latch release(1);
  ASSERT_TRUE(pool.try_post([&] { release.wait(); }));
  const result<int> refused = await_on_io(run_on(pool, [] { return 1; }));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "overloaded");
  EXPECT_EQ(refused.error().category, errc::unavailable);
  release.count_down();
  pool.join();
}

}  // namespace
}  // namespace tenantry::api
