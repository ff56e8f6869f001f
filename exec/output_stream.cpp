#include "exec/output_stream.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace ciperf {
namespace {

constexpr size_t kChunk = 64 * 1024;

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; // a full disk or a closed console must not stop the phase; the log says what it has
    data += n;
    size -= static_cast<size_t>(n);
  }
}

} // namespace

OutputStream::OutputStream(std::string log_path, const Redactor& redactor, bool echo)
    : log_path_(std::move(log_path)), echo_(echo), redactor_(redactor) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  ::fcntl(read_fd_, F_SETFL, O_NONBLOCK);
}

OutputStream::OutputStream(Direct, const std::string& log_path, const Redactor& redactor)
    : echo_(false), redactor_(redactor) {
  write_fd_ = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (write_fd_ < 0)
    throw std::runtime_error("cannot create log " + log_path + ": " + std::strerror(errno));
}

OutputStream::~OutputStream() {
  close();
}

void OutputStream::close_child_fd() {
  if (write_fd_ >= 0)
    ::close(write_fd_);
  write_fd_ = -1;
}

void OutputStream::emit(std::string_view bytes) {
  if (bytes.empty())
    return;
  if (log_fd_ < 0 && !log_path_.empty()) {
    log_fd_ = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd_ < 0) // say so once, where the output was going anyway
      std::fprintf(stderr, "ciperf: warning: cannot create log %s: %s\n", log_path_.c_str(),
                   std::strerror(errno));
    log_path_.clear();
  }
  if (log_fd_ >= 0)
    write_all(log_fd_, bytes.data(), bytes.size());
  if (echo_)
    write_all(STDOUT_FILENO, bytes.data(), bytes.size());
}

OutputStream::Pump OutputStream::pump() {
  char buf[kChunk];
  // A bounded number of reads per call, so that a phase printing flat out cannot starve the
  // supervisor's loop (timeouts, signals, other phases' output).
  for (int reads = 0; read_fd_ >= 0 && reads < 16; ++reads) {
    ssize_t n = ::read(read_fd_, buf, sizeof buf);
    if (n > 0) {
      std::string_view chunk(buf, static_cast<size_t>(n));
      if (redactor_.passes_through())
        emit(chunk); // no secrets: no copy
      else
        emit(redactor_.feed(chunk));
    } else if (n == 0) {
      close();
    } else if (errno != EINTR) {
      return Pump::Drained; // EAGAIN: nothing more for now
    }
  }
  return read_fd_ >= 0 ? Pump::More : Pump::Closed;
}

void OutputStream::close() {
  close_child_fd();
  if (read_fd_ >= 0) {
    ::close(read_fd_);
    read_fd_ = -1;
  }
  if (!redactor_.passes_through())
    emit(redactor_.finish());
  if (log_fd_ >= 0) {
    ::close(log_fd_);
    log_fd_ = -1;
  }
  log_path_.clear();
}

} // namespace ciperf
