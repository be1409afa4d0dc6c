#include "api/command_execution.hpp"

#include <charconv>

#include "api/auth/secret_token.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/http_status.hpp"
#include "events/storable_text.hpp"

namespace tenantry::api {

command_outcome no_content(const command_effect&) {
  return command_outcome{.kind = outcome::no_content};
}

asio::awaitable<command_reply> send_command(services& s, const request_context& ctx, command cmd,
                                            response_renderer render, bool idempotent) {
  std::string key = idempotent ? ctx.header("Idempotency-Key") : std::string();
  if (key.size() > 255)
    co_return command_reply{
        fail(errc::invalid_argument, "validation_error",
             "Idempotency-Key must be at most 255 characters.", {{"Idempotency-Key", "too long"}}),
        false, -1};
  if (!storable(key))
    co_return command_reply{validation("Idempotency-Key", "must not contain U+0000"), false, -1};
  // The same request: the same method, target and body.
  std::string hash = key.empty()
                         ? std::string()
                         : token_hash(std::string(ctx.req.method_string()) + ' ' +
                                      std::string(ctx.req.target()) + '\n' + ctx.req.body());
  command_request request{
      std::move(cmd),
      ctx.caller ? ctx.caller->user_id : std::string("anonymous"),
      ctx.request_id,
      std::move(key),
      std::move(hash),
      std::move(render),
      {},
      ctx.authorizations,
      ctx.caller && ctx.caller->token ? ctx.caller->token->limit.token_id : std::string()};
  std::function<void(std::function<void(command_reply)>)> submit =
      [&s, request = std::move(request)](std::function<void(command_reply)> done) mutable {
        request.done = std::move(done);
        s.writer.submit(std::move(request));
      };
  co_return co_await await_elsewhere<command_reply>(std::move(submit));
}

response respond(const command_reply& reply) {
  if (!reply.response) return error_response(reply.response.error());
  const command_outcome& o = *reply.response;
  response res =
      o.kind == outcome::unrendered
          ? error_response(errc::internal, "internal",
                           "The change was recorded but its answer could not be rendered.")
      : o.refusal && !o.recorded_status ? error_response(*o.refusal)
      : o.body.is_null()                ? json_response(http_status(o), std::string())
                                        : json_response(http_status(o), o.body);
  if (reply.offset >= 0) res.set("X-Consistency-Token", consistency_token(reply.offset));
  if (reply.replayed) res.set("Idempotent-Replayed", "true");
  if (res.result_int() < 300 && !res.body().empty() && o.version) set_etag(res, *o.version);
  return res;
}

response reveal_once(command_reply reply, const char* field, const std::string& secret,
                     const std::string& location_prefix) {
  const bool fresh = reply.response && !reply.replayed &&
                     reply.response->kind == outcome::created && reply.response->body.is_object();
  if (fresh) reply.response->body[field] = secret;
  response res = respond(reply);
  if (fresh) {
    res.set(http::field::location, location_prefix + reply.response->aggregate_id);
    res.set(http::field::cache_control, "no-store");
  }
  return res;
}

asio::awaitable<response> execute(services& s, const request_context& ctx, command cmd,
                                  response_renderer render, bool idempotent) {
  command_reply reply =
      co_await send_command(s, ctx, std::move(cmd), std::move(render), idempotent);
  co_return respond(reply);
}

result<std::optional<std::int64_t>> if_match(const request_context& ctx) {
  if (ctx.req.find(http::field::if_match) == ctx.req.end()) return std::optional<std::int64_t>();
  std::string value = ctx.header("If-Match");
  if (value == "*") return std::optional<std::int64_t>();
  std::string_view v = value;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::int64_t version = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || end != v.data() + v.size() || version < 0)
    return fail(errc::invalid_argument, "validation_error",
                "If-Match must be a version, e.g. \"3\".", {{"If-Match", "not a version"}});
  return std::optional<std::int64_t>(version);
}

std::string consistency_token(std::int64_t offset) {
  return "t1." + std::to_string(offset);
}

// Exactly what consistency_token writes: "t1." and the offset in decimal, no sign, no
// leading zero, at most 18 digits (the documented pattern ^t1\.(0|[1-9][0-9]{0,17})$).
std::optional<std::int64_t> parse_consistency_token(std::string_view token) {
  if (!token.starts_with("t1.")) return std::nullopt;
  token.remove_prefix(3);
  if (token.empty() || token.size() > 18 || (token.size() > 1 && token.front() == '0'))
    return std::nullopt;
  std::int64_t offset = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), offset);
  if (ec != std::errc() || end != token.data() + token.size() || offset < 0) return std::nullopt;
  return offset;
}

asio::awaitable<result<void>> await_consistency(services& s, const request_context& ctx) {
  const std::string token = ctx.header("X-Consistency-Token");
  if (token.empty()) co_return result<void>{};
  const auto offset = parse_consistency_token(token);
  if (!offset)
    co_return fail(errc::invalid_argument, "validation_error",
                   "X-Consistency-Token is not a token this server issued.",
                   {{"X-Consistency-Token", "malformed"}});
  const auto deadline = std::chrono::steady_clock::now() + s.settings.consistency_wait;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto pause = std::chrono::milliseconds(1);
  while (s.read_side.position() <= *offset) {
    if (std::chrono::steady_clock::now() >= deadline)
      co_return fail(errc::unavailable, "not_yet_consistent",
                     "The read models have not caught up with that change yet; retry.");
    timer.expires_after(pause);
    co_await timer.async_wait(asio::use_awaitable);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  co_return result<void>{};
}

}  // namespace tenantry::api
