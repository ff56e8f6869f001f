#pragma once
// Typed reads of a JSON object's fields, with errors that say where: "results.json:
// phases[3].wall_s: expected a number, got a string".
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ciperf {

class JsonFields {
public:
  JsonFields(const nlohmann::json& object, std::string file, std::string where);

  std::string text(const char* key, const std::string& fallback = {}) const;
  std::string required_text(const char* key) const;
  double number(const char* key, double fallback = 0) const;
  // A duration or offset: at least 0 and at most kMaxSeconds, so that any later conversion to
  // integer nanoseconds stays in range.
  double seconds(const char* key) const;
  std::optional<double> optional_seconds(const char* key) const;
  static constexpr double kMaxSeconds = 1e7; // about 116 days
  std::optional<double> optional_number(const char* key) const;
  int64_t integer(const char* key, int64_t fallback = 0) const;
  std::optional<int> optional_int(const char* key) const;
  bool boolean(const char* key, bool fallback = false) const;
  const nlohmann::json* object(const char* key) const; // nullptr when absent or null
  const nlohmann::json* array(const char* key) const;
  [[noreturn]] void fail(const char* key, const std::string& problem) const;

private:
  const nlohmann::json* find(const char* key) const;
  const nlohmann::json& object_;
  std::string file_, where_;
};

} // namespace ciperf
