#include "probes/target_parser.hpp"

#include "common/errors.hpp"
#include "probes/user_regex.hpp"

#include <charconv>

namespace ciperf {
namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

int parse_port(const std::string& text, const std::string& target) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port < 1 || port > 65535)
    throw UsageError("target '" + target + "': '" + text + "' is not a port (1-65535" +
                     (text.find('$') != std::string::npos ? "; an unset variable?)" : ")"));
  return port;
}

ProbeTarget parse_tcp(const std::string& text, std::string rest) {
  ProbeTarget t;
  t.kind = ProbeKind::Tcp;
  t.text = text;
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw UsageError("target '" + text + "': expected tcp://HOST:PORT");
  t.host = rest.substr(0, colon);
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']')
    t.host = t.host.substr(1, t.host.size() - 2); // [::1]:5432
  t.port = parse_port(rest.substr(colon + 1), text);
  return t;
}

// scheme://[user@]host[:port]/… → host and port, for the connect check that precedes requests.
// Checked here so that a bad port (or an unexpanded `${VAR}`) is refused before anything runs.
void parse_http_endpoint(ProbeTarget& t) {
  size_t start = t.url.find("://") + 3;
  size_t end = t.url.find_first_of("/?#", start);
  std::string authority = t.url.substr(start, end == std::string::npos ? end : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos)
    authority = authority.substr(at + 1);
  t.host = authority;
  t.port = starts_with(t.url, "https://") ? 443 : 80;
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    t.host = authority.substr(0, colon);
    t.port = parse_port(authority.substr(colon + 1), t.text);
  }
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']')
    t.host = t.host.substr(1, t.host.size() - 2);
  if (t.host.empty())
    throw UsageError("target '" + t.text + "': the URL has no host");
  if (t.host.find_first_of("${} ") != std::string::npos)
    throw UsageError("target '" + t.text + "': '" + t.host +
                     "' is not a host name (an unset variable?)");
}

ProbeTarget parse_log(const std::string& text) {
  // log:PATH:REGEX — the path ends at the first colon (paths with colons are rare; regexes
  // with colons are not).
  std::string rest = text.substr(4);
  size_t colon = rest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
    throw UsageError("target '" + text + "': expected log:PATH:REGEX");
  ProbeTarget t;
  t.kind = ProbeKind::Log;
  t.text = text;
  t.path = rest.substr(0, colon);
  t.regex = rest.substr(colon + 1);
  return t;
}

} // namespace

ProbeTarget parse_target(const std::string& text) {
  ProbeTarget t;
  t.text = text;
  if (starts_with(text, "http://") || starts_with(text, "https://")) {
    t.kind = ProbeKind::Http;
    t.url = text;
    parse_http_endpoint(t);
  } else if (starts_with(text, "tcp://")) {
    return parse_tcp(text, text.substr(6));
  } else if (starts_with(text, "exec:")) {
    t.kind = ProbeKind::Exec;
    t.command = text.substr(5);
    if (t.command.empty())
      throw UsageError("target '" + text + "': expected exec:COMMAND");
  } else if (starts_with(text, "log:")) {
    return parse_log(text);
  } else if (starts_with(text, "swarm:")) {
    t.kind = ProbeKind::Swarm;
    t.stack = text.substr(6);
    if (t.stack.empty())
      throw UsageError("target '" + text + "': expected swarm:STACK");
  } else if (text.find("://") == std::string::npos && text.find(':') != std::string::npos &&
             !text.empty() && text[0] != ':') {
    return parse_tcp(text, text); // host:port, as wait-for-it takes it
  } else {
    throw UsageError("target '" + text +
                     "' is not one of http://…, https://…, tcp://HOST:PORT, "
                     "exec:COMMAND, log:PATH:REGEX, swarm:STACK");
  }
  return t;
}

std::vector<StatusRange> parse_status_ranges(const std::string& text) {
  std::vector<StatusRange> out;
  size_t start = 0;
  auto number = [&](std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 100 || v > 599)
      throw UsageError("status '" + text + "': expected codes and ranges like 200-299,401");
    return v;
  };
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item(text.data() + start,
                          (comma == std::string::npos ? text.size() : comma) - start);
    size_t dash = item.find('-');
    StatusRange r;
    r.low = number(item.substr(0, dash));
    r.high = dash == std::string_view::npos ? r.low : number(item.substr(dash + 1));
    if (r.high < r.low)
      throw UsageError("status '" + text + "': range " + std::string(item) + " is backwards");
    out.push_back(r);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

bool status_matches(const std::vector<StatusRange>& ranges, long status) {
  for (const auto& r : ranges)
    if (status >= r.low && status <= r.high)
      return true;
  return false;
}

void validate_target(const ProbeTarget& target) {
  auto check_regex = [&](const std::string& pattern) {
    try {
      UserRegex compiled(pattern);
    } catch (const UsageError& e) {
      throw UsageError("target '" + target.text + "': " + e.what());
    }
  };
  if (target.body_regex)
    check_regex(*target.body_regex);
  if (target.kind == ProbeKind::Log)
    check_regex(target.regex);
  if (target.method != "GET" && target.method != "HEAD")
    throw UsageError("target '" + target.text + "': method must be GET or HEAD");
  if (target.max_redirects < 0)
    throw UsageError("target '" + target.text + "': redirects must be 0 or more");
}

} // namespace ciperf
