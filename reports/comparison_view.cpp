#include "reports/comparison_view.hpp"

#include "common/errors.hpp"
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

std::string stall_text(const HostSide& side) {
  std::string host =
      side.runs_with_pressure == 0
          ? std::string("host pressure not recorded (no PSI)")
          : fmt::format("host CPU {:.1f}%, I/O {:.1f}%", 100 * side.cpu_stall, 100 * side.io_stall);
  std::string own = side.runs_with_own_pressure == 0
                        ? std::string("own CPU wait not recorded (no cgroups)")
                        : fmt::format("own CPU wait {:.1f}%", 100 * side.own_cpu_stall);
  return fmt::format("{}; {} ({} run{})", host, own, side.runs, side.runs == 1 ? "" : "s");
}

// The evidence behind "the host changed": the stalls of each side, and the host fields that
// differ, so that a CI user can see the busier or different machine for themselves.
void print_host_evidence(const HostEvidence& h, std::ostream& out) {
  out << "the host changed (most phases moved together): these moves are not called code "
         "regressions or improvements\n";
  out << "  stall per second of phase wall (median per run; host-wide /proc/pressure 'some', "
         "and the phases' own cgroups):\n"
      << "    baseline:   " << stall_text(h.base) << "\n"
      << "    candidates: " << stall_text(h.candidate) << "\n";
  if (h.changed.empty())
    out << "  host fields (hostname, cpus, memory, kernel): the same on both sides\n";
  for (const auto& c : h.changed)
    out << fmt::format("  {} differs: {} (baseline) vs {} (candidates)\n", c.field,
                       terminal_escape(c.base), terminal_escape(c.candidate));
  out << "\n";
}

json side_json(const HostSide& side) {
  bool known = side.runs_with_pressure > 0;
  return {{"runs", side.runs},
          {"runs_with_pressure", side.runs_with_pressure},
          {"cpu_stall", known ? json(side.cpu_stall) : json(nullptr)},
          {"io_stall", known ? json(side.io_stall) : json(nullptr)},
          {"runs_with_own_pressure", side.runs_with_own_pressure},
          {"own_cpu_stall",
           side.runs_with_own_pressure > 0 ? json(side.own_cpu_stall) : json(nullptr)}};
}

json host_json(const std::optional<HostEvidence>& h) {
  if (!h)
    return nullptr;
  json changed = json::array();
  for (const auto& c : h->changed)
    changed.push_back({{"field", c.field}, {"base", c.base}, {"candidate", c.candidate}});
  return {
      {"base", side_json(h->base)}, {"candidate", side_json(h->candidate)}, {"changed", changed}};
}

std::string confirmed_text(const ConfirmedPhase& c, int reruns) {
  std::string first =
      fmt::format("confirm: {} ({}) looked regressed ({:+.1f}%, p={})", terminal_escape(c.phase),
                  to_string(c.mode), 100 * c.first_change, p_text(c.first_p));
  std::string runs = fmt::format("{} more run{}", reruns, reruns == 1 ? "" : "s");
  if (c.confirmed())
    return fmt::format("{}; {}: still regressed ({:+.1f}%), p={}", first, runs, 100 * c.change,
                       p_text(c.p));
  return fmt::format("{}; {}: not confirmed ({}, {:+.1f}%, p={})", first, runs,
                     verdict_name(c.verdict), 100 * c.change, p_text(c.p));
}

void print_confirmation(const Confirmation& c, std::ostream& out) {
  int reruns = static_cast<int>(c.run_ids.size());
  if (c.run_ids.empty() && c.completed) {
    out << "confirm: nothing looked regressed: no reruns\n";
    return;
  }
  if (!c.completed) {
    out << fmt::format("confirm: {} after {} rerun{} (exit {}): the first judgement stands\n",
                       c.failed_exit_code == kExitInterrupted ? "interrupted"
                                                              : "a rerun did not pass",
                       reruns, reruns == 1 ? "" : "s", c.failed_exit_code);
    return;
  }
  for (const auto& p : c.phases) // every regressed group got the K reruns
    out << confirmed_text(p, c.requested) << "\n";
}

json confirmation_json(const Confirmation& c) {
  json phases = json::array();
  for (const auto& p : c.phases)
    phases.push_back({{"pipeline", p.pipeline},
                      {"mode", to_string(p.mode)},
                      {"phase", p.phase},
                      {"first_change", p.first_change},
                      {"first_p_adjusted", std::max(p.first_p, kSmallestP)},
                      {"verdict", verdict_name(p.verdict)},
                      {"change", p.change},
                      {"p_adjusted", std::max(p.p, kSmallestP)},
                      {"confirmed", p.confirmed()}});
  return {{"requested", c.requested},
          {"runs", c.run_ids},
          {"completed", c.completed},
          {"phases", phases}};
}

json comparison_json(const CandidateGroup& g, const std::vector<PhaseComparison>& rows,
                     const std::optional<HostEvidence>& host) {
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
  return {{"pipeline", g.pipeline},           {"mode", to_string(g.mode)},
          {"candidate_runs", g.runs.size()},  {"host_changed", host_changed(rows)},
          {"host_evidence", host_json(host)}, {"phases", phases}};
}

void print_group(const ComparedGroup& compared, const Baseline& base, double threshold,
                 std::ostream& out) {
  const CandidateGroup& g = *compared.group;
  const std::vector<PhaseComparison>& rows = compared.rows;
  if (!base.history_note.empty())
    out << fmt::format("{} ({}): {} candidate run{} against {}\n\n", terminal_escape(g.pipeline),
                       to_string(g.mode), g.runs.size(), g.runs.size() == 1 ? "" : "s",
                       terminal_escape(base.history_note));
  else
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
  if (compared.host)
    print_host_evidence(*compared.host, out);
  else if (host_changed(rows))
    out << "the host changed (most phases moved together): these moves are not called code "
           "regressions or improvements\n\n";
}

} // namespace

void write_comparison(const std::vector<ComparedGroup>& groups, const Baseline& baseline,
                      double threshold, Outcome outcome, ViewFormat format, std::ostream& out,
                      const std::optional<Confirmation>& confirmation,
                      const std::vector<FlakyTest>* flaky) {
  if (format == ViewFormat::Text) {
    for (const auto& g : groups)
      print_group(g, baseline, threshold, out);
    if (flaky && !flaky->empty()) {
      out << fmt::format("flaky tests ({}):\n", flaky->size());
      for (const auto& f : *flaky)
        out << "  " << terminal_escape(f.pipeline + " " + f.item + ": " + f.why) << "\n";
      out << "\n";
    }
    if (confirmation)
      print_confirmation(*confirmation, out);
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
    list.push_back(comparison_json(*g.group, g.rows, g.host));
  json answer{{"baseline", baseline.name},
              {"threshold", threshold},
              {"verdict", outcome_name(outcome)},
              {"regressed", outcome == Outcome::Regressed},
              {"inconclusive", outcome == Outcome::Inconclusive},
              {"groups", list}};
  if (!baseline.history_note.empty())
    answer["history"] = baseline.history_note;
  if (confirmation)
    answer["confirm"] = confirmation_json(*confirmation);
  if (flaky) {
    json list = json::array();
    for (const auto& f : *flaky)
      list.push_back(
          {{"pipeline", f.pipeline}, {"test", f.item}, {"why", f.why}, {"run_id", f.run_id}});
    answer["flaky"] = std::move(list);
  }
  out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

} // namespace ciperf
