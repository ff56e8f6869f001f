#pragma once
// The body shared by the importers' fuzz targets: read the input as `format`, and render every
// run it yields in every report format. An ImportError is a correct answer to a bad input;
// anything else (a crash, a sanitizer report, another exception) is a bug.
#include "imports/import_error.hpp"
#include "imports/importer.hpp"
#include "reports/report_format.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

namespace ciperf {

inline int fuzz_import(const uint8_t* data, size_t size, ImportFormat format) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<RunRecord> runs;
  try {
    runs = read_runs(in, "fuzz-input", "fuzz", format);
  } catch (const ImportError&) {
    return 0;
  }
  Report report;
  for (auto& r : runs)
    report.runs.push_back({std::move(r), {}});
  for (const auto& format : report_formats()) {
    std::ostringstream out;
    format.write(report, out);
  }
  return 0;
}

} // namespace ciperf
