#include <gtest/gtest.h>

#include "projections/tenants/tenant_configuration_queries.hpp"

namespace tenantry {
namespace {

using nlohmann::json;

configuration_layer layer(std::string id, json configuration) {
  configuration_layer l;
  l.slug = id + "-slug";
  l.id = std::move(id);
  l.configuration = std::move(configuration);
  return l;
}

// Root first: deeper tenants replace values and merge objects; each top-level key's source
// is the deepest tenant that sets it.
TEST(EffectiveConfiguration, MergesDownTheAncestryAndNamesEachKeysSource) {
  const auto merged = merge_down({
      layer("root", json::parse(R"({"theme": {"color": "red", "font": "serif"}, "max": 5})")),
      layer("mid", json::parse(R"({"max": 7})")),
      layer("leaf", json::parse(R"({"theme": {"color": "blue"}, "beta": true})")),
  });
  EXPECT_EQ(
      merged.configuration,
      json::parse(R"({"theme": {"color": "blue", "font": "serif"}, "max": 7, "beta": true})"));
  EXPECT_EQ(merged.sources["theme"], (json{{"id", "leaf"}, {"slug", "leaf-slug"}}));
  EXPECT_EQ(merged.sources["max"], (json{{"id", "mid"}, {"slug", "mid-slug"}}));
  EXPECT_EQ(merged.sources["beta"]["id"], "leaf");
  EXPECT_EQ(merge_down({}).configuration, json::object());
  EXPECT_EQ(merge_down({layer("only", json::object())}).sources, json::object());
}

}  // namespace
}  // namespace tenantry
