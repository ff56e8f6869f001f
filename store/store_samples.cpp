// Reading phases in bulk for analysis, one sample at a time.
#include "store/row_codec.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"

#include <vector>

namespace ciperf {
namespace {

// The phase fields the analyses read: a million samples load these and nothing else.
const std::vector<Field<PhaseRecord>>& sample_fields() {
  static const std::vector<Field<PhaseRecord>> fields = [] {
    std::vector<Field<PhaseRecord>> out;
    for (auto name : {"idx",
                      "name",
                      "kind",
                      "tier",
                      "status",
                      "background",
                      "wall_s",
                      "user_s",
                      "sys_s",
                      "read_bytes",
                      "write_bytes",
                      "cpu_some_s",
                      "cpu_full_s",
                      "io_some_s",
                      "io_full_s",
                      "memory_some_s",
                      "memory_full_s",
                      "tree_user_s",
                      "tree_sys_s",
                      "tree_read_bytes",
                      "tree_write_bytes",
                      "own_cpu_some_s",
                      "own_cpu_full_s",
                      "own_io_some_s",
                      "own_io_full_s",
                      "own_memory_some_s",
                      "own_memory_full_s"})
      out.push_back(field_named(phase_fields(), name));
    return out;
  }();
  return fields;
}

// The services' cost rows of the same runs, in the same (run, phase) order as the phases: read
// alongside them, a merge rather than a query per phase.
class ServiceCursor {
public:
  ServiceCursor(Database& db, const std::string& runs, const std::vector<std::string>& values)
      : stmt_(db.prepare("SELECT run, phase_idx, service_idx, name, user_s, sys_s FROM "
                         "service_costs WHERE run IN (" +
                         runs + ") ORDER BY run, phase_idx, service_idx")) {
    for (size_t i = 0; i < values.size(); ++i)
      stmt_.bind(static_cast<int>(i + 1), values[i]);
    more_ = stmt_.step();
  }
  // The costs of phase `idx` of run `run` into `out`.
  void read(int64_t run, int64_t idx, std::vector<ServiceCost>& out) {
    out.clear();
    while (more_ && std::pair(stmt_.integer(0), stmt_.integer(1)) < std::pair(run, idx))
      more_ = stmt_.step();
    while (more_ && stmt_.integer(0) == run && stmt_.integer(1) == idx) {
      out.push_back({static_cast<int>(stmt_.integer(2)), stmt_.text(3), stmt_.real(4),
                     stmt_.real(5), std::nullopt});
      more_ = stmt_.step();
    }
  }

private:
  Statement stmt_;
  bool more_ = false;
};

} // namespace

void Store::for_each_phase_sample(const RunFilter& filter,
                                  const std::function<void(const PhaseSample&)>& visit) {
  std::vector<std::string> values;
  std::string runs = "SELECT id FROM runs" + where_clause(filter, values);
  if (filter.limit) // the newest N runs: the last recorded (a run's own stamp may lie)
    runs += " ORDER BY id DESC LIMIT " + std::to_string(*filter.limit);
  std::span<const Field<PhaseRecord>> fields = sample_fields();
  // Phases in primary-key order (run, idx): runs are numbered as they start, so this is time
  // order without a sort of the whole result.
  auto stmt = db_->prepare("SELECT r.run_id, r.started_at, r.pipeline, r.mode, p.run, " +
                           column_list(fields, "p.") +
                           " FROM phases p JOIN runs r ON r.id = p.run WHERE p.run IN (" + runs +
                           ") ORDER BY p.run, p.idx");
  for (size_t i = 0; i < values.size(); ++i)
    stmt.bind(static_cast<int>(i + 1), values[i]);
  ServiceCursor services(*db_, runs, values);
  PhaseSample s;
  std::string mode;
  while (stmt.step()) {
    stmt.text_into(0, s.run_id);
    stmt.text_into(1, s.started_at);
    stmt.text_into(2, s.pipeline);
    stmt.text_into(3, mode);
    auto parsed = parse_enum<RunMode>(mode);
    if (!parsed)
      throw_bad_column("mode");
    s.mode = *parsed;
    s.pressure.reset();
    s.own_pressure.reset();
    read_fields(stmt, 5, fields, static_cast<PhaseRecord&>(s));
    services.read(stmt.integer(4), s.index, s.services);
    visit(s);
  }
}

bool Store::has_run(const std::string& run_id) {
  Statement& stmt = db_->cached("SELECT 1 FROM runs WHERE run_id = ?");
  stmt.bind(1, run_id);
  bool found = stmt.step();
  stmt.reset();
  return found;
}

std::set<std::string> Store::runs_labelled(const std::string& key, const std::string& value) {
  auto stmt = db_->prepare("SELECT r.run_id FROM runs r JOIN labels l ON l.run = r.id "
                           "WHERE l.key = ? AND l.value = ?");
  stmt.bind(1, key).bind(2, value);
  std::set<std::string> ids;
  while (stmt.step())
    ids.insert(stmt.text(0));
  return ids;
}

std::vector<PhaseSample> Store::phase_samples(const RunFilter& filter) {
  std::vector<PhaseSample> out;
  for_each_phase_sample(filter, [&](const PhaseSample& s) { out.push_back(s); });
  return out;
}

} // namespace ciperf
