// The writer side of the Kafka event log: opening (topic, fencing) and transactional appends.
#include "events/kafka/kafka_event_log.hpp"

#include "events/privacy/event_privacy.hpp"

#include <algorithm>
#include <thread>

#include <spdlog/spdlog.h>

#include "events/kafka/kafka_client.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto writer_start_limit = 30s;  // open() and recover() give up after this

// Offsets from delivery reports. Each message's opaque is a sequence number unique for the
// producer's life, so a late report of an earlier (aborted) batch never lands in this one.
class delivery_reports final : public RdKafka::DeliveryReportCb {
 public:
  void expect(std::uint64_t first, std::size_t count) {
    first_ = first;
    offsets_.assign(count, -1);
  }
  std::vector<std::int64_t>& offsets() { return offsets_; }

  void dr_cb(RdKafka::Message& message) override {
    const auto seq = reinterpret_cast<std::uintptr_t>(message.msg_opaque());
    if (seq < first_ || seq - first_ >= offsets_.size()) return;
    if (message.err() != RdKafka::ERR_NO_ERROR) {
      spdlog::warn("kafka: event not delivered: {}", message.errstr());
      return;
    }
    offsets_[seq - first_] = message.offset();
  }

 private:
  std::uint64_t first_ = 0;
  std::vector<std::int64_t> offsets_;
};

bool is_fenced(RdKafka::Producer& producer, RdKafka::ErrorCode code, bool fatal) {
  if (code == RdKafka::ERR__FATAL || (fatal && code != RdKafka::ERR__FENCED)) {
    std::string why;
    const auto original = producer.fatal_error(why);
    if (original != RdKafka::ERR_NO_ERROR) code = original;
  }
  return code == RdKafka::ERR__FENCED || code == RdKafka::ERR_PRODUCER_FENCED ||
         code == RdKafka::ERR_INVALID_PRODUCER_EPOCH;
}

bool is_fenced(RdKafka::Producer& producer, const RdKafka::Error& e) {
  return is_fenced(producer, e.code(), e.is_fatal());
}

}  // namespace

namespace kafka {
struct writer {
  delivery_reports reports;  // declared first: it must outlive the producer
  std::unique_ptr<RdKafka::Producer> producer;
  std::uint64_t next_seq = 1;

  ~writer() {
    // A writer is dropped after a failure: don't let its destruction wait for messages
    // whose fate the successor's init_transactions decides anyway.
    if (producer)
      producer->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT |
                      RdKafka::Producer::PURGE_NON_BLOCKING);
  }
};
}  // namespace kafka

namespace {

result<std::unique_ptr<kafka::writer>> create_writer(const kafka_config& config) {
  auto w = std::make_unique<kafka::writer>();
  auto conf = kafka::make_conf(
      config.brokers,
      {{"client.id", "tenantry-writer"},
       {"transactional.id", config.transactional_id},
       {"transaction.timeout.ms", std::to_string(config.transaction_timeout.count())},
       {"enable.idempotence", "true"},
       {"acks", "all"},
       {"linger.ms", "1"},
       // lz4 shrinks the log about 4x (the headers repeat) and speeds up replay.
       {"compression.type", "lz4"},
       {"message.max.bytes", std::to_string(kafka::max_record_bytes)},
       {"queue.buffering.max.messages", "1000000"},
       {"queue.buffering.max.kbytes", "1048576"}});
  if (!conf) return std::unexpected(conf.error());
  std::string errstr;
  if ((*conf)->set("dr_cb", &w->reports, errstr) != RdKafka::Conf::CONF_OK)
    return fail(errc::internal, "kafka_config", "kafka dr_cb: " + errstr);
  w->producer.reset(RdKafka::Producer::create(conf->get(), errstr));
  if (!w->producer) return fail(errc::internal, "kafka_config", "kafka producer: " + errstr);
  return w;
}

// A producer whose init_transactions succeeded: the coordinator bumped the epoch of the
// transactional id, fencing every older producer and aborting its open transaction.
result<std::unique_ptr<kafka::writer>> start_writer(const kafka_config& config) {
  const auto deadline = steady::now() + writer_start_limit;
  auto backoff = 200ms;
  auto w = create_writer(config);
  if (!w) return w;
  for (;;) {
    const int attempt_ms = std::min(kafka::timeout_millis(deadline - steady::now()), 10'000);
    std::unique_ptr<RdKafka::Error> err(
        (*w)->producer->init_transactions(std::max(attempt_ms, 1000)));
    if (!err) {
      spdlog::info("kafka: writer {} holds the event log {}", config.transactional_id,
                   config.topic);
      return w;
    }
    spdlog::warn("kafka: init_transactions for {}: {}", config.transactional_id, err->str());
    if (steady::now() + backoff >= deadline)
      return kafka::unavailable("event_log_unavailable",
                                "kafka: cannot start the writer: " + err->str());
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2s));
    if (!err->is_retriable()) {  // fatal or a broken state: only a new producer can go on
      w = create_writer(config);
      if (!w) return w;
    }
  }
}

}  // namespace

kafka_event_log::kafka_event_log(kafka_config config) : config_(std::move(config)) {}
kafka_event_log::~kafka_event_log() = default;

result<std::unique_ptr<kafka_event_log>> kafka_event_log::open(const kafka_config& config,
                                                               bool with_producer) {
  if (config.brokers.empty() || config.topic.empty())
    return fail(errc::invalid_argument, "kafka_config", "kafka brokers and topic are required");
  try {
    if (auto r = kafka::ensure_topic(config); !r) return std::unexpected(r.error());
    std::unique_ptr<kafka_event_log> log(new kafka_event_log(config));
    if (with_producer) {
      auto w = start_writer(config);
      if (!w) return std::unexpected(w.error());
      log->writer_ = std::move(*w);
      log->writes_ = true;
    }
    return log;
  } catch (const std::exception& ex) {
    return fail(errc::internal, "event_log_unavailable", std::string("kafka open: ") + ex.what());
  }
}

result<void> kafka_event_log::check_broker(const std::string& brokers,
                                           std::chrono::milliseconds timeout) {
  auto handle = kafka::make_admin_handle(brokers);
  if (!handle) return std::unexpected(handle.error());
  RdKafka::Metadata* raw = nullptr;
  const auto err = (*handle)->metadata(false, nullptr, &raw, static_cast<int>(timeout.count()));
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (err != RdKafka::ERR_NO_ERROR)
    return kafka::unavailable("event_log_unavailable", "no Kafka broker answers at " + brokers +
                                                           ": " + RdKafka::err2str(err));
  return {};
}

result<std::vector<std::int64_t>> kafka_event_log::append(
    const std::vector<recorded_event>& batch) {
  std::lock_guard lock(mutex_);
  try {
    return append_locked(batch);
  } catch (const std::exception& ex) {  // allocation failure mid-way: the outcome is unknown
    return fail(errc::unavailable, "append_unknown", std::string("append: ") + ex.what());
  }
}

result<std::vector<std::int64_t>> kafka_event_log::append_locked(
    const std::vector<recorded_event>& batch) {
  if (fenced_)
    return fail(errc::unavailable, "writer_fenced", "another writer took over the event log");
  if (!writer_) return fail(errc::unavailable, "append_failed", "this event log has no producer");
  if (batch.empty()) return std::vector<std::int64_t>{};

  std::vector<stored_event> encoded;
  encoded.reserve(batch.size());
  for (const auto& e : batch) encoded.push_back(encode(e));
  if (privacy_)
    if (auto sealed = privacy_->seal(encoded); !sealed)  // before anything reaches Kafka
      return fail(errc::unavailable, "append_failed",
                  "cannot seal personal data: " + sealed.error().message);

  RdKafka::Producer& producer = *writer_->producer;
  const int timeout_ms = static_cast<int>(config_.transaction_timeout.count());
  auto fenced = [&] {
    fenced_ = true;
    spdlog::error("kafka: writer {} is fenced: a newer writer took over {}; this one stops writing",
                  config_.transactional_id, config_.topic);
    return fail(errc::unavailable, "writer_fenced", "another writer took over the event log");
  };
  // Before the commit nothing of the batch can be in the log: abort and say so.
  auto abort = [&](const std::string& why) -> std::unexpected<error> {
    std::unique_ptr<RdKafka::Error> err(producer.abort_transaction(timeout_ms));
    if (err) {
      spdlog::warn("kafka: abort_transaction: {}", err->str());
      if (is_fenced(producer, *err)) return fenced();
    }
    return fail(errc::unavailable, "append_failed", why);
  };

  producer.poll(0);  // serve reports left over from an earlier batch
  if (std::unique_ptr<RdKafka::Error> err(producer.begin_transaction()); err) {
    if (is_fenced(producer, *err)) return fenced();
    return fail(errc::unavailable, "append_failed", "kafka begin_transaction: " + err->str());
  }

  const std::uint64_t first = writer_->next_seq;
  writer_->next_seq += encoded.size();
  writer_->reports.expect(first, encoded.size());
  const auto produce_deadline = steady::now() + config_.transaction_timeout;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const stored_event& e = encoded[i];
    RdKafka::ErrorCode err;
    for (;;) {
      RdKafka::Headers* headers = RdKafka::Headers::create();
      for (const auto& [key, value] : to_headers(e.meta, e.type))
        headers->add(key, value.data(), value.size());
      const auto& key = e.meta.partition_key;
      err = producer.produce(config_.topic, 0, RdKafka::Producer::RK_MSG_COPY,
                             const_cast<char*>(e.data.data()), e.data.size(),
                             key.empty() ? nullptr : key.data(), key.size(),
                             e.meta.time.time_since_epoch().count(), headers,
                             reinterpret_cast<void*>(static_cast<std::uintptr_t>(first + i)));
      if (err == RdKafka::ERR_NO_ERROR) break;
      delete headers;  // produce owns the headers only when it succeeds
      if (err != RdKafka::ERR__QUEUE_FULL || steady::now() >= produce_deadline) break;
      producer.poll(50);  // the local queue is full: let deliveries drain it
    }
    if (err != RdKafka::ERR_NO_ERROR) {
      if (is_fenced(producer, err, err == RdKafka::ERR__FATAL)) return fenced();
      return abort("kafka produce: " + RdKafka::err2str(err));
    }
  }

  if (std::unique_ptr<RdKafka::Error> err(producer.commit_transaction(timeout_ms)); err) {
    if (is_fenced(producer, *err)) return fenced();
    if (err->txn_requires_abort()) return abort("kafka commit_transaction: " + err->str());
    spdlog::error("kafka: commit_transaction outcome unknown: {}", err->str());
    return fail(errc::unavailable, "append_unknown", "kafka commit_transaction: " + err->str());
  }

  std::vector<std::int64_t> offsets = std::move(writer_->reports.offsets());
  writer_->reports.expect(0, 0);
  if (std::ranges::any_of(offsets, [](std::int64_t o) { return o < 0; })) {
    // Committed, but we cannot say where: let the caller recover and read it from the log.
    spdlog::error("kafka: committed a batch without every delivery report");
    return fail(errc::unavailable, "append_unknown", "kafka: missing delivery reports");
  }
  return offsets;
}

result<void> kafka_event_log::recover() {
  std::lock_guard lock(mutex_);
  if (fenced_)
    return fail(errc::unavailable, "writer_fenced",
                "this writer was fenced; open a new event log to take over deliberately");
  if (!writes_) return fail(errc::unavailable, "append_failed", "this event log has no producer");
  try {
    writer_.reset();  // destroy the old producer before its successor fences it
    auto w = start_writer(config_);
    if (!w) return std::unexpected(w.error());
    writer_ = std::move(*w);
    return {};
  } catch (const std::exception& ex) {
    return fail(errc::unavailable, "event_log_unavailable", std::string("recover: ") + ex.what());
  }
}

}  // namespace tenantry
