#include "runner/phase_tests.hpp"

#include "common/expand_env.hpp"
#include "imports/junit_reader.hpp"
#include "imports/phase_keeper.hpp"

#include <fmt/format.h>
#include <fstream>
#include <glob.h>
#include <set>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

// The files a pattern matches, sorted (glob sorts); none when nothing matches.
std::vector<std::string> matches(const std::string& pattern) {
  glob_t found{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), 0, nullptr, &found) == 0)
    for (size_t i = 0; i < found.gl_pathc; ++i)
      out.emplace_back(found.gl_pathv[i]);
  ::globfree(&found);
  return out;
}

// The reader names a case `classname::name` already (the name alone where the classname is the
// name, as ctest and jest-junit write them).
std::string test_name(const PhaseRecord& c) {
  return c.name;
}

// One file's cases appended to `out`, each starting where the phase's cases so far end.
void read_file(const std::string& path, PhaseTests& out, double& elapsed, size_t& room) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || fs::is_directory(path, ec)) {
    out.warnings.push_back(fmt::format("junit file {} could not be read", path));
    return;
  }
  auto mtime = fs::last_write_time(path, ec);
  int64_t fallback = ec ? 0
                        : std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                              .count();
  std::vector<RunRecord> suites;
  try {
    suites = read_junit(in, path, path, fallback);
  } catch (const std::exception& e) {
    out.warnings.push_back(fmt::format("junit file skipped: {}", e.what()));
    return;
  }
  size_t cut = 0;
  double cut_wall = 0;
  for (auto& suite : suites) {
    if (auto left = suite.labels.find("ciperf.left_out"); left != suite.labels.end())
      out.warnings.push_back(
          fmt::format("junit file {}: suite {} kept the failures and the slowest cases: {} left "
                      "out",
                      path, suite.pipeline, left->second));
    for (auto& c : suite.phases) {
      if (room == 0) {
        ++cut;
        cut_wall += c.wall_s;
        continue;
      }
      --room;
      out.tests.push_back({test_name(c), c.status, elapsed, c.wall_s, c.message});
      elapsed += c.wall_s;
    }
  }
  if (cut > 0)
    out.warnings.push_back(fmt::format("junit file {}: {} cases ({:.3f} s) left out: a phase keeps "
                                       "at most {} test cases",
                                       path, cut, cut_wall, kMaxImportedPhasesPerRun));
}

} // namespace

PhaseTests
read_phase_tests(const std::vector<std::string>& patterns, const fs::path& workdir,
                 const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  PhaseTests out;
  double elapsed = 0;
  size_t room = kMaxImportedPhasesPerRun;
  std::set<std::string> seen; // two patterns matching one file read it once
  for (const auto& pattern : patterns) {
    fs::path expanded = expand_env(pattern, lookup);
    fs::path full = expanded.is_absolute() ? expanded : workdir / expanded;
    auto files = matches(full.string());
    if (files.empty())
      out.warnings.push_back(fmt::format("junit: no file matches {}", full.string()));
    for (const auto& file : files)
      if (seen.insert(file).second)
        read_file(file, out, elapsed, room);
  }
  return out;
}

} // namespace ciperf
