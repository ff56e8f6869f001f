// Concurrency sweeps: what each concluded, beside the labelled runs it made.
#include "store/database.hpp"
#include "store/store.hpp"

#include <limits>

namespace ciperf {

void Store::save_sweep(const StoredSweep& s) {
  auto stmt = db_->prepare(
      "INSERT INTO sweeps (id, started_at, finished_at, status, pipelines, levels, knee_level, "
      "knee_rule, recommended, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  stmt.bind(1, s.id);
  stmt.bind(2, s.started_at);
  stmt.bind(3, s.finished_at);
  stmt.bind(4, s.status);
  stmt.bind(5, s.pipelines);
  stmt.bind(6, s.levels);
  stmt.bind(7, s.knee_level);
  stmt.bind(8, s.knee_rule);
  stmt.bind(9, s.recommended);
  stmt.bind(10, s.summary);
  stmt.run();
}

std::vector<Store::StoredSweep> Store::list_sweeps(std::optional<int> limit) {
  auto stmt = db_->prepare("SELECT id, started_at, finished_at, status, pipelines, levels, "
                           "knee_level, knee_rule, recommended, summary FROM sweeps "
                           "ORDER BY started_at DESC, id DESC LIMIT ?");
  // No limit is the largest one: PostgreSQL refuses SQLite's LIMIT -1.
  stmt.bind(1, limit ? int64_t{*limit} : std::numeric_limits<int64_t>::max());
  std::vector<StoredSweep> out;
  while (stmt.step()) {
    StoredSweep s;
    s.id = stmt.text(0);
    s.started_at = stmt.text(1);
    s.finished_at = stmt.text(2);
    s.status = stmt.text(3);
    s.pipelines = stmt.text(4);
    s.levels = stmt.text(5);
    if (!stmt.is_null(6))
      s.knee_level = static_cast<int>(stmt.integer(6));
    s.knee_rule = stmt.text(7);
    s.recommended = static_cast<int>(stmt.integer(8));
    s.summary = stmt.text(9);
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace ciperf
