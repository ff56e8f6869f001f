#pragma once
// cc-ci's results.json: {recipe, version, pr, ref, run_id, finished, stages: [{name, status,
// tests: [{name, status, ms}]}]}. A stage becomes a tier, a test a phase of kind test.
#include "model/run_record.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

// A test; `has_status` says whether it gave a status of its own (else its stage's applies).
PhaseRecord cc_ci_test(const nlohmann::json& test, const std::string& file, size_t stage,
                       size_t index, bool& has_status);
// A stage has ended: its tests [first, end) get its name as their tier, and its status where
// they have none (has_status[i] false).
void cc_ci_stage(const nlohmann::json& stage, const std::string& file, size_t index,
                 std::vector<PhaseRecord>& phases, const std::vector<bool>& has_status,
                 size_t first);
RunRecord cc_ci_run(const nlohmann::json& rest, const std::string& file,
                    const std::string& identity, std::vector<PhaseRecord> phases);

// pass, passed, ok, success → passed; skip, skipped → skipped; empty → none; anything else →
// failed.
std::optional<PhaseStatus> normal_test_status(const std::string& status);

} // namespace ciperf
