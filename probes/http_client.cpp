#include "probes/http_client.hpp"

#include "probes/probe.hpp"
#include "probes/user_regex.hpp"

#include <algorithm>
#include <chrono>
#include <curl/curl.h>
#include <memory>
#include <poll.h>
#include <stdexcept>

namespace ciperf {

// The multi handle driven by curl_multi_socket_action: curl says which sockets to watch and
// when its next timeout is, and the waiter's one ppoll watches them with everything else. (With
// curl_multi_poll, extra descriptors lose POLLHUP, so a closed pipe would make the loop spin.)
struct HttpClient::Multi {
  CURLM* handle;
  std::map<curl_socket_t, int> sockets; // socket → CURL_POLL_IN / OUT / INOUT
  std::optional<ProbeClock::time_point> timer;

  Multi() : handle(curl_multi_init()) {
    if (!handle)
      throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(handle, CURLMOPT_SOCKETFUNCTION, &Multi::on_socket);
    curl_multi_setopt(handle, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(handle, CURLMOPT_TIMERFUNCTION, &Multi::on_timer);
    curl_multi_setopt(handle, CURLMOPT_TIMERDATA, this);
  }
  ~Multi() { curl_multi_cleanup(handle); }

  static int on_socket(CURL*, curl_socket_t s, int what, void* self, void*) {
    auto* m = static_cast<Multi*>(self);
    if (what == CURL_POLL_REMOVE)
      m->sockets.erase(s);
    else
      m->sockets[s] = what;
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* self) {
    auto* m = static_cast<Multi*>(self);
    if (timeout_ms < 0)
      m->timer.reset();
    else
      m->timer = ProbeClock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }

  void action(curl_socket_t s, int events) {
    int running = 0;
    curl_multi_socket_action(handle, s, events, &running);
  }
};

// One request in flight. The body is kept only when a regex must be matched, and then only up
// to kBodyCap; without a regex the transfer stops at the first body byte.
struct HttpClient::Transfer {
  CURL* easy = curl_easy_init();
  curl_slist* headers = nullptr;
  const ProbeTarget* target = nullptr;
  std::string status_line;
  std::string body;
  bool stopped_on_purpose = false;
  char error[CURL_ERROR_SIZE] = {}; // curl's detailed reason ("Received HTTP/0.9 when not allowed")

  ~Transfer() {
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
  }

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) { // a new response (after a redirect or a 100)
      size_t space = line.find(' ');
      t->status_line = std::string(line.substr(space == std::string_view::npos ? 0 : space + 1));
      while (!t->status_line.empty() &&
             (t->status_line.back() == '\r' || t->status_line.back() == '\n'))
        t->status_line.pop_back();
      t->body.clear();
    }
    return size * count;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    size_t n = size * count;
    if (!t->target->body_regex) {
      t->stopped_on_purpose = true;
      return 0; // the status is all we need: stop reading
    }
    size_t room = kBodyCap - t->body.size();
    t->body.append(data, std::min(n, room));
    if (t->body.size() >= kBodyCap) {
      t->stopped_on_purpose = true;
      return 0; // matched against the first kBodyCap bytes only
    }
    return n;
  }

  void configure(const ProbeTarget& t, Duration timeout) {
    target = &t;
    curl_easy_setopt(easy, CURLOPT_URL, t.url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, std::max<long>(1, to_ms(timeout)));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::max<long>(1, to_ms(timeout)));
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, t.max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(t.max_redirects));
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "ciperf-wait");
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (t.method == "HEAD")
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    for (const auto& h : t.headers)
      headers = curl_slist_append(headers, h.c_str());
    if (headers)
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    if (!t.ca_file.empty())
      curl_easy_setopt(easy, CURLOPT_CAINFO, t.ca_file.c_str());
    if (t.insecure) {
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }

  static long to_ms(Duration d) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  }

  // The pattern was checked when the target was (validate_target), so it compiles here.
  bool match_body(std::string& note) const {
    UserRegex regex(*target->body_regex);
    bool matched = regex.search(body);
    note = regex.note();
    return matched;
  }

  HttpResponse result(CURLcode code) const {
    HttpResponse r;
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    bool clean = code == CURLE_OK || (code == CURLE_WRITE_ERROR && stopped_on_purpose);
    if (clean && status > 0) {
      r.answered = true;
      r.status = status;
      r.status_line = status_line.empty() ? std::to_string(status) : status_line;
      r.body_matched = !target->body_regex || match_body(r.body_note);
      return r;
    }
    r.refused = code == CURLE_COULDNT_CONNECT;
    r.error = error[0] != '\0' ? error : curl_easy_strerror(code);
    return r;
  }
};

HttpClient::HttpClient() : multi_(std::make_unique<Multi>()) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised)
    throw std::runtime_error("curl_global_init failed");
}

HttpClient::~HttpClient() {
  for (auto& [id, t] : transfers_)
    curl_multi_remove_handle(multi_->handle, t->easy);
}

int HttpClient::start(const ProbeTarget& target, Duration timeout) {
  auto t = std::make_unique<Transfer>();
  t->configure(target, timeout);
  int id = next_id_++;
  curl_easy_setopt(t->easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<intptr_t>(id)));
  curl_multi_add_handle(multi_->handle, t->easy);
  transfers_[id] = std::move(t);
  ++requests_;
  return id;
}

void HttpClient::cancel(int id) {
  auto it = transfers_.find(id);
  if (it != transfers_.end()) {
    curl_multi_remove_handle(multi_->handle, it->second->easy);
    transfers_.erase(it);
  }
  done_.erase(id);
}

std::optional<HttpResponse> HttpClient::take(int id) {
  auto it = done_.find(id);
  if (it == done_.end())
    return std::nullopt;
  HttpResponse r = std::move(it->second);
  done_.erase(it);
  return r;
}

void HttpClient::collect() {
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_->handle, &queued)) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    void* priv = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    int id = static_cast<int>(reinterpret_cast<intptr_t>(priv));
    auto it = transfers_.find(id);
    if (it == transfers_.end())
      continue;
    done_[id] = it->second->result(msg->data.result);
    curl_multi_remove_handle(multi_->handle, it->second->easy);
    transfers_.erase(it);
  }
}

void HttpClient::poll(std::vector<pollfd>& fds, Duration timeout) {
  size_t own = fds.size();
  for (const auto& [socket, what] : multi_->sockets)
    fds.push_back({socket,
                   static_cast<short>((what & CURL_POLL_IN ? POLLIN : 0) |
                                      (what & CURL_POLL_OUT ? POLLOUT : 0)),
                   0});
  auto now = ProbeClock::now();
  if (multi_->timer)
    timeout =
        std::min<Duration>(timeout, std::max<Duration>(Duration::zero(), *multi_->timer - now));
  if (!done_.empty())
    timeout = Duration::zero();
  auto ns = std::max<int64_t>(0, timeout.count());
  timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  int ready = ::ppoll(fds.data(), fds.size(), &ts, nullptr);
  for (size_t i = own; ready > 0 && i < fds.size(); ++i) {
    short r = fds[i].revents;
    if (r == 0)
      continue;
    int events = (r & (POLLIN | POLLHUP) ? CURL_CSELECT_IN : 0) |
                 (r & POLLOUT ? CURL_CSELECT_OUT : 0) | (r & POLLERR ? CURL_CSELECT_ERR : 0);
    multi_->action(fds[i].fd, events);
  }
  fds.resize(own);
  if (multi_->timer && ProbeClock::now() >= *multi_->timer) {
    multi_->timer.reset();
    multi_->action(CURL_SOCKET_TIMEOUT, 0);
  }
  collect();
}

namespace {

// A body past kBodyCap ends the transfer (curl's write error): a hostile or broken server's
// endless answer costs neither the memory nor the time to download it.
size_t keep_body(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  size_t n = size * count;
  if (n > kBodyCap - std::min(kBodyCap, body->size()))
    return 0;
  body->append(data, n);
  return n;
}

} // namespace

HttpReply http_call(const HttpCall& call) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised)
    throw std::runtime_error("curl_global_init failed");
  std::unique_ptr<CURL, void (*)(CURL*)> easy(curl_easy_init(), curl_easy_cleanup);
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(nullptr, curl_slist_free_all);
  if (!easy)
    throw std::runtime_error("curl_easy_init failed");
  HttpReply reply;
  char error[CURL_ERROR_SIZE] = {};
  long ms = std::max<long>(
      1, static_cast<long>(
             std::chrono::duration_cast<std::chrono::milliseconds>(call.timeout).count()));
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_USERAGENT, "ciperf");
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &keep_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &reply.body);
  if (!call.body.empty()) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, call.body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
  }
  curl_slist* list = nullptr;
  for (const auto& h : call.headers)
    list = curl_slist_append(list, h.c_str());
  headers.reset(list);
  if (list)
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  CURLcode code = curl_easy_perform(e);
  if (code == CURLE_WRITE_ERROR) {
    reply.body.clear();
    reply.error = "the answer is larger than " + std::to_string(kBodyCap >> 20) +
                  " MiB; ciperf read no further";
    return reply;
  }
  if (code != CURLE_OK) {
    reply.error = error[0] != '\0' ? error : curl_easy_strerror(code);
    return reply;
  }
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

namespace {

size_t discard_body(char*, size_t size, size_t count, void*) {
  return size * count; // an OTLP response says nothing ciperf acts on
}

size_t keep_status_line(char* data, size_t size, size_t count, void* self) {
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    size_t space = line.find(' ');
    auto* out = static_cast<std::string*>(self);
    *out = std::string(line.substr(space == std::string_view::npos ? 0 : space + 1));
    while (!out->empty() && (out->back() == '\r' || out->back() == '\n'))
      out->pop_back();
  }
  return size * count;
}

struct PostTransfer {
  CURL* easy = curl_easy_init();
  curl_slist* headers = nullptr;
  std::string status_line;
  char error[CURL_ERROR_SIZE] = {};
  ~PostTransfer() {
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
  }
};

} // namespace

std::vector<HttpPostResult> http_post_all(const std::vector<HttpPost>& posts) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  std::vector<HttpPostResult> results(posts.size());
  if (!initialised) {
    for (auto& r : results)
      r.error = "curl_global_init failed";
    return results;
  }
  CURLM* multi = curl_multi_init();
  std::vector<std::unique_ptr<PostTransfer>> transfers;
  for (const auto& post : posts) {
    auto t = std::make_unique<PostTransfer>();
    CURL* e = t->easy;
    long ms = std::max<long>(
        1, static_cast<long>(
               std::chrono::duration_cast<std::chrono::milliseconds>(post.timeout).count()));
    curl_easy_setopt(e, CURLOPT_URL, post.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, post.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ciperf");
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &discard_body);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &keep_status_line);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t->status_line);
    t->headers = curl_slist_append(t->headers, "Expect:"); // no 100-continue round trip
    for (const auto& h : post.headers)
      t->headers = curl_slist_append(t->headers, h.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_multi_add_handle(multi, e);
    transfers.push_back(std::move(t));
  }
  // Each transfer has its own timeout and all run at once, so the loop ends by the longest.
  int running = 1;
  while (running > 0) {
    if (curl_multi_perform(multi, &running) != CURLM_OK)
      break;
    if (running > 0)
      curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    for (size_t i = 0; i < transfers.size(); ++i) {
      if (transfers[i]->easy != msg->easy_handle)
        continue;
      long status = 0;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      if (msg->data.result == CURLE_OK && status > 0) {
        results[i].status = status;
        results[i].status_line =
            transfers[i]->status_line.empty() ? std::to_string(status) : transfers[i]->status_line;
      } else {
        results[i].error = transfers[i]->error[0] != '\0' ? transfers[i]->error
                                                          : curl_easy_strerror(msg->data.result);
      }
    }
  }
  for (auto& t : transfers)
    curl_multi_remove_handle(multi, t->easy);
  curl_multi_cleanup(multi);
  return results;
}

} // namespace ciperf
