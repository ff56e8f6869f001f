#include "support/ciperf_run.hpp"

#include <atomic>
#include <catch2/catch.hpp>

namespace ciperf::test {

std::filesystem::path Sandbox::write_pipeline(const std::string& yaml,
                                              const std::string& name) const {
  return dir.write(name, yaml);
}

ProcessResult Sandbox::ciperf(const std::vector<std::string>& args, ProcessOptions options) const {
  std::vector<std::string> argv = {CIPERF_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  if (options.cwd.empty())
    options.cwd = dir.path();
  return run_process(argv, options);
}

CiperfRun Sandbox::run(const std::string& yaml, const std::vector<std::string>& extra_args,
                       ProcessOptions options) const {
  static std::atomic<int> counter{0};
  auto file = write_pipeline(yaml);
  CiperfRun r;
  r.run_dir = dir / ("run-" + std::to_string(counter++));
  std::vector<std::string> args = {"run",   file.string(),     "--store", store().string(),
                                   "--out", r.run_dir.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  r.process = ciperf(args, options);
  auto results = r.run_dir / "results.json";
  if (std::filesystem::exists(results)) {
    r.results = nlohmann::json::parse(read_file(results));
    require_valid_results(results);
  }
  return r;
}

void require_valid_results(const std::filesystem::path& results_json) {
  ProcessResult v = run_process(
      {"/usr/bin/python3", CIPERF_SOURCE_DIR "/tests/validate_results.py", results_json.string()},
      {});
  INFO(v.err);
  REQUIRE(v.exit_code == 0);
}

const nlohmann::json& phase(const nlohmann::json& results, const std::string& name) {
  for (const auto& p : results.at("phases"))
    if (p.at("name") == name)
      return p;
  FAIL("no phase named " << name);
  throw std::logic_error("unreachable");
}

} // namespace ciperf::test
