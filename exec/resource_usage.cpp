#include "exec/resource_usage.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace ciperf {
namespace {

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

// Parses "some avg10=… total=N\nfull avg10=… total=M\n". The cpu file of kernels before 5.13 has
// no `full` line: that stall is then reported as 0, as those kernels define it.
bool parse_pressure_file(int fd, int64_t& some, int64_t& full) {
  if (fd < 0)
    return false;
  char buf[256];
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  some = full = 0;
  for (char* line = buf; *line != '\0';) {
    char* next = std::strchr(line, '\n');
    if (const char* total = std::strstr(line, "total="); total && (!next || total < next)) {
      long long value = std::atoll(total + 6);
      if (std::strncmp(line, "some", 4) == 0)
        some = value;
      else if (std::strncmp(line, "full", 4) == 0)
        full = value;
    }
    if (!next)
      break;
    line = next + 1;
  }
  return true;
}

// Opened once and read at offset 0 each time (the kernel renders the file afresh): two
// snapshots a phase made six opens and closes a phase.
struct PressureFiles {
  int cpu = ::open("/proc/pressure/cpu", O_RDONLY | O_CLOEXEC);
  int io = ::open("/proc/pressure/io", O_RDONLY | O_CLOEXEC);
  int memory = ::open("/proc/pressure/memory", O_RDONLY | O_CLOEXEC);
};

const PressureFiles& pressure_files() {
  static const PressureFiles files;
  return files;
}

} // namespace

void Usage::add(const struct rusage& ru) {
  user_s += seconds(ru.ru_utime);
  sys_s += seconds(ru.ru_stime);
  max_rss_bytes = std::max<int64_t>(max_rss_bytes, static_cast<int64_t>(ru.ru_maxrss) * 1024);
  read_bytes += static_cast<int64_t>(ru.ru_inblock) * 512;
  write_bytes += static_cast<int64_t>(ru.ru_oublock) * 512;
}

Usage usage_since(const struct rusage& self_before, const struct rusage& children_before) {
  rusage self{}, children{};
  ::getrusage(RUSAGE_SELF, &self);
  ::getrusage(RUSAGE_CHILDREN, &children);
  Usage u;
  u.user_s = seconds(self.ru_utime) - seconds(self_before.ru_utime) + seconds(children.ru_utime) -
             seconds(children_before.ru_utime);
  u.sys_s = seconds(self.ru_stime) - seconds(self_before.ru_stime) + seconds(children.ru_stime) -
            seconds(children_before.ru_stime);
  u.read_bytes = (self.ru_inblock - self_before.ru_inblock) * 512;
  u.write_bytes = (self.ru_oublock - self_before.ru_oublock) * 512;
  return u;
}

std::optional<PressureSnapshot> read_pressure(int cpu_fd, int io_fd, int memory_fd) {
  PressureSnapshot s;
  if (!parse_pressure_file(cpu_fd, s.us[0], s.us[1]) ||
      !parse_pressure_file(io_fd, s.us[2], s.us[3]) ||
      !parse_pressure_file(memory_fd, s.us[4], s.us[5]))
    return std::nullopt;
  return s;
}

std::optional<PressureSnapshot> read_pressure() {
  const auto& f = pressure_files();
  return read_pressure(f.cpu, f.io, f.memory);
}

std::optional<Pressure> pressure_between(const std::optional<PressureSnapshot>& before,
                                         const std::optional<PressureSnapshot>& after) {
  if (!before || !after)
    return std::nullopt;
  auto delta = [&](int i) { return static_cast<double>(after->us[i] - before->us[i]) / 1e6; };
  return Pressure{delta(0), delta(1), delta(2), delta(3), delta(4), delta(5)};
}

std::optional<int64_t> mem_available_bytes() {
  std::FILE* f = std::fopen("/proc/meminfo", "re");
  if (!f)
    return std::nullopt;
  std::optional<int64_t> out;
  char line[256];
  long long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "MemAvailable: %lld kB", &kib) == 1) {
      out = static_cast<int64_t>(kib) * 1024;
      break;
    }
  std::fclose(f);
  return out;
}

} // namespace ciperf
