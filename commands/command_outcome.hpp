#pragma once
// What a command's answer says, rendered on the writer thread once its events are applied,
// and kept with its last event for a retry with the same Idempotency-Key. Typed: the API
// chooses the HTTP status from it (api/http_status.hpp); nothing here knows HTTP.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/result.hpp"

namespace tenantry {

enum class outcome {
  created,     // a new resource, named by aggregate_id
  done,        // changed, or already as asked: the body shows the resource
  no_content,  // nothing to show (a delete, a revocation)
  absent,      // nothing to answer with: a lookup found nothing, a reused token was revoked
  refused,     // the events are recorded, but the answer is `refusal` (an invitation expired)
  unrendered,  // the events are recorded, but the answer could not be rendered (a bug)
};

struct command_outcome {
  outcome kind = outcome::done;
  std::string aggregate_id = {};                       // what the answer is about; empty: none
  std::optional<std::int64_t> version = std::nullopt;  // its version afterwards (the ETag)
  nlohmann::json body = nullptr;                       // its representation; null: none
  std::optional<error> refusal = std::nullopt;         // set with outcome::refused
  // An answer recorded before outcomes were typed ({"status": N, "body": "..."}): the
  // status it was given then, which a retry gets again.
  std::optional<unsigned> recorded_status = std::nullopt;
};

// An answer showing a resource at its version.
command_outcome showing(outcome kind, std::string aggregate_id, std::int64_t version,
                        nlohmann::json body);

// The idempotency record of an answer (the tenantry_response header), and back. Reading
// never fails: a record it cannot make sense of reads as outcome::unrendered.
std::string to_record(const command_outcome& o);
command_outcome from_record(std::string_view record);

}  // namespace tenantry
