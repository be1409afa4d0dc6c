#pragma once
// The one place where an error category or a command's outcome becomes an HTTP status.

#include "commands/command_outcome.hpp"
#include "events/result.hpp"

namespace tenantry::api {

unsigned http_status(errc category);
// 201 created, 200 done, 204 no_content; a refusal's status is its error's; an answer
// recorded before outcomes were typed keeps the status it was recorded with.
unsigned http_status(const command_outcome& o);

}  // namespace tenantry::api
