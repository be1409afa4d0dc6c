#pragma once
// The event log on Kafka: one topic with one partition, written by a single transactional
// producer (the writer) and read with read_committed consumers (replay, projectors).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "events/event_log.hpp"

namespace tenantry {

namespace kafka {
struct writer;  // the transactional producer and its delivery reports (librdkafka types)
}

struct kafka_config {
  std::string brokers;
  std::string topic = "tenantry.events";
  std::string transactional_id = "tenantry-writer";
  int replication_factor = 1;
  int min_insync_replicas = 1;
  std::chrono::milliseconds transaction_timeout{10000};
};

// Error codes besides the appender's ("writer_fenced", "append_failed", "append_unknown"):
//   "event_log_unavailable"  the broker did not answer in time, or the topic cannot be set up;
//   "event_topic_misconfigured"  the topic exists with more than one partition;
//   "kafka_config"  librdkafka refused a setting (a bug or a bad broker list);
//   "offset_out_of_range"  a subscription's offset is not in the log (beyond its end);
//   "invalid_event"  a record in the log does not decode (replay and poll stop at it);
//   "replay_failed"  the replay callback threw (errc::internal).
class kafka_event_log final : public event_appender,
                              public event_replayer,
                              public event_subscriber {
 public:
  // Creates the topic if missing; with a producer, also fences any older writer with the
  // same transactional id (and aborts its open transaction). Retries for up to ~30 s.
  static result<std::unique_ptr<kafka_event_log>> open(const kafka_config& config,
                                                       bool with_producer = true);
  // Whether a broker of `brokers` answers a metadata request within `timeout`.
  static result<void> check_broker(const std::string& brokers,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

  ~kafka_event_log() override;
  kafka_event_log(const kafka_event_log&) = delete;
  kafka_event_log& operator=(const kafka_event_log&) = delete;

  // Without a producer (open(..., false)) append and recover fail with "append_failed".
  result<std::vector<std::int64_t>> append(const std::vector<recorded_event>& batch) override;
  // Refuses with "writer_fenced" once fenced: a fenced writer must never take back the log.
  result<void> recover() override;
  result<std::int64_t> replay(const std::function<void(const stored_event&)>& fn) override;
  result<std::unique_ptr<event_subscription>> subscribe(std::int64_t from_offset) override;

  const kafka_config& config() const { return config_; }
  // From now on every batch appended is sealed first (crypto-shredding, docs/privacy.md);
  // a batch that cannot be sealed is not appended ("append_failed"). Set before appending.
  void seal_with(event_privacy& privacy) { privacy_ = &privacy; }

 private:
  explicit kafka_event_log(kafka_config config);
  result<std::vector<std::int64_t>> append_locked(const std::vector<recorded_event>& batch);

  kafka_config config_;
  std::mutex mutex_;  // serializes append and recover
  std::unique_ptr<kafka::writer> writer_;
  bool writes_ = false;  // opened with a producer
  bool fenced_ = false;
  event_privacy* privacy_ = nullptr;
};

}  // namespace tenantry
