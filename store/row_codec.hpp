#pragma once
// The run model's field tables (model/fields.hpp) as SQL: column lists, placeholders, and the
// binding and reading of a record's fields, so that every insert and every reader of a table
// spells its columns once, in the table.
#include "model/fields.hpp"
#include "store/database.hpp"

#include <string>
#include <string_view>

namespace ciperf {

void bind_value(Statement& stmt, int index, const FieldValue& value);
FieldValue column_value(const Statement& stmt, int column, FieldType type, bool nullable = true);
// "?, ?, ?" for `count` values.
std::string placeholders(size_t count);
[[noreturn]] void throw_bad_column(std::string_view column);

// "a, b, c", each name after `prefix` ("p." for a joined table).
template <typename Record>
std::string column_list(std::span<const Field<Record>> fields, std::string_view prefix = {}) {
  std::string out;
  for (const auto& f : fields)
    out.append(out.empty() ? "" : ", ").append(prefix).append(f.name);
  return out;
}

// "a = excluded.a, …": the SET of an upsert that replaces every field.
template <typename Record> std::string replace_all(std::span<const Field<Record>> fields) {
  std::string out;
  for (const auto& f : fields)
    out.append(out.empty() ? "" : ", ").append(f.name).append(" = excluded.").append(f.name);
  return out;
}

// Binds the record's fields at `first`, `first + 1`, …; returns the next free index.
template <typename Record>
int bind_fields(Statement& stmt, int first, std::span<const Field<Record>> fields,
                const Record& record) {
  for (const auto& f : fields)
    bind_value(stmt, first++, f.get(record));
  return first;
}

// Reads the record's fields from columns `first`, `first + 1`, …
template <typename Record>
void read_fields(const Statement& stmt, int first, std::span<const Field<Record>> fields,
                 Record& record) {
  for (const auto& f : fields)
    if (!f.set(record, column_value(stmt, first++, f.type, f.nullable)))
      throw_bad_column(f.name);
}

} // namespace ciperf
