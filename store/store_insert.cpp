// Writing complete runs in bulk (imports, benchmarks): one transaction for all of them.
#include "store/row_codec.hpp"
#include "store/store.hpp"

namespace ciperf {

size_t Store::insert_runs(const std::vector<RunRecord>& runs) {
  WriteTransaction tx(*db_);
  size_t inserted = 0;
  for (const auto& r : runs) {
    if (has_run(r.run_id))
      continue;
    ++inserted;
    int64_t id = insert_run_row(r, r.status);
    for (const auto& p : r.phases)
      insert_phase_row(id, p, true);
    for (const auto& p : r.phases)
      if (p.probe)
        insert_wait(r.pipeline + "/" + p.name, *p.probe, r.started_at, id, p.index);
  }
  tx.commit();
  return inserted;
}

} // namespace ciperf
