#include "events/secret_compare.hpp"

#include <sodium.h>

namespace tenantry {

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tenantry
