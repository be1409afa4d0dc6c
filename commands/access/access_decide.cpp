// The access commands on the whole write model, and what they hand out.

#include "commands/write_model.hpp"

namespace tenantry {

result<std::vector<event>> decide(const write_model& model, const access_command& command,
                                  const decide_context& ctx) {
  return decide(model.access, model.tenants, model.users, model.groups, command, ctx);
}

caller_demands demands_of(const write_model& model, const access_command& command) {
  return std::visit(
      [&](const auto& c) -> caller_demands {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, define_role> || std::is_same_v<T, change_role>)
          return {true, permissions_handed_out(model, c.tenant_ref, c.permissions)};
        else if constexpr (std::is_same_v<T, assign_role>)
          return {true, roles_handed_out(model, c.tenant_ref, {c.role})};
        else if constexpr (std::is_same_v<T, add_member>)
          return {true,
                  roles_handed_out(model, c.tenant_ref,
                                   c.roles.empty() ? std::vector<std::string>{"member"} : c.roles)};
        else if constexpr (std::is_same_v<T, change_member>)
          return {true, roles_handed_out(model, c.tenant_ref, c.roles)};
        else if constexpr (std::is_same_v<T, delete_role> ||
                           std::is_same_v<T, revoke_role_assignment> ||
                           std::is_same_v<T, remove_member>)
          return {};  // taking access away hands out nothing
        else
          static_assert(unhandled<T>, "an access command without its demands on the caller");
      },
      command);
}

}  // namespace tenantry
