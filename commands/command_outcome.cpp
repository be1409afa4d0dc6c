#include "commands/command_outcome.hpp"

#include <array>
#include <utility>

namespace tenantry {
namespace {

using nlohmann::json;

std::string_view name_of(outcome o) {
  switch (o) {
    case outcome::created:
      return "created";
    case outcome::done:
      return "done";
    case outcome::no_content:
      return "no_content";
    case outcome::absent:
      return "absent";
    case outcome::refused:
      return "refused";
    case outcome::unrendered:
      return "unrendered";
  }
  return "unrendered";
}

std::string_view name_of(errc c) {
  switch (c) {
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::unauthenticated:
      return "unauthenticated";
    case errc::permission_denied:
      return "permission_denied";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::version_conflict:
      return "version_conflict";
    case errc::payload_too_large:
      return "payload_too_large";
    case errc::unsupported_media:
      return "unsupported_media";
    case errc::unprocessable:
      return "unprocessable";
    case errc::rate_limited:
      return "rate_limited";
    case errc::unavailable:
      return "unavailable";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

// Every value of the enum, for reading its name back.
template <class E, std::size_t N>
std::optional<E> named(std::string_view name, const std::array<E, N>& all) {
  for (E e : all)
    if (name_of(e) == name) return e;
  return std::nullopt;
}

constexpr std::array all_outcomes{outcome::created, outcome::done,    outcome::no_content,
                                  outcome::absent,  outcome::refused, outcome::unrendered};
constexpr std::array all_errcs{
    errc::invalid_argument,  errc::unauthenticated,   errc::permission_denied,
    errc::not_found,         errc::conflict,          errc::version_conflict,
    errc::payload_too_large, errc::unsupported_media, errc::unprocessable,
    errc::rate_limited,      errc::unavailable,       errc::internal};

command_outcome unreadable() {
  return command_outcome{.kind = outcome::unrendered};
}

// {"status": N, "body": "<json text>"}, as every answer was recorded before.
command_outcome from_status_record(const json& j) {
  const auto& status = j["status"];
  if (!status.is_number_unsigned()) return unreadable();
  command_outcome o;
  o.recorded_status = status.get<unsigned>();
  o.kind = *o.recorded_status == 201   ? outcome::created
           : *o.recorded_status == 204 ? outcome::no_content
           : *o.recorded_status < 300  ? outcome::done
                                       : outcome::refused;
  if (const auto body = j.find("body"); body != j.end() && body->is_string()) {
    const std::string& text = body->get_ref<const std::string&>();
    if (!text.empty()) o.body = json::parse(text, nullptr, false);
  }
  if (o.body.is_discarded()) return unreadable();
  if (o.body.is_object()) {
    if (const auto id = o.body.find("id"); id != o.body.end() && id->is_string())
      o.aggregate_id = id->get<std::string>();
    if (const auto v = o.body.find("version"); v != o.body.end() && v->is_number_integer())
      o.version = v->get<std::int64_t>();
  }
  return o;
}

}  // namespace

command_outcome showing(outcome kind, std::string aggregate_id, std::int64_t version,
                        nlohmann::json body) {
  return command_outcome{kind, std::move(aggregate_id), version, std::move(body)};
}

std::string to_record(const command_outcome& o) {
  json j{{"outcome", name_of(o.kind)}, {"body", o.body}};
  if (!o.aggregate_id.empty()) j["id"] = o.aggregate_id;
  if (o.version) j["version"] = *o.version;
  if (o.refusal)
    j["refusal"] = {{"category", name_of(o.refusal->category)},
                    {"code", o.refusal->code},
                    {"message", o.refusal->message},
                    {"details", o.refusal->details}};
  if (o.recorded_status) j["status"] = *o.recorded_status;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

command_outcome from_record(std::string_view record) {
  const json j = json::parse(record, nullptr, false);
  if (!j.is_object()) return unreadable();
  const auto kind = j.find("outcome");
  if (kind == j.end()) return j.contains("status") ? from_status_record(j) : unreadable();
  if (!kind->is_string()) return unreadable();
  command_outcome o;
  const auto k = named(kind->get_ref<const std::string&>(), all_outcomes);
  if (!k) return unreadable();
  o.kind = *k;
  if (const auto body = j.find("body"); body != j.end()) o.body = *body;
  if (const auto id = j.find("id"); id != j.end() && id->is_string())
    o.aggregate_id = id->get<std::string>();
  if (const auto v = j.find("version"); v != j.end() && v->is_number_integer())
    o.version = v->get<std::int64_t>();
  if (const auto s = j.find("status"); s != j.end() && s->is_number_unsigned())
    o.recorded_status = s->get<unsigned>();
  if (const auto r = j.find("refusal"); r != j.end() && r->is_object()) {
    const auto category =
        named(r->value("category", std::string()), all_errcs).value_or(errc::internal);
    o.refusal = error{category, r->value("code", std::string()), r->value("message", std::string()),
                      r->value("details", json::object())};
  }
  if (o.kind == outcome::refused && !o.refusal) return unreadable();
  return o;
}

}  // namespace tenantry
