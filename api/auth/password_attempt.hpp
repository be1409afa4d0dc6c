#pragma once
// One try of a password (a login, or proving the current one) for an account from a client
// address. It is counted before the password is verified, so parallel tries cannot all pass
// the check first: a hard limit per (account, address) and per address, given back when the
// password was right; and, per account alone, only a growing delay, so that strangers'
// failures never lock its owner out.

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>

#include "api/http/asio.hpp"
#include "api/http/http_server.hpp"
#include "api/services.hpp"

namespace tenantry::api {

class password_attempt {
 public:
  // Counts the try; the 429 to answer when the pair's or the address's limit is spent.
  static std::expected<password_attempt, response> begin(services& s, const std::string& email,
                                                         const std::string& address);

  // Waits (on a timer, no thread held) as long as the account's recent failures ask.
  asio::awaitable<void> wait_turn() const;
  // The password was right: the try is given back.
  void succeeded() const;
  // The password was wrong: the try stays counted, and the account's delay grows.
  void failed() const;
  // Nothing was verified (the server was too busy): the try is given back.
  void abandoned() const { succeeded(); }

 private:
  password_attempt(services& s, std::string email, std::string address);
  services* s_;
  std::string pair_, address_, account_;
};

// The delay before verifying a password for an account with `failures` recent failures:
// none for the first 5, then 100 ms doubling up to 5 s.
std::chrono::milliseconds login_delay(std::uint32_t failures);

}  // namespace tenantry::api
