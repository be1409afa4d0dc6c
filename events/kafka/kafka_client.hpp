#pragma once
// librdkafka plumbing shared by the Kafka adapter's files (not part of the public API):
// configuration, logging into spdlog, the topic's creation, and records to stored_events.

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include <librdkafka/rdkafkacpp.h>

#include "events/envelope.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "events/result.hpp"

namespace tenantry::kafka {

using settings = std::initializer_list<std::pair<const char*, std::string>>;

// The largest record (batch) the topic and the writer accept. Kafka's default of 1 MB is
// too small: a policy document may be 1 MB before JSON escaping and headers.
inline constexpr int max_record_bytes = 8 * 1024 * 1024;

// A duration as librdkafka's timeouts take it: whole milliseconds, clamped to [0, 1 h].
int timeout_millis(std::chrono::steady_clock::duration d);

// A global configuration with `brokers`, tenantry's logging callback and `extra` settings.
result<std::unique_ptr<RdKafka::Conf>> make_conf(const std::string& brokers, settings extra);

// A plain producer handle for metadata and admin requests.
result<std::unique_ptr<RdKafka::Producer>> make_admin_handle(const std::string& brokers);

// Closes a KafkaConsumer (KafkaConsumer::close()) before deleting it.
struct consumer_closer {
  void operator()(RdKafka::KafkaConsumer* consumer) const;
};
using consumer_ptr = std::unique_ptr<RdKafka::KafkaConsumer, consumer_closer>;

// A read_committed consumer with manual assignment of partition 0 at `offset` (or
// RdKafka::Topic::OFFSET_BEGINNING); `partition_eof` reports reaching the end.
result<consumer_ptr> make_consumer(const kafka_config& config, std::int64_t offset,
                                   bool partition_eof, std::string_view purpose);

// Creates the event topic if missing and checks that it has exactly one partition.
result<void> ensure_topic(const kafka_config& config);

// A consumed record as a stored_event; `scratch` is reused between calls.
result<stored_event> to_stored_event(RdKafka::Message& message, header_list& scratch);

std::unexpected<error> unavailable(std::string code, std::string message);

}  // namespace tenantry::kafka
