// Kafka records -> events, as the projector and the writer's rebuild decode them: the
// CloudEvents headers (from_headers) and the JSON payload (decode -> event_from_json).
// Both come from the log as untrusted bytes.
//
// Input: header lines "key=value" (ce_type=tenantry.tenant.created.v1, ...), a blank line,
// then the payload. Without a blank line the whole input is the payload, of no type.
// Checks: nothing throws; what decodes encodes back to the same thing (headers and
// payload), so a decoded record can be written to the log again and read back.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "events/codec.hpp"
#include "events/envelope.hpp"

namespace tenantry {
namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "event_codec_fuzz: check failed: %s\n", what);
  std::abort();
}

struct record {
  header_list headers;
  std::string ce_type;  // the last ce_type header, as from_headers reads it
  std::string payload;
};

record split(std::string_view input) {
  record r;
  const auto blank = input.find("\n\n");
  if (blank == std::string_view::npos) {
    r.payload = std::string(input);
    return r;
  }
  r.payload = std::string(input.substr(blank + 2));
  std::string_view lines = input.substr(0, blank + 1);
  while (!lines.empty()) {
    const auto end = lines.find('\n');
    const std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 1);
    const auto eq = line.find('=');
    std::string key(line.substr(0, eq));
    std::string value(eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1));
    if (key == "ce_type") r.ce_type = value;
    r.headers.emplace_back(std::move(key), std::move(value));
  }
  return r;
}

// tenantry_response is written only when non-empty: an empty one reads back as absent.
std::optional<std::string> written_response(const event_metadata& m) {
  return m.response && !m.response->empty() ? m.response : std::nullopt;
}

void check_headers_round_trip(const event_metadata& meta, const std::string& type) {
  std::string type_again;
  const auto again = from_headers(to_headers(meta, type), type_again);
  check(again.has_value(), "headers from_headers accepted are accepted again once written");
  check(type_again == type, "ce_type round trip");
  check(again->event_id == meta.event_id && again->subject == meta.subject &&
            again->aggregate_type == meta.aggregate_type &&
            again->aggregate_version == meta.aggregate_version && again->time == meta.time &&
            again->actor == meta.actor && again->actor_token == meta.actor_token &&
            again->correlation_id == meta.correlation_id &&
            again->causation_id == meta.causation_id &&
            again->partition_key == meta.partition_key &&
            again->idempotency_key == meta.idempotency_key &&
            again->request_hash == meta.request_hash && again->response == written_response(meta),
        "metadata round trip");
}

void check_payload_round_trip(const recorded_event& decoded, const std::string& type) {
  check(event_type(decoded.data) == type, "the decoded event has the record's type");
  const stored_event written = encode(decoded);
  check(written.type == type, "encode keeps the type");
  const auto again = decode(written);
  check(again.has_value(), "an event decode accepted is accepted again once encoded");
  check(to_json(again->data) == to_json(decoded.data), "payload round trip");
  check(aggregate_id(again->data) == aggregate_id(decoded.data), "aggregate id round trip");
}

}  // namespace
}  // namespace tenantry

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tenantry;
  const record r = split(std::string_view(reinterpret_cast<const char*>(data), size));

  std::string type;
  const auto meta = from_headers(r.headers, type);
  if (meta) {
    check(type == r.ce_type, "from_headers reads the last ce_type");
    check_headers_round_trip(*meta, type);
  } else {
    check(meta.error().category == errc::invalid_argument, "bad headers are invalid_argument");
  }

  const stored_event stored{meta.value_or(event_metadata{}), r.ce_type, r.payload, 42};
  const auto decoded = decode(stored);
  if (!decoded) {
    check(decoded.error().category == errc::invalid_argument, "a bad payload is invalid_argument");
    return 0;
  }
  check(decoded->offset == 42, "decode keeps the offset");
  check_payload_round_trip(*decoded, r.ce_type);
  return 0;
}
