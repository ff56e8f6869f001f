#pragma once
// All HTTP attempts of a wait run as transfers of one libcurl multi handle, and the waiter's
// single blocking point is this client's poll, which also watches the other probes'
// descriptors. The only file that includes curl is http_client.cpp.
#include "common/duration.hpp"
#include "probes/probe_spec.hpp"

#include <map>
#include <memory>
#include <optional>
#include <poll.h>
#include <string>
#include <vector>

namespace ciperf {

inline constexpr size_t kBodyCap = 1 << 20; // a body is read up to this much, never whole

struct HttpResponse {
  bool answered = false; // a complete HTTP response arrived
  bool refused = false;  // nothing listens on the port
  long status = 0;
  std::string status_line; // "503 Service Unavailable"
  bool body_matched = false;
  std::string body_note; // why the body regex gave up, when it did
  std::string error;     // transport error, when not answered
};

// One POST of ciperf's own (an OTLP export), outside any wait.
struct HttpPost {
  std::string url;
  std::vector<std::string> headers; // "Name: value"
  std::string body;
  Duration timeout = std::chrono::seconds(10); // connecting and answering, at most
};

struct HttpPostResult {
  long status = 0;         // the HTTP status, when the server answered
  std::string status_line; // "500 Internal Server Error"
  std::string error;       // transport error (refused, timed out), when it did not
};

// Sends every post at once and waits until each is answered or has reached its timeout: the
// whole call takes at most about the longest timeout. Each is tried once, never retried, and
// redirects are not followed (headers may hold credentials).
std::vector<HttpPostResult> http_post_all(const std::vector<HttpPost>& posts);

class HttpClient {
public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Starts a request for `target` that may take at most `timeout`; returns its id.
  int start(const ProbeTarget& target, Duration timeout);
  void cancel(int id);
  // The response once the transfer is over.
  std::optional<HttpResponse> take(int id);

  // Waits until curl's sockets or one of `fds` is ready, or `timeout`; fills in the `revents`
  // of `fds` and moves finished transfers to take().
  void poll(std::vector<pollfd>& fds, Duration timeout);

  int requests() const { return requests_; }

private:
  struct Transfer;
  void collect();
  struct Multi;
  std::unique_ptr<Multi> multi_;
  std::map<int, std::unique_ptr<Transfer>> transfers_;
  std::map<int, HttpResponse> done_;
  int next_id_ = 1;
  int requests_ = 0;
};

// One blocking request with a body, for talking to an API (ciperf publish) rather than probing:
// the whole response body is kept (up to kBodyCap), and no redirect is followed, so a token sent
// in `headers` never reaches another host.
struct HttpCall {
  std::string method = "GET"; // GET, POST, PATCH, DELETE
  std::string url;
  std::vector<std::string> headers; // "Name: value"
  std::string body;                 // sent when not empty
  Duration timeout = std::chrono::seconds(30);
};

struct HttpReply {
  long status = 0;   // 0 when no response arrived
  std::string body;  // at most kBodyCap bytes: a longer answer is an error (status 0)
  std::string error; // curl's reason, when status is 0
};

HttpReply http_call(const HttpCall& call);

} // namespace ciperf
