// The `tenantry` executable itself: flags and TENANTRY_* defaults, what goes to stdout and
// stderr, and exit codes.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/privacy/data_key.hpp"
#include "integration/cli/cli_fixture.hpp"

namespace tenantry::testing {
namespace {

struct cli_run {
  int exit_code = -1;
  std::string out, err;
};

// Runs `env <env> tenantry <args>` with stdin from /dev/null (so: not a terminal).
cli_run run_tenantry(const std::string& args, const std::string& env = "") {
  const std::filesystem::path err_file =
      std::filesystem::temp_directory_path() / unique_name("tenantry_cli_stderr");
  const std::string command = "env " + env + " " + TENANTRY_CLI_PATH + " " + args + " 2>" +
                              err_file.string() + " </dev/null";
  cli_run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return run;
  }
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream err;
  err << in.rdbuf();
  run.err = err.str();
  std::filesystem::remove(err_file);
  return run;
}

class TenantryCli : public CliTest {
 protected:
  TenantryCli() {
    const auto written = key_encryption_key::write_new_file(data_key_.string());
    EXPECT_TRUE(written) << written.error().message;
  }
  ~TenantryCli() override { std::filesystem::remove(data_key_); }

  std::string connection_flags() const {
    return "--kafka-brokers '" + kafka_.brokers + "' --topic '" + kafka_.topic +
           "' --database-url '" + database_url() + "' --schema " + schema_ + " --data-key-file '" +
           data_key_.string() + "'";
  }

  const std::filesystem::path data_key_ =
      std::filesystem::temp_directory_path() / unique_name("tenantry_cli_data_key");
};

TEST_F(TenantryCli, ChecksumTakesItsSettingsFromTheEnvironment) {
  write_history(script_);
  publish();
  project(schema_, 1000);
  const auto run = run_tenantry("projections checksum", "TENANTRY_DATABASE_URL='" + database_url() +
                                                            "' TENANTRY_DB_SCHEMA=" + schema_);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, cli::render(checksum(schema_)));
  EXPECT_EQ(run.err, "");
}

TEST_F(TenantryCli, RebuildSwitchesPrintsTheChecksumAndWhereTheOldSchemaWent) {
  write_history(script_);
  publish();
  project(schema_, 3);
  const cli::read_model_checksum live = checksum(schema_);
  const auto events = std::to_string(source_.events().size());

  const auto run = run_tenantry("projections rebuild --yes " + connection_flags());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("schema " + schema_ + " now holds the read models of " + kafka_.topic +
                         ": " + events + " events"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("the previous read models are in schema " + schema_ + "_old_"),
            std::string::npos)
      << run.out;
  EXPECT_TRUE(run.out.ends_with(cli::render(live))) << run.out;
  // Not a terminal: plain progress lines, the last one complete.
  EXPECT_NE(run.err.find("projecting: " + events + "/" + events + " events (100.0%)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos);
  EXPECT_EQ(checksum(schema_), live);
}

TEST_F(TenantryCli, RebuildWithoutYesOutsideATerminalChangesNothing) {
  write_history(script_, 2);
  publish();
  project(schema_, 1000);
  const auto run = run_tenantry("projections rebuild " + connection_flags());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("--yes"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("(not_confirmed)"), std::string::npos) << run.err;
  // No rebuilt or replaced schema (the data keys' schema, tenantryd's, may exist).
  EXPECT_EQ(count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" + schema_ +
                  "\\_%' AND nspname <> '" + schema_ + "_keys'"),
            0);
}

TEST(TenantryCliWithoutServices, ExitsNonZeroWithAMessageWhenPostgresIsUnreachable) {
  // Without TENANTRY_DATABASE_URL (infra/test.sh exports it): the flag alone decides.
  const auto run =
      run_tenantry("projections checksum --database-url postgresql://tenantry@127.0.0.1:1/tenantry",
                   "-u TENANTRY_DATABASE_URL");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(run.err.starts_with("tenantry: The database is unavailable")) << run.err;
  EXPECT_TRUE(run.err.ends_with("(database_unavailable)\n")) << run.err;
}

TEST(TenantryCliSettings, FlagsWinOverTheEnvironment) {
  const std::string env =
      "TENANTRY_DATABASE_URL='" + database_url() + "' TENANTRY_DB_SCHEMA=from_env";
  const auto checksum = run_tenantry(
      "projections checksum --database-url postgresql://tenantry@127.0.0.1:1/tenantry", env);
  EXPECT_EQ(checksum.exit_code, 1);
  EXPECT_NE(checksum.err.find("(database_unavailable)"), std::string::npos) << checksum.err;
  const auto schema = run_tenantry("projections checksum --schema from_flag", env);
  EXPECT_NE(schema.err.find("There is no schema from_flag"), std::string::npos) << schema.err;
}

TEST(TenantryCliWithoutServices, RejectsBadUsage) {
  EXPECT_NE(run_tenantry("").exit_code, 0);
  EXPECT_NE(run_tenantry("projections").exit_code, 0);
  EXPECT_NE(run_tenantry("projections checksum --no-such-flag").exit_code, 0);
  EXPECT_NE(run_tenantry("projections checksum --log-level loud").exit_code, 0);
  const auto invalid = run_tenantry("projections checksum --schema 'Bad-Name'");
  EXPECT_EQ(invalid.exit_code, 1);
  EXPECT_NE(invalid.err.find("(invalid_schema)"), std::string::npos) << invalid.err;
  EXPECT_EQ(run_tenantry("projections rebuild --help").exit_code, 0);
}

TEST_F(TenantryCli, StatusShowsWhereTheProjectorStandsAndExits1WhenItIsStopped) {
  write_history(script_);
  publish();
  project(schema_, 1000);
  const std::string flags = "--database-url '" + database_url() + "' --schema " + schema_;
  const auto running = run_tenantry("projections status " + flags);
  EXPECT_EQ(running.exit_code, 0) << running.err;
  EXPECT_EQ(running.out, "read_models: next offset " + std::to_string(last_offset_ + 1) + "\n");

  exec("INSERT INTO " + schema_ +
       ".projection_faults (projection, event_offset, event_id, type, message) VALUES"
       " ('read_models', 7, 'event-7', 'tenantry.group.created.v1', 'invalid input syntax')");
  const auto stopped = run_tenantry("projections status " + flags);
  EXPECT_EQ(stopped.exit_code, 1) << stopped.err;
  EXPECT_NE(stopped.out.find("  stopped at offset 7 (tenantry.group.created.v1, event event-7,"),
            std::string::npos)
      << stopped.out;
  EXPECT_NE(stopped.out.find("): invalid input syntax"), std::string::npos) << stopped.out;

  const auto missing = run_tenantry("projections status --database-url '" + database_url() +
                                    "' --schema " + schema_ + "_nowhere");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("schema_not_found"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace tenantry::testing
