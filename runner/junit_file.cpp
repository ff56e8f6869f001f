#include "runner/junit_file.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ciperf {
namespace fs = std::filesystem;

// Reads the descriptor 64 KiB at a time, no further than the file's size when it was opened:
// a file still being written is read as it was then (what the writer adds meanwhile would keep
// a slow reader, a sanitizer build say, reading a file that grows as fast as it reads), and
// changed() says it moved on.
class JunitFile::Buffer : public std::streambuf {
public:
  Buffer(int fd, std::uintmax_t size) : fd_(fd), left_(size) {}

protected:
  int_type underflow() override {
    if (gptr() < egptr())
      return traits_type::to_int_type(*gptr());
    size_t want = static_cast<size_t>(std::min<std::uintmax_t>(chunk_.size(), left_));
    if (fd_ < 0 || want == 0)
      return traits_type::eof();
    ssize_t n = 0;
    do
      n = ::read(fd_, chunk_.data(), want);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
      return traits_type::eof();
    left_ -= static_cast<std::uintmax_t>(n);
    setg(chunk_.data(), chunk_.data(), chunk_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

private:
  int fd_;
  std::array<char, 64 * 1024> chunk_{};
  std::uintmax_t left_;
};

namespace {

bool inside(const fs::path& file, const fs::path& dir) {
  auto [d, f] = std::mismatch(dir.begin(), dir.end(), file.begin(), file.end());
  return d == dir.end() || (std::next(d) == dir.end() && d->empty()); // "dir/" ends with ""
}

std::string kind_of(mode_t mode) {
  return S_ISFIFO(mode)   ? "a FIFO"
         : S_ISSOCK(mode) ? "a socket"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
         : S_ISDIR(mode)  ? "a directory"
                          : "not a regular file";
}

int64_t mtime_of(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

} // namespace

fs::path pattern_base(const fs::path& pattern) {
  fs::path base;
  for (const auto& part : pattern) {
    if (part.string().find_first_of("*?[") != std::string::npos)
      return base;
    base /= part;
  }
  return pattern.parent_path();
}

JunitFile::JunitFile(const fs::path& path, const fs::path& base) : stream_(nullptr) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(path, ec);
  fs::path root = fs::weakly_canonical(base, ec);
  if (!inside(real, root)) {
    refusal_ = fmt::format("leads out of {} (to {}): a junit file is read only inside the "
                           "directory its pattern names",
                           root.string(), real.string());
    return;
  }
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    refusal_ = fmt::format("could not be read: {}", std::strerror(errno));
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    refusal_ = fmt::format("is {}, not a regular file", kind_of(st.st_mode));
    return;
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxJunitFileBytes) {
    refusal_ = fmt::format("is {} MiB, over the {} MiB a junit file may be", st.st_size >> 20,
                           kMaxJunitFileBytes >> 20);
    return;
  }
  size_ = st.st_size;
  mtime_ns_ = mtime_of(st);
  buffer_ = std::make_unique<Buffer>(fd_, static_cast<std::uintmax_t>(st.st_size));
  stream_.rdbuf(buffer_.get());
}

JunitFile::~JunitFile() {
  stream_.rdbuf(nullptr);
  if (fd_ >= 0)
    ::close(fd_);
}

bool JunitFile::changed() const {
  struct stat st {};
  return buffer_ && (::fstat(fd_, &st) != 0 || st.st_size != size_ || mtime_of(st) != mtime_ns_);
}

} // namespace ciperf
