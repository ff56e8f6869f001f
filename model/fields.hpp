#pragma once
// Each stored field of the run model named once. A table per record lists its fields with the
// name they have at the edges (the store's column, and the key in results.json where the field
// sits flat in its object), their type and how to get and set them. The store's inserts and
// readers, results.json and the results.json importer are all written over these tables, so a
// new field is one line in the record, one line here, and a migration.
#include "model/run_record.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace ciperf {

// A field's value at an edge: null, a boolean, an integer, a real, or text (enums as their names).
using FieldValue = std::variant<std::monostate, bool, int64_t, double, std::string>;

enum class FieldType { Boolean, Integer, Real, Text };

// Where a field appears besides the store.
enum class JsonKey {
  None,      // not flat in results.json (nested, a child table, or store only)
  Always,    // written always, null when absent
  Omittable, // left out when null or empty
  Required,  // written always; an import without it fails
};

template <typename Record> struct Field {
  std::string_view name;
  FieldType type;
  bool nullable;
  JsonKey json;
  FieldValue (*get)(const Record&);
  // False when `value` does not fit the field (a wrong type, an unknown enum name).
  bool (*set)(Record&, const FieldValue&);
};

std::span<const Field<RunRecord>> run_fields();
std::span<const Field<PhaseRecord>> phase_fields();
std::span<const Field<WaitRecord>> wait_fields();
std::span<const Field<WaitTargetRecord>> wait_target_fields();
std::span<const Field<PrepareRecord>> prepare_fields();

// The field named `name` of a table; throws std::logic_error when there is none (a typo in code).
template <typename Record>
const Field<Record>& field_named(std::span<const Field<Record>> fields, std::string_view name);

// A wait target's attempt marks as stored: space-separated seconds, a leading + on a success.
std::string encode_marks(const std::vector<AttemptMark>& marks);
std::vector<AttemptMark> decode_marks(const std::string& text);

} // namespace ciperf
