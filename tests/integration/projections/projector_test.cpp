#include <atomic>
#include <mutex>
#include <stdexcept>

#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

// Builds a small hierarchy of `n` tenants plus a user and a session: 2 + n events.
std::vector<std::string> fill(event_script& script, int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i)
    ids.push_back(script.create("Tenant " + std::to_string(i),
                                i == 0 ? std::nullopt : std::optional(ids[(i - 1) / 2])));
  const auto user = script.register_user("ann@example.com", "Ann");
  script.start_session(user);
  return ids;
}

void expect_each_event_once(schema_under_test& schema, std::int64_t events) {
  EXPECT_EQ(schema.count("SELECT count(*) FROM events"), events);
  EXPECT_EQ(schema.count("SELECT count(DISTINCT event_id) FROM events"), events);
  EXPECT_EQ(schema.count("SELECT min(position) FROM events"), 0);
  EXPECT_EQ(schema.count("SELECT max(position) FROM events"), events - 1);
}

TEST(Projector, ArchivesEveryEventWithItsMetadata) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto ids = fill(script, 3);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  expect_each_event_once(schema, 5);
  const auto first = schema.query(
      "SELECT type, subject, aggregate_type, aggregate_version, actor, correlation_id,"
      " partition_key, idempotency_key, data->>'name', event_id IS NOT NULL"
      " FROM events WHERE position = 0");
  EXPECT_EQ(first[0][0].as<std::string>(), "tenantry.tenant.created.v1");
  EXPECT_EQ(first[0][1].as<std::string>(), ids[0]);
  EXPECT_EQ(first[0][2].as<std::string>(), "tenant");
  EXPECT_EQ(first[0][3].as<int>(), 1);
  EXPECT_EQ(first[0][4].as<std::string>(), "system");
  EXPECT_FALSE(first[0][5].is_null());
  EXPECT_EQ(first[0][6].as<std::string>(), ids[0]);
  EXPECT_TRUE(first[0][7].is_null());
  EXPECT_EQ(first[0][8].as<std::string>(), "Tenant 0");
  EXPECT_TRUE(first[0][9].as<bool>());
  EXPECT_EQ(schema.count("SELECT count(*) FROM events WHERE aggregate_type = 'session'"), 1);
}

TEST(Projector, PublishesPositionAndCatchesUp) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  fill(script, 4);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  EXPECT_EQ(projector.get().position(), script.last_offset() + 1);
  EXPECT_EQ(stored_position(schema.conn(), "read_models"), script.last_offset() + 1);
  EXPECT_FALSE(projector.get().wait_for(script.last_offset() + 1, 100ms));
  for (int i = 0; i < 100 && !projector.get().caught_up_once(); ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(projector.get().caught_up_once());

  script.create("Late");
  EXPECT_TRUE(projector.get().wait_for(script.last_offset(), 10s));
  EXPECT_TRUE(find_tenant(schema.conn(), "late", false));
}

TEST(Projector, ResumesFromTheStoredOffsetAfterARestart) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  fill(script, 3);
  {
    running_projector first(log, schema.name());
    first.await(script.last_offset());
  }
  script.create("After Restart");
  running_projector second(log, schema.name());
  second.await(script.last_offset());
  expect_each_event_once(schema, script.last_offset() + 1);
  EXPECT_TRUE(find_tenant(schema.conn(), "after-restart", false));
}

TEST(Projector, ExactlyOnceAcrossACrashBetweenApplyingAndCommitting) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto ids = fill(script, 9);  // 11 events: batches 0-3, 4-7, 8-10
  const std::int64_t events = script.last_offset() + 1;

  std::atomic<int> commits{0};
  std::atomic<bool> crashed{false};
  projector_options crashing;
  crashing.batch_size = 4;
  crashing.before_commit = [&] {
    if (++commits >= 2) {  // the first batch commits, the second dies before its commit
      crashed = true;
      throw std::runtime_error("simulated crash before commit");
    }
  };
  {
    running_projector doomed(log, schema.name(), crashing);
    for (int i = 0; i < 500 && !crashed; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(crashed);
  }  // the process "dies": stop the projector for good
  EXPECT_EQ(stored_position(schema.conn(), "read_models"), 4);
  EXPECT_EQ(schema.count("SELECT count(*) FROM events"), 4);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), 4);

  projector_options fresh;
  fresh.batch_size = 4;
  running_projector restarted(log, schema.name(), fresh);
  restarted.await(events - 1);
  expect_each_event_once(schema, events);
  EXPECT_EQ(stored_position(schema.conn(), "read_models"), events);
  EXPECT_EQ(restarted.get().position(), events);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), 9);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users"), 1);
  EXPECT_EQ(find_tenant(schema.conn(), ids[8], false)->level, 4);
}

TEST(Projector, RetriesAFailedBatchItself) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  fill(script, 5);
  std::atomic<int> calls{0};
  projector_options options;
  options.batch_size = 2;
  options.min_backoff = 10ms;
  options.before_commit = [&] {
    if (++calls == 2) throw std::runtime_error("simulated failure before commit");
  };
  running_projector projector(log, schema.name(), options);
  projector.await(script.last_offset());
  expect_each_event_once(schema, script.last_offset() + 1);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), 5);
  EXPECT_GT(calls.load(), 4);
}

TEST(Projector, TwoProjectorsOnOneSchemaApplyEachEventOnce) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  projector_options small;
  small.batch_size = 3;
  running_projector one(log, schema.name(), small);
  running_projector two(log, schema.name(), small);
  fill(script, 40);
  one.await(script.last_offset());
  two.await(script.last_offset());
  expect_each_event_once(schema, script.last_offset() + 1);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), 40);
}

// A log whose records the codec does not understand (e.g. from a newer writer).
class scripted_subscriber final : public event_subscriber {
 public:
  explicit scripted_subscriber(std::vector<stored_event> events) : events_(std::move(events)) {}
  result<std::unique_ptr<event_subscription>> subscribe(std::int64_t from) override {
    struct subscription final : event_subscription {
      const std::vector<stored_event>& events;
      std::size_t next;
      subscription(const std::vector<stored_event>& e, std::size_t n) : events(e), next(n) {}
      result<std::vector<stored_event>> poll(std::size_t max, std::chrono::milliseconds) override {
        std::vector<stored_event> out;
        while (next < events.size() && out.size() < max) out.push_back(events[next++]);
        if (out.empty()) std::this_thread::sleep_for(5ms);
        return out;
      }
    };
    return std::make_unique<subscription>(events_, static_cast<std::size_t>(from));
  }

 private:
  std::vector<stored_event> events_;
};

TEST(Projector, ArchivesButSkipsAnEventItCannotDecode) {
  memory_event_log source;
  event_script script(source);
  script.create("Before");
  script.create("After");
  std::vector<stored_event> events = source.events();
  stored_event future = events[1];
  future.type = "tenantry.tenant.teleported.v9";
  future.meta.event_id = new_uuid_v7();
  future.data = R"({"id": "whatever", "to": "mars"})";
  future.offset = 1;
  events[1].offset = 2;
  events.insert(events.begin() + 1, future);
  scripted_subscriber log(events);

  schema_under_test schema;
  running_projector projector(log, schema.name());
  projector.await(2);
  expect_each_event_once(schema, 3);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), 2);
  EXPECT_EQ(
      schema.query("SELECT data->>'to' FROM events WHERE position = 1")[0][0].as<std::string>(),
      "mars");
}

// A batch of a few hundred events goes into the archive with COPY, which cannot skip a
// row: when part of it is archived already (by hand here), the batch goes in again with
// the INSERT that keeps what is there. Small batches take that INSERT right away.
void expect_an_archived_event_kept(int tenants) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  fill(script, tenants);
  schema.query(
      "INSERT INTO events (position, type, subject, aggregate_type, aggregate_version,"
      " occurred_at, data) VALUES (1, 'by.hand', 's', 't', 1, now(), '{}')");
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  EXPECT_EQ(schema.count("SELECT count(*) FROM events"), tenants + 2);
  EXPECT_EQ(schema.query("SELECT type FROM events WHERE position = 1")[0][0].as<std::string>(),
            "by.hand");
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), tenants);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users"), 1);
}

TEST(Projector, KeepsAnEventThatIsArchivedAlreadyInASmallBatch) {
  expect_an_archived_event_kept(3);
}

TEST(Projector, KeepsAnEventThatIsArchivedAlreadyInABatchItCopies) {
  expect_an_archived_event_kept(300);
}

TEST(Projector, KeepsRetryingWhileTheDatabaseIsUnreachable) {
  memory_event_log log;
  event_script script(log);
  script.create("Nowhere");
  projector_options options;
  options.min_backoff = 10ms;
  options.max_backoff = 20ms;
  projector p(log, "postgresql://tenantry@127.0.0.1:1/tenantry", "unreachable", options);
  std::jthread thread([&](std::stop_token stop) { p.run(stop); });
  EXPECT_FALSE(p.wait_for(0, 200ms));
  EXPECT_FALSE(p.caught_up_once());
  thread.request_stop();
}

// A batch that fails on an event's data (here an id that is no UUID, which a read model's
// uuid column refuses) is split until that event is found: the events before it are applied,
// the fault is on record and reported, and nothing after it is applied.
TEST(Projector, AnEventItCannotApplyIsIsolatedAndReportedNotRetriedInSilence) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  fill(script, 30);
  script.record("not-a-uuid", "group",
                group_created{group_id{"not-a-uuid"}, std::nullopt, "bad", "Bad", ""});
  const std::int64_t bad = script.last_offset();
  const std::string bad_id = log.events().back().meta.event_id;
  for (int i = 0; i < 10; ++i) script.create("After " + std::to_string(i));
  projector_options options;
  options.min_backoff = 10ms;
  options.max_backoff = 50ms;
  running_projector projector(log, schema.name(), options);
  for (int i = 0; i < 2000 && !projector.get().fault(); ++i) std::this_thread::sleep_for(10ms);
  const auto fault = projector.get().fault();
  ASSERT_TRUE(fault) << "no fault reported; projector at " << projector.get().position();
  EXPECT_EQ(fault->offset, bad);
  EXPECT_EQ(fault->event_id, bad_id);
  EXPECT_EQ(fault->type, "tenantry.group.created.v1");
  EXPECT_FALSE(fault->message.empty());
  EXPECT_EQ(projector.get().position(), bad);
  EXPECT_EQ(stored_position(schema.conn(), "read_models"), bad);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants"), 30);
  EXPECT_EQ(schema.count("SELECT count(*) FROM events"), bad);
  EXPECT_EQ(schema.count("SELECT count(*) FROM projection_faults WHERE projection = 'read_models'"
                         " AND event_offset = " +
                         std::to_string(bad)),
            1);
  EXPECT_FALSE(projector.get().wait_for(bad, 300ms)) << "it got past an event it cannot apply";
}

TEST(Projector, AFaultOnRecordIsClearedByTheFirstBatchPastIt) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  fill(script, 5);
  {
    running_projector first(log, schema.name());
    first.await(script.last_offset());
  }
  schema.query(
      "INSERT INTO projection_faults (projection, event_offset, event_id, type, message)"
      " VALUES ('read_models', " +
      std::to_string(script.last_offset() + 1) + ", 'e', 'tenantry.tenant.created.v1', 'x')");
  for (const char* name : {"Later one", "Later two", "Later three"}) script.create(name);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  EXPECT_EQ(schema.count("SELECT count(*) FROM projection_faults"), 0);
  EXPECT_FALSE(projector.get().fault());
}

}  // namespace
}  // namespace tenantry::testing
