#include "probes/log_watch.hpp"

#include <fcntl.h>
#include <filesystem>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ciperf {
namespace {

constexpr size_t kMaxLine = 64 * 1024; // a longer line is matched on its first 64 KiB
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kChunksPerCheck = 256; // 16 MiB

} // namespace

LogWatch::LogWatch(std::string path, const std::string& regex)
    : path_(std::move(path)), regex_(regex) {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ >= 0) {
    std::string dir = std::filesystem::path(path_).parent_path().string();
    ::inotify_add_watch(inotify_fd_, dir.empty() ? "." : dir.c_str(),
                        IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
  }
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) { // only what is appended from now on counts
    existed_at_start_ = true;
    inode_ = st.st_ino;
    offset_ = st.st_size;
  }
  reason_ = existed_at_start_ ? "no matching line yet" : "file does not exist yet";
}

LogWatch::~LogWatch() {
  if (inotify_fd_ >= 0)
    ::close(inotify_fd_);
}

void LogWatch::drain_events() {
  char buf[4096];
  while (inotify_fd_ >= 0 && ::read(inotify_fd_, buf, sizeof buf) > 0) {
  }
}

bool LogWatch::check() {
  if (seen_)
    return true;
  // O_NONBLOCK: opening a FIFO for reading blocks until a writer comes, and the wait would be
  // deaf to its timeout and to signals meanwhile.
  int file = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (file < 0) {
    reason_ = "file does not exist yet";
    return false;
  }
  struct stat st {};
  if (::fstat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
    // A FIFO, a device or a directory has no "appended since" to read (and /dev/zero no end).
    ::close(file);
    reason_ = "not a regular file";
    return false;
  }
  if (st.st_ino != inode_ || st.st_size < offset_) {
    // Created after the wait began, replaced, or truncated: all of it is new.
    inode_ = st.st_ino;
    offset_ = 0;
    partial_line_.clear();
  }
  seen_ = scan_new_bytes(file);
  ::close(file);
  if (!seen_)
    reason_ = gave_up_.empty() ? "no matching line yet" : "no matching line yet; " + gave_up_;
  return seen_;
}

bool LogWatch::scan_new_bytes(int file) {
  char buf[kReadChunk];
  ssize_t n;
  // Bounded per check, so a file written faster than it is read cannot hold the loop: the rest
  // is read at the next check.
  for (size_t chunks = 0;
       chunks < kChunksPerCheck && (n = ::pread(file, buf, sizeof buf, offset_)) > 0; ++chunks) {
    offset_ += n;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') {
        if (partial_line_.size() < kMaxLine)
          partial_line_ += buf[i];
        continue;
      }
      bool match = regex_.search(partial_line_);
      if (!regex_.note().empty())
        gave_up_ = regex_.note();
      partial_line_.clear();
      if (match)
        return true;
    }
  }
  return false;
}

} // namespace ciperf
