// The one regex engine for user patterns: the syntax the examples and tests use, a clear error
// for a bad pattern, and an answer (never a crash) for any subject.
#include "common/errors.hpp"
#include "probes/user_regex.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;
using Catch::Matchers::Contains;

TEST_CASE("user regexes keep the syntax the examples use", "[regex]") {
  CHECK(UserRegex("^ok").search("ok\n"));
  CHECK_FALSE(UserRegex("^ok").search("not ok"));
  CHECK(UserRegex("\\[emerg\\]").search("2026/11/27 [emerg] 12#12: bind() failed"));
  CHECK(UserRegex("service ready$").search("listening: service ready"));
  UserRegex fatal("FATAL: +(?! |the database system is (starting up|shutting down))");
  CHECK(fatal.search("FATAL:  could not create lock file"));
  CHECK_FALSE(fatal.search("FATAL:  the database system is starting up"));
  CHECK(UserRegex("").search(""));
  CHECK(UserRegex("x").search(std::string_view("axb", 3)));
}

TEST_CASE("a bad regex is a usage error that names it", "[regex]") {
  try {
    UserRegex bad("(unclosed");
    FAIL("compiled");
  } catch (const UsageError& e) {
    CHECK_THAT(e.what(), Contains("bad regex '(unclosed'"));
  }
}

TEST_CASE("long subjects neither crash nor hang the search", "[regex]") {
  std::string line(1 << 20, 'x');
  line += "ready";
  UserRegex greedy(".*ready");
  CHECK(greedy.search(line)); // std::regex overflowed the stack here
  CHECK(greedy.note().empty());
  UserRegex explosive("(x+x+)+[yz]");
  CHECK_FALSE(explosive.search(std::string(30000, 'x')));
  CHECK_THAT(explosive.note(), Contains("gave up"));
  CHECK_FALSE(explosive.search("no x here"));
  CHECK(explosive.note().empty()); // a note is about the last search only
}
