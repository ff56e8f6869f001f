// `ciperf runs` and `ciperf show`: reading the store back.
#include "analysis/store.hpp"
#include "common/errors.hpp"
#include "reports/human_units.hpp"
#include "reports/phase_table.hpp"
#include "reports/text_table.hpp"
#include "runner/commands.hpp"
#include "runner/results_json.hpp"
#include "runner/run_selection.hpp"
#include "runner/status_printer.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace ciperf {
namespace {

nlohmann::json run_summary_json(const RunRecord& r) {
  return {{"run_id", r.run_id},  {"pipeline", r.pipeline},     {"mode", r.mode},
          {"status", r.status},  {"started_at", r.started_at}, {"finished_at", r.finished_at},
          {"wall_s", r.wall_s},  {"deploys", r.deploys},       {"labels", r.labels},
          {"run_dir", r.run_dir}};
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [key, value] : labels)
    out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

} // namespace

int command_runs(const RunsCommand& c) {
  Store store = open_existing_store(c.store);
  RunFilter filter;
  filter.pipeline = c.pipeline;
  filter.mode = c.mode;
  for (const auto& [key, value] : parse_labels(c.labels))
    filter.labels.emplace_back(key, value);
  filter.limit = c.limit;
  auto runs = store.list_runs(filter);
  if (c.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : runs)
      out.push_back(run_summary_json(r));
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitPassed;
  }
  TextTable table;
  table.header = {"run", "pipeline", "mode", "status", "started", "wall", "labels"};
  table.right_aligned = {false, false, false, false, false, true, false};
  for (const auto& r : runs)
    table.rows.push_back({r.run_id, r.pipeline, r.mode, r.status, r.started_at,
                          r.status == "incomplete" ? "-" : human_seconds(r.wall_s),
                          labels_text(r.labels)});
  std::cout << table.render();
  return kExitPassed;
}

int command_show(const ShowCommand& c) {
  Store store = open_existing_store(c.store);
  auto run = store.load_run(c.run);
  if (!run)
    throw UsageError("no run '" + c.run + "' in " + store.path());
  if (c.json) {
    std::cout << results_json(*run);
    return kExitPassed;
  }
  std::cout << run_summary_line(*run) << "\n";
  if (!run->labels.empty())
    std::cout << "labels: " << labels_text(run->labels) << "\n";
  std::cout << "\n" << phase_table(*run, TableStyle{ConsoleStyle::detect(false).color});
  return kExitPassed;
}

} // namespace ciperf
