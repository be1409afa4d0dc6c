#pragma once
// Values as the read side hands them to PostgreSQL and takes them back: array literals for
// batched unnest() statements, ltree labels, timestamps. Pure functions, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/field>

#include "events/clock.hpp"
#include "events/ids.hpp"
#include "events/metadata.hpp"

namespace tenantry {

// A one-dimensional array literal, e.g. {"a","b \"q\"",NULL}: every element quoted and
// escaped, std::nullopt as NULL. Pass it as a parameter cast to text[], uuid[], jsonb[], ...
std::string array_literal(const std::vector<std::optional<std::string>>& items);
std::string array_literal(const std::vector<std::string>& items);

// The elements of a one-dimensional text[] as PostgreSQL prints it (NULLs dropped).
std::vector<std::string> parse_text_array(const char* literal);

// The ltree label of a UUID: its hex digits without dashes (labels allow [A-Za-z0-9_]).
std::string ltree_label(std::string_view uuid);

// Timestamps travel as RFC 3339 text in and as Unix milliseconds out, both exact.
inline std::string timestamp_param(timestamp t) {
  return format_rfc3339(t);
}
inline timestamp timestamp_from_millis(std::int64_t ms) {
  return timestamp{std::chrono::milliseconds{ms}};
}
// The SQL that selects a timestamptz column as those milliseconds.
std::string millis(std::string_view column);
// A nullable column of those milliseconds.
inline std::optional<timestamp> optional_millis(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return timestamp_from_millis(f.as<std::int64_t>());
}

// A UUID in canonical lowercase 8-4-4-4-12 form, or nullopt when `text` is not one
// (any letter case accepted): ids from clients are checked before they reach a ::uuid cast.
std::optional<std::string> canonical_uuid(std::string_view text);

// A LIKE pattern matching `text` anywhere, its %, _ and \ taken literally.
std::string contains_pattern(std::string_view text);

// Metadata travels as JSON text in (a jsonb parameter) and out (a column's ::text).
std::string metadata_param(const metadata_map& metadata);
// A jsonb column's text as metadata; anything but an object of strings is empty.
metadata_map metadata_from_json(std::string_view text);

// An optional id as a parameter: its text, or NULL.
template <class Tag>
std::optional<std::string> id_or_null(const std::optional<strong_id<Tag>>& id) {
  if (!id) return std::nullopt;
  return id->value;
}

// Empty strings become NULL (optional metadata such as an idempotency key).
inline std::optional<std::string> null_if_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace tenantry
