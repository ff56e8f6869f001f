#pragma once
// A non-blocking TCP connect to every address a host resolves to (IPv4 and IPv6 alike); the
// first to connect wins. On loopback a refused connect is known at once.
#include <optional>
#include <poll.h>
#include <string>
#include <vector>

namespace ciperf {

class TcpConnect {
public:
  struct Result {
    bool connected = false;
    bool refused = false;
    std::string reason;
  };

  TcpConnect() = default;
  ~TcpConnect() { close_all(); }
  TcpConnect(const TcpConnect&) = delete;
  TcpConnect& operator=(const TcpConnect&) = delete;

  void start(const std::string& host, int port);
  void watch(std::vector<pollfd>& fds) const;
  std::optional<Result> advance(const std::vector<pollfd>& fds);
  void close_all();

private:
  bool resolve(const std::string& host, int port);
  std::optional<Result> finish_if_done();
  // Resolved once and kept: resolving costs more than the connect (AI_ADDRCONFIG asks the
  // kernel for the host's addresses), and a closed port is asked about every 2 ms.
  std::string resolved_for_;
  std::vector<std::vector<unsigned char>> addresses_; // sockaddr bytes
  std::vector<int> families_;
  std::vector<int> pending_;
  bool connected_ = false;
  int refused_ = 0;
  std::string last_error_;
};

} // namespace ciperf
