#pragma once
// results.json v1 (schema/results-v1.schema.json, README "results.json"): the run as one JSON
// document; also `report --format json` (make_json_export).
#include "model/run_record.hpp"

#include <filesystem>
#include <string>

namespace ciperf {

inline constexpr const char* kResultsSchema = "ciperf/run/v1";

std::string results_json(const RunRecord& run);
// A wait as JSON: the `probe` object of a wait phase, and `ciperf wait --json`.
std::string wait_json(const WaitRecord& wait);
// Writes `dir/results.json` through a temporary file and a rename: readers never see half a file.
void write_results_json(const RunRecord& run, const std::filesystem::path& dir);

} // namespace ciperf
