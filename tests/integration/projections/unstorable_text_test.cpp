// A log may hold text PostgreSQL cannot store (U+0000, accepted before the writer refused
// it): the projector maps it to U+FFFD on the way in, in the read models and the archive
// alike, so a projection (or a rebuild) of such a log gets past it.

#include <gtest/gtest.h>

#include <string>

#include "integration/projections/projection_fixture.hpp"

namespace tenantry::testing {
namespace {

using namespace std::string_literals;

const std::string replacement = "\xEF\xBF\xBD";

TEST(UnstorableText, IsMappedOnTheWayIntoEveryReadModelAndTheArchive) {
  memory_event_log log;
  event_script script(log);
  // Enough tenants that the archive takes its COPY path, beside the rows of each read model.
  for (int i = 0; i < 210; ++i) script.create("Filler " + std::to_string(i));
  const std::string org = script.create("Org\0anisation"s);
  const std::string user = script.register_user("nul@example.com", "Nu\0l"s);
  const std::string group = new_uuid_v7();
  script.record(group, "group",
                group_created{group_id{group}, tenant_id{org}, "g", "Gr\0oup"s, "de\0sc"s});
  const std::string membership = new_uuid_v7();
  script.record(membership, "membership",
                member_added{membership_id{membership}, tenant_id{org}, user_id{user}, {"member"}});
  script.update(org, std::nullopt, "about\0"s);

  schema_under_test schema;
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  EXPECT_EQ(
      schema.query("SELECT name FROM tenants WHERE id = '" + org + "'")[0][0].as<std::string>(),
      "Org" + replacement + "anisation");
  EXPECT_EQ(schema.query("SELECT description FROM tenants WHERE id = '" + org + "'")[0][0]
                .as<std::string>(),
            "about" + replacement);
  EXPECT_EQ(
      schema.query("SELECT name FROM users WHERE id = '" + user + "'")[0][0].as<std::string>(),
      "Nu" + replacement + "l");
  EXPECT_EQ(
      schema.query("SELECT name FROM groups WHERE id = '" + group + "'")[0][0].as<std::string>(),
      "Gr" + replacement + "oup");
  EXPECT_EQ(schema.query("SELECT data->>'name' FROM events WHERE subject = '" + group + "'")[0][0]
                .as<std::string>(),
            "Gr" + replacement + "oup");
  EXPECT_EQ(schema.count("SELECT count(*) FROM events"), script.last_offset() + 1);
}

}  // namespace
}  // namespace tenantry::testing
