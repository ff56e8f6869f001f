// The OTEL_* variables as ciperf reads them, and the protobuf writer's bytes.
#include "reports/otlp_wire.hpp"
#include "runner/otlp_live.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace ciperf;

namespace {

std::string hex(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes)
    out += fmt::format("{:02x}", c);
  return out;
}

bool has_header(const OtlpSignal& s, const std::string& header) {
  return std::find(s.headers.begin(), s.headers.end(), header) != s.headers.end();
}

} // namespace

TEST_CASE("no endpoint, or the SDK disabled: no export at all", "[otlp]") {
  std::vector<std::string> warnings;
  CHECK(!otlp_settings({}, warnings));
  CHECK(!otlp_settings({{"OTEL_EXPORTER_OTLP_ENDPOINT", ""}}, warnings));
  CHECK(!otlp_settings(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"}, {"OTEL_SDK_DISABLED", "true"}}, warnings));
  CHECK(warnings.empty());
}

TEST_CASE("endpoints: the base gets /v1/<signal>, a signal's own is used as it is", "[otlp]") {
  std::vector<std::string> warnings;
  auto s = otlp_settings({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/otel/"},
                          {"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://m:1/x"},
                          {"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/json"},
                          {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
                          {"OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "400"}},
                         warnings);
  REQUIRE(s);
  CHECK(warnings.empty());
  REQUIRE(s->traces);
  REQUIRE(s->metrics);
  CHECK(s->traces->url == "http://c:4318/otel/v1/traces");
  CHECK(s->metrics->url == "https://m:1/x");
  CHECK(s->traces->encoding == OtlpEncoding::Protobuf);
  CHECK(s->metrics->encoding == OtlpEncoding::Json);
  CHECK(has_header(*s->traces, "Content-Type: application/x-protobuf"));
  CHECK(has_header(*s->metrics, "Content-Type: application/json"));
  CHECK(s->traces->timeout == std::chrono::milliseconds(2500));
  CHECK(s->metrics->timeout == std::chrono::milliseconds(400));
  CHECK(s->context.trace_id.empty());
}

TEST_CASE("headers: percent-decoded, a signal's own win, bad entries named by position only",
          "[otlp]") {
  std::vector<std::string> warnings;
  auto s =
      otlp_settings({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                     {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b%2Cc , tenant=1,=oops-secret"},
                     {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "tenant=2"}},
                    warnings);
  REQUIRE(s);
  CHECK(has_header(*s->traces, "api-key: a b,c"));
  CHECK(has_header(*s->traces, "tenant: 2"));
  CHECK(!has_header(*s->traces, "tenant: 1"));
  CHECK(has_header(*s->metrics, "tenant: 1"));
  REQUIRE(!warnings.empty());
  for (const auto& w : warnings) {
    CHECK_THAT(w, Catch::Matchers::Contains("entry 3"));
    CHECK(w.find("oops-secret") == std::string::npos);
  }
  auto secrets =
      otlp_header_secrets({{"OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b%2Cc,tenant=1"}});
  CHECK(std::find(secrets.begin(), secrets.end(), "a b,c") != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "1") == secrets.end());
  secrets = otlp_header_secrets({{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://u:p4ssw0rd@c:1/a@b"}});
  CHECK(std::find(secrets.begin(), secrets.end(), "p4ssw0rd") != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "u:p4ssw0rd") != secrets.end());
}

TEST_CASE("bad protocol, endpoint or timeout: a warning each, never an error", "[otlp]") {
  std::vector<std::string> warnings;
  auto s = otlp_settings({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                          {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"},
                          {"OTEL_EXPORTER_OTLP_TIMEOUT", "10s"}},
                         warnings);
  REQUIRE(s);
  CHECK(!s->traces);
  REQUIRE(s->metrics);
  CHECK(s->metrics->timeout == std::chrono::seconds(10));
  CHECK(warnings.size() == 2);
  warnings.clear();
  CHECK(!otlp_settings({{"OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"}}, warnings));
  CHECK(warnings.size() == 2); // one per signal
}

TEST_CASE("an incoming TRACEPARENT: valid ones are taken, others warned about", "[otlp]") {
  auto context_of = [](const std::string& parent, std::vector<std::string>& warnings) {
    return otlp_settings({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"},
                          {"TRACEPARENT", parent},
                          {"TRACESTATE", "k=v"}},
                         warnings)
        ->context;
  };
  std::vector<std::string> warnings;
  auto c = context_of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", warnings);
  CHECK(warnings.empty());
  CHECK(c.trace_id == "0af7651916cd43dd8448eb211c80319c");
  CHECK(c.parent_span_id == "b7ad6b7169203331");
  CHECK(c.trace_state == "k=v");
  // A later version may append fields.
  c = context_of("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra", warnings);
  CHECK(warnings.empty());
  CHECK(c.trace_id == "0af7651916cd43dd8448eb211c80319c");
  for (std::string bad : {"00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
                          "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                          "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
                          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",
                          "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "garbage"}) {
    INFO(bad);
    warnings.clear();
    c = context_of(bad, warnings);
    CHECK(warnings.size() == 1);
    CHECK(c.trace_id.empty());
    CHECK(c.trace_state.empty()); // tracestate means nothing without its traceparent
  }
}

TEST_CASE("the protobuf writer: varints, lengths inserted when a message closes, fixed64",
          "[otlp]") {
  std::string out;
  OtlpProtobufWriter w(out);
  w.begin_message({"", 1});
  w.string({"", 1}, "ab");
  w.enum_value({"", 6}, 2);
  w.end_message();
  CHECK(hex(out) == "0a060a0261623002");
  out.clear();
  w.begin_list({"", 2});
  w.begin_item();
  w.string({"", 1}, std::string(200, 'x'));
  w.end_item();
  w.end_list();
  // 203 bytes of content: a two-byte length (cb 01), the string's own 200 (c8 01).
  CHECK(hex(out.substr(0, 7)) == "12cb010ac80178");
  CHECK(out.size() == 3 + 203);
  out.clear();
  w.fixed64({"", 7}, 1);
  w.double_value({"", 4}, 1.0);
  w.int64({"", 3}, -1);
  w.hex_bytes({"", 2}, "00ff");
  CHECK(hex(out) == "390100000000000000"
                    "21000000000000f03f"
                    "18ffffffffffffffffff01"
                    "120200ff");
}
