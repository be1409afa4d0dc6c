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
};

struct refresh_session {
  std::string presented_hash;
  std::string new_hash;
  timestamp expires_at;
};

using command =
    std::variant<create_tenant, update_tenant, move_tenant, change_tenant_lifecycle, delete_tenant,
                 restore_tenant, register_user, lookup_credentials, start_session, refresh_session>;

// What decide() may use besides the state: the time and fresh ids are injected so that
// aggregates stay pure and tests deterministic.
struct decide_context {
  timestamp now{};
  std::function<std::string()> new_id;
  int max_depth = 10;
};

}  // namespace tenantry
