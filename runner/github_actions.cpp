#include "runner/github_actions.hpp"

#include "analysis/comparison.hpp"
#include "common/text_escape.hpp"
#include "model/run_record.hpp"
#include "reports/human_units.hpp"
#include "reports/report_format.hpp"
#include "reports/report_loader.hpp"
#include "reports/report_text.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace ciperf {
namespace {

// What a failed phase shows of its log when its output was not echoed as it ran.
constexpr size_t kFailedLogTailBytes = 4096;

std::string escape(std::string_view s, bool property) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    case ':':
      out += property ? "%3A" : ":";
      break;
    case ',':
      out += property ? "%2C" : ",";
      break;
    default:
      out += c;
    }
  }
  return out;
}

// Untrusted text as it may appear in a command: no secret, nothing a terminal or a CI runner
// acts on (terminal_escape also turns line breaks into `\x0a`), then the command's escaping.
std::string safe(std::string_view s, const Redactor& redactor, bool property) {
  return escape(terminal_escape(redactor.apply(s)), property);
}

// A token nobody can predict, so a phase cannot print the line that resumes commands.
std::string random_token() {
  std::random_device random;
  return fmt::format("ciperf-{:08x}{:08x}{:08x}{:08x}", random(), random(), random(), random());
}

void write_stdout(const std::string& text) {
  const char* data = text.data();
  size_t size = text.size();
  while (size > 0) {
    ssize_t n = ::write(STDOUT_FILENO, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; // a closed console must not stop the run
    data += n;
    size -= static_cast<size_t>(n);
  }
}

std::string failure_words(const PhaseRecord& phase) {
  return fmt::format("{} after {}: {}", to_string(phase.status), human_seconds(phase.wall_s),
                     failure_summary(phase));
}

} // namespace

bool running_in_github_actions() {
  const char* value = std::getenv("GITHUB_ACTIONS");
  return value && std::strcmp(value, "true") == 0;
}

std::string github_escape_data(std::string_view s) {
  return escape(s, false);
}

std::string github_escape_property(std::string_view s) {
  return escape(s, true);
}

std::string annotation_line(const Annotation& a, const Redactor& redactor) {
  std::string properties;
  auto add = [&](std::string_view key, const std::string& value) {
    properties += fmt::format("{}{}={}", properties.empty() ? " " : ",", key, value);
  };
  if (!a.file.empty()) {
    add("file", safe(a.file, redactor, true));
    if (a.line > 0)
      add("line", std::to_string(a.line));
  }
  if (!a.title.empty())
    add("title", safe(a.title, redactor, true));
  return fmt::format("::{}{}::{}\n", a.level == AnnotationLevel::Error ? "error" : "warning",
                     properties, safe(a.message, redactor, false));
}

std::string group_line(std::string_view title, const Redactor& redactor) {
  return "::group::" + safe(title, redactor, false) + "\n";
}

std::string endgroup_line() {
  return "::endgroup::\n";
}

std::optional<Annotation> phase_annotation(const PhaseRecord& phase, const std::string& file,
                                           int line) {
  if (phase.failed())
    return Annotation{AnnotationLevel::Error, file, line, "phase " + phase.name + " failed",
                      "phase " + phase.name + " " + failure_words(phase)};
  if (phase.over_budget && phase.budget_s)
    return Annotation{AnnotationLevel::Warning, file, line, "phase " + phase.name + " over budget",
                      fmt::format("phase {} took {}, over its budget of {}", phase.name,
                                  human_seconds(phase.wall_s), human_seconds(*phase.budget_s))};
  return std::nullopt;
}

std::optional<Annotation> verdict_annotation(const std::string& pipeline, RunMode mode,
                                             const PhaseComparison& row) {
  bool regressed = row.verdict == Verdict::Regressed;
  if (!regressed && row.verdict != Verdict::MovedWithHost)
    return std::nullopt;
  std::string title = fmt::format("{} ({}) phase {} {}", pipeline, to_string(mode), row.phase,
                                  regressed ? "regressed" : "moved with the host");
  std::string message =
      fmt::format("phase {} of {} ({}): median {} against {} ({:+.1f}%, adjusted p {:.3g}){}",
                  row.phase, pipeline, to_string(mode), human_seconds(row.candidate_median),
                  human_seconds(row.base_median), row.change * 100, row.p_adjusted,
                  regressed ? "" : ": most phases moved alike, as when the host is busier");
  return Annotation{regressed ? AnnotationLevel::Error : AnnotationLevel::Warning, "", 0,
                    std::move(title), std::move(message)};
}

std::optional<std::string> append_step_summary(std::string_view markdown) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  if (!path || !*path)
    return "GITHUB_STEP_SUMMARY is not set";
  std::ofstream out(path, std::ios::app | std::ios::binary);
  if (!out)
    return fmt::format("cannot open {}: {}", path, std::strerror(errno));
  out << '\n' << markdown; // the file's last line may not have ended
  if (!markdown.empty() && markdown.back() != '\n')
    out << '\n';
  out.flush();
  if (!out)
    return fmt::format("cannot write {}", path);
  return std::nullopt;
}

std::optional<std::string> append_run_summary(Store& store, const std::string& run_id) {
  std::ostringstream markdown;
  try {
    ReportRequest request;
    request.run = run_id;
    write_report(store, request, report_format("md"), markdown);
  } catch (const std::exception& e) {
    return fmt::format("no Markdown report of run {}: {}", run_id, e.what());
  }
  return append_step_summary(markdown.str());
}

GithubActionsLog::GithubActionsLog(const Redactor& redactor, std::filesystem::path pipeline_file,
                                   bool echo)
    : redactor_(redactor), file_(pipeline_file.string()), echo_(echo) {}

GithubActionsLog::~GithubActionsLog() {
  if (!stop_token_.empty())
    write_stdout("::" + stop_token_ + "::\n");
}

// Commands run only while not stopped: resume, write them, and stop again when phases' output
// may be echoed before the next ones.
void GithubActionsLog::write_commands(const std::string& lines, bool output_follows) {
  std::string text;
  if (!stop_token_.empty())
    text += "::" + stop_token_ + "::\n";
  stop_token_.clear();
  text += lines;
  if (echo_ && output_follows) {
    stop_token_ = random_token();
    text += "::stop-commands::" + stop_token_ + "\n";
  }
  write_stdout(text);
}

void GithubActionsLog::output_may_follow() {
  if (echo_ && stop_token_.empty())
    write_commands("", true);
}

void GithubActionsLog::phase_started(const std::string& name) {
  write_commands(group_line(name, redactor_), true);
  group_open_ = true;
}

void GithubActionsLog::phase_finished(const PhaseRecord& phase, int line,
                                      const std::string& log_path, bool output_follows) {
  std::string lines;
  if (!echo_ && phase.failed() && !log_path.empty()) {
    // Written while commands run: every line is escaped, so none of them is one.
    std::string tail = log_tail(log_path, kFailedLogTailBytes);
    size_t begin = 0;
    while (begin < tail.size()) {
      size_t end = tail.find('\n', begin);
      if (end == std::string::npos)
        end = tail.size();
      lines += terminal_escape(redactor_.apply(std::string_view(tail).substr(begin, end - begin)));
      lines += "\n";
      begin = end + 1;
    }
  }
  if (group_open_)
    lines += endgroup_line();
  group_open_ = false;
  if (auto annotation = phase_annotation(phase, file_, line))
    lines += annotation_line(*annotation, redactor_);
  write_commands(lines, output_follows);
}

} // namespace ciperf
