#include "server_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "api/http/asio.hpp"
#include "http_client.hpp"
#include "test_env.hpp"

extern char** environ;

namespace tenantry::testing {

unsigned short free_port() {
  api::asio::io_context io;
  api::tcp::acceptor acceptor(io, api::tcp::endpoint(api::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

server_process::server_process()
    : port_(free_port()),
      topic_(unique_name("e2e")),
      schema_(unique_name("e2e")),
      key_path_((std::filesystem::temp_directory_path() / (unique_name("key") + ".pem")).string()),
      log_path_((std::filesystem::temp_directory_path() / (topic_ + ".log")).string()) {}

server_process::~server_process() {
  if (pid_ > 0) kill_hard();
  std::filesystem::remove(key_path_);
}

void server_process::start(std::map<std::string, std::string> extra_env) {
  std::map<std::string, std::string> env{
      {"TENANTRY_LISTEN", "127.0.0.1:" + std::to_string(port_)},
      {"TENANTRY_KAFKA_BROKERS", kafka_brokers()},
      {"TENANTRY_DATABASE_URL", database_url()},
      {"TENANTRY_TOPIC", topic_},
      {"TENANTRY_TRANSACTIONAL_ID", topic_ + "-writer"},
      {"TENANTRY_DB_SCHEMA", schema_},
      {"TENANTRY_SIGNING_KEY", key_path_},
      {"TENANTRY_ADMIN_EMAIL", admin_email},
      {"TENANTRY_ADMIN_PASSWORD", admin_password},
      {"TENANTRY_PASSWORD_HASHING", "minimal"},
      {"TENANTRY_LOG_LEVEL", "warn"},
      // Tests send many requests quickly; rate_limits_e2e_test.cpp sets its own limits.
      {"TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN", "0"},
      {"TENANTRY_RATE_LIMIT_WRITES_PER_MIN", "0"},
      {"TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR", "0"},
  };
  for (auto& [k, v] : extra_env) env[k] = v;
  std::vector<std::string> entries;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).rfind("TENANTRY_", 0) != 0) entries.emplace_back(*e);
  for (const auto& [k, v] : env) entries.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : entries) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string path = TENANTRYD_PATH;
  std::vector<char*> argv{path.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int rc = posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ASSERT_EQ(rc, 0) << "cannot start " << path;

  const http_client client(port_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      FAIL() << "tenantryd exited during start-up; see " << log_path_;
    }
    try {
      if (client.get("/readyz").status == 200) return;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "tenantryd did not become ready within 60 s; see " << log_path_;
}

void server_process::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int server_process::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace tenantry::testing
