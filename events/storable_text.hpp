#pragma once
// Text the read side can store. PostgreSQL's text and jsonb hold no U+0000, so the writer
// refuses such text in anything that reaches an event (request bodies, path and query
// values, the Idempotency-Key), and the projector maps what a log may already hold:
// U+0000 becomes U+FFFD, the replacement character, on the way into PostgreSQL.

#include <string>
#include <string_view>

namespace tenantry {

// Whether `text` holds no U+0000.
inline bool storable(std::string_view text) {
  return text.find('\0') == std::string_view::npos;
}

// Replaces every U+0000 of `text` with U+FFFD.
void make_storable(std::string& text);

struct recorded_event;
// Replaces every U+0000 of every text of the event, its payload's fields (as its contract
// names them) and its metadata alike.
void make_storable(recorded_event& e);

// Replaces every \u0000 escape of a JSON text with \ufffd, leaving every other escape (an
// escaped backslash followed by "u0000" among them) as it is.
void make_storable_json(std::string& json_text);

}  // namespace tenantry
