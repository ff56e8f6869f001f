#include "probes/tcp_connect.hpp"

#include "probes/probe.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ciperf {

bool TcpConnect::resolve(const std::string& host, int port) {
  std::string key = host + ":" + std::to_string(port);
  if (key == resolved_for_)
    return true;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0) {
    last_error_ = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return false; // asked again next attempt: the name may appear (a container starting)
  }
  addresses_.clear();
  families_.clear();
  for (addrinfo* a = list; a; a = a->ai_next) {
    auto* bytes = reinterpret_cast<unsigned char*>(a->ai_addr);
    addresses_.emplace_back(bytes, bytes + a->ai_addrlen);
    families_.push_back(a->ai_family);
  }
  ::freeaddrinfo(list);
  resolved_for_ = key;
  return true;
}

void TcpConnect::start(const std::string& host, int port) {
  close_all();
  connected_ = false;
  refused_ = 0;
  last_error_.clear();
  if (!resolve(host, port))
    return;
  for (size_t i = 0; i < addresses_.size() && !connected_; ++i) {
    int fd = ::socket(families_[i], SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      continue;
    auto* addr = reinterpret_cast<const sockaddr*>(addresses_[i].data());
    if (::connect(fd, addr, static_cast<socklen_t>(addresses_[i].size())) == 0) {
      connected_ = true;
      ::close(fd);
    } else if (errno == EINPROGRESS) {
      pending_.push_back(fd);
    } else {
      refused_ += errno == ECONNREFUSED;
      last_error_ = std::strerror(errno);
      ::close(fd);
    }
  }
}

void TcpConnect::watch(std::vector<pollfd>& fds) const {
  for (int fd : pending_)
    fds.push_back({fd, POLLOUT, 0});
}

std::optional<TcpConnect::Result> TcpConnect::advance(const std::vector<pollfd>& fds) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (!fd_ready(fds, *it)) {
      ++it;
      continue;
    }
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(*it, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error == 0) {
      connected_ = true;
    } else {
      refused_ += error == ECONNREFUSED;
      last_error_ = std::strerror(error);
    }
    ::close(*it);
    it = pending_.erase(it);
  }
  return finish_if_done();
}

std::optional<TcpConnect::Result> TcpConnect::finish_if_done() {
  if (connected_) {
    close_all();
    return Result{true, false, ""};
  }
  if (!pending_.empty())
    return std::nullopt;
  bool refused = refused_ > 0 && last_error_ == std::strerror(ECONNREFUSED);
  return Result{false, refused, last_error_.empty() ? "no address to connect to" : last_error_};
}

void TcpConnect::close_all() {
  for (int fd : pending_)
    ::close(fd);
  pending_.clear();
}

} // namespace ciperf
