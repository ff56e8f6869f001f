#include "reports/comparison_view.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/text_table.hpp"
#include "reports/verdict_cells.hpp"

#include <algorithm>
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

std::string verdict_cell(const PhaseComparison& c) {
  return blind(c) ? verdict_text(c) + " (blind)" : verdict_text(c);
}

json number_or_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
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
         {"p", std::max(c.p, kSmallestP)},
         {"p_adjusted", std::max(c.p_adjusted, kSmallestP)},
         {"min_detectable_change", number_or_null(c.min_detectable_change)},
         {"runs_needed", c.runs_needed},
         {"noise", number_or_null(c.noise)},
         {"noise_below_resolution", c.detectability.below_resolution},
         {"outliers_base", c.outliers_base},
         {"outliers_candidate", c.outliers_candidate},
         {"power_at_threshold", c.detectability.power_at_threshold},
         {"blind", blind(c)}});
  return {{"pipeline", g.pipeline},
          {"mode", to_string(g.mode)},
          {"candidate_runs", g.runs.size()},
          {"host_changed", host_changed(rows)},
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
  t.header = {"phase",
              "baseline",
              "candidate",
              "change",
              "95% CI",
              "p (Holm)",
              "verdict",
              "noise",
              "outliers",
              "detectable",
              "runs for " + fmt::format("{:g}%", 100 * threshold)};
  t.right_aligned = {false, true, true, true, true, true, false, true, true, true, true};
  for (const auto& c : rows)
    t.rows.push_back({c.phase, c.n_base ? human_seconds(c.base_median) : "-",
                      c.n_candidate ? human_seconds(c.candidate_median) : "-",
                      c.n_base && c.n_candidate ? fmt::format("{:+.1f}%", 100 * c.change) : "-",
                      ci_text(c), p_text(c.p_adjusted), verdict_cell(c), noise_text(c),
                      fmt::format("{}/{}", c.outliers_base, c.outliers_candidate),
                      detectable_text(c), c.runs_needed > 0 ? std::to_string(c.runs_needed) : "-"});
  out << t.render() << "\n";
  if (host_changed(rows))
    out << "the host changed (most phases moved together): these moves are not called code "
           "regressions or improvements\n\n";
}

} // namespace

void write_comparison(const std::vector<ComparedGroup>& groups, const Baseline& baseline,
                      double threshold, Outcome outcome, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Text) {
    for (const auto& g : groups)
      print_group(*g.group, g.rows, baseline, threshold, out);
    out << "verdict: " << outcome_name(outcome) << "\n";
    if (outcome == Outcome::Inconclusive)
      out << fmt::format("  no regression found, but this comparison could not have seen a {:g}% "
                         "change in every phase (too few runs for the phases tested, too much "
                         "noise, or a host that changed): see \"runs for {:g}%\"\n",
                         100 * threshold, 100 * threshold);
    return;
  }
  json list = json::array();
  for (const auto& g : groups)
    list.push_back(comparison_json(*g.group, g.rows));
  out << json{{"baseline", baseline.name},
              {"threshold", threshold},
              {"verdict", outcome_name(outcome)},
              {"regressed", outcome == Outcome::Regressed},
              {"inconclusive", outcome == Outcome::Inconclusive},
              {"groups", list}}
             .dump(2)
      << "\n";
}

} // namespace ciperf
