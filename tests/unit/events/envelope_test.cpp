#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "events/envelope.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;

event_metadata full_metadata() {
  event_metadata m;
  m.event_id = "0190f0a4-7f3b-7c2d-8e9f-0123456789ab";
  m.subject = "t-1";
  m.aggregate_type = "tenant";
  m.aggregate_version = 42;
  m.time = timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 2}} + 3h + 4ms;
  m.actor = "u-1";
  m.actor_token = "tok-1";
  m.correlation_id = "req-1";
  m.causation_id = "cmd-1";
  m.partition_key = "root-1";
  m.idempotency_key = "key-1";
  m.request_hash = "sha256:abc";
  m.response = R"({"status":201,"body":{}})";
  return m;
}

const std::string* find(const header_list& headers, std::string_view key) {
  auto it =
      std::find_if(headers.begin(), headers.end(), [&](const auto& kv) { return kv.first == key; });
  return it == headers.end() ? nullptr : &it->second;
}

void expect_equal(const event_metadata& a, const event_metadata& b) {
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.aggregate_type, b.aggregate_type);
  EXPECT_EQ(a.aggregate_version, b.aggregate_version);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.actor, b.actor);
  EXPECT_EQ(a.actor_token, b.actor_token);
  EXPECT_EQ(a.correlation_id, b.correlation_id);
  EXPECT_EQ(a.causation_id, b.causation_id);
  EXPECT_EQ(a.partition_key, b.partition_key);
  EXPECT_EQ(a.idempotency_key, b.idempotency_key);
  EXPECT_EQ(a.request_hash, b.request_hash);
  EXPECT_EQ(a.response, b.response);
}

TEST(EventEnvelope, WritesCloudEventsBinaryModeHeaders) {
  const auto headers = to_headers(full_metadata(), "tenantry.tenant.suspended.v1");
  ASSERT_TRUE(find(headers, "ce_specversion"));
  EXPECT_EQ(*find(headers, "ce_specversion"), "1.0");
  EXPECT_EQ(*find(headers, "ce_id"), "0190f0a4-7f3b-7c2d-8e9f-0123456789ab");
  EXPECT_EQ(*find(headers, "ce_type"), "tenantry.tenant.suspended.v1");
  EXPECT_EQ(*find(headers, "ce_source"), "/tenantry");
  EXPECT_EQ(*find(headers, "ce_subject"), "t-1");
  EXPECT_EQ(*find(headers, "ce_time"), "2026-01-02T03:00:00.004Z");
  EXPECT_EQ(*find(headers, "content-type"), "application/json");
  EXPECT_EQ(*find(headers, "tenantry_aggregate_version"), "42");
  EXPECT_EQ(*find(headers, "tenantry_partition_key"), "root-1");
  EXPECT_EQ(*find(headers, "tenantry_idempotency_key"), "key-1");
  EXPECT_EQ(*find(headers, "tenantry_actor_token"), "tok-1");
}

TEST(EventEnvelope, NamesTheApiTokenOnlyWhenTheActorUsedOne) {
  auto meta = full_metadata();
  meta.actor_token.clear();
  const auto headers = to_headers(meta, "tenantry.tenant.created.v1");
  EXPECT_FALSE(find(headers, "tenantry_actor_token"));
  std::string type;
  auto back = from_headers(headers, type);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->actor_token, "");
  EXPECT_EQ(back->actor, "u-1");
}

TEST(EventEnvelope, RoundTripsHeadersWithOptionalOnes) {
  const auto meta = full_metadata();
  std::string type;
  auto back = from_headers(to_headers(meta, "tenantry.tenant.created.v1"), type);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(type, "tenantry.tenant.created.v1");
  expect_equal(meta, *back);
}

TEST(EventEnvelope, OmitsEmptyIdempotencyHeadersAndRoundTrips) {
  auto meta = full_metadata();
  meta.idempotency_key.clear();
  meta.request_hash.clear();
  meta.response.reset();
  const auto headers = to_headers(meta, "tenantry.tenant.created.v1");
  EXPECT_FALSE(find(headers, "tenantry_idempotency_key"));
  EXPECT_FALSE(find(headers, "tenantry_request_hash"));
  EXPECT_FALSE(find(headers, "tenantry_response"));
  std::string type;
  auto back = from_headers(headers, type);
  ASSERT_TRUE(back);
  expect_equal(meta, *back);
}

header_list without(header_list headers, std::string_view key) {
  std::erase_if(headers, [&](const auto& kv) { return kv.first == key; });
  return headers;
}

TEST(EventEnvelope, RejectsMissingId) {
  std::string type;
  auto r = from_headers(without(to_headers(full_metadata(), "x.v1"), "ce_id"), type);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().category, errc::invalid_argument);
  EXPECT_EQ(r.error().code, "invalid_event");
}

TEST(EventEnvelope, RejectsMissingRequiredHeaders) {
  for (const char* key : {"ce_specversion", "ce_type", "ce_subject", "ce_time",
                          "tenantry_aggregate_type", "tenantry_aggregate_version"}) {
    SCOPED_TRACE(key);
    std::string type;
    EXPECT_FALSE(from_headers(without(to_headers(full_metadata(), "x.v1"), key), type));
  }
}

TEST(EventEnvelope, RejectsMalformedValues) {
  auto replace = [](std::string_view key, std::string value) {
    auto headers = to_headers(full_metadata(), "x.v1");
    for (auto& kv : headers)
      if (kv.first == key) kv.second = value;
    return headers;
  };
  std::string type;
  EXPECT_FALSE(from_headers(replace("ce_time", "yesterday"), type));
  EXPECT_FALSE(from_headers(replace("tenantry_aggregate_version", "4x"), type));
  EXPECT_FALSE(from_headers(replace("tenantry_aggregate_version", "-1"), type));
  EXPECT_FALSE(from_headers(replace("tenantry_aggregate_version", ""), type));
  EXPECT_FALSE(from_headers(replace("ce_specversion", "0.3"), type));
}

TEST(EventEnvelope, LastRepeatedHeaderWins) {
  auto headers = to_headers(full_metadata(), "x.v1");
  headers.emplace_back("tenantry_actor", "u-2");
  std::string type;
  auto r = from_headers(headers, type);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->actor, "u-2");
}

}  // namespace
}  // namespace tenantry
