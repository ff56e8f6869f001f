#include "reports/ab_view.hpp"

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
  if (std::isnan(c.base_median))
    return "only in B";
  if (std::isnan(c.candidate_median))
    return "only in A";
  return blind(c) ? std::string(verdict_name(c.verdict)) + " (blind)" : verdict_name(c.verdict);
}

std::string seconds_or_dash(double s) {
  return std::isnan(s) ? "-" : human_seconds(s);
}

std::string change_text(const PhaseComparison& c) {
  return c.n_base > 0 ? fmt::format("{:+.1f}%", 100 * c.change) : "-";
}

json number_or_null(double v) {
  return std::isnan(v) ? json(nullptr) : json(v);
}

json row_json(const PhaseComparison& c) {
  return {{"phase", c.phase},
          {"verdict", verdict_text(c)},
          {"pairs", c.n_base},
          {"a_median_s", number_or_null(c.base_median)},
          {"b_median_s", number_or_null(c.candidate_median)},
          {"change", c.n_base > 0 ? json(c.change) : json(nullptr)},
          {"change_ci", c.change_ci ? json{c.change_ci->low, c.change_ci->high} : json(nullptr)},
          {"p", std::max(c.p, kSmallestP)},
          {"p_adjusted", std::max(c.p_adjusted, kSmallestP)},
          {"noise", number_or_null(c.noise)},
          {"outlier_pairs", c.outliers_base},
          {"power_at_threshold", c.detectability.power_at_threshold},
          {"min_detectable_change", number_or_null(c.min_detectable_change)},
          {"pairs_needed", c.runs_needed},
          {"blind", blind(c)}};
}

void print_table(const AbReport& r, std::ostream& out) {
  TextTable t;
  t.header = {"phase",
              "A",
              "B",
              "B/A",
              "95% CI",
              "p (Holm)",
              "verdict",
              "noise",
              "outliers",
              "detectable",
              fmt::format("pairs for {:g}%", 100 * r.threshold)};
  t.right_aligned = {false, true, true, true, true, true, false, true, true, true, true};
  for (const auto& c : r.phases) {
    if (c.n_base == 0) { // one side only: nothing was tested
      t.rows.push_back({c.phase, seconds_or_dash(c.base_median),
                        seconds_or_dash(c.candidate_median), "-", "-", "-", verdict_text(c), "-",
                        "-", "-", "-"});
      continue;
    }
    t.rows.push_back({c.phase, seconds_or_dash(c.base_median), seconds_or_dash(c.candidate_median),
                      change_text(c), ci_text(c), p_text(c.p_adjusted), verdict_text(c),
                      noise_text(c), std::to_string(c.outliers_base), detectable_text(c),
                      c.runs_needed > 0 ? std::to_string(c.runs_needed) : "-"});
  }
  out << t.render() << "\n";
}

void print_text(const AbReport& r, std::ostream& out) {
  out << fmt::format("A/B session {}: {} pairs, {} runs, order drawn at random (seed {}; B ran "
                     "first in {} of {})\n  A = {} ({})\n  B = {} ({})\n\n",
                     r.session, r.pairs, to_string(r.mode), r.seed, r.b_first, r.pairs,
                     terminal_escape(r.a.pipeline), terminal_escape(r.a.file),
                     terminal_escape(r.b.pipeline), terminal_escape(r.b.file));
  print_table(r, out);
  const auto& w = r.run_wall;
  out << fmt::format("whole run: A {} · B {} · {} {} (signed-rank p = {})\n",
                     seconds_or_dash(w.base_median), seconds_or_dash(w.candidate_median),
                     change_text(w), ci_text(w), p_text(w.p));
  out << "verdict: " << outcome_name(r.outcome) << "\n";
  if (r.outcome == Outcome::Inconclusive)
    out << fmt::format("  no regression found, but these pairs could not have seen a {:g}% change "
                       "in every phase: see \"pairs for {:g}%\"\n",
                       100 * r.threshold, 100 * r.threshold);
}

} // namespace

void write_ab(const AbReport& r, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Text)
    return print_text(r, out);
  json phases = json::array();
  for (const auto& c : r.phases)
    phases.push_back(row_json(c));
  out << json{{"session", r.session},
              {"a", {{"pipeline", r.a.pipeline}, {"file", r.a.file}}},
              {"b", {{"pipeline", r.b.pipeline}, {"file", r.b.file}}},
              {"mode", to_string(r.mode)},
              {"pairs", r.pairs},
              {"b_first", r.b_first},
              {"seed", r.seed},
              {"threshold", r.threshold},
              {"test", "Wilcoxon signed-rank on log(B/A) per pair, Holm across phases"},
              {"verdict", outcome_name(r.outcome)},
              {"regressed", r.outcome == Outcome::Regressed},
              {"inconclusive", r.outcome == Outcome::Inconclusive},
              {"whole_run", row_json(r.run_wall)},
              {"phases", phases}}
             .dump(2, ' ', false, json::error_handler_t::replace) // names are not always UTF-8
      << "\n";
}

} // namespace ciperf
