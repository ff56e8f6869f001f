// hyperfine's --export-json layout for a baseline: one result per (pipeline, phase, mode), with
// the samples as `times`, so hyperfine's plotting scripts (whisker, histogram, progression) work
// on ciperf's cold and warm runs. Without --baseline, the run's phases that ran, one sample each
// (hyperfine's own layout for a single run: stddev null).
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

json run_results(const RunRecord& r) {
  json results = json::array();
  for (const auto& p : r.phases) {
    if (!p.ran())
      continue;
    results.push_back({{"command", r.pipeline + "/" + p.name + " (" + to_string(r.mode) + ")"},
                       {"mean", p.wall_s},
                       {"stddev", nullptr},
                       {"median", p.wall_s},
                       {"user", p.user_s},
                       {"system", p.sys_s},
                       {"min", p.wall_s},
                       {"max", p.wall_s},
                       {"times", {p.wall_s}},
                       {"exit_codes", {exit_code_of(p)}},
                       {"parameters",
                        {{"pipeline", r.pipeline},
                         {"phase", p.name},
                         {"mode", to_string(r.mode)},
                         {"run", r.run_id}}}});
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
