#pragma once
// tenantryd as a child process for end-to-end tests: its own topic, schema and port, so
// runs never meet; start, wait until ready, kill -9, terminate gracefully, restart.

#include <sys/types.h>

#include <map>
#include <string>

namespace tenantry::testing {

// A loopback port nothing listens on now.
unsigned short free_port();

class server_process {
 public:
  // A fresh topic and schema; the bootstrap admin is admin@example.com / admin-password-1.
  server_process();
  ~server_process();

  // Starts tenantryd and waits until /readyz answers 200 (fails the test otherwise).
  void start(std::map<std::string, std::string> extra_env = {});
  void kill_hard();  // SIGKILL, no goodbye
  // SIGTERM; returns the exit status (0 for a clean shutdown).
  int terminate();

  unsigned short port() const { return port_; }
  const std::string& topic() const { return topic_; }
  const std::string& schema() const { return schema_; }
  // The Ed25519 key (PKCS#8 PEM) tenantryd signs access tokens with (issuer and audience
  // "tenantry").
  const std::string& key_path() const { return key_path_; }
  const std::string& data_key_path() const { return data_key_path_; }
  static constexpr const char* admin_email = "admin@example.com";
  static constexpr const char* admin_password = "admin-password-1";

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string topic_;
  std::string schema_;
  std::string key_path_;
  std::string data_key_path_;
  std::string log_path_;
};

}  // namespace tenantry::testing
