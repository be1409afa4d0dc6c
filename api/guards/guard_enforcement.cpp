// Enforcing a route's guard before its handler runs (api/guards/route_guard.hpp).

#include "api/guards/guard_enforcement.hpp"

#include <limits>

#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/guards/self_guard.hpp"
#include "api/http/json_input.hpp"
#include "api/http/tenant_reference.hpp"
#include "commands/slug.hpp"

namespace tenantry::api {
namespace {

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
  auto body = parse_json_object(ctx);
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

asio::awaitable<result<void>> enforce_scope(services& s, request_context& ctx, const guard& g) {
  using scope = guard::scope;
  switch (g.where) {
    case scope::anyone:
    case scope::authenticated:
    case scope::body_only:  // only the body's tenant, below
      co_return result<void>{};
    case scope::platform:
      if (auto ok = authorize_on_platform(ctx, g.permission); !ok) co_return ok;
      ctx.authorizations.push_back(writer_check(*ctx.caller, g.permission, std::nullopt));
      co_return result<void>{};
    case scope::tenant: {
      if (ctx.params.empty())
        co_return fail(errc::internal, "internal", "A tenant route without a {ref}.");
      if (is_write(ctx.req.method())) {
        if (!g.upsert) {
          ctx.authorizations.push_back(writer_check(*ctx.caller, g.permission, ctx.params[0]));
          co_return result<void>{};
        }
        const std::string slug = lowercased_slug(ctx.params[0]);
        command_authorization replace = writer_check(*ctx.caller, g.permission, slug);
        replace.only_when = slug_condition{slug, true};
        ctx.authorizations.push_back(std::move(replace));
        co_return result<void>{};
      }
      // A read that follows a change waits for it before deciding who may see what.
      if (auto ok = co_await await_consistency(s, ctx); !ok) co_return ok;
      std::string permission = g.permission;
      std::string ref = ctx.params[0];
      auto allowed = co_await authorize_on_tenant(s, ctx, std::move(permission), std::move(ref));
      if (!allowed) co_return std::unexpected(allowed.error());
      ctx.tenant = std::move(*allowed);
      co_return result<void>{};
    }
    case scope::object:
      co_return co_await enforce_object(s, ctx, g);
    case scope::body_object: {
      // Never on a read: the router refuses such a route at start-up (check_guard).
      auto check = body_object_check(ctx, g);
      if (!check) co_return std::unexpected(check.error());
      ctx.authorizations.push_back(std::move(*check));
      co_return result<void>{};
    }
    case scope::self_or_platform:
      co_return co_await enforce_self_or_platform(s, ctx, g);
  }
  co_return fail(errc::internal, "internal", "A route guard of no known scope.");
}

}  // namespace

bool is_write(http::verb v) {
  return v == http::verb::post || v == http::verb::put || v == http::verb::patch ||
         v == http::verb::delete_;
}

// Platform guards and reads are judged here, on the read side; writes carry their check to
// the writer, which judges them on its own, always current, state.
asio::awaitable<result<void>> enforce(services& s, request_context& ctx, const guard& g) {
  if (auto ok = co_await enforce_scope(s, ctx, g); !ok) co_return ok;
  // The tenant the body names (a create's or a move's parent), judged by the writer.
  if (!g.body_field.empty() && is_write(ctx.req.method())) {
    const auto& parsed = json_body(ctx);
    const bool object = parsed && parsed->is_object();
    const auto field = object ? parsed->find(g.body_field) : nlohmann::json::const_iterator{};
    std::optional<command_authorization> check;
    if (!object || field == parsed->end() || field->is_null())
      check = writer_check(*ctx.caller, g.root_permission, std::nullopt);
    else if (auto ref = tenant_reference(*field, std::numeric_limits<std::size_t>::max()))
      check = writer_check(*ctx.caller, g.body_permission, std::move(*ref));
    // Anything else is the handler's 400 (without a check, the writer would refuse it).
    if (check && g.upsert) check->only_when = slug_condition{lowercased_slug(ctx.params[0]), false};
    if (check) ctx.authorizations.push_back(std::move(*check));
  }
  co_return result<void>{};
}

bool carries_object_token(const request_context& ctx, const guard& g) {
  if (g.token_field.empty()) return false;
  const auto& parsed = json_body(ctx);
  if (!parsed || !parsed->is_object()) return false;
  const nlohmann::json& body = *parsed;
  const auto field = body.find(g.token_field);
  return field != body.end() && field->is_string();
}

}  // namespace tenantry::api
