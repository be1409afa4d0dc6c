#pragma once
// Queries of the invitations read model: plain rows out, libpqxx exceptions on failures.
// The status is the one as of `now`: a pending invitation past its expiry is expired.
// Invitations inside a deleted tenant are hidden with it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "events/clock.hpp"

namespace tenantry {

struct invitation_row {
  std::string id, tenant_id, invitee;
  std::vector<std::string> roles;       // built-in names and custom role ids
  std::vector<std::string> role_names;  // the same roles, named
  std::vector<std::string> permissions;
  std::string status;
  std::string token_hash;  // for checking a presented token; never shown
  timestamp expires_at{};
  std::string invited_by;
  std::optional<std::string> answered_by;
  std::optional<timestamp> answered_at;
  std::int64_t version = 0;
  timestamp created_at{}, updated_at{};
};

struct invitation_filter {
  std::optional<std::string> tenant_id;  // a tenant's invitations, or
  std::optional<std::string> invitee;    // those sent to this (lowercased) email
  std::optional<std::string> status;     // pending, accepted, declined, revoked, expired
  bool newest_first = false;
  timestamp now{};
  int page = 1;
  int page_size = 20;
};

struct invitation_page {
  std::int64_t count = 0;
  std::vector<invitation_row> rows;
};

std::optional<invitation_row> find_invitation(pqxx::connection& conn, std::string_view id,
                                              timestamp now);
invitation_page list_invitations(pqxx::connection& conn, const invitation_filter& filter);

}  // namespace tenantry
