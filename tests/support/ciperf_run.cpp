#include "support/ciperf_run.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

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

std::vector<std::string> run_concurrent_writers(const Sandbox& box,
                                                const std::filesystem::path& pipeline,
                                                const std::string& store, int writers, int runs) {
  std::vector<std::string> errors(static_cast<size_t>(writers));
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < runs; ++i) {
        auto out = box.dir / ("w" + std::to_string(w) + "-" + std::to_string(i));
        auto r = box.ciperf({"run", pipeline.string(), "--store", store, "--out", out.string(),
                             "--label", "writer=" + std::to_string(w)});
        if (r.exit_code != 0 || r.err.find("warning: store") != std::string::npos)
          errors[static_cast<size_t>(w)] += "run " + std::to_string(i) + ": " + r.err;
      }
    });
  for (auto& t : threads)
    t.join();
  return errors;
}

} // namespace ciperf::test
