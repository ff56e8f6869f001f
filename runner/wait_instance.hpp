#pragma once
// A `wait:` block made concrete for one run: `$VARS` in target addresses (URL, host:port, log
// path, stack) expanded from the phase's environment, and targets parsed again from the result.
// Regexes are left alone (`$` is an anchor there); exec commands get the environment itself.
#include "analysis/run_record.hpp"
#include "probes/probe_spec.hpp"
#include "probes/waiter.hpp"
#include "runner/phase_env.hpp"

namespace ciperf {

// Throws UsageError when an expanded target is not valid.
WaitSpec instantiate_wait(const WaitSpec& raw, const EnvMap& env, const std::string& workdir);

// The waiter's report as the record that results.json and the store keep.
WaitRecord to_wait_record(const WaitReport& report);

} // namespace ciperf
