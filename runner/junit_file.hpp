#pragma once
// A file a phase's `junit:` glob found, opened without trusting it: the phase (or something it
// started) made it, so it may be a FIFO (an open would wait for a writer forever), a device, a
// symlink out of the directory the pattern names, huge, or still being written. What cannot be
// read is refused with the reason, never a hang; what is read stops at a cap.
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace ciperf {

// The most a phase's JUnit file may hold; a larger one is skipped with a warning.
inline constexpr std::uintmax_t kMaxJunitFileBytes = std::uintmax_t{64} << 20;

class JunitFile {
public:
  // `base` is the directory the pattern names (before its first glob character): the file, with
  // every symlink resolved, must lie inside it.
  JunitFile(const std::filesystem::path& path, const std::filesystem::path& base);
  ~JunitFile();
  JunitFile(const JunitFile&) = delete;
  JunitFile& operator=(const JunitFile&) = delete;

  // Why the file is not read (empty when it is open): "is a FIFO, not a regular file", …
  const std::string& refusal() const { return refusal_; }
  std::istream& stream() { return stream_; }
  int64_t mtime_ns() const { return mtime_ns_; }
  // After reading: the file changed (size or time) since it was opened; what was read is the
  // file as it was then.
  bool changed() const;

private:
  class Buffer;
  std::unique_ptr<Buffer> buffer_;
  std::istream stream_;
  std::string refusal_;
  int fd_ = -1;
  int64_t size_ = 0, mtime_ns_ = 0;
};

// The directory a glob pattern names: its components before the first one with `*`, `?` or `[`
// (for a pattern without any, the file's own directory).
std::filesystem::path pattern_base(const std::filesystem::path& pattern);

} // namespace ciperf
