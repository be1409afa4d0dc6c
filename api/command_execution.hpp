#pragma once
// Sending a command from a route to the single writer: Idempotency-Key and request
// fingerprint, If-Match, and the answer with its ETag, X-Consistency-Token and
// Idempotent-Replayed headers.

#include <memory>
#include <optional>

#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// The awaited reply of the writer; `render` builds the answer on the writer thread.
asio::awaitable<command_reply> send_command(services& s, const request_context& ctx, command cmd,
                                            response_renderer render, bool idempotent = true);

// The answer of a command whose success has no body: 204.
command_outcome no_content(const command_effect&);

// The HTTP response to the writer's reply: the status its outcome says (http_status), the
// body, ETag from its version, X-Consistency-Token and Idempotent-Replayed.
response respond(const command_reply& reply);

// The answer to a command that creates a resource with a secret (an API token's, an
// invitation's): the one fresh answer shows it in `field`, with `Location: <location
// prefix><id>` and `Cache-Control: no-store`. A replay (same Idempotency-Key) is answered
// from the log, which never held the secret.
response reveal_once(command_reply reply, const char* field, const std::string& secret,
                     const std::string& location_prefix);

// What a renderer reads from the write model for the handler itself (a lookup's
// credentials), filled on the writer thread before the reply comes back, so the handler
// reads it once the reply is in; empty when there was nothing to read.
template <class T>
using read_through_writer = std::shared_ptr<std::optional<T>>;
template <class T>
read_through_writer<T> read_through() {
  return std::make_shared<std::optional<T>>();
}

// send_command, then respond.
asio::awaitable<response> execute(services& s, const request_context& ctx, command cmd,
                                  response_renderer render, bool idempotent = true);

// If-Match: "<version>" -> the expected version; absent or * -> none; garbage -> 400.
result<std::optional<std::int64_t>> if_match(const request_context& ctx);

// "t1.<offset>", the opaque X-Consistency-Token, and back.
std::string consistency_token(std::int64_t offset);
std::optional<std::int64_t> parse_consistency_token(std::string_view token);

// For a GET with X-Consistency-Token: waits (without blocking a thread) until the read
// models include that offset; 503 not_yet_consistent after the configured wait.
asio::awaitable<result<void>> await_consistency(services& s, const request_context& ctx);

}  // namespace tenantry::api
