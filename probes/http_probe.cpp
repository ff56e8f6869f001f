// HTTP readiness. While nothing listens, each attempt is a bare non-blocking connect (tens of
// microseconds on loopback), so a closed port can be polled every couple of milliseconds for
// almost nothing; once the port accepts, attempts are real requests, made at the interval.
#include "probes/http_client.hpp"
#include "probes/probe_kinds.hpp"
#include "probes/target_parser.hpp"
#include "probes/tcp_connect.hpp"

#include <stdexcept>

namespace ciperf {
namespace {

struct Endpoint {
  std::string host;
  int port = 0;
};

// scheme://[user@]host[:port]/… → host and port, for the connect check.
Endpoint endpoint_of(const std::string& url) {
  size_t scheme_end = url.find("://");
  bool https = url.compare(0, scheme_end, "https") == 0;
  size_t start = scheme_end + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos)
    authority = authority.substr(at + 1);
  Endpoint e{authority, https ? 443 : 80};
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    e.host = authority.substr(0, colon);
    e.port = std::stoi(authority.substr(colon + 1));
  }
  if (e.host.size() > 2 && e.host.front() == '[')
    e.host = e.host.substr(1, e.host.size() - 2);
  return e;
}

class HttpProbe : public Probe {
public:
  HttpProbe(const ProbeTarget& target, HttpClient& http, Duration attempt_timeout)
      : target_(target), http_(http), timeout_(attempt_timeout),
        endpoint_(endpoint_of(target.url)) {}
  ~HttpProbe() override { abandon(); }

  void begin() override {
    if (port_open_) {
      request_ = http_.start(target_, timeout_);
    } else {
      connecting_ = true;
      connect_.start(endpoint_.host, endpoint_.port);
    }
  }

  void watch(std::vector<pollfd>& fds) const override {
    if (connecting_)
      connect_.watch(fds);
  }

  std::optional<Attempt> advance(const std::vector<pollfd>& fds) override {
    if (connecting_) {
      auto c = connect_.advance(fds);
      if (!c)
        return std::nullopt;
      connecting_ = false;
      if (!c->connected)
        return Attempt{false, c->refused, c->reason};
      port_open_ = true;
      request_ = http_.start(target_, timeout_); // the same attempt goes on as a request
      return std::nullopt;
    }
    auto r = request_ ? http_.take(*request_) : std::nullopt;
    if (!r)
      return std::nullopt;
    request_.reset();
    return judge(*r);
  }

  void abandon() override {
    connect_.close_all();
    connecting_ = false;
    if (request_)
      http_.cancel(*request_);
    request_.reset();
  }

private:
  Attempt judge(const HttpResponse& r) {
    if (!r.answered) {
      port_open_ = !r.refused;
      return Attempt{false, r.refused, r.error};
    }
    if (!status_matches(target_.status, r.status))
      return Attempt{false, false, r.status_line};
    if (!r.body_matched && !r.body_note.empty())
      return Attempt{false, false, r.status_line + ", " + r.body_note};
    if (!r.body_matched)
      return Attempt{false, false,
                     r.status_line + ", body does not match /" + *target_.body_regex + "/"};
    return Attempt{true, false, ""};
  }

  const ProbeTarget& target_;
  HttpClient& http_;
  Duration timeout_;
  Endpoint endpoint_;
  TcpConnect connect_;
  bool connecting_ = false;
  bool port_open_ = false;
  std::optional<int> request_;
};

} // namespace

std::unique_ptr<Probe> make_http_probe(const ProbeTarget& target, HttpClient& http,
                                       Duration attempt_timeout) {
  return std::make_unique<HttpProbe>(target, http, attempt_timeout);
}

} // namespace ciperf
