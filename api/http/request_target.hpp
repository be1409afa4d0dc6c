#pragma once
// Request targets as the router may match them: a path is refused (400 bad_request) unless
// it is canonical, so that no two spellings of one route exist (`//v1/tenants` was served,
// and escaped the rate limits that key on `/v1/`). Canonical: starts with "/", no empty
// segment (no "//", no trailing "/" but the root itself), no "." or ".." segment (plain or
// percent-encoded), and no percent-encoded "/" or "\" inside a segment.

#include <string_view>

#include "events/result.hpp"

namespace tenantry::api {

result<void> check_canonical_path(std::string_view encoded_path);

}  // namespace tenantry::api
