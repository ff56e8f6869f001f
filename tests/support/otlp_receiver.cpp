#include "support/otlp_receiver.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace ciperf::test {

OtlpReceiver::OtlpReceiver(const std::string& mode) : port_(free_port()) {
  const char* modules = std::getenv("CIPERF_TEST_NODE_MODULES");
  std::filesystem::path root =
      std::filesystem::path(modules ? modules : "/usr/local/share/ciperf-tests/node_modules") /
      "@opentelemetry/otlp-transformer/build/src/generated/root.js";
  if (!std::filesystem::exists(root))
    throw std::runtime_error(root.string() + " is missing: run tools/install-deps.sh");
  process_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
      "/usr/bin/env", "node", CIPERF_SOURCE_DIR "/tests/support/otlp_receiver.js", mode,
      std::to_string(port_), state_.path().string()});
  for (int i = 0; i < 2000 && !std::filesystem::exists(state_ / "listening"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!std::filesystem::exists(state_ / "listening"))
    throw std::runtime_error("otlp_receiver.js did not start");
}

std::string OtlpReceiver::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<nlohmann::json> OtlpReceiver::requests() const {
  std::vector<nlohmann::json> out;
  std::ifstream in(state_ / "requests.jsonl");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty())
      out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<nlohmann::json> OtlpReceiver::wait_for(size_t count) const {
  for (int i = 0; i < 1000; ++i) {
    auto got = requests();
    if (got.size() >= count)
      return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return requests();
}

} // namespace ciperf::test
