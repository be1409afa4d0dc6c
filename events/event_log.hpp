#pragma once
// The event-log port: how the writer appends and replays, and how projectors follow.
// Adapters: kafka_event_log (the real thing) and memory_event_log (unit tests).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "events/envelope.hpp"
#include "events/result.hpp"

namespace tenantry {

// Error codes an appender reports (all errc::unavailable):
//   "writer_fenced"  a newer writer took over; this one must stop writing for good;
//   "append_failed"  the transaction aborted: nothing of the batch is in the log;
//   "append_unknown" the outcome is unknown (timeout): recover, replay, never guess.
class event_appender {
 public:
  virtual ~event_appender() = default;
  // Appends the batch atomically (one transaction); returns each event's offset.
  virtual result<std::vector<std::int64_t>> append(const std::vector<recorded_event>& batch) = 0;
  // After a failed append: a new producer that fences the old one and aborts its transaction.
  virtual result<void> recover() = 0;
};

class event_replayer {
 public:
  virtual ~event_replayer() = default;
  // Calls `fn` for every committed event from the first to the end of the log, in order;
  // returns the offset after the last one.
  virtual result<std::int64_t> replay(const std::function<void(const stored_event&)>& fn) = 0;
};

// A projector's view of the log: committed events from a given offset on.
class event_subscription {
 public:
  virtual ~event_subscription() = default;
  // Up to `max` events, waiting at most `wait` for the first one; empty when none came.
  virtual result<std::vector<stored_event>> poll(std::size_t max,
                                                 std::chrono::milliseconds wait) = 0;
};

class event_subscriber {
 public:
  virtual ~event_subscriber() = default;
  virtual result<std::unique_ptr<event_subscription>> subscribe(std::int64_t from_offset) = 0;
};

}  // namespace tenantry
