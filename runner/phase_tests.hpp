#pragma once
// A phase's `junit:` files, read after the phase ends (passed or failed): each test case becomes
// a child of the phase. What cannot be read is a warning, never a change of the phase's status:
// the test runner's exit code already said whether the tests passed.
#include "model/run_record.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct PhaseTests {
  std::vector<TestCaseRecord> tests;
  std::vector<std::string> warnings; // for the console, one line each
};

// Files a phase reads at most (a pattern that matches more says so), and warnings it gives.
inline constexpr size_t kMaxJunitFilesPerPhase = 1'000;
inline constexpr size_t kMaxJunitWarnings = 20;

// `patterns` are glob patterns (after `$VAR` expansion through `lookup`), relative to `workdir`
// unless absolute. Every matched file is read with the JUnit importer, in the order the patterns
// and then the file names give; its cap on cases holds for the phase as a whole. A file must be
// a regular one inside the directory its pattern names, symlinks resolved (runner/junit_file).
PhaseTests
read_phase_tests(const std::vector<std::string>& patterns, const std::filesystem::path& workdir,
                 const std::function<std::optional<std::string>(const std::string&)>& lookup);

} // namespace ciperf
