// PostgreSQL's binary COPY rows, byte by byte, and the values a column's type refuses as the
// server would refuse their text. The round trip through a real server is store_bulk_test's.
#include "store/database.hpp"
#include "store/pg_copy_binary.hpp"

#include <catch2/catch.hpp>
#include <cstring>

using namespace ciperf;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values)
    out.push_back(static_cast<char>(v));
  return out;
}

const std::string kHeader("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 19);
const std::string kTrailer = bytes({0xff, 0xff});

} // namespace

TEST_CASE("binary COPY rows carry each value as its column's type receives it", "[store]") {
  PgBinaryRows rows({{"run", PgColumnType::Int8},
                     {"wall_s", PgColumnType::Float8},
                     {"name", PgColumnType::Text},
                     {"exit_code", PgColumnType::Int4}});
  CHECK(rows.empty());
  CHECK(rows.take().empty()); // no rows, no COPY
  rows.set_integer(0, 258);
  rows.set_real(1, 1.5);                      // 0x3FF8000000000000
  rows.set_text(2, std::string("ab\0cd", 5)); // up to the NUL, as a C string parameter
  rows.end_row();                             // exit_code never set: NULL
  rows.set_integer(0, -1);
  rows.set_null(1);
  rows.set_text(2, "");
  rows.set_integer(3, 7);
  rows.end_row();
  std::string expected = kHeader;
  expected += bytes({0, 4});
  expected += bytes({0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2});
  expected += bytes({0, 0, 0, 8, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0});
  expected += bytes({0, 0, 0, 2}) + "ab";
  expected += bytes({0xff, 0xff, 0xff, 0xff});
  expected += bytes({0, 4});
  expected += bytes({0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  expected += bytes({0xff, 0xff, 0xff, 0xff});
  expected += bytes({0, 0, 0, 0});
  expected += bytes({0, 0, 0, 4, 0, 0, 0, 7});
  expected += kTrailer;
  CHECK(rows.take() == expected);
  CHECK(rows.empty());
}

TEST_CASE("binary COPY rows convert as the server reads the INSERT path's text", "[store]") {
  PgBinaryRows rows({{"count", PgColumnType::Int8},
                     {"ratio", PgColumnType::Float8},
                     {"label", PgColumnType::Text},
                     {"small", PgColumnType::Int2},
                     {"flag", PgColumnType::Bool}});
  rows.set_real(0, 3.0);   // "3": a BIGINT takes it
  rows.set_integer(1, 2);  // "2": a double
  rows.set_real(2, 0.1);   // "0.1" as text
  rows.set_text(3, "-12"); // parsed
  rows.set_text(4, "t");
  rows.end_row();
  std::string out = rows.take();
  std::string expected = kHeader + bytes({0, 5});
  expected += bytes({0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 3});
  expected += bytes({0, 0, 0, 8, 0x40, 0, 0, 0, 0, 0, 0, 0});
  expected += bytes({0, 0, 0, 3}) + "0.1";
  expected += bytes({0, 0, 0, 2, 0xff, 0xf4});
  expected += bytes({0, 0, 0, 1, 1});
  expected += kTrailer;
  CHECK(out == expected);

  CHECK_THROWS_AS(rows.set_real(0, 3.5), StoreError);  // "3.5" into a BIGINT
  CHECK_THROWS_AS(rows.set_real(0, 1e20), StoreError); // "1e+20" too
  CHECK_THROWS_AS(rows.set_text(0, "12 apples"), StoreError);
  CHECK_THROWS_AS(rows.set_integer(3, 40000), StoreError); // past a SMALLINT
  CHECK_THROWS_AS(rows.set_integer(4, 2), StoreError);     // "2" is no boolean
  CHECK_THROWS_AS(rows.set_text(1, "fast"), StoreError);
  try {
    rows.set_text(0, "nope");
    FAIL("a word went into a BIGINT");
  } catch (const StoreError& e) {
    CHECK(std::string(e.what()) == "column count cannot hold 'nope'");
  }
}

TEST_CASE("only the column types binary rows encode are accepted", "[store]") {
  PgColumnType type{};
  CHECK(pg_column_type(20, type));
  CHECK(type == PgColumnType::Int8);
  CHECK(pg_column_type(701, type));
  CHECK(type == PgColumnType::Float8);
  CHECK(pg_column_type(25, type));
  CHECK(type == PgColumnType::Text);
  CHECK_FALSE(pg_column_type(1700, type)); // numeric
  CHECK_FALSE(pg_column_type(17, type));   // bytea
  CHECK_FALSE(pg_column_type(1184, type)); // timestamptz
}
