#pragma once
// The objects a route guard can name, found in the read models with the tenant that owns
// each: the read side's half of the object guard (the writer's is
// commands/object_kinds.hpp). A new kind is one row in the table of object_queries.cpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection>

namespace tenantry {

// A live object and where it lives.
struct object_owner {
  std::string kind;
  std::string id;
  std::vector<std::string> path;  // the owning tenant's, root first; empty: the platform
  std::string party = {};         // the email of its party (an invitation's invitee)
};

// The live object of `kind` named by `ref` (an id, or a slug where the kind has one);
// none when missing, deleted or inside a deleted tenant, or of an unknown kind.
std::optional<object_owner> find_object_owner(pqxx::connection& conn, std::string_view kind,
                                              std::string_view ref);

}  // namespace tenantry
