#include "imports/importer.hpp"

#include "common/confined_path.hpp"
#include "common/rfc3339.hpp"
#include "imports/cc_ci_results.hpp"
#include "imports/ciperf_results.hpp"
#include "imports/import_error.hpp"
#include "imports/json_stream.hpp"
#include "imports/junit_reader.hpp"
#include "imports/phase_keeper.hpp"
#include "imports/run_identity.hpp"

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

namespace ciperf {
namespace {

using nlohmann::json;

constexpr const char* kCiperfSchema = "ciperf/run/v1";

// The first byte that is not white space (after a UTF-8 byte order mark), left unread.
int first_significant(std::istream& in) {
  for (int c = in.peek(); c != EOF; c = in.peek()) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      in.get();
    } else if (c == 0xEF) { // a BOM: EF BB BF
      in.get();
      if (in.get() != 0xBB || in.get() != 0xBF)
        return 0xEF;
    } else {
      return c;
    }
  }
  return EOF;
}

std::vector<RunRecord> read_json_runs(std::istream& in, const std::string& name,
                                      const std::string& identity, ImportFormat format) {
  PhaseKeeper phases(kMaxImportedPhasesPerRun);
  std::vector<PhaseRecord> tests;
  std::vector<bool> has_status; // per test: a status of its own
  size_t stages = 0, stage_first = 0;
  JsonStreamHandlers handlers;
  handlers.element = [&](const std::string& path, size_t index, json& element) {
    if (path == "phases")
      phases.add(ciperf_phase(element, name, index));
    else if (path == "stages[].tests") {
      bool own = false;
      tests.push_back(cc_ci_test(element, name, stages, index, own));
      has_status.push_back(own);
    } else if (path == "stages") {
      cc_ci_stage(element, name, stages++, tests, has_status, stage_first);
      stage_first = tests.size();
    }
  };
  json rest = stream_json(in, name, {"phases", "stages", "stages[].tests"}, handlers);
  if (!rest.is_object())
    throw ImportError(name + ": expected a JSON object at the top, got " + rest.type_name());
  bool is_ciperf = rest.value("schema", json()).is_string() && rest["schema"] == kCiperfSchema;
  bool is_cc_ci = rest.contains("stages");
  if (is_ciperf && format != ImportFormat::CcCi) {
    RunRecord run = ciperf_run(rest, name, phases.take());
    note_left_out(run, phases);
    return {run};
  }
  if (is_cc_ci && format != ImportFormat::Ciperf)
    return {cc_ci_run(rest, name, identity, std::move(tests))};
  throw ImportError(name + ": not a results file ciperf knows: neither ciperf's results.json "
                           "(\"schema\": \"ciperf/run/v1\") nor cc-ci's (\"stages\": [...])");
}

// A run dated in the future (a typo, a broken clock, or on purpose) would sort after every real
// run; a day of slack covers clocks that disagree.
void refuse_future_runs(const std::vector<RunRecord>& runs, const std::string& path) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t limit = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count() +
                  int64_t{86'400} * 1'000'000'000;
  for (const auto& r : runs)
    if (auto start = parse_rfc3339_ns(r.started_at); start && *start > limit)
      throw ImportError(fmt::format("{}: run {} starts at {}, more than a day in the future", path,
                                    r.run_id, r.started_at));
}

} // namespace

ImportFormat parse_import_format(const std::string& text) {
  if (text == "auto")
    return ImportFormat::Auto;
  if (text == "ciperf")
    return ImportFormat::Ciperf;
  if (text == "junit")
    return ImportFormat::Junit;
  if (text == "cc-ci")
    return ImportFormat::CcCi;
  throw UsageError("unknown import format '" + text + "' (known: auto, ciperf, junit, cc-ci)");
}

std::vector<RunRecord> read_runs(std::istream& in, const std::string& name,
                                 const std::string& identity, ImportFormat format,
                                 int64_t fallback_start_ns, const ImportOptions& options) {
  int first = first_significant(in);
  if (first == EOF)
    throw ImportError(name + ": the file is empty");
  if (first == '<') {
    if (format != ImportFormat::Auto && format != ImportFormat::Junit)
      throw ImportError(name + ": this is XML, not the JSON the format needs");
    return read_junit(in, name, identity, fallback_start_ns, options);
  }
  if (first == '{' || first == '[') {
    if (format == ImportFormat::Junit)
      throw ImportError(name + ": this is JSON, not JUnit XML");
    return read_json_runs(in, name, identity, format);
  }
  throw ImportError(fmt::format("{}: neither JSON nor XML (it starts with byte 0x{:02x})", name,
                                static_cast<unsigned>(first)));
}

std::vector<RunRecord> import_file(const std::string& path, ImportFormat format,
                                   const ImportOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (fs::is_directory(status))
    throw UsageError(path + " is a directory");
  if (fs::exists(status) && !fs::is_regular_file(status)) // /dev/zero, a FIFO: would never end
    throw UsageError(path + " is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UsageError("cannot read " + path);
  std::string identity = content_identity(in);
  in.clear();
  in.seekg(0);
  auto modified = fs::last_write_time(path, ec);
  int64_t modified_ns = ec ? 0
                           : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::file_clock::to_sys(modified).time_since_epoch())
                                 .count();
  auto runs = read_runs(in, path, identity, format, modified_ns, options);
  if (!options.pipeline.empty())
    for (auto& r : runs)
      r.pipeline = options.pipeline;
  refuse_future_runs(runs, path);
  for (const auto& r : runs)
    for (const auto& p : r.phases)
      if (!p.log.empty() && !stays_inside(p.log))
        throw ImportError(fmt::format("{}: phase {}: log '{}' is outside the run's folder (an "
                                      "absolute path or one with '..')",
                                      path, p.index, p.log));
  std::string dir = fs::absolute(fs::path(path)).parent_path().string();
  for (auto& r : runs)
    if (!r.labels.count("source")) // ciperf's own: its logs are beside it
      r.run_dir = dir;
  return runs;
}

} // namespace ciperf
