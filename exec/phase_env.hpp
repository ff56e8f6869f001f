#pragma once
// The environment a phase sees: ciperf's own, then the pipeline's `env`, then the phase's, then
// the CIPERF_* variables (README "Pipelines").
#include <map>
#include <string>
#include <vector>

namespace ciperf {

using EnvMap = std::map<std::string, std::string>;

EnvMap process_environment(); // ciperf's own environment
// `layers` are applied in order, later ones winning.
EnvMap merge_env(const EnvMap& base, std::initializer_list<const EnvMap*> layers);
std::vector<std::string> build_env(const EnvMap& base, std::initializer_list<const EnvMap*> layers);

} // namespace ciperf
