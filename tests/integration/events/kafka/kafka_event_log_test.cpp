// The Kafka event log against the real broker: these tests fail (never skip) without it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include "events/codec.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "test_env.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;

// Runs a librdkafka admin request (CreateTopics, DeleteTopics) and returns its event.
template <class Submit>
rd_kafka_resp_err_t run_admin(const std::string& brokers, Submit submit) {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", brokers, errstr);
  std::unique_ptr<RdKafka::Producer> admin(RdKafka::Producer::create(conf.get(), errstr));
  if (!admin) return RD_KAFKA_RESP_ERR__INVALID_ARG;
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin->c_ptr());
  submit(admin->c_ptr(), queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 15000);
  const auto err = ev ? rd_kafka_event_error(ev) : RD_KAFKA_RESP_ERR__TIMED_OUT;
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(queue);
  return err;
}

// Each test gets its own topic and transactional id, and deletes the topic afterwards.
class KafkaEventLog : public ::testing::Test {
 protected:
  KafkaEventLog() {
    config_.brokers = testing::kafka_brokers();
    config_.topic = testing::unique_name("tenantry_test_events");
    config_.transactional_id = testing::unique_name("tenantry_test_writer");
    config_.transaction_timeout = 10s;
  }

  void TearDown() override {
    run_admin(config_.brokers, [&](rd_kafka_t* rk, rd_kafka_queue_t* queue) {
      rd_kafka_DeleteTopic_t* topic = rd_kafka_DeleteTopic_new(config_.topic.c_str());
      rd_kafka_DeleteTopics(rk, &topic, 1, nullptr, queue);
      rd_kafka_DeleteTopic_destroy(topic);
    });
  }

  kafka_config config_;
};

recorded_event created(int n) {
  recorded_event e;
  const std::string id = new_uuid_v7();
  e.data = tenant_created{tenant_id{id}, "slug-" + std::to_string(n), "Tenant " + std::to_string(n),
                          "", std::nullopt};
  e.meta.event_id = new_uuid_v7();
  e.meta.subject = id;
  e.meta.aggregate_type = "tenant";
  e.meta.aggregate_version = 1;
  e.meta.time = system_now();
  e.meta.actor = "system";
  e.meta.correlation_id = "req-" + std::to_string(n);
  e.meta.causation_id = "cmd-" + std::to_string(n);
  e.meta.partition_key = id;
  if (n % 2 == 0) {
    e.meta.idempotency_key = "key-" + std::to_string(n);
    e.meta.request_hash = "hash-" + std::to_string(n);
    e.meta.response = R"({"status":201})";
  }
  return e;
}

std::vector<recorded_event> batch(int from, int count) {
  std::vector<recorded_event> out;
  for (int i = from; i < from + count; ++i) out.push_back(created(i));
  return out;
}

std::vector<stored_event> replay_all(kafka_event_log& log, std::int64_t* next = nullptr) {
  std::vector<stored_event> out;
  auto end = log.replay([&](const stored_event& e) { out.push_back(e); });
  EXPECT_TRUE(end) << end.error().message;
  if (next && end) *next = *end;
  return out;
}

void expect_same_event(const recorded_event& expected, const stored_event& actual) {
  EXPECT_EQ(actual.type, event_type(expected.data));
  EXPECT_EQ(actual.meta.event_id, expected.meta.event_id);
  EXPECT_EQ(actual.meta.subject, expected.meta.subject);
  EXPECT_EQ(actual.meta.time, expected.meta.time);
  EXPECT_EQ(actual.meta.partition_key, expected.meta.partition_key);
  EXPECT_EQ(actual.meta.idempotency_key, expected.meta.idempotency_key);
  EXPECT_EQ(actual.meta.response, expected.meta.response);
  auto decoded = decode(actual);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(to_json(decoded->data), to_json(expected.data));
}

std::unique_ptr<kafka_event_log> open_log(const kafka_config& config, bool with_producer = true) {
  auto log = kafka_event_log::open(config, with_producer);
  EXPECT_TRUE(log) << log.error().code << ": " << log.error().message;
  return log ? std::move(*log) : nullptr;
}

TEST_F(KafkaEventLog, BrokerIsReachable) {
  auto r = kafka_event_log::check_broker(testing::kafka_brokers(), 10s);
  EXPECT_TRUE(r) << r.error().message;
}

TEST_F(KafkaEventLog, ReportsAnUnreachableBroker) {
  auto r = kafka_event_log::check_broker("127.0.0.1:1", 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().category, errc::unavailable);
}

TEST_F(KafkaEventLog, EmptyLogReplaysNothing) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  std::int64_t next = -1;
  EXPECT_TRUE(replay_all(*log, &next).empty());
  EXPECT_EQ(next, 0);
}

TEST_F(KafkaEventLog, AppendThenReplayGivesTheSameEventsAndOffsets) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  const auto first = batch(0, 3);
  const auto second = batch(3, 2);
  auto o1 = log->append(first);
  ASSERT_TRUE(o1) << o1.error().code << ": " << o1.error().message;
  auto o2 = log->append(second);
  ASSERT_TRUE(o2) << o2.error().code << ": " << o2.error().message;
  ASSERT_EQ(o1->size(), 3u);
  ASSERT_EQ(o2->size(), 2u);
  EXPECT_EQ((*o1)[1], (*o1)[0] + 1);
  EXPECT_GT((*o2)[0], (*o1)[2]);  // a commit marker sits between two transactions

  std::int64_t next = -1;
  const auto seen = replay_all(*log, &next);
  ASSERT_EQ(seen.size(), 5u);
  std::vector<std::int64_t> offsets = *o1;
  offsets.insert(offsets.end(), o2->begin(), o2->end());
  std::vector<recorded_event> all = first;
  all.insert(all.end(), second.begin(), second.end());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(seen[i].offset, offsets[i]);
    expect_same_event(all[i], seen[i]);
  }
  EXPECT_GT(next, offsets.back());

  // A reader without a producer sees the same log.
  auto reader = open_log(log->config(), /*with_producer=*/false);
  ASSERT_TRUE(reader);
  EXPECT_EQ(replay_all(*reader).size(), 5u);
  auto refused = reader->append(batch(9, 1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "append_failed");
}

TEST_F(KafkaEventLog, SecondWriterFencesTheFirst) {
  auto first = open_log(config_);
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->append(batch(0, 1)));

  auto second = open_log(config_);
  ASSERT_TRUE(second);

  auto refused = first->append(batch(1, 1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().category, errc::unavailable);
  EXPECT_EQ(refused.error().code, "writer_fenced");
  // Fenced for good: neither another append nor recover takes the log back.
  EXPECT_EQ(first->append(batch(2, 1)).error().code, "writer_fenced");
  EXPECT_EQ(first->recover().error().code, "writer_fenced");

  auto accepted = second->append(batch(3, 1));
  ASSERT_TRUE(accepted) << accepted.error().code << ": " << accepted.error().message;

  const auto seen = replay_all(*second);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].offset, accepted->front());
}

TEST_F(KafkaEventLog, RecoverGivesAWorkingWriter) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->append(batch(0, 2)));
  auto recovered = log->recover();
  ASSERT_TRUE(recovered) << recovered.error().message;
  auto offsets = log->append(batch(2, 2));
  ASSERT_TRUE(offsets) << offsets.error().message;
  EXPECT_EQ(replay_all(*log).size(), 4u);
}

TEST_F(KafkaEventLog, SubscribeFromAnOffsetReadsExactlyTheEventsAfterIt) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  auto o1 = log->append(batch(0, 3));
  ASSERT_TRUE(o1);
  auto o2 = log->append(batch(3, 3));
  ASSERT_TRUE(o2);

  auto sub = log->subscribe((*o1)[2] + 1);  // the commit marker's offset: skipped, not an event
  ASSERT_TRUE(sub) << sub.error().message;
  std::vector<stored_event> got;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (got.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    auto polled = (*sub)->poll(2, 1s);
    ASSERT_TRUE(polled) << polled.error().message;
    EXPECT_LE(polled->size(), 2u);
    got.insert(got.end(), polled->begin(), polled->end());
  }
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(got[i].offset, (*o2)[i]);
  auto nothing = (*sub)->poll(10, 300ms);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());

  // A later append reaches the waiting subscriber.
  std::thread writer([&] {
    std::this_thread::sleep_for(200ms);
    (void)log->append(batch(6, 1));
  });
  auto later = (*sub)->poll(10, 15s);
  writer.join();
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().meta.correlation_id, "req-6");

  auto mid = log->subscribe((*o1)[1]);
  ASSERT_TRUE(mid);
  auto from_mid = (*mid)->poll(100, 10s);
  ASSERT_TRUE(from_mid);
  ASSERT_FALSE(from_mid->empty());
  EXPECT_EQ(from_mid->front().offset, (*o1)[1]);
}

TEST_F(KafkaEventLog, SubscribeBeyondTheEndFails) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->append(batch(0, 1)));
  auto sub = log->subscribe(1000);
  ASSERT_TRUE(sub);
  result<std::vector<stored_event>> polled = std::vector<stored_event>{};
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (polled && std::chrono::steady_clock::now() < deadline) polled = (*sub)->poll(10, 500ms);
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().code, "offset_out_of_range");
}

TEST_F(KafkaEventLog, AcceptsEventsLargerThanKafkasDefaultLimit) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  auto big = created(0);
  std::get<tenant_created>(big.data).description = std::string(3 * 1024 * 1024, 'x');
  auto offsets = log->append({big});
  ASSERT_TRUE(offsets) << offsets.error().code << ": " << offsets.error().message;
  const auto seen = replay_all(*log);
  ASSERT_EQ(seen.size(), 1u);
  expect_same_event(big, seen[0]);
}

TEST_F(KafkaEventLog, OversizedEventFailsTheWholeBatchAndTheWriterGoesOn) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  auto huge = created(1);
  std::get<tenant_created>(huge.data).description = std::string(9 * 1024 * 1024, 'x');
  auto refused = log->append({created(0), huge});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().category, errc::unavailable);
  EXPECT_EQ(refused.error().code, "append_failed");

  auto next = log->append(batch(2, 1));
  ASSERT_TRUE(next) << next.error().code << ": " << next.error().message;
  const auto seen = replay_all(*log);
  ASSERT_EQ(seen.size(), 1u);  // nothing of the failed batch, not even its first event
  EXPECT_EQ(seen[0].meta.correlation_id, "req-2");
}

// A transaction some other producer aborted, written with the raw librdkafka API.
void produce_and_abort(const kafka_config& config, const std::vector<recorded_event>& events) {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  ASSERT_EQ(conf->set("bootstrap.servers", config.brokers, errstr), RdKafka::Conf::CONF_OK);
  ASSERT_EQ(conf->set("transactional.id", testing::unique_name("tenantry_test_aborter"), errstr),
            RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), errstr));
  ASSERT_TRUE(producer) << errstr;
  std::unique_ptr<RdKafka::Error> err(producer->init_transactions(10000));
  ASSERT_FALSE(err) << err->str();
  err.reset(producer->begin_transaction());
  ASSERT_FALSE(err) << err->str();
  for (const auto& e : events) {
    const stored_event s = encode(e);
    RdKafka::Headers* headers = RdKafka::Headers::create();
    for (const auto& [k, v] : to_headers(s.meta, s.type)) headers->add(k, v);
    ASSERT_EQ(producer->produce(config.topic, 0, RdKafka::Producer::RK_MSG_COPY,
                                const_cast<char*>(s.data.data()), s.data.size(), nullptr, 0, 0,
                                headers, nullptr),
              RdKafka::ERR_NO_ERROR);
  }
  ASSERT_EQ(producer->flush(10000), RdKafka::ERR_NO_ERROR);  // on the broker, uncommitted
  err.reset(producer->abort_transaction(10000));
  ASSERT_FALSE(err) << err->str();
}

TEST_F(KafkaEventLog, ReplayDoesNotSeeAnAbortedTransaction) {
  auto log = open_log(config_);
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->append(batch(0, 2)));
  produce_and_abort(log->config(), batch(100, 3));
  auto after = log->append(batch(2, 1));
  ASSERT_TRUE(after);

  std::int64_t next = -1;
  const auto seen = replay_all(*log, &next);
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& e : seen) EXPECT_NE(e.meta.correlation_id, "req-100");
  EXPECT_EQ(seen[2].offset, after->front());
  EXPECT_GT(after->front(), 5);  // the aborted records and their marker took offsets

  auto sub = log->subscribe(0);
  ASSERT_TRUE(sub);
  auto polled = (*sub)->poll(100, 10s);
  ASSERT_TRUE(polled);
  std::vector<stored_event> got = *polled;
  while (got.size() < 3) {
    auto more = (*sub)->poll(100, 2s);
    ASSERT_TRUE(more);
    if (more->empty()) break;
    got.insert(got.end(), more->begin(), more->end());
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].offset, after->front());
}

TEST_F(KafkaEventLog, ReopeningAnExistingTopicKeepsItsEvents) {
  {
    auto log = open_log(config_);
    ASSERT_TRUE(log);
    ASSERT_TRUE(log->append(batch(0, 2)));
  }
  auto again = open_log(config_);
  ASSERT_TRUE(again);
  EXPECT_EQ(replay_all(*again).size(), 2u);
}

TEST_F(KafkaEventLog, RefusesATopicWithSeveralPartitions) {
  // Create the topic with 3 partitions behind tenantry's back.
  const auto made = run_admin(config_.brokers, [&](rd_kafka_t* rk, rd_kafka_queue_t* queue) {
    char err[256];
    rd_kafka_NewTopic_t* topic =
        rd_kafka_NewTopic_new(config_.topic.c_str(), 3, 1, err, sizeof err);
    rd_kafka_CreateTopics(rk, &topic, 1, nullptr, queue);
    rd_kafka_NewTopic_destroy(topic);
  });
  ASSERT_EQ(made, RD_KAFKA_RESP_ERR_NO_ERROR);

  auto log = kafka_event_log::open(config_, false);
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().code, "event_topic_misconfigured");
}

}  // namespace
}  // namespace tenantry
