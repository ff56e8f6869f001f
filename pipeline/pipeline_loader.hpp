#pragma once
#include "pipeline/pipeline.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace ciperf {

// Every problem found in a pipeline file, each as `file:line:column: message`.
class PipelineError : public std::runtime_error {
public:
  explicit PipelineError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

private:
  std::vector<std::string> problems_;
};

// Loads and validates a pipeline file; throws PipelineError listing every problem found.
Pipeline load_pipeline(const std::filesystem::path& file);

} // namespace ciperf
