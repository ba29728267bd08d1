// SPDX-License-Identifier: MIT
#include "deepnvm/core/process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace deepnvm {

std::filesystem::path find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::stringstream ss(path);
  std::string entry;
  while (std::getline(ss, entry, ':')) {
    const std::filesystem::path candidate = std::filesystem::path(entry.empty() ? "." : entry) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

int run_program(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                const std::filesystem::path& stdout_file, const std::filesystem::path& stderr_file) {
  if (argv.empty()) return -1;
  // Everything the child needs is prepared before fork: it may only make async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string dirs = dir.string();
  const std::string outs = stdout_file.empty() ? "/dev/null" : stdout_file.string();
  const std::string errs = stderr_file.empty() ? "/dev/null" : stderr_file.string();
  const bool inherit_out = stdout_file == kInheritStream;
  const bool inherit_err = stderr_file == kInheritStream;
  std::fflush(nullptr);  // what the caller buffered comes before what the child writes
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (!dirs.empty() && chdir(dirs.c_str()) != 0) _exit(126);
    const int in = open("/dev/null", O_RDONLY);
    const int out = inherit_out ? -1 : open(outs.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = inherit_err ? -1 : open(errs.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in >= 0) dup2(in, STDIN_FILENO);
    if (out >= 0) dup2(out, STDOUT_FILENO);
    if (err >= 0) dup2(err, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace deepnvm
