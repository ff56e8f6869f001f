#include "probes/command_probe.hpp"
#include "probes/probe_kinds.hpp"
#include "probes/swarm_status.hpp"

#include <cstring>

namespace ciperf {
namespace {

constexpr size_t kOutputLimit = 4 << 20; // docker's JSON for a large stack, with room to spare
constexpr const char* kSeparator = "---ciperf---\n";

class SwarmProbe : public CommandProbe {
public:
  SwarmProbe(const ProbeTarget& target, const WaitSpec& spec)
      : CommandProbe(swarm_status_command(target.stack), kOutputLimit, spec) {}

protected:
  Attempt judge(const ExecAttempt::Result& r) override {
    size_t split = r.output.find(kSeparator);
    if (r.exit_code != 0 || split == std::string::npos)
      return Attempt{false, false,
                     "docker: " + r.output.substr(0, std::min(r.output.find('\n'), size_t{200}))};
    try {
      auto status = parse_swarm_status(r.output.substr(0, split),
                                       r.output.substr(split + std::strlen(kSeparator)));
      return Attempt{status.converged, false, status.reason};
    } catch (const std::exception& e) {
      return Attempt{false, false, e.what()};
    }
  }
};

} // namespace

std::unique_ptr<Probe> make_swarm_probe(const ProbeTarget& target, const WaitSpec& spec) {
  return std::make_unique<SwarmProbe>(target, spec);
}

} // namespace ciperf
