#include "runner/status_printer.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

namespace ciperf {

ConsoleStyle ConsoleStyle::detect(bool verbose, bool quiet) {
  ConsoleStyle style;
  const char* term = std::getenv("TERM");
  style.terminal = ::isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
  const char* no_color = std::getenv("NO_COLOR");
  style.color = style.terminal && !(no_color && *no_color);
  style.verbose = verbose;
  style.quiet = quiet;
  return style;
}

StatusPrinter::StatusPrinter(ConsoleStyle style, size_t total_phases)
    : style_(style), total_(total_phases) {}

void StatusPrinter::write(const std::string& text) {
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, text.data(), text.size());
}

void StatusPrinter::phase_started(const PhaseRecord& phase) {
  current_ = static_cast<size_t>(phase.index) + 1;
  current_name_ = terminal_escape(phase.name);
  started_ = std::chrono::steady_clock::now();
  tick();
}

void StatusPrinter::tick() {
  if (style_.quiet || !style_.terminal || style_.verbose || current_name_.empty())
    return;
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  write(fmt::format("\r\033[K[{}/{}] {} {:.1f}s", current_, total_, current_name_, elapsed));
  line_drawn_ = true;
}

void StatusPrinter::phase_finished(const PhaseRecord& phase) {
  current_name_.clear();
  if (style_.quiet)
    return;
  if (style_.terminal && !style_.verbose && phase.status == PhaseStatus::Passed &&
      !phase.over_budget) {
    tick(); // a passing phase needs no line of its own on a terminal
    return;
  }
  clear();
  std::string status = to_string(phase.status);
  if (style_.color && phase.status != PhaseStatus::Passed)
    status = fmt::format("\033[{}m{}\033[0m", phase.ran() ? "31" : "2", status);
  std::string extra = phase.over_budget ? " (over budget)" : "";
  if (!phase.message.empty())
    extra += " — " + terminal_escape(phase.message);
  write(fmt::format("[{}/{}] {} {} {}{}\n", phase.index + 1, total_, terminal_escape(phase.name),
                    status, !phase.ran() ? "" : human_seconds(phase.wall_s), extra));
}

void StatusPrinter::note(const std::string& text) {
  if (style_.quiet && text.rfind("warning", 0) != 0)
    return;
  clear();
  write("ciperf: " + terminal_escape(text) + "\n"); // notes quote names, paths and reasons
}

void StatusPrinter::clear() {
  if (line_drawn_)
    write("\r\033[K");
  line_drawn_ = false;
}

} // namespace ciperf
