#pragma once
// `tenantry projections status`: where each projector of a schema stands, and the event it
// is stopped at when one fails on its data (projections/projector.hpp, projection_fault).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/result.hpp"

namespace tenantry::cli {

struct projector_standing {
  std::string projection;  // "read_models"
  std::int64_t next_offset = 0;
  std::optional<std::int64_t> fault_offset;
  std::string fault_event_id, fault_type, fault_message, fault_detected_at;
};

// Every projector on record in `schema`. Errors: "schema_not_found" (not_found), or the
// database's (projections/postgres/postgres_error.hpp).
result<std::vector<projector_standing>> projector_standings(const std::string& database_url,
                                                            const std::string& schema);

// One line per projector: "read_models: next offset 1234", and under it the event it is
// stopped at, if any.
std::string render(const std::vector<projector_standing>& standings);

}  // namespace tenantry::cli
