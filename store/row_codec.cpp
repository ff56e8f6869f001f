#include "store/row_codec.hpp"

namespace ciperf {

void bind_value(Statement& stmt, int index, const FieldValue& value) {
  struct Binder {
    Statement& stmt;
    int index;
    void operator()(std::monostate) const { stmt.bind_null(index); }
    void operator()(bool b) const { stmt.bind(index, static_cast<int64_t>(b ? 1 : 0)); }
    void operator()(int64_t i) const { stmt.bind(index, i); }
    void operator()(double d) const { stmt.bind(index, d); }
    void operator()(const std::string& s) const { stmt.bind(index, std::string_view(s)); }
  };
  std::visit(Binder{stmt, index}, value);
}

FieldValue column_value(const Statement& stmt, int column, FieldType type, bool nullable) {
  if (nullable && stmt.is_null(column)) // a NOT NULL column needs no look at its type
    return {};
  switch (type) {
  case FieldType::Boolean:
    return stmt.integer(column) != 0;
  case FieldType::Integer:
    return stmt.integer(column);
  case FieldType::Real:
    return stmt.real(column);
  case FieldType::Text:
    return stmt.text(column);
  }
  return {};
}

std::string placeholders(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i)
    out += i == 0 ? "?" : ", ?";
  return out;
}

void throw_bad_column(std::string_view column) {
  throw StoreError("the store holds a value that column '" + std::string(column) +
                   "' cannot have (a store written by a newer ciperf?)");
}

} // namespace ciperf
