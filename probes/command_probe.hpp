#pragma once
// A probe whose attempt is a command (exec, swarm): starting it, watching it, and killing its
// process group at the attempt timeout are shared; what the result means is the subclass's.
#include "probes/exec_attempt.hpp"
#include "probes/probe.hpp"
#include "probes/probe_spec.hpp"

namespace ciperf {

class CommandProbe : public Probe {
public:
  CommandProbe(std::string command, size_t output_limit, const WaitSpec& spec)
      : command_(std::move(command)), output_limit_(output_limit), spec_(spec) {}

  void begin() override;
  void watch(std::vector<pollfd>& fds) const override { exec_.watch(fds); }
  std::optional<Attempt> advance(const std::vector<pollfd>& fds) override;
  void abandon() override { exec_.abandon(); }

protected:
  virtual Attempt judge(const ExecAttempt::Result& result) = 0;

private:
  std::string command_;
  size_t output_limit_;
  const WaitSpec& spec_;
  ExecAttempt exec_;
  std::string failure_; // the command could not even start
};

} // namespace ciperf
