// tenantryd's start-up settings that refuse to start, and the bootstrap password read from a
// file: a setting that is wrong stops the start (exit status not 0) instead of being ignored.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "http_client.hpp"
#include "server_process.hpp"

namespace tenantry::testing {
namespace {

// Runs tenantryd with `env` prepended and `args` appended; its exit status (-1 when it did
// not exit).
int exit_status_with(const std::string& env, const std::string& args = "") {
  const std::string command =
      env + " TENANTRY_LISTEN=127.0.0.1:0 " + TENANTRYD_PATH + " " + args + " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Config, AnUnknownLogLevelStopsTheStart) {
  EXPECT_NE(exit_status_with("TENANTRY_LOG_LEVEL=loud"), 0);
}

TEST(Config, AShortBootstrapPasswordStopsTheStart) {
  EXPECT_EQ(exit_status_with("TENANTRY_ADMIN_EMAIL=a@example.com TENANTRY_ADMIN_PASSWORD=short-pw"),
            2);
}

TEST(Config, TheBootstrapPasswordIsNeverAFlag) {
  EXPECT_NE(exit_status_with("", "--admin-password secret-password-1"), 0);
}

TEST(Config, TheBootstrapPasswordCanComeFromAFile) {
  const std::string file = ::testing::TempDir() + "tenantry-admin-password";
  std::ofstream(file) << "from-a-file-password\n";
  server_process server;
  server.start({{"TENANTRY_ADMIN_PASSWORD_FILE", file}});
  http_client c(server.port());
  auto with = [&](const char* password) {
    return c
        .post("/v1/auth/token", {{"username", server_process::admin_email}, {"password", password}})
        .status;
  };
  EXPECT_EQ(with("from-a-file-password"), 200u);  // the file wins over the variable
  EXPECT_EQ(with(server_process::admin_password), 401u);
}

}  // namespace
}  // namespace tenantry::testing
