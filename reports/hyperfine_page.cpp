// hyperfine's --export-json layout for a baseline: one result per (pipeline, phase, mode), with
// the samples as `times`, so hyperfine's plotting scripts (whisker, histogram, progression) work
// on ciperf's cold and warm runs.
#include "common/errors.hpp"
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

class HyperfinePage : public PageRenderer {
public:
  void render(const Report& report, std::ostream& out) override {
    if (!report.baseline)
      throw UsageError("--format hyperfine describes a baseline: pass --baseline NAME");
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
    out << json{{"results", results}}.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  }
};

} // namespace

std::unique_ptr<PageRenderer> make_hyperfine_page() {
  return std::make_unique<HyperfinePage>();
}

} // namespace ciperf
