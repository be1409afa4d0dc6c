#include "events/codec.hpp"

#include <unordered_map>
#include <utility>

namespace tenantry {
namespace {

using nlohmann::json;

// ---- encoding: a field's JSON shape follows from its type (events/event_contract.hpp) -----

template <class Tag>
void put(json& j, const char* key, const strong_id<Tag>& v) {
  j[key] = v.value;
}
void put(json& j, const char* key, const std::string& v) {
  j[key] = v;
}
void put(json& j, const char* key, const timestamp& v) {
  j[key] = format_rfc3339(v);
}
void put(json& j, const char* key, const std::vector<std::string>& v) {
  j[key] = v;
}
// Optional ids and times are always there, null when empty.
template <class Tag>
void put(json& j, const char* key, const std::optional<strong_id<Tag>>& v) {
  j[key] = v ? json(v->value) : json(nullptr);
}
void put(json& j, const char* key, const std::optional<timestamp>& v) {
  j[key] = v ? json(format_rfc3339(*v)) : json(nullptr);
}
// An optional text is left out when empty (a PATCH's unchanged field).
void put(json& j, const char* key, const std::optional<std::string>& v) {
  if (v) j[key] = *v;
}
void put(json& j, const char* key, const json& v) {
  j[key] = v;
}
void put(json& j, const char* key, const metadata_map& v) {
  j[key] = json(v);
}
// Optional metadata is left out when empty (unchanged), like an optional text.
void put(json& j, const char* key, const std::optional<metadata_map>& v) {
  if (v) put(j, key, *v);
}

template <class E>
void write(json& j, const E& e) {
  std::apply([&](const auto&... f) { (put(j, f.name, f.of(e)), ...); }, event_contract<E>::fields);
}

// ---- decoding: never throws; remembers the first field that does not fit ----------------

class field_reader {
 public:
  explicit field_reader(const json& j) : j_(j) {}

  bool ok() const { return problem_.empty(); }
  const std::string& problem() const { return problem_; }
  const std::string& field() const { return field_; }

  void text(const char* key, std::string& out) {
    if (const json* v = require(key)) {
      if (v->is_string())
        out = v->get_ref<const std::string&>();
      else
        mistyped(key, "a string");
    }
  }

  template <class Tag>
  void id(const char* key, strong_id<Tag>& out) {
    text(key, out.value);
  }

  // Present, and either null or a string.
  template <class Tag>
  void nullable_id(const char* key, std::optional<strong_id<Tag>>& out) {
    if (const json* v = require(key)) {
      if (v->is_null())
        out.reset();
      else if (v->is_string())
        out = strong_id<Tag>{v->get_ref<const std::string&>()};
      else
        mistyped(key, "a string or null");
    }
  }

  // May be absent (or null); a string when present.
  void optional_text(const char* key, std::optional<std::string>& out) {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return;
    if (it->is_string())
      out = it->get_ref<const std::string&>();
    else
      mistyped(key, "a string");
  }

  void time(const char* key, timestamp& out) {
    std::string text_value;
    text(key, text_value);
    if (!ok()) return;
    if (auto t = parse_rfc3339(text_value))
      out = *t;
    else
      mistyped(key, "an RFC 3339 timestamp");
  }

  // Present, and either null or an RFC 3339 string.
  void nullable_time(const char* key, std::optional<timestamp>& out) {
    const json* v = require(key);
    if (!v) return;
    out.reset();
    if (v->is_null()) return;
    if (!v->is_string()) return mistyped(key, "an RFC 3339 timestamp or null");
    if (auto t = parse_rfc3339(v->get_ref<const std::string&>()))
      out = *t;
    else
      mistyped(key, "an RFC 3339 timestamp or null");
  }

  // Present, any JSON value (a configuration object, a feature flag's value, null included).
  void value(const char* key, json& out) {
    if (const json* v = require(key)) out = *v;
  }

  // An object of strings; absent (an event written before the field existed) is empty.
  void metadata(const char* key, metadata_map& out) {
    out.clear();
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return;
    if (!it->is_object()) return mistyped(key, "an object of strings");
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) return mistyped(key, "an object of strings");
      out.emplace(k, v.get_ref<const std::string&>());
    }
  }

  // May be absent (or null): unchanged; an object of strings when present.
  void optional_metadata(const char* key, std::optional<metadata_map>& out) {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return out.reset();
    metadata(key, out.emplace());
  }

  void text_list(const char* key, std::vector<std::string>& out) {
    const json* v = require(key);
    if (!v) return;
    if (!v->is_array()) return mistyped(key, "an array of strings");
    out.clear();
    out.reserve(v->size());
    for (const auto& item : *v) {
      if (!item.is_string()) return mistyped(key, "an array of strings");
      out.push_back(item.get_ref<const std::string&>());
    }
  }

 private:
  const json* require(const char* key) {
    if (!ok()) return nullptr;
    const auto it = j_.find(key);
    if (it == j_.end()) {
      problem_ = std::string("missing field \"") + key + "\"";
      field_ = key;
      return nullptr;
    }
    return &*it;
  }

  void mistyped(const char* key, const char* expected) {
    if (!ok()) return;
    problem_ = std::string("field \"") + key + "\" must be " + expected;
    field_ = key;
  }

  const json& j_;
  std::string problem_;
  std::string field_;
};

template <class Tag>
void get(field_reader& r, const char* key, strong_id<Tag>& out) {
  r.id(key, out);
}
void get(field_reader& r, const char* key, std::string& out) {
  r.text(key, out);
}
void get(field_reader& r, const char* key, timestamp& out) {
  r.time(key, out);
}
void get(field_reader& r, const char* key, std::vector<std::string>& out) {
  r.text_list(key, out);
}
template <class Tag>
void get(field_reader& r, const char* key, std::optional<strong_id<Tag>>& out) {
  r.nullable_id(key, out);
}
void get(field_reader& r, const char* key, std::optional<timestamp>& out) {
  r.nullable_time(key, out);
}
void get(field_reader& r, const char* key, std::optional<std::string>& out) {
  r.optional_text(key, out);
}
void get(field_reader& r, const char* key, json& out) {
  r.value(key, out);
}
void get(field_reader& r, const char* key, metadata_map& out) {
  r.metadata(key, out);
}
void get(field_reader& r, const char* key, std::optional<metadata_map>& out) {
  r.optional_metadata(key, out);
}

template <class E>
void read(field_reader& r, E& e) {
  std::apply([&](const auto&... f) { (get(r, f.name, f.of(e)), ...); }, event_contract<E>::fields);
}

std::unexpected<error> invalid_event(std::string_view type, std::string message,
                                     std::string_view field = {}) {
  json details = {{"type", std::string(type)}};
  if (!field.empty()) details["field"] = std::string(field);
  return fail(errc::invalid_argument, "invalid_event", std::move(message), std::move(details));
}

template <class T>
result<event> decode_as(std::string_view type, const json& data) {
  T payload{};
  field_reader reader(data);
  read(reader, payload);
  if (!reader.ok())
    return invalid_event(type, std::string(type) + ": " + reader.problem(), reader.field());
  return event{std::in_place_type<T>, std::move(payload)};
}

using decoder = result<event> (*)(std::string_view, const json&);

// Type name -> decoder, built from the variant itself so that no alternative is forgotten.
const std::unordered_map<std::string_view, decoder>& decoders() {
  static const auto table = [] {
    std::unordered_map<std::string_view, decoder> m;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (m.emplace(event_contract<std::variant_alternative_t<I, event>>::type,
                 &decode_as<std::variant_alternative_t<I, event>>),
       ...);
    }
    (std::make_index_sequence<std::variant_size_v<event>>{});
    return m;
  }();
  return table;
}

}  // namespace

json to_json(const event& e) {
  json j = json::object();
  std::visit([&](const auto& payload) { write(j, payload); }, e);
  return j;
}

result<event> event_from_json(std::string_view type, const json& data) {
  const auto& table = decoders();
  const auto it = table.find(type);
  if (it == table.end())
    return invalid_event(type, "unknown event type \"" + std::string(type) + "\"");
  if (!data.is_object())
    return invalid_event(type, std::string(type) + ": payload must be an object");
  try {
    return it->second(type, data);
  } catch (const std::exception& ex) {  // allocation failure; nothing else throws here
    return invalid_event(type, std::string(type) + ": " + ex.what());
  }
}

}  // namespace tenantry
