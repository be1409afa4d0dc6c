// The request pipeline: parse the target, route, authenticate, run the handler, and stamp
// the response (request id, keep-alive). Nothing a client sends can make it throw.

#include <spdlog/spdlog.h>
#include <boost/url/parse.hpp>

#include "api/auth/token_authentication.hpp"
#include "api/auth/user_standing.hpp"
#include "api/command_execution.hpp"
#include "api/guards/guard_enforcement.hpp"
#include "api/http/json_input.hpp"
#include "api/http/request_target.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "events/storable_text.hpp"

namespace tenantry::api {
namespace {

std::string request_id_of(const request& req) {
  const auto given = req["X-Request-Id"];
  const bool usable =
      !given.empty() && given.size() <= 128 && std::ranges::all_of(given, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
  return usable ? std::string(given) : new_uuid_v7();
}

result<principal> authenticate(const services& s, const request& req) {
  const auto header = req[http::field::authorization];
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), header.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      }))
    return fail(errc::unauthenticated, "unauthenticated", "A Bearer access token is required.");
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(s.clock().time_since_epoch()).count();
  auto claims = s.verifier.verify(header.substr(scheme.size()), now);
  if (!claims) {
    spdlog::debug("rejected access token: {}", claims.error().message);
    return fail(errc::unauthenticated, "unauthenticated",
                "The access token is invalid or expired.");
  }
  return principal{claims->subject, claims->platform_roles, std::nullopt, claims->generation};
}

// Counts the request against the caller's limits; the tighter decision is the answer.
rate_decision count_request(services& s, const request& req, const std::string& who) {
  const auto now = rate_limiter::clock::now();
  rate_decision d = s.limits->requests.take(who, now);
  if (d.allowed && is_write(req.method()) && s.limits->writes.enabled()) {
    const rate_decision w = s.limits->writes.take(who, now);
    if (!w.allowed || d.limit == 0 || w.remaining < d.remaining) d = w;
  }
  return d;
}

// 400 validation_error naming a path or query parameter whose decoded value holds
// U+0000: no event may carry text the read side cannot store.
result<void> unstorable_parameter(const boost::urls::url_view& target,
                                  const std::vector<std::string>& params) {
  for (const std::string& p : params)
    if (!storable(p)) return validation("path", "must not contain U+0000");
  for (const auto& q : target.params()) {
    if (!storable(q.key) || (q.has_value && !storable(q.value))) {
      std::string key = q.key;
      make_storable(key);
      return validation(key, "must not contain U+0000");
    }
  }
  return {};
}

// The `error` of an error answer's JSON body, for the metrics; empty for any other answer.
std::string error_code_of(const response& res) {
  if (res.result_int() < 400 || res.body().empty() || res.body().size() > 64 * 1024) return {};
  const auto body = nlohmann::json::parse(res.body(), nullptr, false);
  if (!body.is_object()) return {};
  const auto code = body.find("error");
  return code != body.end() && code->is_string() ? code->get<std::string>() : std::string();
}

void set_rate_headers(response& res, const rate_decision& d) {
  if (d.limit == 0) return;
  res.set("RateLimit-Limit", std::to_string(d.limit));
  res.set("RateLimit-Remaining", std::to_string(d.remaining));
  res.set("RateLimit-Reset", std::to_string(d.reset.count()));
}

}  // namespace

response rate_limited(const rate_decision& d) {
  response res =
      error_response(errc::rate_limited, "rate_limited",
                     "Too many requests; retry after " + std::to_string(d.reset.count()) + " s.",
                     {{"limit", d.limit}, {"retry_after", d.reset.count()}});
  res.set(http::field::retry_after, std::to_string(d.reset.count()));
  set_rate_headers(res, d);
  return res;
}

router make_router(services& s) {
  router r;
  add_system_routes(r, s);
  add_auth_routes(r, s);
  add_user_routes(r, s);
  add_tenant_routes(r, s);
  add_tenant_configuration_routes(r, s);
  add_tenant_feature_flag_routes(r, s);
  add_access_routes(r, s);
  add_group_routes(r, s);
  add_grant_routes(r, s);
  add_token_routes(r, s);
  add_invitation_routes(r, s);
  add_openapi_routes(r);
  return r;
}

request_handler make_request_handler(services& s, const router& routes) {
  return [&s, &routes](request req, std::string remote) -> asio::awaitable<response> {
    const std::string id = request_id_of(req);
    const auto started = std::chrono::steady_clock::now();
    std::string_view route = "unmatched";  // the matched pattern, once routed
    auto finish = [&](response res) {
      res.set("X-Request-Id", id);
      res.keep_alive(req.keep_alive());
      if (res.result_int() >= 500)
        spdlog::warn("{} {} -> {} ({})", std::string(req.method_string()),
                     std::string(req.target()), res.result_int(), id);
      if (s.metrics)
        s.metrics->observe(
            req.method() == http::verb::unknown ? "other" : http::to_string(req.method()), route,
            res.result_int(), error_code_of(res), std::chrono::steady_clock::now() - started);
      return res;
    };
    auto target = boost::urls::parse_origin_form(req.target());
    if (!target)
      co_return finish(error_response(errc::invalid_argument, "bad_request",
                                      "The request target is not a valid path and query."));
    if (auto canonical = check_canonical_path(target->encoded_path()); !canonical)
      co_return finish(error_response(canonical.error()));
    const auto match = routes.find(req.method(), target->encoded_path());
    if (!match.found) {
      if (match.allowed.empty())
        co_return finish(error_response(errc::not_found, "not_found", "No such route."));
      response res =
          json_response(405, nlohmann::json{{"error", "method_not_allowed"},
                                            {"message", "This route does not accept " +
                                                            std::string(req.method_string()) + "."},
                                            {"details", {{"allowed", match.allowed}}}});
      res.set(http::field::allow, match.allowed);
      co_return finish(std::move(res));
    }
    route = match.found->pattern;
    if (auto bad = unstorable_parameter(*target, match.params); !bad)
      co_return finish(error_response(bad.error()));
    request_context ctx{.req = req,
                        .remote_address = client_address(s.settings.proxies, remote, req),
                        .target = *target,
                        .params = match.params,
                        .request_id = id,
                        .public_url = s.settings.public_url};
    std::optional<error> refused;
    const bool with_object_token = carries_object_token(ctx, match.found->rule);
    if (match.found->rule.where != guard::scope::anyone && !with_object_token) {
      result<principal> caller = std::unexpected(error{});
      if (presents_api_token(req))
        caller = co_await authenticate_api_token(s, ctx);
      else
        caller = authenticate(s, req);
      if (caller) caller = co_await in_good_standing(s, std::move(*caller));
      if (caller)
        ctx.caller = std::move(*caller);
      else
        refused = caller.error();
    }
    // Operations endpoints (/healthz, /readyz, /metrics, the JWKS) are never limited; what
    // is decides the matched route, never the spelling of the path.
    rate_decision limit;
    if (s.limits && match.found->pattern.starts_with("/v1/")) {
      limit = count_request(
          s, req, ctx.caller ? rate_limit_key(*ctx.caller) : "address:" + ctx.remote_address);
      if (!limit.allowed) co_return finish(rate_limited(limit));
    }
    if (refused) co_return finish(error_response(*refused));
    // A body carrying the object's token has no guard here: the writer checks the token.
    if (!with_object_token) {
      if (auto allowed = co_await enforce(s, ctx, match.found->rule); !allowed)
        co_return finish(error_response(allowed.error()));
    }
    response res = co_await match.found->handler(ctx);
    set_rate_headers(res, limit);
    co_return finish(std::move(res));
  };
}

}  // namespace tenantry::api
