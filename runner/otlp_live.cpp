#include "runner/otlp_live.hpp"

#include "common/text_escape.hpp"
#include "probes/http_client.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace ciperf {
namespace {

const std::string* get(const EnvMap& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? nullptr : &it->second;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s[i] == '%' && i + 3 <= s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16).ptr == s.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// `key=value,key=value` (the W3C Baggage form the OTEL_* list variables use), values
// percent-decoded. A malformed entry is reported by its position only: it may hold a secret.
std::vector<std::pair<std::string, std::string>> parse_pairs(const std::string& text,
                                                             const std::string& variable,
                                                             std::vector<std::string>& warnings) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t position = 0;
  int entry = 0;
  while (position <= text.size()) {
    size_t comma = std::min(text.find(',', position), text.size());
    std::string_view item(text.data() + position, comma - position);
    ++entry;
    size_t eq = item.find('=');
    std::string key = eq == std::string_view::npos ? "" : trim(item.substr(0, eq));
    if (!trim(item).empty()) {
      if (key.empty())
        warnings.push_back(
            fmt::format("otlp: {}: entry {} is not key=value; skipped", variable, entry));
      else
        pairs.emplace_back(key, percent_decode(trim(item.substr(eq + 1))));
    }
    position = comma + 1;
  }
  return pairs;
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// W3C Trace Context: version "00" is exactly 55 characters; later versions may append fields.
std::optional<std::string> parse_traceparent(const std::string& text, OtlpContext& context) {
  if (text.size() < 55 || text[2] != '-' || text[35] != '-' || text[52] != '-')
    return "not version-traceid-parentid-flags";
  std::string_view version(text.data(), 2), trace(text.data() + 3, 32),
      parent(text.data() + 36, 16), flags(text.data() + 53, 2);
  if (!all_hex(version) || version == "ff" || !all_hex(trace) || !all_hex(parent) ||
      !all_hex(flags))
    return "not lowercase hex fields";
  if (version == "00" && text.size() != 55)
    return "version 00 has four fields";
  if (version != "00" && text.size() > 55 && text[55] != '-')
    return "not version-traceid-parentid-flags";
  if (trace == std::string(32, '0') || parent == std::string(16, '0'))
    return "an all-zero id";
  context.trace_id = std::string(trace);
  context.parent_span_id = std::string(parent);
  return std::nullopt;
}

// The signal-specific variable, else the general one.
const std::string* pick(const EnvMap& env, const std::string& signal, const std::string& suffix) {
  if (const std::string* own = get(env, "OTEL_EXPORTER_OTLP_" + signal + "_" + suffix))
    return own;
  return get(env, "OTEL_EXPORTER_OTLP_" + suffix);
}

std::string variable(const EnvMap& env, const std::string& signal, const std::string& suffix) {
  std::string own = "OTEL_EXPORTER_OTLP_" + signal + "_" + suffix;
  return get(env, own) ? own : "OTEL_EXPORTER_OTLP_" + suffix;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::optional<OtlpSignal> signal_settings(const EnvMap& env, const std::string& signal,
                                          const std::string& path, Pairs headers,
                                          std::vector<std::string>& warnings) {
  std::string lower = signal == "TRACES" ? "traces" : "metrics";
  if (const std::string* exporter = get(env, "OTEL_" + signal + "_EXPORTER"))
    if (*exporter == "none")
      return std::nullopt;
  OtlpSignal s;
  if (const std::string* own = get(env, "OTEL_EXPORTER_OTLP_" + signal + "_ENDPOINT")) {
    s.url = *own; // a signal's own endpoint is the full URL
  } else if (const std::string* base = get(env, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
    s.url = *base;
    while (!s.url.empty() && s.url.back() == '/')
      s.url.pop_back();
    s.url += path;
  } else {
    return std::nullopt;
  }
  if (s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0) {
    warnings.push_back(fmt::format("otlp: {} is not an http:// or https:// URL: no {} are sent",
                                   variable(env, signal, "ENDPOINT"), lower));
    return std::nullopt;
  }
  if (const std::string* protocol = pick(env, signal, "PROTOCOL")) {
    if (*protocol == "http/json") {
      s.encoding = OtlpEncoding::Json;
    } else if (*protocol != "http/protobuf") {
      warnings.push_back(fmt::format("otlp: {} is '{}': ciperf sends http/protobuf or http/json; "
                                     "no {} are sent",
                                     variable(env, signal, "PROTOCOL"), terminal_escape(*protocol),
                                     lower));
      return std::nullopt;
    }
  }
  if (const std::string* timeout = pick(env, signal, "TIMEOUT")) {
    long ms = -1;
    auto [end, ec] = std::from_chars(timeout->data(), timeout->data() + timeout->size(), ms);
    if (ec != std::errc() || end != timeout->data() + timeout->size() || ms <= 0 || ms > 600000)
      warnings.push_back(fmt::format("otlp: {} is '{}': not milliseconds from 1 to 600000; 10000 "
                                     "is used",
                                     variable(env, signal, "TIMEOUT"), terminal_escape(*timeout)));
    else
      s.timeout = std::chrono::milliseconds(ms);
  }
  s.headers.push_back(s.encoding == OtlpEncoding::Json ? "Content-Type: application/json"
                                                       : "Content-Type: application/x-protobuf");
  std::string own_name = "OTEL_EXPORTER_OTLP_" + signal + "_HEADERS";
  if (const std::string* own = get(env, own_name))
    for (auto& header : parse_pairs(*own, own_name, warnings)) { // the signal's own win
      std::erase_if(headers, [&](const auto& h) { return h.first == header.first; });
      headers.push_back(std::move(header));
    }
  for (const auto& [key, value] : headers) {
    bool clean =
        std::none_of(key.begin(), key.end(),
                     [](char c) { return c == ':' || c == '\r' || c == '\n' || c == ' '; }) &&
        value.find_first_of("\r\n") == std::string::npos;
    if (clean)
      s.headers.push_back(key + ": " + value);
    else
      warnings.push_back(fmt::format("otlp: a header of {} holds a colon, space or line break in "
                                     "its name or a line break in its value; skipped",
                                     terminal_escape(own_name)));
  }
  return s;
}

// scheme://host[:port]/path, without user:password@ or the query: what a warning may show.
std::string shown_url(const std::string& url) {
  size_t scheme = url.find("://");
  size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  size_t path = url.find_first_of("/?#", authority);
  std::string host =
      url.substr(authority, path == std::string::npos ? std::string::npos : path - authority);
  if (size_t at = host.rfind('@'); at != std::string::npos)
    host = host.substr(at + 1);
  std::string rest = path == std::string::npos ? "" : url.substr(path);
  rest = rest.substr(0, rest.find_first_of("?#"));
  return terminal_escape(url.substr(0, authority) + host + rest);
}

} // namespace

std::optional<OtlpSettings> otlp_settings(const EnvMap& env, std::vector<std::string>& warnings) {
  if (const std::string* disabled = get(env, "OTEL_SDK_DISABLED"))
    if (*disabled == "true")
      return std::nullopt;
  OtlpSettings settings;
  Pairs headers;
  if (const std::string* all = get(env, "OTEL_EXPORTER_OTLP_HEADERS"))
    headers = parse_pairs(*all, "OTEL_EXPORTER_OTLP_HEADERS", warnings);
  settings.traces = signal_settings(env, "TRACES", "/v1/traces", headers, warnings);
  settings.metrics = signal_settings(env, "METRICS", "/v1/metrics", headers, warnings);
  // A general variable's problem was found once per signal: say it once.
  std::vector<std::string> unique;
  for (auto& w : warnings)
    if (std::find(unique.begin(), unique.end(), w) == unique.end())
      unique.push_back(std::move(w));
  warnings = std::move(unique);
  if (!settings.traces && !settings.metrics)
    return std::nullopt;
  if (const std::string* attributes = get(env, "OTEL_RESOURCE_ATTRIBUTES"))
    settings.context.resource = parse_pairs(*attributes, "OTEL_RESOURCE_ATTRIBUTES", warnings);
  if (const std::string* service = get(env, "OTEL_SERVICE_NAME")) {
    std::erase_if(settings.context.resource,
                  [](const auto& a) { return a.first == "service.name"; });
    settings.context.resource.emplace_back("service.name", *service);
  }
  if (const std::string* incoming = get(env, "TRACEPARENT")) {
    if (auto problem = parse_traceparent(*incoming, settings.context))
      warnings.push_back(fmt::format("otlp: TRACEPARENT '{}' is ignored ({}): the run starts a "
                                     "trace of its own",
                                     terminal_escape(*incoming), *problem));
    else if (const std::string* state = get(env, "TRACESTATE"))
      settings.context.trace_state = *state;
  }
  return settings;
}

std::vector<std::string> otlp_header_secrets(const EnvMap& env) {
  std::vector<std::string> secrets;
  std::vector<std::string> ignored;
  for (const char* name : {"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
                           "OTEL_EXPORTER_OTLP_METRICS_HEADERS"})
    if (const std::string* value = get(env, name)) {
      secrets.push_back(*value);
      for (const auto& [key, header] : parse_pairs(*value, name, ignored))
        if (header.size() >= 4) // masking every "1" of a tenant id would ruin the logs
          secrets.push_back(header);
    }
  for (const char* name : {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                           "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"})
    if (const std::string* url = get(env, name)) { // http://user:password@host/
      size_t authority = url->find("://");
      authority = authority == std::string::npos ? 0 : authority + 3;
      size_t end = std::min(url->find_first_of("/?#", authority), url->size());
      size_t at = url->rfind('@', end);
      if (at != std::string::npos && at >= authority) {
        std::string userinfo = url->substr(authority, at - authority);
        secrets.push_back(userinfo);
        if (size_t colon = userinfo.find(':');
            colon != std::string::npos && userinfo.size() - colon - 1 >= 4)
          secrets.push_back(userinfo.substr(colon + 1));
      }
    }
  return secrets;
}

std::string traceparent(const std::string& trace_id, const std::string& span_id) {
  return "00-" + trace_id + "-" + span_id + "-01";
}

std::optional<std::string> export_run(const RunRecord& run, const OtlpSettings& settings) {
  std::vector<HttpPost> posts;
  std::vector<std::pair<std::string, const OtlpSignal*>> sent;
  if (settings.traces) {
    posts.push_back({settings.traces->url, settings.traces->headers,
                     otlp_trace_request(run, settings.context, settings.traces->encoding),
                     settings.traces->timeout});
    sent.emplace_back("traces", &*settings.traces);
  }
  if (settings.metrics) {
    posts.push_back({settings.metrics->url, settings.metrics->headers,
                     otlp_metrics_request(run, settings.context, settings.metrics->encoding),
                     settings.metrics->timeout});
    sent.emplace_back("metrics", &*settings.metrics);
  }
  std::vector<HttpPostResult> results = http_post_all(posts);
  std::vector<std::string> problems;
  for (size_t i = 0; i < results.size(); ++i) {
    const HttpPostResult& r = results[i];
    if (r.status >= 200 && r.status < 300)
      continue;
    std::string why = r.status > 0      ? "HTTP " + terminal_escape(r.status_line)
                      : r.error.empty() ? std::string("no answer")
                                        : terminal_escape(r.error);
    problems.push_back(
        fmt::format("{} to {}: {}", sent[i].first, shown_url(sent[i].second->url), why));
  }
  if (problems.empty())
    return std::nullopt;
  std::string line = "otlp: export failed (";
  for (size_t i = 0; i < problems.size(); ++i)
    line += (i ? "; " : "") + problems[i];
  return line + "); the run and its exit code are unaffected, nothing is retried";
}

} // namespace ciperf
