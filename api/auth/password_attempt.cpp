#include "api/auth/password_attempt.hpp"

#include <algorithm>

#include "api/routes.hpp"

namespace tenantry::api {

password_attempt::password_attempt(services& s, std::string email, std::string address)
    : s_(&s),
      pair_("pair:" + email + "|" + address),
      address_("address:" + std::move(address)),
      account_("account:" + std::move(email)) {}

std::expected<password_attempt, response> password_attempt::begin(services& s,
                                                                  const std::string& email,
                                                                  const std::string& address) {
  password_attempt attempt(s, email, address);
  if (!s.limits || !s.limits->login_failures.enabled()) return attempt;
  rate_limiter& limit = s.limits->login_failures;
  const auto now = rate_limiter::clock::now();
  const rate_decision pair = limit.take(attempt.pair_, now);
  if (!pair.allowed) return std::unexpected(rate_limited(pair));
  const rate_decision from = limit.take(attempt.address_, now);
  if (!from.allowed) {
    limit.give_back(attempt.pair_, now);
    return std::unexpected(rate_limited(from));
  }
  return attempt;
}

std::chrono::milliseconds login_delay(std::uint32_t failures) {
  constexpr std::uint32_t free_failures = 5;
  constexpr std::chrono::milliseconds first{100}, longest{5000};
  if (failures < free_failures) return std::chrono::milliseconds(0);
  const std::uint32_t doublings = std::min<std::uint32_t>(failures - free_failures, 6);
  return std::min(first * (1 << doublings), longest);
}

asio::awaitable<void> password_attempt::wait_turn() const {
  if (!s_->limits) co_return;
  const auto wait =
      login_delay(s_->limits->account_failures.count(account_, rate_limiter::clock::now()));
  if (wait.count() == 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, wait);
  co_await timer.async_wait(asio::use_awaitable);
}

void password_attempt::succeeded() const {
  if (!s_->limits) return;
  const auto now = rate_limiter::clock::now();
  s_->limits->login_failures.give_back(pair_, now);
  s_->limits->login_failures.give_back(address_, now);
}

void password_attempt::failed() const {
  if (s_->metrics) s_->metrics->failed_password_try();
  if (s_->limits) s_->limits->account_failures.take(account_, rate_limiter::clock::now());
}

}  // namespace tenantry::api
