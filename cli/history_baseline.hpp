#pragma once
// What `compare` judges against when no stored baseline has the candidates' pipeline (or when
// --history asks for it): the candidates' own recent history. Per candidate group, the newest
// runs recorded before the candidates, of the same pipeline, mode, tag set and host class, that
// passed, back to the newest accepted change (ciperf changes --accept) and at most kHistoryRuns.
#include "analysis/candidates.hpp"
#include "model/baseline.hpp"

#include <map>
#include <string>

namespace ciperf {

class Store;

inline constexpr int kHistoryRuns = 30;

// `any_host`: the history of every host class, not only the newest candidate's.
Baseline history_baseline(Store& store,
                          const std::map<std::pair<std::string, RunMode>, CandidateGroup>& groups,
                          bool any_host = false);

} // namespace ciperf
