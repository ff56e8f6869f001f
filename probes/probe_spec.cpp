#include "probes/probe_spec.hpp"

namespace ciperf {

const char* probe_kind_name(ProbeKind kind) {
  switch (kind) {
  case ProbeKind::Http:
    return "http";
  case ProbeKind::Tcp:
    return "tcp";
  case ProbeKind::Exec:
    return "exec";
  case ProbeKind::Log:
    return "log";
  case ProbeKind::Swarm:
    return "swarm";
  }
  return "?";
}

} // namespace ciperf
