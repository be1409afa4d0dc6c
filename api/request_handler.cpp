// The request pipeline: parse the target, route, authenticate, run the handler, and stamp
// the response (request id, keep-alive). Nothing a client sends can make it throw.

#include <spdlog/spdlog.h>
#include <boost/url/parse.hpp>

#include "api/guards/authorization.hpp"
#include "api/command_execution.hpp"
#include "api/http/json_input.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/guards/self_guard.hpp"
#include "api/auth/token_authentication.hpp"
#include "api/auth/user_standing.hpp"

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

bool is_write(http::verb v) {
  return v == http::verb::post || v == http::verb::put || v == http::verb::patch ||
         v == http::verb::delete_;
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

void set_rate_headers(response& res, const rate_decision& d) {
  if (d.limit == 0) return;
  res.set("RateLimit-Limit", std::to_string(d.limit));
  res.set("RateLimit-Remaining", std::to_string(d.remaining));
  res.set("RateLimit-Reset", std::to_string(d.reset.count()));
}

// An object guard: a write carries it to the writer, a read is judged on the read models
// (after waiting for the change the caller saw, if it says so).
asio::awaitable<result<void>> enforce_object(services& s, request_context& ctx, const guard& g) {
  if (ctx.params.empty())
    co_return fail(errc::internal, "internal", "An object route without an {id}.");
  if (is_write(ctx.req.method())) {
    ctx.authorizations.push_back(
        object_check(*ctx.caller, g.permission, g.object_kind, ctx.params[0], g.party));
    co_return result<void>{};
  }
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return ok;
  std::string kind = g.object_kind;
  std::string permission = g.permission;
  std::string ref = ctx.params[0];
  auto allowed = co_await authorize_on_object(s, ctx, std::move(kind), std::move(permission),
                                              std::move(ref), g.party);
  if (!allowed) co_return std::unexpected(allowed.error());
  ctx.object = std::move(*allowed);
  co_return result<void>{};
}

// The object a body names as {"type": <kind>, "id": <ref>}, for the writer to judge; a
// body that names none is a 400 here (no command goes out unchecked).
result<command_authorization> body_object_check(const request_context& ctx, const guard& g) {
  auto body = parse_json_object(ctx.req);
  if (!body) return std::unexpected(body.error());
  const auto field = body->find(g.object_field);
  const bool named = field != body->end() && field->is_object() && field->contains("type") &&
                     (*field)["type"].is_string() && field->contains("id") &&
                     (*field)["id"].is_string() &&
                     !(*field)["id"].get_ref<const std::string&>().empty();
  const std::string kind = named ? (*field)["type"].get<std::string>() : "";
  if (!named || !is_grantable_object_type(kind))
    return fail(errc::invalid_argument, "validation_error",
                g.object_field + " must be {\"type\": \"tenant\"|\"group\", \"id\": \"<ref>\"}.",
                {{g.object_field, "must name a tenant or a group"}});
  return object_check(*ctx.caller, g.permission, kind, (*field)["id"].get<std::string>());
}

// The route's guard: platform guards and reads are judged here, on the read side; writes
// carry their check to the writer, which judges them on its own, always current, state.
asio::awaitable<result<void>> enforce(services& s, request_context& ctx, const guard& g) {
  using scope = guard::scope;
  if (g.where == scope::platform) {
    if (auto ok = authorize_on_platform(ctx, g.permission); !ok) co_return ok;
    ctx.authorizations.push_back(writer_check(*ctx.caller, g.permission, std::nullopt));
  } else if (g.where == scope::tenant) {
    if (ctx.params.empty())
      co_return fail(errc::internal, "internal", "A tenant route without a {ref}.");
    if (is_write(ctx.req.method())) {
      ctx.authorizations.push_back(writer_check(*ctx.caller, g.permission, ctx.params[0]));
    } else {
      // A read that follows a change waits for it before deciding who may see what.
      if (auto ok = co_await await_consistency(s, ctx); !ok) co_return ok;
      std::string permission = g.permission;
      std::string ref = ctx.params[0];
      auto allowed = co_await authorize_on_tenant(s, ctx, std::move(permission), std::move(ref));
      if (!allowed) co_return std::unexpected(allowed.error());
      ctx.tenant = std::move(*allowed);
    }
  } else if (g.where == scope::object) {
    if (auto ok = co_await enforce_object(s, ctx, g); !ok) co_return ok;
  } else if (g.where == scope::body_object && is_write(ctx.req.method())) {
    auto check = body_object_check(ctx, g);
    if (!check) co_return std::unexpected(check.error());
    ctx.authorizations.push_back(std::move(*check));
  } else if (g.where == scope::self_or_platform) {
    if (auto ok = co_await enforce_self_or_platform(s, ctx, g); !ok) co_return ok;
  }
  // The tenant the body names (a create's or a move's parent), judged by the writer.
  if (!g.body_field.empty() && is_write(ctx.req.method())) {
    const auto body = nlohmann::json::parse(ctx.req.body(), nullptr, false);
    const auto field = body.is_object() ? body.find(g.body_field) : body.end();
    if (!body.is_object() || field == body.end() || field->is_null())
      ctx.authorizations.push_back(writer_check(*ctx.caller, g.root_permission, std::nullopt));
    else if (field->is_string())
      ctx.authorizations.push_back(
          writer_check(*ctx.caller, g.body_permission, field->get<std::string>()));
    // Anything else is the handler's 400.
  }
  co_return result<void>{};
}

// A route whose guard takes the object's secret token instead of a signed-in caller (an
// invitation's): a body carrying it is judged by the writer on the token alone.
bool carries_object_token(const request& req, const guard& g) {
  if (g.token_field.empty()) return false;
  const auto body = nlohmann::json::parse(req.body(), nullptr, false);
  if (!body.is_object()) return false;
  const auto field = body.find(g.token_field);
  return field != body.end() && field->is_string();
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
    auto finish = [&](response res) {
      res.set("X-Request-Id", id);
      res.keep_alive(req.keep_alive());
      if (res.result_int() >= 500)
        spdlog::warn("{} {} -> {} ({})", std::string(req.method_string()),
                     std::string(req.target()), res.result_int(), id);
      return res;
    };
    auto target = boost::urls::parse_origin_form(req.target());
    if (!target)
      co_return finish(error_response(errc::invalid_argument, "bad_request",
                                      "The request target is not a valid path and query."));
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
    request_context ctx{req, std::move(remote), *target, match.params, std::nullopt, id, {}, {},
                        {}};
    std::optional<error> refused;
    const bool with_object_token = carries_object_token(req, match.found->rule);
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
    // Operations endpoints (/healthz, /readyz, /metrics, the JWKS) are never limited.
    rate_decision limit;
    if (s.limits && target->encoded_path().starts_with("/v1/")) {
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
