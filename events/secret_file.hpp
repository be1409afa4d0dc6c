#pragma once
// Writes a new secret (a signing key, the data key-encryption key) to a file only its owner
// can read: created exclusively with mode 0600 and synced, or removed again on failure.

#include <filesystem>
#include <string_view>

#include "events/result.hpp"

namespace tenantry {

// Fails with errc::unavailable and `code` when the file exists or cannot be written.
result<void> write_secret_file(const std::filesystem::path& path, std::string_view contents,
                               std::string_view code);

}  // namespace tenantry
