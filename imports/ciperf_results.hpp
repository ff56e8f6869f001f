#pragma once
// ciperf's own results.json (schema ciperf/run/v1) back into a RunRecord.
#include "model/run_record.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace ciperf {

PhaseRecord ciperf_phase(const nlohmann::json& phase, const std::string& file, size_t index);
// `rest` is the document without its phases, which were read one at a time.
RunRecord ciperf_run(const nlohmann::json& rest, const std::string& file,
                     std::vector<PhaseRecord> phases);

} // namespace ciperf
