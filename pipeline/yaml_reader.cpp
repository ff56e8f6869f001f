#include "pipeline/yaml_reader.hpp"

#include "common/closest_match.hpp"

#include <cmath>
#include <fmt/format.h>
#include <set>

namespace ciperf {

const char* yaml_type_name(const YAML::Node& node) {
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

void YamlReader::problem(const YAML::Mark& mark, const std::string& message) {
  problems_.push_back(fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message));
}

void YamlReader::keys(const YAML::Node& map, std::span<const std::string_view> allowed,
                      const std::string& where) {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    auto key = entry.first.Scalar();
    if (!seen.insert(key).second)
      problem(entry.first.Mark(), fmt::format("duplicate key '{}' {}", key, where));
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
      continue;
    std::string message =
        fmt::format("unknown key '{}' {} (line {})", key, where, entry.first.Mark().line + 1);
    if (auto guess = closest_match(key, allowed))
      message += fmt::format("; did you mean '{}'?", *guess);
    problem(entry.first.Mark(), message);
  }
}

std::optional<std::string> YamlReader::scalar(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    problem(node.Mark(), fmt::format("{} must be a scalar, found {}", what, yaml_type_name(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> YamlReader::nonempty(const YAML::Node& node, const std::string& what) {
  auto value = scalar(node, what);
  if (value && value->empty()) {
    problem(node.Mark(), what + " must not be empty");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& what) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    problem(node.Mark(), what + " must be true or false");
    return std::nullopt;
  }
  return value;
}

std::optional<int> YamlReader::integer(const YAML::Node& node, const std::string& what,
                                       int minimum) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value) || value < minimum) {
    problem(node.Mark(), fmt::format("{} must be a whole number, {} or more", what, minimum));
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::number(const YAML::Node& node, const std::string& what,
                                         double minimum) {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value) ||
      value < minimum) { // .nan and .inf are YAML numbers too
    problem(node.Mark(), fmt::format("{} must be a finite number, {} or more", what, minimum));
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> YamlReader::duration(const YAML::Node& node, const std::string& what,
                                             bool allow_zero) {
  auto text = scalar(node, what);
  if (!text)
    return std::nullopt;
  auto d = parse_duration(*text);
  if (!d) {
    problem(node.Mark(), fmt::format("{}: '{}' is not a duration (use 250ms, 2s, 5m or 1h; "
                                     "negative values are not allowed)",
                                     what, *text));
    return std::nullopt;
  }
  if (d->count() == 0 && !allow_zero) {
    problem(node.Mark(), what + " must be greater than zero");
    return std::nullopt;
  }
  return d;
}

std::map<std::string, std::string> YamlReader::string_map(const YAML::Node& node,
                                                          const std::string& what) {
  std::map<std::string, std::string> out;
  if (!node.IsMap()) {
    problem(node.Mark(), fmt::format("{} must be a mapping of NAME: value, found {}", what,
                                     yaml_type_name(node)));
    return out;
  }
  for (const auto& entry : node)
    if (auto value =
            scalar(entry.second, fmt::format("{} value of '{}'", what, entry.first.Scalar())))
      out[entry.first.Scalar()] = *value;
  return out;
}

} // namespace ciperf
