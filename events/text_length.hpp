#pragma once
// The length of text as JSON Schema's maxLength and minLength count it, and as users read
// it: Unicode code points of UTF-8, not bytes. Every length limit of a request (and of a
// password) is stated and checked in these units, so that the OpenAPI document and the
// server agree.

#include <cstddef>
#include <string_view>

namespace tenantry {

// The code points of `utf8` (bytes that do not continue a sequence); for valid UTF-8,
// which every JSON string nlohmann_json parsed is.
inline std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace tenantry
