// SPDX-License-Identifier: MIT
#include "deepnvm/core/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deepnvm/core/error.h"

namespace deepnvm {

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw IoError(path.string(), std::string("cannot create a file here: ") + std::strerror(errno));
  const auto fail = [&](const char* what) {
    const int err = errno;
    close(fd);
    unlink(temp.c_str());
    throw IoError(path.string(), std::string(what) + ": " + std::strerror(err));
  };
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; results are meant to be shared like any other output file.
  if (fchmod(fd, 0644) != 0) fail("chmod failed");
  if (fsync(fd) != 0) fail("fsync failed");
  if (close(fd) != 0) {
    const int err = errno;
    unlink(temp.c_str());
    throw IoError(path.string(), std::string("close failed: ") + std::strerror(err));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    unlink(temp.c_str());
    throw IoError(path.string(), std::string("cannot rename the finished file into place: ") + std::strerror(err));
  }
}

}  // namespace deepnvm
