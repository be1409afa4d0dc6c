#include "api/http/json_input.hpp"

namespace tenantry::api {

result<nlohmann::json> parse_json_object(const request& req, bool allow_empty) {
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
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded())
    return fail(errc::invalid_argument, "invalid_json", "The body is not valid JSON.");
  if (!parsed.is_object())
    return fail(errc::invalid_argument, "invalid_json", "The body must be a JSON object.");
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
  if (value.size() > max_length) {
    problem(field, "must be at most " + std::to_string(max_length) + " bytes");
    return std::nullopt;
  }
  return value;
}

std::optional<std::optional<std::string>> body_reader::nullable_text(const char* field,
                                                                     std::size_t max_length) {
  const auto it = body_.find(field);
  if (it == body_.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>();
  if (auto value = text(field, false, max_length)) return std::optional<std::string>(*value);
  return std::nullopt;
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
    if (!item.is_string() || item.get_ref<const std::string&>().size() > 200) {
      problem(field, "must be a list of strings");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
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
