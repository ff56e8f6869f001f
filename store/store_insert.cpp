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

// Run rows per INSERT: one round trip returns a chunk's row ids (50 × 40 values, within either
// engine's limit on parameters), where a run at a time waited for each.
constexpr size_t kRunsPerInsert = 50;

std::string run_rows_insert(size_t rows) {
  // Appended in steps: `"(" + std::string` trips GCC 12's -O3 -Wrestrict false positive.
  std::string row = "(";
  row.append(placeholders(run_fields().size())).append(")");
  std::string sql = "INSERT INTO runs (";
  sql.append(column_list(run_fields())).append(") VALUES ");
  for (size_t i = 0; i < rows; ++i)
    sql.append(i == 0 ? "" : ", ").append(row);
  // Another writer (another host's import of the same file) may store an id meanwhile: the
  // conflict itself says the run is stored.
  return sql + " ON CONFLICT (run_id) DO NOTHING RETURNING id, run_id";
}

const std::vector<std::string>& phase_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> out{"run"};
    for (const auto& f : phase_fields())
      out.emplace_back(f.name);
    return out;
  }();
  return columns;
}

bool has_repeated_index(const std::vector<PhaseRecord>& phases) {
  std::set<int> indices;
  for (const auto& p : phases)
    if (!indices.insert(p.index).second)
      return true;
  return false;
}

} // namespace

std::vector<std::optional<int64_t>> Store::insert_new_run_rows(std::span<const RunRecord> runs) {
  Statement& insert = db_->cached(run_rows_insert(runs.size()));
  int index = 1;
  for (const auto& r : runs)
    index = bind_fields(insert, index, run_fields(), r);
  std::map<std::string, int64_t> stored;
  while (insert.step())
    stored.emplace(insert.text(1), insert.integer(0));
  insert.reset();
  std::vector<std::optional<int64_t>> ids(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) // a run given twice is stored once, the first time
    if (auto it = stored.find(runs[i].run_id); it != stored.end()) {
      ids[i] = it->second;
      stored.erase(it);
    }
  return ids;
}

void Store::insert_run_contents(int64_t id, const RunRecord& r) {
  insert_runs_contents({&r, 1}, {id});
}

void Store::insert_runs_contents(std::span<const RunRecord> runs,
                                 const std::vector<std::optional<int64_t>>& ids) {
  // A run whose later phase replaces an earlier one at the same index goes row by row.
  std::vector<bool> row_by_row(runs.size());
  for (size_t i = 0; i < runs.size(); ++i)
    row_by_row[i] = ids[i] && has_repeated_index(runs[i].phases);
  Statement phases = db_->row_writer("phases", phase_columns());
  for (size_t i = 0; i < runs.size(); ++i) {
    if (!ids[i] || row_by_row[i])
      continue;
    for (const auto& p : runs[i].phases) {
      phases.bind(1, *ids[i]);
      bind_fields(phases, 2, phase_fields(), p);
      phases.run();
      phases.reset();
    }
  }
  phases.finish(); // before the rows below, which refer to them
  for (size_t i = 0; i < runs.size(); ++i) {
    if (!ids[i])
      continue;
    const RunRecord& r = runs[i];
    for (const auto& p : r.phases)
      if (row_by_row[i])
        insert_phase_row(*ids[i], p, true);
      else
        insert_phase_children(*ids[i], p, true);
    for (const auto& p : r.phases)
      if (p.probe)
        insert_wait(r.pipeline + "/" + p.name, *p.probe, r.started_at, *ids[i], p.index);
    if (r.prepare)
      insert_prepare(*ids[i], *r.prepare);
  }
}

size_t Store::insert_runs(const std::vector<RunRecord>& runs) {
  WriteTransaction tx(*db_);
  size_t inserted = 0;
  for (size_t first = 0; first < runs.size(); first += kRunsPerInsert) {
    std::span<const RunRecord> chunk(runs.data() + first,
                                     std::min(kRunsPerInsert, runs.size() - first));
    auto ids = insert_new_run_rows(chunk);
    Statement labels = db_->row_writer("labels", {"run", "key", "value"});
    for (size_t i = 0; i < chunk.size(); ++i)
      if (ids[i]) {
        ++inserted;
        for (const auto& [key, value] : chunk[i].labels) {
          labels.bind(1, *ids[i]).bind(2, key).bind(3, value).run();
          labels.reset();
        }
      }
    labels.finish();
    insert_runs_contents(chunk, ids);
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
