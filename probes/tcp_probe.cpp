#include "probes/probe_kinds.hpp"
#include "probes/tcp_connect.hpp"

namespace ciperf {
namespace {

class TcpProbe : public Probe {
public:
  explicit TcpProbe(const ProbeTarget& target) : target_(target) {}
  void begin() override { connect_.start(target_.host, target_.port); }
  void watch(std::vector<pollfd>& fds) const override { connect_.watch(fds); }
  std::optional<Attempt> advance(const std::vector<pollfd>& fds) override {
    auto c = connect_.advance(fds);
    if (!c)
      return std::nullopt;
    return Attempt{c->connected, c->refused, c->reason};
  }
  void abandon() override { connect_.close_all(); }

private:
  const ProbeTarget& target_;
  TcpConnect connect_;
};

} // namespace

std::unique_ptr<Probe> make_tcp_probe(const ProbeTarget& target) {
  return std::make_unique<TcpProbe>(target);
}

} // namespace ciperf
