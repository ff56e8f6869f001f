#include "imports/cc_ci_results.hpp"

#include "common/rfc3339.hpp"
#include "imports/import_error.hpp"
#include "imports/json_fields.hpp"
#include "imports/run_identity.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace ciperf {

using nlohmann::json;

std::optional<PhaseStatus> normal_test_status(const std::string& status) {
  std::string s = status;
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "pass" || s == "passed" || s == "ok" || s == "success")
    return PhaseStatus::Passed;
  if (s == "skip" || s == "skipped")
    return PhaseStatus::Skipped;
  if (s.empty())
    return std::nullopt;
  return PhaseStatus::Failed;
}

PhaseRecord cc_ci_test(const json& test, const std::string& file, size_t stage, size_t index,
                       bool& has_status) {
  JsonFields f(test, file,
               "stages[" + std::to_string(stage) + "].tests[" + std::to_string(index) + "]");
  PhaseRecord p;
  p.name = f.required_text("name");
  p.kind = PhaseKind::Test;
  auto status = normal_test_status(f.text("status"));
  has_status = status.has_value();
  p.status = status.value_or(PhaseStatus::Passed);
  p.wall_s = f.seconds("ms") / 1000; // at most 10,000 s then
  p.message = f.text("message");
  return p;
}

void cc_ci_stage(const json& stage, const std::string& file, size_t index,
                 std::vector<PhaseRecord>& phases, const std::vector<bool>& has_status,
                 size_t first) {
  JsonFields f(stage, file, "stages[" + std::to_string(index) + "]");
  std::string name = f.required_text("name");
  auto status = normal_test_status(f.text("status"));
  for (size_t i = first; i < phases.size(); ++i) {
    phases[i].tier = name;
    if (!has_status[i])
      phases[i].status = status.value_or(PhaseStatus::Passed);
  }
}

RunRecord cc_ci_run(const json& rest, const std::string& file, const std::string& identity,
                    std::vector<PhaseRecord> phases) {
  JsonFields f(rest, file, "");
  RunRecord r;
  r.run_id = run_id_for(identity, 0);
  r.pipeline = f.text("recipe", "cc-ci");
  r.mode = RunMode::Normal;
  r.status = RunStatus::Passed;
  double start = 0;
  for (size_t i = 0; i < phases.size(); ++i) {
    auto& p = phases[i];
    p.index = static_cast<int>(i);
    p.start_s = start;
    start += p.wall_s;
    if (p.status == PhaseStatus::Failed)
      r.status = RunStatus::Failed;
  }
  r.wall_s = start;
  std::string finished = f.text("finished");
  auto finished_ns = parse_rfc3339_ns(finished);
  if (!finished.empty() && !finished_ns)
    f.fail("finished", "not an RFC 3339 time");
  int64_t end_ns = finished_ns.value_or(0);
  r.finished_at = format_rfc3339_ms(end_ns);
  r.started_at = format_rfc3339_ms(end_ns - seconds_to_ns(r.wall_s));
  r.labels["source"] = "cc-ci";
  for (const char* key : {"version", "pr", "ref", "run_id"})
    if (auto value = f.text(key); !value.empty())
      r.labels[std::string("cc_ci.") + key] = value;
  r.phases = std::move(phases);
  return r;
}

} // namespace ciperf
