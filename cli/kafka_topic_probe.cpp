#include "cli/kafka_topic_probe.hpp"

#include <memory>
#include <utility>

#include <librdkafka/rdkafkacpp.h>

namespace tenantry::cli {

namespace {

std::unexpected<error> unavailable(const std::string& brokers, const std::string& what) {
  return fail(errc::unavailable, "event_log_unavailable",
              "Kafka at " + brokers + " did not answer: " + what);
}

}  // namespace

result<topic_extent> probe_topic(const std::string& brokers, const std::string& topic,
                                 std::chrono::milliseconds timeout) {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  // librdkafka would print every refused connection to stderr; the error we return says it.
  for (const auto& [key, value] :
       {std::pair<const char*, std::string>{"bootstrap.servers", brokers},
        {"log_level", "0"},
        {"client.id", "tenantry-cli-probe"}}) {
    if (conf->set(key, value, errstr) != RdKafka::Conf::CONF_OK)
      return fail(errc::invalid_argument, "kafka_config",
                  std::string("kafka: cannot set ") + key + ": " + errstr);
  }
  // A plain producer handle only sends metadata and ListOffsets requests here.
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(conf.get(), errstr));
  if (!handle) return fail(errc::invalid_argument, "kafka_config", "kafka: " + errstr);

  const int ms = static_cast<int>(timeout.count());
  // All topics, not this one: a request naming a missing topic may create it on brokers
  // with auto.create.topics.enable.
  RdKafka::Metadata* raw = nullptr;
  const RdKafka::ErrorCode err = handle->metadata(true, nullptr, &raw, ms);
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (err != RdKafka::ERR_NO_ERROR) return unavailable(brokers, RdKafka::err2str(err));

  const RdKafka::TopicMetadata* found = nullptr;
  for (const RdKafka::TopicMetadata* t : *metadata->topics())
    if (t->topic() == topic) found = t;
  if (!found || found->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART)
    return fail(errc::not_found, "topic_not_found",
                "The topic " + topic + " does not exist on " + brokers);
  if (found->partitions()->size() != 1)
    return fail(errc::conflict, "event_topic_misconfigured",
                "The topic " + topic + " has " + std::to_string(found->partitions()->size()) +
                    " partitions; tenantry's event log has exactly one");

  topic_extent extent;
  const RdKafka::ErrorCode werr =
      handle->query_watermark_offsets(topic, 0, &extent.low_watermark, &extent.high_watermark, ms);
  if (werr != RdKafka::ERR_NO_ERROR) return unavailable(brokers, RdKafka::err2str(werr));
  return extent;
}

}  // namespace tenantry::cli
