#include "runner/metrics_file.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("custom metrics are read as name value [unit]", "[metrics]") {
  test::TempDir dir;
  auto file = dir.write("m.txt", "bytes_pulled 1048576 B\ncache.hits 12\n# comment\n\n"
                                 "cache.hits 13\nbad line here too\nnan_value abc\n");
  auto parsed = parse_metrics_file(file.string());
  REQUIRE(parsed.metrics.size() == 2);
  CHECK(parsed.metrics[0].name == "bytes_pulled");
  CHECK(parsed.metrics[0].value == 1048576);
  CHECK(parsed.metrics[0].unit == "B");
  CHECK(parsed.metrics[1].name == "cache.hits");
  CHECK(parsed.metrics[1].value == 13); // the last value given wins
  REQUIRE(parsed.errors.size() == 2);
  CHECK(parsed.errors[0].find("m.txt:6:") != std::string::npos);
  CHECK(parsed.errors[1].find("m.txt:7:") != std::string::npos);
}

TEST_CASE("a missing metrics file means no metrics", "[metrics]") {
  auto parsed = parse_metrics_file("/nonexistent/metrics.txt");
  CHECK(parsed.metrics.empty());
  CHECK(parsed.errors.empty());
}
