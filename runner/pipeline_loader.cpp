#include "runner/pipeline_loader.hpp"

#include "common/closest_match.hpp"

#include <array>
#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::string_view, 9> kTopKeys = {
    "version", "pipeline", "workdir", "env", "secrets", "defaults", "cold", "phases", "expect"};
constexpr std::array<std::string_view, 11> kPhaseKeys = {
    "name",       "kind",   "tier",    "run", "timeout", "budget",
    "background", "always", "workdir", "env", "grace"};
constexpr std::array<std::string_view, 2> kDefaultsKeys = {"timeout", "grace"};
constexpr std::array<std::string_view, 1> kColdKeys = {"prepare"};
constexpr std::array<std::string_view, 1> kExpectKeys = {"deploys"};
constexpr std::array<std::string_view, 6> kKinds = {"deploy", "wait",     "build",
                                                    "test",   "teardown", "other"};

// Collects problems with their positions so that one `ciperf check` reports all of them.
class Checker {
public:
  explicit Checker(std::string file) : file_(std::move(file)) {}

  void problem(const YAML::Mark& mark, const std::string& message) {
    problems_.push_back(
        fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message));
  }
  bool ok() const { return problems_.empty(); }
  std::vector<std::string> take() { return std::move(problems_); }

  // Flags unknown and duplicate keys; `where` says whose keys these are ("in phase 'deploy'").
  template <size_t N>
  void keys(const YAML::Node& map, const std::array<std::string_view, N>& allowed,
            const std::string& where) {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      auto key = entry.first.Scalar();
      if (!seen.insert(key).second)
        problem(entry.first.Mark(), fmt::format("duplicate key '{}' {}", key, where));
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
        continue;
      if (key == "wait") {
        problem(entry.first.Mark(),
                fmt::format("key 'wait' {} is not supported yet: readiness probes arrive with "
                            "the probes issue; use a shell retry loop in 'run' for now",
                            where));
        continue;
      }
      std::string message =
          fmt::format("unknown key '{}' {} (line {})", key, where, entry.first.Mark().line + 1);
      if (auto guess = closest_match(key, allowed))
        message += fmt::format("; did you mean '{}'?", *guess);
      problem(entry.first.Mark(), message);
    }
  }

private:
  std::string file_;
  std::vector<std::string> problems_;
};

const char* type_name(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map:
    return "a mapping";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Null:
    return "empty";
  default:
    return "a scalar";
  }
}

class Loader {
public:
  explicit Loader(const fs::path& file) : file_(fs::absolute(file)), check_(file.string()) {}

  Pipeline load() {
    YAML::Node root = parse();
    if (!root.IsMap()) {
      check_.problem(root.Mark(),
                     fmt::format("the pipeline must be a mapping, found {}", type_name(root)));
      throw PipelineError(check_.take());
    }
    check_.keys(root, kTopKeys, "at the top level");
    Pipeline p;
    p.file = file_;
    read_header(root, p);
    read_defaults(root["defaults"]);
    read_cold(root["cold"], p);
    read_expect(root["expect"], p);
    read_phases(root, p);
    p.default_timeout = default_timeout_;
    p.default_grace = default_grace_;
    if (!check_.ok())
      throw PipelineError(check_.take());
    return p;
  }

private:
  YAML::Node parse() {
    try {
      return YAML::LoadFile(file_.string());
    } catch (const YAML::BadFile&) {
      throw PipelineError({fmt::format("{}: cannot read the pipeline file", file_.string())});
    } catch (const YAML::ParserException& e) {
      check_.problem(e.mark, "malformed YAML: " + e.msg);
      throw PipelineError(check_.take());
    }
  }

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar()) {
      check_.problem(node.Mark(),
                     fmt::format("{} must be a scalar, found {}", what, type_name(node)));
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<std::string> nonempty(const YAML::Node& node, const std::string& what) {
    auto value = scalar(node, what);
    if (value && value->empty()) {
      check_.problem(node.Mark(), what + " must not be empty");
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const YAML::Node& node, const std::string& what) {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      check_.problem(node.Mark(), what + " must be true or false");
      return std::nullopt;
    }
    return value;
  }

  std::optional<Duration> duration(const YAML::Node& node, const std::string& what) {
    auto text = scalar(node, what);
    if (!text)
      return std::nullopt;
    auto d = parse_duration(*text);
    if (!d) {
      check_.problem(node.Mark(), fmt::format("{}: '{}' is not a duration (use 250ms, 2s, 5m "
                                              "or 1h; negative values are not allowed)",
                                              what, *text));
      return std::nullopt;
    }
    if (d->count() == 0 && what.find("budget") == std::string::npos) {
      check_.problem(node.Mark(), what + " must be greater than zero");
      return std::nullopt;
    }
    return d;
  }

  std::map<std::string, std::string> env(const YAML::Node& node, const std::string& what) {
    std::map<std::string, std::string> out;
    if (!node.IsMap()) {
      check_.problem(node.Mark(), fmt::format("{} must be a mapping of NAME: value, found {}", what,
                                              type_name(node)));
      return out;
    }
    for (const auto& entry : node) {
      auto value =
          scalar(entry.second, fmt::format("{} value of '{}'", what, entry.first.Scalar()));
      if (value)
        out[entry.first.Scalar()] = *value;
    }
    return out;
  }

  fs::path directory(const YAML::Node& node, const fs::path& base, const std::string& what) {
    auto text = nonempty(node, what);
    if (!text)
      return base;
    fs::path dir = (base / *text).lexically_normal();
    return dir.has_filename() ? dir : dir.parent_path(); // `..` normalises to "x/"
  }

  std::optional<Command> command(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar()) {
      if (node.Scalar().empty()) {
        check_.problem(node.Mark(), what + " must not be empty");
        return std::nullopt;
      }
      return Command{true, node.Scalar(), {}};
    }
    if (node.IsSequence() && node.size() > 0) {
      Command c{false, {}, {}};
      for (const auto& arg : node) {
        auto value = scalar(arg, what + " argument");
        if (!value)
          return std::nullopt;
        c.argv.push_back(*value);
      }
      if (c.argv[0].empty()) {
        check_.problem(node.Mark(), what + ": the command (first element) must not be empty");
        return std::nullopt;
      }
      return c;
    }
    check_.problem(node.Mark(), fmt::format("{} must be a command string or a non-empty list of "
                                            "arguments, found {}",
                                            what, type_name(node)));
    return std::nullopt;
  }

  void read_header(const YAML::Node& root, Pipeline& p) {
    if (!root["version"]) {
      check_.problem(root.Mark(), "missing key 'version' (this ciperf reads version: 1)");
    } else if (auto v = scalar(root["version"], "version"); v && *v != "1") {
      check_.problem(root["version"].Mark(),
                     fmt::format("unsupported version '{}' (this ciperf reads version: 1)", *v));
    }
    p.name = file_.stem().string();
    if (root["pipeline"])
      if (auto name = nonempty(root["pipeline"], "pipeline"))
        p.name = *name;
    p.workdir = file_.parent_path();
    if (root["workdir"])
      p.workdir = directory(root["workdir"], p.workdir, "workdir");
    if (root["env"])
      p.env = env(root["env"], "env");
    if (root["secrets"])
      read_secrets(root["secrets"], p);
  }

  void read_secrets(const YAML::Node& node, Pipeline& p) {
    if (!node.IsSequence()) {
      check_.problem(node.Mark(), fmt::format("secrets must be a list of variable names, found {}",
                                              type_name(node)));
      return;
    }
    for (const auto& item : node)
      if (auto name = nonempty(item, "a secret's variable name"))
        p.secrets.push_back(*name);
  }

  void read_defaults(const YAML::Node& node) {
    if (!node)
      return;
    if (!node.IsMap()) {
      check_.problem(node.Mark(), "defaults must be a mapping");
      return;
    }
    check_.keys(node, kDefaultsKeys, "in defaults");
    if (node["timeout"])
      if (auto d = duration(node["timeout"], "defaults.timeout"))
        default_timeout_ = *d;
    if (node["grace"])
      if (auto d = duration(node["grace"], "defaults.grace"))
        default_grace_ = *d;
  }

  void read_cold(const YAML::Node& node, Pipeline& p) {
    if (!node)
      return;
    if (!node.IsMap()) {
      check_.problem(node.Mark(), "cold must be a mapping with a 'prepare' command");
      return;
    }
    check_.keys(node, kColdKeys, "in cold");
    if (node["prepare"])
      p.cold_prepare = command(node["prepare"], "cold.prepare");
  }

  void read_expect(const YAML::Node& node, Pipeline& p) {
    if (!node)
      return;
    if (!node.IsMap()) {
      check_.problem(node.Mark(), "expect must be a mapping");
      return;
    }
    check_.keys(node, kExpectKeys, "in expect");
    if (!node["deploys"])
      return;
    int n = -1;
    if (!node["deploys"].IsScalar() || !YAML::convert<int>::decode(node["deploys"], n) || n < 0)
      check_.problem(node["deploys"].Mark(), "expect.deploys must be a whole number, 0 or more");
    else
      p.expected_deploys = n;
  }

  void read_phases(const YAML::Node& root, Pipeline& p) {
    const YAML::Node& list = root["phases"];
    if (!list) {
      check_.problem(root.Mark(), "missing key 'phases': a pipeline needs at least one phase");
      return;
    }
    if (!list.IsSequence() || list.size() == 0) {
      check_.problem(list.Mark(),
                     fmt::format("phases must be a non-empty list, found {}",
                                 list.IsSequence() ? "an empty list" : type_name(list)));
      return;
    }
    std::set<std::string> names;
    for (const auto& node : list) {
      auto phase = read_phase(node, p);
      if (!phase)
        continue;
      if (!names.insert(phase->name).second)
        check_.problem(node["name"].Mark(),
                       fmt::format("duplicate phase name '{}': names must be unique", phase->name));
      p.phases.push_back(std::move(*phase));
    }
  }

  std::optional<PhaseSpec> read_phase(const YAML::Node& node, const Pipeline& p) {
    if (!node.IsMap()) {
      check_.problem(node.Mark(),
                     fmt::format("a phase must be a mapping, found {}", type_name(node)));
      return std::nullopt;
    }
    PhaseSpec phase;
    phase.line = node.Mark().line + 1;
    std::string where = fmt::format("in the phase at line {}", phase.line);
    if (!node["name"])
      check_.problem(node.Mark(), "missing key 'name' " + where);
    else if (auto name = nonempty(node["name"], "name"))
      phase.name = *name;
    if (!phase.name.empty())
      where = fmt::format("in phase '{}'", phase.name);
    check_.keys(node, kPhaseKeys, where);
    read_phase_fields(node, p, where, phase);
    return phase;
  }

  void read_phase_fields(const YAML::Node& node, const Pipeline& p, const std::string& where,
                         PhaseSpec& phase) {
    if (node["kind"])
      if (auto kind = scalar(node["kind"], "kind")) {
        if (std::find(kKinds.begin(), kKinds.end(), *kind) == kKinds.end()) {
          std::string message = fmt::format("unknown kind '{}' {} (one of deploy, wait, build, "
                                            "test, teardown, other)",
                                            *kind, where);
          if (auto guess = closest_match(*kind, kKinds))
            message += fmt::format("; did you mean '{}'?", *guess);
          check_.problem(node["kind"].Mark(), message);
        } else {
          phase.kind = *kind;
        }
      }
    if (node["tier"])
      if (auto tier = scalar(node["tier"], "tier"))
        phase.tier = *tier;
    if (!node["run"])
      check_.problem(node.Mark(), "missing key 'run' " + where);
    else if (auto run = command(node["run"], "run " + where))
      phase.run = *run;
    phase.timeout = default_timeout_;
    phase.grace = default_grace_;
    if (node["timeout"])
      phase.timeout = duration(node["timeout"], "timeout " + where).value_or(default_timeout_);
    if (node["grace"])
      phase.grace = duration(node["grace"], "grace " + where).value_or(default_grace_);
    if (node["budget"])
      phase.budget = duration(node["budget"], "budget " + where);
    if (node["background"])
      phase.background = boolean(node["background"], "background " + where).value_or(false);
    if (node["always"])
      phase.always = boolean(node["always"], "always " + where).value_or(false);
    phase.workdir = p.workdir;
    if (node["workdir"])
      phase.workdir = directory(node["workdir"], p.workdir, "workdir " + where);
    if (node["env"])
      phase.env = env(node["env"], "env " + where);
  }

  fs::path file_;
  Checker check_;
  Duration default_timeout_ = kDefaultPhaseTimeout;
  Duration default_grace_ = kDefaultGrace;
};

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines)
    out += (out.empty() ? "" : "\n") + line;
  return out;
}

} // namespace

PipelineError::PipelineError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Pipeline load_pipeline(const fs::path& file) {
  return Loader(file).load();
}

} // namespace ciperf
