#pragma once
// What `ciperf publish` tells a forge (Gitea, Forgejo) about a run: the commit status's state
// and one-line description, and the PR comment (the Markdown report under a hidden marker by
// which the next publish finds it). Pure functions of the run and its verdicts.
#include "analysis/comparison.hpp"
#include "model/run_record.hpp"
#include "reports/report.hpp"

#include <string>
#include <vector>

namespace ciperf {

enum class CommitState { Pending, Success, Failure, Error };
const char* commit_state_name(CommitState s); // Gitea's: pending, success, failure, error

// A run that is still being recorded is pending; interrupted, an error (nothing was judged); a
// failed or timed-out run, or a regression, a failure; otherwise success (an inconclusive
// comparison does not fail a commit: its description says so).
CommitState commit_state(RunStatus status, Outcome outcome);

// "passed in 9.52s · no regression against baseline nightly", at most kDescriptionBytes (GitHub
// cuts at 140 characters, and forges show one line). When no phase has samples on both sides
// (an empty history), it says the run was not judged rather than "no regression".
inline constexpr size_t kDescriptionBytes = 140;
std::string status_description(const RunRecord& run, const std::vector<PhaseComparison>& verdicts,
                               const std::string& against);

// "<!-- ciperf:NAME -->": NAME is the pipeline with every byte but [A-Za-z0-9._/-] and every
// second dash of a pair written %XX, so no name can end the HTML comment or hide in it.
std::string comment_marker(const std::string& pipeline);

// The marker line, then the run's Markdown report.
std::string comment_body(const Report& report, const std::string& pipeline);

} // namespace ciperf
