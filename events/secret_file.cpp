#include "events/secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tenantry {

result<void> write_secret_file(const std::filesystem::path& path, std::string_view contents,
                               std::string_view code) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(errc::unavailable, std::string(code),
                "cannot create " + path.string() + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; ok && done < contents.size();) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return fail(errc::unavailable, std::string(code),
                "cannot write " + path.string() + ": " + std::strerror(saved_errno));
  }
  return {};
}

}  // namespace tenantry
