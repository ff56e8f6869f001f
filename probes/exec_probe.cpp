#include "probes/exec_attempt.hpp"
#include "probes/probe_kinds.hpp"

#include <utility>

namespace ciperf {
namespace {

constexpr size_t kReasonBytes = 200;

// The last non-empty line of what the command printed: usually the reason it failed.
std::string last_line(const std::string& output) {
  size_t end = output.find_last_not_of("\r\n \t");
  if (end == std::string::npos)
    return "";
  size_t start = output.find_last_of('\n', end);
  return output.substr(start == std::string::npos ? 0 : start + 1,
                       end + 1 - (start == std::string::npos ? 0 : start + 1));
}

class ExecProbe : public Probe {
public:
  ExecProbe(const ProbeTarget& target, const WaitSpec& spec) : target_(target), spec_(spec) {}
  void begin() override {
    try {
      exec_.start(target_.command, 4096, spec_.env, spec_.workdir);
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
    if (r->exit_code == 0)
      return Attempt{true, false, ""};
    std::string why =
        r->exit_code < 0 ? "killed by a signal" : "exit code " + std::to_string(r->exit_code);
    std::string line = last_line(r->output).substr(0, kReasonBytes);
    return Attempt{false, false, line.empty() ? why : why + ": " + line};
  }
  void abandon() override { exec_.abandon(); }

private:
  const ProbeTarget& target_;
  const WaitSpec& spec_;
  ExecAttempt exec_;
  std::string failure_;
};

} // namespace

std::unique_ptr<Probe> make_exec_probe(const ProbeTarget& target, const WaitSpec& spec) {
  return std::make_unique<ExecProbe>(target, spec);
}

} // namespace ciperf
