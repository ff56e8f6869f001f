#pragma once
// A `wait:` block made concrete for one run: `$VARS` in target addresses (URL, host:port, log
// path, stack) expanded from the phase's environment, and targets parsed again from the result.
// Regexes are left alone (`$` is an anchor there); exec commands get the environment itself.
#include "exec/phase_env.hpp"
#include "probes/probe_spec.hpp"

namespace ciperf {

// Throws UsageError when an expanded target is not valid.
WaitSpec instantiate_wait(const WaitSpec& raw, const EnvMap& env, const std::string& workdir);

} // namespace ciperf
