#pragma once
// The one place where an error category becomes an HTTP status.

#include "events/result.hpp"

namespace tenantry::api {

unsigned http_status(errc category);

}  // namespace tenantry::api
