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

class HttpProbe : public Probe {
public:
  HttpProbe(const ProbeTarget& target, HttpClient& http, Duration attempt_timeout)
      : target_(target), http_(http), timeout_(attempt_timeout) {}
  ~HttpProbe() override { abandon(); }

  void begin() override {
    if (port_open_) {
      request_ = http_.start(target_, timeout_);
    } else {
      connecting_ = true;
      connect_.start(target_.host, target_.port);
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
