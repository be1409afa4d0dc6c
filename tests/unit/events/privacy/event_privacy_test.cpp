#include <gtest/gtest.h>

#include <chrono>

#include "events/envelope.hpp"
#include "events/privacy/event_privacy.hpp"
#include "events/privacy/personal_fields.hpp"
#include "unit/events/privacy/memory_key_store.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;

const key_encryption_key kek =
    *key_encryption_key::from_base64("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
const user_id ann{"01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f70"};
const timestamp day_one = timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7}} + 9h;

recorded_event at(event data, timestamp time = day_one, std::optional<std::string> answer = {}) {
  recorded_event e;
  e.meta.event_id = "0193a0a4-7f3b-7c2d-8e9f-0123456789ab";
  e.meta.subject = "s";
  e.meta.aggregate_type = "user";
  e.meta.aggregate_version = 1;
  e.meta.time = time;
  e.meta.response = std::move(answer);
  e.data = std::move(data);
  return e;
}

user_registered registration() {
  return {ann, "ann@example.com", "Ann", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", {}};
}

invitation_sent invitation_to(std::string invitee) {
  return {invitation_id{"i1"}, tenant_id{"t1"}, std::move(invitee), {"member"}, {}, "ab12",
          day_one + 72h,       user_id{"u0"}};
}

// What the log holds after an append of `batch` through `privacy`.
std::vector<stored_event> appended(event_privacy& privacy,
                                   const std::vector<recorded_event>& batch) {
  std::vector<stored_event> out;
  for (const auto& e : batch) out.push_back(encode(e));
  const auto sealed = privacy.seal(out);
  EXPECT_TRUE(sealed) << sealed.error().message;
  return out;
}

// Everything of a stored event a reader of the topic sees.
std::string on_the_wire(const stored_event& s) {
  std::string text = s.data;
  for (const auto& [key, value] : to_headers(s.meta, s.type)) text += "\n" + key + ": " + value;
  return text;
}

class EventPrivacy : public ::testing::Test {
 protected:
  testing::memory_key_store keys;
  event_privacy privacy{keys, kek};

  recorded_event read_back(const stored_event& s) {
    auto e = decode(s, &privacy);
    EXPECT_TRUE(e) << e.error().message;
    return e ? *e : recorded_event{};
  }
};

TEST_F(EventPrivacy, TheLogHoldsNoAddressNameOrHashAndReadersGetThemBack) {
  const auto log = appended(
      privacy, {at(registration(), day_one, R"({"status":201,"body":{"email":"ann@example.com"}})"),
                at(invitation_to("ann@example.com"))});
  for (const stored_event& s : log) {
    const std::string wire = on_the_wire(s);
    for (const char* secret : {"ann@example.com", "\"Ann\"", "argon2id"})
      EXPECT_EQ(wire.find(secret), std::string::npos) << secret << " in " << wire;
  }
  const recorded_event registered = read_back(log[0]);
  EXPECT_EQ(std::get<user_registered>(registered.data).email, "ann@example.com");
  EXPECT_EQ(std::get<user_registered>(registered.data).password_hash, registration().password_hash);
  EXPECT_EQ(registered.meta.response, R"({"status":201,"body":{"email":"ann@example.com"}})");
  EXPECT_EQ(std::get<invitation_sent>(read_back(log[1]).data).invitee, "ann@example.com");
  // Undecoded (no privacy), the fields stay sealed: never silently shown as plain text.
  EXPECT_NE(std::get<user_registered>(decode(log[0])->data).email, "ann@example.com");
}

TEST_F(EventPrivacy, AnErasureDestroysThePersonsKeysBeforeItIsAppended) {
  const auto before = appended(privacy, {at(registration()), at(invitation_to("ann@example.com")),
                                         at(invitation_to("bo@example.com"))});
  const auto erasure = appended(privacy, {at(user_erased{ann, "ann@example.com"})});
  EXPECT_EQ(erasure[0].data.find("ann@example.com"), std::string::npos) << erasure[0].data;
  EXPECT_FALSE(keys.keys.contains(ann.value));
  EXPECT_FALSE(keys.keys.contains(address_person(kek, "ann@example.com")));

  const auto erased = std::get<user_registered>(read_back(before[0]).data);
  EXPECT_EQ(erased.email, "");
  EXPECT_EQ(erased.name, erased_name);
  EXPECT_EQ(erased.password_hash, "");
  EXPECT_EQ(erased.id, ann);  // the event still counts, for versions and history
  EXPECT_EQ(std::get<invitation_sent>(read_back(before[1]).data).invitee, "");
  // Someone else's invitation is theirs.
  EXPECT_EQ(std::get<invitation_sent>(read_back(before[2]).data).invitee, "bo@example.com");
  EXPECT_EQ(std::get<user_erased>(read_back(erasure[0]).data).id, ann);
}

TEST_F(EventPrivacy, AnswersAreSealedWithTheKeyOfTheirDayWhichGoesTheDayAfterNext) {
  const std::string answer = R"({"status":201,"body":{"user":{"email":"bo@example.com"}}})";
  const auto first = appended(
      privacy, {at(tenant_deleted{tenant_id{"t1"}, "d1", tenant_id{"t1"}}, day_one, answer)});
  EXPECT_EQ(on_the_wire(first[0]).find("bo@example.com"), std::string::npos);
  EXPECT_EQ(read_back(first[0]).meta.response, answer);

  // The next day that answer is still needed (idempotency keys hold 24 h) ...
  const auto second = appended(
      privacy, {at(tenant_deleted{tenant_id{"t2"}, "d2", tenant_id{"t2"}}, day_one + 24h, "{}")});
  EXPECT_EQ(read_back(first[0]).meta.response, answer);
  // ... two days on it is not: its key is destroyed, and the answer reads as none.
  appended(privacy,
           {at(tenant_deleted{tenant_id{"t3"}, "d3", tenant_id{"t3"}}, day_one + 48h, "{}")});
  EXPECT_EQ(read_back(first[0]).meta.response, std::nullopt);
  EXPECT_EQ(read_back(second[0]).meta.response, "{}");
}

TEST_F(EventPrivacy, AStoreThatDoesNotAnswerFailsTheAppendAndTheRead) {
  std::vector<stored_event> batch{encode(at(registration()))};
  keys.down = true;
  const auto sealed = privacy.seal(batch);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().code, "key_store_unavailable");

  keys.down = false;
  const auto log = appended(privacy, {at(registration())});
  keys.down = true;
  const auto read = decode(log[0], &privacy);
  ASSERT_FALSE(read);
  // Not "invalid_event": readers retry rather than skip the event or show it erased.
  EXPECT_EQ(read.error().code, "key_store_unavailable");
}

TEST_F(EventPrivacy, EventsOfALogWrittenBeforeSealingReadAsTheyAre) {
  const stored_event old = encode(at(registration(), day_one, R"({"status":200})"));
  const recorded_event e = read_back(old);
  EXPECT_EQ(std::get<user_registered>(e.data).email, "ann@example.com");
  EXPECT_EQ(e.meta.response, R"({"status":200})");
  EXPECT_EQ(keys.made, 0);
}

}  // namespace
}  // namespace tenantry
