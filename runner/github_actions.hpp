#pragma once
// GitHub Actions (GITHUB_ACTIONS=true): each phase's part of the log in a `::group::`, an
// `::error`/`::warning` annotation per failed or over-budget phase (on its pipeline line), and
// the run's Markdown report appended to $GITHUB_STEP_SUMMARY. Every text in a workflow command
// is redacted and escaped first, and a phase's own output is echoed only between
// `::stop-commands::` markers, so neither a phase name nor its output can issue a command.
// The line builders are pure functions; GithubActionsLog only decides when to write them.
#include "common/redactor.hpp"
#include "model/enums.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ciperf {

class Store;
struct PhaseComparison;
struct PhaseRecord;

// GITHUB_ACTIONS is exactly "true", as the runner sets it.
bool running_in_github_actions();

// Workflow-command escaping (the runner's own rules): the message of a command.
std::string github_escape_data(std::string_view s);
// A property value (`file=`, `title=`): also ':' and ','.
std::string github_escape_property(std::string_view s);

enum class AnnotationLevel { Error, Warning };

struct Annotation {
  AnnotationLevel level = AnnotationLevel::Error;
  std::string file; // empty: no file= / line=
  int line = 0;     // 0: no line=
  std::string title;
  std::string message;
};

// One command line ("\n" included). The texts are untrusted: they are redacted, made safe for
// a CI log (terminal_escape) and escaped per the command syntax.
std::string annotation_line(const Annotation& a, const Redactor& redactor);
std::string group_line(std::string_view title, const Redactor& redactor);
std::string endgroup_line();

// The annotation a finished phase deserves: an error when it failed, a warning when it passed
// over its budget, none otherwise.
std::optional<Annotation> phase_annotation(const PhaseRecord& phase, const std::string& file,
                                           int line);

// The annotation a compared phase deserves: an error when it regressed, a warning when it moved
// past the threshold with the host, none otherwise.
std::optional<Annotation> verdict_annotation(const std::string& pipeline, RunMode mode,
                                             const PhaseComparison& row);

// Appends `markdown` to the file named by $GITHUB_STEP_SUMMARY (never truncates). Returns the
// reason when it could not (unset, unwritable), for one warning: a summary never fails a run.
std::optional<std::string> append_step_summary(std::string_view markdown);

// The run's Markdown report (`ciperf report RUN --format md`) appended to the step summary.
// Returns the reason it was not, for one warning.
std::optional<std::string> append_run_summary(Store& store, const std::string& run_id);

// What a run writes to stdout for GitHub Actions. The phases' echoed output (--verbose) goes to
// stdout too, so the groups and the stop-commands markers share its order.
class GithubActionsLog {
public:
  // echo: the phases' output is echoed (--verbose): commands stay stopped while it may flow.
  GithubActionsLog(const Redactor& redactor, std::filesystem::path pipeline_file, bool echo);
  ~GithubActionsLog();
  GithubActionsLog(const GithubActionsLog&) = delete;
  GithubActionsLog& operator=(const GithubActionsLog&) = delete;

  void phase_started(const std::string& name);
  // Ends the phase's group, if it has one (background phases do not: their output spans
  // others'), with the end of its log when it failed and nothing was echoed; then annotates it.
  // output_follows: a background phase may echo before the next phase starts.
  void phase_finished(const PhaseRecord& phase, int line, const std::string& log_path,
                      bool output_follows);
  // A background phase started: its output may be echoed between phases.
  void output_may_follow();

private:
  void write_commands(const std::string& lines, bool output_follows);
  const Redactor& redactor_;
  std::string file_;
  bool echo_;
  std::string stop_token_; // non-empty while commands are stopped
  bool group_open_ = false;
};

} // namespace ciperf
