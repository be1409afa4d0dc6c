#pragma once
// The envelope around each event: CloudEvents 1.0 attributes (binary mode, in Kafka
// headers) plus tenantry's own: aggregate type and version, actor, correlation and
// causation ids, and the idempotency record of the command that produced it.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/clock.hpp"
#include "events/event.hpp"
#include "events/result.hpp"

namespace tenantry {

struct event_metadata {
  std::string event_id;  // ce_id, a UUIDv7
  std::string subject;   // ce_subject: the aggregate id
  std::string aggregate_type;
  std::int64_t aggregate_version = 0;  // the aggregate's version after this event
  timestamp time{};                    // ce_time
  std::string actor;                   // user id, or "system"
  std::string actor_token{};           // the API token the actor acted through; empty: none
  std::string correlation_id;          // the request that caused it
  std::string causation_id;            // the command (or event) that caused it
  std::string partition_key;           // the id of the aggregate's root organization
  // Idempotency: set on every event of a command sent with an Idempotency-Key.
  std::string idempotency_key;
  std::string request_hash;
  // On the last event of such a command: the answer it got, {"status": .., "body": ..}.
  std::optional<std::string> response;
};

// An event with its envelope; `offset` is its position in the log once appended.
struct recorded_event {
  event_metadata meta;
  event data;
  std::int64_t offset = -1;
};

// An event as it travels and as the archive keeps it: type and JSON text, undecoded.
struct stored_event {
  event_metadata meta;
  std::string type;
  std::string data;  // JSON
  std::int64_t offset = -1;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view cloudevents_source = "/tenantry";

// CloudEvents binary-mode headers (ce_*) plus tenantry_* headers.
header_list to_headers(const event_metadata& meta, std::string_view type);
// Fails with invalid_argument when a required header is missing or malformed; `type` gets ce_type.
result<event_metadata> from_headers(const header_list& headers, std::string& type);

class event_privacy;  // events/privacy/event_privacy.hpp

// An event as the log takes it; its personal fields are still plain (event_privacy::seal).
stored_event encode(const recorded_event& e);
// An event as read back. Without `privacy` sealed fields stay sealed: for events that have
// none (a tenant's history) and for tests. With it they are opened (erased when their key
// is gone); a key store that does not answer fails the decode with its own error code.
result<recorded_event> decode(const stored_event& e, event_privacy* privacy = nullptr);

}  // namespace tenantry
