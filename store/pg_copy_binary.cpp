#include "store/pg_copy_binary.hpp"

#include "common/text_escape.hpp"
#include "store/database.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <utility>

namespace ciperf {
namespace {

// pg_type OIDs (fixed since PostgreSQL 7: catalog/pg_type.dat).
constexpr uint32_t kBoolOid = 16, kNameOid = 19, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
                   kTextOid = 25, kFloat4Oid = 700, kFloat8Oid = 701, kBpcharOid = 1042,
                   kVarcharOid = 1043;

// The signature, flags and header extension length of every binary COPY.
constexpr std::string_view kHeader{"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 19};

template <typename T> void append_big_endian(std::string& out, T value) {
  using U = std::make_unsigned_t<T>;
  auto bits = static_cast<U>(value);
  for (int shift = (sizeof(U) - 1) * 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((bits >> shift) & 0xff));
}

template <typename T> bool parse_whole(std::string_view text, T& value) {
  const char* end = text.data() + text.size();
  auto [at, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && at == end;
}

} // namespace

bool pg_column_type(uint32_t oid, PgColumnType& type) {
  switch (oid) {
  case kInt2Oid:
    type = PgColumnType::Int2;
    return true;
  case kInt4Oid:
    type = PgColumnType::Int4;
    return true;
  case kInt8Oid:
    type = PgColumnType::Int8;
    return true;
  case kFloat4Oid:
    type = PgColumnType::Float4;
    return true;
  case kFloat8Oid:
    type = PgColumnType::Float8;
    return true;
  case kBoolOid:
    type = PgColumnType::Bool;
    return true;
  case kTextOid:
  case kVarcharOid:
  case kBpcharOid:
  case kNameOid:
    type = PgColumnType::Text;
    return true;
  default:
    return false;
  }
}

PgBinaryRows::PgBinaryRows(std::vector<PgColumn> columns)
    : columns_(std::move(columns)), fields_(columns_.size()), null_(columns_.size(), true) {}

void PgBinaryRows::put(size_t column, std::string_view bytes) {
  fields_.at(column).assign(bytes);
  null_[column] = false;
}

template <typename T> void PgBinaryRows::put_big_endian(size_t column, T value) {
  std::string& field = fields_.at(column);
  field.clear();
  append_big_endian(field, value);
  null_[column] = false;
}

void PgBinaryRows::refuse(size_t column, std::string_view value) const {
  throw StoreError(fmt::format("column {} cannot hold '{}'", columns_.at(column).name,
                               valid_utf8(value.substr(0, 64))));
}

void PgBinaryRows::set_integer(size_t column, int64_t value) {
  switch (columns_.at(column).type) {
  case PgColumnType::Int2:
    if (value < std::numeric_limits<int16_t>::min() || value > std::numeric_limits<int16_t>::max())
      refuse(column, std::to_string(value));
    return put_big_endian(column, static_cast<int16_t>(value));
  case PgColumnType::Int4:
    if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max())
      refuse(column, std::to_string(value));
    return put_big_endian(column, static_cast<int32_t>(value));
  case PgColumnType::Int8:
    return put_big_endian(column, value);
  case PgColumnType::Float4:
    return put_big_endian(column, std::bit_cast<uint32_t>(static_cast<float>(value)));
  case PgColumnType::Float8:
    return put_big_endian(column, std::bit_cast<uint64_t>(static_cast<double>(value)));
  case PgColumnType::Bool:
    if (value != 0 && value != 1) // the server reads "0" and "1" as booleans, nothing else
      refuse(column, std::to_string(value));
    return put(column, value ? "\1" : std::string_view("\0", 1));
  case PgColumnType::Text:
    return put(column, std::to_string(value));
  }
}

void PgBinaryRows::set_real(size_t column, double value) {
  switch (columns_.at(column).type) {
  case PgColumnType::Float8:
    return put_big_endian(column, std::bit_cast<uint64_t>(value));
  case PgColumnType::Float4:
    return put_big_endian(column, std::bit_cast<uint32_t>(static_cast<float>(value)));
  case PgColumnType::Text:
    return put(column, fmt::format("{}", value));
  case PgColumnType::Bool:
    refuse(column, fmt::format("{}", value));
  case PgColumnType::Int2:
  case PgColumnType::Int4:
  case PgColumnType::Int8: { // as the server reads the text the INSERT path sends: "3" but not
                             // "3.5"
    std::string text = fmt::format("{}", value);
    int64_t whole = 0;
    if (!parse_whole(text, whole))
      refuse(column, text);
    return set_integer(column, whole);
  }
  }
}

void PgBinaryRows::set_text(size_t column, std::string_view value) {
  std::string text = valid_utf8(value.substr(0, value.find('\0'))); // what a C string carries
  switch (columns_.at(column).type) {
  case PgColumnType::Text:
    return put(column, text);
  case PgColumnType::Float4:
  case PgColumnType::Float8: {
    double number = 0;
    if (!parse_whole(text, number))
      refuse(column, text);
    return set_real(column, number);
  }
  case PgColumnType::Bool:
    if (text == "t" || text == "true" || text == "1")
      return set_integer(column, 1);
    if (text == "f" || text == "false" || text == "0")
      return set_integer(column, 0);
    refuse(column, text);
  case PgColumnType::Int2:
  case PgColumnType::Int4:
  case PgColumnType::Int8: {
    int64_t number = 0;
    if (!parse_whole(text, number))
      refuse(column, text);
    return set_integer(column, number);
  }
  }
}

void PgBinaryRows::set_null(size_t column) {
  null_.at(column) = true;
}

void PgBinaryRows::end_row() {
  if (rows_++ == 0)
    data_.assign(kHeader);
  append_big_endian(data_, static_cast<int16_t>(columns_.size()));
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (null_[i]) {
      append_big_endian(data_, int32_t{-1});
      continue;
    }
    if (fields_[i].size() > size_t{1} << 30) // the most one value of PostgreSQL's may hold
      throw StoreError(fmt::format("a value of column {} is over 1 GiB", columns_[i].name));
    append_big_endian(data_, static_cast<int32_t>(fields_[i].size()));
    data_.append(fields_[i]);
    null_[i] = true;
  }
}

std::string PgBinaryRows::take() {
  if (rows_ == 0)
    return {};
  append_big_endian(data_, int16_t{-1});
  rows_ = 0;
  return std::exchange(data_, {});
}

} // namespace ciperf
