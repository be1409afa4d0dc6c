#include "api/http_status.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

TEST(HttpStatus, OfEachOutcome) {
  EXPECT_EQ(http_status(command_outcome{outcome::created}), 201u);
  EXPECT_EQ(http_status(command_outcome{outcome::done}), 200u);
  EXPECT_EQ(http_status(command_outcome{outcome::no_content}), 204u);
  EXPECT_EQ(http_status(command_outcome{outcome::absent}), 404u);
  EXPECT_EQ(http_status(command_outcome{outcome::unrendered}), 500u);
  command_outcome refused{.kind = outcome::refused,
                          .refusal = error{errc::conflict, "invitation_not_pending", "expired"}};
  EXPECT_EQ(http_status(refused), 409u);
}

TEST(HttpStatus, AnAnswerRecordedWithAStatusKeepsIt) {
  command_outcome legacy{.kind = outcome::refused, .recorded_status = 409u};
  EXPECT_EQ(http_status(legacy), 409u);
  legacy.kind = outcome::done;
  legacy.recorded_status = 200u;
  EXPECT_EQ(http_status(legacy), 200u);
}

}  // namespace
}  // namespace tenantry::api
