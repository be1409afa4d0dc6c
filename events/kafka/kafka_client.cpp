#include "events/kafka/kafka_client.hpp"

#include <algorithm>
#include <cstdint>

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "events/ids.hpp"

namespace tenantry::kafka {
namespace {

// librdkafka's logs and client-level errors, into spdlog. Stateless, so one instance serves
// every handle (librdkafka calls it from its own threads).
class spdlog_bridge final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        if (event.fatal())
          spdlog::error("kafka: fatal error {}: {}", RdKafka::err2str(event.err()), event.str());
        else
          spdlog::warn("kafka: {}: {}", RdKafka::err2str(event.err()), event.str());
        break;
      case RdKafka::Event::EVENT_LOG:
        spdlog::log(level(event.severity()), "kafka: [{}] {}", event.fac(), event.str());
        break;
      default:
        break;
    }
  }

 private:
  static spdlog::level::level_enum level(RdKafka::Event::Severity severity) {
    if (severity <= RdKafka::Event::EVENT_SEVERITY_ERROR) return spdlog::level::err;
    if (severity == RdKafka::Event::EVENT_SEVERITY_WARNING) return spdlog::level::warn;
    if (severity == RdKafka::Event::EVENT_SEVERITY_DEBUG) return spdlog::level::debug;
    return spdlog::level::info;
  }
};

spdlog_bridge log_bridge;

constexpr int admin_timeout_ms = 15000;

// RAII for the C admin API's objects.
struct admin_request {
  rd_kafka_queue_t* queue = nullptr;
  rd_kafka_AdminOptions_t* options = nullptr;
  rd_kafka_NewTopic_t* topic = nullptr;
  rd_kafka_event_t* result = nullptr;
  ~admin_request() {
    if (result) rd_kafka_event_destroy(result);
    if (topic) rd_kafka_NewTopic_destroy(topic);
    if (options) rd_kafka_AdminOptions_destroy(options);
    if (queue) rd_kafka_queue_destroy(queue);
  }
};

// Number of partitions of `topic`, or an error when the broker does not say.
result<std::size_t> partition_count(RdKafka::Producer& handle, const std::string& topic) {
  std::string errstr;
  std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(&handle, topic, nullptr, errstr));
  if (!t) return unavailable("event_log_unavailable", "kafka topic handle: " + errstr);
  RdKafka::Metadata* raw = nullptr;
  const auto err = handle.metadata(false, t.get(), &raw, admin_timeout_ms);
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (err != RdKafka::ERR_NO_ERROR)
    return unavailable("event_log_unavailable", "kafka metadata: " + RdKafka::err2str(err));
  for (const auto* tm : *md->topics()) {
    if (tm->topic() != topic) continue;
    if (tm->err() != RdKafka::ERR_NO_ERROR)
      return unavailable("event_log_unavailable",
                         "kafka metadata of " + topic + ": " + RdKafka::err2str(tm->err()));
    return tm->partitions()->size();
  }
  return unavailable("event_log_unavailable", "kafka metadata has no topic " + topic);
}

}  // namespace

std::unexpected<error> unavailable(std::string code, std::string message) {
  return fail(errc::unavailable, std::move(code), std::move(message));
}

result<std::unique_ptr<RdKafka::Conf>> make_conf(const std::string& brokers, settings extra) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string errstr;
  auto set = [&](const char* name, const std::string& value) -> result<void> {
    if (conf->set(name, value, errstr) != RdKafka::Conf::CONF_OK)
      return fail(errc::internal, "kafka_config",
                  std::string("kafka setting ") + name + ": " + errstr);
    return {};
  };
  if (auto r = set("bootstrap.servers", brokers); !r) return std::unexpected(r.error());
  if (auto r = set("log.connection.close", "false"); !r) return std::unexpected(r.error());
  for (const auto& [name, value] : extra)
    if (auto r = set(name, value); !r) return std::unexpected(r.error());
  if (conf->set("event_cb", &log_bridge, errstr) != RdKafka::Conf::CONF_OK)
    return fail(errc::internal, "kafka_config", "kafka event_cb: " + errstr);
  return conf;
}

result<std::unique_ptr<RdKafka::Producer>> make_admin_handle(const std::string& brokers) {
  auto conf = make_conf(brokers, {{"client.id", "tenantry-admin"}});
  if (!conf) return std::unexpected(conf.error());
  std::string errstr;
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(conf->get(), errstr));
  if (!handle) return fail(errc::internal, "kafka_config", "kafka admin handle: " + errstr);
  return handle;
}

void consumer_closer::operator()(RdKafka::KafkaConsumer* consumer) const {
  consumer->close();
  delete consumer;
}

result<consumer_ptr> make_consumer(const kafka_config& config, std::int64_t offset,
                                   bool partition_eof, std::string_view purpose) {
  // KafkaConsumer demands a group.id even with assign(); a random one joins nothing and
  // commits nothing: the position lives with the caller (Postgres, or the write model).
  auto conf =
      make_conf(config.brokers,
                {{"client.id", "tenantry-" + std::string(purpose)},
                 {"group.id", "tenantry-" + std::string(purpose) + "-" + new_uuid_v7()},
                 {"enable.auto.commit", "false"},
                 {"enable.auto.offset.store", "false"},
                 {"isolation.level", "read_committed"},
                 {"enable.partition.eof", partition_eof ? "true" : "false"},
                 // A position the log no longer (or not yet) has is an error, never a silent jump.
                 {"auto.offset.reset", "error"},
                 // Large fetches: a replay reads the whole log as fast as the broker sends it.
                 {"fetch.max.bytes", "52428800"},
                 {"max.partition.fetch.bytes", "8388608"},
                 {"queued.max.messages.kbytes", "262144"},
                 {"queued.min.messages", "200000"},
                 {"fetch.wait.max.ms", "100"}});
  if (!conf) return std::unexpected(conf.error());
  std::string errstr;
  consumer_ptr consumer(RdKafka::KafkaConsumer::create(conf->get(), errstr));
  if (!consumer) return fail(errc::internal, "kafka_config", "kafka consumer: " + errstr);
  std::unique_ptr<RdKafka::TopicPartition> tp(
      RdKafka::TopicPartition::create(config.topic, 0, offset));
  const auto err = consumer->assign({tp.get()});
  if (err != RdKafka::ERR_NO_ERROR)
    return unavailable("event_log_unavailable", "kafka assign: " + RdKafka::err2str(err));
  return consumer;
}

result<void> ensure_topic(const kafka_config& config) {
  auto handle = make_admin_handle(config.brokers);
  if (!handle) return std::unexpected(handle.error());
  rd_kafka_t* rk = (*handle)->c_ptr();

  char errstr[512] = {0};
  admin_request req;
  // Exactly one partition: the log is one total order. The writer's invariants (unique
  // slugs, no cycles, quotas across subtrees) span aggregates, and replay and projectors
  // must see events in the order they were decided; Kafka orders only within a partition.
  req.topic = rd_kafka_NewTopic_new(config.topic.c_str(), 1, config.replication_factor, errstr,
                                    sizeof errstr);
  if (!req.topic)
    return fail(errc::invalid_argument, "kafka_config", std::string("kafka topic: ") + errstr);
  const std::string min_isr = std::to_string(config.min_insync_replicas);
  const std::string max_bytes = std::to_string(max_record_bytes);
  for (const auto& [name, value] : {std::pair<const char*, const char*>{"retention.ms", "-1"},
                                    {"cleanup.policy", "delete"},
                                    {"min.insync.replicas", min_isr.c_str()},
                                    {"max.message.bytes", max_bytes.c_str()}}) {
    if (rd_kafka_NewTopic_set_config(req.topic, name, value) != RD_KAFKA_RESP_ERR_NO_ERROR)
      return fail(errc::internal, "kafka_config", std::string("kafka topic config ") + name);
  }
  req.options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(req.options, admin_timeout_ms, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(req.options, admin_timeout_ms, errstr, sizeof errstr);
  req.queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &req.topic, 1, req.options, req.queue);
  req.result = rd_kafka_queue_poll(req.queue, admin_timeout_ms + 5000);
  if (!req.result) return unavailable("event_log_unavailable", "kafka: no answer to CreateTopics");
  if (rd_kafka_event_error(req.result) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return unavailable("event_log_unavailable", std::string("kafka CreateTopics: ") +
                                                    rd_kafka_event_error_string(req.result));
  const auto* created = rd_kafka_event_CreateTopics_result(req.result);
  std::size_t count = 0;
  const auto** topics = rd_kafka_CreateTopics_result_topics(created, &count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto err = rd_kafka_topic_result_error(topics[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::info("kafka: created event topic {} (1 partition, replication {}, min isr {})",
                   config.topic, config.replication_factor, config.min_insync_replicas);
      return {};
    }
    if (err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* why = rd_kafka_topic_result_error_string(topics[i]);
      return unavailable("event_log_unavailable", "kafka: cannot create topic " + config.topic +
                                                      ": " + (why ? why : rd_kafka_err2str(err)));
    }
  }
  // It already existed: never change it, but refuse one we cannot read as a total order.
  auto partitions = partition_count(**handle, config.topic);
  if (!partitions) return std::unexpected(partitions.error());
  if (*partitions != 1)
    return fail(errc::unavailable, "event_topic_misconfigured",
                "event topic " + config.topic + " has " + std::to_string(*partitions) +
                    " partitions; tenantry needs exactly 1");
  return {};
}

result<stored_event> to_stored_event(RdKafka::Message& message, header_list& scratch) {
  // The C API reads headers in place; the C++ Headers object would copy each one twice.
  const rd_kafka_message_t* raw = message.c_ptr();
  rd_kafka_headers_t* headers = nullptr;
  std::size_t n = 0;
  if (rd_kafka_message_headers(raw, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (; rd_kafka_header_get_all(headers, n, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++n) {
      if (scratch.size() <= n) scratch.emplace_back();
      scratch[n].first.assign(name);
      scratch[n].second.assign(value ? static_cast<const char*>(value) : "", value ? size : 0);
    }
  }
  scratch.resize(n);

  stored_event out;
  auto meta = from_headers(scratch, out.type);
  if (!meta) {
    meta.error().details["offset"] = message.offset();
    return std::unexpected(std::move(meta.error()));
  }
  out.meta = std::move(*meta);
  if (message.payload())
    out.data.assign(static_cast<const char*>(message.payload()), message.len());
  out.offset = message.offset();
  return out;
}

int timeout_millis(std::chrono::steady_clock::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<std::int64_t>(ms, 0, 3'600'000));
}

}  // namespace tenantry::kafka
