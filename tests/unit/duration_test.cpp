#include "common/duration.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;
using namespace std::chrono_literals;

TEST_CASE("durations parse with every unit of the CLI contract", "[duration]") {
  CHECK(parse_duration("250ms") == Duration(250ms));
  CHECK(parse_duration("2s") == Duration(2s));
  CHECK(parse_duration("1.5s") == Duration(1500ms));
  CHECK(parse_duration("5m") == Duration(5min));
  CHECK(parse_duration("1h") == Duration(1h));
  CHECK(parse_duration("0s") == Duration(0s));
}

TEST_CASE("malformed, negative and unit-less durations are rejected", "[duration]") {
  for (const char* bad : {"", "10", "-5s", "s", "5 s", "5sec", "1.2.3s", "abc", "5d", "1e30h"})
    CHECK_FALSE(parse_duration(bad).has_value());
}

TEST_CASE("durations format readably", "[duration]") {
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(2s) == "2s");
  CHECK(format_duration(1500ms) == "1.5s");
  CHECK(format_duration(90s) == "1m30s");
  CHECK(format_duration(5min) == "5m");
  CHECK(format_duration(2h) == "2h");
}
