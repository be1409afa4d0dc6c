#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <stdexcept>
#include <thread>

#include "commands/command_processor.hpp"
#include "events/memory_event_log.hpp"

namespace tenantry {
namespace {

// Counts transactions, to observe group commit.
class counting_appender final : public event_appender {
 public:
  explicit counting_appender(memory_event_log& log) : log_(log) {}
  result<std::vector<std::int64_t>> append(const std::vector<recorded_event>& batch) override {
    ++transactions;
    std::this_thread::sleep_for(commit_time);  // a commit takes time
    return log_.append(batch);
  }
  result<void> recover() override { return log_.recover(); }
  std::atomic<int> transactions{0};
  std::chrono::milliseconds commit_time{2};

 private:
  memory_event_log& log_;
};

// Renders the subject of the command's first event, or "none".
command_outcome render_subject(const command_effect& effect) {
  const std::string subject = effect.events.empty() ? "none" : effect.events.front().meta.subject;
  return {outcome::created, subject, std::nullopt, subject};
}

class CommandProcessor : public ::testing::Test {
 protected:
  memory_event_log log;
  counting_appender appender{log};

  std::unique_ptr<command_processor> start_writer(writer_options options = {}) {
    auto w = std::make_unique<command_processor>(appender, log, std::move(options));
    w->start();
    for (int i = 0; i < 500 && w->state() != writer_state::ready; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(w->state(), writer_state::ready);
    return w;
  }

  static std::future<command_reply> send(command_processor& w, command c, std::string key = "",
                                         std::string hash = "") {
    auto promise = std::make_shared<std::promise<command_reply>>();
    auto future = promise->get_future();
    w.submit(command_request{std::move(c),
                             "user-1",
                             "corr",
                             std::move(key),
                             std::move(hash),
                             render_subject,
                             [promise](command_reply r) { promise->set_value(std::move(r)); },
                             {},
                             "",
                             /*trusted=*/true});
    return future;
  }
};

TEST_F(CommandProcessor, GroupCommitsConcurrentCommands) {
  auto writer = start_writer();
  std::vector<std::future<command_reply>> replies;
  for (int i = 0; i < 200; ++i)
    replies.push_back(send(*writer, create_tenant{"Tenant " + std::to_string(i), {}, "", {}}));
  std::int64_t max_offset = -1;
  for (auto& f : replies) {
    auto r = f.get();
    ASSERT_TRUE(r.response.has_value()) << r.response.error().message;
    EXPECT_EQ(r.response->kind, outcome::created);
    max_offset = std::max(max_offset, r.offset);
  }
  EXPECT_EQ(log.events().size(), 200u);
  EXPECT_EQ(max_offset, 199);
  EXPECT_LT(appender.transactions.load(), 200);
}

TEST_F(CommandProcessor, ErrorsAreAnsweredWithoutAppending) {
  auto writer = start_writer();
  ASSERT_TRUE(send(*writer, create_tenant{"Acme", "acme", "", {}}).get().response);
  auto r = send(*writer, create_tenant{"Other", "acme", "", {}}).get();
  ASSERT_FALSE(r.response);
  EXPECT_EQ(r.response.error().code, "slug_taken");
  EXPECT_EQ(log.events().size(), 1u);
}

TEST_F(CommandProcessor, RebuildsWriteModelFromTheLog) {
  {
    auto writer = start_writer();
    ASSERT_TRUE(send(*writer, create_tenant{"Acme", "acme", "", {}}).get().response);
    ASSERT_TRUE(send(*writer, create_tenant{"Child", {}, "", "acme"}).get().response);
  }
  auto writer = start_writer();
  EXPECT_EQ(writer->event_count(), 2u);
  auto r = send(*writer, create_tenant{"Again", "acme", "", {}}).get();
  ASSERT_FALSE(r.response);
  EXPECT_EQ(r.response.error().code, "slug_taken");
  auto d = send(*writer, delete_tenant{"acme", false, {}}).get();
  ASSERT_FALSE(d.response);
  EXPECT_EQ(d.response.error().code, "tenant_has_children");
}

TEST_F(CommandProcessor, IdempotentRetryIsAnsweredAfterRestart) {
  nlohmann::json first_body;
  {
    auto writer = start_writer();
    auto r = send(*writer, create_tenant{"Acme", {}, "", {}}, "key-1", "hash-a").get();
    ASSERT_TRUE(r.response);
    first_body = r.response->body;
  }
  auto writer = start_writer();
  auto again = send(*writer, create_tenant{"Acme", {}, "", {}}, "key-1", "hash-a").get();
  ASSERT_TRUE(again.response);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.response->body, first_body);
  EXPECT_EQ(again.response->kind, outcome::created);
  EXPECT_EQ(again.response->aggregate_id, first_body.get<std::string>());
  EXPECT_EQ(log.events().size(), 1u);

  auto reused = send(*writer, create_tenant{"Other", {}, "", {}}, "key-1", "hash-b").get();
  ASSERT_FALSE(reused.response);
  EXPECT_EQ(reused.response.error().code, "idempotency_key_reused");
}

// Keys are honoured 24 hours; the writer forgets older records as time passes (between
// batches, every prune_every), not only when it rebuilds. A key used again after that is a
// new request.
TEST_F(CommandProcessor, IdempotencyRecordsAreForgottenAsTimePasses) {
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000'000);
  writer_options options;
  options.clock = [now] { return timestamp{std::chrono::milliseconds{now->load()}}; };
  options.prune_every = std::chrono::seconds(0);
  auto writer = start_writer(std::move(options));
  ASSERT_TRUE(send(*writer, create_tenant{"Acme", {}, "", {}}, "key-1", "hash-a").get().response);
  auto reused = send(*writer, create_tenant{"Other", {}, "", {}}, "key-1", "hash-b").get();
  ASSERT_FALSE(reused.response);
  EXPECT_EQ(reused.response.error().code, "idempotency_key_reused");
  now->fetch_add(std::chrono::milliseconds(std::chrono::hours(25)).count());
  // The first batch after the clock moved prunes before it decides.
  auto fresh = send(*writer, create_tenant{"Other", {}, "", {}}, "key-1", "hash-b").get();
  ASSERT_TRUE(fresh.response) << fresh.response.error().message;
  EXPECT_FALSE(fresh.replayed);
}

// A full queue refuses at once instead of growing without bound.
TEST_F(CommandProcessor, AFullQueueIsOverloaded) {
  appender.commit_time = std::chrono::milliseconds(200);
  writer_options options;
  options.max_queue = 2;
  options.max_batch = 1;
  auto writer = start_writer(std::move(options));
  std::vector<std::future<command_reply>> replies;
  for (int i = 0; i < 20; ++i)
    replies.push_back(send(*writer, create_tenant{"T" + std::to_string(i), {}, "", {}}));
  int overloaded = 0;
  for (auto& r : replies) {
    auto reply = r.get();
    if (!reply.response && reply.response.error().code == "overloaded") ++overloaded;
  }
  EXPECT_GE(overloaded, 15);
}

TEST_F(CommandProcessor, RetryInTheSameBatchIsReplayed) {
  auto writer = start_writer();
  auto a = send(*writer, create_tenant{"Acme", {}, "", {}}, "k", "h");
  auto b = send(*writer, create_tenant{"Acme", {}, "", {}}, "k", "h");
  auto ra = a.get();
  auto rb = b.get();
  ASSERT_TRUE(ra.response && rb.response);
  EXPECT_EQ(ra.response->body, rb.response->body);
  EXPECT_EQ(log.events().size(), 1u);
}

TEST_F(CommandProcessor, UnknownCommitOutcomeFailsStopAndRetryFindsTheEvents) {
  auto writer = start_writer();
  log.fail_next_append("append_unknown");
  auto r = send(*writer, create_tenant{"Acme", {}, "", {}}, "key", "hash").get();
  ASSERT_FALSE(r.response);
  EXPECT_EQ(r.response.error().category, errc::unavailable);
  for (int i = 0; i < 500 && writer->state() != writer_state::ready; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto retry = send(*writer, create_tenant{"Acme", {}, "", {}}, "key", "hash").get();
  ASSERT_TRUE(retry.response);
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(log.events().size(), 1u);
}

TEST_F(CommandProcessor, FailedCommitIsExecutedAfreshOnRetry) {
  auto writer = start_writer();
  log.fail_next_append("append_failed");
  auto r = send(*writer, create_tenant{"Acme", {}, "", {}}, "key", "hash").get();
  ASSERT_FALSE(r.response);
  for (int i = 0; i < 500 && writer->state() != writer_state::ready; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto retry = send(*writer, create_tenant{"Acme", {}, "", {}}, "key", "hash").get();
  ASSERT_TRUE(retry.response);
  EXPECT_FALSE(retry.replayed);
  EXPECT_EQ(log.events().size(), 1u);
}

TEST_F(CommandProcessor, CommandsQueuedDuringAFailingCommitAreAnswered503) {
  auto writer = start_writer();
  appender.commit_time = std::chrono::milliseconds(200);
  log.fail_next_append("append_failed");
  auto failing = send(*writer, create_tenant{"First", {}, "", {}});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // its commit is under way
  auto queued = send(*writer, create_tenant{"Queued", {}, "", {}});
  ASSERT_FALSE(failing.get().response);
  auto r = queued.get();
  ASSERT_FALSE(r.response) << "a command queued behind a failed commit must not wait it out";
  EXPECT_EQ(r.response.error().category, errc::unavailable);
  EXPECT_TRUE(log.events().empty());
}

TEST_F(CommandProcessor, FencedWriterStopsWriting) {
  auto writer = start_writer();
  log.fail_next_append("writer_fenced");
  auto r = send(*writer, create_tenant{"Acme", {}, "", {}}).get();
  ASSERT_FALSE(r.response);
  EXPECT_EQ(r.response.error().code, "writer_fenced");
  EXPECT_EQ(writer->state(), writer_state::fenced);
  auto later = send(*writer, create_tenant{"Other", {}, "", {}}).get();
  ASSERT_FALSE(later.response);
  EXPECT_EQ(later.response.error().code, "writer_fenced");
  EXPECT_TRUE(log.events().empty());
}

// A writer whose fail-stop only records that it was asked to stop the process.
struct watched_writer {
  std::atomic<int> stops{0};
  std::unique_ptr<command_processor> writer;
};

std::unique_ptr<watched_writer> start_watched(event_appender& appender, event_replayer& log,
                                              std::function<std::string()> new_id) {
  auto w = std::make_unique<watched_writer>();
  writer_options options;
  options.new_id = std::move(new_id);
  options.fail_stop = [stops = &w->stops] { ++*stops; };
  w->writer = std::make_unique<command_processor>(appender, log, options);
  w->writer->start();
  return w;
}

void await_state(const command_processor& w, writer_state s) {
  for (int i = 0; i < 1000 && w.state() != s; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

// The writer is marked failed before it logs and asks to stop the process: wait for both.
void await_fail_stop(const watched_writer& w) {
  await_state(*w.writer, writer_state::failed);
  for (int i = 0; i < 1000 && w.stops.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

TEST_F(CommandProcessor, ExceptionOutOfADecideStopsTheProcessAfterAnsweringEveryone) {
  auto fragile = start_watched(appender, log,
                               []() -> std::string { throw std::runtime_error("no more ids"); });
  await_state(*fragile->writer, writer_state::ready);
  auto r = send(*fragile->writer, create_tenant{"Acme", {}, "", {}}).get();
  ASSERT_FALSE(r.response);
  EXPECT_EQ(r.response.error().category, errc::unavailable);
  await_fail_stop(*fragile);
  EXPECT_EQ(fragile->writer->state(), writer_state::failed);
  EXPECT_EQ(fragile->stops.load(), 1);
  // Nothing more is decided on a model that may be half changed.
  auto later = send(*fragile->writer, create_tenant{"Other", {}, "", {}}).get();
  ASSERT_FALSE(later.response);
  EXPECT_EQ(later.response.error().category, errc::unavailable);
  EXPECT_TRUE(log.events().empty());
}

TEST_F(CommandProcessor, EventItCannotFoldStopsTheProcessInsteadOfRetryingTheRebuild) {
  {
    auto writer = start_writer();
    ASSERT_TRUE(send(*writer, create_tenant{"Acme", "acme", "", {}}).get().response);
  }
  // A child of a parent the log never created: folding it throws (std::out_of_range).
  recorded_event orphan;
  orphan.meta.event_id = new_uuid_v7();
  orphan.meta.subject = new_uuid_v7();
  orphan.meta.aggregate_type = "tenant";
  orphan.meta.aggregate_version = 1;
  orphan.data = tenant_created{tenant_id{orphan.meta.subject}, "orphan", "Orphan", "",
                               tenant_id{new_uuid_v7()}};
  ASSERT_TRUE(log.append({orphan}));
  auto watched = start_watched(appender, log, new_uuid_v7);
  await_fail_stop(*watched);
  EXPECT_EQ(watched->writer->state(), writer_state::failed);
  EXPECT_EQ(watched->stops.load(), 1);
  auto r = send(*watched->writer, create_tenant{"Other", {}, "", {}}).get();
  ASSERT_FALSE(r.response);
  EXPECT_EQ(r.response.error().category, errc::unavailable);
  EXPECT_EQ(log.events().size(), 2u);
}

TEST_F(CommandProcessor, EventsCarryVersionsAndPartitionKeyOfTheirRoot) {
  auto writer = start_writer();
  ASSERT_TRUE(send(*writer, create_tenant{"Root", {}, "", {}}).get().response);
  ASSERT_TRUE(send(*writer, create_tenant{"Child", {}, "", "root"}).get().response);
  ASSERT_TRUE(send(*writer, update_tenant{"child", "Kid", {}, {}, {}}).get().response);
  auto events = log.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].meta.aggregate_version, 2);
  EXPECT_EQ(events[1].meta.partition_key, events[0].meta.subject);
  EXPECT_EQ(events[2].meta.partition_key, events[0].meta.subject);
  EXPECT_EQ(events[2].meta.actor, "user-1");
}

}  // namespace
}  // namespace tenantry
