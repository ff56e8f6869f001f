#include "runner/warm_up.hpp"

#include "common/errors.hpp"
#include "common/redactor.hpp"
#include "common/text_escape.hpp"
#include "runner/orchestrator.hpp"
#include "runner/run_context.hpp"
#include "store/store.hpp"

#include <chrono>
#include <filesystem>

namespace ciperf {

int warm_up(const Pipeline& pipeline, RunMode mode) {
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("ciperf-warmup-" + new_run_id(std::chrono::system_clock::now()));
  fs::create_directories(dir);
  int code = kExitInternal;
  {
    Store scratch((dir / "scratch.db").string());
    RunOptions options;
    options.mode = mode;
    options.out_dir = dir / "run";
    options.quiet = true;
    code = run_pipeline(pipeline, options, scratch).exit_code;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return code;
}

std::string shown_name(const Pipeline& pipeline) {
  return terminal_escape(Redactor(secret_values(pipeline)).apply(pipeline.name));
}

} // namespace ciperf
