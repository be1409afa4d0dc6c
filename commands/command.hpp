#pragma once
// Commands: what a client asks the single writer to do, as plain data. References to
// tenants are slugs or ids, resolved by the writer against its write model.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/clock.hpp"
#include "events/ids.hpp"
#include "events/users/user_events.hpp"

namespace tenantry {

struct create_tenant {
  std::string name;
  std::optional<std::string> slug;
  std::string description;
  std::optional<std::string> parent;  // ref; none for a root tenant
};

struct update_tenant {
  std::string ref;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
  std::optional<std::int64_t> expected_version;  // If-Match
};

struct move_tenant {
  std::string ref;
  std::optional<std::string> parent;  // none: becomes a root
  std::optional<std::int64_t> expected_version;
};

enum class lifecycle_action { suspend, resume, activate, deactivate };

struct change_tenant_lifecycle {
  std::string ref;
  lifecycle_action action;
  std::string reason;
  std::optional<std::int64_t> expected_version;
};

struct delete_tenant {
  std::string ref;
  bool recursive = false;
  std::optional<std::int64_t> expected_version;
};

struct restore_tenant {
  std::string ref;
  std::optional<std::int64_t> expected_version;
};

struct register_user {
  std::string email;
  std::string name;
  std::string password_hash;  // already argon2id-hashed by the caller
  std::vector<std::string> platform_roles;
  // The bootstrap admin: registered only while no user exists at all, else a no-op.
  bool only_if_first = false;
};

// Reads a user's credentials through the writer (no events): login verifies the password
// off the writer thread, then starts a session.
struct lookup_credentials {
  std::string email;
};

struct start_session {
  user_id user;
  std::string token_hash;
  timestamp expires_at;
  // The user's auth generation when its password was verified: a change since (a new
  // password, a deactivation) refuses the login.
  std::optional<std::int64_t> generation = std::nullopt;
};

struct refresh_session {
  std::string presented_hash;
  std::string new_hash;
  timestamp expires_at;
};

// Custom roles of a tenant (`role` is the role's id; names are unique per tenant).
struct define_role {
  std::string tenant_ref;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
};

struct change_role {
  std::string tenant_ref;
  std::string role;
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
  std::optional<std::int64_t> expected_version;
};

struct delete_role {
  std::string tenant_ref;
  std::string role;
};

struct assign_role {
  std::string tenant_ref;
  std::string principal_type;  // "user" or "group"
  std::string principal_ref;
  std::string role;  // a built-in name, or a custom role's id or name
  std::optional<timestamp> expires_at;
};

struct revoke_role_assignment {
  std::string tenant_ref;
  std::string assignment;
};

struct add_member {
  std::string tenant_ref;
  std::string user_ref;
  std::vector<std::string> roles;
};

struct change_member {
  std::string tenant_ref;
  std::string user_ref;
  std::vector<std::string> roles;
  std::optional<std::int64_t> expected_version;
};

struct remove_member {
  std::string tenant_ref;
  std::string user_ref;
};

// Groups: `tenant_ref` none for a platform group; `group_ref` is a group's id or slug.
struct create_group {
  std::optional<std::string> tenant_ref;
  std::string name;
  std::optional<std::string> slug;
  std::string description;
};

// PATCH (absent fields unchanged) and PUT (the handler sends every field).
struct update_group {
  std::string group_ref;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> slug;
  std::optional<std::int64_t> expected_version;
};

struct delete_group {
  std::string group_ref;
  std::optional<std::int64_t> expected_version;
};

struct add_group_member {
  std::string group_ref;
  std::string user_ref;
};

struct remove_group_member {
  std::string group_ref;
  std::string user_ref;
};

// One permission on one object for a user or a group (object types: tenant, group).
struct grant_permission {
  std::string principal_type;  // "user" or "group"
  std::string principal_ref;
  std::string permission;
  std::string object_type;
  std::string object_ref;
};

struct revoke_permission {
  std::string grant;
};

// An API token for a tenant. The API made the secret and shows it once; only its hash and
// display prefix come here.
struct issue_token {
  std::string tenant_ref;
  std::string created_by;  // the caller's user id
  std::string name;
  std::string description;
  std::vector<std::string> scopes;
  std::string secret_hash;
  std::string prefix;
  timestamp expires_at;
};

struct revoke_token {
  std::string tenant_ref;
  std::string token;  // the token's id
  std::optional<std::int64_t> expected_version;
};

// ---- the user lifecycle (issue 4); `ref` is a user's id or email -----------------------

// PUT (email and name given) or PATCH of a user; an absent field is unchanged.
struct update_user {
  std::string ref;
  std::optional<std::string> email = std::nullopt;
  std::optional<std::string> name = std::nullopt;
  std::optional<std::vector<std::string>> platform_roles = std::nullopt;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// A PATCH of a user's profile: an absent field is unchanged, "" clears it.
struct change_user_profile {
  std::string ref;
  std::optional<std::string> display_name = std::nullopt, locale = std::nullopt,
                             timezone = std::nullopt, phone = std::nullopt,
                             avatar_url = std::nullopt, job_title = std::nullopt,
                             bio = std::nullopt;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// Deactivate (active = false) or activate a user.
struct change_user_activation {
  std::string ref;
  bool active = false;
  std::string reason;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

struct delete_user {
  std::string ref;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

struct restore_user {
  std::string ref;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

struct change_password {
  std::string ref;
  std::string password_hash;  // the new password, already argon2id-hashed by the caller
  // Set when the caller proved it knew the current password: the stored hash it verified.
  // Refused when the password changed in between.
  std::optional<std::string> verified_hash = std::nullopt;
  std::optional<std::int64_t> expected_version = std::nullopt;
};

// Invitations. The API hashes the secret token (and a registering invitee's password);
// the writer sees only the hashes.
struct send_invitation {
  std::string tenant_ref;
  std::string invitee;  // an email address
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  std::int64_t expires_in = 0;  // seconds
  std::string token_hash;
  user_id invited_by;
};

enum class invitation_reply { accept, decline };

// Accepting with the token registers the invitee: its account's name and password hash.
struct invitee_account {
  std::string name;
  std::string password_hash;
};

// By the invitee signed in (`user`), or by whoever holds the token (`token_hash`).
struct answer_invitation {
  std::string invitation;
  invitation_reply reply = invitation_reply::accept;
  std::optional<user_id> user;
  std::optional<std::string> token_hash;
  std::optional<invitee_account> account;
};

struct revoke_invitation {
  std::string invitation;
  std::optional<std::int64_t> expected_version;
};

using command =
    std::variant<create_tenant, update_tenant, move_tenant, change_tenant_lifecycle, delete_tenant,
                 restore_tenant, register_user, lookup_credentials, start_session, refresh_session,
                 define_role, change_role, delete_role, assign_role, revoke_role_assignment,
                 add_member, change_member, remove_member, create_group, update_group, delete_group,
                 add_group_member, remove_group_member, grant_permission, revoke_permission,
                 issue_token, revoke_token, update_user, change_user_profile,
                 change_user_activation, delete_user, restore_user, change_password,
                 send_invitation, answer_invitation, revoke_invitation>;

// Who besides permission holders may act on an object: nobody, also its party (the user
// an invitation was sent to), or only its party.
enum class object_party { none, also, only };

// Who sends a command and what it needs: the writer checks it against its own state
// (the API checked it against the read models first, which may lag by a few ms).
struct command_authorization {
  std::string user_id;
  std::vector<std::string> platform_roles;
  std::string permission;
  std::optional<std::string> tenant_ref;  // none: the platform level
  // An object guard: `permission` on the tenant that owns this object (the platform level
  // when it has none); the writer finds that tenant itself. Kinds: see object_kinds.hpp.
  std::string object_kind = {};
  std::string object_ref = {};
  // Set when the caller is an API token: the writer judges the token's own state (revoked,
  // expired) and its creator's current roles limited to the token's scopes.
  std::string token_id{};
  // Set: allowed without `permission` when this user ref names the caller itself.
  std::optional<std::string> self_ref = std::nullopt;
  // The auth generation of the caller's access token: one older than the user's (a
  // password change since) is refused.
  std::optional<std::int64_t> auth_generation = std::nullopt;
  // Whether the object's party (an invitation's invitee) may act too, or only it (then
  // `permission` is empty). The party may always see the object: 403, never 404.
  object_party party = object_party::none;
};

// What decide() may use besides the state: the time and fresh ids are injected so that
// aggregates stay pure and tests deterministic.
struct decide_context {
  timestamp now{};
  std::function<std::string()> new_id;
  int max_depth = 10;
};

}  // namespace tenantry
