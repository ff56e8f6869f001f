// Rows in PostgreSQL's binary COPY format (COPY … FROM STDIN WITH (FORMAT binary)): each value
// goes as the bytes the column's type receives, so the server parses no text and ciperf formats
// no numbers. Text COPY spent a tenth of the server's time of a bulk write parsing floats.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

// The column types a binary row is written for; any other is refused when the writer is made.
enum class PgColumnType { Int2, Int4, Int8, Float4, Float8, Bool, Text };

struct PgColumn {
  std::string name;
  PgColumnType type;
};

// The type of a column whose pg_type OID is `oid`, or false when binary rows cannot carry it.
bool pg_column_type(uint32_t oid, PgColumnType& type);

// One table's rows. A value is converted to its column's type as the server would read the
// text the INSERT path sends: an integer into a float column becomes a double, a number into a
// text column its text; what the server would refuse (3.5 into a BIGINT) throws StoreError.
class PgBinaryRows {
public:
  explicit PgBinaryRows(std::vector<PgColumn> columns);

  void set_integer(size_t column, int64_t value);
  void set_real(size_t column, double value);
  void set_text(size_t column, std::string_view value); // valid UTF-8, up to a NUL
  void set_null(size_t column);
  void end_row(); // the row goes after the others; its values start again as NULL

  size_t columns() const { return columns_.size(); }
  bool empty() const { return rows_ == 0; }
  size_t bytes() const { return data_.size(); }
  // The rows so far, between the format's header and trailer; the writer starts over empty.
  std::string take();

private:
  void put(size_t column, std::string_view bytes);
  template <typename T> void put_big_endian(size_t column, T value);
  [[noreturn]] void refuse(size_t column, std::string_view value) const;

  std::vector<PgColumn> columns_;
  std::vector<std::string> fields_; // a column's value as sent, while its row is open
  std::vector<bool> null_;
  std::string data_;
  size_t rows_ = 0;
};

} // namespace ciperf
