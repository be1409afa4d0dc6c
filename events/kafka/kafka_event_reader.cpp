// The reading side of the Kafka event log: replay from the beginning, and subscriptions.
#include <spdlog/spdlog.h>

#include "events/kafka/kafka_client.hpp"
#include "events/kafka/kafka_event_log.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// A replay that receives nothing (not even the end of the log) for this long gives up.
constexpr auto replay_idle_limit = 30s;

// Errors a consumer reports that retrying cannot fix.
bool is_permanent(RdKafka::ErrorCode code) {
  return code == RdKafka::ERR__FATAL || code == RdKafka::ERR__AUTO_OFFSET_RESET ||
         code == RdKafka::ERR_OFFSET_OUT_OF_RANGE ||
         code == RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED;
}

std::unexpected<error> consumer_error(RdKafka::Message& m) {
  error e{errc::unavailable, "event_log_unavailable", "kafka consumer: " + m.errstr()};
  if (m.err() == RdKafka::ERR__AUTO_OFFSET_RESET || m.err() == RdKafka::ERR_OFFSET_OUT_OF_RANGE) {
    e.code = "offset_out_of_range";
    e.message = "kafka: the offset is outside the event log: " + m.errstr();
  }
  return std::unexpected(std::move(e));
}

class kafka_subscription final : public event_subscription {
 public:
  explicit kafka_subscription(kafka::consumer_ptr consumer) : consumer_(std::move(consumer)) {}

  result<std::vector<stored_event>> poll(std::size_t max, std::chrono::milliseconds wait) override {
    try {
      return poll_events(max, wait);
    } catch (const std::exception& ex) {
      broken_ = error{errc::internal, "event_log_unavailable", std::string("poll: ") + ex.what()};
      return std::unexpected(*broken_);
    }
  }

 private:
  result<std::vector<stored_event>> poll_events(std::size_t max, std::chrono::milliseconds wait) {
    // Once a record failed to decode or the position became invalid, the subscription
    // stays failed: skipping an event would silently corrupt a read model.
    if (broken_) return std::unexpected(*broken_);
    std::vector<stored_event> out;
    if (max == 0) return out;
    const auto deadline = steady::now() + wait;
    do {
      take(consumer_->consume(kafka::timeout_millis(deadline - steady::now())), out);
    } while (out.empty() && !broken_ && steady::now() < deadline);
    while (!broken_ && out.size() < max) {
      if (!take(consumer_->consume(0), out)) break;
    }
    if (broken_ && out.empty()) return std::unexpected(*broken_);
    return out;  // a failure after some events is reported by the next poll
  }

  // Handles one consumed message; false when there was nothing to take (a timeout).
  bool take(RdKafka::Message* raw, std::vector<stored_event>& out) {
    std::unique_ptr<RdKafka::Message> m(raw);
    switch (m->err()) {
      case RdKafka::ERR_NO_ERROR: {
        auto e = kafka::to_stored_event(*m, scratch_);
        if (!e) {
          spdlog::error("kafka: undecodable event at offset {}: {}", m->offset(),
                        e.error().message);
          broken_ = std::move(e.error());
          return false;
        }
        out.push_back(std::move(*e));
        return true;
      }
      case RdKafka::ERR__TIMED_OUT:
        return false;
      case RdKafka::ERR__PARTITION_EOF:
        return true;
      default:
        if (is_permanent(m->err())) {
          spdlog::error("kafka: subscription failed: {}", m->errstr());
          broken_ = consumer_error(*m).error();
          return false;
        }
        spdlog::warn("kafka: subscription: {}", m->errstr());
        return true;
    }
  }

  kafka::consumer_ptr consumer_;
  header_list scratch_;
  std::optional<error> broken_;
};

}  // namespace

result<std::int64_t> kafka_event_log::replay(const std::function<void(const stored_event&)>& fn) {
  try {
    // Offset 0 rather than OFFSET_BEGINNING: the log is never truncated (retention.ms=-1),
    // so a log that no longer starts at 0 fails the replay (offset_out_of_range) instead
    // of silently rebuilding from a partial history. It also skips the ListOffsets round
    // trip, which librdkafka 2.0.2 delays by ~500 ms while the partition leader is unknown.
    auto consumer = kafka::make_consumer(config_, 0, /*partition_eof=*/true, "replay");
    if (!consumer) return std::unexpected(consumer.error());
    header_list scratch;
    std::int64_t next = 0;
    std::uint64_t count = 0;
    const auto started = steady::now();
    // The idle clock is read only when consume() comes back empty-handed, not per event.
    auto idle_since = started;
    std::uint64_t count_at_idle_check = 0;
    for (;;) {
      std::unique_ptr<RdKafka::Message> m((*consumer)->consume(500));
      switch (m->err()) {
        case RdKafka::ERR_NO_ERROR: {
          auto e = kafka::to_stored_event(*m, scratch);
          if (!e) return std::unexpected(std::move(e.error()));
          fn(*e);
          next = m->offset() + 1;
          ++count;
          continue;
        }
        case RdKafka::ERR__PARTITION_EOF: {
          // The end of the committed log (for read_committed, the last stable offset): past
          // the last event, and past any commit or abort marker after it.
          next = std::max(next, m->offset());
          spdlog::info("kafka: replayed {} events of {} in {} ms; next offset {}", count,
                       config_.topic, kafka::timeout_millis(steady::now() - started), next);
          return next;
        }
        case RdKafka::ERR__TIMED_OUT:
          break;
        default:
          if (is_permanent(m->err())) return consumer_error(*m);
          spdlog::warn("kafka: replay: {}", m->errstr());
          break;
      }
      const auto now = steady::now();
      if (count != count_at_idle_check) {
        count_at_idle_check = count;
        idle_since = now;
      } else if (now - idle_since >= replay_idle_limit) {
        return kafka::unavailable(
            "event_log_unavailable",
            "kafka: replay received nothing for 30 s at offset " + std::to_string(next));
      }
    }
  } catch (const std::exception& ex) {  // from `fn`, or an allocation failure
    return fail(errc::internal, "replay_failed", std::string("replay: ") + ex.what());
  }
}

result<std::unique_ptr<event_subscription>> kafka_event_log::subscribe(std::int64_t from_offset) {
  if (from_offset < 0)
    return fail(errc::invalid_argument, "offset_out_of_range", "a log offset is never negative");
  try {
    auto consumer =
        kafka::make_consumer(config_, from_offset, /*partition_eof=*/false, "subscriber");
    if (!consumer) return std::unexpected(consumer.error());
    return std::make_unique<kafka_subscription>(std::move(*consumer));
  } catch (const std::exception& ex) {
    return fail(errc::internal, "event_log_unavailable", std::string("subscribe: ") + ex.what());
  }
}

}  // namespace tenantry
