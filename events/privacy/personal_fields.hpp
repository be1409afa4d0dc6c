#pragma once
// Which fields of which events are personal, and whose: what crypto-shredding seals in an
// event's JSON payload on its way to the log and opens on its way back (docs/privacy.md).
// A field whose person's key is gone opens as erased: "" ("erased user" for a name).

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/privacy/data_key.hpp"
#include "events/result.hpp"

namespace tenantry {

inline constexpr std::string_view erased_name = "erased user";

// The personal fields of one event type, and the field holding the id of their person.
// With `derived_from` set the person field is not the event's own: the sealer adds it (the
// person named by that field's address, address_person) and the opener takes it out.
struct personal_fields {
  std::string_view type;
  std::string_view person;
  std::span<const std::string_view> fields;
  std::string_view derived_from{};
};

// The person an e-mail address names before (or without) an account: "address:" and the
// KEK-keyed hash of the lowercased address, which nobody without the KEK can reverse.
std::string address_person(const key_encryption_key& kek, std::string_view address);

// The personal fields of events of `type`; nullptr when they carry none.
const personal_fields* personal_fields_of(std::string_view type);

// The writer's view of the key store: the person's key, created on first use.
using key_for_sealing = std::function<result<data_key>(std::string_view person)>;
// A reader's view: the person's key, or nullopt once they were erased.
using key_for_opening = std::function<result<std::optional<data_key>>(std::string_view person)>;

// Seals in place every personal string field of `data`, an event payload of type `type`
// (fields already sealed, absent or not strings are left as they are). Fails only when a
// key cannot be had; `data` must then not be appended.
result<void> seal_personal_fields(std::string_view type, nlohmann::json& data,
                                  const key_for_sealing& key_of, const key_encryption_key& kek);

// Opens in place every sealed field of `data`; one that does not open (its person erased,
// or altered) becomes its erased form. Plain fields (events written before sealing) stay.
// Fails only when the key store cannot answer: nothing is then known about the fields.
result<void> open_personal_fields(std::string_view type, nlohmann::json& data,
                                  const key_for_opening& key_of);

}  // namespace tenantry
