#include "commands/tokens/token_aggregate.hpp"

#include <algorithm>

#include "commands/access/access_policy.hpp"
#include "events/text_length.hpp"

namespace tenantry {

// ---- state ----------------------------------------------------------------------------

const token_state* token_aggregate::find(const token_id& id) const {
  const auto it = tokens_.find(id);
  return it == tokens_.end() ? nullptr : &it->second;
}

const token_state* token_aggregate::find_by_hash(std::string_view secret_hash) const {
  const auto it = by_hash_.find(std::string(secret_hash));
  return it == by_hash_.end() ? nullptr : find(it->second);
}

std::vector<const token_state*> token_aggregate::live_tokens_of(const tenant_id& tenant,
                                                                timestamp now) const {
  std::vector<const token_state*> out;
  if (const auto it = by_tenant_.find(tenant); it != by_tenant_.end())
    for (const token_id& id : it->second)
      if (const token_state* t = find(id); t && t->live(now)) out.push_back(t);
  return out;
}

std::vector<const token_state*> token_aggregate::live_tokens_by(const user_id& creator,
                                                                timestamp now) const {
  std::vector<const token_state*> out;
  if (const auto it = by_creator_.find(creator); it != by_creator_.end())
    for (const token_id& id : it->second)
      if (const token_state* t = find(id); t && t->live(now)) out.push_back(t);
  return out;
}

std::optional<tenant_id> token_aggregate::tenant_of(const event& e) const {
  return visit_as<token_event>(e, [&](const auto& ev) -> std::optional<tenant_id> {
    using T = std::decay_t<decltype(ev)>;
    if constexpr (std::is_same_v<T, token_issued>) {
      return ev.tenant;
    } else if constexpr (std::is_same_v<T, token_revoked>) {
      const token_state* t = find(ev.id);
      return t ? std::optional(t->tenant) : std::nullopt;
    } else {
      static_assert(unhandled<T>, "a token event without its tenant");
    }
  });
}

std::int64_t token_aggregate::version_of(const event& e) const {
  return version_before<token_event>(*this, e);
}

std::string token_aggregate::partition_key_of(const event& e,
                                              const tenant_aggregate& tenants) const {
  return partition_key_under(tenants, tenant_of(e), aggregate_id(e));
}

void token_aggregate::evolve(const event& e, std::int64_t version, timestamp at) {
  visit_as<token_event>(e, [&](const auto& x) {
    using T = std::decay_t<decltype(x)>;
    const T* ev = &x;
    if constexpr (std::is_same_v<T, token_issued>) {
      tokens_[ev->id] = token_state{ev->id,
                                    ev->tenant,
                                    ev->created_by,
                                    ev->name,
                                    ev->description,
                                    ev->scopes,
                                    ev->secret_hash,
                                    ev->prefix,
                                    ev->expires_at,
                                    false,
                                    {},
                                    version,
                                    at,
                                    at};
      by_hash_[ev->secret_hash] = ev->id;
      by_tenant_[ev->tenant].push_back(ev->id);
      by_creator_[ev->created_by].push_back(ev->id);
    } else if constexpr (std::is_same_v<T, token_revoked>) {
      token_state& t = tokens_.at(ev->id);
      t.revoked = true;
      t.revoked_reason = ev->reason;
      t.version = version;
      t.updated_at = at;
    } else {
      static_assert(unhandled<T>, "a token event the tokens aggregate does not apply");
    }
  });
}

// ---- decide ---------------------------------------------------------------------------

namespace {

using events = std::vector<event>;

auto token_not_found(const std::string& ref) {
  return fail(errc::not_found, "not_found", "No API token '" + ref + "' on this tenant.",
              {{"resource", "token"}});
}

// Not blank, at most 100 bytes, no control characters, unique among the tenant's live tokens.
result<void> check_name(const token_aggregate& dir, const tenant_state& t, const std::string& name,
                        timestamp now) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    return validation("name", "must not be empty");
  if (code_points(name) > max_token_name)
    return validation("name", "must be at most 100 characters");
  if (std::ranges::any_of(name, [](char c) { return (c >= 0 && c < 0x20) || c == 0x7f; }))
    return validation("name", "must not contain control characters");
  for (const token_state* other : dir.live_tokens_of(t.id, now))
    if (other->name == name)
      return fail(errc::conflict, "token_name_taken",
                  "Tenant '" + t.slug + "' already has a live API token named '" + name + "'.");
  return {};
}

// At least one, each a tenant permission other than token.manage; sorted, without repeats.
result<std::vector<std::string>> checked_scopes(const std::vector<std::string>& given) {
  if (given.empty()) return validation("scopes", "must name at least one permission");
  std::vector<std::string> out;
  for (const auto& p : given) {
    if (p == "token.manage")
      return validation("scopes", "token.manage cannot be a scope: tokens cannot mint tokens");
    if (!is_token_scope(p)) return validation("scopes", "unknown permission '" + p + "'");
    out.push_back(p);
  }
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

result<events> decide_issue(const token_aggregate& dir, const tenant_state& t,
                            const user_aggregate& users, const issue_token& c,
                            const decide_context& ctx) {
  const user_state* creator = users.find(user_id{c.created_by});
  if (!creator)
    return fail(errc::not_found, "not_found", "No user '" + c.created_by + "' exists.",
                {{"resource", "user"}});
  if (code_points(c.description) > max_token_description)
    return validation("description", "must be at most 1000 characters");
  auto scopes = checked_scopes(c.scopes);
  if (!scopes) return std::unexpected(scopes.error());
  if (c.expires_at <= ctx.now) return validation("expires_at", "must be in the future");
  if (c.expires_at > ctx.now + max_token_lifetime)
    return validation("expires_at", "must be at most 365 days ahead");
  if (auto ok = check_name(dir, t, c.name, ctx.now); !ok) return std::unexpected(ok.error());
  if (dir.live_tokens_of(t.id, ctx.now).size() >= max_live_tokens_per_tenant)
    return fail(errc::conflict, "token_limit_reached",
                "Tenant '" + t.slug + "' has 50 live API tokens; revoke one first.",
                {{"limit", max_live_tokens_per_tenant}});
  if (c.secret_hash.size() != 64 || dir.find_by_hash(c.secret_hash))
    return fail(errc::internal, "internal", "The token's secret could not be registered.");
  return events{token_issued{token_id{ctx.new_id()}, t.id, creator->id, c.name, c.description,
                             std::move(*scopes), c.secret_hash, c.prefix, c.expires_at}};
}

result<events> decide_revoke(const token_aggregate& dir, const tenant_state& t,
                             const revoke_token& c) {
  const token_state* token = dir.find(token_id{c.token});
  if (!token || token->tenant != t.id) return token_not_found(c.token);
  if (c.expected_version && *c.expected_version != token->version)
    return fail(errc::version_conflict, "version_conflict", "The API token's version is stale.",
                {{"current_version", token->version}});
  if (token->revoked)
    return fail(errc::conflict, "invalid_state_transition", "The API token is already revoked.");
  return events{token_revoked{token->id, "revoked"}};
}

}  // namespace

result<std::vector<event>> decide(const token_aggregate& dir, const tenant_aggregate& tenants,
                                  const user_aggregate& users, const token_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        auto t = live_tenant(tenants, c.tenant_ref, std::nullopt);
        if (!t) return std::unexpected(t.error());
        if constexpr (std::is_same_v<T, issue_token>) {
          // A new token needs an active tenant; revoking works in any state.
          if (auto active = require_active(tenants, **t); !active)
            return std::unexpected(active.error());
          return decide_issue(dir, **t, users, c, ctx);
        } else if constexpr (std::is_same_v<T, revoke_token>) {
          return decide_revoke(dir, **t, c);
        } else {
          static_assert(unhandled<T>, "a token command without a decision");
        }
      },
      command);
}

result<const token_state*> acting_token(const token_aggregate& tokens,
                                        const tenant_aggregate& tenants,
                                        const user_aggregate& users, std::string_view token,
                                        timestamp now) {
  const token_state* t = tokens.find(token_id{std::string(token)});
  const tenant_state* tenant = t ? tenants.find(t->tenant) : nullptr;
  const user_state* creator = t ? users.find(t->created_by) : nullptr;
  if (!t || !t->live(now) || !tenant || tenant->deleted || !creator || !creator->in_good_standing())
    return fail(errc::unauthenticated, "unauthenticated",
                "The API token is invalid, revoked or expired.");
  return t;
}

}  // namespace tenantry
