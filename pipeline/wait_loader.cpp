#include "pipeline/wait_loader.hpp"

#include "common/errors.hpp"
#include "probes/target_parser.hpp"

#include <array>
#include <fmt/format.h>

namespace ciperf {
namespace {

constexpr std::array<std::string_view, 10> kWaitKeys = {
    "all",     "any",       "fail_if", "interval",     "attempt_timeout",
    "timeout", "successes", "backoff", "max_interval", "connect_interval"};
constexpr std::array<std::string_view, 13> kTargetKeys = {
    "http",    "tcp",    "exec",     "log",     "swarm",     "status", "body",
    "headers", "method", "insecure", "ca_file", "redirects", "match"};
constexpr std::array<std::string_view, 5> kKindKeys = {"http", "tcp", "exec", "log", "swarm"};

class WaitReader {
public:
  WaitReader(YamlReader& yaml, std::string where) : yaml_(yaml), where_(std::move(where)) {}

  std::optional<WaitSpec> read(const YAML::Node& node) {
    if (!node.IsMap()) {
      yaml_.problem(node.Mark(), "wait " + where_ + " must be a mapping with 'all' or 'any'");
      return std::nullopt;
    }
    yaml_.keys(node, kWaitKeys, "in the wait block " + where_);
    WaitSpec spec;
    if (node["all"] && node["any"])
      yaml_.problem(node["any"].Mark(), "wait " + where_ + " has both 'all' and 'any'");
    else if (node["any"])
      spec.any = true, spec.targets = targets(node["any"], "any");
    else if (node["all"])
      spec.targets = targets(node["all"], "all");
    else
      yaml_.problem(node.Mark(), "wait " + where_ + " needs 'all' or 'any' with its targets");
    if (node["fail_if"])
      spec.fail_if = targets(node["fail_if"], "fail_if");
    read_policy(node, spec);
    return spec;
  }

private:
  void read_policy(const YAML::Node& node, WaitSpec& spec) {
    auto duration = [&](const char* key, auto apply) {
      if (node[key])
        if (auto d = yaml_.duration(node[key], fmt::format("wait.{} {}", key, where_)))
          apply(*d);
    };
    duration("interval", [&](Duration d) { spec.interval = d; });
    duration("attempt_timeout", [&](Duration d) { spec.attempt_timeout = d; });
    duration("timeout", [&](Duration d) { spec.timeout = d; });
    duration("max_interval", [&](Duration d) { spec.max_interval = d; });
    duration("connect_interval", [&](Duration d) { spec.connect_interval = d; });
    if (node["successes"])
      spec.successes = yaml_.integer(node["successes"], "wait.successes " + where_, 1).value_or(1);
    if (node["backoff"])
      spec.backoff = yaml_.number(node["backoff"], "wait.backoff " + where_, 1.0).value_or(1.0);
  }

  std::vector<ProbeTarget> targets(const YAML::Node& list, const std::string& key) {
    std::vector<ProbeTarget> out;
    if (!list.IsSequence() || list.size() == 0) {
      yaml_.problem(list.Mark(),
                    fmt::format("wait.{} {} must be a non-empty list of targets", key, where_));
      return out;
    }
    for (const auto& item : list)
      if (auto t = target(item))
        out.push_back(std::move(*t));
    return out;
  }

  // Parses now when the address has no $VARS; otherwise when the phase runs (wait_instance).
  std::optional<ProbeTarget> parse(const YAML::Node& at, const std::string& text, ProbeKind kind) {
    ProbeTarget t;
    t.kind = kind;
    t.text = text;
    try {
      if (text.find('$') == std::string::npos || kind == ProbeKind::Exec) {
        t = parse_target(text);
        if (t.kind != kind)
          throw UsageError(fmt::format("'{}' is not a {} target", text, to_string(kind)));
      }
    } catch (const UsageError& e) {
      yaml_.problem(at.Mark(), std::string(e.what()) + " " + where_);
      return std::nullopt;
    }
    return t;
  }

  std::optional<ProbeTarget> target(const YAML::Node& item) {
    if (item.IsScalar()) // shorthand: the `ciperf wait` form
      return parse(item, item.Scalar(), parse_kind(item.Scalar()));
    if (!item.IsMap()) {
      yaml_.problem(item.Mark(), "a wait target must be a mapping like {http: URL} or a string");
      return std::nullopt;
    }
    yaml_.keys(item, kTargetKeys, "in a wait target " + where_);
    std::string kind_key;
    for (auto k : kKindKeys)
      if (item[std::string(k)])
        kind_key = kind_key.empty() ? std::string(k) : "two";
    if (kind_key.empty() || kind_key == "two") {
      yaml_.problem(item.Mark(),
                    "a wait target needs exactly one of http, tcp, exec, log, swarm " + where_);
      return std::nullopt;
    }
    auto value = yaml_.nonempty(item[kind_key], kind_key);
    if (!value)
      return std::nullopt;
    std::optional<ProbeTarget> t = target_of(item, kind_key, *value);
    if (!t)
      return t;
    options(item, *t);
    try {
      validate_target(*t);
    } catch (const UsageError& e) {
      yaml_.problem(item.Mark(), e.what());
    }
    return t;
  }

  ProbeKind parse_kind(const std::string& text) {
    try {
      return parse_target(text).kind;
    } catch (const UsageError&) {
      return text.rfind("http", 0) == 0 ? ProbeKind::Http : ProbeKind::Tcp;
    }
  }

  std::optional<ProbeTarget> target_of(const YAML::Node& item, const std::string& kind,
                                       const std::string& value) {
    const YAML::Node& at = item[kind];
    if (kind == "http")
      return parse(at, value, ProbeKind::Http);
    if (kind == "tcp")
      return parse(at, value.rfind("tcp://", 0) == 0 ? value : "tcp://" + value, ProbeKind::Tcp);
    if (kind == "exec")
      return parse(at, "exec:" + value, ProbeKind::Exec);
    if (kind == "swarm")
      return parse(at, "swarm:" + value, ProbeKind::Swarm);
    if (!item["match"]) {
      yaml_.problem(item.Mark(), "a log target needs 'match': the regex a new line must match");
      return std::nullopt;
    }
    ProbeTarget t;
    t.kind = ProbeKind::Log;
    t.path = value;
    t.regex = yaml_.nonempty(item["match"], "match").value_or("");
    t.text = "log:" + t.path + ":" + t.regex;
    return t;
  }

  void options(const YAML::Node& item, ProbeTarget& t) {
    bool http = t.kind == ProbeKind::Http;
    for (const char* key :
         {"status", "body", "headers", "method", "insecure", "ca_file", "redirects"})
      if (item[key] && !http)
        yaml_.problem(item[key].Mark(), fmt::format("'{}' applies to http targets only", key));
    if (!http)
      return;
    if (item["status"])
      if (auto s = yaml_.scalar(item["status"], "status"))
        try {
          t.status = parse_status_ranges(*s);
        } catch (const UsageError& e) {
          yaml_.problem(item["status"].Mark(), e.what());
        }
    if (item["body"])
      t.body_regex = yaml_.scalar(item["body"], "body");
    if (item["method"])
      t.method = yaml_.scalar(item["method"], "method").value_or("GET");
    if (item["insecure"])
      t.insecure = yaml_.boolean(item["insecure"], "insecure").value_or(false);
    if (item["ca_file"])
      t.ca_file = yaml_.scalar(item["ca_file"], "ca_file").value_or("");
    if (item["redirects"])
      t.max_redirects = yaml_.integer(item["redirects"], "redirects", 0).value_or(5);
    if (item["headers"])
      for (const auto& [name, value] : yaml_.string_map(item["headers"], "headers"))
        t.headers.push_back(name + ": " + value);
  }

  YamlReader& yaml_;
  std::string where_;
};

} // namespace

std::optional<WaitSpec> read_wait_block(YamlReader& yaml, const YAML::Node& node,
                                        const std::string& where) {
  return WaitReader(yaml, where).read(node);
}

} // namespace ciperf
