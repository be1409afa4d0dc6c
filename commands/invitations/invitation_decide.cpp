#include <algorithm>

#include "commands/object_kinds.hpp"
#include "commands/write_model.hpp"
#include "events/secret_compare.hpp"

namespace tenantry {
namespace {

using events = std::vector<event>;

// The invitation a command names: 404 when it is missing or inside a deleted tenant.
result<const invitation_state*> find_invitation(const write_model& m, const std::string& ref) {
  if (!find_object(m, "invitation", ref)) return object_not_found("invitation", ref);
  return m.invitations.find(invitation_id{ref});
}

// 409 invitation_not_pending unless its recorded status is pending.
result<void> require_pending(const invitation_state& i) {
  if (i.status == invitation_status::pending) return {};
  const std::string status(to_string(i.status));
  return fail(errc::conflict, "invitation_not_pending", "The invitation is " + status + ".",
              {{"status", status}});
}

// One invitation at a time per email and tenant; an expired one still pending by its
// recorded status is recorded as expired on the way.
result<events> decide_send(const write_model& m, const send_invitation& c,
                           const decide_context& ctx) {
  auto found = active_tenant(m.tenants, c.tenant_ref);
  if (!found) return std::unexpected(found.error());
  const tenant_state& t = **found;
  if (!plausible_email(c.invitee)) return validation("invitee", "must be an email address");
  if (c.expires_in < 1 || c.expires_in > max_invitation_lifetime)
    return validation("expires_in", "must be between 1 and " +
                                        std::to_string(max_invitation_lifetime) + " seconds");
  if (c.token_hash.empty()) return validation("token", "the invitation needs a token");
  auto roles = usable_roles(m.access, m.tenants, t, c.roles);
  if (!roles) return std::unexpected(roles.error());
  auto permissions = checked_permissions(c.permissions);
  if (!permissions) return std::unexpected(permissions.error());
  const std::string email = normalize_email(c.invitee);
  if (const user_state* u = m.users.find_by_email(email); u && m.access.membership(t.id, u->id))
    return fail(errc::conflict, "already_member",
                "'" + email + "' is already a member of '" + t.slug + "'.");
  events out;
  if (const invitation_state* earlier = m.invitations.pending_for(t.id, email)) {
    if (earlier->status_at(ctx.now) == invitation_status::pending)
      return fail(errc::conflict, "invitation_pending",
                  "'" + email + "' already has a pending invitation to '" + t.slug + "'.",
                  {{"invitation", earlier->id.value}});
    out.push_back(invitation_expired{earlier->id});
  }
  out.push_back(invitation_sent{invitation_id{ctx.new_id()}, t.id, email, std::move(*roles),
                                std::move(*permissions), c.token_hash,
                                ctx.now + std::chrono::seconds(c.expires_in), c.invited_by});
  return out;
}

// The user who accepts: the signed-in invitee, or the account the token registers now
// (its user_registered event goes into `out`).
result<user_id> acceptor(const write_model& m, const invitation_state& i,
                         const answer_invitation& c, const decide_context& ctx, events& out) {
  if (!c.token_hash) return *c.user;
  if (m.users.find_by_email(i.invitee))
    return fail(
        errc::conflict, "email_taken",
        "An account for " + i.invitee + " exists: sign in as it and accept without the token.");
  if (!c.account)
    return validation("password",
                      "is needed to accept with the token (it registers " + i.invitee + ")");
  register_user registration{i.invitee, c.account->name, c.account->password_hash, {}, false};
  auto registered = decide(m.users, user_account_command{std::move(registration)}, ctx);
  if (!registered) return std::unexpected(registered.error());
  const user_id user = std::get<user_registered>(registered->front()).id;
  for (auto& e : *registered) out.push_back(std::move(e));
  return user;
}

// The invitee becomes a member with the invitation's roles (added to those it holds
// already, if it became a member meanwhile) and holds its permissions as grants on the
// tenant. The grants are built here rather than by decide_grant: a user registered by
// this same command is not in the write model yet.
result<events> decide_accept(const write_model& m, const invitation_state& i,
                             const answer_invitation& c, const decide_context& ctx) {
  const tenant_state& t = *m.tenants.find(i.tenant);
  if (auto active = require_active(m.tenants, t); !active) return std::unexpected(active.error());
  for (const auto& role : i.roles)
    if (!m.access.usable_role(m.tenants, t, role))
      return fail(errc::conflict, "invitation_outdated",
                  "The invitation's role '" + m.access.role_name(role) +
                      "' no longer exists; revoke it and invite again.",
                  {{"role", role}});
  events out;
  auto user = acceptor(m, i, c, ctx, out);
  if (!user) return std::unexpected(user.error());
  out.push_back(invitation_accepted{i.id, *user});
  if (const membership_state* member = m.access.membership(t.id, *user)) {
    std::vector<std::string> roles = member->roles;
    for (const auto& role : i.roles)
      if (std::ranges::find(roles, role) == roles.end()) roles.push_back(role);
    if (roles != member->roles) out.push_back(member_changed{member->id, std::move(roles)});
  } else {
    out.push_back(member_added{membership_id{ctx.new_id()}, t.id, *user, i.roles});
  }
  for (const auto& permission : i.permissions) {
    permission_granted grant{
        grant_id{ctx.new_id()}, "user", user->value, permission, "tenant", t.id.value, t.id};
    if (!m.grants.same_grant(grant)) out.push_back(std::move(grant));
  }
  return out;
}

result<events> decide_answer(const write_model& m, const answer_invitation& c,
                             const decide_context& ctx) {
  auto found = find_invitation(m, c.invitation);
  if (!found) return std::unexpected(found.error());
  const invitation_state& i = **found;
  // Only the invitee answers: the token's holder, or the signed-in user with its email
  // (the writer's object guard checked that already; anyone else learns nothing).
  const user_state* signed_in = c.user ? m.users.find(*c.user) : nullptr;
  const bool invitee = c.token_hash ? same_secret(*c.token_hash, i.token_hash)
                                    : signed_in && signed_in->email == i.invitee;
  if (!invitee) return object_not_found("invitation", c.invitation);
  if (auto pending = require_pending(i); !pending) return std::unexpected(pending.error());
  if (i.status_at(ctx.now) == invitation_status::expired) return events{invitation_expired{i.id}};
  if (c.reply == invitation_reply::decline)
    return events{invitation_declined{i.id, c.token_hash ? std::nullopt : c.user}};
  return decide_accept(m, i, c, ctx);
}

result<events> decide_check(const write_model& m, const check_invitation_token& c,
                            const decide_context& ctx) {
  auto found = find_invitation(m, c.invitation);
  if (!found) return std::unexpected(found.error());
  const invitation_state& i = **found;
  if (!same_secret(c.token_hash, i.token_hash)) return object_not_found("invitation", c.invitation);
  if (auto pending = require_pending(i); !pending) return std::unexpected(pending.error());
  if (i.status_at(ctx.now) == invitation_status::expired)
    return fail(errc::conflict, "invitation_not_pending", "The invitation is expired.",
                {{"status", "expired"}});
  if (m.users.find_by_email(i.invitee))
    return fail(
        errc::conflict, "email_taken",
        "An account for " + i.invitee + " exists: sign in as it and accept without the token.");
  return events{};
}

result<events> decide_revoke(const write_model& m, const revoke_invitation& c,
                             const decide_context& ctx) {
  auto found = find_invitation(m, c.invitation);
  if (!found) return std::unexpected(found.error());
  const invitation_state& i = **found;
  if (c.expected_version && *c.expected_version != i.version)
    return fail(errc::version_conflict, "version_conflict", "The invitation's version is stale.",
                {{"current_version", i.version}});
  if (auto active = require_active(m.tenants, *m.tenants.find(i.tenant)); !active)
    return std::unexpected(active.error());
  if (auto pending = require_pending(i); !pending) return std::unexpected(pending.error());
  if (i.status_at(ctx.now) == invitation_status::expired) return events{invitation_expired{i.id}};
  return events{invitation_revoked{i.id, "revoked"}};
}

}  // namespace

result<std::vector<event>> decide(const write_model& model, const invitation_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<events> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, send_invitation>)
          return decide_send(model, c, ctx);
        else if constexpr (std::is_same_v<T, answer_invitation>)
          return decide_answer(model, c, ctx);
        else if constexpr (std::is_same_v<T, revoke_invitation>)
          return decide_revoke(model, c, ctx);
        else if constexpr (std::is_same_v<T, check_invitation_token>)
          return decide_check(model, c, ctx);
        else
          static_assert(unhandled<T>, "an invitation command without a decision");
      },
      command);
}

caller_demands demands_of(const write_model& model, const invitation_command& command) {
  return std::visit(
      [&](const auto& c) -> caller_demands {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, send_invitation>) {
          std::vector<handout> out = roles_handed_out(model, c.tenant_ref, c.roles);
          if (!out.empty())
            for (const auto& p : c.permissions)
              if (is_tenant_permission(p)) out.front().permissions.push_back(p);  // else a 400
          return {true, std::move(out)};
        } else if constexpr (std::is_same_v<T, answer_invitation>) {
          return {.anonymous = c.token_hash.has_value()};  // the token proves the invitee
        } else if constexpr (std::is_same_v<T, check_invitation_token>) {
          return {.anonymous = true};
        } else if constexpr (std::is_same_v<T, revoke_invitation>) {
          return {};
        } else {
          static_assert(unhandled<T>, "an invitation command without its demands on the caller");
        }
      },
      command);
}

}  // namespace tenantry
