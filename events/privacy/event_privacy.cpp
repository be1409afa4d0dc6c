#include "events/privacy/event_privacy.hpp"

#include <chrono>

#include "events/privacy/personal_fields.hpp"
#include "events/privacy/sealed_text.hpp"

namespace tenantry {
namespace {

constexpr std::string_view erased_type = "tenantry.user.erased.v1";
constexpr std::string_view answers_prefix = "answers:";
constexpr std::string_view answer_field = "tenantry_response";

// Answers (a response body may show anyone's address: a membership's shows its user's) are
// sealed with the key of their day, destroyed once no idempotency record of that day can
// be honoured any more (24 h): "answers:2026-12-07".
std::string answers_person(timestamp at) {
  return std::string(answers_prefix) + format_rfc3339(at).substr(0, 10);
}

std::unexpected<error> unreadable(std::string_view type, std::string what) {
  return fail(errc::invalid_argument, "invalid_event", std::string(type) + ": " + std::move(what),
              {{"type", std::string(type)}});
}

}  // namespace

event_privacy::event_privacy(key_store& keys, key_encryption_key kek)
    : keys_(keys), kek_(std::move(kek)) {}

result<void> event_privacy::seal(std::vector<stored_event>& batch) {
  const key_for_sealing key_of = [this](std::string_view person) {
    return keys_.key_for_sealing(person);
  };
  for (stored_event& e : batch) {
    if (e.meta.response && !e.meta.response->empty() && !is_sealed(*e.meta.response))
      if (auto ok = seal_answer(e.meta); !ok) return ok;
    const bool erasure = e.type == erased_type;
    if (!erasure && !personal_fields_of(e.type)) continue;
    auto data = nlohmann::json::parse(e.data, nullptr, /*allow_exceptions=*/false);
    if (data.is_discarded() || !data.is_object()) continue;  // encode wrote it: cannot happen
    if (erasure) {
      if (auto ok = erase_person(data); !ok) return ok;
    } else if (auto ok = seal_personal_fields(e.type, data, key_of, kek_); !ok) {
      return ok;
    }
    e.data = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return {};
}

// Destroys the erased person's key and the key of the invitations sent to their address,
// then blanks the address: the erasure itself carries nothing personal into the log.
result<void> event_privacy::erase_person(nlohmann::json& data) {
  const auto id = data.find("id");
  if (id == data.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
    return unreadable(erased_type, "no id");
  if (auto ok = keys_.destroy(id->get_ref<const std::string&>()); !ok) return ok;
  const auto email = data.find("email");
  if (email != data.end() && email->is_string() && !email->get_ref<const std::string&>().empty()) {
    if (auto ok = keys_.destroy(address_person(kek_, email->get_ref<const std::string&>())); !ok)
      return ok;
    *email = "";
  }
  return {};
}

result<void> event_privacy::seal_answer(event_metadata& meta) {
  const std::string person = answers_person(meta.time);
  {
    std::lock_guard lock(mutex_);
    if (person > answer_day_) {
      // A new day: the keys of days before yesterday open nothing anyone may still ask for.
      const std::string yesterday = answers_person(meta.time - std::chrono::hours(24));
      if (auto ok = keys_.destroy_before(answers_prefix, yesterday); !ok) return ok;
      answer_day_ = person;
    }
  }
  auto key = keys_.key_for_sealing(person);
  if (!key) return std::unexpected(key.error());
  meta.response = tenantry::seal(*key, person, answer_field, *meta.response);
  return {};
}

result<void> event_privacy::open(std::string_view type, nlohmann::json& data,
                                 event_metadata& meta) {
  const key_for_opening key_of = [this](std::string_view person) {
    return keys_.key_for_opening(person);
  };
  if (auto ok = open_personal_fields(type, data, key_of); !ok) return ok;
  if (type == erased_type) {
    // Another process erased them: what this one remembers of their key goes too.
    if (const auto id = data.find("id"); id != data.end() && id->is_string())
      keys_.forget(id->get_ref<const std::string&>());
  }
  if (meta.response && is_sealed(*meta.response)) {
    const std::string person = answers_person(meta.time);
    auto key = keys_.key_for_opening(person);
    if (!key) return std::unexpected(key.error());
    std::optional<std::string> plain;
    if (*key) plain = open_sealed(**key, person, answer_field, *meta.response);
    meta.response = std::move(plain);  // its day is over: nothing to answer a retry with
  }
  return {};
}

}  // namespace tenantry
