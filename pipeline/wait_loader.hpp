#pragma once
// The `wait:` block of a phase (README "Pipelines").
#include "pipeline/yaml_reader.hpp"
#include "probes/probe_spec.hpp"

#include <optional>

namespace ciperf {

// Problems go to `yaml`; `where` names the phase for messages.
std::optional<WaitSpec> read_wait_block(YamlReader& yaml, const YAML::Node& node,
                                        const std::string& where);

} // namespace ciperf
