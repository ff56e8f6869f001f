#include "imports/importer.hpp"

#include "imports/cc_ci_results.hpp"
#include "imports/ciperf_results.hpp"
#include "imports/import_error.hpp"
#include "imports/json_stream.hpp"
#include "imports/junit_reader.hpp"
#include "imports/run_identity.hpp"

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
  std::vector<PhaseRecord> phases, tests;
  std::vector<bool> has_status; // per test: a status of its own
  size_t stages = 0, stage_first = 0;
  JsonStreamHandlers handlers;
  handlers.element = [&](const std::string& path, size_t index, json& element) {
    if (path == "phases")
      phases.push_back(ciperf_phase(element, name, index));
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
  if (is_ciperf && format != ImportFormat::CcCi)
    return {ciperf_run(rest, name, std::move(phases))};
  if (is_cc_ci && format != ImportFormat::Ciperf)
    return {cc_ci_run(rest, name, identity, std::move(tests))};
  throw ImportError(name + ": not a results file ciperf knows: neither ciperf's results.json "
                           "(\"schema\": \"ciperf/run/v1\") nor cc-ci's (\"stages\": [...])");
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
                                 int64_t fallback_start_ns) {
  int first = first_significant(in);
  if (first == EOF)
    throw ImportError(name + ": the file is empty");
  if (first == '<') {
    if (format != ImportFormat::Auto && format != ImportFormat::Junit)
      throw ImportError(name + ": this is XML, not the JSON the format needs");
    return read_junit(in, name, identity, fallback_start_ns);
  }
  if (first == '{' || first == '[') {
    if (format == ImportFormat::Junit)
      throw ImportError(name + ": this is JSON, not JUnit XML");
    return read_json_runs(in, name, identity, format);
  }
  throw ImportError(fmt::format("{}: neither JSON nor XML (it starts with byte 0x{:02x})", name,
                                static_cast<unsigned>(first)));
}

std::vector<RunRecord> import_file(const std::string& path, ImportFormat format) {
  namespace fs = std::filesystem;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UsageError("cannot read " + path);
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw UsageError(path + " is a directory");
  std::string identity = content_identity(in);
  in.clear();
  in.seekg(0);
  auto modified = fs::last_write_time(path, ec);
  int64_t modified_ns = ec ? 0
                           : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::file_clock::to_sys(modified).time_since_epoch())
                                 .count();
  auto runs = read_runs(in, path, identity, format, modified_ns);
  std::string dir = fs::absolute(fs::path(path)).parent_path().string();
  for (auto& r : runs)
    if (!r.labels.count("source")) // ciperf's own: its logs are beside it
      r.run_dir = dir;
  return runs;
}

} // namespace ciperf
