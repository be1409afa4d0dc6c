#include "api/http/json_input.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "api/http/tenant_reference.hpp"
#include "events/storable_text.hpp"
#include "events/text_length.hpp"

namespace tenantry::api {
namespace {

// The path of the first key or string of `j` holding U+0000, which the read side cannot
// store ("name", "profile.bio", "roles[1]"); none when every text is storable.
std::optional<std::string> unstorable_text(const nlohmann::json& j, const std::string& path) {
  if (j.is_string()) {
    if (!storable(j.get_ref<const std::string&>())) return path;
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      const std::string at = path.empty() ? key : path + "." + key;
      if (!storable(key)) return at;
      if (auto found = unstorable_text(value, at)) return found;
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto found = unstorable_text(j[i], path + "[" + std::to_string(i) + "]")) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> whole_number(const nlohmann::json& value) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (value.is_number_unsigned())
    return static_cast<std::int64_t>(
        std::min<std::uint64_t>(value.get<std::uint64_t>(), static_cast<std::uint64_t>(max)));
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (!value.is_number_float()) return std::nullopt;
  const double v = value.get<double>();
  if (!std::isfinite(v) || std::trunc(v) != v) return std::nullopt;
  // 2^63 is the first double past the range; every double below it converts exactly.
  if (v >= 9223372036854775808.0) return max;
  if (v < -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

bool nests_deeper_than(std::string_view body, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : body) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

const result<nlohmann::json>& json_body(const request_context& ctx) {
  if (ctx.parsed_body) return *ctx.parsed_body;
  const std::string& body = ctx.req.body();
  if (nests_deeper_than(body, max_json_depth))
    ctx.parsed_body = fail(errc::invalid_argument, "invalid_json",
                           "The body nests arrays and objects deeper than " +
                               std::to_string(max_json_depth) + " levels.",
                           {{"max_depth", max_json_depth}});
  else if (auto parsed = nlohmann::json::parse(body, nullptr, false); parsed.is_discarded())
    ctx.parsed_body = fail(errc::invalid_argument, "invalid_json", "The body is not valid JSON.");
  else
    ctx.parsed_body = std::move(parsed);
  return *ctx.parsed_body;
}

result<nlohmann::json> parse_json_object(const request_context& ctx, bool allow_empty) {
  const request& req = ctx.req;
  const std::string& body = req.body();
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    if (allow_empty) return nlohmann::json::object();
    return fail(errc::invalid_argument, "invalid_json", "The request needs a JSON object body.");
  }
  const auto type = req[http::field::content_type];
  if (!type.empty() && !type.starts_with("application/json") &&
      !type.starts_with("application/merge-patch+json"))
    return fail(errc::unsupported_media, "unsupported_media_type",
                "Send the body as application/json.");
  const auto& parsed_body = json_body(ctx);
  if (!parsed_body) return std::unexpected(parsed_body.error());
  const nlohmann::json& parsed = *parsed_body;
  if (!parsed.is_object())
    return fail(errc::invalid_argument, "invalid_json", "The body must be a JSON object.");
  if (auto field = unstorable_text(parsed, "")) {
    make_storable(*field);  // the field's name may hold it too
    return validation(*field, "must not contain U+0000");
  }
  return parsed;
}

void body_reader::problem(const char* field, std::string what) {
  problems_[field] = std::move(what);
}

std::optional<std::string> body_reader::text(const char* field, bool required,
                                             std::size_t max_length) {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    if (required) problem(field, "is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    problem(field, "must be a string");
    return std::nullopt;
  }
  auto value = it->get<std::string>();
  if (code_points(value) > max_length) {  // as the schemas' maxLength counts
    problem(field, "must be at most " + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return value;
}

std::optional<nlohmann::json> body_reader::value(const char* field, bool required) {
  const auto it = body_.find(field);
  if (it == body_.end()) {
    if (required) problem(field, "is required");
    return std::nullopt;
  }
  return *it;
}

std::optional<std::optional<std::string>> body_reader::nullable_text(const char* field,
                                                                     std::size_t max_length) {
  const auto it = body_.find(field);
  if (it == body_.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>();
  if (auto value = text(field, false, max_length)) return std::optional<std::string>(*value);
  return std::nullopt;
}

std::optional<std::optional<std::string>> body_reader::nullable_reference(const char* field,
                                                                          std::size_t max_length) {
  const auto it = body_.find(field);
  if (it == body_.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>();
  auto ref = tenant_reference(*it, max_length);
  if (!ref) {
    problem(field, std::move(ref.error()));
    return std::nullopt;
  }
  return std::optional<std::string>(std::move(*ref));
}

std::optional<std::vector<std::string>> body_reader::text_list(const char* field,
                                                               std::size_t max_items) {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || it->size() > max_items) {
    problem(field, "must be a list of at most " + std::to_string(max_items) + " strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string() || code_points(item.get_ref<const std::string&>()) > 200) {
      problem(field, "must be a list of strings");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<metadata_patch> body_reader::string_map(const char* field, bool nulls) {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  const char* expected =
      nulls ? "must be an object of strings or nulls" : "must be an object of strings";
  if (!it->is_object()) {
    problem(field, expected);
    return std::nullopt;
  }
  metadata_patch out;
  for (const auto& [key, value] : it->items()) {
    if (value.is_string())
      out.emplace(key, value.get<std::string>());
    else if (nulls && value.is_null())
      out.emplace(key, std::nullopt);
    else {
      problem(field, expected);
      return std::nullopt;
    }
  }
  return out;
}

std::optional<metadata_map> body_reader::metadata(const char* field) {
  auto given = string_map(field, false);
  if (!given) return std::nullopt;
  metadata_map out;
  for (auto& [key, value] : *given) out.emplace(key, std::move(*value));
  return out;
}

std::optional<metadata_patch> body_reader::metadata_merge_patch(const char* field) {
  return string_map(field, true);
}

result<void> body_reader::finish() const {
  if (problems_.empty()) return {};
  std::string message = "Invalid fields:";
  for (const auto& [field, what] : problems_.items())
    message += " " + field + " " + what.get<std::string>() + ";";
  message.pop_back();
  message += ".";
  return fail(errc::invalid_argument, "validation_error", message, problems_);
}

}  // namespace tenantry::api
