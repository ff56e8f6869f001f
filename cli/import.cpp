// `ciperf import`: runs recorded elsewhere into the store, each file's runs in one
// transaction; a run already stored (the same file again) is left as it is.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "common/local_time.hpp"
#include "common/text_escape.hpp"
#include "imports/importer.hpp"
#include "store/store.hpp"

#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>

namespace ciperf {

int command_import(const ImportCommand& c) {
  ImportFormat format = parse_import_format(c.format);
  auto labels = parse_labels(c.labels);
  if (!known_time_zone(c.tz))
    throw UsageError("--tz " + c.tz + ": not a time zone this host knows (Asia/Tokyo, UTC, …)");
  std::vector<std::string> warnings;
  ImportOptions options;
  options.pipeline = c.pipeline;
  if (!c.tz.empty())
    options.zone = c.tz;
  options.warnings = &warnings;
  // Every file is read and checked before the store is touched: one bad file imports nothing.
  std::vector<std::pair<std::string, std::vector<RunRecord>>> files;
  for (const auto& file : c.files)
    files.emplace_back(file, import_file(file, format, options));
  for (const auto& w : warnings) // the store is written all the same: the cases are the facts
    std::cerr << "ciperf: warning: " << terminal_escape(w) << "\n";
  Store store(resolve_store_path(c.store));
  nlohmann::json out = nlohmann::json::array();
  for (auto& [file, runs] : files) {
    std::vector<RunRecord> fresh;
    for (auto& r : runs) {
      for (const auto& [k, v] : labels)
        r.labels[k] = v;
      bool stored = store.has_run(r.run_id);
      if (!stored)
        fresh.push_back(r);
      auto left_out = r.labels.find("ciperf.left_out"); // what the import's cap cut, if anything
      out.push_back({{"file", file},
                     {"run_id", r.run_id},
                     {"pipeline", r.pipeline},
                     {"phases", r.phases.size()},
                     {"status", to_string(r.status)},
                     {"imported", !stored}});
      if (left_out != r.labels.end())
        out.back()["left_out"] = left_out->second;
      if (!c.json)
        std::cout << fmt::format("{}: run {} ({}, {} phases, {}){}{}\n", terminal_escape(file),
                                 terminal_escape(r.run_id), terminal_escape(r.pipeline),
                                 r.phases.size(), to_string(r.status),
                                 left_out == r.labels.end() ? ""
                                                            : "; left out: " + left_out->second,
                                 stored ? ": already in the store, left as it is" : "");
    }
    store.insert_runs(fresh);
  }
  if (c.json)
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitPassed;
}

} // namespace ciperf
