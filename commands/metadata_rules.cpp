#include "commands/metadata_rules.hpp"

#include <algorithm>
#include <string>

#include "events/text_length.hpp"

namespace tenantry {
namespace {

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::unexpected<error> bad_metadata(const char* field, std::string problem,
                                    const std::string* key) {
  nlohmann::json details = {{field, problem}};
  if (key) details["key"] = *key;
  return fail(errc::invalid_argument, "validation_error", std::string(field) + ": " + problem,
              std::move(details));
}

result<void> check_entry(const std::string& key, std::string_view value,
                         const metadata_limits& limits, const char* field) {
  if (key.empty() || key.size() > limits.max_key_length || !std::ranges::all_of(key, is_key_char))
    return bad_metadata(
        field,
        "keys must be 1-" + std::to_string(limits.max_key_length) + " characters of [a-z0-9_-]",
        &key);
  if (code_points(value) > limits.max_value_length)
    return bad_metadata(
        field, "values must be at most " + std::to_string(limits.max_value_length) + " characters",
        &key);
  return {};
}

}  // namespace

result<void> check_metadata(const metadata_map& metadata, const metadata_limits& limits,
                            const char* field) {
  if (metadata.size() > limits.max_keys)
    return bad_metadata(field, "must have at most " + std::to_string(limits.max_keys) + " keys",
                        nullptr);
  for (const auto& [key, value] : metadata)
    if (auto ok = check_entry(key, value, limits, field); !ok) return ok;
  return {};
}

result<void> check_metadata_patch(const metadata_patch& patch, const metadata_limits& limits,
                                  const char* field) {
  for (const auto& [key, value] : patch)
    if (auto ok = check_entry(key, value.value_or(""), limits, field); !ok) return ok;
  return {};
}

metadata_map patched(metadata_map metadata, const metadata_patch& patch) {
  for (const auto& [key, value] : patch) {
    if (value)
      metadata.insert_or_assign(key, *value);
    else
      metadata.erase(key);
  }
  return metadata;
}

}  // namespace tenantry
