// Chrome trace event JSON (Perfetto, chrome://tracing): a process per run, a track per tier,
// a complete event per phase, probe attempts as instant events, run metadata in args. Times are
// microseconds since the Unix epoch, so several runs lie on one real timeline. A phase's test
// cases are complete events on its track inside its slice (category `testcase`).
#include "common/rfc3339.hpp"
#include "reports/report_format.hpp"
#include "reports/test_rows.hpp"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ciperf {
namespace {

using nlohmann::json;

constexpr int kRunTrack = 0;

int64_t micros(double seconds) {
  return seconds_to_ns(seconds) / 1000;
}

json run_args(const RunRecord& r) {
  return {{"run_id", r.run_id},          {"pipeline", r.pipeline},
          {"mode", to_string(r.mode)},   {"status", to_string(r.status)},
          {"started_at", r.started_at},  {"wall_s", r.wall_s},
          {"deploys", r.deploys},        {"labels", r.labels},
          {"hostname", r.host.hostname}, {"cpus", r.host.cpus > 0 ? json(r.host.cpus) : json()},
          {"kernel", r.host.kernel}};
}

json phase_args(const PhaseRecord& p) {
  json args = {{"kind", to_string(p.kind)},
               {"tier", p.tier},
               {"status", to_string(p.status)},
               {"wall_s", p.wall_s},
               {"user_s", p.user_s},
               {"sys_s", p.sys_s},
               {"max_rss_bytes", p.max_rss_bytes},
               {"read_bytes", p.read_bytes},
               {"write_bytes", p.write_bytes}};
  if (p.exit_code)
    args["exit_code"] = *p.exit_code;
  if (p.budget_s)
    args["budget_s"] = *p.budget_s;
  if (p.probe)
    args["probe"] = {{"outcome", to_string(p.probe->outcome)}, {"attempts", p.probe->attempts}};
  return args;
}

// Tracks: 0 the run, then one per tier in order of first use; background services get their own.
class Tracks {
public:
  int of(const PhaseRecord& p) {
    std::string key = p.background ? "services" : "tier " + (p.tier.empty() ? "-" : p.tier);
    auto [it, added] = ids_.emplace(key, static_cast<int>(ids_.size()) + 1);
    if (added)
      names_.emplace_back(it->second, key);
    return it->second;
  }
  const std::vector<std::pair<int, std::string>>& names() const { return names_; }

private:
  std::map<std::string, int> ids_;
  std::vector<std::pair<int, std::string>> names_;
};

void add_run(const RunRecord& r, int pid, json& events) {
  int64_t start_us = parse_rfc3339_ns(r.started_at).value_or(0) / 1000;
  auto metadata = [&](const char* what, int tid, const std::string& name) {
    events.push_back(
        {{"name", what}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}});
  };
  metadata("process_name", kRunTrack,
           r.pipeline + " run " + r.run_id + " (" + to_string(r.status) + ")");
  metadata("thread_name", kRunTrack, "run");
  events.push_back({{"name", r.pipeline},
                    {"cat", "run"},
                    {"ph", "X"},
                    {"ts", start_us},
                    {"dur", micros(r.wall_s)},
                    {"pid", pid},
                    {"tid", kRunTrack},
                    {"args", run_args(r)}});
  Tracks tracks;
  for (const auto& p : r.phases) {
    if (!p.ran())
      continue;
    int tid = tracks.of(p);
    int64_t phase_us = start_us + micros(p.start_s);
    events.push_back({{"name", p.name},
                      {"cat", to_string(p.kind)},
                      {"ph", "X"},
                      {"ts", phase_us},
                      {"dur", micros(p.wall_s)},
                      {"pid", pid},
                      {"tid", tid},
                      {"args", phase_args(p)}});
    for (const auto& t : p.tests) {
      TestSlice slice = test_slice(t, p.wall_s);
      json args = {{"status", to_string(t.status)}, {"wall_s", t.wall_s}};
      if (!t.message.empty())
        args["message"] = t.message;
      events.push_back({{"name", t.name},
                        {"cat", "testcase"},
                        {"ph", "X"},
                        {"ts", phase_us + micros(slice.start_s)},
                        {"dur", micros(slice.wall_s)},
                        {"pid", pid},
                        {"tid", tid},
                        {"args", std::move(args)}});
    }
    if (!p.probe)
      continue;
    for (const auto& t : p.probe->targets)
      for (const auto& m : t.marks)
        events.push_back({{"name", m.ok ? "probe ok" : "probe attempt"},
                          {"cat", "probe"},
                          {"ph", "i"},
                          {"s", "t"},
                          {"ts", phase_us + micros(m.at_s)},
                          {"pid", pid},
                          {"tid", tid},
                          {"args", {{"target", t.target}, {"ok", m.ok}}}});
  }
  for (const auto& [tid, name] : tracks.names())
    metadata("thread_name", tid, name);
}

// The events are written as they are made, one run at a time: a trace of 10,000 runs is never
// held whole.
class TraceExport : public Exporter {
public:
  void begin(std::ostream& out) override { out << "{\"traceEvents\":[\n"; }

  void run(const ReportRun& run, std::ostream& out) override {
    json events = json::array();
    add_run(run.record, ++pid_, events);
    for (const auto& e : events) {
      out << (first_ ? "" : ",\n") << e.dump(-1, ' ', false, json::error_handler_t::replace);
      first_ = false;
    }
  }

  void end(std::ostream& out) override {
    out << "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"ciperf\",\"runs\":"
        << pid_ << "}}\n";
  }

private:
  int pid_ = 0;
  bool first_ = true;
};

} // namespace

std::unique_ptr<Exporter> make_trace_export() {
  return std::make_unique<TraceExport>();
}

} // namespace ciperf
