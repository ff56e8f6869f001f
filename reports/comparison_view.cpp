#include "reports/comparison_view.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

std::string verdict_text(const PhaseComparison& c) {
  if (c.n_base == 0)
    return "new phase (not in the baseline)";
  if (c.n_candidate == 0)
    return "missing from the candidate runs";
  return verdict_name(c.verdict);
}

std::string ci_text(const PhaseComparison& c) {
  return c.change_ci
             ? fmt::format("[{:+.1f}%, {:+.1f}%]", 100 * c.change_ci->low, 100 * c.change_ci->high)
             : "-";
}

json comparison_json(const CandidateGroup& g, const std::vector<PhaseComparison>& rows) {
  json phases = json::array();
  for (const auto& c : rows)
    phases.push_back(
        {{"phase", c.phase},
         {"verdict", verdict_text(c)},
         {"n_base", c.n_base},
         {"n_candidate", c.n_candidate},
         {"base_median_s", std::isnan(c.base_median) ? json(nullptr) : json(c.base_median)},
         {"candidate_median_s",
          std::isnan(c.candidate_median) ? json(nullptr) : json(c.candidate_median)},
         {"change", c.change},
         {"change_ci", c.change_ci ? json{c.change_ci->low, c.change_ci->high} : json(nullptr)},
         {"p", c.p},
         {"p_adjusted", c.p_adjusted},
         {"min_detectable_change",
          std::isnan(c.min_detectable_change) ? json(nullptr) : json(c.min_detectable_change)},
         {"runs_needed", c.runs_needed}});
  return {{"pipeline", g.pipeline},
          {"mode", to_string(g.mode)},
          {"candidate_runs", g.runs.size()},
          {"phases", phases}};
}

void print_group(const CandidateGroup& g, const std::vector<PhaseComparison>& rows,
                 const Baseline& base, double threshold, std::ostream& out) {
  out << fmt::format("{} ({}): {} candidate run{} against the {} runs of baseline '{}' "
                     "({} per mode)\n\n",
                     terminal_escape(g.pipeline), to_string(g.mode), g.runs.size(),
                     g.runs.size() == 1 ? "" : "s", to_string(baseline_mode(g.mode)),
                     terminal_escape(base.name), base.runs_per_mode);
  TextTable t;
  t.header = {"phase",   "baseline",   "candidate",
              "change",  "95% CI",     "p (Holm)",
              "verdict", "detectable", "runs for " + fmt::format("{:g}%", 100 * threshold)};
  t.right_aligned = {false, true, true, true, true, true, false, true, true};
  for (const auto& c : rows)
    t.rows.push_back({c.phase, c.n_base ? human_seconds(c.base_median) : "-",
                      c.n_candidate ? human_seconds(c.candidate_median) : "-",
                      c.n_base && c.n_candidate ? fmt::format("{:+.1f}%", 100 * c.change) : "-",
                      ci_text(c), fmt::format("{:.3g}", c.p_adjusted), verdict_text(c),
                      std::isnan(c.min_detectable_change)
                          ? "-"
                          : fmt::format("{:.1f}%", 100 * c.min_detectable_change),
                      c.runs_needed > 0 ? std::to_string(c.runs_needed) : "-"});
  out << t.render() << "\n";
}

} // namespace

void write_comparison(const std::vector<ComparedGroup>& groups, const Baseline& baseline,
                      double threshold, bool regressed, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Text) {
    for (const auto& g : groups)
      print_group(*g.group, g.rows, baseline, threshold, out);
    out << (regressed ? "verdict: regressed\n" : "verdict: no regression\n");
    return;
  }
  json list = json::array();
  for (const auto& g : groups)
    list.push_back(comparison_json(*g.group, g.rows));
  out << json{{"baseline", baseline.name},
              {"threshold", threshold},
              {"regressed", regressed},
              {"groups", list}}
             .dump(2)
      << "\n";
}

} // namespace ciperf
