// CSV: one row per phase of every selected run, for spreadsheets and pandas, each followed by a
// row per test case of the phase (kind `testcase`, `parent` the phase's name, `index` the
// phase's; figures the runner did not measure empty). Columns are only ever appended, so users'
// spreadsheets keep their references.
#include "common/text_escape.hpp"
#include "reports/report_format.hpp"

#include <fmt/format.h>
#include <ostream>

namespace ciperf {
namespace {

std::string optional_number(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : "";
}

// The run's labels as one field: `k=v;k=v`, in key order.
std::string labels_field(const RunRecord& r) {
  std::string text;
  for (const auto& [key, value] : r.labels)
    text += (text.empty() ? "" : ";") + key + "=" + value;
  return csv_field(text);
}

std::string stall(const PhaseRecord& p, double Pressure::*field) {
  return p.pressure ? fmt::format("{}", (*p.pressure).*field) : "";
}

class CsvExport : public Exporter {
public:
  void begin(std::ostream& out) override {
    out << "run_id,pipeline,mode,run_status,started_at,index,phase,kind,tier,status,exit_code,"
           "background,start_s,wall_s,user_s,sys_s,max_rss_bytes,read_bytes,write_bytes,"
           "budget_s,over_budget,cpu_stall_s,io_stall_s,memory_stall_s,labels,signal,message,"
           "parent\n";
  }

  void run(const ReportRun& run, std::ostream& out) override {
    for (const auto& p : run.record.phases) {
      write_row(run.record, p, out);
      for (const auto& t : p.tests)
        write_test_row(run.record, p, t, out);
    }
  }

private:
  static void write_row(const RunRecord& r, const PhaseRecord& p, std::ostream& out) {
    out << fmt::format(
               "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},"
               "{},{},{}",
               csv_field(r.run_id), csv_field(r.pipeline), csv_field(to_string(r.mode)),
               csv_field(to_string(r.status)), csv_field(r.started_at), p.index, csv_field(p.name),
               csv_field(to_string(p.kind)), csv_field(p.tier), csv_field(to_string(p.status)),
               p.exit_code ? std::to_string(*p.exit_code) : "", p.background ? "true" : "false",
               p.start_s, p.wall_s, p.user_s, p.sys_s, p.max_rss_bytes, p.read_bytes, p.write_bytes,
               optional_number(p.budget_s), p.over_budget ? "true" : "false",
               stall(p, &Pressure::cpu_some_s), stall(p, &Pressure::io_some_s),
               stall(p, &Pressure::memory_some_s), labels_field(r),
               p.signal ? std::to_string(*p.signal) : "", csv_field(p.message)) +
               ",\n";
  }

  static void write_test_row(const RunRecord& r, const PhaseRecord& p, const TestCaseRecord& t,
                             std::ostream& out) {
    out << fmt::format("{},{},{},{},{},{},{},testcase,,{},,false,{},{},,,,,,,false,,,,{},,{},{}\n",
                       csv_field(r.run_id), csv_field(r.pipeline), csv_field(to_string(r.mode)),
                       csv_field(to_string(r.status)), csv_field(r.started_at), p.index,
                       csv_field(t.name), csv_field(to_string(t.status)), p.start_s + t.start_s,
                       t.wall_s, labels_field(r), csv_field(t.message), csv_field(p.name));
  }
};

} // namespace

std::unique_ptr<Exporter> make_csv_export() {
  return std::make_unique<CsvExport>();
}

} // namespace ciperf
