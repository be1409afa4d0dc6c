#include "commands/object_kinds.hpp"

namespace tenantry {
namespace {

bool live_tenant_id(const tenant_aggregate& tenants, const std::optional<tenant_id>& id) {
  if (!id) return true;
  const tenant_state* t = tenants.find(*id);
  return t && !t->deleted;
}

using finder = std::optional<owned_object> (*)(const write_model&, std::string_view);

std::optional<owned_object> find_tenant(const write_model& m, std::string_view ref) {
  const tenant_state* t = m.tenants.resolve(ref);
  if (!t || t->deleted) return std::nullopt;
  return owned_object{"tenant", t->id.value, t->id};
}

std::optional<owned_object> find_group(const write_model& m, std::string_view ref) {
  const group_state* g = m.groups.resolve(ref);
  if (!g || g->deleted || !live_tenant_id(m.tenants, g->tenant)) return std::nullopt;
  return owned_object{"group", g->id.value, g->tenant};
}

// A revoked grant is still there (revoking it again is a conflict, not a 404).
std::optional<owned_object> find_grant(const write_model& m, std::string_view ref) {
  const grant_state* g = m.grants.find(grant_id{std::string(ref)});
  if (!g || !live_tenant_id(m.tenants, g->tenant)) return std::nullopt;
  return owned_object{"grant", g->id.value, g->tenant};
}

// An answered, revoked or expired invitation is still there (answering it again is a
// conflict, not a 404); its invitee is its party.
std::optional<owned_object> find_invitation(const write_model& m, std::string_view ref) {
  const invitation_state* i = m.invitations.find(invitation_id{std::string(ref)});
  if (!i || !live_tenant_id(m.tenants, i->tenant)) return std::nullopt;
  return owned_object{"invitation", i->id.value, i->tenant, i->invitee};
}

// A revoked or expired API token is still there (listed; revoking it again is a conflict).
std::optional<owned_object> find_token(const write_model& m, std::string_view ref) {
  const token_state* t = m.tokens.find(token_id{std::string(ref)});
  if (!t || !live_tenant_id(m.tenants, t->tenant)) return std::nullopt;
  return owned_object{"token", t->id.value, t->tenant};
}

// The one table: kind -> how to find it and its owning tenant.
constexpr std::pair<std::string_view, finder> finders[] = {{"tenant", find_tenant},
                                                           {"group", find_group},
                                                           {"grant", find_grant},
                                                           {"invitation", find_invitation},
                                                           {"token", find_token}};

}  // namespace

std::optional<owned_object> find_object(const write_model& model, std::string_view kind,
                                        std::string_view ref) {
  for (const auto& [name, find] : finders)
    if (name == kind) return find(model, ref);
  return std::nullopt;
}

std::vector<std::string> owner_path(const write_model& model, const owned_object& object) {
  if (!object.tenant) return {};
  const tenant_state* t = model.tenants.find(*object.tenant);
  return t ? model.tenants.path_ids(*t) : std::vector<std::string>{};
}

bool is_party(const write_model& model, const owned_object& object, const user_id& user) {
  if (object.party.empty()) return false;
  const user_state* u = model.users.find(user);
  return u && u->email == object.party;
}

std::unexpected<error> object_not_found(std::string_view kind, std::string_view ref) {
  if (kind == "tenant") return tenant_not_found(ref);
  return fail(errc::not_found, "not_found",
              "No " + std::string(kind) + " '" + std::string(ref) + "' exists.",
              {{"resource", std::string(kind)}, {"ref", std::string(ref)}});
}

}  // namespace tenantry
