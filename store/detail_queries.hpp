#pragma once
// The statements that load one stored run's details (store.cpp and store_waits.cpp share them).
#include "store/row_codec.hpp"
#include "store/store.hpp"

namespace ciperf {

// The statements that load one run's details, prepared once for a whole export.
struct Store::DetailQueries {
  explicit DetailQueries(Database& db)
      : labels(db.prepare("SELECT key, value FROM labels WHERE run = ?")),
        phases(db.prepare("SELECT " + column_list(phase_fields()) +
                          " FROM phases WHERE run = ? ORDER BY idx")),
        metrics(db.prepare("SELECT phase_idx, name, value, unit FROM metrics WHERE run = ? "
                           "ORDER BY phase_idx, name")),
        services(db.prepare("SELECT phase_idx, service_idx, name, user_s, sys_s, cpu_some_s, "
                            "cpu_full_s, io_some_s, io_full_s, memory_some_s, memory_full_s "
                            "FROM service_costs WHERE run = ? ORDER BY phase_idx, service_idx")),
        tests(
            db.prepare("SELECT phase_idx, name, status, start_s, wall_s, message FROM phase_tests "
                       "WHERE run = ? ORDER BY phase_idx, idx")),
        prepare(
            db.prepare("SELECT " + column_list(prepare_fields()) + " FROM prepares WHERE run = ?")),
        wait(db.prepare("SELECT id, " + column_list(wait_fields()) +
                        " FROM waits WHERE run = ? AND phase_idx = ? ORDER BY id DESC LIMIT 1")),
        targets(db.prepare("SELECT " + column_list(wait_target_fields()) +
                           " FROM wait_targets WHERE wait = ? ORDER BY idx")) {}
  Statement labels, phases, metrics, services, tests, prepare, wait, targets;
};

} // namespace ciperf
