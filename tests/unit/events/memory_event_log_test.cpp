#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "events/memory_event_log.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;

recorded_event suspended(const std::string& tenant, const std::string& reason) {
  recorded_event e;
  e.meta.event_id = "e-" + reason;
  e.meta.subject = tenant;
  e.meta.aggregate_type = "tenant";
  e.data = tenant_suspended{tenant_id{tenant}, reason};
  return e;
}

TEST(MemoryEventLog, AppendReturnsConsecutiveOffsetsAndReplayReturnsTheEvents) {
  memory_event_log log;
  auto first = log.append({suspended("t", "a"), suspended("t", "b")});
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, (std::vector<std::int64_t>{0, 1}));
  auto second = log.append({suspended("t", "c")});
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, (std::vector<std::int64_t>{2}));

  std::vector<stored_event> seen;
  auto end = log.replay([&](const stored_event& e) { seen.push_back(e); });
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, 3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].offset, 2);
  EXPECT_EQ(seen[2].type, "tenantry.tenant.suspended.v1");
  auto decoded = decode(seen[1]);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::get<tenant_suspended>(decoded->data).reason, "b");
}

TEST(MemoryEventLog, InjectedFailureKeepsNothing) {
  memory_event_log log;
  log.fail_next_append("append_failed");
  auto r = log.append({suspended("t", "a")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "append_failed");
  EXPECT_EQ(r.error().category, errc::unavailable);
  EXPECT_TRUE(log.events().empty());
  EXPECT_TRUE(log.append({suspended("t", "b")}));
}

TEST(MemoryEventLog, UnknownOutcomeKeepsTheBatch) {
  memory_event_log log;
  log.fail_next_append("append_unknown");
  auto r = log.append({suspended("t", "a")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "append_unknown");
  EXPECT_EQ(log.events().size(), 1u);
  EXPECT_TRUE(log.recover());
}

TEST(MemoryEventLog, SubscriptionReadsFromOffsetAndWaitsForNewEvents) {
  memory_event_log log;
  ASSERT_TRUE(log.append({suspended("t", "a"), suspended("t", "b"), suspended("t", "c")}));
  auto sub = log.subscribe(1);
  ASSERT_TRUE(sub);
  auto batch = (*sub)->poll(10, 0ms);
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[0].offset, 1);

  auto empty = (*sub)->poll(10, 10ms);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());

  std::thread writer([&] {
    std::this_thread::sleep_for(20ms);
    (void)log.append({suspended("t", "d")});
  });
  auto later = (*sub)->poll(10, 5s);
  writer.join();
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].offset, 3);
}

TEST(MemoryEventLog, PollHonoursMax) {
  memory_event_log log;
  ASSERT_TRUE(log.append({suspended("t", "a"), suspended("t", "b"), suspended("t", "c")}));
  auto sub = log.subscribe(0);
  ASSERT_TRUE(sub);
  EXPECT_EQ((*sub)->poll(2, 0ms)->size(), 2u);
  EXPECT_EQ((*sub)->poll(2, 0ms)->size(), 1u);
}

}  // namespace
}  // namespace tenantry
