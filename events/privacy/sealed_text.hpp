#pragma once
// A personal field as events carry it: sealed with its person's data key, so the log holds
// "pd1.<base64url>" where it held an email or a name. Once the key is destroyed the text
// cannot be read back by anyone (crypto-shredding; docs/privacy.md).

#include <optional>
#include <string>
#include <string_view>

#include "events/privacy/data_key.hpp"

namespace tenantry {

// Whether `text` has the sealed form (it may still not open with a given key).
bool is_sealed(std::string_view text);

// `plain` sealed for `subject` (the person's id) and `field` (its name in the event), both
// bound as associated data: a sealed value copied into another field or another person's
// event does not open there.
std::string seal(const data_key& key, std::string_view subject, std::string_view field,
                 std::string_view plain);

// The plain text, or nullopt when `sealed` is not the sealed form, was sealed with another
// key, for another subject or field, or was altered.
std::optional<std::string> open_sealed(const data_key& key, std::string_view subject,
                                       std::string_view field, std::string_view sealed);

}  // namespace tenantry
