#pragma once
// The key store's rules in memory, for the unit tests of what uses it: keys made on first
// sealing, gone once destroyed, and a switch that makes every call fail as an unreachable
// PostgreSQL would. The real store is tested against PostgreSQL (tests/integration).

#include <map>
#include <string>

#include "events/privacy/key_store.hpp"

namespace tenantry::testing {

class memory_key_store : public key_store {
 public:
  std::map<std::string, data_key, std::less<>> keys;
  int made = 0;
  bool down = false;  // every call fails with key_store_unavailable

  result<data_key> key_for_sealing(std::string_view person) override {
    if (down) return unavailable();
    auto [it, added] = keys.try_emplace(std::string(person), data_key{});
    if (added) {
      it->second = data_key::generate();
      ++made;
    }
    return it->second;
  }
  result<std::optional<data_key>> key_for_opening(std::string_view person) override {
    if (down) return unavailable();
    const auto it = keys.find(person);
    if (it == keys.end()) return std::optional<data_key>();
    return std::optional<data_key>(it->second);
  }
  result<void> destroy(std::string_view person) override {
    if (down) return unavailable();
    if (const auto it = keys.find(person); it != keys.end()) keys.erase(it);
    return {};
  }
  result<void> destroy_before(std::string_view prefix, std::string_view bound) override {
    if (down) return unavailable();
    std::erase_if(keys, [&](const auto& kv) {
      return kv.first.starts_with(prefix) && std::string_view(kv.first) < bound;
    });
    return {};
  }
  void forget(std::string_view) override {}

 private:
  static std::unexpected<error> unavailable() {
    return fail(errc::unavailable, "key_store_unavailable", "the store is down");
  }
};

}  // namespace tenantry::testing
