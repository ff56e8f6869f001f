// `junit:` against what a test suite (code under review) can leave where a glob looks: thousands
// of files, a huge or endless file, a FIFO, symlinks out of the pattern's directory, binary junk,
// a file still being written, secrets in test names. Each is a warning naming the file; the run
// ends, the phase's status stands, and memory and time stay bounded.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using namespace ciperf::test;
using Catch::Matchers::Contains;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_CASE("junit: a glob of 10000 files reads 1000 and says how many it left", "[junit]") {
  Sandbox box;
  auto started = std::chrono::steady_clock::now();
  auto run = box.run("version: 1\npipeline: many\nphases:\n"
                     "  - name: tests\n"
                     "    run: |\n"
                     "      /usr/bin/python3 -c \"\n"
                     "      import os\n"
                     "      os.mkdir('many')\n"
                     "      for i in range(10000):\n"
                     "          open(f'many/t{i:05}.xml', 'w').write(\n"
                     "              f'<testsuite name=\\\"s\\\"><testcase classname=\\\"c\\\" "
                     "name=\\\"t{i}\\\" time=\\\"0.001\\\"/></testsuite>')\n"
                     "      \"\n"
                     "    junit: many/*.xml\n");
  double took = seconds_since(started);
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  const auto& phase = ciperf::test::phase(run.results, "tests");
  CHECK(phase["tests"].size() == 1000);
  CHECK(phase["tests"][0]["name"] == "c::t0"); // the first by name
  CHECK_THAT(run.process.err, Contains("many/*.xml matches 10000 files; a phase reads at most "
                                       "1000: 9000 left unread"));
  WARN("10,000 junit files: the run took " << took << " s");
  CHECK(took < 60);
}

TEST_CASE("junit: a huge file, a FIFO, binary junk and symlinks out are skipped, each named",
          "[junit]") {
  Sandbox box;
  auto started = std::chrono::steady_clock::now();
  auto run = box.run(
      "version: 1\npipeline: odd\nphases:\n"
      "  - name: tests\n"
      "    run: |\n"
      "      mkdir -p reports/real\n"
      "      truncate -s 200M reports/big.xml\n"
      "      mkfifo reports/pipe.xml\n"
      "      head -c 4096 /dev/urandom > reports/junk.xml\n"
      "      printf '<testsuite name=\"o\"><testcase classname=\"out\" name=\"side\" time=\"1\"/>"
      "</testsuite>' > outside.xml\n"
      "      ln -s ../outside.xml reports/up.xml\n"
      "      ln -s /etc/passwd reports/passwd.xml\n"
      "      printf '<testsuite name=\"r\"><testcase classname=\"in\" name=\"side\" time=\"1\"/>"
      "</testsuite>' > reports/real/inner.xml\n"
      "      ln -s real/inner.xml reports/inner.xml\n"
      "    junit: reports/*.xml\n");
  double took = seconds_since(started);
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  const auto& phase = ciperf::test::phase(run.results, "tests");
  CHECK(phase["status"] == "passed");
  REQUIRE(phase["tests"].size() == 1); // the symlink that stays inside reports/ is followed
  CHECK(phase["tests"][0]["name"] == "in::side");
  const std::string& err = run.process.err;
  CHECK_THAT(err, Contains("big.xml skipped: it is 200 MiB, over the 64 MiB a junit file may be"));
  CHECK_THAT(err, Contains("pipe.xml skipped: it is a FIFO, not a regular file"));
  CHECK_THAT(err, Contains("junit file skipped: ") && Contains("junk.xml:1:"));
  CHECK_THAT(err, Contains("up.xml skipped: it leads out of "));
  CHECK_THAT(err, Contains("passwd.xml skipped: it leads out of "));
  CHECK(err.find("root:") == std::string::npos);
  CHECK(took < 30); // no wait on the FIFO, no read of the 200 MB
}

TEST_CASE("junit: a file still being written ends the run all the same, with a warning",
          "[junit]") {
  Sandbox box;
  auto started = std::chrono::steady_clock::now();
  auto run = box.run("version: 1\npipeline: growing\nphases:\n"
                     "  - name: writer\n    background: true\n"
                     "    run: |\n"
                     "      echo '<testsuite name=\"g\">' > growing.xml\n"
                     "      while :; do echo '<testcase classname=\"g\" name=\"t\" "
                     "time=\"0\"/>' >> growing.xml; done\n"
                     "  - name: tests\n    run: sleep 0.3\n    junit: growing.xml\n");
  double took = seconds_since(started);
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  CHECK(ciperf::test::phase(run.results, "tests")["status"] == "passed");
  CHECK_THAT(run.process.err, Contains("junit file skipped: ") && Contains("growing.xml"));
  CHECK(took < 30);
}

TEST_CASE("junit: secrets in test names and messages are redacted", "[junit][secrets]") {
  const std::string secret = "s3cr3t-Junit-5a4b3c";
  Sandbox box;
  ProcessOptions options;
  options.env = {"API_TOKEN=" + secret};
  auto run = box.run("version: 1\npipeline: leaky\nsecrets: [API_TOKEN]\nphases:\n"
                     "  - name: tests\n"
                     "    run: |\n"
                     "      printf '<testsuite name=\"s\"><testcase classname=\"c\" "
                     "name=\"uses %s\" time=\"1\"><failure message=\"bad token %s\"/>"
                     "</testcase></testsuite>' \"$API_TOKEN\" \"$API_TOKEN\" > t.xml\n"
                     "    junit: t.xml\n",
                     {}, options);
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  const auto& test = ciperf::test::phase(run.results, "tests")["tests"][0];
  CHECK(test["name"] == "c::uses ***");
  CHECK(test["message"] == "bad token ***");
  auto show = box.ciperf(
      {"show", run.results["run_id"].get<std::string>(), "--store", box.store().string()});
  INFO(show.out << show.err);
  auto junit = box.ciperf({"report", "--store", box.store().string(), "--format", "junit"});
  for (const auto& text : {read_file(run.run_dir / "results.json"), run.process.out,
                           run.process.err, show.out, junit.out})
    CHECK(text.find(secret) == std::string::npos);
  CHECK_THAT(show.out, Contains("uses ***"));
}

TEST_CASE("junit: 1200 junk files give 20 warnings and the pattern's count", "[junit]") {
  Sandbox box;
  auto run = box.run("version: 1\npipeline: junk\nphases:\n"
                     "  - name: tests\n"
                     "    run: |\n"
                     "      mkdir junk\n"
                     "      /usr/bin/python3 -c \"[open(f'junk/{i:04}.xml', 'w').write('no') "
                     "for i in range(1200)]\"\n"
                     "    junit: junk/*.xml\n");
  INFO(run.process.err);
  REQUIRE(run.process.exit_code == 0);
  const std::string& err = run.process.err;
  size_t skipped = 0;
  for (size_t at = err.find("junit file skipped"); at != std::string::npos;
       at = err.find("junit file skipped", at + 1))
    ++skipped;
  CHECK(skipped == 19);
  CHECK_THAT(err, Contains("981 more junit warnings not shown"));
  CHECK_THAT(err, Contains("junk/*.xml matches 1200 files; a phase reads at most 1000: 200 left "
                           "unread"));
}
