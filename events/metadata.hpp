#pragma once
// Metadata: a flat map of short strings that a client attaches to a resource (a tenant's
// `metadata`, a document's `X-Meta-*`), kept in key order so that equal maps encode alike.

#include <map>
#include <optional>
#include <string>

namespace tenantry {

using metadata_map = std::map<std::string, std::string>;

// A JSON merge patch of metadata (RFC 7396 on a flat map): a value sets its key, nullopt
// removes it.
using metadata_patch = std::map<std::string, std::optional<std::string>>;

}  // namespace tenantry
