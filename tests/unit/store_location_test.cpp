#include "store/store_location.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("a store URL is told from a path", "[store-location]") {
  CHECK(is_store_url("postgresql://db/ciperf"));
  CHECK(is_store_url("postgres://u:p@db:5432/x"));
  CHECK_FALSE(is_store_url(".ciperf/ciperf.db"));
  CHECK_FALSE(is_store_url("/abs/dir/s.db"));
  CHECK_FALSE(is_store_url("://nothing"));
  CHECK_FALSE(is_store_url("odd dir://x.db")); // a space is no scheme
}

TEST_CASE("a URL's passwords are masked, in the user part and in the query", "[store-location]") {
  CHECK(redacted_location("postgresql://ci:hunter2@db:5432/x") == "postgresql://ci:***@db:5432/x");
  CHECK(redacted_location("postgresql://ci@db/x") == "postgresql://ci@db/x");
  CHECK(redacted_location("postgresql://db/x?sslmode=require&password=s3cret&user=ci") ==
        "postgresql://db/x?sslmode=require&password=***&user=ci");
  CHECK(redacted_location("postgresql://a:b:c@db/x?PASSWORD=q#frag") ==
        "postgresql://a:***@db/x?PASSWORD=***#frag");
  CHECK(redacted_location("postgresql://db/x?password=") == "postgresql://db/x?password=***");
  CHECK(redacted_location("local/s.db") == "local/s.db");
}

TEST_CASE("an error quoting the URL or its password alone shows neither", "[store-location]") {
  std::string url = "postgresql://ci:hunter2@db/x?password=other1";
  std::string said = redact_location_in(
      "connect to " + url + " failed: password 'hunter2' (or other1) rejected", url);
  CHECK(said == "connect to postgresql://ci:***@db/x?password=*** failed: password '***' (or "
                "***) rejected");
  CHECK(redact_location_in("nothing secret", "local.db") == "nothing secret");
}

TEST_CASE("two spellings of one file are the same store, two files are not", "[store-location]") {
  test::TempDir dir;
  auto a = dir.write("a.db", "");
  CHECK(same_store(a.string(), (dir.path() / "." / "a.db").string()));
  CHECK_FALSE(same_store(a.string(), (dir / "b.db").string()));
  CHECK(same_store((dir / "new.db").string(), (dir / "sub" / ".." / "new.db").string()));
  CHECK(same_store("postgresql://db/x", "postgresql://db/x"));
  CHECK_FALSE(same_store("postgresql://db/x", "postgresql://db/y"));
}
