#pragma once
// Why decode() failed, for the readers of the log that must tell the two cases apart: an
// event that can never be read (skipped or refused for good) from a key store that did not
// answer (retried, never read as an erasure; docs/privacy.md).

#include "events/result.hpp"

namespace tenantry {

// Whether the failure is the event's own ("invalid_event"): retrying cannot help.
inline bool event_is_unreadable(const error& e) {
  return e.code == "invalid_event";
}

}  // namespace tenantry
