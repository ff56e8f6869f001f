#pragma once
// The pipeline file (README "Pipelines") as loaded and validated: everything the orchestrator
// needs, with paths made absolute and defaults applied.
#include "common/duration.hpp"
#include "exec/command.hpp"
#include "model/enums.hpp"
#include "probes/probe_spec.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct PhaseSpec {
  std::string name;
  PhaseKind kind = PhaseKind::Other;
  std::string tier;
  Command run;                  // unless `wait` is set
  std::optional<WaitSpec> wait; // a readiness wait; target strings are expanded when it runs
  Duration timeout{};
  Duration grace{};
  std::optional<Duration> budget;
  bool background = false;
  bool always = false;
  // What the phase leaves running (a background phase, a daemon) outlives the run: a long-lived
  // shared service. Killed only if ciperf itself is killed before the run ends.
  bool keep = false;
  std::vector<std::string> tags; // opt-in: runs only when one is selected (phase_tags.hpp)
  std::filesystem::path workdir;
  std::map<std::string, std::string> env;
  // JUnit files the phase writes, read after it ends (its test cases become its children): glob
  // patterns relative to `workdir`, `$VARS` expanded when the phase runs.
  std::vector<std::string> junit;
  int line = 0;
};

inline constexpr Duration kDefaultPhaseTimeout = std::chrono::hours(1);
inline constexpr Duration kDefaultGrace = std::chrono::seconds(5);

struct Pipeline {
  std::string name;
  std::filesystem::path file;
  std::filesystem::path workdir;
  std::map<std::string, std::string> env;
  std::vector<std::string> secrets; // variable names
  std::optional<Command> cold_prepare;
  Duration default_timeout{};
  Duration default_grace{};
  std::vector<PhaseSpec> phases;
  std::optional<int> expected_deploys;
};

} // namespace ciperf
