#pragma once
// A run as OTLP requests: the ExportTraceServiceRequest of `report --format otlp` (a SERVER span
// for the run, an INTERNAL child per phase, the cicd.* attributes) and an
// ExportMetricsServiceRequest of the phases' durations, in OTLP/JSON or OTLP/protobuf. `ciperf
// run` sends them live (runner/otlp_live.hpp).
#include "model/run_record.hpp"

#include <string>
#include <utility>
#include <vector>

namespace ciperf {

enum class OtlpEncoding { Json, Protobuf };

// Where the run's spans sit in a trace. Empty fields: the run is a root span in a trace whose id
// is derived from the run id (what `report --format otlp` writes).
struct OtlpContext {
  std::string trace_id;       // 32 lowercase hex digits (an incoming TRACEPARENT's)
  std::string parent_span_id; // 16 hex digits: the run span's parent
  std::string trace_state;    // W3C tracestate, carried on every span
  // Resource attributes beside service.name (default "ciperf") and host.name (default the
  // run's host); a service.name or host.name here replaces the default.
  std::vector<std::pair<std::string, std::string>> resource;
};

// Ids derived from the run id, so exporting a run twice gives the same trace; never zero.
std::string otlp_trace_id(const std::string& run_id);
std::string otlp_span_id(const std::string& run_id, int phase_index); // -1: the run span

std::string otlp_trace_request(const RunRecord& run, const OtlpContext& context,
                               OtlpEncoding encoding);
// Gauges ciperf.phase.duration (one point per phase that ran) and ciperf.run.duration, in s.
std::string otlp_metrics_request(const RunRecord& run, const OtlpContext& context,
                                 OtlpEncoding encoding);

} // namespace ciperf
