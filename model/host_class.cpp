#include "model/run_record.hpp"

#include <cmath>
#include <fmt/format.h>

namespace ciperf {

std::string host_class(const HostInfo& host) {
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  // To the nearest GiB: the kernel's own reservations move the exact figure between boots.
  auto gib = static_cast<long long>(std::llround(static_cast<double>(host.memory_bytes) / kGiB));
  return fmt::format("{} ×{}, {} GiB, {}", host.cpu_model.empty() ? "unknown CPU" : host.cpu_model,
                     host.cpus, gib,
                     host.virtualization.empty() ? "unknown virtualization" : host.virtualization);
}

} // namespace ciperf
