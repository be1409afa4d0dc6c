#pragma once
// Crypto-shredding at the log's edge (docs/privacy.md): seals the personal fields of
// events, and the answers they record for idempotency, on their way into the log; opens
// them on their way out; destroys a person's keys before their erasure is appended.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/envelope.hpp"
#include "events/privacy/key_store.hpp"

namespace tenantry {

class event_privacy {
 public:
  // `keys` must outlive this; `kek` names invitees by their address (address_person).
  event_privacy(key_store& keys, key_encryption_key kek);

  // Before an append: seals every event of `batch` in place, and destroys the keys of each
  // person a user.erased of the batch erases. On failure (the store does not answer) the
  // batch must not be appended.
  result<void> seal(std::vector<stored_event>& batch);

  // After a read: opens the personal fields of `data`, the payload of an event of `type`
  // (erased when their key is gone), and the answer `meta` records (dropped when its key
  // is gone). Fails only when the store cannot answer.
  result<void> open(std::string_view type, nlohmann::json& data, event_metadata& meta);

 private:
  result<void> erase_person(nlohmann::json& data);
  result<void> seal_answer(event_metadata& meta);

  key_store& keys_;
  key_encryption_key kek_;
  std::mutex mutex_;        // guards answer_day_: seal runs on the writer's thread only, today
  std::string answer_day_;  // the day whose answers key is current, once older ones went
};

}  // namespace tenantry
