#include "support/probe_server.hpp"

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ciperf::test {

double steady_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ProbeServer::ProbeServer(const std::string& mode, double ready_after_s,
                         const std::vector<std::string>& extra)
    : port_(free_port()) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   CIPERF_SOURCE_DIR "/tests/support/probe_server.py",
                                   mode,
                                   std::to_string(port_),
                                   state_.path().string(),
                                   "--ready-after",
                                   std::to_string(ready_after_s)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<BackgroundProcess>(argv);
  if (mode == "listen")
    return;
  for (int i = 0; i < 1000 && !std::filesystem::exists(state_ / "listening"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!std::filesystem::exists(state_ / "listening"))
    throw std::runtime_error("probe_server.py did not start");
}

std::string ProbeServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

double ProbeServer::ready_at() const {
  for (int i = 0; i < 2000 && !std::filesystem::exists(state_ / "ready_at"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return std::stod(read_file(state_ / "ready_at"));
}

std::vector<double> ProbeServer::accept_times() const {
  std::vector<double> out;
  std::istringstream in(read_file(state_ / "accepts"));
  double t;
  while (in >> t)
    out.push_back(t);
  return out;
}

std::vector<double> ProbeServer::request_times() const {
  std::vector<double> out;
  std::istringstream in(read_file(state_ / "requests"));
  double t;
  while (in >> t)
    out.push_back(t);
  return out;
}

} // namespace ciperf::test
