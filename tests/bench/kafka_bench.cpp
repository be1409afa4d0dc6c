// The Kafka side: `produce` re-produces a topic's events with its transaction boundaries
// (librdkafka directly, or through kafka_event_log::append), `rebuild` times the writer's
// start-up replay and the layers beneath it, `drop-topics` cleans up.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <thread>

#include <spdlog/spdlog.h>

#include "commands/command_processor.hpp"
#include "events/codec.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "subcommands.hpp"

namespace tenantry::bench {
namespace {

constexpr int kafka_timeout_ms = 30000;

std::unique_ptr<RdKafka::Conf> make_conf(
    const std::string& brokers, const std::vector<std::pair<std::string, std::string>>& s) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string errstr;
  if (conf->set("bootstrap.servers", brokers, errstr) != RdKafka::Conf::CONF_OK)
    throw std::runtime_error(errstr);
  for (const auto& [k, v] : s)
    if (conf->set(k, v, errstr) != RdKafka::Conf::CONF_OK)
      throw std::runtime_error(k + ": " + errstr);
  return conf;
}

// The committed events of `topic`, in order (offsets kept: gaps are transaction markers).
result<std::vector<stored_event>> read_all(const std::string& brokers, const std::string& topic) {
  auto log = kafka_event_log::open(kafka_config{.brokers = brokers, .topic = topic}, false);
  if (!log) return std::unexpected(log.error());
  std::vector<stored_event> out;
  auto end = (*log)->replay([&](const stored_event& e) { out.push_back(e); });
  if (!end) return std::unexpected(end.error());
  return out;
}

// Consecutive offsets belong to one transaction; a gap is a commit (or abort) marker.
std::vector<std::pair<std::size_t, std::size_t>> transactions(const std::vector<stored_event>& es) {
  std::vector<std::pair<std::size_t, std::size_t>> out;  // [begin, end)
  for (std::size_t i = 0; i < es.size(); ++i) {
    if (i == 0 || es[i].offset != es[i - 1].offset + 1) out.emplace_back(i, i);
    out.back().second = i + 1;
  }
  return out;
}

class delivery_errors final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& m) override {
    if (m.err() != RdKafka::ERR_NO_ERROR) ++failed;
  }
  std::size_t failed = 0;
};

// Produces each transaction with librdkafka's transactional producer, configured like
// tenantry's writer; returns each commit's duration (begin to committed) in ms.
// `started` is reset after the first transaction (the warm-up).
std::vector<double> produce_raw(const common_options& common, const std::string& topic,
                                const std::vector<stored_event>& events,
                                const std::vector<std::pair<std::size_t, std::size_t>>& txns,
                                steady::time_point& started) {
  // Everything a record needs, prepared before the clock runs.
  struct record {
    std::vector<std::pair<std::string, std::string>> headers;
    const stored_event* e;
  };
  std::vector<record> records;
  records.reserve(events.size());
  for (const auto& e : events) records.push_back({to_headers(e.meta, e.type), &e});

  delivery_errors reports;
  auto conf = make_conf(common.brokers, {{"client.id", "tenantry-bench-raw"},
                                         {"transactional.id", topic + "-raw"},
                                         {"transaction.timeout.ms", "10000"},
                                         {"enable.idempotence", "true"},
                                         {"acks", "all"},
                                         {"linger.ms", "1"},
                                         {"compression.type", "lz4"},
                                         {"message.max.bytes", "8388608"},
                                         {"queue.buffering.max.messages", "1000000"},
                                         {"queue.buffering.max.kbytes", "1048576"}});
  std::string errstr;
  conf->set("dr_cb", &reports, errstr);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), errstr));
  if (!producer) throw std::runtime_error("producer: " + errstr);
  auto check = [](RdKafka::Error* raw, const char* what) {
    std::unique_ptr<RdKafka::Error> err(raw);
    if (err) throw std::runtime_error(std::string(what) + ": " + err->str());
  };
  check(producer->init_transactions(kafka_timeout_ms), "init_transactions");
  std::vector<double> commit_ms;
  for (const auto& [begin, end] : txns) {
    const auto t0 = steady::now();
    check(producer->begin_transaction(), "begin_transaction");
    for (std::size_t i = begin; i < end; ++i) {
      const stored_event& e = *records[i].e;
      RdKafka::Headers* headers = RdKafka::Headers::create();
      for (const auto& [k, v] : records[i].headers) headers->add(k, v.data(), v.size());
      const auto& key = e.meta.partition_key;
      const auto err = producer->produce(topic, 0, RdKafka::Producer::RK_MSG_COPY,
                                         const_cast<char*>(e.data.data()), e.data.size(),
                                         key.empty() ? nullptr : key.data(), key.size(),
                                         e.meta.time.time_since_epoch().count(), headers, nullptr);
      if (err != RdKafka::ERR_NO_ERROR) {
        delete headers;
        throw std::runtime_error("produce: " + RdKafka::err2str(err));
      }
    }
    check(producer->commit_transaction(kafka_timeout_ms), "commit_transaction");
    commit_ms.push_back(millis(steady::now() - t0));
    if (commit_ms.size() == 1) started = steady::now();
  }
  if (reports.failed > 0) throw std::runtime_error("some records were not delivered");
  return commit_ms;
}

// The same transactions through tenantry's adapter (encoding included, as the writer does).
std::vector<double> produce_adapter(const common_options& common, const std::string& topic,
                                    const std::vector<stored_event>& events,
                                    const std::vector<std::pair<std::size_t, std::size_t>>& txns,
                                    steady::time_point& started) {
  std::vector<std::vector<recorded_event>> batches;
  for (const auto& [begin, end] : txns) {
    auto& b = batches.emplace_back();
    for (std::size_t i = begin; i < end; ++i) {
      auto e = decode(events[i]);
      if (!e) throw std::runtime_error("decode: " + e.error().message);
      b.push_back(std::move(*e));
    }
  }
  auto log = kafka_event_log::open(kafka_config{
      .brokers = common.brokers, .topic = topic, .transactional_id = topic + "-adapter"});
  if (!log) throw std::runtime_error("open: " + log.error().message);
  std::vector<double> commit_ms;
  for (const auto& b : batches) {
    const auto t0 = steady::now();
    if (auto r = (*log)->append(b); !r) throw std::runtime_error("append: " + r.error().message);
    commit_ms.push_back(millis(steady::now() - t0));
    if (commit_ms.size() == 1) started = steady::now();
  }
  return commit_ms;
}

}  // namespace

int run_produce(const common_options& common, const produce_options& o) {
  try {
    auto events = read_all(common.brokers, o.from);
    if (!events) throw std::runtime_error("read " + o.from + ": " + events.error().message);
    auto txns = transactions(*events);
    if (o.batch > 0) {
      txns.clear();
      for (std::size_t i = 0; i < events->size(); i += o.batch)
        txns.emplace_back(i, std::min(i + o.batch, events->size()));
    }
    // Creates the destination topic with tenantry's settings.
    if (auto log =
            kafka_event_log::open(kafka_config{.brokers = common.brokers, .topic = o.to}, false);
        !log)
      throw std::runtime_error("create " + o.to + ": " + log.error().message);
    cpu_meter cpu(parse_watch_list(common.watch));
    cpu.start();
    auto started = steady::now();
    std::vector<double> commit_ms = o.via == "adapter"
                                        ? produce_adapter(common, o.to, *events, txns, started)
                                        : produce_raw(common, o.to, *events, txns, started);
    const double elapsed = seconds_since(started);
    // The first transaction also looks up the new topic's leader: it is left out.
    const double first_ms = commit_ms.empty() ? 0 : commit_ms.front();
    const std::size_t counted = events->size() - (txns.empty() ? 0 : txns.front().second);
    if (!commit_ms.empty()) commit_ms.erase(commit_ms.begin());
    std::string p = o.via == "adapter" ? "adapter_append" : "raw_produce";
    if (o.batch > 0) p += "_batch" + std::to_string(o.batch);
    figures f;
    cpu.stop(f, p);
    f.add(p + "_events_per_s", double(counted) / elapsed, "events/s");
    f.add(p + "_transactions_per_s", double(commit_ms.size()) / elapsed, "transactions/s");
    f.add(p + "_first_commit", first_ms, "ms");
    f.add(p + "_batch_avg", txns.empty() ? 0 : double(events->size()) / double(txns.size()),
          "events");
    f.add(p + "_commit_p50", percentile(commit_ms, 50), "ms");
    f.add(p + "_commit_p99", percentile(commit_ms, 99), "ms");
    f.print();
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("produce: {}", e.what());
    return 1;
  }
}

namespace {

// Reads the whole topic with a bare read_committed consumer (tenantry's fetch settings).
std::size_t consume_all(const common_options& common, const std::string& topic) {
  auto conf = make_conf(common.brokers, {{"client.id", "tenantry-bench-consume"},
                                         {"group.id", "tenantry-bench-" + topic},
                                         {"enable.auto.commit", "false"},
                                         {"enable.auto.offset.store", "false"},
                                         {"isolation.level", "read_committed"},
                                         {"enable.partition.eof", "true"},
                                         {"auto.offset.reset", "error"},
                                         {"fetch.max.bytes", "52428800"},
                                         {"max.partition.fetch.bytes", "8388608"},
                                         {"queued.max.messages.kbytes", "262144"},
                                         {"queued.min.messages", "200000"},
                                         {"fetch.wait.max.ms", "100"}});
  std::string errstr;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), errstr));
  if (!consumer) throw std::runtime_error("consumer: " + errstr);
  std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(topic, 0, 0));
  consumer->assign({tp.get()});
  std::size_t count = 0;
  for (;;) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(1000));
    if (m->err() == RdKafka::ERR_NO_ERROR) {
      ++count;
    } else if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      break;
    } else if (m->err() != RdKafka::ERR__TIMED_OUT) {
      throw std::runtime_error("consume: " + m->errstr());
    }
  }
  consumer->close();
  return count;
}

}  // namespace

int run_rebuild(const common_options& common, const rebuild_options& o) {
  try {
    kafka_config config{.brokers = common.brokers, .topic = o.topic};
    auto log = kafka_event_log::open(config, false);
    if (!log) throw std::runtime_error("open: " + log.error().message);
    figures f;
    const memory_usage before = current_memory();
    const auto started = steady::now();
    std::size_t events = 0;
    std::string p = "rebuild_" + o.mode;
    if (o.mode == "consume") {
      events = consume_all(common, o.topic);
    } else if (o.mode == "replay" || o.mode == "decode") {
      const bool decoding = o.mode == "decode";
      std::size_t undecodable = 0;
      auto end = (*log)->replay([&](const stored_event& s) {
        ++events;
        if (decoding && !decode(s)) ++undecodable;
      });
      if (!end) throw std::runtime_error("replay: " + end.error().message);
      if (undecodable) throw std::runtime_error("undecodable events");
    } else if (o.mode == "writer") {
      p = "rebuild";
      // No producer: the start-up replay is the same, and nothing is fenced.
      command_processor writer(**log, **log, writer_options{});
      writer.start();
      while (writer.state() == writer_state::starting)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      const double elapsed = seconds_since(started);
      if (writer.state() != writer_state::ready)
        throw std::runtime_error("the writer is not ready");
      events = writer.event_count();
      const memory_usage after = current_memory();
      const double model = after.heap_bytes - before.heap_bytes;
      f.add("rebuild_seconds", elapsed, "s");
      f.add("rebuild_peak_rss", after.peak_rss_bytes / 1048576, "MiB");
      f.add("rebuild_rss_after", after.rss_bytes / 1048576, "MiB");
      f.add("write_model_heap", model / 1048576, "MiB");
      if (o.tenants > 0) f.add("write_model_bytes_per_tenant", model / double(o.tenants), "bytes");
      f.add("rebuild_events_per_s", double(events) / elapsed, "events/s");
      writer.stop();
      f.print();
      return 0;
    } else {
      throw std::runtime_error("unknown mode " + o.mode);
    }
    const double elapsed = seconds_since(started);
    f.add(p + "_events_per_s", double(events) / elapsed, "events/s");
    f.add(p + "_peak_rss", current_memory().peak_rss_bytes / 1048576, "MiB");
    f.print();
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("rebuild: {}", e.what());
    return 1;
  }
}

int run_drop_topics(const common_options& common, const std::vector<std::string>& topics) {
  if (topics.empty()) return 0;
  auto conf = make_conf(common.brokers, {});
  std::string errstr;
  std::unique_ptr<RdKafka::Producer> admin(RdKafka::Producer::create(conf.get(), errstr));
  if (!admin) return 1;
  rd_kafka_t* rk = admin->c_ptr();
  std::vector<rd_kafka_DeleteTopic_t*> requests;
  for (const auto& t : topics) requests.push_back(rd_kafka_DeleteTopic_new(t.c_str()));
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_DeleteTopics(rk, requests.data(), requests.size(), nullptr, queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 30000);
  int rc = ev && rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : 1;
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(queue);
  for (auto* r : requests) rd_kafka_DeleteTopic_destroy(r);
  return rc;
}

}  // namespace tenantry::bench
