#pragma once
// What the broker says about the event topic before a rebuild reads it: whether it exists
// at all (kafka_event_log::open would create a missing one, and a rebuild from a new empty
// topic would replace the read models with nothing) and where its only partition ends.

#include <chrono>
#include <cstdint>
#include <string>

#include "events/result.hpp"

namespace tenantry::cli {

struct topic_extent {
  std::int64_t low_watermark = 0;   // the first offset still in the log (0: never truncated)
  std::int64_t high_watermark = 0;  // past the last record, commit markers included
};

// Errors: "topic_not_found" (not_found), "event_topic_misconfigured" (more than one
// partition), "event_log_unavailable" (no broker answered within `timeout`), "kafka_config".
result<topic_extent> probe_topic(const std::string& brokers, const std::string& topic,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace tenantry::cli
