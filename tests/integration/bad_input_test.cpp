// Bad input at the command line: a clear message, the documented exit code, nothing half-done.
#include "support/ciperf_run.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace ciperf::test;
using Catch::Matchers::Contains;

TEST_CASE("ciperf check accepts a valid pipeline and rejects a broken one", "[cli]") {
  Sandbox box;
  auto good = box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'true'}\n", "good.yml");
  auto ok = box.ciperf({"check", good.string()});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Contains("ok"));
  auto bad = box.write_pipeline(
      "version: 1\nphases:\n  - name: a\n    run: 'true'\n    timout: 1s\n", "bad.yml");
  auto err = box.ciperf({"check", bad.string()});
  CHECK(err.exit_code == 2);
  CHECK_THAT(err.err, Contains(bad.string() + ":5:5: unknown key 'timout' in phase 'a' (line 5); "
                                              "did you mean 'timeout'?"));
}

TEST_CASE("a broken pipeline is refused before anything runs or is stored", "[cli]") {
  Sandbox box;
  auto r = box.run("version: 1\nphases:\n  - {name: a, run: 'touch ran'}\n  - {name: a, run: x}\n");
  CHECK(r.process.exit_code == 2);
  CHECK_THAT(r.process.err, Contains("duplicate phase name 'a'"));
  CHECK_FALSE(std::filesystem::exists(box.dir / "ran"));
  CHECK_FALSE(std::filesystem::exists(box.store()));
  CHECK_FALSE(std::filesystem::exists(r.run_dir));
}

TEST_CASE("malformed YAML gives file:line and exit 2", "[cli]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases: [{name: a, run: x}\n");
  auto r = box.ciperf({"check", file.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(file.string() + ":") && Contains("malformed YAML"));
}

TEST_CASE("usage errors exit 2", "[cli]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'true'}\n");
  CHECK(box.ciperf({"frobnicate"}).exit_code == 2);
  CHECK(box.ciperf({"run"}).exit_code == 2);
  CHECK(box.ciperf({"run", file.string(), "--mode", "lukewarm"}).exit_code == 2);
  auto label = box.ciperf({"run", file.string(), "--label", "novalue"});
  CHECK(label.exit_code == 2);
  CHECK_THAT(label.err, Contains("label 'novalue' is not of the form key=value"));
  auto cold = box.ciperf({"run", file.string(), "--mode", "cold"});
  CHECK(cold.exit_code == 2);
  CHECK_THAT(cold.err, Contains("--mode cold needs a 'cold: prepare:' command"));
  CHECK(box.ciperf({"check", (box.dir / "missing.yml").string()}).exit_code == 2);
}

TEST_CASE("a store in a missing directory is refused with exit 2", "[cli]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'touch ran'}\n");
  auto r = box.ciperf({"run", file.string(), "--store", (box.dir / "no/such/dir/s.db").string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no/such/dir does not exist"));
  CHECK_FALSE(std::filesystem::exists(box.dir / "ran"));
}

TEST_CASE("a store in a read-only directory is refused with exit 2", "[cli]") {
  Sandbox box;
  auto file = box.write_pipeline("version: 1\nphases:\n  - {name: a, run: 'touch ran'}\n");
  auto ro = box.dir / "readonly";
  std::filesystem::create_directory(ro);
  namespace fs = std::filesystem;
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(box.dir.path(), fs::perms::all); // root drops to nobody below: let it in
  ProcessOptions options;
  options.as_nobody = ::geteuid() == 0; // root ignores permission bits
  options.cwd = box.dir.path();
  // A copy of the binary that `nobody` can surely execute, wherever the build tree is.
  auto binary = box.dir / "ciperf";
  fs::copy_file(CIPERF_BINARY, binary);
  auto r = run_process({binary.string(), "run", file.string(), "--store", (ro / "s.db").string()},
                       options);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("readonly is not writable"));
  CHECK_FALSE(fs::exists(box.dir / "ran"));
}

TEST_CASE("runs and show against a missing store say so", "[cli]") {
  Sandbox box;
  auto r = box.ciperf({"runs", "--store", (box.dir / "none.db").string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("no store at"));
  CHECK_FALSE(std::filesystem::exists(box.dir / "none.db"));
}
