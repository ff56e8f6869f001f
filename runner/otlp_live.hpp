#pragma once
// Live OpenTelemetry export of `ciperf run`, configured by the standard OTEL_* variables: the
// run's spans to <endpoint>/v1/traces and its phase durations to <endpoint>/v1/metrics, once,
// at the end of the run; W3C trace context for the phases (TRACEPARENT) and from ciperf's own
// environment. Nothing here fails a run: a bad variable or a dead collector is a warning.
#include "common/duration.hpp"
#include "exec/phase_env.hpp"
#include "model/run_record.hpp"
#include "reports/otlp_request.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct OtlpSignal {
  std::string url;
  std::vector<std::string> headers; // "Name: value", Content-Type included
  OtlpEncoding encoding = OtlpEncoding::Protobuf;
  Duration timeout = std::chrono::seconds(10);
};

struct OtlpSettings {
  std::optional<OtlpSignal> traces, metrics;
  OtlpContext context; // trace id and parent from an incoming TRACEPARENT, the resource
};

// nullopt when no endpoint is set (then ciperf makes no connection at all) or the SDK is
// disabled; each problem with a variable adds a warning (never a header's value).
std::optional<OtlpSettings> otlp_settings(const EnvMap& env, std::vector<std::string>& warnings);

// The values of OTEL_EXPORTER_OTLP_*HEADERS, whole and each header's value of 4 bytes or more,
// and the user:password@ of the endpoints, for the redactor: a phase that prints its
// environment must not show the collector's token.
std::vector<std::string> otlp_header_secrets(const EnvMap& env);

// "00-<trace id>-<span id>-01".
std::string traceparent(const std::string& trace_id, const std::string& span_id);

// Sends the run's requests, at most the timeout in all; the one warning line when a collector
// was down, slow or answered an error.
std::optional<std::string> export_run(const RunRecord& run, const OtlpSettings& settings);

} // namespace ciperf
