// Reading phases in bulk for analysis, and writing runs in bulk.
#include "analysis/sqlite_db.hpp"
#include "analysis/store.hpp"

namespace ciperf {

void Store::for_each_phase_sample(const RunFilter& filter,
                                  const std::function<void(const PhaseSample&)>& visit) {
  std::vector<std::string> values;
  std::string runs = "SELECT id FROM runs" + where_clause(filter, values);
  if (filter.limit) // the newest N runs
    runs += " ORDER BY started_at DESC, id DESC LIMIT " + std::to_string(*filter.limit);
  // Phases in primary-key order (run, idx): runs are numbered as they start, so this is time
  // order without a sort of the whole result.
  auto stmt = db_->prepare(
      "SELECT r.run_id, r.started_at, r.pipeline, r.mode, p.idx, p.name, p.kind, p.tier, "
      "p.status, p.wall_s, p.user_s, p.sys_s, p.read_bytes, p.write_bytes, p.cpu_some_s, "
      "p.cpu_full_s, p.io_some_s, p.io_full_s, p.memory_some_s, p.memory_full_s, p.background "
      "FROM phases p JOIN runs r ON r.id = p.run WHERE p.run IN (" +
      runs + ") ORDER BY p.run, p.idx");
  for (size_t i = 0; i < values.size(); ++i)
    stmt.bind(static_cast<int>(i + 1), values[i]);
  PhaseSample s;
  while (stmt.step()) {
    stmt.text_into(0, s.run_id);
    stmt.text_into(1, s.started_at);
    stmt.text_into(2, s.pipeline);
    stmt.text_into(3, s.mode);
    s.index = static_cast<int>(stmt.integer(4));
    stmt.text_into(5, s.phase);
    stmt.text_into(6, s.kind);
    stmt.text_into(7, s.tier);
    stmt.text_into(8, s.status);
    s.wall_s = stmt.real(9);
    s.user_s = stmt.real(10);
    s.sys_s = stmt.real(11);
    s.read_bytes = stmt.integer(12);
    s.write_bytes = stmt.integer(13);
    s.pressure.reset();
    if (!stmt.is_null(14))
      s.pressure = Pressure{stmt.real(14), stmt.real(15), stmt.real(16),
                            stmt.real(17), stmt.real(18), stmt.real(19)};
    s.background = stmt.integer(20) != 0;
    visit(s);
  }
}

bool Store::has_run(const std::string& run_id) {
  auto stmt = db_->prepare("SELECT 1 FROM runs WHERE run_id = ?");
  stmt.bind(1, run_id);
  return stmt.step();
}

std::vector<PhaseSample> Store::phase_samples(const RunFilter& filter) {
  std::vector<PhaseSample> out;
  for_each_phase_sample(filter, [&](const PhaseSample& s) { out.push_back(s); });
  return out;
}

size_t Store::insert_runs(const std::vector<RunRecord>& runs) {
  WriteTransaction tx(*db_);
  auto exists = db_->prepare("SELECT 1 FROM runs WHERE run_id = ?");
  size_t inserted = 0;
  auto run_insert = db_->prepare(
      "INSERT INTO runs (run_id, pipeline, pipeline_file, mode, status, started_at, finished_at, "
      "wall_s, deploys, expected_deploys, hostname, cpus, memory_bytes, kernel, run_dir) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto label = db_->prepare("INSERT INTO labels (run, key, value) VALUES (?, ?, ?)");
  auto metric = db_->prepare(
      "INSERT OR REPLACE INTO metrics (run, phase_idx, name, value, unit) VALUES (?,?,?,?,?)");
  auto phase = db_->prepare(
      "INSERT INTO phases (run, idx, name, kind, tier, status, exit_code, signal, background, "
      "always, start_s, wall_s, user_s, sys_s, max_rss_bytes, read_bytes, write_bytes, "
      "cpu_some_s, cpu_full_s, io_some_s, io_full_s, memory_some_s, memory_full_s, budget_s, "
      "over_budget, log, message) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const auto& r : runs) {
    exists.bind(1, r.run_id);
    bool stored = exists.step();
    exists.reset();
    if (stored)
      continue;
    ++inserted;
    run_insert.bind(1, r.run_id).bind(2, r.pipeline).bind(3, r.pipeline_file).bind(4, r.mode);
    run_insert.bind(5, r.status).bind(6, r.started_at).bind(7, r.finished_at).bind(8, r.wall_s);
    run_insert.bind(9, r.deploys).bind(10, r.expected_deploys).bind(11, r.host.hostname);
    run_insert.bind(12, r.host.cpus).bind(13, r.host.memory_bytes).bind(14, r.host.kernel);
    run_insert.bind(15, r.run_dir).run();
    run_insert.reset();
    int64_t id = db_->last_insert_rowid();
    for (const auto& [key, value] : r.labels) {
      label.bind(1, id).bind(2, key).bind(3, value).run();
      label.reset();
    }
    for (const auto& p : r.phases) {
      phase.bind(1, id).bind(2, p.index).bind(3, p.name).bind(4, p.kind).bind(5, p.tier);
      phase.bind(6, p.status).bind(7, p.exit_code).bind(8, p.signal);
      phase.bind(9, p.background ? 1 : 0).bind(10, p.always ? 1 : 0).bind(11, p.start_s);
      phase.bind(12, p.wall_s).bind(13, p.user_s).bind(14, p.sys_s).bind(15, p.max_rss_bytes);
      phase.bind(16, p.read_bytes).bind(17, p.write_bytes);
      bind_pressure(phase, 18, p.pressure);
      phase.bind(24, p.budget_s).bind(25, p.over_budget ? 1 : 0).bind(26, p.log);
      phase.bind(27, p.message).run();
      phase.reset();
    }
    for (const auto& p : r.phases)
      for (const auto& m : p.metrics) {
        metric.bind(1, id).bind(2, p.index).bind(3, m.name).bind(4, m.value).bind(5, m.unit);
        metric.run();
        metric.reset();
      }
    for (const auto& p : r.phases)
      if (p.probe)
        insert_wait(r.pipeline + "/" + p.name, *p.probe, r.started_at, id, p.index);
  }
  tx.commit();
  return inserted;
}

} // namespace ciperf
