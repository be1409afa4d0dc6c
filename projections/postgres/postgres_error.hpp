#pragma once
// The edge where libpqxx exceptions become tenantry errors (errors as values).

#include <exception>

#include "events/result.hpp"

namespace tenantry {

// Maps the exception in flight (call from a catch block) to an error:
// a lost or refused connection, a server shutting down, a serialization failure or a
// deadlock -> unavailable "database_unavailable"; anything else -> internal "database_error".
error current_database_error();

}  // namespace tenantry
