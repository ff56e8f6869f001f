#include "reports/results_json.hpp"

#include "common/atomic_file.hpp"
#include "model/fields.hpp"
#include "reports/report_format.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ciperf {
namespace {
using nlohmann::json;

json pressure_json(const std::optional<Pressure>& p) {
  if (!p)
    return nullptr; // no PSI on this kernel: unavailable, not zero
  return {{"cpu", {{"some_s", p->cpu_some_s}, {"full_s", p->cpu_full_s}}},
          {"io", {{"some_s", p->io_some_s}, {"full_s", p->io_full_s}}},
          {"memory", {{"some_s", p->memory_some_s}, {"full_s", p->memory_full_s}}}};
}

json to_json_value(const FieldValue& v) {
  struct Convert {
    json operator()(std::monostate) const { return nullptr; }
    json operator()(bool b) const { return b; }
    json operator()(int64_t i) const { return i; }
    json operator()(double d) const { return d; }
    json operator()(const std::string& s) const { return s; }
  };
  return std::visit(Convert{}, v);
}

bool empty(const FieldValue& v) {
  auto* s = std::get_if<std::string>(&v);
  return std::holds_alternative<std::monostate>(v) || (s && s->empty());
}

// The record's flat fields (model/fields.hpp) into `out`.
template <typename Record>
void put_flat(json& out, std::span<const Field<Record>> fields, const Record& r) {
  for (const auto& f : fields) {
    if (f.json == JsonKey::None)
      continue;
    FieldValue v = f.get(r);
    if (f.json == JsonKey::Omittable && empty(v))
      continue;
    out[std::string(f.name)] = to_json_value(v);
  }
}

json probe_json(const WaitRecord& w) {
  json targets = json::array();
  for (const auto& t : w.targets) {
    json marks = json::array();
    for (const auto& m : t.marks)
      marks.push_back({std::round(m.at_s * 1e6) / 1e6, m.ok});
    json target = {{"marks", marks}};
    put_flat(target, wait_target_fields(), t);
    targets.push_back(std::move(target));
  }
  json out = {{"targets", targets}};
  put_flat(out, wait_fields(), w);
  return out;
}

json services_json(const std::vector<ServiceCost>& services) {
  json out = json::array();
  for (const auto& c : services)
    out.push_back({{"phase", c.service},
                   {"name", c.name},
                   {"user_s", c.user_s},
                   {"sys_s", c.sys_s},
                   {"pressure", pressure_json(c.pressure)}});
  return out;
}

json tests_json(const std::vector<TestCaseRecord>& tests) {
  json out = json::array();
  for (const auto& t : tests) {
    json test = {{"name", t.name},
                 {"status", to_string(t.status)},
                 {"start_s", t.start_s},
                 {"wall_s", t.wall_s}};
    if (!t.message.empty())
      test["message"] = t.message;
    out.push_back(std::move(test));
  }
  return out;
}

json phase_json(const PhaseRecord& p) {
  json metrics = json::object();
  for (const auto& m : p.metrics)
    metrics[m.name] = {{"value", m.value}, {"unit", m.unit}};
  json out = {{"pressure", pressure_json(p.pressure)},
              {"own_pressure", pressure_json(p.own_pressure)},
              {"metrics", metrics}};
  if (!p.services.empty())
    out["services"] = services_json(p.services);
  if (!p.tests.empty())
    out["tests"] = tests_json(p.tests);
  put_flat(out, phase_fields(), p);
  if (!p.budget_s)
    out.erase("over_budget"); // said only of a phase that has a budget
  if (p.probe)
    out["probe"] = probe_json(*p.probe);
  return out;
}

json run_json(const RunRecord& run) {
  json phases = json::array();
  for (const auto& p : run.phases)
    phases.push_back(phase_json(p));
  json out = {{"schema", kResultsSchema},
              {"labels", run.labels},
              {"host",
               {{"hostname", run.host.hostname},
                {"cpus", run.host.cpus > 0 ? json(run.host.cpus) : json()}, // 0: unknown
                {"memory", run.host.memory_bytes},
                {"kernel", run.host.kernel},
                {"cpu_model", run.host.cpu_model},
                {"virtualization", run.host.virtualization}}},
              {"phases", phases}};
  put_flat(out, run_fields(), run);
  if (run.prepare) {
    json prepare;
    put_flat(prepare, prepare_fields(), *run.prepare);
    out["prepare"] = std::move(prepare);
  }
  return out;
}

} // namespace

std::string results_json(const RunRecord& run) {
  // Phase output is arbitrary bytes; invalid UTF-8 is replaced rather than failing the write.
  return run_json(run).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string wait_json(const WaitRecord& wait) {
  return probe_json(wait).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

void write_results_json(const RunRecord& run, const std::filesystem::path& dir) {
  std::string text = results_json(run);
  write_file_atomically((dir / "results.json").string(), [&](std::ostream& out) { out << text; });
}

namespace {

// `report --format json`: each selected run as its results.json v1, one document after another
// (jq and most JSON-lines readers take such a stream).
class JsonExport : public Exporter {
public:
  void run(const ReportRun& run, std::ostream& out) override { out << results_json(run.record); }
};

} // namespace

std::unique_ptr<Exporter> make_json_export() {
  return std::make_unique<JsonExport>();
}

} // namespace ciperf
