// The one place that says what OTLP carries of a run: a SERVER span for the run and an INTERNAL
// child span per phase, with the cicd.pipeline.* and cicd.pipeline.task.* attributes, an
// INTERNAL child span of its phase per test case of the phase (`ciperf.test.*`), and the phase
// duration gauges. Written through otlp_wire.hpp's writers: OTLP/JSON lines for `report
// --format otlp` (as the OpenTelemetry collector's file exporter writes them: one
// ExportTraceServiceRequest per run) and either encoding for `ciperf run`'s live export.
#include "common/rfc3339.hpp"
#include "reports/otlp_request.hpp"
#include "reports/otlp_wire.hpp"
#include "reports/report_format.hpp"
#include "reports/test_rows.hpp"

#include <fmt/format.h>
#include <ostream>

namespace ciperf {
namespace {

constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindServer = 2;
constexpr int kStatusOk = 1;
constexpr int kStatusError = 2;

// Field names and numbers of opentelemetry-proto (collector/*/v1, trace/v1, metrics/v1,
// common/v1, resource/v1).
namespace field {
constexpr OtlpField resource_spans{"resourceSpans", 1};
constexpr OtlpField resource_metrics{"resourceMetrics", 1};
constexpr OtlpField resource{"resource", 1};
constexpr OtlpField scope_spans{"scopeSpans", 2};
constexpr OtlpField scope_metrics{"scopeMetrics", 2};
constexpr OtlpField scope{"scope", 1};
constexpr OtlpField scope_name{"name", 1};
constexpr OtlpField spans{"spans", 2};
constexpr OtlpField metrics{"metrics", 2};
constexpr OtlpField resource_attributes{"attributes", 1};
constexpr OtlpField key{"key", 1};
constexpr OtlpField value{"value", 2};
constexpr OtlpField string_value{"stringValue", 1};
constexpr OtlpField int_value{"intValue", 3};
constexpr OtlpField double_value{"doubleValue", 4};
constexpr OtlpField trace_id{"traceId", 1};
constexpr OtlpField span_id{"spanId", 2};
constexpr OtlpField trace_state{"traceState", 3};
constexpr OtlpField parent_span_id{"parentSpanId", 4};
constexpr OtlpField span_name{"name", 5};
constexpr OtlpField kind{"kind", 6};
constexpr OtlpField start_time{"startTimeUnixNano", 7};
constexpr OtlpField end_time{"endTimeUnixNano", 8};
constexpr OtlpField span_attributes{"attributes", 9};
constexpr OtlpField events{"events", 11};
constexpr OtlpField status{"status", 15};
constexpr OtlpField status_message{"message", 2};
constexpr OtlpField status_code{"code", 3};
constexpr OtlpField event_time{"timeUnixNano", 1};
constexpr OtlpField event_name{"name", 2};
constexpr OtlpField event_attributes{"attributes", 3};
constexpr OtlpField metric_name{"name", 1};
constexpr OtlpField metric_description{"description", 2};
constexpr OtlpField metric_unit{"unit", 3};
constexpr OtlpField gauge{"gauge", 5};
constexpr OtlpField data_points{"dataPoints", 1};
constexpr OtlpField point_start_time{"startTimeUnixNano", 2};
constexpr OtlpField point_time{"timeUnixNano", 3};
constexpr OtlpField as_double{"asDouble", 4};
constexpr OtlpField point_attributes{"attributes", 7};
} // namespace field

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

// A KeyValue in a repeated attributes field (already begun with begin_list); `write_value`
// writes the one field of its AnyValue.
template <typename W, typename Value>
void key_value(W& w, std::string_view key, Value&& write_value) {
  w.begin_item();
  w.string(field::key, key);
  w.begin_message(field::value);
  write_value();
  w.end_message();
  w.end_item();
}

template <typename W> void string_attribute(W& w, std::string_view key, std::string_view value) {
  key_value(w, key, [&] { w.string(field::string_value, value); });
}

template <typename W> void int_attribute(W& w, std::string_view key, int64_t value) {
  key_value(w, key, [&] { w.int64(field::int_value, value); });
}

template <typename W> void double_attribute(W& w, std::string_view key, double value) {
  key_value(w, key, [&] { w.double_value(field::double_value, value); });
}

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

template <typename W> void write_status(W& w, const std::string& status) {
  w.begin_message(field::status);
  bool ok = status == "passed" || status == "skipped";
  w.enum_value(field::status_code, ok ? kStatusOk : kStatusError);
  if (!ok)
    w.string(field::status_message, status);
  w.end_message();
}

struct SpanHead {
  const std::string& trace;
  const OtlpContext& context;
  std::string span;
  std::string parent;
  std::string_view name;
  int kind;
  int64_t start, end;
};

template <typename W> void write_span_head(W& w, const SpanHead& s) {
  w.hex_bytes(field::trace_id, s.trace);
  w.hex_bytes(field::span_id, s.span);
  if (!s.context.trace_state.empty())
    w.string(field::trace_state, s.context.trace_state);
  if (!s.parent.empty())
    w.hex_bytes(field::parent_span_id, s.parent);
  w.string(field::span_name, s.name);
  w.enum_value(field::kind, s.kind);
  w.fixed64(field::start_time, static_cast<uint64_t>(s.start));
  w.fixed64(field::end_time, static_cast<uint64_t>(s.end));
}

template <typename W> void write_probe_events(W& w, const PhaseRecord& p, int64_t phase_ns) {
  w.begin_list(field::events);
  for (const auto& t : p.probe->targets)
    for (const auto& m : t.marks) {
      w.begin_item();
      w.fixed64(field::event_time, static_cast<uint64_t>(phase_ns + seconds_to_ns(m.at_s)));
      w.string(field::event_name, m.ok ? "probe.success" : "probe.attempt");
      w.begin_list(field::event_attributes);
      string_attribute(w, "ciperf.probe.target", t.target);
      w.end_list();
      w.end_item();
    }
  w.end_list();
}

template <typename W>
void write_phase_span(W& w, const RunRecord& r, const PhaseRecord& p, const std::string& trace,
                      const OtlpContext& context, int64_t run_ns) {
  int64_t start = run_ns + seconds_to_ns(p.start_s);
  w.begin_item();
  write_span_head(w, SpanHead{trace, context, otlp_span_id(r.run_id, p.index),
                              otlp_span_id(r.run_id, -1), p.name, kSpanKindInternal, start,
                              start + seconds_to_ns(p.wall_s)});
  w.begin_list(field::span_attributes);
  string_attribute(w, "cicd.pipeline.task.name", p.name);
  string_attribute(w, "cicd.pipeline.task.run.id", r.run_id + "/" + std::to_string(p.index));
  string_attribute(w, "cicd.pipeline.task.run.result", cicd_result(to_string(p.status)));
  if (p.kind == PhaseKind::Build || p.kind == PhaseKind::Test || p.kind == PhaseKind::Deploy)
    string_attribute(w, "cicd.pipeline.task.type", to_string(p.kind));
  string_attribute(w, "ciperf.phase.kind", to_string(p.kind));
  string_attribute(w, "ciperf.phase.tier", p.tier);
  double_attribute(w, "ciperf.phase.user_s", p.user_s);
  double_attribute(w, "ciperf.phase.sys_s", p.sys_s);
  int_attribute(w, "ciperf.phase.max_rss_bytes", p.max_rss_bytes);
  if (p.exit_code)
    int_attribute(w, "process.exit.code", *p.exit_code);
  w.end_list();
  write_status(w, to_string(p.status));
  if (p.probe)
    write_probe_events(w, p, start);
  w.end_item();
}

// A test case's span: salted apart from the phases' (whose salts are small).
std::string test_span_id(const std::string& run_id, int phase, size_t test) {
  return fmt::format("{:016x}", mix(run_id + "/" + std::to_string(phase),
                                    (uint64_t{1} << 40) + static_cast<uint64_t>(test)));
}

template <typename W>
void write_test_spans(W& w, const RunRecord& r, const PhaseRecord& p, const std::string& trace,
                      const OtlpContext& context, int64_t run_ns) {
  int64_t phase_ns = run_ns + seconds_to_ns(p.start_s);
  for (size_t i = 0; i < p.tests.size(); ++i) {
    const TestCaseRecord& t = p.tests[i];
    TestSlice slice = test_slice(t, p.wall_s);
    int64_t start = phase_ns + seconds_to_ns(slice.start_s);
    w.begin_item();
    write_span_head(w, SpanHead{trace, context, test_span_id(r.run_id, p.index, i),
                                otlp_span_id(r.run_id, p.index), t.name, kSpanKindInternal, start,
                                start + seconds_to_ns(slice.wall_s)});
    w.begin_list(field::span_attributes);
    string_attribute(w, "cicd.pipeline.task.name", t.name); // a test is a task inside its phase's
    string_attribute(w, "cicd.pipeline.task.run.id", fmt::format("{}/{}/{}", r.run_id, p.index, i));
    string_attribute(w, "cicd.pipeline.task.run.result", cicd_result(to_string(t.status)));
    string_attribute(w, "ciperf.test.name", t.name);
    string_attribute(w, "ciperf.test.status", to_string(t.status));
    double_attribute(w, "ciperf.test.wall_s", t.wall_s);
    if (!t.message.empty())
      string_attribute(w, "ciperf.test.message", t.message);
    w.end_list();
    write_status(w, to_string(t.status));
    w.end_item();
  }
}

template <typename W>
void write_run_span(W& w, const RunRecord& r, const std::string& trace, const OtlpContext& context,
                    int64_t start) {
  w.begin_item();
  write_span_head(w, SpanHead{trace, context, otlp_span_id(r.run_id, -1), context.parent_span_id,
                              "RUN " + r.pipeline, kSpanKindServer, start,
                              start + seconds_to_ns(r.wall_s)});
  w.begin_list(field::span_attributes);
  string_attribute(w, "cicd.pipeline.name", r.pipeline);
  string_attribute(w, "cicd.pipeline.run.id", r.run_id);
  string_attribute(w, "cicd.pipeline.result", cicd_result(to_string(r.status)));
  string_attribute(w, "cicd.pipeline.action.name", "RUN");
  if (r.status != RunStatus::Passed)
    string_attribute(w, "error.type", to_string(r.status));
  string_attribute(w, "ciperf.mode", to_string(r.mode));
  int_attribute(w, "ciperf.deploys", r.deploys);
  for (const auto& [key, value] : r.labels)
    string_attribute(w, "ciperf.label." + key, value);
  w.end_list();
  write_status(w, to_string(r.status));
  w.end_item();
}

const std::string* find_resource(const OtlpContext& context, std::string_view key) {
  for (const auto& [k, v] : context.resource)
    if (k == key)
      return &v;
  return nullptr;
}

// The resource and the one scope, then `body` writes the scope's list (spans or metrics).
template <typename W, typename Body>
void write_resource_scope(W& w, const RunRecord& r, const OtlpContext& context, OtlpField scoped,
                          OtlpField list, Body&& body) {
  w.begin_message(field::resource);
  w.begin_list(field::resource_attributes);
  const std::string* service = find_resource(context, "service.name");
  const std::string* host = find_resource(context, "host.name");
  string_attribute(w, "service.name", service ? *service : "ciperf");
  string_attribute(w, "host.name", host ? *host : r.host.hostname);
  for (const auto& [key, value] : context.resource)
    if (key != "service.name" && key != "host.name")
      string_attribute(w, key, value);
  w.end_list();
  w.end_message();
  w.begin_list(scoped);
  w.begin_item();
  w.begin_message(field::scope);
  w.string(field::scope_name, "ciperf");
  w.end_message();
  w.begin_list(list);
  body();
  w.end_list();
  w.end_item();
  w.end_list();
}

// One ExportTraceServiceRequest: the run's resource, one scope, the run span and its phases.
template <typename W> void write_traces(W& w, const RunRecord& r, const OtlpContext& context) {
  int64_t start = parse_rfc3339_ns(r.started_at).value_or(0);
  std::string trace = context.trace_id.empty() ? otlp_trace_id(r.run_id) : context.trace_id;
  w.begin_list(field::resource_spans);
  w.begin_item();
  write_resource_scope(w, r, context, field::scope_spans, field::spans, [&] {
    write_run_span(w, r, trace, context, start);
    for (const auto& p : r.phases)
      if (p.ran()) {
        write_phase_span(w, r, p, trace, context, start);
        write_test_spans(w, r, p, trace, context, start);
      }
  });
  w.end_item();
  w.end_list();
  w.finish();
}

template <typename W>
void gauge_point(W& w, int64_t start, int64_t end, double value,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> attributes) {
  w.begin_item();
  w.begin_list(field::point_attributes);
  for (const auto& [key, text] : attributes)
    string_attribute(w, key, text);
  w.end_list();
  w.fixed64(field::point_start_time, static_cast<uint64_t>(start));
  w.fixed64(field::point_time, static_cast<uint64_t>(end));
  w.double_value(field::as_double, value);
  w.end_item();
}

template <typename W, typename Points>
void write_gauge(W& w, std::string_view name, std::string_view description, Points&& points) {
  w.begin_item();
  w.string(field::metric_name, name);
  w.string(field::metric_description, description);
  w.string(field::metric_unit, "s");
  w.begin_message(field::gauge);
  w.begin_list(field::data_points);
  points();
  w.end_list();
  w.end_message();
  w.end_item();
}

// Gauges rather than histograms: each point is one measured duration, which a backend can
// aggregate as it likes; a histogram of one observation would hide the value in buckets.
template <typename W> void write_metrics(W& w, const RunRecord& r, const OtlpContext& context) {
  int64_t start = parse_rfc3339_ns(r.started_at).value_or(0);
  std::string mode = to_string(r.mode);
  w.begin_list(field::resource_metrics);
  w.begin_item();
  write_resource_scope(w, r, context, field::scope_metrics, field::metrics, [&] {
    write_gauge(w, "ciperf.phase.duration", "Wall time of a pipeline phase", [&] {
      for (const auto& p : r.phases) {
        if (!p.ran())
          continue;
        int64_t begin = start + seconds_to_ns(p.start_s);
        gauge_point(w, begin, begin + seconds_to_ns(p.wall_s), p.wall_s,
                    {{"cicd.pipeline.name", r.pipeline},
                     {"cicd.pipeline.task.name", p.name},
                     {"cicd.pipeline.task.run.result", cicd_result(to_string(p.status))},
                     {"ciperf.mode", mode}});
      }
    });
    write_gauge(w, "ciperf.run.duration", "Wall time of a pipeline run", [&] {
      gauge_point(w, start, start + seconds_to_ns(r.wall_s), r.wall_s,
                  {{"cicd.pipeline.name", r.pipeline},
                   {"cicd.pipeline.result", cicd_result(to_string(r.status))},
                   {"ciperf.mode", mode}});
    });
  });
  w.end_item();
  w.end_list();
  w.finish();
}

template <typename Write> std::string encode(OtlpEncoding encoding, Write&& write) {
  std::string out;
  if (encoding == OtlpEncoding::Json) {
    OtlpJsonWriter w(out);
    write(w);
  } else {
    OtlpProtobufWriter w(out);
    write(w);
  }
  return out;
}

class OtlpExport : public Exporter {
public:
  void run(const ReportRun& run, std::ostream& out) override {
    std::string line;
    OtlpJsonWriter w(line);
    write_traces(w, run.record, OtlpContext{});
    line += '\n';
    out << line;
  }
};

} // namespace

std::string otlp_span_id(const std::string& run_id, int phase_index) {
  return fmt::format("{:016x}", mix(run_id, static_cast<uint64_t>(phase_index + 2)));
}

std::string otlp_trace_id(const std::string& run_id) {
  return fmt::format("{:016x}{:016x}", mix(run_id, 0x7472616365ULL), mix(run_id, 0x6964ULL));
}

std::string otlp_trace_request(const RunRecord& run, const OtlpContext& context,
                               OtlpEncoding encoding) {
  return encode(encoding, [&](auto& w) { write_traces(w, run, context); });
}

std::string otlp_metrics_request(const RunRecord& run, const OtlpContext& context,
                                 OtlpEncoding encoding) {
  return encode(encoding, [&](auto& w) { write_metrics(w, run, context); });
}

std::unique_ptr<Exporter> make_otlp_export() {
  return std::make_unique<OtlpExport>();
}

} // namespace ciperf
