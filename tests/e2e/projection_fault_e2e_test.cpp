// An event the read models cannot take, in the log of a running tenantryd (written there by
// a producer of its own, as an older version or another writer might have): the projector
// stops before it and says so on /readyz and in /metrics, instead of retrying in silence.

#include <chrono>
#include <string>
#include <thread>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

class ProjectionFault : public e2e_test {};

TEST_F(ProjectionFault, IsReportedOnReadyzAndInMetrics) {
  ASSERT_EQ(client().get("/readyz").status, 200u);
  kafka_config config;
  config.brokers = kafka_brokers();
  config.topic = server->topic();
  config.transactional_id = server->topic() + "-another-writer";
  auto log = kafka_event_log::open(config);
  ASSERT_TRUE(log) << log.error().message;
  recorded_event bad;
  bad.meta.event_id = new_uuid_v7();
  bad.meta.subject = "not-a-uuid";  // the groups read model's id column is a uuid
  bad.meta.aggregate_type = "group";
  bad.meta.aggregate_version = 1;
  bad.meta.time = system_now();
  bad.meta.actor = "system";
  bad.meta.partition_key = "not-a-uuid";
  bad.data = group_created{group_id{"not-a-uuid"}, std::nullopt, "bad", "Bad", ""};
  auto offsets = (*log)->append({bad});
  ASSERT_TRUE(offsets) << offsets.error().message;
  const std::int64_t offset = offsets->front();

  nlohmann::json readiness;
  unsigned status = 0;
  for (int i = 0; i < 400; ++i) {
    auto r = client().get("/readyz");
    status = r.status;
    readiness = r.json();
    if (readiness.contains("projector_fault")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(readiness.contains("projector_fault")) << readiness.dump();
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(readiness["status"], "not_ready");
  EXPECT_EQ(readiness["projector"], "stopped");
  // Below the event (a transaction's commit marker may sit between), never past it.
  EXPECT_LE(readiness["projector_position"].get<std::int64_t>(), offset);
  EXPECT_EQ(readiness["projector_fault"]["offset"], offset);
  EXPECT_EQ(readiness["projector_fault"]["event_id"], bad.meta.event_id);
  EXPECT_EQ(readiness["projector_fault"]["type"], "tenantry.group.created.v1");

  const auto metrics = client().get("/metrics");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("tenantry_projector_fault_offset " + std::to_string(offset) + "\n"),
            std::string::npos)
      << metrics.body;
}

}  // namespace
}  // namespace tenantry::testing
