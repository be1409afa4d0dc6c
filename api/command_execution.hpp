#pragma once
// Sending a command from a route to the single writer: Idempotency-Key and request
// fingerprint, If-Match, and the answer with its ETag, X-Consistency-Token and
// Idempotent-Replayed headers.

#include <optional>

#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// The awaited reply of the writer; `render` builds the answer on the writer thread.
asio::awaitable<command_reply> send_command(services& s, const request_context& ctx, command cmd,
                                            response_renderer render, bool idempotent = true);

// The answer of a command whose success has no body: 204.
command_response no_content(const command_effect&);

// send_command, then the HTTP response.
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
