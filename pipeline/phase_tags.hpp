#pragma once
// Opt-in phases: a phase with `tags: [extra]` runs only when one of its tags is selected
// (`--tags extra`, or $CIPERF_TAGS for CI parameters); untagged phases always run. A phase that
// is not selected is left out of the run altogether, not recorded as skipped: it was not asked
// for, so it cannot count as a failure. The selected tags that some phase carries are the run's
// tag set, recorded as its `tags` label so that runs are only compared with runs that ran the
// same phases.
#include "common/redactor.hpp"
#include "pipeline/pipeline.hpp"

#include <set>
#include <string>
#include <vector>

namespace ciperf {

// A tag: 1 to 64 of [A-Za-z0-9_.-].
bool valid_tag(const std::string& tag);
// The tags of `--tags` flags (comma-separated, repeatable), else of $CIPERF_TAGS. Throws
// UsageError on an invalid one.
std::set<std::string> selected_tags(const std::vector<std::string>& flags);

struct TagSelection {
  Pipeline pipeline; // the phases that run
  int left_out = 0;  // tagged phases that do not
  std::set<std::string> left_out_tags;
  std::string tag_set;             // "a,b": the selected tags some phase carries; "" if none
  std::vector<std::string> unused; // selected tags no phase carries
};

// Throws UsageError when no phase is left to run.
TagSelection select_phases(const Pipeline& pipeline, const std::set<std::string>& selected);

// Says on stderr what the selection left out or did not use (nothing when there is nothing),
// through the run's redactor: a tag or the pipeline's name may hold a secret's value.
void explain_selection(const TagSelection& selection, const Redactor& redactor);

} // namespace ciperf
