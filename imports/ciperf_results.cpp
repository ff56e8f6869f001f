#include "imports/ciperf_results.hpp"

#include "common/rfc3339.hpp"
#include "imports/import_error.hpp"
#include "imports/json_fields.hpp"
#include "imports/phase_keeper.hpp"

namespace ciperf {
namespace {

using nlohmann::json;

// `key` ("pressure", "own_pressure") of the object `f`: null or absent when not measured.
std::optional<Pressure> read_pressure(const JsonFields& f, const std::string& file,
                                      const std::string& where, const char* key = "pressure") {
  const json* p = f.object(key);
  if (!p)
    return std::nullopt;
  Pressure out;
  std::string at = where + "." + key;
  auto read = [&](const char* resource, double& some, double& full) {
    if (const json* r = JsonFields(*p, file, at).object(resource)) {
      JsonFields rf(*r, file, at + "." + resource);
      some = rf.seconds("some_s");
      full = rf.seconds("full_s");
    }
  };
  read("cpu", out.cpu_some_s, out.cpu_full_s);
  read("io", out.io_some_s, out.io_full_s);
  read("memory", out.memory_some_s, out.memory_full_s);
  return out;
}

WaitRecord read_probe(const json& probe, const std::string& file, const std::string& where) {
  JsonFields f(probe, file, where);
  WaitRecord w;
  f.read_flat(wait_fields(), w);
  if (const json* targets = f.array("targets"))
    for (size_t i = 0; i < targets->size() && i < 1000; ++i) {
      std::string at = where + ".targets[" + std::to_string(i) + "]";
      JsonFields t((*targets)[i], file, at);
      WaitTargetRecord& target = w.targets.emplace_back();
      t.read_flat(wait_target_fields(), target);
      if (const json* marks = t.array("marks"))
        for (const auto& m : *marks)
          if (m.is_array() && m.size() == 2 && m[0].is_number() && m[1].is_boolean() &&
              m[0].get<double>() >= 0 && m[0].get<double>() <= JsonFields::kMaxSeconds &&
              target.marks.size() < 1024)
            target.marks.push_back({m[0].get<double>(), m[1].get<bool>()});
    }
  return w;
}

} // namespace

PhaseRecord ciperf_phase(const json& phase, const std::string& file, size_t index) {
  std::string where = "phases[" + std::to_string(index) + "]";
  JsonFields f(phase, file, where);
  PhaseRecord p;
  p.index = static_cast<int>(index);
  f.read_flat(phase_fields(), p);
  p.pressure = read_pressure(f, file, where);
  p.own_pressure = read_pressure(f, file, where, "own_pressure");
  if (const json* services = f.array("services"))
    for (size_t i = 0; i < services->size() && i < 1000; ++i) {
      std::string at = where + ".services[" + std::to_string(i) + "]";
      JsonFields c((*services)[i], file, at);
      ServiceCost cost;
      int64_t service = c.integer("phase", -1);
      if (service < 0 || service >= static_cast<int64_t>(index))
        c.fail("phase", "not an earlier phase's index"); // a service outlives an earlier phase
      cost.service = static_cast<int>(service);
      for (const auto& seen : p.services)
        if (seen.service == cost.service)
          c.fail("phase", "a service listed twice");
      cost.name = c.required_text("name");
      cost.user_s = c.seconds("user_s");
      cost.sys_s = c.seconds("sys_s");
      cost.pressure = read_pressure(c, file, at);
      p.services.push_back(std::move(cost));
    }
  if (const json* metrics = f.object("metrics"))
    for (const auto& [name, value] : metrics->items()) {
      JsonFields m(value, file, where + ".metrics." + name);
      p.metrics.push_back({name, m.number("value"), m.text("unit")});
    }
  if (const json* probe = f.object("probe"))
    p.probe = read_probe(*probe, file, where + ".probe");
  if (const json* tests = f.array("tests"))
    for (size_t i = 0; i < tests->size() && i < kMaxImportedPhasesPerRun; ++i) {
      JsonFields t((*tests)[i], file, where + ".tests[" + std::to_string(i) + "]");
      TestCaseRecord& test = p.tests.emplace_back();
      test.name = t.required_text("name");
      auto status = parse_enum<PhaseStatus>(t.required_text("status"));
      if (!status)
        t.fail("status", "unknown value '" + t.text("status") + "'");
      test.status = *status;
      test.start_s = t.seconds("start_s");
      test.wall_s = t.seconds("wall_s");
      test.message = t.text("message");
    }
  return p;
}

RunRecord ciperf_run(const json& rest, const std::string& file, std::vector<PhaseRecord> phases) {
  JsonFields f(rest, file, "");
  RunRecord r;
  f.read_flat(run_fields(), r);
  if (r.run_id.size() > 64)
    f.fail("run_id", "longer than 64 characters");
  if (r.status == RunStatus::Incomplete) // the store's word for a run never finalised
    f.fail("status", "unknown value 'incomplete'");
  auto started = parse_rfc3339_ns(r.started_at);
  if (!started)
    f.fail("started_at", "not an RFC 3339 time");
  r.started_at = format_rfc3339_ms(*started);
  auto finished = parse_rfc3339_ns(r.finished_at);
  r.finished_at = finished ? format_rfc3339_ms(*finished) : std::string();
  if (const json* labels = f.object("labels"))
    for (const auto& [key, value] : labels->items())
      r.labels[key] = JsonFields(*labels, file, "labels").text(key.c_str());
  if (const json* host = f.object("host")) {
    JsonFields h(*host, file, "host");
    r.host = {h.text("hostname"),      static_cast<int>(h.integer("cpus")), // null: unknown
              h.integer("memory"),     h.text("kernel"),
              h.text("cpu_model", ""), h.text("virtualization", "")};
  }
  r.phases = std::move(phases);
  return r;
}

} // namespace ciperf
