#include "api/auth/user_standing.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "api/http/offload.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::api {

namespace {

// The read model's answer, from the cache while the projector changed no user since.
asio::awaitable<result<std::optional<user_standing>>> standing_of(services& s,
                                                                  const std::string& id) {
  const std::int64_t epoch = s.read_side.users_epoch();  // before the read: never newer
  if (s.standings)
    if (auto known = s.standings->find(id, epoch)) co_return std::move(*known);
  auto lookup = [id](pqxx::connection& c) { return find_user_standing(c, id); };
  auto standing = co_await query(s.db, std::move(lookup));
  if (standing && s.standings) s.standings->insert(id, epoch, *standing);
  co_return standing;
}

// 401 for a user out of good standing or a token of an older auth generation; else the
// caller with only the platform roles the user still holds.
result<principal> judged(principal caller, bool good_standing, std::int64_t generation,
                         const std::vector<std::string>& platform_roles) {
  const bool outdated = caller.auth_generation && *caller.auth_generation < generation;
  if (!good_standing || outdated)
    return fail(errc::unauthenticated, "unauthenticated",
                "The access token is invalid or expired.");
  std::erase_if(caller.platform_roles, [&](const std::string& r) {
    return std::ranges::find(platform_roles, r) == platform_roles.end();
  });
  return caller;
}

}  // namespace

asio::awaitable<result<principal>> in_good_standing(services& s, principal caller) {
  // What this instance's writer committed and the read models do not show yet comes first:
  // access ends with the acknowledgement of the command that ends it.
  if (auto fresh = s.writer.standings().find(caller.user_id, s.read_side.position()))
    co_return judged(std::move(caller), fresh->in_good_standing, fresh->auth_generation,
                     fresh->platform_roles);
  auto standing = co_await standing_of(s, caller.user_id);
  if (!standing) {
    spdlog::debug("user standing of {} unknown ({}); the writer checks writes", caller.user_id,
                  standing.error().message);
    co_return caller;
  }
  if (!*standing) co_return caller;
  const user_standing& u = **standing;
  co_return judged(std::move(caller), !u.is_deleted && u.is_active, u.auth_generation,
                   u.platform_roles);
}

}  // namespace tenantry::api
