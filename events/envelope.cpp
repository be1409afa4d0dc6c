#include "events/envelope.hpp"

#include <charconv>
#include <string_view>

#include "events/codec.hpp"
#include "events/privacy/event_privacy.hpp"

namespace tenantry {
namespace {

namespace h {
constexpr std::string_view specversion = "ce_specversion";
constexpr std::string_view id = "ce_id";
constexpr std::string_view type = "ce_type";
constexpr std::string_view source = "ce_source";
constexpr std::string_view subject = "ce_subject";
constexpr std::string_view time = "ce_time";
constexpr std::string_view content_type = "content-type";
constexpr std::string_view aggregate_type = "tenantry_aggregate_type";
constexpr std::string_view aggregate_version = "tenantry_aggregate_version";
constexpr std::string_view actor = "tenantry_actor";
constexpr std::string_view actor_token = "tenantry_actor_token";
constexpr std::string_view correlation_id = "tenantry_correlation_id";
constexpr std::string_view causation_id = "tenantry_causation_id";
constexpr std::string_view partition_key = "tenantry_partition_key";
constexpr std::string_view idempotency_key = "tenantry_idempotency_key";
constexpr std::string_view request_hash = "tenantry_request_hash";
constexpr std::string_view response = "tenantry_response";
}  // namespace h

std::unexpected<error> invalid_envelope(std::string message, std::string_view header) {
  return fail(errc::invalid_argument, "invalid_event", std::move(message),
              {{"header", std::string(header)}});
}

// The last value of each header we know; Kafka allows repeats, and the last one wins.
struct header_view {
  const std::string* specversion = nullptr;
  const std::string* id = nullptr;
  const std::string* type = nullptr;
  const std::string* subject = nullptr;
  const std::string* time = nullptr;
  const std::string* aggregate_type = nullptr;
  const std::string* aggregate_version = nullptr;
  const std::string* actor = nullptr;
  const std::string* actor_token = nullptr;
  const std::string* correlation_id = nullptr;
  const std::string* causation_id = nullptr;
  const std::string* partition_key = nullptr;
  const std::string* idempotency_key = nullptr;
  const std::string* request_hash = nullptr;
  const std::string* response = nullptr;

  explicit header_view(const header_list& headers) {
    for (const auto& [key, value] : headers) {
      if (const std::string** slot = slot_for(key)) *slot = &value;
    }
  }

 private:
  const std::string** slot_for(std::string_view key) {
    if (key == h::specversion) return &specversion;
    if (key == h::id) return &id;
    if (key == h::type) return &type;
    if (key == h::subject) return &subject;
    if (key == h::time) return &time;
    if (key == h::aggregate_type) return &aggregate_type;
    if (key == h::aggregate_version) return &aggregate_version;
    if (key == h::actor) return &actor;
    if (key == h::actor_token) return &actor_token;
    if (key == h::correlation_id) return &correlation_id;
    if (key == h::causation_id) return &causation_id;
    if (key == h::partition_key) return &partition_key;
    if (key == h::idempotency_key) return &idempotency_key;
    if (key == h::request_hash) return &request_hash;
    if (key == h::response) return &response;
    return nullptr;
  }
};

std::string value_or_empty(const std::string* v) {
  return v ? *v : std::string();
}

}  // namespace

header_list to_headers(const event_metadata& meta, std::string_view type) {
  header_list out;
  out.reserve(16);
  auto add = [&](std::string_view key, std::string value) {
    out.emplace_back(std::string(key), std::move(value));
  };
  add(h::specversion, "1.0");
  add(h::id, meta.event_id);
  add(h::type, std::string(type));
  add(h::source, std::string(cloudevents_source));
  add(h::subject, meta.subject);
  add(h::time, format_rfc3339(meta.time));
  add(h::content_type, "application/json");
  add(h::aggregate_type, meta.aggregate_type);
  add(h::aggregate_version, std::to_string(meta.aggregate_version));
  add(h::actor, meta.actor);
  if (!meta.actor_token.empty()) add(h::actor_token, meta.actor_token);
  add(h::correlation_id, meta.correlation_id);
  add(h::causation_id, meta.causation_id);
  add(h::partition_key, meta.partition_key);
  if (!meta.idempotency_key.empty()) add(h::idempotency_key, meta.idempotency_key);
  if (!meta.request_hash.empty()) add(h::request_hash, meta.request_hash);
  if (meta.response && !meta.response->empty()) add(h::response, *meta.response);
  return out;
}

result<event_metadata> from_headers(const header_list& headers, std::string& type) {
  const header_view v(headers);
  if (!v.specversion) return invalid_envelope("missing header ce_specversion", h::specversion);
  if (*v.specversion != "1.0")
    return invalid_envelope("unsupported CloudEvents version " + *v.specversion, h::specversion);
  if (!v.id || v.id->empty()) return invalid_envelope("missing header ce_id", h::id);
  if (!v.type || v.type->empty()) return invalid_envelope("missing header ce_type", h::type);
  if (!v.subject) return invalid_envelope("missing header ce_subject", h::subject);
  if (!v.time) return invalid_envelope("missing header ce_time", h::time);
  if (!v.aggregate_type)
    return invalid_envelope("missing header tenantry_aggregate_type", h::aggregate_type);
  if (!v.aggregate_version)
    return invalid_envelope("missing header tenantry_aggregate_version", h::aggregate_version);

  event_metadata meta;
  const auto time = parse_rfc3339(*v.time);
  if (!time) return invalid_envelope("ce_time is not an RFC 3339 timestamp", h::time);
  meta.time = *time;

  const std::string& version = *v.aggregate_version;
  const char* end = version.data() + version.size();
  const auto [ptr, ec] = std::from_chars(version.data(), end, meta.aggregate_version);
  if (version.empty() || ec != std::errc() || ptr != end || meta.aggregate_version < 0)
    return invalid_envelope("tenantry_aggregate_version must be a non-negative integer",
                            h::aggregate_version);

  meta.event_id = *v.id;
  meta.subject = *v.subject;
  meta.aggregate_type = *v.aggregate_type;
  meta.actor = value_or_empty(v.actor);
  meta.actor_token = value_or_empty(v.actor_token);
  meta.correlation_id = value_or_empty(v.correlation_id);
  meta.causation_id = value_or_empty(v.causation_id);
  meta.partition_key = value_or_empty(v.partition_key);
  meta.idempotency_key = value_or_empty(v.idempotency_key);
  meta.request_hash = value_or_empty(v.request_hash);
  if (v.response) meta.response = *v.response;
  type = *v.type;
  return meta;
}

stored_event encode(const recorded_event& e) {
  stored_event out;
  out.meta = e.meta;
  out.type = std::string(event_type(e.data));
  // Replace invalid UTF-8 rather than throw: encode() has no error path, and a string that
  // slipped past validation must not take the writer down.
  out.data = to_json(e.data).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.offset = e.offset;
  return out;
}

result<recorded_event> decode(const stored_event& e, event_privacy* privacy) {
  try {
    auto data = nlohmann::json::parse(e.data, nullptr, /*allow_exceptions=*/false);
    if (data.is_discarded())
      return fail(errc::invalid_argument, "invalid_event", e.type + ": data is not valid JSON",
                  {{"type", e.type}});
    event_metadata meta = e.meta;
    if (privacy)
      if (auto opened = privacy->open(e.type, data, meta); !opened)
        return std::unexpected(std::move(opened.error()));
    auto payload = event_from_json(e.type, data);
    if (!payload) return std::unexpected(std::move(payload.error()));
    return recorded_event{std::move(meta), std::move(*payload), e.offset};
  } catch (const std::exception& ex) {  // allocation failure or a too-deep document
    return fail(errc::invalid_argument, "invalid_event", e.type + ": " + ex.what(),
                {{"type", e.type}});
  }
}

}  // namespace tenantry
