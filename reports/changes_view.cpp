#include "reports/changes_view.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/interval_text.hpp"
#include "reports/text_table.hpp"

#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

bool names_a_revision(std::string key) {
  for (auto& c : key)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"commit", "sha", "rev", "version", "branch", "ref"})
    if (key.find(word) != std::string::npos)
      return true;
  return false;
}

// Labels worth showing next to a run: the ones that name a revision or a branch.
std::string revision_labels(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [key, value] : labels)
    if (names_a_revision(key))
      out += (out.empty() ? "" : " ") + key + "=" + value;
  return out;
}

std::string history_title(const HistoryKey& key, size_t runs) {
  return fmt::format("{} · {}{}{} · {} run{}", key.pipeline, to_string(key.mode),
                     key.host_class.empty() ? " · every host class" : " · " + key.host_class,
                     key.tags.empty() ? "" : " · tags " + key.tags, runs, runs == 1 ? "" : "s");
}

json median_json(double median, const std::optional<Interval>& ci, size_t runs) {
  return {{"median", median},
          {"ci", ci ? json::array({ci->low, ci->high}) : json(nullptr)},
          {"runs", runs}};
}

json change_json(const HistoryChange& c) {
  const auto& p = c.point;
  return {{"run_id", c.run_id},
          {"started_at", c.started_at},
          {"labels", c.labels},
          {"phase", c.phase.empty() ? json(nullptr) : json(c.phase)},
          {"metric", metric_name(c.metric)},
          {"unit", metric_unit(c.metric)},
          {"before", median_json(p.before_median, p.before_ci, p.before_n)},
          {"after", median_json(p.after_median, p.after_ci, p.after_n)},
          {"relative_change",
           std::isfinite(p.relative_change) ? json(p.relative_change) : json(nullptr)},
          {"p", p.p},
          {"cause", cause_name(c.cause)},
          {"why", c.why},
          {"accepted", c.accepted}};
}

void write_json(const HistoryResult& result, std::ostream& out) {
  json histories = json::array();
  for (const auto& [key, runs] : result.runs) {
    json changes = json::array();
    for (const auto& c : result.changes)
      if (c.history == key)
        changes.push_back(change_json(c));
    const auto& classes = result.host_classes.at(key);
    histories.push_back(
        {{"pipeline", key.pipeline},
         {"mode", to_string(key.mode)},
         {"host_class", key.host_class.empty() ? json(nullptr) : json(key.host_class)},
         {"host_classes", json(std::vector<std::string>(classes.begin(), classes.end()))},
         {"tags", key.tags},
         {"runs", runs},
         {"changes", std::move(changes)}});
  }
  out << json{{"histories", histories}}.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

void write_history_table(const HistoryKey& key, const HistoryResult& result, std::ostream& out) {
  TextTable table;
  table.header = {"first run after", "phase", "metric", "before", "after",
                  "change",          "p",     "cause",  "why"};
  table.right_aligned = {false, false, false, true, true, true, true, false, false};
  for (const auto& c : result.changes) {
    if (!(c.history == key))
      continue;
    std::string run = c.run_id;
    if (auto rev = revision_labels(c.labels); !rev.empty())
      run += " (" + rev + ")";
    table.rows.push_back(
        {run, c.phase.empty() ? "(run total)" : c.phase, metric_name(c.metric),
         figure_text(c.metric, c.point.before_median), figure_text(c.metric, c.point.after_median),
         relative_text(c.point.relative_change), fmt::format("{:.3f}", c.point.p),
         std::string(cause_name(c.cause)) + (c.accepted ? " (accepted)" : ""), c.why});
  }
  out << terminal_escape(history_title(key, result.runs.at(key))) << "\n";
  const auto& classes = result.host_classes.at(key);
  if (classes.size() > 1)
    out << fmt::format("  mixes {} host classes (--any-host): {}\n", classes.size(),
                       terminal_escape(fmt::format("{}", fmt::join(classes, "; "))));
  if (table.rows.empty())
    out << "  no change points\n";
  else
    out << table.render();
}

} // namespace

std::string figure_text(ChangeMetric metric, double value) {
  if (metric == ChangeMetric::Memory || metric == ChangeMetric::Io) // clamped: llround overflows
    return human_bytes(static_cast<int64_t>(std::llround(std::min(value, 9.0e18))));
  return human_seconds(value);
}

void write_changes(const HistoryResult& result, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Json)
    return write_json(result, out);
  bool first = true;
  for (const auto& [key, runs] : result.runs) {
    if (!first)
      out << "\n";
    first = false;
    write_history_table(key, result, out);
  }
}

} // namespace ciperf
