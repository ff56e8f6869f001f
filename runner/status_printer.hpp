#pragma once
// Progress on stderr. On a terminal one line is redrawn in place (`[3/7] functional 12.3s`);
// elsewhere (CI logs) one line is printed per finished phase. NO_COLOR turns colours off.
#include "model/run_record.hpp"

#include <chrono>
#include <string>

namespace ciperf {

struct ConsoleStyle {
  bool terminal = false; // stderr is a terminal and TERM is not dumb
  bool color = false;    // terminal and NO_COLOR unset
  bool verbose = false;  // phase output goes to the console too: no redrawn line then
  bool quiet = false;    // print phases nothing but warnings
  static ConsoleStyle detect(bool verbose, bool quiet = false);
};

class StatusPrinter {
public:
  StatusPrinter(ConsoleStyle style, size_t total_phases);

  void phase_started(const PhaseRecord& phase);
  void tick(); // redraws the live line; no-op off a terminal
  void phase_finished(const PhaseRecord& phase);
  void note(const std::string& text); // a warning or notice on its own line
  void clear();                       // removes the live line before the final table

private:
  void write(const std::string& text);
  ConsoleStyle style_;
  size_t total_;
  size_t current_ = 0;
  std::string current_name_;
  std::chrono::steady_clock::time_point started_;
  bool line_drawn_ = false;
};

} // namespace ciperf
