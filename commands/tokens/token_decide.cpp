// The API tokens' commands on the whole write model, and what they hand out.

#include "commands/write_model.hpp"

namespace tenantry {

result<std::vector<event>> decide(const write_model& model, const token_command& command,
                                  const decide_context& ctx) {
  return decide(model.tokens, model.tenants, model.users, command, ctx);
}

caller_demands demands_of(const write_model& model, const token_command& command) {
  return std::visit(
      [&](const auto& c) -> caller_demands {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, issue_token>)
          return {true, permissions_handed_out(model, c.tenant_ref, c.scopes)};
        else if constexpr (std::is_same_v<T, revoke_token>)
          return {};
        else
          static_assert(unhandled<T>, "a token command without its demands on the caller");
      },
      command);
}

}  // namespace tenantry
