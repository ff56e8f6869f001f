#include "imports/json_fields.hpp"

#include "imports/import_error.hpp"

#include <cmath>
#include <string_view>

namespace ciperf {

using nlohmann::json;

JsonFields::JsonFields(const json& object, std::string file, std::string where)
    : object_(object), file_(std::move(file)), where_(std::move(where)) {
  if (!object_.is_object())
    throw ImportError(file_ + ": " + (where_.empty() ? "the document" : where_) +
                      ": expected an object, got " + object_.type_name());
}

void JsonFields::fail(const char* key, const std::string& problem) const {
  throw ImportError(file_ + ": " + where_ + (where_.empty() ? "" : ".") + key + ": " + problem);
}

const json* JsonFields::find(const char* key) const {
  auto it = object_.find(key);
  return it == object_.end() || it->is_null() ? nullptr : &*it;
}

std::string JsonFields::text(const char* key, const std::string& fallback) const {
  const json* v = find(key);
  if (!v)
    return fallback;
  if (v->is_number())
    return v->dump();
  if (!v->is_string())
    fail(key, std::string("expected a string, got ") + v->type_name());
  return v->get<std::string>();
}

std::string JsonFields::required_text(const char* key) const {
  if (!find(key))
    fail(key, "missing");
  return text(key);
}

double JsonFields::number(const char* key, double fallback) const {
  return optional_number(key).value_or(fallback);
}

std::optional<double> JsonFields::optional_number(const char* key) const {
  const json* v = find(key);
  if (!v)
    return std::nullopt;
  if (!v->is_number())
    fail(key, std::string("expected a number, got ") + v->type_name());
  double d = v->get<double>();
  if (!std::isfinite(d) || d < 0)
    fail(key, "expected a finite number of at least 0");
  return d;
}

double JsonFields::seconds(const char* key) const {
  return optional_seconds(key).value_or(0);
}

std::optional<double> JsonFields::optional_seconds(const char* key) const {
  auto v = optional_number(key);
  if (v && *v > kMaxSeconds)
    fail(key, "more than 10,000,000 seconds");
  return v;
}

int64_t JsonFields::integer(const char* key, int64_t fallback) const {
  const json* v = find(key);
  if (!v)
    return fallback;
  if (!v->is_number_integer())
    fail(key, std::string("expected an integer, got ") + v->type_name());
  return v->get<int64_t>();
}

bool JsonFields::boolean(const char* key, bool fallback) const {
  const json* v = find(key);
  if (!v)
    return fallback;
  if (!v->is_boolean())
    fail(key, std::string("expected true or false, got ") + v->type_name());
  return v->get<bool>();
}

const json* JsonFields::object(const char* key) const {
  const json* v = find(key);
  if (v && !v->is_object())
    fail(key, std::string("expected an object, got ") + v->type_name());
  return v;
}

const json* JsonFields::array(const char* key) const {
  const json* v = find(key);
  if (v && !v->is_array())
    fail(key, std::string("expected an array, got ") + v->type_name());
  return v;
}

FieldValue JsonFields::flat_value(const char* k, FieldType type, bool nullable,
                                  bool required) const {
  switch (type) {
  case FieldType::Text:
    return required ? required_text(k) : text(k);
  case FieldType::Boolean:
    return boolean(k);
  case FieldType::Integer: {
    if (nullable && !find(k))
      return {}; // null: not measured
    // The field's own type refuses what does not fit it (an exit code past int).
    int64_t n = integer(k);
    if (n < 0 && std::string_view(k).ends_with("_bytes"))
      fail(k, "a byte count below 0");
    return n;
  }
  case FieldType::Real:
    if (nullable) {
      auto v = optional_seconds(k);
      return v ? FieldValue(*v) : FieldValue{};
    }
    return seconds(k);
  }
  return {};
}

} // namespace ciperf
