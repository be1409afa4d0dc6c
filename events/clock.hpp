#pragma once
// Time as tenantry sees it: UTC milliseconds, RFC 3339 text, and an injectable clock.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tenantry {

using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// "2026-11-23T10:30:00.123Z"
std::string format_rfc3339(timestamp t);
// Accepts RFC 3339 with or without fractional seconds, "Z" or a numeric offset.
std::optional<timestamp> parse_rfc3339(std::string_view text);

using clock_fn = std::function<timestamp()>;
timestamp system_now();

}  // namespace tenantry
