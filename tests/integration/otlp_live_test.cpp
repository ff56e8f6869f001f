// `ciperf run` with OTEL_EXPORTER_OTLP_* set: its spans and phase durations reach a real OTLP
// receiver on loopback (tests/support/otlp_receiver.js, decoding with opentelemetry-proto's
// generated code), phases get TRACEPARENT, an incoming TRACEPARENT is honoured, and a dead,
// slow or failing collector is one warning that changes nothing else.
#include "support/ciperf_run.hpp"
#include "support/otlp_receiver.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace ciperf::test;
using nlohmann::json;

namespace {

// The OTEL_* variables of the test's own environment are blanked (ciperf treats empty as unset),
// then `vars` set.
ProcessOptions otel(const std::map<std::string, std::string>& vars) {
  std::map<std::string, std::string> env;
  for (const char* name :
       {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
        "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
        "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT",
        "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT",
        "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SDK_DISABLED",
        "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "TRACEPARENT", "TRACESTATE"})
    env[name] = "";
  for (const auto& [k, v] : vars)
    env[k] = v;
  ProcessOptions options;
  for (const auto& [k, v] : env)
    options.env.push_back(k + "=" + v);
  options.timeout_s = 60;
  return options;
}

// Two phases that write their trace context to files, and a third that fails.
std::string pipeline(bool fail = false) {
  std::string yaml = R"(version: 1
pipeline: traced
phases:
  - name: build
    kind: build
    run: 'printf "%s\n%s\n" "$TRACEPARENT" "$TRACESTATE" > "$CIPERF_RUN_DIR/build.env"'
  - name: test
    kind: test
    run: 'printf "%s\n%s\n" "$TRACEPARENT" "$TRACESTATE" > "$CIPERF_RUN_DIR/test.env"; env > "$CIPERF_RUN_DIR/all.env"; env'
)";
  if (fail)
    yaml += "  - name: broken\n    run: 'exit 3'\n";
  return yaml;
}

const json* request_of(const std::vector<json>& requests, const std::string& signal) {
  for (const auto& r : requests)
    if (r["signal"] == signal)
      return &r;
  return nullptr;
}

std::string attribute(const json& attributes, const std::string& key) {
  for (const auto& a : attributes)
    if (a["key"] == key) {
      const json& v = a["value"];
      return v.contains("stringValue") ? v["stringValue"].get<std::string>() : v.dump();
    }
  return "<none>";
}

const json& spans_of(const json& request) {
  return request["request"]["resourceSpans"][0]["scopeSpans"][0]["spans"];
}

const json& span_named(const json& spans, const std::string& name) {
  for (const auto& s : spans)
    if (s["name"] == name)
      return s;
  FAIL("no span " << name);
  static json none;
  return none;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The spans and metrics of a passed run of pipeline() as the receiver decoded them.
void check_export(const std::vector<json>& requests, const CiperfRun& r,
                  const std::string& encoding) {
  REQUIRE(requests.size() == 2);
  const json* traces = request_of(requests, "traces");
  const json* metrics = request_of(requests, "metrics");
  REQUIRE(traces);
  REQUIRE(metrics);
  for (const json* q : {traces, metrics}) {
    INFO(q->dump());
    CHECK((*q)["ok"] == true);
    CHECK((*q)["known_fields"] == true);
    CHECK((*q)["encoding"] == encoding);
    CHECK((*q)["method"] == "POST");
  }
  CHECK((*traces)["path"] == "/v1/traces");
  CHECK((*metrics)["path"] == "/v1/metrics");
  const json& spans = spans_of(*traces);
  REQUIRE(spans.size() == 3);
  const json& run = span_named(spans, "RUN traced");
  std::string run_id = r.results["run_id"];
  CHECK(attribute(run["attributes"], "cicd.pipeline.run.id") == run_id);
  CHECK(attribute(run["attributes"], "cicd.pipeline.result") == "success");
  CHECK(run["kind"] == 2);
  for (const std::string name : {"build", "test"}) {
    INFO(name);
    const json& s = span_named(spans, name);
    CHECK(s["traceId"] == run["traceId"]);
    CHECK(s["parentSpanId"] == run["spanId"]);
    CHECK(s["kind"] == 1);
    CHECK(attribute(s["attributes"], "cicd.pipeline.task.name") == name);
    CHECK(attribute(s["attributes"], "cicd.pipeline.task.type") == name);
    CHECK(attribute(s["attributes"], "cicd.pipeline.task.run.result") == "success");
    double wall = phase(r.results, name)["wall_s"];
    double ns = std::stod(s["endTimeUnixNano"].get<std::string>()) -
                std::stod(s["startTimeUnixNano"].get<std::string>());
    CHECK(ns / 1e9 == Approx(wall).margin(1e-6));
    // The phase saw its own span as its parent.
    auto seen = lines(read_file(r.run_dir / (name + ".env")));
    REQUIRE(!seen.empty());
    CHECK(seen[0] ==
          "00-" + run["traceId"].get<std::string>() + "-" + s["spanId"].get<std::string>() + "-01");
  }
  const json& scope = (*metrics)["request"]["resourceMetrics"][0]["scopeMetrics"][0];
  std::map<std::string, double> durations;
  bool run_gauge = false;
  for (const auto& m : scope["metrics"]) {
    CHECK(m["unit"] == "s");
    for (const auto& point : m["gauge"]["dataPoints"]) {
      if (m["name"] == "ciperf.phase.duration")
        durations[attribute(point["attributes"], "cicd.pipeline.task.name")] = point["asDouble"];
      if (m["name"] == "ciperf.run.duration") {
        run_gauge = true;
        CHECK(point["asDouble"].get<double>() ==
              Approx(r.results["wall_s"].get<double>()).margin(1e-9));
      }
    }
  }
  CHECK(run_gauge);
  REQUIRE(durations.size() == 2);
  CHECK(durations["build"] == Approx(phase(r.results, "build")["wall_s"].get<double>()));
  CHECK(durations["test"] == Approx(phase(r.results, "test")["wall_s"].get<double>()));
}

} // namespace

TEST_CASE("live OTLP over http/protobuf: spans, metrics and TRACEPARENT", "[otlp]") {
  OtlpReceiver receiver;
  Sandbox box;
  auto r = box.run(pipeline(), {}, otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()}}));
  INFO(r.process.out << r.process.err);
  REQUIRE(r.process.exit_code == 0);
  CHECK(r.process.err.find("warning") == std::string::npos);
  auto requests = receiver.wait_for(2);
  check_export(requests, r, "protobuf");
  CHECK(request_of(requests, "traces")->at("headers")["content-type"] == "application/x-protobuf");
  // Without an incoming trace the ids are those `report --format otlp` writes for the run.
  auto report = box.ciperf(
      {"report", r.results["run_id"], "--store", box.store().string(), "--format", "otlp"});
  REQUIRE(report.exit_code == 0);
  json reported = json::parse(report.out);
  const json& spans = spans_of(*request_of(requests, "traces"));
  const json& reported_spans = reported["resourceSpans"][0]["scopeSpans"][0]["spans"];
  REQUIRE(reported_spans.size() == spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    CHECK(reported_spans[i]["spanId"] == spans[i]["spanId"]);
    CHECK(reported_spans[i]["traceId"] == spans[i]["traceId"]);
    CHECK(reported_spans[i]["name"] == spans[i]["name"]);
  }
  const json& resource = request_of(requests, "traces")->at("request")["resourceSpans"][0];
  CHECK(attribute(resource["resource"]["attributes"], "service.name") == "ciperf");
}

TEST_CASE("live OTLP over http/json, with the resource from OTEL_SERVICE_NAME and "
          "OTEL_RESOURCE_ATTRIBUTES",
          "[otlp]") {
  OtlpReceiver receiver;
  Sandbox box;
  auto r = box.run(pipeline(), {},
                   otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint() + "/"},
                         {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
                         {"OTEL_SERVICE_NAME", "ci-timing"},
                         {"OTEL_RESOURCE_ATTRIBUTES",
                          "deployment.environment=ci, service.name=ignored,team=build%20tools"}}));
  INFO(r.process.out << r.process.err);
  REQUIRE(r.process.exit_code == 0);
  auto requests = receiver.wait_for(2);
  check_export(requests, r, "json");
  CHECK(request_of(requests, "metrics")->at("headers")["content-type"] == "application/json");
  for (const std::string signal : {"traces", "metrics"}) {
    const json& body = request_of(requests, signal)->at("request");
    const json& resource =
        body[signal == "traces" ? "resourceSpans" : "resourceMetrics"][0]["resource"];
    CHECK(attribute(resource["attributes"], "service.name") == "ci-timing");
    CHECK(attribute(resource["attributes"], "deployment.environment") == "ci");
    CHECK(attribute(resource["attributes"], "team") == "build tools");
  }
}

TEST_CASE("an incoming TRACEPARENT makes the run a child in its trace, and TRACESTATE is "
          "passed on",
          "[otlp]") {
  const std::string trace = "0af7651916cd43dd8448eb211c80319c";
  const std::string parent = "b7ad6b7169203331";
  OtlpReceiver receiver;
  Sandbox box;
  auto r = box.run(pipeline(), {},
                   otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()},
                         {"TRACEPARENT", "00-" + trace + "-" + parent + "-01"},
                         {"TRACESTATE", "congo=t61rcWkgMzE"}}));
  INFO(r.process.out << r.process.err);
  REQUIRE(r.process.exit_code == 0);
  auto requests = receiver.wait_for(2);
  const json* traces = request_of(requests, "traces");
  REQUIRE(traces);
  const json& spans = spans_of(*traces);
  const json& run = span_named(spans, "RUN traced");
  CHECK(run["parentSpanId"] == parent);
  for (const auto& s : spans) {
    CHECK(s["traceId"] == trace);
    CHECK(s["traceState"] == "congo=t61rcWkgMzE");
  }
  auto seen = lines(read_file(r.run_dir / "test.env"));
  REQUIRE(seen.size() == 2);
  CHECK(seen[0] ==
        "00-" + trace + "-" + span_named(spans, "test")["spanId"].get<std::string>() + "-01");
  CHECK(seen[1] == "congo=t61rcWkgMzE");
}

TEST_CASE("a malformed TRACEPARENT is a warning and the run starts its own trace", "[otlp]") {
  OtlpReceiver receiver;
  Sandbox box;
  auto r =
      box.run(pipeline(), {},
              otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()},
                    {"TRACEPARENT", "00-00000000000000000000000000000000-b7ad6b7169203331-01"}}));
  REQUIRE(r.process.exit_code == 0);
  CHECK_THAT(r.process.err, Catch::Matchers::Contains("TRACEPARENT"));
  auto requests = receiver.wait_for(2);
  REQUIRE(request_of(requests, "traces"));
  const json& run = span_named(spans_of(*request_of(requests, "traces")), "RUN traced");
  CHECK(run["traceId"] != "00000000000000000000000000000000");
  CHECK(!run.contains("parentSpanId"));
}

TEST_CASE("headers reach the collector and are never printed, logged or stored", "[otlp]") {
  const std::string secret = "tok-8c1f2e9d7a6b";
  OtlpReceiver receiver("error"); // a failing collector: its warning must not show them either
  Sandbox box;
  auto r = box.run(pipeline(), {"--verbose"},
                   otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()},
                         {"OTEL_EXPORTER_OTLP_HEADERS",
                          "Authorization=Bearer%20" + secret + ",x-scope=a,bad-entry"},
                         {"OTEL_EXPORTER_OTLP_METRICS_HEADERS", "x-scope=metrics-only"}}));
  INFO(r.process.out << r.process.err);
  REQUIRE(r.process.exit_code == 0);
  auto requests = receiver.wait_for(2);
  REQUIRE(requests.size() == 2);
  for (const auto& q : requests) {
    CHECK(q["headers"]["authorization"] == "Bearer " + secret);
    CHECK(q["headers"]["x-scope"] == (q["signal"] == "metrics" ? "metrics-only" : "a"));
  }
  CHECK_THAT(r.process.err, Catch::Matchers::Contains("entry 3 is not key=value"));
  CHECK_THAT(r.process.err, Catch::Matchers::Contains("HTTP 500"));
  // The phase printed its environment: the log has the variable, masked.
  std::string log = read_file(r.run_dir / "logs/02-test.log");
  CHECK_THAT(log, Catch::Matchers::Contains("OTEL_EXPORTER_OTLP_HEADERS=***"));
  for (const auto& [where, text] : std::vector<std::pair<std::string, std::string>>{
           {"stdout", r.process.out},
           {"stderr", r.process.err},
           {"log", log},
           {"results.json", read_file(r.run_dir / "results.json")},
           {"store", read_file(box.store())}}) {
    INFO(where);
    CHECK(text.find(secret) == std::string::npos);
  }
}

TEST_CASE("a collector that answers 500, never answers or is down: one warning, the exit code "
          "unchanged, bounded time",
          "[otlp]") {
  struct Case {
    std::string mode;  // receiver mode, or "down"
    std::string words; // in the warning
  };
  for (const Case& c :
       {Case{"error", "HTTP 500"}, Case{"hang", "timed out"}, Case{"down", "connect"}}) {
    for (bool fail : {false, true}) {
      DYNAMIC_SECTION(c.mode << (fail ? " failing run" : " passing run")) {
        std::unique_ptr<OtlpReceiver> receiver;
        std::string endpoint = "http://127.0.0.1:" + std::to_string(free_port());
        if (c.mode != "down") {
          receiver = std::make_unique<OtlpReceiver>(c.mode);
          endpoint = receiver->endpoint();
        }
        Sandbox box;
        auto r = box.run(pipeline(fail), {},
                         otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", endpoint},
                               {"OTEL_EXPORTER_OTLP_TIMEOUT", "700"}}));
        INFO(r.process.out << r.process.err);
        CHECK(r.process.exit_code == (fail ? 1 : 0));
        REQUIRE(r.results.is_object());
        CHECK(r.results["status"] == (fail ? "failed" : "passed"));
        auto warnings = lines(r.process.err);
        size_t otlp_lines = 0;
        for (const auto& line : warnings)
          otlp_lines += line.find("otlp") != std::string::npos;
        CHECK(otlp_lines == 1);
        CHECK_THAT(r.process.err,
                   Catch::Matchers::Contains("ciperf: warning: otlp: export failed"));
        CHECK_THAT(r.process.err, Catch::Matchers::Contains(c.words));
        CHECK_THAT(r.process.err, Catch::Matchers::Contains("traces"));
        CHECK_THAT(r.process.err, Catch::Matchers::Contains("metrics"));
        // Both requests wait at once, at most the timeout: the run's own time plus 0.7 s.
        double wall = r.results["wall_s"];
        CHECK(r.process.wall_s < wall + 0.7 + 1.5 + kSanitizerStartS);
        if (receiver)
          CHECK(receiver->requests().size() == 2); // sent once each, never retried
      }
    }
  }
}

TEST_CASE("a signal's own endpoint is used as it is, and OTEL_METRICS_EXPORTER=none sends no "
          "metrics",
          "[otlp]") {
  OtlpReceiver receiver;
  Sandbox box;
  auto r = box.run(pipeline(), {},
                   otel({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint() + "/own/path"},
                         {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"},
                         {"OTEL_METRICS_EXPORTER", "none"}}));
  REQUIRE(r.process.exit_code == 0);
  auto requests = receiver.wait_for(1);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["path"] == "/own/path");
  CHECK(requests[0]["encoding"] == "json");
  CHECK(requests[0]["ok"] == true);
}

TEST_CASE("without an endpoint ciperf exports nothing and sets no TRACEPARENT of its own",
          "[otlp]") {
  Sandbox box;
  auto r =
      box.run(pipeline(), {},
              otel({{"TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}));
  REQUIRE(r.process.exit_code == 0);
  CHECK(r.process.err.find("otlp") == std::string::npos);
  // The phase inherits ciperf's environment unchanged.
  CHECK(lines(read_file(r.run_dir / "build.env"))[0] ==
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
}

TEST_CASE("an unsupported OTEL_EXPORTER_OTLP_PROTOCOL is a warning, not a failure", "[otlp]") {
  OtlpReceiver receiver;
  Sandbox box;
  auto r = box.run(pipeline(), {},
                   otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()},
                         {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}}));
  REQUIRE(r.process.exit_code == 0);
  CHECK_THAT(r.process.err, Catch::Matchers::Contains("OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc'"));
  CHECK(receiver.requests().empty());
}

TEST_CASE("an endpoint's user:password is shown nowhere", "[otlp]") {
  Sandbox box;
  std::string endpoint =
      "http://ci:pw-7f3a9c2e@127.0.0.1:" + std::to_string(free_port()) + "/x?k=q1";
  auto r = box.run(pipeline(), {"--verbose"}, otel({{"OTEL_EXPORTER_OTLP_ENDPOINT", endpoint}}));
  INFO(r.process.out << r.process.err);
  REQUIRE(r.process.exit_code == 0);
  CHECK_THAT(r.process.err, Catch::Matchers::Contains("http://127.0.0.1:"));
  std::string log = read_file(r.run_dir / "logs/02-test.log");
  for (const std::string& text : {r.process.out, r.process.err, log})
    CHECK(text.find("pw-7f3a9c2e") == std::string::npos);
}
