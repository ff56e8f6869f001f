// Writing complete runs in bulk (imports, benchmarks, ciperf sync): one transaction for all of
// them.
#include "store/row_codec.hpp"
#include "store/store.hpp"

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

} // namespace

void Store::insert_run_contents(int64_t id, const RunRecord& r) {
  for (const auto& p : r.phases)
    insert_phase_row(id, p);
  for (const auto& p : r.phases)
    if (p.probe)
      insert_wait(r.pipeline + "/" + p.name, *p.probe, r.started_at, id, p.index);
  if (r.prepare)
    insert_prepare(id, *r.prepare);
}

size_t Store::insert_runs(const std::vector<RunRecord>& runs) {
  WriteTransaction tx(*db_);
  size_t inserted = 0;
  for (const auto& r : runs) {
    if (has_run(r.run_id))
      continue;
    ++inserted;
    insert_run_contents(insert_run_row(r, r.status), r);
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
      insert_run_contents(insert_run_row(r, r.status), r);
      ++counts.inserted;
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
      throw SqliteError("runs.status holds an unknown value '" + stmt.text(1) + "'");
    out.emplace_back(stmt.text(0), *status);
  }
  return out;
}

} // namespace ciperf
