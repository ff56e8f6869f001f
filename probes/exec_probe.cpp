#include "probes/command_probe.hpp"
#include "probes/probe_kinds.hpp"

namespace ciperf {
namespace {

constexpr size_t kReasonBytes = 200;

// The last non-empty line of what the command printed: usually the reason it failed.
std::string last_line(const std::string& output) {
  size_t end = output.find_last_not_of("\r\n \t");
  if (end == std::string::npos)
    return "";
  size_t newline = output.find_last_of('\n', end);
  size_t start = newline == std::string::npos ? 0 : newline + 1;
  return output.substr(start, end + 1 - start);
}

class ExecProbe : public CommandProbe {
public:
  ExecProbe(const ProbeTarget& target, const WaitSpec& spec)
      : CommandProbe(target.command, 4096, spec) {}

protected:
  Attempt judge(const ExecAttempt::Result& r) override {
    if (r.exit_code == 0)
      return Attempt{true, false, ""};
    std::string why =
        r.exit_code < 0 ? "killed by a signal" : "exit code " + std::to_string(r.exit_code);
    std::string line = last_line(r.output).substr(0, kReasonBytes);
    return Attempt{false, false, line.empty() ? why : why + ": " + line};
  }
};

} // namespace

std::unique_ptr<Probe> make_exec_probe(const ProbeTarget& target, const WaitSpec& spec) {
  return std::make_unique<ExecProbe>(target, spec);
}

} // namespace ciperf
