// The users' commands on the whole write model: what the pure rules of user_aggregate
// cannot see (the API tokens a deleted user issued).

#include "commands/write_model.hpp"

namespace tenantry {
namespace {

// A user's soft delete also revokes the API tokens it issued, in the same transaction: a
// restore brings the user back, never its tokens (like its sessions and access tokens).
result<std::vector<event>> decide_user_delete(const write_model& model, const delete_user& c,
                                              const decide_context& ctx) {
  auto out = decide(model.users, user_lifecycle_command{c}, ctx);
  if (!out) return out;
  std::vector<event> revocations;
  for (const event& e : *out)
    if (const auto* deleted = std::get_if<user_deleted>(&e))
      for (const token_state* t : model.tokens.live_tokens_by(deleted->id, ctx.now))
        revocations.push_back(token_revoked{t->id, "user_deleted"});
  out->insert(out->end(), revocations.begin(), revocations.end());
  return out;
}

}  // namespace

result<std::vector<event>> decide(const write_model& model, const user_command& command,
                                  const decide_context& ctx) {
  return std::visit(
      [&](const auto& c) -> result<std::vector<event>> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, lookup_credentials>)
          return std::vector<event>{};  // a read through the writer: decides nothing
        else if constexpr (is_alternative_v<T, user_account_command>)
          return decide(model.users, user_account_command{c}, ctx);
        else if constexpr (std::is_same_v<T, delete_user>)
          return decide_user_delete(model, c, ctx);
        else if constexpr (is_alternative_v<T, user_lifecycle_command>)
          return decide(model.users, user_lifecycle_command{c}, ctx);
        else
          static_assert(unhandled<T>, "a user command without a decision");
      },
      command);
}

// A lifecycle command changes the user it names: its platform roles must not outrank the
// caller's. Registration, logins and lookups hand out nothing and change nobody's access.
caller_demands demands_of(const write_model&, const user_command& command) {
  return std::visit(
      [](const auto& c) -> caller_demands {
        using T = std::decay_t<decltype(c)>;
        if constexpr (is_alternative_v<T, user_lifecycle_command>)
          return {.changed_user = c.ref};
        else if constexpr (std::is_same_v<T, register_user>)
          return {};
        else if constexpr (std::is_same_v<T, lookup_credentials> ||
                           std::is_same_v<T, start_session> || std::is_same_v<T, refresh_session> ||
                           std::is_same_v<T, upgrade_password_hash>)
          return {.anonymous = true};  // a login: the password is what proves the caller
        else
          static_assert(unhandled<T>, "a user command without its demands on the caller");
      },
      command);
}

}  // namespace tenantry
