#pragma once
// Realistic records for the micro-benchmarks: a cc-ci-shaped run of `phases` phases.
#include "model/run_record.hpp"

#include <string>

namespace ciperf::bench {

inline RunRecord sample_run(const std::string& id, int phases) {
  RunRecord run;
  run.run_id = id;
  run.pipeline = "abra-recipe";
  run.mode = RunMode::Warm;
  run.status = RunStatus::Passed;
  run.started_at = "2026-11-27T15:00:00.000Z";
  run.finished_at = "2026-11-27T15:10:00.000Z";
  run.wall_s = 600;
  run.labels = {{"branch", "main"}, {"recipe", "custom-html"}};
  run.host = {"ci-runner", 2, int64_t{24} << 30, "Linux 6.1", "AMD EPYC", "kvm"};
  run.deploys = 2;
  run.expected_deploys = 2;
  for (int i = 0; i < phases; ++i) {
    PhaseRecord p;
    p.index = i;
    p.name = "phase-" + std::to_string(i);
    p.kind = i % 5 == 0 ? PhaseKind::Deploy : PhaseKind::Test;
    p.tier = "functional";
    p.status = PhaseStatus::Passed;
    p.exit_code = 0;
    p.start_s = i * 3.0;
    p.wall_s = 2.5;
    p.user_s = 0.7;
    p.sys_s = 0.2;
    p.max_rss_bytes = 50 << 20;
    p.read_bytes = 1 << 20;
    p.write_bytes = 4 << 20;
    p.pressure = Pressure{0.1, 0.0, 1.2, 0.9, 0.0, 0.0};
    p.log = "logs/" + std::to_string(i) + ".log";
    p.metrics = {{"bytes_pulled", 1e6, "B"}};
    p.budget_s = 5;
    run.phases.push_back(p);
  }
  return run;
}

} // namespace ciperf::bench
