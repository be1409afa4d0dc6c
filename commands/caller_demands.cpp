#include "commands/caller_demands.hpp"

#include "commands/write_model.hpp"

namespace tenantry {

std::vector<handout> roles_handed_out(const write_model& model, const std::string& tenant_ref,
                                      const std::vector<std::string>& roles) {
  const tenant_state* t = model.tenants.resolve(tenant_ref);
  if (!t) return {};
  std::vector<std::string> out;
  for (const auto& ref : roles) {
    const auto role = model.access.usable_role(model.tenants, *t, ref);
    for (auto& p : model.access.role_permissions(role.value_or(ref))) out.push_back(std::move(p));
  }
  return {handout{model.tenants.path_ids(*t), std::nullopt, std::move(out)}};
}

std::vector<handout> permissions_handed_out(const write_model& model, const std::string& tenant_ref,
                                            const std::vector<std::string>& permissions) {
  std::vector<std::string> known;
  for (const auto& p : permissions)
    if (is_tenant_permission(p)) known.push_back(p);
  const tenant_state* t = model.tenants.resolve(tenant_ref);
  if (!t) return {};
  return {handout{model.tenants.path_ids(*t), std::nullopt, std::move(known)}};
}

}  // namespace tenantry
