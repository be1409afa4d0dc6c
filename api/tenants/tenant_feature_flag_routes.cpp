// /v1/tenants/{ref}/feature-flags: the flags a tenant sets (commands/tenants/
// tenant_feature_flags.hpp), read from the tenant_feature_flags read model, alone or as the
// tenant runs with them, inherited down the ancestry (?effective=true).

#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "commands/tenants/tenant_feature_flags.hpp"
#include "projections/tenants/tenant_feature_flag_queries.hpp"

namespace tenantry::api {
namespace {

nlohmann::json flag_json(const std::string& tenant_id, const std::string& key,
                         const nlohmann::json& value, const std::string& description,
                         timestamp created_at, timestamp updated_at) {
  return {{"key", key},
          {"value", value},
          {"description", description},
          {"tenant_id", tenant_id},
          {"created_at", format_rfc3339(created_at)},
          {"updated_at", format_rfc3339(updated_at)}};
}

nlohmann::json flag_json(const flag_row& f) {
  return flag_json(f.tenant_id, f.key, f.value, f.description, f.created_at, f.updated_at);
}

asio::awaitable<response> list_flags(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto effective = bool_param(ctx, "effective", false);
  if (!effective) co_return error_response(effective.error());
  const std::vector<std::string> path = ctx.tenant->path;
  std::vector<std::string> ids = *effective ? path : std::vector<std::string>{ctx.tenant->id};
  auto select = [ids = std::move(ids)](pqxx::connection& c) { return flags_of(c, ids); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return error_response(rows.error());
  nlohmann::json results = nlohmann::json::array();
  if (!*effective) {
    for (const flag_row& f : *rows) results.push_back(flag_json(f));
  } else {
    for (const effective_flag& e : effective_flags(*rows, path))
      results.push_back({{"key", e.flag->key},
                         {"value", e.flag->value},
                         {"source", {{"id", e.flag->tenant_id}, {"slug", e.flag->tenant_slug}}},
                         {"inherited", e.inherited}});
  }
  co_return json_response(200, nlohmann::json{{"results", std::move(results)}});
}

asio::awaitable<response> get_flag(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  const std::string key = ctx.params[1];
  if (!is_flag_key(key)) co_return error_response(feature_flag_not_found(key).error());
  auto select = [id = ctx.tenant->id, key](pqxx::connection& c) { return flags_of(c, {id}, key); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return error_response(rows.error());
  if (rows->empty()) co_return error_response(feature_flag_not_found(key).error());
  co_return json_response(200, flag_json(rows->front()));
}

asio::awaitable<response> set_flag(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  set_feature_flag c;
  c.ref = ctx.params[0];
  c.key = in.text("key", true, max_flag_key_length).value_or("");
  c.description = in.text("description", false, max_flag_description_length).value_or("");
  c.value = in.value("value", true).value_or(nullptr);
  c.expected_version = *version;
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  response_renderer render = [key = c.key, ref = c.ref](const command_effect& effect) {
    const tenant_state* t = effect.model.tenants.resolve(ref);
    if (!t) return command_outcome{outcome::done};
    const auto flag = t->feature_flags.find(key);
    if (flag == t->feature_flags.end()) return command_outcome{outcome::done};
    const bool created = !effect.events.empty() && flag->second.created_version == t->version;
    const feature_flag& f = flag->second;
    return showing(created ? outcome::created : outcome::done, t->id.value, t->version,
                   flag_json(t->id.value, key, f.value, f.description, f.created_at, f.updated_at));
  };
  const std::string key = c.key;
  const command_reply reply = co_await send_command(s, ctx, std::move(c), std::move(render));
  response res = respond(reply);
  if (reply.response && reply.response->kind == outcome::created)
    res.set(http::field::location,
            "/v1/tenants/" + reply.response->aggregate_id + "/feature-flags/" + key);
  co_return res;
}

asio::awaitable<response> remove_flag(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  const std::string key = ctx.params[1];
  if (!is_flag_key(key)) co_return error_response(feature_flag_not_found(key).error());
  command cmd = remove_feature_flag{ctx.params[0], key, *version};
  co_return co_await execute(s, ctx, std::move(cmd), no_content);
}

}  // namespace

void add_tenant_feature_flag_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  r.add(v::get, "/v1/tenants/{ref}/feature-flags", on_tenant("config.read"), bind(list_flags));
  r.add(v::post, "/v1/tenants/{ref}/feature-flags", on_tenant("config.manage"), bind(set_flag));
  r.add(v::get, "/v1/tenants/{ref}/feature-flags/{key}", on_tenant("config.read"), bind(get_flag));
  r.add(v::delete_, "/v1/tenants/{ref}/feature-flags/{key}", on_tenant("config.manage"),
        bind(remove_flag));
}

}  // namespace tenantry::api
