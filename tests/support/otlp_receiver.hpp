#pragma once
// The loopback OTLP receiver of otlp_receiver.js (Node, decoding with opentelemetry-proto's
// generated code), started for one test.
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ciperf::test {

class OtlpReceiver {
public:
  // `mode`: ok, error (500) or hang (never answers); waits until it listens.
  explicit OtlpReceiver(const std::string& mode = "ok");
  std::string endpoint() const; // http://127.0.0.1:PORT
  int port() const { return port_; }
  // One JSON document per request received so far (see otlp_receiver.js).
  std::vector<nlohmann::json> requests() const;
  // Waits up to 10 s until `count` requests arrived.
  std::vector<nlohmann::json> wait_for(size_t count) const;

private:
  TempDir state_;
  int port_;
  std::unique_ptr<BackgroundProcess> process_;
};

} // namespace ciperf::test
