#include <future>

#include <gtest/gtest.h>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "integration/projections/projection_fixture.hpp"
#include "projections/postgres/postgres_pool.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

template <class T>
result<T> run_sync(postgres_pool& pool, std::function<T(pqxx::connection&)> fn) {
  std::promise<result<T>> promise;
  auto future = promise.get_future();
  pool.run(std::move(fn), [&](result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

std::string current_schema(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  return tx.exec("SELECT current_schema()")[0][0].as<std::string>();
}

TEST(PostgresPool, RunsJobsOnConnectionsInTheReadModelSchema) {
  schema_under_test schema;
  postgres_pool pool(database_url(), schema.name(), {.connections = 2});
  EXPECT_EQ(pool.size(), 2u);
  const auto found = run_sync<std::string>(pool, current_schema);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, schema.name());
  const auto page = run_sync<tenant_page>(
      pool, [](pqxx::connection& c) { return list_tenants(c, tenant_filter{}); });
  ASSERT_TRUE(page);
  EXPECT_EQ(page->count, 0);
}

TEST(PostgresPool, RunsManyJobsConcurrently) {
  schema_under_test schema;
  postgres_pool pool(database_url(), schema.name(), {.connections = 3});
  std::atomic<int> done{0};
  std::promise<void> all;
  for (int i = 0; i < 60; ++i)
    pool.run([](pqxx::connection& c) { return current_schema(c); },
             [&](result<std::string> r) {
               EXPECT_TRUE(r);
               if (++done == 60) all.set_value();
             });
  EXPECT_EQ(all.get_future().wait_for(20s), std::future_status::ready);
}

TEST(PostgresPool, PassesResultsAndVoidThrough) {
  schema_under_test schema;
  postgres_pool pool(database_url(), schema.name(), {.connections = 1});
  std::promise<result<int>> refused;
  pool.run(
      [](pqxx::connection&) -> result<int> {
        return fail(errc::not_found, "not_found", "no such thing");
      },
      [&](result<int> r) { refused.set_value(std::move(r)); });
  const result<int> r = refused.get_future().get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "not_found");
  std::promise<result<void>> done;
  pool.run([](pqxx::connection&) {}, [&](result<void> v) { done.set_value(std::move(v)); });
  EXPECT_TRUE(done.get_future().get());
}

TEST(PostgresPool, ReportsAFailingJobAndKeepsWorking) {
  schema_under_test schema;
  postgres_pool pool(database_url(), schema.name(), {.connections = 1});
  const auto bad = run_sync<int>(pool, [](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT * FROM no_such_table")[0][0].as<int>();
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().category, errc::internal);
  const auto good = run_sync<std::string>(pool, current_schema);
  EXPECT_TRUE(good);
}

TEST(PostgresPool, ReconnectsAfterLosingItsConnection) {
  schema_under_test schema;
  postgres_pool pool(database_url(), schema.name(), {.connections = 1});
  const auto killed = run_sync<int>(pool, [](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
    return 0;
  });
  ASSERT_FALSE(killed);
  EXPECT_EQ(killed.error().category, errc::unavailable);
  const auto again = run_sync<std::string>(pool, current_schema);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, schema.name());
}

TEST(PostgresPool, FailsJobsAsUnavailableWhenTheDatabaseIsUnreachable) {
  postgres_pool pool("postgresql://tenantry@127.0.0.1:1/tenantry", "tenantry",
                     {.connections = 1, .reconnect_backoff = 10s});
  for (int i = 0; i < 2; ++i) {  // the second one fails fast, within the backoff
    const auto r = run_sync<int>(pool, [](pqxx::connection&) { return 1; });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().category, errc::unavailable);
    EXPECT_EQ(r.error().code, "database_unavailable");
  }
}

TEST(PostgresPool, StopFailsWhatIsStillQueued) {
  schema_under_test schema;
  auto pool = std::make_unique<postgres_pool>(database_url(), schema.name(),
                                              postgres_pool_options{.connections = 1});
  std::promise<void> release;
  auto released = release.get_future().share();
  pool->submit([released](pqxx::connection&) { released.wait(); });
  std::promise<error> queued_failure;
  pool->submit([](pqxx::connection&) { ADD_FAILURE() << "ran after stop"; },
               [&](const error& e) { queued_failure.set_value(e); });
  std::thread stopper([&] { pool->stop(); });
  std::this_thread::sleep_for(50ms);
  release.set_value();
  stopper.join();
  EXPECT_EQ(queued_failure.get_future().get().code, "shutting_down");
  std::promise<error> late;
  pool->submit([](pqxx::connection&) {}, [&](const error& e) { late.set_value(e); });
  EXPECT_EQ(late.get_future().get().code, "shutting_down");
}

}  // namespace
}  // namespace tenantry::testing
