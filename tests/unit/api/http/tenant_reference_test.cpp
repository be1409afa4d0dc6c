#include <gtest/gtest.h>

#include "api/http/tenant_reference.hpp"

namespace tenantry::api {
namespace {

using nlohmann::json;

std::string named(const json& value) {
  const auto r = tenant_reference(value, 100);
  EXPECT_TRUE(r) << value.dump() << ": " << (r ? "" : r.error());
  return r ? *r : std::string();
}

bool refused(const json& value) {
  return !tenant_reference(value, 100).has_value();
}

TEST(TenantReference, AStringAnIdObjectOrAnHrefNameTheSameTenant) {
  EXPECT_EQ(named("acme-corp"), "acme-corp");
  EXPECT_EQ(named(json{{"id", "acme-corp"}}), "acme-corp");
  EXPECT_EQ(named(json{{"href", "/v1/tenants/acme-corp"}}), "acme-corp");
  EXPECT_EQ(named(json{{"href", "https://tenants.example.com/v1/tenants/acme-corp"}}), "acme-corp");
  EXPECT_EQ(named(json{{"href", "http://127.0.0.1:8080/v1/tenants/0193a0a4-7f3b"}}), "0193a0a4-7f3b");
}

TEST(TenantReference, AnythingElseIsRefusedWithAReason) {
  for (const json& bad : {json(""),
                          json(7),
                          json::array({"acme"}),
                          json::object(),
                          json{{"id", ""}},
                          json{{"id", 7}},
                          json{{"slug", "acme"}},
                          json{{"id", "a"}, {"href", "/v1/tenants/a"}},
                          json{{"href", 7}},
                          json{{"href", "/v1/tenants/"}},
                          json{{"href", "/v1/tenants"}},
                          json{{"href", "/v1/groups/g"}},
                          json{{"href", "/v1/tenants/a/children"}},
                          json{{"href", "v1/tenants/a"}},
                          json{{"href", "/v1/tenants/a?x=1"}},
                          json{{"href", "/v1/tenants/a#top"}},
                          json{{"href", "ftp://h/v1/tenants/a"}},
                          json{{"href", "https://u:p@h/v1/tenants/a"}},
                          json{{"href", "/v1/tenants/%41"}},
                          json{{"href", "//h/v1/tenants/a"}},
                          json{{"href", "HTTP://h/v1/tenants/a"}},
                          json{{"href", "/v1/tenants/" + std::string(101, 'a')}}})
    EXPECT_TRUE(refused(bad)) << bad.dump();
  EXPECT_EQ(tenant_reference(json(std::string(101, 'a')), 100).error(),
            "must be at most 100 characters");
  EXPECT_EQ(tenant_reference(json{{"href", "/v1/groups/g"}}, 100).error(),
            "must be the URL or path of /v1/tenants/<ref>");
}

}  // namespace
}  // namespace tenantry::api
