#pragma once
// Reading a YAML document with every problem collected as `file:line:column: message`, so that
// one `ciperf check` reports all of them. Typed accessors report what they expected and return
// nullopt; unknown keys get the closest valid key as a suggestion.
#include "common/duration.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace ciperf {

class YamlReader {
public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  void problem(const YAML::Mark& mark, const std::string& message);
  bool ok() const { return problems_.empty(); }
  std::vector<std::string> take() { return std::move(problems_); }

  // Flags unknown and duplicate keys; `where` says whose keys these are ("in phase 'deploy'").
  void keys(const YAML::Node& map, std::span<const std::string_view> allowed,
            const std::string& where);

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& what);
  std::optional<std::string> nonempty(const YAML::Node& node, const std::string& what);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& what);
  std::optional<int> integer(const YAML::Node& node, const std::string& what, int minimum);
  std::optional<double> number(const YAML::Node& node, const std::string& what, double minimum);
  // A duration; zero is allowed only when `allow_zero`.
  std::optional<Duration> duration(const YAML::Node& node, const std::string& what,
                                   bool allow_zero = false);
  std::map<std::string, std::string> string_map(const YAML::Node& node, const std::string& what);

private:
  std::string file_;
  std::vector<std::string> problems_;
};

const char* yaml_type_name(const YAML::Node& node);

} // namespace ciperf
