#include "exec/signal_pipe.hpp"

#include "exec/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iterator>
#include <stdexcept>
#include <unistd.h>

namespace ciperf {
namespace {

int g_write_fd = -1;
volatile std::sig_atomic_t g_interrupt = 0; // the first interrupt a latch has seen
constexpr int kHandled[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP};
constexpr int kInterrupts[] = {SIGINT, SIGTERM, SIGHUP};

void note_interrupt(int sig) {
  if (g_interrupt == 0 && sig != SIGCHLD)
    g_interrupt = sig;
}

void on_signal(int sig) {
  note_interrupt(sig);
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] auto n = ::write(g_write_fd, &byte, 1); // a full pipe already says "woken"
  errno = saved;
}

} // namespace

bool is_interrupt(int sig) {
  return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
}

SignalPipe::SignalPipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    throw std::runtime_error("cannot create the signal pipe");
  read_fd_ = fds[0];
  g_write_fd = fds[1];
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  for (size_t i = 0; i < std::size(kHandled); ++i)
    ::sigaction(kHandled[i], &sa, &previous_[i]);
  ::signal(SIGPIPE, SIG_IGN); // a closed console must not kill the run; children get SIG_DFL
  signal_dispositions_changed();
}

SignalPipe::~SignalPipe() {
  for (size_t i = 0; i < std::size(kHandled); ++i)
    ::sigaction(kHandled[i], &previous_[i], nullptr);
  signal_dispositions_changed();
  ::close(read_fd_);
  ::close(g_write_fd);
  g_write_fd = -1;
}

std::vector<int> SignalPipe::drain() {
  std::vector<int> out;
  unsigned char buf[64];
  ssize_t n;
  while ((n = ::read(read_fd_, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i)
      out.push_back(buf[i]);
  return out;
}

InterruptLatch::InterruptLatch() {
  g_interrupt = 0;
  struct sigaction sa {};
  sa.sa_handler = note_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : kInterrupts)
    ::sigaction(sig, &sa, nullptr);
  signal_dispositions_changed();
}

InterruptLatch::~InterruptLatch() {
  for (int sig : kInterrupts)
    ::signal(sig, SIG_DFL);
  signal_dispositions_changed();
}

int InterruptLatch::interrupted() const {
  return g_interrupt;
}

} // namespace ciperf
