#pragma once
// What a client asks of invitations, as plain data.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "events/ids.hpp"

namespace tenantry {

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

// Before the API hashes a registering invitee's password: 404 unless `token_hash` opens
// the invitation, 409 unless it is pending and no account has its email. Decides nothing.
struct check_invitation_token {
  std::string invitation;
  std::string token_hash;
};

using invitation_command =
    std::variant<send_invitation, answer_invitation, revoke_invitation, check_invitation_token>;

}  // namespace tenantry
