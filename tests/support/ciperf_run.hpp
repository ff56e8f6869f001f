#pragma once
// Running the real ciperf binary against a pipeline written by the test, in a sandbox directory
// with its own store, and reading back what it wrote.
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

namespace ciperf::test {

struct CiperfRun {
  ProcessResult process;
  std::filesystem::path run_dir;
  nlohmann::json results; // null if results.json is missing
};

class Sandbox {
public:
  std::filesystem::path store() const { return dir / "store.db"; }
  std::filesystem::path write_pipeline(const std::string& yaml,
                                       const std::string& name = "pipeline.yml") const;
  // `ciperf ARGS…` in the sandbox directory.
  ProcessResult ciperf(const std::vector<std::string>& args, ProcessOptions options = {}) const;
  // Writes the pipeline and runs it with --store and --out inside the sandbox; validates the
  // results.json it wrote against the JSON Schema.
  CiperfRun run(const std::string& yaml, const std::vector<std::string>& extra_args = {},
                ProcessOptions options = {}) const;

  TempDir dir;
};

// `writers` threads, each running `runs` times `ciperf run FILE --store STORE` (labelled
// writer=W) at once: what each writer's failed runs printed, empty for a writer that lost
// nothing. A run whose store write failed passes with a warning: that counts as a loss here.
std::vector<std::string> run_concurrent_writers(const Sandbox& box,
                                                const std::filesystem::path& pipeline,
                                                const std::string& store, int writers, int runs);

// Fails the test unless every file validates against schema/results-v1.schema.json.
void require_valid_results(const std::filesystem::path& results_json);
// The phase called `name` in a results.json document.
const nlohmann::json& phase(const nlohmann::json& results, const std::string& name);

} // namespace ciperf::test
