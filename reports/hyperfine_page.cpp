// hyperfine's --export-json layout for a baseline: one result per (pipeline, phase, mode), with
// the samples as `times`, so hyperfine's plotting scripts (whisker, histogram, progression) work
// on ciperf's cold and warm runs. Without --baseline, the run's phases that ran, one sample each
// (hyperfine's own layout for a single run: stddev null), each followed by its test cases.
#include "reports/report_format.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

json number_or_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
}

json baseline_results(const Report& report) {
  json results = json::array();
  for (const auto& b : report.baseline->phases) {
    std::string key = b.pipeline + "/" + b.phase + "/" + to_string(b.mode);
    auto cpu = report.baseline_cpu.find(key);
    double user = cpu == report.baseline_cpu.end() ? 0 : cpu->second.first;
    double system = cpu == report.baseline_cpu.end() ? 0 : cpu->second.second;
    results.push_back(
        {{"command", b.pipeline + "/" + b.phase + " (" + to_string(b.mode) + ")"},
         {"mean", number_or_null(b.mean)},
         {"stddev", number_or_null(b.stddev)},
         {"median", number_or_null(b.median)},
         {"user", user},
         {"system", system},
         {"min", number_or_null(b.min)},
         {"max", number_or_null(b.max)},
         {"times", b.samples},
         {"exit_codes", std::vector<int>(b.samples.size(), 0)},
         {"parameters",
          {{"pipeline", b.pipeline}, {"phase", b.phase}, {"mode", to_string(b.mode)}}}});
  }
  return results;
}

// A phase killed by a signal has no exit code: 128 + the signal, as a shell reports it.
int exit_code_of(const PhaseRecord& p) {
  if (p.exit_code)
    return *p.exit_code;
  return p.signal ? 128 + *p.signal : 0;
}

// One sample as hyperfine writes a single run: its one time, stddev null.
json single_result(const std::string& command, double wall_s, double user_s, double sys_s,
                   int exit_code, json parameters) {
  return {{"command", command},
          {"mean", wall_s},
          {"stddev", nullptr},
          {"median", wall_s},
          {"user", user_s},
          {"system", sys_s},
          {"min", wall_s},
          {"max", wall_s},
          {"times", {wall_s}},
          {"exit_codes", {exit_code}},
          {"parameters", std::move(parameters)}};
}

// A test case is a result of its own after its phase, `pipeline/phase/test`: a JUnit file gives
// it a time but no CPU (0, as hyperfine's scripts need numbers) and no exit code (1 if it
// failed). A skipped test, like a phase that did not run, has no time to show.
void add_test_results(const RunRecord& r, const PhaseRecord& p, json& results) {
  for (const auto& t : p.tests) {
    if (t.status == PhaseStatus::Skipped)
      continue;
    results.push_back(
        single_result(r.pipeline + "/" + p.name + "/" + t.name + " (" + to_string(r.mode) + ")",
                      t.wall_s, 0, 0, failed(t.status) ? 1 : 0,
                      {{"pipeline", r.pipeline},
                       {"phase", p.name},
                       {"test", t.name},
                       {"mode", to_string(r.mode)},
                       {"run", r.run_id}}));
  }
}

json run_results(const RunRecord& r) {
  json results = json::array();
  for (const auto& p : r.phases) {
    if (!p.ran())
      continue;
    results.push_back(single_result(r.pipeline + "/" + p.name + " (" + to_string(r.mode) + ")",
                                    p.wall_s, p.user_s, p.sys_s, exit_code_of(p),
                                    {{"pipeline", r.pipeline},
                                     {"phase", p.name},
                                     {"mode", to_string(r.mode)},
                                     {"run", r.run_id}}));
    add_test_results(r, p, results);
  }
  return results;
}

class HyperfinePage : public PageRenderer {
public:
  void render(const Report& report, std::ostream& out) override {
    // A run's report carries its pipeline's newest baseline for the charts: the run was asked for.
    bool baseline = report.baseline && (report.baseline_named || report.runs.empty());
    json results = baseline              ? baseline_results(report)
                   : report.runs.empty() ? json::array()
                                         : run_results(report.runs.front().record);
    out << json{{"results", results}}.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  }
};

} // namespace

std::unique_ptr<PageRenderer> make_hyperfine_page() {
  return std::make_unique<HyperfinePage>();
}

} // namespace ciperf
