// Reading phases in bulk for analysis, one sample at a time.
#include "store/row_codec.hpp"
#include "store/store.hpp"

#include <vector>

namespace ciperf {
namespace {

// The phase fields the analyses read: a million samples load these and nothing else.
const std::vector<Field<PhaseRecord>>& sample_fields() {
  static const std::vector<Field<PhaseRecord>> fields = [] {
    std::vector<Field<PhaseRecord>> out;
    for (auto name : {"idx", "name", "kind", "tier", "status", "background", "wall_s", "user_s",
                      "sys_s", "read_bytes", "write_bytes", "cpu_some_s", "cpu_full_s", "io_some_s",
                      "io_full_s", "memory_some_s", "memory_full_s"})
      out.push_back(field_named(phase_fields(), name));
    return out;
  }();
  return fields;
}

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
  auto stmt = db_->prepare("SELECT r.run_id, r.started_at, r.pipeline, r.mode, " +
                           column_list(fields, "p.") +
                           " FROM phases p JOIN runs r ON r.id = p.run WHERE p.run IN (" + runs +
                           ") ORDER BY p.run, p.idx");
  for (size_t i = 0; i < values.size(); ++i)
    stmt.bind(static_cast<int>(i + 1), values[i]);
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
    read_fields(stmt, 4, fields, static_cast<PhaseRecord&>(s));
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

std::vector<PhaseSample> Store::phase_samples(const RunFilter& filter) {
  std::vector<PhaseSample> out;
  for_each_phase_sample(filter, [&](const PhaseSample& s) { out.push_back(s); });
  return out;
}

} // namespace ciperf
