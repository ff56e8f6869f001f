#include "probes/probe.hpp"

namespace ciperf {

bool fd_ready(const std::vector<pollfd>& fds, int fd) {
  for (const auto& p : fds)
    if (p.fd == fd)
      return p.revents != 0;
  return false;
}

} // namespace ciperf
