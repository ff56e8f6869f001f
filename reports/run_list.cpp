#include "reports/run_list.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/phase_table.hpp"
#include "reports/results_json.hpp"
#include "reports/text_table.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

nlohmann::json run_summary_json(const RunRecord& r) {
  return {{"run_id", r.run_id},         {"pipeline", r.pipeline},
          {"mode", to_string(r.mode)},  {"status", to_string(r.status)},
          {"started_at", r.started_at}, {"finished_at", r.finished_at},
          {"wall_s", r.wall_s},         {"deploys", r.deploys},
          {"labels", r.labels},         {"run_dir", r.run_dir}};
}

} // namespace

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [key, value] : labels)
    out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

void write_run_list(const std::vector<RunRecord>& runs, ViewFormat format, std::ostream& out) {
  if (format == ViewFormat::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : runs)
      list.push_back(run_summary_json(r));
    out << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  TextTable table;
  table.header = {"run", "pipeline", "mode", "status", "started", "wall", "labels"};
  table.right_aligned = {false, false, false, false, false, true, false};
  for (const auto& r : runs)
    table.rows.push_back(
        {r.run_id, r.pipeline, to_string(r.mode), to_string(r.status), r.started_at,
         r.status == RunStatus::Incomplete ? "-" : human_seconds(r.wall_s), labels_text(r.labels)});
  out << table.render();
}

void write_run_detail(const RunRecord& run, ViewFormat format, bool color, std::ostream& out) {
  if (format == ViewFormat::Json) {
    out << results_json(run);
    return;
  }
  out << run_summary_line(run) << "\n";
  if (!run.labels.empty())
    out << "labels: " << terminal_escape(labels_text(run.labels)) << "\n";
  out << "\n" << phase_table(run, TableStyle{color});
}

} // namespace ciperf
