#pragma once
// Where crypto-shredding's data keys live (docs/privacy.md): a person's key is made once,
// read by every reader of the log, and destroyed by their erasure. A store keeps keys
// wrapped by the KEK and hands them out unwrapped. Calls block: never on an I/O thread.

#include <optional>
#include <string_view>

#include "events/privacy/data_key.hpp"
#include "events/result.hpp"

namespace tenantry {

class key_store {
 public:
  virtual ~key_store() = default;
  // The person's key, made and stored before the call returns when they have none.
  virtual result<data_key> key_for_sealing(std::string_view person) = 0;
  // The person's key; nullopt when they have none (never had one, or were erased).
  virtual result<std::optional<data_key>> key_for_opening(std::string_view person) = 0;
  // Destroys the person's key: from the return on, nothing opens their fields here.
  virtual result<void> destroy(std::string_view person) = 0;
  // Destroys every key whose person starts with `prefix` and sorts before `bound`.
  virtual result<void> destroy_before(std::string_view prefix, std::string_view bound) = 0;
  // Drops what this process remembers of the person's key (another process erased them).
  virtual void forget(std::string_view person) = 0;
};

}  // namespace tenantry
