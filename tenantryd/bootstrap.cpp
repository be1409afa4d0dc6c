#include "tenantryd/bootstrap.hpp"

#include <future>
#include <thread>

#include <spdlog/spdlog.h>

namespace tenantry {

void bootstrap_admin(command_processor& writer, const std::string& email,
                     const std::string& password, const api::password_hash_params& params,
                     std::stop_token stop) {
  if (email.empty() || password.empty()) return;
  auto hash = api::hash_password(password, params);
  if (!hash) {
    spdlog::error("bootstrap admin: {}", hash.error().message);
    return;
  }
  while (!stop.stop_requested()) {
    if (writer.state() != writer_state::ready) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::promise<command_reply> answer;
    writer.submit(command_request{
        register_user{email, "Administrator", *hash, {"super_admin"}, true},
        "system",
        "bootstrap",
        "",
        "",
        [](const command_effect& e) {
          return command_outcome{e.events.empty() ? outcome::done : outcome::created};
        },
        [&](command_reply r) { answer.set_value(std::move(r)); },
        {},
        "",
        /*trusted=*/true});
    auto r = answer.get_future().get();
    if (!r.response) {
      spdlog::warn("bootstrap admin: {}; retrying", r.response.error().message);
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (r.response->kind == outcome::created) spdlog::info("bootstrap admin {} registered", email);
    return;
  }
}

}  // namespace tenantry
