// Accepted change points: the steps a user marked expected, so history stops alerting on them.
#include "store/database.hpp"
#include "store/store.hpp"

namespace ciperf {

void Store::accept_change(const AcceptedChange& change) {
  auto stmt = db_->prepare(
      "INSERT INTO accepted_changes (pipeline, phase, run_id, accepted_at, note) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (pipeline, phase, run_id) DO UPDATE SET note = "
      "excluded.note");
  stmt.bind(1, change.pipeline);
  stmt.bind(2, change.phase);
  stmt.bind(3, change.run_id);
  stmt.bind(4, change.accepted_at);
  stmt.bind(5, change.note);
  stmt.run();
}

std::vector<Store::AcceptedChange> Store::accepted_changes() {
  auto stmt = db_->prepare("SELECT pipeline, phase, run_id, accepted_at, note FROM "
                           "accepted_changes ORDER BY accepted_at, pipeline, phase");
  std::vector<AcceptedChange> out;
  while (stmt.step())
    out.push_back({stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4)});
  return out;
}

} // namespace ciperf
