#pragma once
// The objects access can be asked about, found in the write model with the tenant that
// owns each: the writer's half of the object guard (the read side's is
// projections/object_queries.hpp). A new kind is one row in each, and one in
// commands/access/access_policy.hpp's object_kinds (who may see it).

#include <optional>
#include <string>
#include <string_view>

#include "commands/write_model.hpp"

namespace tenantry {

// A live object and where it lives.
struct owned_object {
  std::string kind;
  std::string id;
  std::optional<tenant_id> tenant;  // none: the platform level
  // The email of the user party to the object (an invitation's invitee); empty: none.
  std::string party = {};

  access_object as_access_object() const { return access_object{kind, id}; }
};

// The live object of `kind` named by `ref` (an id, or a slug where the kind has one);
// none when it is missing, deleted, or inside a deleted tenant.
std::optional<owned_object> find_object(const write_model& model, std::string_view kind,
                                        std::string_view ref);

// The ids from the root down to the object's tenant; empty for the platform level.
std::vector<std::string> owner_path(const write_model& model, const owned_object& object);

// Whether `user` is the object's party (see object_kinds in commands/access/access_policy.hpp).
bool is_party(const write_model& model, const owned_object& object, const user_id& user);

// 404 not_found for an object that is missing or hidden from the caller (all alike), with
// details {"resource": kind, "ref": ...}.
std::unexpected<error> object_not_found(std::string_view kind, std::string_view ref);

}  // namespace tenantry
