// Writing complete runs in bulk (imports, benchmarks): one transaction for all of them.
#include "store/row_codec.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <set>

namespace ciperf {
namespace {

// Rows per INSERT: one statement's round trip and execution for a batch of phases, 20 × 45
// values within either engine's limit on parameters.
constexpr size_t kPhasesPerInsert = 20;

std::string phases_insert(size_t rows) {
  std::string row = "(?, " + placeholders(phase_fields().size()) + ")";
  std::string sql = "INSERT INTO phases (run, " + column_list(phase_fields()) + ") VALUES ";
  for (size_t i = 0; i < rows; ++i)
    sql.append(i == 0 ? "" : ", ").append(row);
  return sql;
}

} // namespace

void Store::insert_fresh_phases(int64_t run, const std::vector<PhaseRecord>& phases) {
  std::set<int> indices;
  for (const auto& p : phases)
    if (!indices.insert(p.index).second) { // a later phase replaces an earlier one: row by row
      for (const auto& q : phases)
        insert_phase_row(run, q, true);
      return;
    }
  for (size_t first = 0; first < phases.size(); first += kPhasesPerInsert) {
    size_t rows = std::min(kPhasesPerInsert, phases.size() - first);
    Statement& insert = db_->cached(phases_insert(rows));
    int index = 1;
    for (size_t i = first; i < first + rows; ++i) {
      insert.bind(index++, run);
      index = bind_fields(insert, index, phase_fields(), phases[i]);
    }
    insert.run();
  }
  for (const auto& p : phases)
    insert_phase_children(run, p, true);
}

size_t Store::insert_runs(const std::vector<RunRecord>& runs) {
  WriteTransaction tx(*db_);
  size_t inserted = 0;
  for (const auto& r : runs) {
    auto stored = insert_run_row_once(r, r.status, true);
    if (!stored)
      continue; // stored already, by an earlier import or another writer just now
    ++inserted;
    int64_t id = *stored;
    insert_fresh_phases(id, r.phases);
    for (const auto& p : r.phases)
      if (p.probe)
        insert_wait(r.pipeline + "/" + p.name, *p.probe, r.started_at, id, p.index);
  }
  tx.commit();
  return inserted;
}

} // namespace ciperf
