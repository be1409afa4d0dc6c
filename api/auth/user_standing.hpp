#pragma once
// The last step of authenticating a user's access token: is the user still in good
// standing? Kept apart from the token check itself so that other kinds of credentials
// can join the authentication path beside it.

#include "api/http/request_context.hpp"
#include "api/services.hpp"

namespace tenantry::api {

// 401 when this instance's writer has just committed (commands/users/recent_standings.hpp),
// or else the users read model says, that the token's user is deleted or deactivated, or the
// token was issued before the user's last password change (an older auth generation);
// else the principal with only the platform roles the user still holds. One prepared
// lookup by primary key, remembered until the projector commits a change of users. A user the read
// model does not show yet (just registered) and an unreachable database leave the principal as the
// token says: every write is checked again by the writer, on its own current state.
asio::awaitable<result<principal>> in_good_standing(services& s, principal caller);

}  // namespace tenantry::api
