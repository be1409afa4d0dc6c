#include <gtest/gtest.h>

#include "api/command_execution.hpp"

namespace tenantry::api {
namespace {

// A token is read back only in the form the server writes it (the documented pattern
// ^t1\.(0|[1-9][0-9]{0,17})$): any other spelling of an offset is 400, not a wait.
TEST(ConsistencyToken, ReadsBackExactlyWhatItWrites) {
  for (const std::int64_t offset : {0LL, 7LL, 123456789012345678LL})
    EXPECT_EQ(parse_consistency_token(consistency_token(offset)), offset);
  for (const char* other : {"t1.", "t1.01", "t1.00", "t1.-1", "t1.+1", "t1.1234567890123456789",
                            "t2.1", "t1.1 ", "T1.1", "1"})
    EXPECT_FALSE(parse_consistency_token(other)) << other;
}

}  // namespace
}  // namespace tenantry::api
