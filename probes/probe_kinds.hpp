#pragma once
// The probe for each kind of target.
#include "common/duration.hpp"
#include "probes/probe.hpp"
#include "probes/probe_spec.hpp"

#include <memory>

namespace ciperf {

class HttpClient;

// `spec` gives the attempt timeout, and the environment and directory of commands.
std::unique_ptr<Probe> make_probe(const ProbeTarget& target, const WaitSpec& spec,
                                  HttpClient& http);

std::unique_ptr<Probe> make_http_probe(const ProbeTarget& target, HttpClient& http,
                                       Duration attempt_timeout);
std::unique_ptr<Probe> make_tcp_probe(const ProbeTarget& target);
std::unique_ptr<Probe> make_exec_probe(const ProbeTarget& target, const WaitSpec& spec);
std::unique_ptr<Probe> make_log_probe(const ProbeTarget& target);
std::unique_ptr<Probe> make_swarm_probe(const ProbeTarget& target, const WaitSpec& spec);

} // namespace ciperf
