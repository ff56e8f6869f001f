#include "runner/results_json.hpp"

#include "runner/atomic_file.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ciperf {
namespace {
using nlohmann::json;

json optional_int(const std::optional<int>& v) {
  return v ? json(*v) : json(nullptr);
}

json pressure_json(const std::optional<Pressure>& p) {
  if (!p)
    return nullptr; // no PSI on this kernel: unavailable, not zero
  return {{"cpu", {{"some_s", p->cpu_some_s}, {"full_s", p->cpu_full_s}}},
          {"io", {{"some_s", p->io_some_s}, {"full_s", p->io_full_s}}},
          {"memory", {{"some_s", p->memory_some_s}, {"full_s", p->memory_full_s}}}};
}

json optional_double(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json probe_json(const WaitRecord& w) {
  json targets = json::array();
  for (const auto& t : w.targets) {
    json marks = json::array();
    for (const auto& m : t.marks)
      marks.push_back({std::round(m.at_s * 1e6) / 1e6, m.ok});
    targets.push_back({{"target", t.target},
                       {"kind", t.kind},
                       {"fail_if", t.fail_if},
                       {"attempts", t.attempts},
                       {"first_success_s", optional_double(t.first_success_s)},
                       {"last_failure", t.last_failure},
                       {"marks", marks}});
  }
  return {{"outcome", w.outcome},
          {"elapsed_s", w.elapsed_s},
          {"ready_s", optional_double(w.ready_s)},
          {"attempts", w.attempts},
          {"http_requests", w.http_requests},
          {"attempts_saved", w.attempts_saved},
          {"relaxed_until_s", optional_double(w.relaxed_until_s)},
          {"targets", targets}};
}

json phase_json(const PhaseRecord& p) {
  json metrics = json::object();
  for (const auto& m : p.metrics)
    metrics[m.name] = {{"value", m.value}, {"unit", m.unit}};
  json out = {{"name", p.name},
              {"kind", p.kind},
              {"tier", p.tier},
              {"status", p.status},
              {"exit_code", optional_int(p.exit_code)},
              {"signal", optional_int(p.signal)},
              {"background", p.background},
              {"always", p.always},
              {"start_s", p.start_s},
              {"wall_s", p.wall_s},
              {"user_s", p.user_s},
              {"sys_s", p.sys_s},
              {"max_rss_bytes", p.max_rss_bytes},
              {"read_bytes", p.read_bytes},
              {"write_bytes", p.write_bytes},
              {"pressure", pressure_json(p.pressure)},
              {"log", p.log},
              {"metrics", metrics}};
  if (p.budget_s) {
    out["budget_s"] = *p.budget_s;
    out["over_budget"] = p.over_budget;
  }
  if (!p.message.empty())
    out["message"] = p.message;
  if (p.probe)
    out["probe"] = probe_json(*p.probe);
  return out;
}

json run_json(const RunRecord& run) {
  json phases = json::array();
  for (const auto& p : run.phases)
    phases.push_back(phase_json(p));
  json out = {{"schema", kResultsSchema},
              {"run_id", run.run_id},
              {"pipeline", run.pipeline},
              {"pipeline_file", run.pipeline_file},
              {"mode", run.mode},
              {"status", run.status},
              {"started_at", run.started_at},
              {"finished_at", run.finished_at},
              {"wall_s", run.wall_s},
              {"labels", run.labels},
              {"host",
               {{"hostname", run.host.hostname},
                {"cpus", run.host.cpus},
                {"memory", run.host.memory_bytes},
                {"kernel", run.host.kernel}}},
              {"deploys", run.deploys},
              {"expected_deploys", optional_int(run.expected_deploys)},
              {"phases", phases}};
  if (run.prepare)
    out["prepare"] = {{"status", run.prepare->status},
                      {"exit_code", optional_int(run.prepare->exit_code)},
                      {"wall_s", run.prepare->wall_s},
                      {"log", run.prepare->log}};
  return out;
}

} // namespace

std::string results_json(const RunRecord& run) {
  // Phase output is arbitrary bytes; invalid UTF-8 is replaced rather than failing the write.
  return run_json(run).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string wait_json(const WaitRecord& wait) {
  return probe_json(wait).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

void write_results_json(const RunRecord& run, const std::filesystem::path& dir) {
  std::string text = results_json(run);
  write_file_atomically((dir / "results.json").string(), [&](std::ostream& out) { out << text; });
}

} // namespace ciperf
