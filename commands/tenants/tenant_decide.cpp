// The tenants' commands on the whole write model: what the pure rules of tenant_aggregate
// cannot see (the members a delete would leave behind).

#include "commands/write_model.hpp"

namespace tenantry {
namespace {

// A tenant with members is not deleted without recursive=true (its members come back
// with it on restore). A deleted user's membership does not count: it stays, hidden, and
// comes back with the user's restore, or, once the tenant is deleted too, with the tenant's.
result<std::vector<event>> decide_delete(const write_model& model, const delete_tenant& c,
                                         const decide_context& ctx) {
  auto decided = decide(model.tenants, tenant_command{c}, ctx);
  if (!decided || c.recursive) return decided;
  const tenant_state* t = model.tenants.resolve(c.ref);
  const std::size_t members = t ? model.access.member_count(t->id, model.users) : 0;
  if (members > 0)
    return fail(errc::conflict, "tenant_not_empty",
                "Tenant '" + t->slug + "' has members; delete with recursive=true.",
                {{"members", members}});
  return decided;
}

}  // namespace

result<std::vector<event>> decide(const write_model& model, const tenant_command& command,
                                  const decide_context& ctx) {
  if (const auto* d = std::get_if<delete_tenant>(&command)) return decide_delete(model, *d, ctx);
  return decide(model.tenants, command, ctx);
}

// Tenant commands hand out no access and change no user.
caller_demands demands_of(const write_model&, const tenant_command&) {
  return {};
}

}  // namespace tenantry
