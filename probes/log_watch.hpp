#pragma once
// Lines appended to a file since the wait began, matched against a regex. inotify on the file's
// directory wakes the waiter as soon as the file is created or written, so detection does not
// wait for the next interval. The file may not exist yet, and may be truncated or replaced
// while watched (log rotation): reading then starts again from its beginning.
#include "probes/user_regex.hpp"

#include <optional>
#include <string>

namespace ciperf {

class LogWatch {
public:
  LogWatch(std::string path, const std::string& regex);
  ~LogWatch();
  LogWatch(const LogWatch&) = delete;
  LogWatch& operator=(const LogWatch&) = delete;

  int fd() const { return inotify_fd_; } // readable when the directory changed
  void drain_events();
  // Reads what was appended since the last check; true once a matching line has been seen.
  bool check();
  const std::string& reason() const { return reason_; }

private:
  bool scan_new_bytes(int file);
  std::string path_;
  UserRegex regex_;
  std::string gave_up_; // the last time the regex gave up on a line, for the reason
  int inotify_fd_ = -1;
  uint64_t inode_ = 0;
  int64_t offset_ = 0;
  bool existed_at_start_ = false;
  bool seen_ = false;
  std::string partial_line_;
  std::string reason_;
};

} // namespace ciperf
