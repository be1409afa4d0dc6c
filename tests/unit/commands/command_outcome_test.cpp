#include "commands/command_outcome.hpp"

#include <gtest/gtest.h>

namespace tenantry {
namespace {

TEST(CommandOutcome, RecordKeepsEverythingARetryIsAnsweredWith) {
  const command_outcome created =
      showing(outcome::created, "id-1", 3, nlohmann::json{{"id", "id-1"}, {"name", "Acme"}});
  const command_outcome back = from_record(to_record(created));
  EXPECT_EQ(back.kind, outcome::created);
  EXPECT_EQ(back.aggregate_id, "id-1");
  EXPECT_EQ(back.version, 3);
  EXPECT_EQ(back.body, created.body);
  EXPECT_FALSE(back.refusal);
  EXPECT_FALSE(back.recorded_status);
}

TEST(CommandOutcome, RecordKeepsARefusal) {
  command_outcome refused{.kind = outcome::refused,
                          .aggregate_id = "inv-1",
                          .refusal = error{errc::conflict,
                                           "invitation_not_pending",
                                           "The invitation is expired.",
                                           {{"status", "expired"}}}};
  const command_outcome back = from_record(to_record(refused));
  EXPECT_EQ(back.kind, outcome::refused);
  ASSERT_TRUE(back.refusal);
  EXPECT_EQ(back.refusal->category, errc::conflict);
  EXPECT_EQ(back.refusal->code, "invitation_not_pending");
  EXPECT_EQ(back.refusal->message, "The invitation is expired.");
  EXPECT_EQ(back.refusal->details, (nlohmann::json{{"status", "expired"}}));
  EXPECT_TRUE(back.body.is_null());
}

TEST(CommandOutcome, AnswerRecordedWithItsStatusIsAnsweredAlike) {
  const command_outcome created =
      from_record(R"({"status":201,"body":"{\"id\":\"t-1\",\"name\":\"Acme\",\"version\":1}"})");
  EXPECT_EQ(created.kind, outcome::created);
  EXPECT_EQ(created.recorded_status, 201u);
  EXPECT_EQ(created.aggregate_id, "t-1");
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.body["name"], "Acme");

  const command_outcome deleted = from_record(R"({"status":204,"body":""})");
  EXPECT_EQ(deleted.kind, outcome::no_content);
  EXPECT_TRUE(deleted.body.is_null());

  const command_outcome conflict =
      from_record(R"({"status":409,"body":"{\"error\":\"invitation_not_pending\"}"})");
  EXPECT_EQ(conflict.recorded_status, 409u);
  EXPECT_EQ(conflict.body["error"], "invitation_not_pending");
}

TEST(CommandOutcome, UnreadableRecordIsAnAnswerThatCouldNotBeRendered) {
  EXPECT_EQ(from_record("not json").kind, outcome::unrendered);
  EXPECT_EQ(from_record(R"({"outcome":"no such outcome"})").kind, outcome::unrendered);
  EXPECT_EQ(from_record(R"({"outcome":"refused"})").kind, outcome::unrendered);
  EXPECT_EQ(from_record(R"({"status":"201"})").kind, outcome::unrendered);
}

}  // namespace
}  // namespace tenantry
