#include "probes/log_watch.hpp"
#include "probes/probe_kinds.hpp"

namespace ciperf {
namespace {

// Each attempt reads what was appended since the last one; inotify wakes the waiter at once
// when the file changes, so readiness is seen without waiting for the interval.
class LogProbe : public Probe {
public:
  explicit LogProbe(const ProbeTarget& target) : watch_(target.path, target.regex) {}
  void begin() override { ready_ = watch_.check(); }
  void watch(std::vector<pollfd>&) const override {}
  std::optional<Attempt> advance(const std::vector<pollfd>&) override {
    return Attempt{ready_, false, ready_ ? "" : watch_.reason()};
  }
  void abandon() override {}
  int wake_fd() const override { return watch_.fd(); }
  void on_wake() override { watch_.drain_events(); }

private:
  LogWatch watch_;
  bool ready_ = false;
};

} // namespace

std::unique_ptr<Probe> make_log_probe(const ProbeTarget& target) {
  return std::make_unique<LogProbe>(target);
}

} // namespace ciperf
