// OTLP JSON lines, as the OpenTelemetry collector's file exporter writes them: one
// ExportTraceServiceRequest per run, a SERVER span for the run and an INTERNAL child span per
// phase, with the cicd.pipeline.* and cicd.pipeline.task.* attributes, and an INTERNAL child
// span of its phase's per test case of the phase (`ciperf.test.*`). Ids are derived from the
// run id, so exporting a run twice gives the same trace.
#include "common/rfc3339.hpp"
#include "common/text_escape.hpp"
#include "reports/report_format.hpp"
#include "reports/test_rows.hpp"

#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <ostream>

namespace ciperf {
namespace {

constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindServer = 2;
constexpr int kStatusOk = 1;
constexpr int kStatusError = 2;

// splitmix64 over FNV-1a: stable, well-mixed, never zero (a zero id is invalid in OTLP).
uint64_t mix(std::string_view text, uint64_t salt) {
  uint64_t h = 1469598103934665603ULL ^ salt;
  for (unsigned char c : text)
    h = (h ^ c) * 1099511628211ULL;
  h += 0x9E3779B97F4A7C15ULL;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return h == 0 ? 1 : h;
}

std::string span_id(const std::string& run_id, int phase) {
  return fmt::format("{:016x}", mix(run_id, static_cast<uint64_t>(phase + 2)));
}

// A test case's span: salted apart from the phases' (whose salts are small).
std::string test_span_id(const std::string& run_id, int phase, size_t test) {
  return fmt::format("{:016x}", mix(run_id + "/" + std::to_string(phase),
                                    (uint64_t{1} << 40) + static_cast<uint64_t>(test)));
}

std::string trace_id(const std::string& run_id) {
  return fmt::format("{:016x}{:016x}", mix(run_id, 0x7472616365ULL), mix(run_id, 0x6964ULL));
}

// The span JSON is written straight into a string: a document per span would cost more than the
// rest of an export of 10,000 runs together.
class SpanWriter {
public:
  explicit SpanWriter(std::string& out) : out_(out) {}

  void string_attribute(std::string_view key, std::string_view value) {
    open_attribute(key);
    out_ += "{\"stringValue\":";
    append_json_string(out_, value);
    out_ += "}}";
  }
  void int_attribute(std::string_view key, int64_t value) {
    open_attribute(key);
    fmt::format_to(std::back_inserter(out_), "{{\"intValue\":\"{}\"}}}}", value);
  }
  void double_attribute(std::string_view key, double value) {
    open_attribute(key);
    fmt::format_to(std::back_inserter(out_), "{{\"doubleValue\":{}}}}}", value);
  }
  void begin_attributes() {
    out_ += "\"attributes\":[";
    first_ = true;
  }
  void end_attributes() { out_ += "]"; }

private:
  void open_attribute(std::string_view key) {
    out_ += first_ ? "{\"key\":" : ",{\"key\":";
    first_ = false;
    append_json_string(out_, key);
    out_ += ",\"value\":";
  }
  std::string& out_;
  bool first_ = true;
};

// ciperf's statuses in the words of cicd.pipeline.result and cicd.pipeline.task.run.result.
const char* cicd_result(const std::string& status) {
  if (status == "passed")
    return "success";
  if (status == "failed")
    return "failure";
  if (status == "skipped")
    return "skip";
  if (status == "interrupted")
    return "cancellation";
  if (status == "timeout")
    return "timeout";
  return "error";
}

void write_status(const std::string& status, std::string& out) {
  if (status == "passed" || status == "skipped") {
    fmt::format_to(std::back_inserter(out), "\"status\":{{\"code\":{}}}", kStatusOk);
    return;
  }
  fmt::format_to(std::back_inserter(out), "\"status\":{{\"code\":{},\"message\":", kStatusError);
  append_json_string(out, status);
  out += "}";
}

void write_span_head(const std::string& trace, const std::string& span, const std::string& parent,
                     std::string_view name, int kind, int64_t start, int64_t end,
                     std::string& out) {
  fmt::format_to(std::back_inserter(out), "{{\"traceId\":\"{}\",\"spanId\":\"{}\",", trace, span);
  if (!parent.empty())
    fmt::format_to(std::back_inserter(out), "\"parentSpanId\":\"{}\",", parent);
  out += "\"name\":";
  append_json_string(out, name);
  fmt::format_to(std::back_inserter(out),
                 ",\"kind\":{},\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",", kind,
                 start, end);
}

void write_probe_events(const PhaseRecord& p, int64_t phase_ns, std::string& out) {
  out += ",\"events\":[";
  bool first = true;
  for (const auto& t : p.probe->targets)
    for (const auto& m : t.marks) {
      fmt::format_to(std::back_inserter(out), "{}{{\"timeUnixNano\":\"{}\",\"name\":\"{}\",",
                     first ? "" : ",", phase_ns + seconds_to_ns(m.at_s),
                     m.ok ? "probe.success" : "probe.attempt");
      first = false;
      SpanWriter w(out);
      w.begin_attributes();
      w.string_attribute("ciperf.probe.target", t.target);
      w.end_attributes();
      out += "}";
    }
  out += "]";
}

void write_phase_span(const RunRecord& r, const PhaseRecord& p, int64_t run_ns, std::string& out) {
  int64_t start = run_ns + seconds_to_ns(p.start_s);
  out += ",";
  write_span_head(trace_id(r.run_id), span_id(r.run_id, p.index), span_id(r.run_id, -1), p.name,
                  kSpanKindInternal, start, start + seconds_to_ns(p.wall_s), out);
  SpanWriter w(out);
  w.begin_attributes();
  w.string_attribute("cicd.pipeline.task.name", p.name);
  w.string_attribute("cicd.pipeline.task.run.id", r.run_id + "/" + std::to_string(p.index));
  w.string_attribute("cicd.pipeline.task.run.result", cicd_result(to_string(p.status)));
  if (p.kind == PhaseKind::Build || p.kind == PhaseKind::Test || p.kind == PhaseKind::Deploy)
    w.string_attribute("cicd.pipeline.task.type", to_string(p.kind));
  w.string_attribute("ciperf.phase.kind", to_string(p.kind));
  w.string_attribute("ciperf.phase.tier", p.tier);
  w.double_attribute("ciperf.phase.user_s", p.user_s);
  w.double_attribute("ciperf.phase.sys_s", p.sys_s);
  w.int_attribute("ciperf.phase.max_rss_bytes", p.max_rss_bytes);
  if (p.exit_code)
    w.int_attribute("process.exit.code", *p.exit_code);
  w.end_attributes();
  out += ",";
  write_status(to_string(p.status), out);
  if (p.probe)
    write_probe_events(p, start, out);
  out += "}";
}

void write_test_spans(const RunRecord& r, const PhaseRecord& p, int64_t run_ns, std::string& out) {
  int64_t phase_ns = run_ns + seconds_to_ns(p.start_s);
  for (size_t i = 0; i < p.tests.size(); ++i) {
    const TestCaseRecord& t = p.tests[i];
    TestSlice slice = test_slice(t, p.wall_s);
    int64_t start = phase_ns + seconds_to_ns(slice.start_s);
    out += ",";
    write_span_head(trace_id(r.run_id), test_span_id(r.run_id, p.index, i),
                    span_id(r.run_id, p.index), t.name, kSpanKindInternal, start,
                    start + seconds_to_ns(slice.wall_s), out);
    SpanWriter w(out);
    w.begin_attributes();
    w.string_attribute("cicd.pipeline.task.name", t.name); // a test is a task inside its phase's
    w.string_attribute("cicd.pipeline.task.run.id", fmt::format("{}/{}/{}", r.run_id, p.index, i));
    w.string_attribute("cicd.pipeline.task.run.result", cicd_result(to_string(t.status)));
    w.string_attribute("ciperf.test.name", t.name);
    w.string_attribute("ciperf.test.status", to_string(t.status));
    w.double_attribute("ciperf.test.wall_s", t.wall_s);
    if (!t.message.empty())
      w.string_attribute("ciperf.test.message", t.message);
    w.end_attributes();
    out += ",";
    write_status(to_string(t.status), out);
    out += "}";
  }
}

void write_run_span(const RunRecord& r, int64_t start, std::string& out) {
  write_span_head(trace_id(r.run_id), span_id(r.run_id, -1), "", "RUN " + r.pipeline,
                  kSpanKindServer, start, start + seconds_to_ns(r.wall_s), out);
  SpanWriter w(out);
  w.begin_attributes();
  w.string_attribute("cicd.pipeline.name", r.pipeline);
  w.string_attribute("cicd.pipeline.run.id", r.run_id);
  w.string_attribute("cicd.pipeline.result", cicd_result(to_string(r.status)));
  w.string_attribute("cicd.pipeline.action.name", "RUN");
  if (r.status != RunStatus::Passed)
    w.string_attribute("error.type", to_string(r.status));
  w.string_attribute("ciperf.mode", to_string(r.mode));
  w.int_attribute("ciperf.deploys", r.deploys);
  for (const auto& [key, value] : r.labels)
    w.string_attribute("ciperf.label." + key, value);
  w.end_attributes();
  out += ",";
  write_status(to_string(r.status), out);
  out += "}";
}

// One ExportTraceServiceRequest: the run's resource, one scope, the run span and its phases.
std::string run_request(const RunRecord& r) {
  int64_t start = parse_rfc3339_ns(r.started_at).value_or(0);
  std::string out = "{\"resourceSpans\":[{\"resource\":{";
  SpanWriter resource(out);
  resource.begin_attributes();
  resource.string_attribute("service.name", "ciperf");
  resource.string_attribute("host.name", r.host.hostname);
  resource.end_attributes();
  out += "},\"scopeSpans\":[{\"scope\":{\"name\":\"ciperf\"},\"spans\":[";
  write_run_span(r, start, out);
  for (const auto& p : r.phases)
    if (p.ran()) {
      write_phase_span(r, p, start, out);
      write_test_spans(r, p, start, out);
    }
  out += "]}]}]}\n";
  return out;
}

class OtlpExport : public Exporter {
public:
  void run(const ReportRun& run, std::ostream& out) override { out << run_request(run.record); }
};

} // namespace

std::unique_ptr<Exporter> make_otlp_export() {
  return std::make_unique<OtlpExport>();
}

} // namespace ciperf
