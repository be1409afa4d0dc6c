// /v1/tenants/{ref}/configuration: a tenant's configuration, changed by JSON merge patches
// (commands/tenants/tenant_configuration.hpp) and read from the tenants read model, alone or
// merged down the ancestry (?effective=true).

#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "projections/tenants/tenant_configuration_queries.hpp"

namespace tenantry::api {
namespace {

nlohmann::json configuration_json(const nlohmann::json& configuration, std::int64_t version,
                                  timestamp updated_at) {
  return {{"configuration", configuration},
          {"version", version},
          {"updated_at", format_rfc3339(updated_at)}};
}

asio::awaitable<response> get_configuration(services& s, request_context& ctx) {
  if (auto ok = live_path_tenant(ctx); !ok) co_return error_response(ok.error());
  auto effective = bool_param(ctx, "effective", false);
  if (!effective) co_return error_response(effective.error());
  auto select = [path = ctx.tenant->path](pqxx::connection& c) {
    return configuration_layers(c, path);
  };
  auto layers = co_await query(s.db, std::move(select));
  if (!layers) co_return error_response(layers.error());
  if (layers->empty() || layers->back().id != ctx.tenant->id)
    co_return error_response(errc::not_found, "not_found", "No such tenant.",
                             {{"resource", "tenant"}, {"ref", ctx.params[0]}});
  const configuration_layer& own = layers->back();
  nlohmann::json body = configuration_json(own.configuration, own.version, own.updated_at);
  if (*effective) {
    effective_configuration merged = merge_down(*layers);
    body["configuration"] = std::move(merged.configuration);
    body["sources"] = std::move(merged.sources);
  }
  response res = json_response(200, body);
  set_etag(res, own.version);
  co_return res;
}

asio::awaitable<response> patch_configuration(services& s, request_context& ctx) {
  auto version = if_match(ctx);
  if (!version) co_return error_response(version.error());
  auto patch = parse_json_object(ctx);
  if (!patch) co_return error_response(patch.error());
  command cmd = configure_tenant{ctx.params[0], std::move(*patch), *version};
  response_renderer render = [ref = ctx.params[0]](const command_effect& effect) {
    const tenant_state* t = effect.model.tenants.resolve(ref);
    if (!t) return command_outcome{outcome::done};
    return showing(outcome::done, t->id.value, t->version,
                   configuration_json(t->configuration, t->version, t->updated_at));
  };
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

}  // namespace

void add_tenant_configuration_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  r.add(v::get, "/v1/tenants/{ref}/configuration", on_tenant("config.read"),
        bind(get_configuration));
  r.add(v::patch, "/v1/tenants/{ref}/configuration", on_tenant("config.manage"),
        bind(patch_configuration));
}

}  // namespace tenantry::api
