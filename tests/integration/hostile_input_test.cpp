// Hostile and broken input at the edges: numbers that lie, paths that lead elsewhere, files that
// are not files, stores that cannot be written. Each case is a class of defect that once held.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <ctime>
#include <fmt/format.h>
#include <fstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const char* kTrivial = "version: 1\npipeline: p\nphases:\n  - {name: a, run: 'true'}\n";

// A run whose phase fails, for reports that read log tails.
CiperfRun failing_run(const Sandbox& box) {
  auto run =
      box.run("version: 1\npipeline: p\nphases:\n  - {name: broken, run: 'echo own; exit 3'}\n");
  REQUIRE(run.process.exit_code == 1);
  return run;
}

// results.json of `run`, edited and written into a folder of its own, for `import`.
fs::path edited_copy(const CiperfRun& run, const fs::path& dir,
                     const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json doc = run.results;
  edit(doc);
  fs::create_directories(dir);
  std::ofstream(dir / "results.json") << doc.dump();
  return dir / "results.json";
}

void chmod_tree_read_only(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (!entry.is_symlink())
      fs::permissions(entry.path(),
                      fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                      fs::perm_options::remove);
  fs::permissions(dir, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::remove);
}

} // namespace

TEST_CASE("numbers in flags and pipelines must be finite and in range", "[cli][hostile]") {
  Sandbox box;
  REQUIRE(box.run(kTrivial).process.exit_code == 0);
  std::string store = box.store().string();
  auto nan = box.ciperf({"compare", "--last", "--threshold", "nan", "--store", store});
  CHECK(nan.exit_code == 2);
  CHECK_THAT(nan.err, Contains("'nan' is not a number from 0 to 1000"));
  auto inf = box.ciperf({"wait", "tcp:127.0.0.1:1", "--backoff", "inf"});
  CHECK(inf.exit_code == 2);
  CHECK_THAT(inf.err, Contains("'inf' is not a number from 1 to 10"));
  auto zero = box.ciperf({"runs", "--limit", "0", "--store", store});
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Contains("'0' is not a whole number from 1 to"));
  CHECK(zero.err.size() < 300); // not CLI11's 300-digit range
  auto yaml_nan = box.write_pipeline("version: 1\nphases:\n  - name: w\n    wait:\n      all: "
                                     "[tcp://127.0.0.1:1]\n      backoff: .nan\n",
                                     "nan.yml");
  auto check = box.ciperf({"check", yaml_nan.string()});
  CHECK(check.exit_code == 2);
  CHECK_THAT(check.err, Contains("wait.backoff") && Contains("finite number"));
}

TEST_CASE("a wait URL with a bad port or an unset variable is refused in words",
          "[wait][hostile]") {
  Sandbox box;
  ProcessOptions quick;
  quick.timeout_s = 20;
  auto big = box.ciperf({"wait", "http://127.0.0.1:99999/", "--timeout", "1s"}, quick);
  CHECK(big.exit_code == 2);
  CHECK_THAT(big.err, Contains("'99999' is not a port (1-65535)"));
  auto unset = box.ciperf({"wait", "http://127.0.0.1:${NOPE}/", "--timeout", "1s"}, quick);
  CHECK(unset.exit_code == 2);
  CHECK_THAT(unset.err, Contains("an unset variable?"));
  CHECK_THAT(unset.err, !Contains("stoi"));
  auto run = box.run("version: 1\nphases:\n  - name: ready\n    wait:\n      all: "
                     "['http://127.0.0.1:$CIPERF_TEST_UNSET_PORT/']\n      timeout: 1s\n",
                     {}, quick);
  CHECK(run.process.exit_code == 1);
  CHECK_THAT(phase(run.results, "ready")["message"].get<std::string>(), Contains("is not a port"));
}

TEST_CASE("a directory, a device or deep nesting as a pipeline is refused in words",
          "[cli][hostile]") {
  Sandbox box;
  ProcessOptions quick;
  quick.timeout_s = 20;
  fs::create_directory(box.dir / "dir.yml");
  auto dir = box.ciperf({"check", (box.dir / "dir.yml").string()}, quick);
  CHECK(dir.exit_code == 2);
  CHECK_THAT(dir.err, Contains("is a directory, not a pipeline file"));
  CHECK_THAT(dir.err, !Contains("basic_filebuf"));
  auto zero = box.ciperf({"check", "/dev/zero"}, quick);
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Contains("/dev/zero: is not a regular file"));
  auto deep = box.write_pipeline("a: " + std::string(5000, '[') + std::string(5000, ']') + "\n",
                                 "deep.yml");
  auto nested = box.ciperf({"check", deep.string()}, quick);
  CHECK(nested.exit_code == 2);
  CHECK_THAT(nested.err, Contains("nested more than"));
  CHECK_THAT(nested.err, !Contains("bad file"));
}

TEST_CASE("import refuses what is not a regular file instead of reading forever",
          "[import][hostile]") {
  Sandbox box;
  ProcessOptions quick;
  quick.timeout_s = 20;
  auto zero = box.ciperf({"import", "/dev/zero", "--store", box.store().string()}, quick);
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Contains("/dev/zero is not a regular file"));
  REQUIRE(::mkfifo((box.dir / "fifo").c_str(), 0600) == 0);
  auto fifo = box.ciperf({"import", (box.dir / "fifo").string()}, quick);
  CHECK(fifo.exit_code == 2);
  CHECK_THAT(fifo.err, Contains("is not a regular file"));
}

TEST_CASE("check refuses a workdir that does not exist, as run would fail on it",
          "[cli][hostile]") {
  Sandbox box;
  auto file =
      box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'true', workdir: nowhere}\n");
  auto check = box.ciperf({"check", file.string()});
  CHECK(check.exit_code == 2);
  CHECK_THAT(check.err, Contains("workdir") && Contains("'nowhere' is not an existing directory"));
}

TEST_CASE("an imported log path is confined to the run's own folder", "[import][hostile]") {
  Sandbox box;
  auto run = failing_run(box);
  auto escaping = edited_copy(run, box.dir / "escaping", [](nlohmann::json& doc) {
    doc["phases"][0]["log"] = "../../../../../../etc/passwd";
  });
  auto refused = box.ciperf({"import", escaping.string(), "--store", (box.dir / "s2.db").string()});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("outside the run's folder"));
  auto absolute = edited_copy(run, box.dir / "absolute",
                              [](nlohmann::json& doc) { doc["phases"][0]["log"] = "/etc/passwd"; });
  CHECK(box.ciperf({"import", absolute.string(), "--store", (box.dir / "s2.db").string()})
            .exit_code == 2);
  // A link inside the folder that leads out is followed by nobody.
  auto linked_dir = box.dir / "linked";
  auto linked = edited_copy(run, linked_dir, [](nlohmann::json& doc) {
    doc["run_id"] = "linked-run";
    doc["phases"][0]["log"] = "logs/leak.log";
  });
  fs::create_directories(linked_dir / "logs");
  fs::create_symlink("/etc/passwd", linked_dir / "logs/leak.log");
  std::string store = (box.dir / "s3.db").string();
  REQUIRE(box.ciperf({"import", linked.string(), "--store", store}).exit_code == 0);
  for (const char* format : {"md", "html", "junit"}) {
    auto report = box.ciperf({"report", "linked-run", "--format", format, "--store", store});
    CHECK(report.exit_code == 0);
    CHECK_THAT(report.out, !Contains("root:x:0:0"));
  }
}

TEST_CASE("report -o writes through a symlink and never replaces a FIFO", "[report][hostile]") {
  Sandbox box;
  REQUIRE(box.run(kTrivial).process.exit_code == 0);
  std::string store = box.store().string();
  auto target = box.dir / "real.md";
  std::ofstream(target) << "old\n";
  fs::create_symlink(target, box.dir / "link.md");
  auto through = box.ciperf({"report", "-o", (box.dir / "link.md").string(), "--store", store});
  CHECK(through.exit_code == 0);
  CHECK(fs::is_symlink(fs::symlink_status(box.dir / "link.md")));
  CHECK(fs::file_size(target) > 100);
  REQUIRE(::mkfifo((box.dir / "fifo").c_str(), 0600) == 0);
  fs::create_symlink(box.dir / "fifo", box.dir / "fifo-link");
  for (const char* name : {"fifo", "fifo-link"}) {
    auto refused = box.ciperf({"report", "-o", (box.dir / name).string(), "--store", store});
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.err, Contains("not a regular file"));
    CHECK(fs::is_fifo(box.dir / "fifo"));
  }
}

TEST_CASE("a store path that is not a regular file is refused", "[store][hostile]") {
  Sandbox box;
  ProcessOptions quick;
  quick.timeout_s = 20;
  REQUIRE(::mkfifo((box.dir / "fifo.db").c_str(), 0600) == 0);
  auto file = box.write_pipeline(kTrivial);
  auto r = box.ciperf({"run", file.string(), "--store", (box.dir / "fifo.db").string()}, quick);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("is not a regular file"));
  CHECK_FALSE(fs::exists(box.dir / "fifo.db-journal"));
  CHECK(fs::is_fifo(box.dir / "fifo.db"));
}

TEST_CASE("read-only commands work on a store nobody may write", "[store][hostile]") {
  Sandbox box;
  auto first = box.run(kTrivial);
  REQUIRE(first.process.exit_code == 0);
  std::string id = first.results["run_id"];
  auto ro = box.dir / "ro";
  fs::create_directory(ro);
  for (const char* suffix : {"", "-wal", "-shm"}) // the store as a cache would keep it
    if (fs::exists(box.store().string() + suffix))
      fs::copy_file(box.store().string() + suffix, (ro / "store.db").string() + suffix);
  chmod_tree_read_only(ro);
  fs::permissions(box.dir.path(), fs::perms::all);
  auto binary = box.dir / "ciperf";
  fs::copy_file(CIPERF_BINARY, binary);
  ProcessOptions options;
  options.as_nobody = ::geteuid() == 0; // root ignores permission bits
  options.cwd = box.dir.path();
  std::string store = (ro / "store.db").string();
  for (std::vector<std::string> args :
       {std::vector<std::string>{"runs"}, {"show", id}, {"report", id}, {"attribute"}}) {
    args.insert(args.begin(), binary.string());
    args.push_back("--store");
    args.push_back(store);
    auto r = run_process(args, options);
    INFO(args[1] << ": " << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("a run on a full disk says why and does not exit 0", "[run][hostile][serial]") {
  if (::geteuid() != 0) {
    WARN("skipped: mounting a small tmpfs needs root");
    return;
  }
  Sandbox box;
  auto full = box.dir / "full";
  fs::create_directory(full);
  if (::mount("tmpfs", full.c_str(), "tmpfs", 0, "size=64k") != 0) {
    WARN("skipped: cannot mount a tmpfs here");
    return;
  }
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{full};
  fs::create_directory(full / "run");
  {
    std::ofstream filler(full / "filler", std::ios::binary);
    std::string block(4096, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size())))
      ;
  }
  auto file = box.write_pipeline(kTrivial);
  auto r = box.ciperf(
      {"run", file.string(), "--store", box.store().string(), "--out", (full / "run").string()});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err + r.out, Contains("No space left on device"));
  CHECK_THAT(r.out, !Contains("results: "));
}

TEST_CASE("newest means last recorded, and a far-future stamp is refused", "[import][hostile]") {
  Sandbox box;
  auto run = failing_run(box);
  std::string store = box.store().string();
  auto future = edited_copy(run, box.dir / "future", [](nlohmann::json& doc) {
    doc["run_id"] = "from-the-future";
    doc["started_at"] = "2200-01-01T00:00:00.000Z";
    doc["finished_at"] = "2200-01-01T00:00:01.000Z";
  });
  auto refused = box.ciperf({"import", future.string(), "--store", store});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("more than a day in the future"));
  auto past = edited_copy(run, box.dir / "past", [](nlohmann::json& doc) {
    doc["run_id"] = "from-the-past";
    doc["started_at"] = "2020-01-01T00:00:00.000Z";
    doc["finished_at"] = "2020-01-01T00:00:01.000Z";
  });
  REQUIRE(box.ciperf({"import", past.string(), "--store", store}).exit_code == 0);
  auto runs = nlohmann::json::parse(box.ciperf({"runs", "--json", "--store", store}).out);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0]["run_id"] == "from-the-past"); // recorded last
}

TEST_CASE("a since filter compares instants, whatever the UTC offset", "[store][hostile]") {
  Sandbox box;
  auto first = box.run(kTrivial);
  REQUIRE(first.process.exit_code == 0);
  auto second = box.run(kTrivial);
  REQUIRE(second.process.exit_code == 0);
  // The first run's start, written with a +05:00 offset: the same instant, other text.
  std::string utc = first.results["started_at"]; // 2026-11-29T05:01:02.345Z
  std::tm tm{};
  REQUIRE(::strptime(utc.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) != nullptr);
  std::time_t local = ::timegm(&tm) + 5 * 3600;
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", std::gmtime(&local));
  std::string shifted = text + utc.substr(19, 4) + "+05:00";
  auto r = box.ciperf(
      {"report", "--format", "csv", "--since", shifted, "--store", box.store().string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(second.results["run_id"].get<std::string>()));
  CHECK_THAT(r.out, !Contains(first.results["run_id"].get<std::string>()));
  auto bad =
      box.ciperf({"report", "--since", "2026-13-45T99:00:00Z", "--store", box.store().string()});
  CHECK(bad.exit_code == 2);
}

TEST_CASE("a timed-out phase's wall includes its grace period", "[run][hostile][serial]") {
  Sandbox box;
  // The main process dies at SIGTERM; its child ignores it and lives until SIGKILL.
  auto run = box.run("version: 1\nphases:\n  - name: stubborn\n    timeout: 300ms\n    grace: "
                     "700ms\n    run: \"sh -c 'trap \\\"\\\" TERM; sleep 5' & sleep 5\"\n");
  REQUIRE(run.process.exit_code == 124);
  double wall = phase(run.results, "stubborn")["wall_s"];
  CHECK(wall > 0.95);
  CHECK(wall < 3);
}

TEST_CASE("a wait phase has one deadline: the smallest timeout written", "[wait][hostile]") {
  Sandbox box;
  ProcessOptions quick;
  quick.timeout_s = 30;
  auto by_default = box.run("version: 1\ndefaults: {timeout: 400ms}\nphases:\n  - name: w\n    "
                            "wait: {all: ['tcp://127.0.0.1:1']}\n",
                            {}, quick);
  CHECK(by_default.process.exit_code == 124);
  CHECK(by_default.process.wall_s < 10);
  auto by_phase = box.run("version: 1\nphases:\n  - name: w\n    timeout: 400ms\n    wait: {all: "
                          "['tcp://127.0.0.1:1'], timeout: 20s}\n",
                          {}, quick);
  CHECK(by_phase.process.exit_code == 124);
  CHECK(by_phase.process.wall_s < 10);
  double wall = phase(by_phase.results, "w")["wall_s"];
  CHECK(wall < 2);
}

TEST_CASE("baseline --name does not overwrite an existing baseline unless asked",
          "[baseline][hostile]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\npipeline: p\ncold: {prepare: 'true'}\nphases:\n  - "
                                 "{name: a, run: 'true'}\n");
  std::string store = box.store().string();
  auto first =
      box.ciperf({"baseline", file.string(), "--runs", "2", "--name", "b", "--store", store});
  REQUIRE(first.exit_code == 0);
  auto again =
      box.ciperf({"baseline", file.string(), "--runs", "2", "--name", "b", "--store", store});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Contains("a baseline named 'b' exists already"));
  auto replaced = box.ciperf(
      {"baseline", file.string(), "--runs", "2", "--name", "b", "--replace", "--store", store});
  CHECK(replaced.exit_code == 0);
}

TEST_CASE("an imported run holds at most its cap of phases and says what was left out",
          "[import][hostile][serial]") {
  Sandbox box;
  auto file = box.dir / "many.xml";
  {
    std::ofstream out(file);
    out << "<testsuites>";
    for (int suite = 0; suite < 3; ++suite) {
      out << "<testsuite name=\"s" << suite << "\">";
      for (int i = 0; i < 100'000; ++i) {
        out << "<testcase classname=\"c\" name=\"t" << i << "\" time=\"0.001\">";
        if (i % 10'000 == 7)
          out << "<failure message=\"boom\"/>";
        out << "</testcase>";
      }
      out << "<testcase classname=\"c\" name=\"slowest\" time=\"9\"/></testsuite>";
    }
    out << "</testsuites>";
  }
  auto r = box.ciperf({"import", "--json", file.string(), "--store", box.store().string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // ASan's quarantine keeps up to 256 MiB of freed memory.
  CHECK(r.max_rss_kb < 200 * 1024 + 4 * kSanitizerSlackKb);
  auto out = nlohmann::json::parse(r.out);
  REQUIRE(out.size() == 1); // a file is one run, whatever its suites
  for (const auto& run : out) {
    CHECK(run["phases"] == 20'000);
    CHECK_THAT(run["left_out"].get<std::string>(), Contains("280003 of 300003 phases"));
    auto show = nlohmann::json::parse(
        box.ciperf({"show", run["run_id"], "--json", "--store", box.store().string()}).out);
    int failures = 0;
    bool slowest = false;
    for (const auto& p : show["phases"]) {
      failures += p["status"] == "failed";
      slowest = slowest || p["name"] == "c::slowest";
    }
    CHECK(failures == 30); // every failure is kept
    CHECK(slowest);
    CHECK(show["wall_s"].get<double>() > 300); // the run's wall still counts every case
  }
}
