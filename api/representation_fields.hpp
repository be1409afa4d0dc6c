#pragma once
// Fields that several resources' representations write alike: optional values as null,
// roles with their names, and the version and times every versioned resource shows.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/clock.hpp"

namespace tenantry::api {

// The value, or null when there is none.
nlohmann::json or_null(const std::optional<std::string>& value);
// A person's e-mail address, or null once they were erased (theirs opens as "").
nlohmann::json email_or_null(const std::string& email);
// The time in RFC 3339, or null when there is none.
nlohmann::json time_or_null(const std::optional<timestamp>& time);

// [{"id", "name"}] for role keys (built-in names, custom role ids) with their names; a key
// without a name shows itself.
nlohmann::json role_refs_json(const std::vector<std::string>& roles,
                              const std::vector<std::string>& names);

// `fields` with "version", "created_at" and "updated_at" from a row that has them.
template <class Row>
nlohmann::json versioned(nlohmann::json fields, const Row& row) {
  fields["version"] = row.version;
  fields["created_at"] = format_rfc3339(row.created_at);
  fields["updated_at"] = format_rfc3339(row.updated_at);
  return fields;
}

}  // namespace tenantry::api
