// `ciperf check`: a pipeline validated without running it.
#include "cli/commands.hpp"
#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "pipeline/pipeline_loader.hpp"

#include <fmt/format.h>
#include <iostream>

namespace ciperf {

int command_check(const std::string& file) {
  Pipeline p = load_pipeline(file);
  size_t background = 0, always = 0;
  for (const auto& phase : p.phases) {
    background += phase.background;
    always += phase.always;
  }
  std::cout << fmt::format("{}: ok: pipeline '{}', {} phases ({} background, {} always)\n",
                           terminal_escape(file), terminal_escape(p.name), p.phases.size(),
                           background, always);
  return kExitPassed;
}

} // namespace ciperf
