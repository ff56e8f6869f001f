#include "probes/probe_kinds.hpp"

namespace ciperf {

std::unique_ptr<Probe> make_probe(const ProbeTarget& target, const WaitSpec& spec,
                                  HttpClient& http) {
  switch (target.kind) {
  case ProbeKind::Http:
    return make_http_probe(target, http, spec.attempt_timeout);
  case ProbeKind::Tcp:
    return make_tcp_probe(target);
  case ProbeKind::Exec:
    return make_exec_probe(target, spec);
  case ProbeKind::Log:
    return make_log_probe(target);
  case ProbeKind::Swarm:
    return make_swarm_probe(target, spec);
  }
  return nullptr;
}

} // namespace ciperf
