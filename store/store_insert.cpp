// Writing complete runs in bulk (imports, benchmarks, ciperf sync): one transaction for all of
// them.
#include "store/row_codec.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <set>

namespace ciperf {
namespace {

// What a run owns besides its row; wait_targets go with their waits (ON DELETE CASCADE).
constexpr const char* kRunChildTables[] = {"labels",      "phases",   "metrics", "service_costs",
                                           "phase_tests", "prepares", "waits"};

// "a = ?, b = ?, …": every field of the run row, for an update in place.
std::string assign_all(std::span<const Field<RunRecord>> fields) {
  std::string out;
  for (const auto& f : fields)
    out.append(out.empty() ? "" : ", ").append(f.name).append(" = ?");
  return out;
}

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

void Store::insert_run_contents(int64_t id, const RunRecord& r) {
  insert_fresh_phases(id, r.phases);
  for (const auto& p : r.phases)
    if (p.probe)
      insert_wait(r.pipeline + "/" + p.name, *p.probe, r.started_at, id, p.index);
  if (r.prepare)
    insert_prepare(id, *r.prepare);
}

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
    insert_run_contents(*stored, r);
  }
  tx.commit();
  return inserted;
}

void Store::replace_run(int64_t id, const RunRecord& r) {
  static const std::string sql = "UPDATE runs SET " + assign_all(run_fields()) + " WHERE id = ?";
  Statement& update = db_->cached(sql);
  int next = bind_fields(update, 1, run_fields(), r);
  update.bind(next, id).run();
  update.reset();
  for (const char* table : kRunChildTables) {
    Statement& drop = db_->cached(std::string("DELETE FROM ") + table + " WHERE run = ?");
    drop.bind(1, id).run();
    drop.reset();
  }
  insert_labels(id, r.labels);
  insert_run_contents(id, r);
}

Store::MergeCounts Store::merge_runs(const std::vector<RunRecord>& runs) {
  WriteTransaction tx(*db_);
  MergeCounts counts;
  Statement& stored = db_->cached("SELECT id, status FROM runs WHERE run_id = ?");
  for (const auto& r : runs) {
    stored.bind(1, r.run_id);
    bool found = stored.step();
    int64_t id = found ? stored.integer(0) : 0;
    bool incomplete = found && stored.text(1) == to_string(RunStatus::Incomplete);
    stored.reset(); // before the writes below
    if (!found) {
      // Another writer may store the id meanwhile (a second sync of the same spool): present.
      auto inserted = insert_run_row_once(r, r.status, true);
      if (inserted)
        insert_run_contents(*inserted, r);
      ++(inserted ? counts.inserted : counts.present);
    } else if (incomplete && r.status != RunStatus::Incomplete) {
      replace_run(id, r);
      ++counts.updated;
    } else {
      ++counts.present;
    }
  }
  tx.commit();
  return counts;
}

std::vector<std::pair<std::string, RunStatus>> Store::run_statuses() {
  auto stmt = db_->prepare("SELECT run_id, status FROM runs ORDER BY id");
  std::vector<std::pair<std::string, RunStatus>> out;
  while (stmt.step()) {
    auto status = parse_enum<RunStatus>(stmt.text(1));
    if (!status)
      throw StoreError("runs.status holds an unknown value '" + stmt.text(1) + "'");
    out.emplace_back(stmt.text(0), *status);
  }
  return out;
}

} // namespace ciperf
