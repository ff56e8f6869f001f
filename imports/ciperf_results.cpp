#include "imports/ciperf_results.hpp"

#include "common/rfc3339.hpp"
#include "imports/import_error.hpp"
#include "imports/json_fields.hpp"

#include <set>

namespace ciperf {
namespace {

using nlohmann::json;

std::string one_of(const JsonFields& f, const char* key, const std::set<std::string>& allowed,
                   const std::string& fallback = {}) {
  std::string value = fallback.empty() ? f.required_text(key) : f.text(key, fallback);
  if (!allowed.count(value))
    f.fail(key, "unknown value '" + value + "'");
  return value;
}

std::optional<Pressure> read_pressure(const JsonFields& f, const std::string& file,
                                      const std::string& where) {
  const json* p = f.object("pressure");
  if (!p)
    return std::nullopt;
  Pressure out;
  auto read = [&](const char* resource, double& some, double& full) {
    if (const json* r = JsonFields(*p, file, where + ".pressure").object(resource)) {
      JsonFields rf(*r, file, where + ".pressure." + resource);
      some = rf.seconds("some_s");
      full = rf.seconds("full_s");
    }
  };
  read("cpu", out.cpu_some_s, out.cpu_full_s);
  read("io", out.io_some_s, out.io_full_s);
  read("memory", out.memory_some_s, out.memory_full_s);
  return out;
}

WaitRecord read_probe(const json& probe, const std::string& file, const std::string& where) {
  JsonFields f(probe, file, where);
  WaitRecord w;
  w.outcome = one_of(f, "outcome", {"ready", "timeout", "failed", "interrupted"});
  w.elapsed_s = f.seconds("elapsed_s");
  w.ready_s = f.optional_seconds("ready_s");
  w.attempts = static_cast<int>(f.integer("attempts"));
  w.http_requests = static_cast<int>(f.integer("http_requests"));
  w.attempts_saved = static_cast<int>(f.integer("attempts_saved"));
  w.relaxed_until_s = f.optional_seconds("relaxed_until_s");
  if (const json* targets = f.array("targets"))
    for (size_t i = 0; i < targets->size() && i < 1000; ++i) {
      std::string at = where + ".targets[" + std::to_string(i) + "]";
      JsonFields t((*targets)[i], file, at);
      WaitTargetRecord target{t.required_text("target"),
                              t.text("kind"),
                              t.boolean("fail_if"),
                              static_cast<int>(t.integer("attempts")),
                              t.optional_seconds("first_success_s"),
                              t.text("last_failure"),
                              {}};
      if (const json* marks = t.array("marks"))
        for (const auto& m : *marks)
          if (m.is_array() && m.size() == 2 && m[0].is_number() && m[1].is_boolean() &&
              m[0].get<double>() >= 0 && m[0].get<double>() <= JsonFields::kMaxSeconds &&
              target.marks.size() < 1024)
            target.marks.push_back({m[0].get<double>(), m[1].get<bool>()});
      w.targets.push_back(std::move(target));
    }
  return w;
}

} // namespace

PhaseRecord ciperf_phase(const json& phase, const std::string& file, size_t index) {
  std::string where = "phases[" + std::to_string(index) + "]";
  JsonFields f(phase, file, where);
  PhaseRecord p;
  p.index = static_cast<int>(index);
  p.name = f.required_text("name");
  p.kind = one_of(f, "kind", {"deploy", "wait", "build", "test", "teardown", "other"}, "other");
  p.tier = f.text("tier");
  p.status = one_of(f, "status", {"passed", "failed", "timeout", "skipped", "interrupted"});
  p.exit_code = f.optional_int("exit_code");
  p.signal = f.optional_int("signal");
  p.background = f.boolean("background");
  p.always = f.boolean("always");
  p.start_s = f.seconds("start_s");
  p.wall_s = f.seconds("wall_s");
  p.user_s = f.seconds("user_s");
  p.sys_s = f.seconds("sys_s");
  p.max_rss_bytes = f.integer("max_rss_bytes");
  p.read_bytes = f.integer("read_bytes");
  p.write_bytes = f.integer("write_bytes");
  p.pressure = read_pressure(f, file, where);
  p.log = f.text("log");
  p.budget_s = f.optional_seconds("budget_s");
  p.over_budget = f.boolean("over_budget");
  p.message = f.text("message");
  if (const json* metrics = f.object("metrics"))
    for (const auto& [name, value] : metrics->items()) {
      JsonFields m(value, file, where + ".metrics." + name);
      p.metrics.push_back({name, m.number("value"), m.text("unit")});
    }
  if (const json* probe = f.object("probe"))
    p.probe = read_probe(*probe, file, where + ".probe");
  return p;
}

RunRecord ciperf_run(const json& rest, const std::string& file, std::vector<PhaseRecord> phases) {
  JsonFields f(rest, file, "");
  RunRecord r;
  r.run_id = f.required_text("run_id");
  if (r.run_id.size() > 64)
    f.fail("run_id", "longer than 64 characters");
  r.pipeline = f.required_text("pipeline");
  r.pipeline_file = f.text("pipeline_file");
  r.mode = one_of(f, "mode", {"normal", "cold", "warm"}, "normal");
  r.status = one_of(f, "status", {"passed", "failed", "timeout", "interrupted"});
  auto started = parse_rfc3339_ns(f.required_text("started_at"));
  if (!started)
    f.fail("started_at", "not an RFC 3339 time");
  r.started_at = format_rfc3339_ms(*started);
  if (auto finished = parse_rfc3339_ns(f.text("finished_at")))
    r.finished_at = format_rfc3339_ms(*finished);
  r.wall_s = f.seconds("wall_s");
  if (const json* labels = f.object("labels"))
    for (const auto& [key, value] : labels->items())
      r.labels[key] = JsonFields(*labels, file, "labels").text(key.c_str());
  if (const json* host = f.object("host")) {
    JsonFields h(*host, file, "host");
    r.host = {h.text("hostname"), static_cast<int>(h.integer("cpus")), h.integer("memory"),
              h.text("kernel")};
  }
  r.deploys = static_cast<int>(f.integer("deploys"));
  r.expected_deploys = f.optional_int("expected_deploys");
  r.phases = std::move(phases);
  return r;
}

} // namespace ciperf
