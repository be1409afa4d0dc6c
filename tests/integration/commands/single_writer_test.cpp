// The single writer on the real broker: it appends, a new writer rebuilds the same state
// from the topic, and a second writer with the same transactional id fences the first.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "commands/command_processor.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "test_env.hpp"

namespace tenantry {
namespace {

using testing::kafka_brokers;
using testing::unique_name;

kafka_config config_for(const std::string& topic) {
  kafka_config c;
  c.brokers = kafka_brokers();
  c.topic = topic;
  c.transactional_id = topic + "-writer";
  return c;
}

std::unique_ptr<kafka_event_log> open_log(const kafka_config& c) {
  auto log = kafka_event_log::open(c);
  EXPECT_TRUE(log.has_value()) << (log ? "" : log.error().message);
  return log ? std::move(*log) : nullptr;
}

void await_ready(const command_processor& w) {
  for (int i = 0; i < 3000 && w.state() != writer_state::ready; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(w.state(), writer_state::ready);
}

command_reply send(command_processor& w, command c) {
  std::promise<command_reply> answer;
  w.submit(command_request{std::move(c),
                           "tester",
                           "corr",
                           "",
                           "",
                           [](const command_effect&) { return command_outcome{outcome::done}; },
                           [&](command_reply r) { answer.set_value(std::move(r)); },
                           {},
                           "",
                           /*trusted=*/true});
  return answer.get_future().get();
}

TEST(SingleWriter, AppendsAndANewWriterRebuildsTheSameState) {
  const auto cfg = config_for(unique_name("writer"));
  {
    auto log = open_log(cfg);
    ASSERT_TRUE(log);
    command_processor writer(*log, *log, {});
    writer.start();
    await_ready(writer);
    ASSERT_TRUE(send(writer, create_tenant{"Root", "root", "", {}}).response);
    ASSERT_TRUE(send(writer, create_tenant{"Child", "child", "", "root"}).response);
    ASSERT_TRUE(
        send(writer, change_tenant_lifecycle{"root", lifecycle_action::suspend, "", {}}).response);
    writer.stop();
  }
  auto log = open_log(cfg);
  ASSERT_TRUE(log);
  command_processor writer(*log, *log, {});
  writer.start();
  await_ready(writer);
  EXPECT_EQ(writer.event_count(), 3u);
  // The rebuilt model enforces what the log says: the slug is taken, the root suspended.
  auto dup = send(writer, create_tenant{"Again", "root", "", {}});
  ASSERT_FALSE(dup.response);
  EXPECT_EQ(dup.response.error().code, "slug_taken");
  auto blocked = send(writer, create_tenant{"Grandchild", {}, "", "child"});
  ASSERT_FALSE(blocked.response);
  EXPECT_EQ(blocked.response.error().code, "parent_not_active");
}

TEST(SingleWriter, SecondWriterFencesTheFirst) {
  const auto cfg = config_for(unique_name("fence"));
  auto first_log = open_log(cfg);
  ASSERT_TRUE(first_log);
  command_processor first(*first_log, *first_log, {});
  first.start();
  await_ready(first);
  ASSERT_TRUE(send(first, create_tenant{"Before", "before", "", {}}).response);

  auto second_log = open_log(cfg);  // same transactional id: fences the first producer
  ASSERT_TRUE(second_log);
  command_processor second(*second_log, *second_log, {});
  second.start();
  await_ready(second);

  auto refused = send(first, create_tenant{"Zombie", "zombie", "", {}});
  ASSERT_FALSE(refused.response);
  EXPECT_EQ(refused.response.error().code, "writer_fenced");
  EXPECT_EQ(first.state(), writer_state::fenced);
  auto later = send(first, create_tenant{"Zombie2", "zombie-2", "", {}});
  EXPECT_FALSE(later.response);

  auto ok = send(second, create_tenant{"After", "after", "", {}});
  ASSERT_TRUE(ok.response) << ok.response.error().message;
  auto taken = send(second, create_tenant{"Zombie", "zombie", "", {}});
  EXPECT_TRUE(taken.response) << "the fenced writer's command must not be in the log";

  // The log holds only what the live writers committed, in order.
  std::vector<std::string> subjects;
  ASSERT_TRUE(second_log->replay([&](const stored_event& e) { subjects.push_back(e.type); }));
  EXPECT_EQ(subjects.size(), 3u);
}

}  // namespace
}  // namespace tenantry
