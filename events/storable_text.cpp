#include "events/storable_text.hpp"

#include <optional>
#include <tuple>
#include <type_traits>
#include <vector>

#include "events/envelope.hpp"

namespace tenantry {
namespace {

template <class Tag>
void make_field_storable(strong_id<Tag>& id) {
  make_storable(id.value);
}
void make_field_storable(std::string& text) {
  make_storable(text);
}
void make_field_storable(std::vector<std::string>& texts) {
  for (auto& t : texts) make_storable(t);
}
void make_field_storable(timestamp&) {}
// Every key and string of a JSON value; a key that held U+0000 is stored under its mapped
// form (the last such key wins).
void make_field_storable(nlohmann::json& value) {
  if (value.is_string()) {
    make_storable(value.get_ref<std::string&>());
  } else if (value.is_array()) {
    for (auto& item : value) make_field_storable(item);
  } else if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto& [key, item] : value.items()) {
      std::string k = key;
      make_storable(k);
      make_field_storable(item);
      out[k] = std::move(item);
    }
    value = std::move(out);
  }
}
// A key that held U+0000 is stored under its mapped form (the last such key wins).
void make_field_storable(metadata_map& map) {
  metadata_map out;
  for (auto& [key, value] : map) {
    std::string k = key;
    make_storable(k);
    make_storable(value);
    out.insert_or_assign(std::move(k), std::move(value));
  }
  map = std::move(out);
}
template <class T>
void make_field_storable(std::optional<T>& value) {
  if (value) make_field_storable(*value);
}

}  // namespace

void make_storable(std::string& text) {
  if (storable(text)) return;
  static constexpr std::string_view replacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '\0')
      out += replacement;
    else
      out += c;
  }
  text = std::move(out);
}

void make_storable(recorded_event& e) {
  std::visit(
      [](auto& payload) {
        using E = std::decay_t<decltype(payload)>;
        std::apply([&](const auto&... f) { (make_field_storable(f.of(payload)), ...); },
                   event_contract<E>::fields);
      },
      e.data);
  event_metadata& m = e.meta;
  for (std::string* text :
       {&m.event_id, &m.subject, &m.aggregate_type, &m.actor, &m.actor_token, &m.correlation_id,
        &m.causation_id, &m.partition_key, &m.idempotency_key, &m.request_hash})
    make_storable(*text);
  if (m.response) make_storable(*m.response);
}

void make_storable_json(std::string& json_text) {
  constexpr std::string_view nul = "\\u0000";
  if (json_text.find(nul) == std::string::npos) return;
  std::string out;
  out.reserve(json_text.size());
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    const char c = json_text[i];
    if (c != '\\' || i + 1 == json_text.size()) {
      out += c;
      continue;
    }
    // An escape: copy it whole, so that "\\u0000" (an escaped backslash) stays as it is.
    if (std::string_view(json_text).substr(i, nul.size()) == nul) {
      out += "\\ufffd";
      i += nul.size() - 1;
    } else {
      out += c;
      out += json_text[++i];
    }
  }
  json_text = std::move(out);
}

}  // namespace tenantry
