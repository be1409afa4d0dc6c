// /v1/tenants: the hierarchy's commands (to the single writer) and queries (read models).

#include <unordered_map>

#include "api/command_execution.hpp"
#include "api/guards/authorization.hpp"
#include "api/guards/platform_roles.hpp"
#include "api/http/json_input.hpp"
#include "api/http/listing.hpp"
#include "api/http/offload.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"
#include "api/tenants/tenant_representations.hpp"
#include "commands/slug.hpp"
#include "events/storable_text.hpp"

namespace tenantry::api {
namespace {

constexpr std::size_t max_name = 200;
constexpr std::size_t max_description = 2000;
constexpr std::size_t max_ref = 100;

// Answers with the tenant a command acted on, as the write model now holds it.
command_outcome showing_tenant(outcome kind, const tenant_aggregate& tenants,
                               const tenant_state* t) {
  if (!t) return {kind};
  return showing(kind, t->id.value, t->version, tenant_json(tenant_row_of(tenants, *t)));
}

response_renderer render_tenant(outcome kind) {
  return [kind](const command_effect& effect) -> command_outcome {
    if (effect.events.empty()) return {kind};
    return showing_tenant(kind, effect.model.tenants,
                          effect.model.tenants.find(tenant_id{effect.events.front().meta.subject}));
  };
}

// A no-op command (nothing changed) still answers with the tenant.
response_renderer render_tenant_by_ref(std::string ref, outcome kind) {
  return [ref = std::move(ref), kind](const command_effect& effect) -> command_outcome {
    const tenant_state* t =
        effect.events.empty()
            ? effect.model.tenants.resolve(ref)
            : effect.model.tenants.find(tenant_id{effect.events.front().meta.subject});
    return showing_tenant(kind, effect.model.tenants, t);
  };
}

// The X-Meta-<key> headers of an upsert, keys lowercased (header names are case-blind);
// the writer judges keys and values as it judges the body's. 400 for a key given twice.
result<metadata_map> header_metadata(const request_context& ctx) {
  constexpr std::string_view prefix = "x-meta-";
  metadata_map out;
  for (const auto& f : ctx.req) {
    const std::string name = lowercased_slug(std::string_view(f.name_string()));
    if (!name.starts_with(prefix)) continue;
    std::string key = name.substr(prefix.size());
    std::string value(f.value());
    if (!storable(key) || !storable(value))
      return validation("metadata", "X-Meta-* headers must not hold U+0000");
    if (!out.emplace(std::move(key), std::move(value)).second)
      return validation("metadata", "an X-Meta-* header is given twice");
  }
  return out;
}

// Sends a command that may create a tenant; a 201 carries the new tenant's Location.
asio::awaitable<response> send_with_location(services& s, const request_context& ctx, command cmd,
                                             response_renderer render) {
  const command_reply reply = co_await send_command(s, ctx, std::move(cmd), std::move(render));
  response res = respond(reply);
  if (reply.response && reply.response->kind == outcome::created &&
      !reply.response->aggregate_id.empty())
    res.set(http::field::location, "/v1/tenants/" + reply.response->aggregate_id);
  co_return res;
}

// The tenant a read names. The route's guard let the caller read it; 404 when missing.
asio::awaitable<result<tenant_row>> visible_tenant(services& s, const std::string& ref,
                                                   bool include_deleted) {
  auto find = [ref, include_deleted](pqxx::connection& c) {
    return find_tenant(c, ref, include_deleted);
  };
  auto row = co_await query(s.db, std::move(find));
  if (!row) co_return std::unexpected(row.error());
  if (!*row) co_return tenant_not_found(ref);
  co_return std::move(**row);
}

// What every tenant mutation checks first: the caller's right, If-Match, and the body.
struct mutation {
  std::optional<std::int64_t> expected_version;
  nlohmann::json body;
};

enum class body_rule { required, optional, none };

// The caller's right is the route guard's, checked by the writer.
result<mutation> begin_mutation(const request_context& ctx, body_rule rule) {
  auto version = if_match(ctx);
  if (!version) return std::unexpected(version.error());
  if (rule == body_rule::none) return mutation{*version, nlohmann::json::object()};
  auto body = parse_json_object(ctx, rule == body_rule::optional);
  if (!body) return std::unexpected(body.error());
  return mutation{*version, std::move(*body)};
}

result<bool> include_deleted_param(const request_context& ctx) {
  auto include = bool_param(ctx, "include_deleted", false);
  if (!include) return include;
  if (*include && !has_platform_role(*ctx.caller))
    return fail(errc::permission_denied, "permission_denied",
                "Only platform roles may see deleted tenants.");
  return include;
}

asio::awaitable<response> create(services& s, request_context& ctx) {
  auto body = parse_json_object(ctx);
  if (!body) co_return error_response(body.error());
  body_reader in(*body);
  create_tenant c;
  c.name = in.text("name", true, max_name).value_or("");
  c.slug = in.text("slug", false, 100);
  c.description = in.text("description", false, max_description).value_or("");
  c.parent = in.nullable_reference("parent", max_ref).value_or(std::nullopt);
  c.metadata = in.metadata("metadata").value_or(metadata_map{});
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  response_renderer render = render_tenant(outcome::created);
  co_return co_await send_with_location(s, ctx, std::move(c), std::move(render));
}

// The list parameters every tenant list shares: paging, level, status, search, ordering.
result<tenant_filter> read_tenant_filter(const request_context& ctx) {
  auto paging = read_paging(ctx);
  if (!paging) return std::unexpected(paging.error());
  auto include = include_deleted_param(ctx);
  if (!include) return std::unexpected(include.error());
  auto level = int_param(ctx, "tenant_level", 1, 1000);
  if (!level) return std::unexpected(level.error());
  tenant_filter f;
  f.page = paging->page;
  f.page_size = paging->page_size;
  f.include_deleted = *include;
  f.level = *level;
  f.search = ctx.query("search").value_or("");
  f.ordering = ctx.query("ordering").value_or("name");
  if (f.ordering != "name" && f.ordering != "-name" && f.ordering != "created_at" &&
      f.ordering != "-created_at")
    return fail(errc::invalid_argument, "validation_error",
                "ordering must be name, -name, created_at or -created_at.",
                {{"ordering", "unknown ordering"}});
  if (auto status = ctx.query("status")) {
    if (*status != "active" && *status != "suspended" && *status != "inactive")
      return fail(errc::invalid_argument, "validation_error",
                  "status must be active, suspended or inactive.", {{"status", "unknown status"}});
    f.status = *status;
  }
  return f;
}

asio::awaitable<response> tenant_list(services& s, const request_context& ctx,
                                      const tenant_filter& f) {
  auto select = [f](pqxx::connection& c) { return list_tenants(c, f); };
  auto page = co_await query(s.db, std::move(select));
  if (!page) co_return error_response(page.error());
  co_return page_response(ctx, {f.page, f.page_size}, *page, tenant_json);
}

asio::awaitable<response> list(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto f = read_tenant_filter(ctx);
  if (!f) co_return error_response(f.error());
  const paging p{f->page, f->page_size};
  // Without a platform role a caller sees the subtrees of the tenants where it may read.
  auto facts = co_await caller_facts(s, ctx, "tenant.read");
  if (!facts) co_return error_response(facts.error());
  std::string readable = "tenant.read";  // a named local: g++ 12
  auto within = co_await readable_roots_of(s, *facts, std::move(readable));
  if (!within) co_return error_response(within.error());
  f->within = std::move(*within);
  if (f->within && f->within->empty())
    co_return json_response(200, page_envelope(ctx, p, 0, nlohmann::json::array()));
  std::optional<std::string> parent = ctx.query("parent_id");
  if (!parent) parent = ctx.query("parent");
  if (parent) {
    std::string permission = "tenant.read";
    std::string ref = *parent;
    auto allowed = co_await authorize_on_tenant(s, ctx, std::move(permission), std::move(ref));
    if (!allowed && allowed.error().category != errc::not_found)
      co_return error_response(allowed.error());
    if (!allowed) co_return json_response(200, page_envelope(ctx, p, 0, nlohmann::json::array()));
    auto found = co_await visible_tenant(s, *parent, f->include_deleted);
    if (!found && found.error().category != errc::not_found)
      co_return error_response(found.error());
    if (!found) co_return json_response(200, page_envelope(ctx, p, 0, nlohmann::json::array()));
    f->parent_id = found->id;
  }
  co_return co_await tenant_list(s, ctx, *f);
}

asio::awaitable<response> get(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto include = include_deleted_param(ctx);
  if (!include) co_return error_response(include.error());
  auto row = co_await visible_tenant(s, ctx.params[0], *include);
  if (!row) co_return error_response(row.error());
  response res = json_response(200, tenant_json(*row));
  set_etag(res, row->version);
  co_return res;
}

asio::awaitable<response> update(services& s, request_context& ctx) {
  auto m = begin_mutation(ctx, body_rule::required);
  if (!m) co_return error_response(m.error());
  body_reader in(m->body);
  update_tenant c{ctx.params[0],
                  in.text("name", false, max_name),
                  in.text("description", false, max_description),
                  in.text("slug", false, 100),
                  m->expected_version,
                  in.metadata_merge_patch("metadata")};
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  response_renderer render = render_tenant_by_ref(ctx.params[0], outcome::done);
  co_return co_await execute(s, ctx, std::move(c), std::move(render));
}

// PUT /v1/tenants/{slug}: 201 with the tenant it created, or 200 with the one it replaced.
asio::awaitable<response> put(services& s, request_context& ctx) {
  auto m = begin_mutation(ctx, body_rule::optional);
  if (!m) co_return error_response(m.error());
  const std::string slug = lowercased_slug(ctx.params[0]);
  if (looks_like_uuid(slug) || !is_valid_slug(slug))
    co_return error_response(errc::invalid_argument, "validation_error",
                             "The path of PUT /v1/tenants/{slug} is a slug: 1-63 characters of "
                             "[a-z0-9-] without leading, trailing or double dashes, never an id.",
                             {{"slug", "must be a slug, not an id"}});
  auto headers = header_metadata(ctx);
  if (!headers) co_return error_response(headers.error());
  body_reader in(m->body);
  put_tenant c;
  c.slug = slug;
  c.name = in.text("name", false, max_name);
  c.description = in.text("description", false, max_description).value_or("");
  c.parent = in.nullable_reference("parent", max_ref);
  c.metadata = std::move(*headers);  // the body wins on the same key
  for (auto& [key, value] : in.metadata("metadata").value_or(metadata_map{}))
    c.metadata.insert_or_assign(key, std::move(value));
  c.expected_version = m->expected_version;
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  response_renderer render = [slug](const command_effect& effect) -> command_outcome {
    const bool created = !effect.events.empty() &&
                         std::holds_alternative<tenant_created>(effect.events.front().data);
    return showing_tenant(created ? outcome::created : outcome::done, effect.model.tenants,
                          effect.model.tenants.resolve(slug));
  };
  co_return co_await send_with_location(s, ctx, std::move(c), std::move(render));
}

route_handler lifecycle(services& s, lifecycle_action action) {
  return [&s, action](request_context& ctx) -> asio::awaitable<response> {
    auto m = begin_mutation(ctx, body_rule::optional);
    if (!m) co_return error_response(m.error());
    body_reader in(m->body);
    change_tenant_lifecycle c{ctx.params[0], action, in.text("reason", false, 1000).value_or(""),
                              m->expected_version};
    if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
    response_renderer render = render_tenant_by_ref(ctx.params[0], outcome::done);
    co_return co_await execute(s, ctx, std::move(c), std::move(render));
  };
}

asio::awaitable<response> move(services& s, request_context& ctx) {
  auto m = begin_mutation(ctx, body_rule::required);
  if (!m) co_return error_response(m.error());
  body_reader in(m->body);
  auto parent = in.nullable_reference("parent", max_ref);
  if (!in.has("parent"))
    co_return error_response(errc::invalid_argument, "validation_error",
                             "parent is required (a tenant ref, or null for a root).",
                             {{"parent", "is required"}});
  if (auto ok = in.finish(); !ok) co_return error_response(ok.error());
  move_tenant c{ctx.params[0], parent.value_or(std::nullopt), m->expected_version};
  response_renderer render = render_tenant_by_ref(ctx.params[0], outcome::done);
  co_return co_await execute(s, ctx, std::move(c), std::move(render));
}

asio::awaitable<response> remove(services& s, request_context& ctx) {
  auto m = begin_mutation(ctx, body_rule::none);
  if (!m) co_return error_response(m.error());
  auto recursive = bool_param(ctx, "recursive", false);
  if (!recursive) co_return error_response(recursive.error());
  command cmd = delete_tenant{ctx.params[0], *recursive, m->expected_version};
  co_return co_await execute(s, ctx, std::move(cmd), no_content);
}

asio::awaitable<response> restore(services& s, request_context& ctx) {
  auto m = begin_mutation(ctx, body_rule::none);
  if (!m) co_return error_response(m.error());
  command cmd = restore_tenant{ctx.params[0], m->expected_version};
  response_renderer render = render_tenant(outcome::done);
  co_return co_await execute(s, ctx, std::move(cmd), std::move(render));
}

asio::awaitable<response> children(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto f = read_tenant_filter(ctx);
  if (!f) co_return error_response(f.error());
  auto parent = co_await visible_tenant(s, ctx.params[0], false);
  if (!parent) co_return error_response(parent.error());
  f->parent_id = parent->id;
  co_return co_await tenant_list(s, ctx, *f);
}

asio::awaitable<response> ancestors(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto t = co_await visible_tenant(s, ctx.params[0], false);
  if (!t) co_return error_response(t.error());
  auto select = [id = t->id](pqxx::connection& c) { return list_ancestors(c, id); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return error_response(rows.error());
  // Only the ancestors the caller may read itself: a child's admin does not learn about
  // the organization above it. (The guard read the caller's roles already.)
  auto facts = co_await caller_facts(s, ctx, "tenant.read");
  if (!facts) co_return error_response(facts.error());
  nlohmann::json results = nlohmann::json::array();
  std::vector<std::string> path;
  for (const auto& row : *rows) {
    path.push_back(row.id);
    if (check_access(*facts, path, "tenant.read", s.clock()).allowed)
      results.push_back(tenant_json(row));
  }
  co_return json_response(200, nlohmann::json{{"count", results.size()}, {"results", results}});
}

asio::awaitable<response> hierarchy(services& s, request_context& ctx) {
  if (auto ok = co_await await_consistency(s, ctx); !ok) co_return error_response(ok.error());
  auto depth = int_param(ctx, "depth", 0, 1000);
  if (!depth) co_return error_response(depth.error());
  auto t = co_await visible_tenant(s, ctx.params[0], false);
  if (!t) co_return error_response(t.error());
  const int max_depth = std::min(depth->value_or(s.settings.max_depth), s.settings.max_depth);
  auto select = [id = t->id, max_depth](pqxx::connection& c) { return subtree(c, id, max_depth); };
  auto rows = co_await query(s.db, std::move(select));
  if (!rows) co_return error_response(rows.error());
  if (rows->empty()) co_return error_response(errc::not_found, "not_found", "No such tenant.");
  // Nest each row under its parent; the tree is at most max_depth deep.
  std::unordered_map<std::string, std::vector<const tenant_row*>> kids;
  for (const auto& row : *rows)
    if (row.id != rows->front().id && row.parent_id) kids[*row.parent_id].push_back(&row);
  std::function<nlohmann::json(const tenant_row&)> node = [&](const tenant_row& row) {
    nlohmann::json children = nlohmann::json::array();
    for (const tenant_row* kid : kids[row.id]) children.push_back(node(*kid));
    return nlohmann::json{{"tenant", tenant_json(row)}, {"children", std::move(children)}};
  };
  co_return json_response(200, node(rows->front()));
}

}  // namespace

void add_tenant_routes(router& r, services& s) {
  using v = http::verb;
  auto bind = bind_to(s);
  const auto lifecycle_guard = on_tenant(std::string(tenant_lifecycle));
  const std::string to_root(manage_root_tenants);
  // Creating: tenant.create_child on the body's parent; a root needs a platform role.
  r.add(v::post, "/v1/tenants", on_body_tenant("parent", "tenant.create_child", to_root),
        bind(create));
  r.add(v::get, "/v1/tenants", access::authenticated, bind(list));  // filtered to what it may read
  r.add(v::get, "/v1/tenants/{ref}", on_tenant("tenant.read"), bind(get));
  r.add(v::patch, "/v1/tenants/{ref}", on_tenant("tenant.update"), bind(update));
  // Upsert by slug: tenant.update on the tenant holding it, else creating under the parent.
  r.add(v::put, "/v1/tenants/{ref}",
        on_tenant_upsert("tenant.update", "parent", "tenant.create_child", to_root), bind(put));
  r.add(v::delete_, "/v1/tenants/{ref}", on_tenant("tenant.delete"), bind(remove));
  r.add(v::post, "/v1/tenants/{ref}/suspend", lifecycle_guard,
        lifecycle(s, lifecycle_action::suspend));
  r.add(v::post, "/v1/tenants/{ref}/resume", lifecycle_guard,
        lifecycle(s, lifecycle_action::resume));
  r.add(v::post, "/v1/tenants/{ref}/activate", lifecycle_guard,
        lifecycle(s, lifecycle_action::activate));
  r.add(v::post, "/v1/tenants/{ref}/deactivate", lifecycle_guard,
        lifecycle(s, lifecycle_action::deactivate));
  r.add(v::post, "/v1/tenants/{ref}/move",
        on_tenant("tenant.update").and_body_tenant("parent", "tenant.create_child", to_root),
        bind(move));
  r.add(v::post, "/v1/tenants/{ref}/restore", on_tenant("tenant.delete"), bind(restore));
  r.add(v::get, "/v1/tenants/{ref}/children", on_tenant("tenant.read"), bind(children));
  r.add(v::get, "/v1/tenants/{ref}/ancestors", on_tenant("tenant.read"), bind(ancestors));
  r.add(v::get, "/v1/tenants/{ref}/hierarchy", on_tenant("tenant.read"), bind(hierarchy));
}

}  // namespace tenantry::api
