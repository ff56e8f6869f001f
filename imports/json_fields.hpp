#pragma once
// Typed reads of a JSON object's fields, with errors that say where: "results.json:
// phases[3].wall_s: expected a number, got a string".
#include "model/fields.hpp"

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
  bool boolean(const char* key, bool fallback = false) const;
  const nlohmann::json* object(const char* key) const; // nullptr when absent or null
  const nlohmann::json* array(const char* key) const;
  [[noreturn]] void fail(const char* key, const std::string& problem) const;

  // The record's fields that sit flat in the object (model/fields.hpp), each read and checked
  // by its type: text, a number of seconds, an integer or a flag; an enum by its names.
  template <typename Record>
  void read_flat(std::span<const Field<Record>> fields, Record& r) const {
    for (const auto& f : fields) {
      std::string key(f.name);
      bool required = f.json == JsonKey::Required;
      if (f.json == JsonKey::None || (!required && !find(key.c_str())))
        continue; // absent: the record's default stands
      if (!f.set(r, flat_value(key.c_str(), f.type, f.nullable, required)))
        fail(key.c_str(), "unknown value '" + text(key.c_str()) + "'");
    }
  }

private:
  FieldValue flat_value(const char* key, FieldType type, bool nullable, bool required) const;
  const nlohmann::json* find(const char* key) const;
  const nlohmann::json& object_;
  std::string file_, where_;
};

} // namespace ciperf
