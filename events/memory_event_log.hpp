#pragma once
// An in-memory event log for unit tests: the same ports as Kafka, no I/O.
// fail_next_append() lets a test drive the writer's fail-stop path, and append_stored() puts an
// event in the log as it travels (one that does not decode, say).

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "events/event_log.hpp"

namespace tenantry {

class memory_event_log final : public event_appender,
                               public event_replayer,
                               public event_subscriber {
 public:
  result<std::vector<std::int64_t>> append(const std::vector<recorded_event>& batch) override;
  result<void> recover() override;
  result<std::int64_t> replay(const std::function<void(const stored_event&)>& fn) override;
  result<std::unique_ptr<event_subscription>> subscribe(std::int64_t from_offset) override;

  // The next append fails with this error code ("append_failed", "append_unknown",
  // "writer_fenced"); with "append_unknown" the batch is nevertheless kept, as when a
  // commit landed but its acknowledgement was lost.
  void fail_next_append(std::string code);
  // Appends the event as given (its offset aside); returns its offset.
  std::int64_t append_stored(stored_event e);
  std::vector<stored_event> events() const;

 private:
  friend class memory_subscription;
  mutable std::mutex mutex_;
  std::condition_variable appended_;
  std::vector<stored_event> log_;
  std::optional<std::string> fail_next_;
};

}  // namespace tenantry
