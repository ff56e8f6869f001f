#include "common/redactor.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("every occurrence of every secret is masked, longest first", "[redactor]") {
  Redactor r({"abc", "abcdef", ""});
  CHECK(r.apply("x abcdef y abc z") == "x *** y *** z");
  CHECK(r.apply("nothing here") == "nothing here");
  CHECK(Redactor().apply("abc") == "abc");
}

TEST_CASE("a secret split across chunks is still masked", "[redactor]") {
  Redactor r({"hunter2-secret"});
  std::string text =
      std::string(100, 'a') + "hunter2-secret" + std::string(50, 'b') + "hunter2-secret";
  for (size_t chunk = 1; chunk <= 20; ++chunk) {
    StreamRedactor stream(r);
    std::string out;
    for (size_t i = 0; i < text.size(); i += chunk)
      out += stream.feed(std::string_view(text).substr(i, chunk));
    out += stream.finish();
    INFO("chunk size " << chunk);
    CHECK(out == std::string(100, 'a') + "***" + std::string(50, 'b') + "***");
  }
}

TEST_CASE("the stream redactor holds back at most the longest secret", "[redactor]") {
  Redactor r({"0123456789"});
  StreamRedactor stream(r);
  std::string out = stream.feed(std::string(1000, 'x'));
  CHECK(out.size() >= 1000 - 9);
  CHECK(out + stream.finish() == std::string(1000, 'x'));
}

TEST_CASE("overlapping secrets are masked as one run, with no remainder", "[redactor]") {
  Redactor r({"ABCDEF", "DEFGHIJKLMNOP"});
  CHECK(r.apply("ABCDEFGHIJKLMNOP") == "***");
  CHECK(r.apply("x ABCDEFGHIJKLMNOP y") == "x *** y");
  CHECK(r.apply("DEFGHIJKLMNOP then ABCDEF") == "*** then ***");
  CHECK(r.apply("ABCDEFDEFGHIJKLMNOP") == "***"); // touching runs are one run
  Redactor repeated({"aa"});
  CHECK(repeated.apply("aaa b") == "*** b"); // occurrences that overlap themselves
}

TEST_CASE("overlapping secrets split across chunks are masked whole", "[redactor]") {
  Redactor r({"ABCDEF", "DEFGHIJKLMNOP", "MNOPQ"});
  std::string text = std::string(40, '.') + "ABCDEFGHIJKLMNOPQ" + std::string(30, '-') +
                     "xxABCDEF" + "DEFGHIJKLMNOP" + "!";
  std::string expected = std::string(40, '.') + "***" + std::string(30, '-') + "xx***!";
  REQUIRE(r.apply(text) == expected);
  for (size_t chunk = 1; chunk <= 25; ++chunk) {
    StreamRedactor stream(r);
    std::string out;
    for (size_t i = 0; i < text.size(); i += chunk)
      out += stream.feed(std::string_view(text).substr(i, chunk));
    out += stream.finish();
    INFO("chunk size " << chunk);
    CHECK(out.find("GHI") == std::string::npos);
    CHECK(out.find("NOP") == std::string::npos);
    CHECK(out.find('Q') == std::string::npos);
  }
}
