// libFuzzer target: the YAML pipeline loader (pipeline/), wait blocks included. The loader reads
// a file, so each input is written to one file of this process first. A PipelineError (every
// problem with its line and column) or a UsageError is a correct answer to a bad pipeline;
// anything else is a bug.
#include "common/errors.hpp"
#include "pipeline/pipeline_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("ciperf-fuzz-pipeline-" + std::to_string(::getpid()) + ".yml");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    ciperf::load_pipeline(file);
  } catch (const ciperf::PipelineError&) {
  } catch (const ciperf::UsageError&) {
  }
  return 0;
}
