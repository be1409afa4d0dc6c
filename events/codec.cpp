#include "events/codec.hpp"

#include <unordered_map>
#include <utility>

namespace tenantry {
namespace {

using nlohmann::json;

// ---- encoding: one overload per payload shape -------------------------------------------

json nullable(const std::optional<tenant_id>& id) {
  return id ? json(id->value) : json(nullptr);
}

void write(json& j, const tenant_created& e) {
  j["id"] = e.id.value;
  j["slug"] = e.slug;
  j["name"] = e.name;
  j["description"] = e.description;
  j["parent"] = nullable(e.parent);
}

void write(json& j, const tenant_updated& e) {
  j["id"] = e.id.value;
  if (e.name) j["name"] = *e.name;
  if (e.description) j["description"] = *e.description;
  if (e.slug) j["slug"] = *e.slug;
}

void write(json& j, const tenant_moved& e) {
  j["id"] = e.id.value;
  j["from_parent"] = nullable(e.from_parent);
  j["to_parent"] = nullable(e.to_parent);
}

template <class Tag>
void write(json& j, const tenant_lifecycle_event<Tag>& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const tenant_deleted& e) {
  j["id"] = e.id.value;
  j["deletion_id"] = e.deletion_id;
  j["deleted_via"] = e.deleted_via.value;
}

void write(json& j, const tenant_restored& e) {
  j["id"] = e.id.value;
  j["deletion_id"] = e.deletion_id;
}

void write(json& j, const user_registered& e) {
  j["id"] = e.id.value;
  j["email"] = e.email;
  j["name"] = e.name;
  j["password_hash"] = e.password_hash;
  j["platform_roles"] = e.platform_roles;
}

void write(json& j, const session_started& e) {
  j["id"] = e.id.value;
  j["user"] = e.user.value;
  j["token_hash"] = e.token_hash;
  j["expires_at"] = format_rfc3339(e.expires_at);
}

void write(json& j, const session_refreshed& e) {
  j["id"] = e.id.value;
  j["token_hash"] = e.token_hash;
  j["expires_at"] = format_rfc3339(e.expires_at);
}

void write(json& j, const session_revoked& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const role_defined& e) {
  j["id"] = e.id.value;
  j["tenant"] = e.tenant.value;
  j["name"] = e.name;
  j["description"] = e.description;
  j["permissions"] = e.permissions;
}

void write(json& j, const role_changed& e) {
  j["id"] = e.id.value;
  j["name"] = e.name;
  j["description"] = e.description;
  j["permissions"] = e.permissions;
}

void write(json& j, const role_deleted& e) {
  j["id"] = e.id.value;
}

void write(json& j, const role_assigned& e) {
  j["id"] = e.id.value;
  j["tenant"] = e.tenant.value;
  j["principal_type"] = e.principal_type;
  j["principal_id"] = e.principal_id;
  j["role"] = e.role;
  j["expires_at"] = e.expires_at ? json(format_rfc3339(*e.expires_at)) : json(nullptr);
}

void write(json& j, const role_assignment_revoked& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const member_added& e) {
  j["id"] = e.id.value;
  j["tenant"] = e.tenant.value;
  j["user"] = e.user.value;
  j["roles"] = e.roles;
}

void write(json& j, const member_changed& e) {
  j["id"] = e.id.value;
  j["roles"] = e.roles;
}

void write(json& j, const member_removed& e) {
  j["id"] = e.id.value;
}

void write(json& j, const group_created& e) {
  j["id"] = e.id.value;
  j["tenant"] = nullable(e.tenant);
  j["slug"] = e.slug;
  j["name"] = e.name;
  j["description"] = e.description;
}

void write(json& j, const group_updated& e) {
  j["id"] = e.id.value;
  if (e.name) j["name"] = *e.name;
  if (e.description) j["description"] = *e.description;
  if (e.slug) j["slug"] = *e.slug;
}

void write(json& j, const group_deleted& e) {
  j["id"] = e.id.value;
}

void write(json& j, const group_member_added& e) {
  j["id"] = e.id.value;
  j["user"] = e.user.value;
}

void write(json& j, const group_member_removed& e) {
  j["id"] = e.id.value;
  j["user"] = e.user.value;
}

void write(json& j, const permission_granted& e) {
  j["id"] = e.id.value;
  j["principal_type"] = e.principal_type;
  j["principal_id"] = e.principal_id;
  j["permission"] = e.permission;
  j["object_type"] = e.object_type;
  j["object_id"] = e.object_id;
  j["tenant"] = nullable(e.tenant);
}

void write(json& j, const permission_revoked& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const token_issued& e) {
  j["id"] = e.id.value;
  j["tenant"] = e.tenant.value;
  j["created_by"] = e.created_by.value;
  j["name"] = e.name;
  j["description"] = e.description;
  j["scopes"] = e.scopes;
  j["secret_hash"] = e.secret_hash;
  j["prefix"] = e.prefix;
  j["expires_at"] = format_rfc3339(e.expires_at);
}

void write(json& j, const token_revoked& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

// The user lifecycle.

void write(json& j, const user_updated& e) {
  j["id"] = e.id.value;
  j["email"] = e.email;
  j["name"] = e.name;
  j["platform_roles"] = e.platform_roles;
}

void write(json& j, const user_profile_changed& e) {
  j["id"] = e.id.value;
  j["display_name"] = e.profile.display_name;
  j["locale"] = e.profile.locale;
  j["timezone"] = e.profile.timezone;
  j["phone"] = e.profile.phone;
  j["avatar_url"] = e.profile.avatar_url;
  j["job_title"] = e.profile.job_title;
  j["bio"] = e.profile.bio;
}

void write(json& j, const user_deactivated& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const invitation_sent& e) {
  j["id"] = e.id.value;
  j["tenant"] = e.tenant.value;
  j["invitee"] = e.invitee;
  j["roles"] = e.roles;
  j["permissions"] = e.permissions;
  j["token_hash"] = e.token_hash;
  j["expires_at"] = format_rfc3339(e.expires_at);
  j["invited_by"] = e.invited_by.value;
}

void write(json& j, const invitation_accepted& e) {
  j["id"] = e.id.value;
  j["user"] = e.user.value;
}

void write(json& j, const invitation_declined& e) {
  j["id"] = e.id.value;
  j["user"] = e.user ? json(e.user->value) : json(nullptr);
}

void write(json& j, const invitation_revoked& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const user_activated& e) {
  j["id"] = e.id.value;
  j["reason"] = e.reason;
}

void write(json& j, const user_deleted& e) {
  j["id"] = e.id.value;
}

void write(json& j, const user_restored& e) {
  j["id"] = e.id.value;
}

void write(json& j, const user_password_changed& e) {
  j["id"] = e.id.value;
  j["password_hash"] = e.password_hash;
}

void write(json& j, const invitation_expired& e) {
  j["id"] = e.id.value;
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

void read(field_reader& r, tenant_created& e) {
  r.id("id", e.id);
  r.text("slug", e.slug);
  r.text("name", e.name);
  r.text("description", e.description);
  r.nullable_id("parent", e.parent);
}

void read(field_reader& r, tenant_updated& e) {
  r.id("id", e.id);
  r.optional_text("name", e.name);
  r.optional_text("description", e.description);
  r.optional_text("slug", e.slug);
}

void read(field_reader& r, tenant_moved& e) {
  r.id("id", e.id);
  r.nullable_id("from_parent", e.from_parent);
  r.nullable_id("to_parent", e.to_parent);
}

template <class Tag>
void read(field_reader& r, tenant_lifecycle_event<Tag>& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, tenant_deleted& e) {
  r.id("id", e.id);
  r.text("deletion_id", e.deletion_id);
  r.id("deleted_via", e.deleted_via);
}

void read(field_reader& r, tenant_restored& e) {
  r.id("id", e.id);
  r.text("deletion_id", e.deletion_id);
}

void read(field_reader& r, user_registered& e) {
  r.id("id", e.id);
  r.text("email", e.email);
  r.text("name", e.name);
  r.text("password_hash", e.password_hash);
  r.text_list("platform_roles", e.platform_roles);
}

void read(field_reader& r, session_started& e) {
  r.id("id", e.id);
  r.id("user", e.user);
  r.text("token_hash", e.token_hash);
  r.time("expires_at", e.expires_at);
}

void read(field_reader& r, session_refreshed& e) {
  r.id("id", e.id);
  r.text("token_hash", e.token_hash);
  r.time("expires_at", e.expires_at);
}

void read(field_reader& r, session_revoked& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, role_defined& e) {
  r.id("id", e.id);
  r.id("tenant", e.tenant);
  r.text("name", e.name);
  r.text("description", e.description);
  r.text_list("permissions", e.permissions);
}

void read(field_reader& r, role_changed& e) {
  r.id("id", e.id);
  r.text("name", e.name);
  r.text("description", e.description);
  r.text_list("permissions", e.permissions);
}

void read(field_reader& r, role_deleted& e) {
  r.id("id", e.id);
}

void read(field_reader& r, role_assigned& e) {
  r.id("id", e.id);
  r.id("tenant", e.tenant);
  r.text("principal_type", e.principal_type);
  r.text("principal_id", e.principal_id);
  r.text("role", e.role);
  r.nullable_time("expires_at", e.expires_at);
}

void read(field_reader& r, role_assignment_revoked& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, member_added& e) {
  r.id("id", e.id);
  r.id("tenant", e.tenant);
  r.id("user", e.user);
  r.text_list("roles", e.roles);
}

void read(field_reader& r, member_changed& e) {
  r.id("id", e.id);
  r.text_list("roles", e.roles);
}

void read(field_reader& r, member_removed& e) {
  r.id("id", e.id);
}

void read(field_reader& r, group_created& e) {
  r.id("id", e.id);
  r.nullable_id("tenant", e.tenant);
  r.text("slug", e.slug);
  r.text("name", e.name);
  r.text("description", e.description);
}

void read(field_reader& r, group_updated& e) {
  r.id("id", e.id);
  r.optional_text("name", e.name);
  r.optional_text("description", e.description);
  r.optional_text("slug", e.slug);
}

void read(field_reader& r, group_deleted& e) {
  r.id("id", e.id);
}

void read(field_reader& r, group_member_added& e) {
  r.id("id", e.id);
  r.id("user", e.user);
}

void read(field_reader& r, group_member_removed& e) {
  r.id("id", e.id);
  r.id("user", e.user);
}

void read(field_reader& r, permission_granted& e) {
  r.id("id", e.id);
  r.text("principal_type", e.principal_type);
  r.text("principal_id", e.principal_id);
  r.text("permission", e.permission);
  r.text("object_type", e.object_type);
  r.text("object_id", e.object_id);
  r.nullable_id("tenant", e.tenant);
}

void read(field_reader& r, permission_revoked& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, token_issued& e) {
  r.id("id", e.id);
  r.id("tenant", e.tenant);
  r.id("created_by", e.created_by);
  r.text("name", e.name);
  r.text("description", e.description);
  r.text_list("scopes", e.scopes);
  r.text("secret_hash", e.secret_hash);
  r.text("prefix", e.prefix);
  r.time("expires_at", e.expires_at);
}

void read(field_reader& r, token_revoked& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, user_updated& e) {
  r.id("id", e.id);
  r.text("email", e.email);
  r.text("name", e.name);
  r.text_list("platform_roles", e.platform_roles);
}

void read(field_reader& r, user_profile_changed& e) {
  r.id("id", e.id);
  r.text("display_name", e.profile.display_name);
  r.text("locale", e.profile.locale);
  r.text("timezone", e.profile.timezone);
  r.text("phone", e.profile.phone);
  r.text("avatar_url", e.profile.avatar_url);
  r.text("job_title", e.profile.job_title);
  r.text("bio", e.profile.bio);
}

void read(field_reader& r, user_deactivated& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, invitation_sent& e) {
  r.id("id", e.id);
  r.id("tenant", e.tenant);
  r.text("invitee", e.invitee);
  r.text_list("roles", e.roles);
  r.text_list("permissions", e.permissions);
  r.text("token_hash", e.token_hash);
  r.time("expires_at", e.expires_at);
  r.id("invited_by", e.invited_by);
}

void read(field_reader& r, invitation_accepted& e) {
  r.id("id", e.id);
  r.id("user", e.user);
}

void read(field_reader& r, invitation_declined& e) {
  r.id("id", e.id);
  r.nullable_id("user", e.user);
}

void read(field_reader& r, invitation_revoked& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, user_activated& e) {
  r.id("id", e.id);
  r.text("reason", e.reason);
}

void read(field_reader& r, user_deleted& e) {
  r.id("id", e.id);
}

void read(field_reader& r, user_restored& e) {
  r.id("id", e.id);
}

void read(field_reader& r, user_password_changed& e) {
  r.id("id", e.id);
  r.text("password_hash", e.password_hash);
}

void read(field_reader& r, invitation_expired& e) {
  r.id("id", e.id);
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
      (m.emplace(event_type(event{std::in_place_index<I>}),
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
