#pragma once
// The rules of client metadata (events/metadata.hpp): which keys and values a resource
// takes, and a merge patch applied to a map. Shared by every resource that carries metadata.

#include <cstddef>

#include "events/metadata.hpp"
#include "events/result.hpp"

namespace tenantry {

struct metadata_limits {
  std::size_t max_keys = 64;
  std::size_t max_key_length = 64;      // of [a-z0-9_-]
  std::size_t max_value_length = 1024;  // each value, in code points as every length is
};

// A tenant's: at most 64 keys of [a-z0-9_-]{1,64}, values of at most 1,024 characters.
inline constexpr metadata_limits tenant_metadata_limits{};

// 400 validation_error naming `field` (and the offending key in the details) unless every
// key and value keeps to `limits`.
result<void> check_metadata(const metadata_map& metadata, const metadata_limits& limits,
                            const char* field = "metadata");
// The same for a patch's own keys and values, however many (the merged map counts them).
result<void> check_metadata_patch(const metadata_patch& patch, const metadata_limits& limits,
                                  const char* field = "metadata");

// RFC 7396 on a flat map: a value sets its key, nullopt removes it.
metadata_map patched(metadata_map metadata, const metadata_patch& patch);

}  // namespace tenantry
