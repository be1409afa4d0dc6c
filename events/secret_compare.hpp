#pragma once
// Comparing secrets and their hashes (token hashes, password hashes) in time that does not
// depend on where they differ (libsodium's sodium_memcmp): a timing difference must not
// tell a guesser how much of a hash it got right. Lengths are not secret.

#include <string_view>

namespace tenantry {

bool same_secret(std::string_view a, std::string_view b);

}  // namespace tenantry
