#include "exec/phase_cgroup.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

int open_read(const fs::path& file) {
  return ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
}

// A peak file opened for reading and, where the kernel lets a write reset it (v1
// max_usage_in_bytes; v2 memory.peak from Linux 6.12, per descriptor), for writing too.
int open_peak(const fs::path& file, bool& resettable) {
  int fd = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
  resettable = fd >= 0;
  return resettable ? fd : open_read(file);
}

// What a phase may leave charged to its cgroup and still have it recycled.
constexpr int64_t kRecycleLeftoverBytes = 1 << 20;

// The whole file (they are small), from offset 0; empty when it cannot be read. A read that
// does not fill the buffer had the whole of a cgroup file (the kernel renders it in one go), so
// the usual second read for end-of-file is skipped: one system call per file and phase.
std::string read_all(int fd) {
  std::string text;
  if (fd < 0)
    return text;
  char buf[4096];
  for (off_t at = 0;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, at);
    if (n <= 0)
      break;
    text.append(buf, static_cast<size_t>(n));
    if (static_cast<size_t>(n) < sizeof buf)
      break;
    at += n;
  }
  return text;
}

// The number after `key` (followed by '=' or ' ') on any line or field of `text`, summed over
// every occurrence (io.stat has a line per device).
std::optional<int64_t> sum_of(std::string_view text, std::string_view key) {
  std::optional<int64_t> total;
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    bool starts_field = at == 0 || text[at - 1] == ' ' || text[at - 1] == '\n';
    size_t value = at + key.size();
    if (!starts_field || value >= text.size() || (text[value] != '=' && text[value] != ' '))
      continue;
    total = total.value_or(0) + std::strtoll(text.data() + value + 1, nullptr, 10);
  }
  return total;
}

// A file holding one number (memory.peak, memory.max_usage_in_bytes).
std::optional<int64_t> number_in(const std::string& text) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str())
    return std::nullopt;
  return value;
}

void close_fd(int& fd) {
  if (fd >= 0)
    ::close(fd);
  fd = -1;
}

// One rmdir; false when worth retrying: a cgroup whose last process has just been reaped can
// stay busy for a moment.
bool remove_dir(const fs::path& dir) {
  return ::rmdir(dir.c_str()) == 0 || errno == ENOENT || errno == ENOTEMPTY;
}

} // namespace

TreeUsage usage_between(const CgroupReading& before, const CgroupReading& after) {
  TreeUsage u;
  u.user_s = static_cast<double>(after.user_us - before.user_us) / 1e6;
  u.sys_s = static_cast<double>(after.system_us - before.system_us) / 1e6;
  u.pressure = pressure_between(before.pressure, after.pressure);
  u.memory_peak_bytes = after.memory_peak_bytes;
  if (before.read_bytes && after.read_bytes)
    u.read_bytes = *after.read_bytes - *before.read_bytes;
  if (before.write_bytes && after.write_bytes)
    u.write_bytes = *after.write_bytes - *before.write_bytes;
  return u;
}

PhaseCgroup::PhaseCgroup(fs::path dir, std::optional<fs::path> memory_dir)
    : dir_(std::move(dir)), memory_dir_(std::move(memory_dir)) {
  if (::mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create " + dir_.string() + ": " + std::strerror(errno));
  procs_fd_ = ::open((dir_ / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (procs_fd_ < 0) {
    int error = errno;
    ::rmdir(dir_.c_str());
    throw std::runtime_error("cannot open " + (dir_ / "cgroup.procs").string() + ": " +
                             std::strerror(error));
  }
  dir_fd_ = ::open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); // -1: the child moves in
  cpu_stat_ = open_read(dir_ / "cpu.stat");
  events_ = open_read(dir_ / "cgroup.events");
  if (cpu_stat_ < 0 || events_ < 0) { // out of descriptors: no figures rather than made-up ones
    int error = errno;
    close_fd(procs_fd_);
    close_fd(dir_fd_);
    close_fd(cpu_stat_);
    close_fd(events_);
    ::rmdir(dir_.c_str());
    throw std::runtime_error("cannot open the files of " + dir_.string() + ": " +
                             std::strerror(error));
  }
  cpu_pressure_ = open_read(dir_ / "cpu.pressure");
  io_pressure_ = open_read(dir_ / "io.pressure");
  memory_pressure_ = open_read(dir_ / "memory.pressure");
  io_stat_ = open_read(dir_ / "io.stat"); // only with the io controller
  memory_peak_ = open_peak(dir_ / "memory.peak", memory_peak_resettable_); // the memory controller
  if (memory_peak_ >= 0) {
    memory_usage_ = open_read(dir_ / "memory.current");
  } else if (memory_dir_ && ::mkdir(memory_dir_->c_str(), 0755) == 0) {
    memory_procs_fd_ = ::open((*memory_dir_ / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
    if (memory_procs_fd_ >= 0) {
      memory_peak_ = open_peak(*memory_dir_ / "memory.max_usage_in_bytes", memory_peak_resettable_);
      memory_usage_ = open_read(*memory_dir_ / "memory.usage_in_bytes");
    }
    memory_peak_from_v1_ = memory_peak_ >= 0;
  } else {
    memory_dir_.reset();
  }
  origin_.pressure = PressureSnapshot{};
}

PhaseCgroup::~PhaseCgroup() {
  if (closed_) // released before, by whoever gave up retrying: the run's end removes the rest
    return;
  for (int attempt = 0; attempt < 20 && !release(); ++attempt)
    ::usleep(1000);
}

bool PhaseCgroup::release() {
  if (!closed_) {
    // A cgroup that still holds processes stays: the run's end kills and removes the tree.
    keep_dirs_ = populated();
    for (int* fd :
         {&procs_fd_, &memory_procs_fd_, &dir_fd_, &cpu_stat_, &cpu_pressure_, &io_pressure_,
          &memory_pressure_, &events_, &memory_peak_, &io_stat_, &memory_usage_})
      close_fd(*fd);
    closed_ = true;
  }
  if (keep_dirs_)
    return true;
  dir_removed_ = dir_removed_ || remove_dir(dir_);
  if (memory_dir_)
    memory_dir_removed_ = memory_dir_removed_ || remove_dir(*memory_dir_);
  return dir_removed_ && (!memory_dir_ || memory_dir_removed_);
}

void PhaseCgroup::entered(bool cgroup, bool memory) {
  close_fd(procs_fd_);
  close_fd(memory_procs_fd_);
  close_fd(dir_fd_);
  if ((!cgroup || !memory) && memory_peak_from_v1_) {
    close_fd(memory_peak_); // an empty companion's peak would read 0: null instead
    recyclable_ = false;    // and the next phase would lose its peak too
  }
  recyclable_ = recyclable_ && cgroup;
}

bool PhaseCgroup::reset_memory_peak() {
  if (memory_peak_ < 0) // no memory figure to keep right
    return true;
  if (!memory_peak_resettable_ || memory_usage_ < 0)
    return false;
  auto left = number_in(read_all(memory_usage_));
  if (!left || *left > kRecycleLeftoverBytes)
    return false;
  // v1 takes "0"; v2's memory.peak takes any text, and resets only what this descriptor reads.
  if (::pwrite(memory_peak_, "0", 1, 0) != 1)
    return false;
  memory_base_ = number_in(read_all(memory_usage_)).value_or(*left);
  return true;
}

bool PhaseCgroup::reopen_procs() {
  procs_fd_ = ::open((dir_ / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  dir_fd_ = ::open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (memory_dir_)
    memory_procs_fd_ = ::open((*memory_dir_ / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  return procs_fd_ >= 0 && (!memory_dir_ || memory_procs_fd_ >= 0);
}

bool PhaseCgroup::recycle() {
  if (closed_ || !recyclable_ || populated() || !reset_memory_peak())
    return false;
  if (!reopen_procs()) {
    close_fd(procs_fd_);
    close_fd(memory_procs_fd_);
    close_fd(dir_fd_);
    return false;
  }
  origin_ = read();
  origin_.memory_peak_bytes.reset(); // a peak is not a counter: read() gives it from the reset
  if (!origin_.pressure)
    origin_.pressure = PressureSnapshot{};
  return true;
}

CgroupReading PhaseCgroup::read() const {
  CgroupReading r;
  std::string cpu = read_all(cpu_stat_);
  r.user_us = sum_of(cpu, "user_usec").value_or(0);
  r.system_us = sum_of(cpu, "system_usec").value_or(0);
  r.pressure = read_pressure(cpu_pressure_, io_pressure_, memory_pressure_);
  if (memory_peak_ >= 0)
    if (auto peak = number_in(read_all(memory_peak_)))
      r.memory_peak_bytes = std::max<int64_t>(0, *peak - memory_base_);
  if (io_stat_ >= 0) {
    std::string io = read_all(io_stat_);
    r.read_bytes = sum_of(io, "rbytes").value_or(0);
    r.write_bytes = sum_of(io, "wbytes").value_or(0);
  }
  return r;
}

bool PhaseCgroup::populated() const {
  return sum_of(read_all(events_), "populated").value_or(0) != 0;
}

} // namespace ciperf
