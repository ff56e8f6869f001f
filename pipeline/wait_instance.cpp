#include "pipeline/wait_instance.hpp"

#include "common/expand_env.hpp"
#include "probes/target_parser.hpp"

namespace ciperf {
namespace {

ProbeTarget instantiate(const ProbeTarget& raw, const EnvMap& env) {
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  ProbeTarget t = raw;
  if (raw.kind == ProbeKind::Log) {
    t.path = expand_env(raw.path, lookup);
    return t;
  }
  if (raw.kind == ProbeKind::Exec)
    return t; // the shell expands it, with the phase's environment
  ProbeTarget parsed = parse_target(expand_env(raw.text, lookup));
  t.url = parsed.url;
  t.host = parsed.host;
  t.port = parsed.port;
  t.stack = parsed.stack;
  t.text = parsed.text;
  return t;
}

} // namespace

WaitSpec instantiate_wait(const WaitSpec& raw, const EnvMap& env, const std::string& workdir) {
  WaitSpec spec = raw;
  for (auto& t : spec.targets)
    t = instantiate(t, env);
  for (auto& t : spec.fail_if)
    t = instantiate(t, env);
  for (const auto& [name, value] : env)
    spec.env.push_back(name + "=" + value);
  spec.workdir = workdir;
  for (const auto& t : spec.targets)
    validate_target(t);
  for (const auto& t : spec.fail_if)
    validate_target(t);
  return spec;
}

} // namespace ciperf
