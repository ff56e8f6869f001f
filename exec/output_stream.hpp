#pragma once
// One phase's combined stdout and stderr: read from a pipe in chunks, redacted, appended to the
// phase's log file and, with --verbose, echoed to the console. Memory is bounded by the chunk
// size and the longest secret, whatever the phase prints.
#include "common/redactor.hpp"

#include <string>
#include <string_view>

namespace ciperf {

class OutputStream {
public:
  // Creates the pipe. The log file is created when the first byte arrives: creating a file costs
  // more than running `true` on some file systems, and a silent phase needs no empty log.
  // Throws std::runtime_error.
  OutputStream(std::string log_path, const Redactor& redactor, bool echo);
  // Without a pipe: the child writes into the log file itself (created now), with nothing of
  // ciperf's in between, so it can go on writing after ciperf has exited (a kept service). Its
  // output is neither redacted nor echoed. Throws std::runtime_error.
  struct Direct {};
  OutputStream(Direct, const std::string& log_path, const Redactor& redactor);
  ~OutputStream();
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;

  int child_fd() const { return write_fd_; } // give this to the child
  void close_child_fd();                     // after the child started: only it holds the end
  int fd() const { return read_fd_; }        // poll this
  bool open() const { return read_fd_ >= 0; }

  enum class Pump { Drained, More, Closed };
  // Reads what is available without blocking, up to a bounded amount per call: `More` when it
  // stopped at that bound. At end of stream it flushes and closes.
  Pump pump();
  // Stops reading: flushes what was held back for redaction and closes everything.
  void close();

private:
  void emit(std::string_view bytes);
  std::string log_path_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  int log_fd_ = -1;
  bool echo_;
  StreamRedactor redactor_;
};

} // namespace ciperf
