#pragma once
// One target being probed. The waiter starts attempts, polls the descriptors an attempt waits
// on, and asks each probe whether its attempt is over. Attempts never block.
#include <chrono>
#include <optional>
#include <poll.h>
#include <string>
#include <vector>

namespace ciperf {

using ProbeClock = std::chrono::steady_clock;

struct Attempt {
  bool ok = false;
  // Nothing listens yet (connection refused): cheap to ask again at once, so the waiter retries
  // after a short connect interval instead of the full interval.
  bool refused = false;
  std::string reason; // why not ready, in a few words: "503 Service Unavailable"
};

class Probe {
public:
  virtual ~Probe() = default;
  // Starts an attempt; it may be over at once (advance() then says so).
  virtual void begin() = 0;
  // Adds the descriptors the attempt in flight waits on.
  virtual void watch(std::vector<pollfd>& fds) const = 0;
  // Looks at `fds` (as filled in by poll) and returns the outcome once the attempt is over.
  virtual std::optional<Attempt> advance(const std::vector<pollfd>& fds) = 0;
  // The attempt ran past its time: stop it and whatever it started.
  virtual void abandon() = 0;
  // A descriptor that signals "worth trying now" between attempts (inotify), or -1.
  virtual int wake_fd() const { return -1; }
  virtual void on_wake() {}
};

// True if `fd` is in `fds` with any event reported.
bool fd_ready(const std::vector<pollfd>& fds, int fd);

} // namespace ciperf
