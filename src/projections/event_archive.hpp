#pragma once
// The events table: every event the projector saw, undecoded, keyed by its log offset.

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

#include "events/envelope.hpp"

namespace tenantry {

// Writes the batch in one statement; a position already archived is left as it is.
void archive_events(pqxx::transaction_base& tx, const std::vector<stored_event>& batch);

// The archived events of one aggregate (by subject), oldest first, up to and including
// position `up_to`.
std::vector<stored_event> archived_history(pqxx::transaction_base& tx, const std::string& subject,
                                           std::int64_t up_to);

}  // namespace tenantry
