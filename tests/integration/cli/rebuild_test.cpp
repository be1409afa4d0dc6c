// `tenantry projections rebuild` against the real Kafka and PostgreSQL: a full replay into
// a fresh schema gives the live read models' checksum, and the switch moves the name.
#include <gtest/gtest.h>

#include <thread>

#include "cli/kafka_topic_probe.hpp"
#include "integration/cli/cli_fixture.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

class ProjectionsRebuild : public CliTest {
 protected:
  std::int64_t schema_oid(const std::string& schema) {
    return count("SELECT oid::bigint FROM pg_namespace WHERE nspname = '" + schema + "'");
  }
  std::int64_t stored_offset(const std::string& schema) {
    return count("SELECT next_offset FROM " + schema +
                 ".projection_offsets WHERE projection = 'read_models'");
  }
};

TEST_F(ProjectionsRebuild, ReproducesTheLiveReadModelsAndKeepsTheOldOnes) {
  write_history(script_);
  publish();
  project(schema_, 3);
  const cli::read_model_checksum live = checksum(schema_);

  auto settings = rebuild_settings();
  settings.unix_time = 1700000000;
  std::vector<cli::rebuild_step> steps;
  std::int64_t projected = -1;
  cli::rebuild_hooks hooks;
  hooks.progress = [&](cli::rebuild_step step, std::int64_t done, std::int64_t total) {
    if (steps.empty() || steps.back() != step) steps.push_back(step);
    if (step == cli::rebuild_step::projecting) {
      EXPECT_LE(done, total);
      projected = done;
    }
  };
  std::optional<cli::rebuild_plan> confirmed;
  hooks.confirm = [&](const cli::rebuild_plan& plan) {
    confirmed = plan;
    return true;
  };
  auto outcome = cli::rebuild_read_models(settings, hooks);
  ASSERT_TRUE(outcome) << outcome.error().message;

  const auto events = static_cast<std::int64_t>(source_.events().size());
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->events, events);
  EXPECT_EQ(outcome->plan.last_offset, last_offset_);
  EXPECT_EQ(outcome->plan.rebuild_schema, schema_ + "_rebuild_1700000000");
  EXPECT_EQ(steps, (std::vector{cli::rebuild_step::reading_log, cli::rebuild_step::projecting}));
  EXPECT_EQ(projected, events);

  EXPECT_EQ(outcome->checksum, live);
  EXPECT_EQ(checksum(schema_), live);
  ASSERT_EQ(outcome->old_schema, schema_ + "_old_1700000000");
  EXPECT_FALSE(outcome->old_dropped);
  EXPECT_EQ(checksum(*outcome->old_schema), live);
  EXPECT_FALSE(schema_exists(outcome->plan.rebuild_schema));
  // The rebuilt schema says where it stopped, so a projector continues from there.
  EXPECT_EQ(stored_offset(schema_), last_offset_ + 1);
}

TEST_F(ProjectionsRebuild, TheSwitchPointsTheNameAtTheRebuiltDataAndRenamesTheOld) {
  write_history(script_);
  publish();
  project(schema_, 1000);
  const cli::read_model_checksum truth = checksum(schema_);
  const std::int64_t live_oid = schema_oid(schema_);
  // Damage the live read models: only the rebuild from the log repairs them.
  exec("UPDATE " + schema_ + ".tenants SET name = 'tampered' WHERE slug = 'tenant-2'");
  exec("DELETE FROM " + schema_ + ".users WHERE email = 'bob@example.com'");
  const cli::read_model_checksum damaged = checksum(schema_);
  ASSERT_NE(damaged.total, truth.total);

  auto outcome = cli::rebuild_read_models(rebuild_settings());
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->old_schema);
  const std::string old = *outcome->old_schema;
  EXPECT_TRUE(old.starts_with(schema_ + "_old_"));

  EXPECT_EQ(checksum(schema_), truth);
  EXPECT_NE(schema_oid(schema_), live_oid);
  EXPECT_EQ(count("SELECT count(*) FROM " + schema_ + ".tenants WHERE name = 'tampered'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM " + schema_ + ".users"), 2);
  EXPECT_EQ(schema_oid(old), live_oid);
  EXPECT_EQ(checksum(old), damaged);
  EXPECT_EQ(count("SELECT count(*) FROM " + old + ".tenants WHERE name = 'tampered'"), 1);
}

TEST_F(ProjectionsRebuild, DropsTheOldSchemaWhenAsked) {
  write_history(script_, 3);
  publish();
  project(schema_, 1000);
  auto settings = rebuild_settings();
  settings.drop_old = true;
  auto outcome = cli::rebuild_read_models(settings);
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->old_schema);
  EXPECT_TRUE(outcome->old_dropped);
  EXPECT_FALSE(outcome->drop_failure);
  EXPECT_FALSE(schema_exists(*outcome->old_schema));
  EXPECT_TRUE(schema_exists(schema_));
}

TEST_F(ProjectionsRebuild, BuildsTheSchemaWhenThereIsNoneYet) {
  write_history(script_, 4);
  publish();
  auto outcome = cli::rebuild_read_models(rebuild_settings());
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->old_schema);
  project(schema_ + "_ref", 5);
  EXPECT_EQ(checksum(schema_), checksum(schema_ + "_ref"));
}

TEST_F(ProjectionsRebuild, OfAnEmptyLogGivesEmptyReadModels) {
  auto outcome = cli::rebuild_read_models(rebuild_settings());
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->plan.events, 0);
  // api_tokens, events, the access tables, the groups and grants tables, invitations,
  // tenant_feature_flags, tenants, users
  ASSERT_EQ(outcome->checksum.tables.size(), 12u);
  for (const auto& t : outcome->checksum.tables) EXPECT_EQ(t.rows, 0) << t.table;
}

// A tenantryd running during the rebuild keeps serving: its connections resolve the
// schema's name on each statement, and its projector finds the rebuilt offset and resumes.
TEST_F(ProjectionsRebuild, ARunningProjectorFollowsTheSwitch) {
  write_history(script_);
  publish();
  running_projector live(*log_, schema_);
  live.await(last_offset_);

  auto outcome = cli::rebuild_read_models(rebuild_settings());
  ASSERT_TRUE(outcome) << outcome.error().message;

  script_.create("After The Switch");
  script_.register_user("carol@example.com", "Carol");
  const std::int64_t end = publish();
  for (int i = 0; i < 200 && stored_offset(schema_) <= end; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_GT(stored_offset(schema_), end);
  EXPECT_EQ(count("SELECT count(*) FROM " + schema_ + ".tenants WHERE slug = 'after-the-switch'"),
            1);

  project(schema_ + "_ref", 1000);
  EXPECT_EQ(checksum(schema_), checksum(schema_ + "_ref"));
}

TEST_F(ProjectionsRebuild, RefusesToReplaceReadModelsOfAnotherLog) {
  write_history(script_, 5);
  publish();
  project(schema_, 1000);
  const cli::read_model_checksum live = checksum(schema_);
  const std::int64_t live_oid = schema_oid(schema_);

  // Another topic, with other events at the same offsets.
  kafka_config other = kafka_;
  other.topic = unique_name("cli_other");
  other.transactional_id = unique_name("cli_other_writer");
  extra_topics_.push_back(other.topic);
  {
    auto log = kafka_event_log::open(other);
    ASSERT_TRUE(log) << log.error().message;
    memory_event_log source;
    event_script script(source);
    write_history(script, 5);
    for (const stored_event& s : source.events()) {
      auto e = decode(s);
      ASSERT_TRUE(e);
      ASSERT_TRUE((*log)->append({*e}));
    }
  }
  auto settings = rebuild_settings();
  settings.kafka = other;
  settings.unix_time = 1700000001;
  auto outcome = cli::rebuild_read_models(settings);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "log_mismatch") << outcome.error().message;
  EXPECT_NE(outcome.error().message.find(schema_ + "_rebuild_1700000001"), std::string::npos);
  EXPECT_EQ(schema_oid(schema_), live_oid);
  EXPECT_EQ(checksum(schema_), live);
  EXPECT_TRUE(schema_exists(schema_ + "_rebuild_1700000001"));  // kept for inspection
}

TEST_F(ProjectionsRebuild, RefusesASchemaThatHoldsNoReadModels) {
  write_history(script_, 2);
  publish();
  exec("CREATE SCHEMA " + schema_ + "; CREATE TABLE " + schema_ + ".precious (v text)");
  auto outcome = cli::rebuild_read_models(rebuild_settings());
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "not_a_read_model_schema");
  EXPECT_EQ(count("SELECT count(*) FROM " + schema_ + ".precious"), 0);
}

TEST_F(ProjectionsRebuild, RefusesAMissingTopicWithoutCreatingIt) {
  auto settings = rebuild_settings();
  settings.kafka.topic = unique_name("cli_missing");
  auto outcome = cli::rebuild_read_models(settings);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "topic_not_found");
  auto probe = cli::probe_topic(settings.kafka.brokers, settings.kafka.topic);
  ASSERT_FALSE(probe);
  EXPECT_EQ(probe.error().code, "topic_not_found");
  EXPECT_FALSE(schema_exists(schema_));
}

TEST_F(ProjectionsRebuild, ChangesNothingWhenNotConfirmed) {
  write_history(script_, 2);
  publish();
  project(schema_, 1000);
  const std::int64_t live_oid = schema_oid(schema_);
  cli::rebuild_hooks hooks;
  hooks.confirm = [](const cli::rebuild_plan&) { return false; };
  auto outcome = cli::rebuild_read_models(rebuild_settings(), hooks);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "not_confirmed");
  EXPECT_EQ(schema_oid(schema_), live_oid);
  EXPECT_EQ(
      count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" + schema_ + "\\_rebuild\\_%'"),
      0);
}

TEST_F(ProjectionsRebuild, StopsAndDropsWhatItBuiltWhenCancelled) {
  write_history(script_, 40);
  publish();
  project(schema_, 1000);
  const cli::read_model_checksum live = checksum(schema_);
  bool projecting = false;  // cancel once the new schema exists
  cli::rebuild_hooks hooks;
  hooks.progress = [&](cli::rebuild_step step, std::int64_t, std::int64_t) {
    projecting = projecting || step == cli::rebuild_step::projecting;
  };
  hooks.cancelled = [&] { return projecting; };
  auto outcome = cli::rebuild_read_models(rebuild_settings(), hooks);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "interrupted");
  EXPECT_EQ(count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" + schema_ + "\\_%'"), 0);
  EXPECT_EQ(checksum(schema_), live);
}

TEST(ProjectionsRebuildWithoutKafka, FailsAsAValueWhenKafkaIsUnreachable) {
  cli::rebuild_settings settings;
  settings.kafka.brokers = "127.0.0.1:1";
  settings.database_url = database_url();
  settings.schema = unique_name("cli");
  const auto started = std::chrono::steady_clock::now();
  auto outcome = cli::rebuild_read_models(settings);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "event_log_unavailable");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
}

TEST(ProjectionsRebuildPlan, NamesTheNewAndOldSchemasAfterTheTime) {
  auto plan = cli::plan_rebuild("tenantry", 1700000000);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->rebuild_schema, "tenantry_rebuild_1700000000");
  EXPECT_EQ(plan->old_schema, "tenantry_old_1700000000");
  EXPECT_FALSE(cli::plan_rebuild(std::string(45, 'a'), 1700000000));
  EXPECT_TRUE(cli::plan_rebuild(std::string(44, 'a'), 1700000000));
  EXPECT_FALSE(cli::plan_rebuild("Tenantry", 1700000000));
}

TEST(ProjectionsRebuildExtent, CountsEventsBelowAPosition) {
  cli::log_extent extent{{0, 1, 2, 4, 5, 9}};  // commit markers at 3, 6..8
  EXPECT_EQ(extent.events_before(0), 0);
  EXPECT_EQ(extent.events_before(3), 3);
  EXPECT_EQ(extent.events_before(4), 3);
  EXPECT_EQ(extent.events_before(6), 5);
  EXPECT_EQ(extent.events_before(10), 6);
  EXPECT_EQ(extent.last_offset(), 9);
}

}  // namespace
}  // namespace tenantry::testing
