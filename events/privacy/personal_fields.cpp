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
constexpr std::array<std::string_view, 1> invitee{"invitee"};

constexpr std::array<personal_fields, 6> table{{
    {"tenantry.user.registered.v1", "id", registered},
    {"tenantry.user.updated.v1", "id", updated},
    {"tenantry.user.profile_changed.v1", "id", profile},
    {"tenantry.user.password_changed.v1", "id", password},
    {"tenantry.user.password_rehashed.v1", "id", password},
    {"tenantry.invitation.sent.v1", "invitee_person", invitee, "invitee"},
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

std::string address_person(const key_encryption_key& kek, std::string_view address) {
  std::string lower(address);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return "address:" + kek.keyed_hash(lower);
}

const personal_fields* personal_fields_of(std::string_view type) {
  for (const personal_fields& p : table)
    if (p.type == type) return &p;
  return nullptr;
}

result<void> seal_personal_fields(std::string_view type, nlohmann::json& data,
                                  const key_for_sealing& key_of, const key_encryption_key& kek) {
  const personal_fields* p = personal_fields_of(type);
  if (!p || !data.is_object()) return {};
  if (!p->derived_from.empty() && !data.contains(std::string(p->person))) {
    const auto from = data.find(std::string(p->derived_from));
    if (from == data.end() || !from->is_string() || is_sealed(from->get_ref<const std::string&>()))
      return {};
    data[std::string(p->person)] = address_person(kek, from->get_ref<const std::string&>());
  }
  const auto person = person_of(*p, data);
  if (!person) return {};  // no person, nothing to key by: the decoder refuses such a payload
  std::optional<data_key> key;
  for (std::string_view name : p->fields) {
    const auto it = data.find(std::string(name));
    if (it == data.end() || !it->is_string() || is_sealed(it->get_ref<const std::string&>()))
      continue;
    if (!key) {
      auto made = key_of(*person);
      if (!made) return std::unexpected(made.error());
      key = *made;
    }
    *it = seal(*key, *person, name, it->get_ref<const std::string&>());
  }
  return {};
}

result<void> open_personal_fields(std::string_view type, nlohmann::json& data,
                                  const key_for_opening& key_of) {
  const personal_fields* p = personal_fields_of(type);
  if (!p || !data.is_object()) return {};
  const auto person = person_of(*p, data);
  if (!p->derived_from.empty()) data.erase(std::string(p->person));  // not the event's own
  bool looked_up = false;
  std::optional<data_key> key;
  for (std::string_view name : p->fields) {
    const auto it = data.find(std::string(name));
    if (it == data.end() || !it->is_string() || !is_sealed(it->get_ref<const std::string&>()))
      continue;
    if (!looked_up && person) {
      auto found = key_of(*person);
      if (!found) return std::unexpected(found.error());
      key = *found;
    }
    looked_up = true;
    std::optional<std::string> plain;
    if (key) plain = open_sealed(*key, *person, name, it->get_ref<const std::string&>());
    *it = plain ? *plain : std::string(name == "name" ? erased_name : "");
  }
  return {};
}

}  // namespace tenantry
