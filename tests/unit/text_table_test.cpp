#include "reports/human_units.hpp"
#include "reports/text_table.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("tables align columns and trim trailing space", "[table]") {
  TextTable t;
  t.header = {"name", "wall"};
  t.right_aligned = {false, true};
  t.rows = {{"deploy", "1.00s"}, {"functional-long", "12.3s"}};
  CHECK(t.render() == "name              wall\n"
                      "deploy           1.00s\n"
                      "functional-long  12.3s\n");
}

TEST_CASE("human units", "[table]") {
  CHECK(human_seconds(0.3) == "0.30s");
  CHECK(human_seconds(12.34) == "12.3s");
  CHECK(human_seconds(245) == "4m05s");
  CHECK(human_bytes(512) == "512B");
  CHECK(human_bytes(3 * 1024 * 1024 / 2) == "1.5MiB");
}
