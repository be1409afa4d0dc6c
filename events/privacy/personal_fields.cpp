#include "events/privacy/personal_fields.hpp"

#include <array>

#include "events/privacy/sealed_text.hpp"

namespace tenantry {
namespace {

constexpr std::array<std::string_view, 3> registered{"email", "name", "password_hash"};
constexpr std::array<std::string_view, 2> updated{"email", "name"};
constexpr std::array<std::string_view, 7> profile{"display_name", "locale",    "timezone", "phone",
                                                  "avatar_url",   "job_title", "bio"};
constexpr std::array<std::string_view, 1> password{"password_hash"};

constexpr std::array<personal_fields, 5> table{{
    {"tenantry.user.registered.v1", "id", registered},
    {"tenantry.user.updated.v1", "id", updated},
    {"tenantry.user.profile_changed.v1", "id", profile},
    {"tenantry.user.password_changed.v1", "id", password},
    {"tenantry.user.password_rehashed.v1", "id", password},
}};

// The person a payload is about: its `person` field, when that is a non-empty string.
std::optional<std::string> person_of(const personal_fields& p, const nlohmann::json& data) {
  if (!data.is_object()) return std::nullopt;
  const auto it = data.find(std::string(p.person));
  if (it == data.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

const personal_fields* personal_fields_of(std::string_view type) {
  for (const personal_fields& p : table)
    if (p.type == type) return &p;
  return nullptr;
}

void seal_personal_fields(std::string_view type, nlohmann::json& data,
                          const key_for_sealing& key_of) {
  const personal_fields* p = personal_fields_of(type);
  if (!p) return;
  const auto person = person_of(*p, data);
  if (!person) return;  // no person, nothing to key by: the decoder refuses such a payload
  std::optional<data_key> key;
  for (std::string_view name : p->fields) {
    const auto it = data.find(std::string(name));
    if (it == data.end() || !it->is_string() || is_sealed(it->get_ref<const std::string&>()))
      continue;
    if (!key) key = key_of(*person);
    *it = seal(*key, *person, name, it->get_ref<const std::string&>());
  }
}

void open_personal_fields(std::string_view type, nlohmann::json& data,
                          const key_for_opening& key_of) {
  const personal_fields* p = personal_fields_of(type);
  if (!p) return;
  const auto person = person_of(*p, data);
  bool looked_up = false;
  std::optional<data_key> key;
  for (std::string_view name : p->fields) {
    const auto it = data.find(std::string(name));
    if (it == data.end() || !it->is_string() || !is_sealed(it->get_ref<const std::string&>()))
      continue;
    if (!looked_up && person) key = key_of(*person);
    looked_up = true;
    std::optional<std::string> plain;
    if (key) plain = open_sealed(*key, *person, name, it->get_ref<const std::string&>());
    *it = plain ? *plain : std::string(name == "name" ? erased_name : "");
  }
}

}  // namespace tenantry
