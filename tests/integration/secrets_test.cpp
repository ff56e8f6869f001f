// A secret's value printed by a phase never reaches the log, results.json, the store or the
// console.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>

using namespace ciperf::test;

TEST_CASE("secret values are redacted everywhere ciperf writes", "[secrets]") {
  const std::string secret = "s3cr3t-Value-9f8e7d";
  Sandbox box;
  ProcessOptions options;
  options.env = {"DB_PASSWORD=" + secret};
  auto r = box.run(R"(version: 1
secrets: [DB_PASSWORD, API_TOKEN]
env: {API_TOKEN: "tok-0123456789"}
phases:
  - name: leak
    run: |
      echo "password is $DB_PASSWORD"
      echo "token $API_TOKEN on stderr" >&2
      # a secret straddling the 64 KiB read boundary
      head -c 65530 /dev/zero | tr '\0' a; echo "$DB_PASSWORD"
      echo "metric_$DB_PASSWORD 1 $DB_PASSWORD" >> "$CIPERF_METRICS"
      echo "$DB_PASSWORD 2" >> "$CIPERF_METRICS"
  - name: missing
    run: [no-such-command-s3cr3t-Value-9f8e7d]
)",
                   {"--verbose", "--label", "pw=" + secret}, options);
  REQUIRE(r.results.is_object());
  std::string log = read_file(r.run_dir / "logs/01-leak.log");
  CHECK_THAT(log, Catch::Matchers::Contains("password is ***"));
  CHECK_THAT(log, Catch::Matchers::Contains("token *** on stderr"));
  CHECK(log.find("a***\n") != std::string::npos);
  std::vector<std::pair<std::string, std::string>> outputs = {
      {"log", log},
      {"missing log", read_file(r.run_dir / "logs/02-missing.log")},
      {"results.json", read_file(r.run_dir / "results.json")},
      {"stdout", r.process.out},
      {"stderr", r.process.err},
      {"store", read_file(box.store())},
      {"store wal", read_file(box.store().string() + "-wal")},
  };
  auto show = box.ciperf({"show", r.results["run_id"], "--store", box.store().string()});
  outputs.emplace_back("show", show.out);
  auto runs = box.ciperf({"runs", "--store", box.store().string(), "--json"});
  outputs.emplace_back("runs", runs.out);
  for (const auto& [where, text] : outputs) {
    INFO(where);
    CHECK(text.find(secret) == std::string::npos);
    CHECK(text.find("tok-0123456789") == std::string::npos);
  }
  CHECK_THAT(r.process.out, Catch::Matchers::Contains("password is ***"));
}

TEST_CASE("a secret in a phase or pipeline name reaches no file name, field or key", "[secrets]") {
  Sandbox box;
  auto r = box.run(R"(version: 1
pipeline: svc-tok-0123456789
secrets: [API_TOKEN, FIRST, SECOND]
env: {API_TOKEN: "tok-0123456789", FIRST: "ABCDEF", SECOND: "DEFGHIJKLMNOP"}
phases:
  - name: deploy-tok-0123456789
    run: |
      echo deployed
      echo "boots 3 s" >> "$CIPERF_METRICS"
  - name: ready-ABCDEFGHIJKLMNOP
    wait:
      all: [{exec: "true"}]
)");
  REQUIRE(r.results.is_object());
  CHECK(r.process.exit_code == 0);
  std::vector<std::pair<std::string, std::string>> outputs = {
      {"results.json", read_file(r.run_dir / "results.json")},
      {"stdout", r.process.out},
      {"stderr", r.process.err},
      {"store", read_file(box.store())},
      {"store wal", read_file(box.store().string() + "-wal")},
  };
  for (const auto& entry : std::filesystem::recursive_directory_iterator(r.run_dir))
    outputs.emplace_back("file name", entry.path().string());
  std::string id = r.results["run_id"];
  outputs.emplace_back("show", box.ciperf({"show", id, "--store", box.store().string()}).out);
  outputs.emplace_back("show --json",
                       box.ciperf({"show", id, "--store", box.store().string(), "--json"}).out);
  outputs.emplace_back("runs --json",
                       box.ciperf({"runs", "--store", box.store().string(), "--json"}).out);
  for (const auto& [where, text] : outputs) {
    INFO(where << ": " << text.substr(0, 2000));
    CHECK(text.find("tok-0123456789") == std::string::npos);
    CHECK(text.find("ABCDEF") == std::string::npos);
    CHECK(text.find("GHIJKLMNOP") == std::string::npos);
  }
  const auto& deploy = r.results["phases"][0];
  CHECK(deploy["name"] == "deploy-***");
  CHECK(deploy["log"] == "logs/01-deploy-___.log");
  CHECK(std::filesystem::exists(r.run_dir / "logs/01-deploy-___.log"));
  CHECK(std::filesystem::exists(r.run_dir / "metrics/01-deploy-___.txt"));
  CHECK(r.results["phases"][1]["name"] == "ready-***");
}
