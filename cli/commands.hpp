#pragma once
// The subcommands, each a function of its parsed options returning the exit code.
#include "model/enums.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ciperf {

struct RunCommand {
  std::string file;
  RunMode mode = RunMode::Normal;
  std::string store;
  std::string out;
  std::vector<std::string> labels; // k=v
  bool verbose = false;
  std::optional<Accounting> accounting;
  std::vector<std::string> tags; // opt-in phases to run (default $CIPERF_TAGS)
  bool sync = false;             // push the spool to the store at the end (or $CIPERF_SYNC=1)
};

struct SyncCommand {
  std::string to;
  std::string from; // empty: the local store, or the spool when the store is a URL
  bool include_incomplete = false;
};

struct RunsCommand {
  std::string store;
  std::optional<std::string> pipeline;
  std::optional<RunMode> mode;
  std::vector<std::string> labels;
  int limit = 50;
  bool json = false;
};

struct ShowCommand {
  std::string store;
  std::string run;
  bool json = false;
};

struct WaitCommand {
  std::vector<std::string> targets;
  std::vector<std::string> fail_if;
  bool any = false;
  std::string interval, timeout, attempt_timeout, connect_interval, max_interval;
  int successes = 1;
  double backoff = 1.0;
  // HTTP options, for every HTTP target
  std::string status, body, method = "GET", ca_file;
  std::vector<std::string> headers;
  bool insecure = false;
  int redirects = 5;
  std::string history, store;
  bool json = false;
  bool quiet = false;
};

// The run selection shared by attribute, compare and report.
struct RunSelection {
  std::optional<std::string> pipeline, since;
  std::optional<RunMode> mode;
  std::vector<std::string> labels;
  std::optional<int> last;
};

struct AttributeCommand {
  std::string store;
  RunSelection selection;
  std::string by = "phase"; // phase | kind | tier | resource | host
  bool cold_vs_warm = false;
  bool tests = false; // each phase's test cases as items of their own ("phase/test")
  bool json = false;
  std::string format;              // text | json | markdown (md); "" is text, or json with --json
  std::optional<double> threshold; // percent, --by host only (default 10)
};

struct ChangesCommand {
  std::string store;
  RunSelection selection;
  std::vector<std::string> phases; // only these phases (the run total is always analysed)
  double threshold = 5;            // percent: the smallest change of the median that counts
  double alpha = 0.01;             // the permutation p a change must reach
  bool any_host = false;           // mix host classes in one history
  std::string accept;              // mark the change at this run (id or prefix) as expected
  std::string note;                // why, stored with the acceptance
  bool tests = false;              // each phase's test cases as series of their own
  bool json = false;
};

struct CompareCommand {
  std::string store;
  std::string run; // one run id (or prefix)
  bool last = false;
  RunSelection selection; // --since, --pipeline, --label
  std::string baseline;
  bool history = false;      // judge against the candidates' own history, not a baseline
  bool any_host = false;     // judge candidates of another host class than the baseline's
  double threshold = 5;      // percent
  int confirm = 0;           // reruns when something looked regressed; 0: none
  std::string pipeline_file; // what --confirm reruns; empty: the candidates' own
  bool tests = false;        // judge each phase's test cases too ("phase/test")
  bool json = false;
};

struct BaselineCommand {
  std::vector<std::string> files;
  int runs = 5;
  std::string name;
  bool replace = false; // an existing baseline of that name may be overwritten
  std::string store;
  std::vector<std::string> labels;
  std::vector<std::string> tags;
};

struct AbCommand {
  std::string a, b; // pipeline files
  int runs = 10;    // pairs
  std::optional<uint64_t> seed;
  RunMode mode = RunMode::Normal;
  double threshold = 5; // percent
  std::string store;
  std::vector<std::string> labels;
  std::vector<std::string> tags;
  bool json = false;
};

struct SweepCommand {
  std::vector<std::string> files;    // pipeline files, mixed round-robin
  std::string concurrency = "1,2,4"; // the levels
  int runs = 2;                      // per instance and level
  std::string duration;              // instead of --runs: keep starting runs this long per level
  double margin = 10;                // percent throughput must gain over the best lower level
  double p95_limit = 2;              // p95 run wall over the first level's median
  double memory_floor = 10;          // percent of the host's memory MemAvailable must keep
  bool no_warm_up = false;
  std::string store;
  std::vector<std::string> labels;
  bool json = false;
  std::string format = "text"; // text | json | markdown | html
  bool list = false;           // the stored sweeps instead
};

struct ReportCommand {
  std::string store;
  std::string run; // id or prefix
  std::string baseline;
  RunSelection selection;
  std::string format = "md";
  std::string out; // a file; empty or "-" for stdout
  int trend_runs = 30;
};

struct PublishCommand {
  std::string store;
  std::string run; // id or prefix; empty: the newest
  std::string to = "gitea";
  std::string url, repo, sha, context, target_url;
  int pr = 0; // 0: none
  std::string baseline;
  bool history = false;
  std::vector<std::string> labels; // k=v: judge the runs of RUN's pipeline and mode with these too
  bool no_comment = false;
  std::string timeout = "30s"; // each request to the forge, at most
};

struct ImportCommand {
  std::vector<std::string> files;
  std::string store;
  std::string format = "auto"; // auto | ciperf | junit | cc-ci
  std::vector<std::string> labels;
  std::string pipeline; // over the file's own names
  std::string tz;       // of zone-less JUnit timestamps; "" the host's
  bool json = false;
};

int command_run(const RunCommand& c);
int command_sync(const SyncCommand& c);
int command_report(const ReportCommand& c);
int command_import(const ImportCommand& c);
int command_publish(const PublishCommand& c);
int command_attribute(const AttributeCommand& c);
int command_compare(const CompareCommand& c);
int command_changes(const ChangesCommand& c);
int command_baseline(const BaselineCommand& c);
int command_ab(const AbCommand& c);
int command_sweep(const SweepCommand& c);
int command_wait(const WaitCommand& c);
int command_check(const std::string& file);
int command_runs(const RunsCommand& c);
int command_show(const ShowCommand& c);

} // namespace ciperf
