#include "probes/exec_attempt.hpp"
#include "probes/probe_kinds.hpp"

#include "probes/swarm_status.hpp"
#include <utility>

#include <cstring>

namespace ciperf {
namespace {

constexpr size_t kOutputLimit = 4 << 20; // docker's JSON for a large stack, with room to spare
constexpr const char* kSeparator = "---ciperf---\n";

class SwarmProbe : public Probe {
public:
  SwarmProbe(const ProbeTarget& target, const WaitSpec& spec)
      : command_(swarm_status_command(target.stack)), spec_(spec) {}
  void begin() override {
    try {
      exec_.start(command_, kOutputLimit, spec_.env, spec_.workdir);
    } catch (const std::exception& e) {
      failure_ = e.what();
    }
  }
  void watch(std::vector<pollfd>& fds) const override { exec_.watch(fds); }
  std::optional<Attempt> advance(const std::vector<pollfd>& fds) override {
    if (!failure_.empty())
      return Attempt{false, false, std::exchange(failure_, "")};
    auto r = exec_.advance(fds);
    if (!r)
      return std::nullopt;
    size_t split = r->output.find(kSeparator);
    if (r->exit_code != 0 || split == std::string::npos)
      return Attempt{false, false, "docker: " + first_line(r->output)};
    try {
      auto status = parse_swarm_status(r->output.substr(0, split),
                                       r->output.substr(split + std::strlen(kSeparator)));
      return Attempt{status.converged, false, status.reason};
    } catch (const std::exception& e) {
      return Attempt{false, false, e.what()};
    }
  }
  void abandon() override { exec_.abandon(); }

private:
  static std::string first_line(const std::string& text) {
    return text.substr(0, std::min(text.find('\n'), size_t{200}));
  }
  std::string command_;
  const WaitSpec& spec_;
  ExecAttempt exec_;
  std::string failure_;
};

} // namespace

std::unique_ptr<Probe> make_swarm_probe(const ProbeTarget& target, const WaitSpec& spec) {
  return std::make_unique<SwarmProbe>(target, spec);
}

} // namespace ciperf
