#include "pipeline/pipeline_loader.hpp"

#include "common/closest_match.hpp"
#include "pipeline/phase_tags.hpp"
#include "pipeline/wait_loader.hpp"
#include "pipeline/yaml_reader.hpp"

#include <array>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <yaml-cpp/depthguard.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::string_view, 9> kTopKeys = {
    "version", "pipeline", "workdir", "env", "secrets", "defaults", "cold", "phases", "expect"};
constexpr std::array<std::string_view, 15> kPhaseKeys = {
    "name",    "kind", "tier",  "run",        "wait", "timeout", "budget", "always",
    "workdir", "env",  "grace", "background", "keep", "tags",    "junit"};
constexpr std::array<std::string_view, 2> kDefaultsKeys = {"timeout", "grace"};
constexpr std::array<std::string_view, 1> kColdKeys = {"prepare"};
constexpr std::array<std::string_view, 1> kExpectKeys = {"deploys"};
constexpr const auto& kKinds = EnumNames<PhaseKind>::names;
constexpr uintmax_t kMaxPipelineBytes = 4 << 20;

class Loader {
public:
  explicit Loader(const fs::path& file) : file_(fs::absolute(file)), yaml_(file.string()) {}

  Pipeline load() {
    YAML::Node root = parse();
    if (!root.IsMap()) {
      yaml_.problem(root.Mark(),
                    fmt::format("the pipeline must be a mapping, found {}", yaml_type_name(root)));
      throw PipelineError(yaml_.take());
    }
    yaml_.keys(root, kTopKeys, "at the top level");
    Pipeline p;
    p.file = file_;
    read_header(root, p);
    read_defaults(root["defaults"]);
    read_cold(root["cold"], p);
    read_expect(root["expect"], p);
    read_phases(root, p);
    p.default_timeout = default_timeout_;
    p.default_grace = default_grace_;
    if (!yaml_.ok())
      throw PipelineError(yaml_.take());
    return p;
  }

private:
  // A pipeline is a regular file of reasonable size: a directory, FIFO or /dev/zero is refused
  // with a sentence rather than a libstdc++ message or a read that never ends.
  std::string read_text() {
    auto refuse = [&](const std::string& why) {
      return PipelineError({fmt::format("{}: {}", file_.string(), why)});
    };
    std::error_code ec;
    auto status = fs::status(file_, ec);
    if (ec || !fs::exists(status))
      throw refuse("cannot read the pipeline file: it does not exist");
    if (fs::is_directory(status))
      throw refuse("is a directory, not a pipeline file");
    if (!fs::is_regular_file(status))
      throw refuse("is not a regular file (a FIFO or device?)");
    if (fs::file_size(file_, ec) > kMaxPipelineBytes)
      throw refuse(fmt::format("is larger than {} MiB: not a pipeline", kMaxPipelineBytes >> 20));
    std::ifstream in(file_, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof())
      throw refuse("cannot read the pipeline file");
    return text;
  }

  YAML::Node parse() {
    std::string text = read_text();
    try {
      return YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
      yaml_.problem(e.mark,
                    fmt::format("malformed YAML: nested more than {} levels deep", e.depth()));
      throw PipelineError(yaml_.take());
    } catch (const YAML::ParserException& e) {
      yaml_.problem(e.mark, "malformed YAML: " + e.msg);
      throw PipelineError(yaml_.take());
    }
  }

  fs::path directory(const YAML::Node& node, const fs::path& base, const std::string& what) {
    auto text = yaml_.nonempty(node, what);
    if (!text)
      return base;
    fs::path dir = (base / *text).lexically_normal();
    if (!dir.has_filename())
      dir = dir.parent_path(); // `..` normalises to "x/"
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) // refused by check too, not only when the phase starts
      yaml_.problem(node.Mark(), fmt::format("{} '{}' is not an existing directory ({})", what,
                                             *text, dir.string()));
    return dir;
  }

  std::optional<Command> command(const YAML::Node& node, const std::string& what) {
    if (node.IsScalar() && !node.Scalar().empty())
      return Command{true, node.Scalar(), {}};
    if (node.IsSequence() && node.size() > 0) {
      Command c{false, {}, {}};
      for (const auto& arg : node) {
        auto value = yaml_.scalar(arg, what + " argument");
        if (!value)
          return std::nullopt;
        c.argv.push_back(*value);
      }
      if (!c.argv[0].empty())
        return c;
    }
    yaml_.problem(node.Mark(),
                  fmt::format("{} must be a command string or a non-empty list of "
                              "arguments, found {}",
                              what, node.IsScalar() ? "an empty string" : yaml_type_name(node)));
    return std::nullopt;
  }

  void read_header(const YAML::Node& root, Pipeline& p) {
    if (!root["version"]) {
      yaml_.problem(root.Mark(), "missing key 'version' (this ciperf reads version: 1)");
    } else if (auto v = yaml_.scalar(root["version"], "version"); v && *v != "1") {
      yaml_.problem(root["version"].Mark(),
                    fmt::format("unsupported version '{}' (this ciperf reads version: 1)", *v));
    }
    p.name = file_.stem().string();
    if (root["pipeline"])
      if (auto name = yaml_.nonempty(root["pipeline"], "pipeline"))
        p.name = *name;
    p.workdir = file_.parent_path();
    if (root["workdir"])
      p.workdir = directory(root["workdir"], p.workdir, "workdir");
    if (root["env"])
      p.env = yaml_.string_map(root["env"], "env");
    if (root["secrets"])
      read_secrets(root["secrets"], p);
    has_secrets_ = !p.secrets.empty();
  }

  void read_secrets(const YAML::Node& node, Pipeline& p) {
    if (!node.IsSequence()) {
      yaml_.problem(node.Mark(), fmt::format("secrets must be a list of variable names, found {}",
                                             yaml_type_name(node)));
      return;
    }
    for (const auto& item : node)
      if (auto name = yaml_.nonempty(item, "a secret's variable name"))
        p.secrets.push_back(*name);
  }

  bool mapping(const YAML::Node& node, const std::string& what) {
    if (node.IsMap())
      return true;
    yaml_.problem(node.Mark(),
                  fmt::format("{} must be a mapping, found {}", what, yaml_type_name(node)));
    return false;
  }

  void read_defaults(const YAML::Node& node) {
    if (!node || !mapping(node, "defaults"))
      return;
    yaml_.keys(node, kDefaultsKeys, "in defaults");
    if (node["timeout"]) {
      default_timeout_ =
          yaml_.duration(node["timeout"], "defaults.timeout").value_or(default_timeout_);
      default_timeout_written_ = true;
    }
    if (node["grace"])
      default_grace_ = yaml_.duration(node["grace"], "defaults.grace").value_or(default_grace_);
  }

  void read_cold(const YAML::Node& node, Pipeline& p) {
    if (!node || !mapping(node, "cold"))
      return;
    yaml_.keys(node, kColdKeys, "in cold");
    if (node["prepare"])
      p.cold_prepare = command(node["prepare"], "cold.prepare");
  }

  void read_expect(const YAML::Node& node, Pipeline& p) {
    if (!node || !mapping(node, "expect"))
      return;
    yaml_.keys(node, kExpectKeys, "in expect");
    if (node["deploys"])
      p.expected_deploys = yaml_.integer(node["deploys"], "expect.deploys", 0);
  }

  void read_phases(const YAML::Node& root, Pipeline& p) {
    const YAML::Node& list = root["phases"];
    if (!list) {
      yaml_.problem(root.Mark(), "missing key 'phases': a pipeline needs at least one phase");
      return;
    }
    if (!list.IsSequence() || list.size() == 0) {
      yaml_.problem(list.Mark(),
                    fmt::format("phases must be a non-empty list, found {}",
                                list.IsSequence() ? "an empty list" : yaml_type_name(list)));
      return;
    }
    std::set<std::string> names;
    for (const auto& node : list) {
      auto phase = read_phase(node, p);
      if (!phase)
        continue;
      // A phase without a name was reported as such; it has no `name` node to point at.
      if (!phase->name.empty() && !names.insert(phase->name).second)
        yaml_.problem(node["name"].Mark(), fmt::format("duplicate phase name '{}': names must "
                                                       "be unique",
                                                       phase->name));
      p.phases.push_back(std::move(*phase));
    }
  }

  std::optional<PhaseSpec> read_phase(const YAML::Node& node, const Pipeline& p) {
    if (!node.IsMap()) {
      yaml_.problem(node.Mark(),
                    fmt::format("a phase must be a mapping, found {}", yaml_type_name(node)));
      return std::nullopt;
    }
    PhaseSpec phase;
    phase.line = node.Mark().line + 1;
    std::string where = fmt::format("in the phase at line {}", phase.line);
    if (!node["name"])
      yaml_.problem(node.Mark(), "missing key 'name' " + where);
    else if (auto name = yaml_.nonempty(node["name"], "name"))
      phase.name = *name;
    if (!phase.name.empty())
      where = fmt::format("in phase '{}'", phase.name);
    yaml_.keys(node, kPhaseKeys, where);
    read_kind(node, where, phase);
    read_action(node, where, phase);
    read_limits(node, where, phase);
    phase.workdir = p.workdir;
    if (node["workdir"])
      phase.workdir = directory(node["workdir"], p.workdir, "workdir " + where);
    if (node["env"])
      phase.env = yaml_.string_map(node["env"], "env " + where);
    if (node["tags"])
      read_tags(node["tags"], where, phase);
    if (node["junit"])
      read_junit(node["junit"], where, phase);
    if (!phase.tags.empty() &&
        (phase.kind == PhaseKind::Deploy || phase.kind == PhaseKind::Teardown))
      yaml_.problem(node["tags"].Mark(),
                    fmt::format("a {} phase cannot be opt-in ({}): every run deploys and tears "
                                "down once, whatever tags are selected",
                                to_string(phase.kind), where));
    return phase;
  }

  // One value or a non-empty list of them, as the items to read; nullopt for anything else.
  static std::optional<std::vector<YAML::Node>> scalar_or_list(const YAML::Node& node) {
    std::vector<YAML::Node> items;
    if (node.IsScalar())
      items.push_back(node);
    else if (node.IsSequence() && node.size() > 0)
      for (const auto& item : node)
        items.push_back(item);
    else
      return std::nullopt;
    return items;
  }

  // `junit: build/*.xml` or `junit: [a.xml, "reports/*.xml"]`: what the phase's test runner
  // writes. A wait phase runs no test runner.
  void read_junit(const YAML::Node& node, const std::string& where, PhaseSpec& phase) {
    if (phase.wait) {
      yaml_.problem(node.Mark(), "a wait phase runs no tests to read 'junit' from " + where);
      return;
    }
    auto items = scalar_or_list(node);
    if (!items) {
      yaml_.problem(node.Mark(), fmt::format("junit {} must be a path (globs allowed) or a list "
                                             "of paths, found {}",
                                             where, yaml_type_name(node)));
      return;
    }
    for (const auto& item : *items)
      if (auto path = yaml_.nonempty(item, "junit " + where)) {
        if (path->find('\0') != std::string::npos || path->size() > 4096)
          yaml_.problem(item.Mark(), fmt::format("junit {} is not a usable path", where));
        else
          phase.junit.push_back(*path);
      }
  }

  // `tags: [extra, slow]` or `tags: extra`.
  void read_tags(const YAML::Node& node, const std::string& where, PhaseSpec& phase) {
    auto items = scalar_or_list(node);
    if (!items) {
      yaml_.problem(node.Mark(), fmt::format("tags {} must be a tag or a list of tags, found {}",
                                             where, yaml_type_name(node)));
      return;
    }
    for (const auto& item : *items)
      if (auto tag = yaml_.scalar(item, "tags " + where)) {
        if (valid_tag(*tag))
          phase.tags.push_back(*tag);
        else
          yaml_.problem(item.Mark(), fmt::format("'{}' {} is not a tag (1 to 64 letters, digits, "
                                                 "'_', '.' or '-')",
                                                 *tag, where));
      }
  }

  void read_kind(const YAML::Node& node, const std::string& where, PhaseSpec& phase) {
    if (node["wait"])
      phase.kind = PhaseKind::Wait;
    if (node["kind"])
      if (auto kind = yaml_.scalar(node["kind"], "kind")) {
        if (auto parsed = parse_enum<PhaseKind>(*kind)) {
          phase.kind = *parsed;
        } else {
          std::string message = fmt::format("unknown kind '{}' {} (one of deploy, wait, build, "
                                            "test, teardown, other)",
                                            *kind, where);
          if (auto guess = closest_match(*kind, kKinds))
            message += fmt::format("; did you mean '{}'?", *guess);
          yaml_.problem(node["kind"].Mark(), message);
        }
      }
    if (node["tier"])
      phase.tier = yaml_.scalar(node["tier"], "tier").value_or("");
  }

  // A phase either runs a command or waits for readiness.
  void read_action(const YAML::Node& node, const std::string& where, PhaseSpec& phase) {
    if (node["run"] && node["wait"])
      yaml_.problem(node["wait"].Mark(), "a phase has either 'run' or 'wait', not both " + where);
    else if (node["wait"])
      phase.wait = read_wait_block(yaml_, node["wait"], where);
    else if (!node["run"])
      yaml_.problem(node.Mark(), "missing key 'run' (or 'wait') " + where);
    else if (auto run = command(node["run"], "run " + where))
      phase.run = *run;
    if (phase.wait && node["background"])
      yaml_.problem(node["background"].Mark(), "a wait phase cannot run in the background");
    if (phase.wait && node["keep"])
      yaml_.problem(node["keep"].Mark(), "a wait phase leaves nothing running to keep");
  }

  void read_limits(const YAML::Node& node, const std::string& where, PhaseSpec& phase) {
    phase.timeout = default_timeout_;
    phase.grace = default_grace_;
    if (node["timeout"])
      phase.timeout =
          yaml_.duration(node["timeout"], "timeout " + where).value_or(default_timeout_);
    if (node["grace"])
      phase.grace = yaml_.duration(node["grace"], "grace " + where).value_or(default_grace_);
    if (node["budget"])
      phase.budget = yaml_.duration(node["budget"], "budget " + where, true);
    if (node["background"])
      phase.background = yaml_.boolean(node["background"], "background " + where).value_or(false);
    if (node["always"])
      phase.always = yaml_.boolean(node["always"], "always " + where).value_or(false);
    if (node["keep"])
      phase.keep = yaml_.boolean(node["keep"], "keep " + where).value_or(false);
    if (phase.keep && has_secrets_) // its output goes straight to its log, past the redactor
      yaml_.problem(node["keep"].Mark(),
                    "a kept service writes its own log, where ciperf cannot "
                    "mask secrets: keep is refused in a pipeline with secrets");
    if (phase.wait)
      bound_wait(node, phase);
  }

  // One deadline rule for a wait phase: the smallest of the timeouts the user wrote (the wait's
  // own, the phase's, defaults.timeout) applies; the wait's 2 minutes only when none was written.
  void bound_wait(const YAML::Node& node, PhaseSpec& phase) {
    bool phase_bound = node["timeout"] || default_timeout_written_;
    if (!node["wait"]["timeout"] && phase_bound)
      phase.wait->timeout = phase.timeout;
    else if (phase_bound)
      phase.wait->timeout = std::min(phase.wait->timeout, phase.timeout);
    phase.timeout = phase.wait->timeout; // the deadline the record shows is the one enforced
  }

  fs::path file_;
  YamlReader yaml_;
  Duration default_timeout_ = kDefaultPhaseTimeout;
  bool default_timeout_written_ = false;
  bool has_secrets_ = false;
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
