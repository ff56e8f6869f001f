#pragma once
// The loopback test server of probe_server.py, started for one test.
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <memory>
#include <string>
#include <vector>

namespace ciperf::test {

class ProbeServer {
public:
  // `mode` as in probe_server.py; waits until it listens unless the mode is `listen`.
  ProbeServer(const std::string& mode, double ready_after_s = 0,
              const std::vector<std::string>& extra = {});
  int port() const { return port_; }
  std::string url(const std::string& path = "/") const;
  // When the server became ready, on the steady clock (seconds); waits up to 10 s for it.
  double ready_at() const;
  std::vector<double> request_times() const;
  std::vector<double> accept_times() const;

private:
  TempDir state_;
  int port_;
  std::unique_ptr<BackgroundProcess> process_;
};

double steady_now(); // seconds on the steady clock, comparable with ready_at()

} // namespace ciperf::test
