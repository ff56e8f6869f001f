#include "common/closest_match.hpp"

#include <array>
#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[closest]") {
  CHECK(edit_distance("timeout", "timeout") == 0);
  CHECK(edit_distance("timout", "timeout") == 1);
  CHECK(edit_distance("tiemout", "timeout") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("the closest key is suggested only when it is a plausible typo", "[closest]") {
  constexpr std::array<std::string_view, 4> keys = {"timeout", "budget", "always", "run"};
  CHECK(closest_match("timout", keys) == "timeout");
  CHECK(closest_match("alwyas", keys) == "always");
  CHECK(closest_match("rnu", keys) == "run");
  CHECK_FALSE(closest_match("completely-different", keys).has_value());
}
