#include "runner/phase_tests.hpp"

#include "common/expand_env.hpp"
#include "imports/junit_reader.hpp"
#include "imports/phase_keeper.hpp"
#include "runner/junit_file.hpp"

#include <fmt/format.h>
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

// One file's suites, or none with a warning that says why.
std::vector<RunRecord> suites_of(const std::string& path, const fs::path& base, PhaseTests& out) {
  JunitFile file(path, base);
  if (!file.refusal().empty()) {
    out.warnings.push_back(fmt::format("junit file {} skipped: it {}", path, file.refusal()));
    return {};
  }
  std::vector<RunRecord> suites;
  std::string problem;
  try {
    suites = read_junit(file.stream(), path, path, file.mtime_ns());
  } catch (const std::exception& e) {
    problem = e.what();
  }
  std::string moving =
      file.changed() ? " (it changed while ciperf read it: still being written?)" : "";
  if (!problem.empty()) {
    out.warnings.push_back(fmt::format("junit file skipped: {}{}", problem, moving));
    return {};
  }
  if (!moving.empty())
    out.warnings.push_back(fmt::format("junit file {}: read as it was{}", path, moving));
  return suites;
}

// One file's cases appended to `out`, each starting where the phase's cases so far end.
void read_file(const std::string& path, const fs::path& base, PhaseTests& out, double& elapsed,
               size_t& room) {
  std::vector<RunRecord> suites = suites_of(path, base, out);
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

// Thousands of unreadable files (a pattern too wide) would be thousands of lines: the files'
// warnings are counted past a few.
void bound_warnings(PhaseTests& out) {
  if (out.warnings.size() <= kMaxJunitWarnings)
    return;
  size_t more = out.warnings.size() - (kMaxJunitWarnings - 1);
  out.warnings.resize(kMaxJunitWarnings - 1);
  out.warnings.push_back(fmt::format("{} more junit warnings not shown", more));
}

// A phase's files read so far.
struct Reading {
  PhaseTests out;
  double elapsed = 0; // where the next case starts in the phase
  size_t room = kMaxImportedPhasesPerRun;
  std::set<std::string> seen;           // two patterns matching one file read it once
  std::vector<std::string> per_pattern; // always shown: a line or two a pattern
};

void read_pattern(const fs::path& full, Reading& r) {
  auto files = matches(full.string());
  if (files.empty())
    r.per_pattern.push_back(fmt::format("junit: no file matches {}", full.string()));
  fs::path base = pattern_base(full);
  size_t unread = 0;
  for (const auto& file : files) {
    if (r.seen.size() >= kMaxJunitFilesPerPhase && !r.seen.contains(file))
      ++unread;
    else if (r.seen.insert(file).second)
      read_file(file, base, r.out, r.elapsed, r.room);
  }
  if (unread > 0)
    r.per_pattern.push_back(fmt::format("junit: {} matches {} files; a phase reads at most {}: "
                                        "{} left unread",
                                        full.string(), files.size(), kMaxJunitFilesPerPhase,
                                        unread));
}

} // namespace

PhaseTests
read_phase_tests(const std::vector<std::string>& patterns, const fs::path& workdir,
                 const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  Reading r;
  for (const auto& pattern : patterns) {
    fs::path expanded = expand_env(pattern, lookup);
    read_pattern(expanded.is_absolute() ? expanded : workdir / expanded, r);
  }
  bound_warnings(r.out);
  r.out.warnings.insert(r.out.warnings.end(), r.per_pattern.begin(), r.per_pattern.end());
  return std::move(r.out);
}

} // namespace ciperf
