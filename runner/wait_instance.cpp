#include "runner/wait_instance.hpp"

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

WaitRecord to_wait_record(const WaitReport& r) {
  WaitRecord w{outcome_name(r.outcome), r.elapsed_s,      r.ready_s,         r.attempts,
               r.http_requests,         r.attempts_saved, r.relaxed_until_s, {}};
  for (const auto& t : r.targets) {
    auto& target = w.targets.emplace_back(WaitTargetRecord{
        t.target, t.kind, t.fail_if, t.attempts, t.first_success_s, t.last_failure, {}});
    for (const Mark& m : t.marks.marks())
      target.marks.push_back({m.at_s, m.ok});
  }
  return w;
}

} // namespace ciperf
