// Readiness waits in the store: each wait phase's outcome with its targets, and the history
// that later waits of the same key poll by.
#include "store/detail_queries.hpp"

namespace ciperf {

void Store::insert_wait(const std::string& key, const WaitRecord& w, const std::string& recorded_at,
                        std::optional<int64_t> run, int phase_index) {
  static const std::string wait_sql = "INSERT INTO waits (key, run, phase_idx, recorded_at, " +
                                      column_list(wait_fields()) + ") VALUES (?, ?, ?, ?, " +
                                      placeholders(wait_fields().size()) + ") RETURNING id";
  static const std::string target_sql = "INSERT INTO wait_targets (wait, idx, " +
                                        column_list(wait_target_fields()) + ") VALUES (?, ?, " +
                                        placeholders(wait_target_fields().size()) + ")";
  Statement& insert = db_->cached(wait_sql);
  insert.bind(1, key).bind(2, run);
  phase_index >= 0 ? insert.bind(3, phase_index) : insert.bind_null(3);
  insert.bind(4, recorded_at);
  bind_fields(insert, 5, wait_fields(), w);
  insert.step();
  int64_t id = insert.integer(0);
  insert.reset();
  Statement& target = db_->cached(target_sql);
  for (size_t i = 0; i < w.targets.size(); ++i) {
    target.bind(1, id).bind(2, static_cast<int64_t>(i));
    bind_fields(target, 3, wait_target_fields(), w.targets[i]);
    target.run();
    target.reset();
  }
}

void Store::record_wait(const std::string& key, const WaitRecord& wait,
                        const std::string& recorded_at, const std::string& run_id,
                        int phase_index) {
  WriteTransaction tx(*db_);
  std::optional<int64_t> run;
  if (!run_id.empty())
    run = row_id(run_id);
  insert_wait(key, wait, recorded_at, run, phase_index);
  tx.commit();
}

std::optional<double> Store::earliest_ready(const std::string& key, int window) {
  auto stmt = db_->prepare("SELECT min(ready_s) FROM (SELECT ready_s FROM waits WHERE key = ? "
                           "AND outcome = ? ORDER BY id DESC LIMIT ?) recent");
  stmt.bind(1, key).bind(2, to_string(WaitOutcome::Ready)).bind(3, window);
  if (!stmt.step() || stmt.is_null(0))
    return std::nullopt;
  return stmt.real(0);
}

std::optional<WaitRecord> Store::load_wait(DetailQueries& q, int64_t run, int phase_index) {
  Statement& stmt = q.wait;
  stmt.reset();
  stmt.bind(1, run).bind(2, phase_index);
  if (!stmt.step())
    return std::nullopt;
  WaitRecord w;
  read_fields(stmt, 1, wait_fields(), w);
  Statement& targets = q.targets;
  targets.reset();
  targets.bind(1, stmt.integer(0));
  while (targets.step())
    read_fields(targets, 0, wait_target_fields(), w.targets.emplace_back());
  return w;
}

} // namespace ciperf
