#include "store/store_location.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

namespace ciperf {
namespace {

constexpr const char* kMask = "***";

bool is_password_key(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key == "password" || key == "pass";
}

// A span of the location that holds a secret.
struct SecretSpan {
  size_t begin = 0, end = 0;
};

// Where the passwords are: `user:SECRET@host`, and `password=SECRET` in the query.
std::vector<SecretSpan> secret_spans(const std::string& url) {
  std::vector<SecretSpan> spans;
  size_t authority = url.find("://") + 3;
  size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  size_t at = url.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    size_t colon = url.find(':', authority);
    if (colon < at)
      spans.push_back({colon + 1, at});
  }
  size_t query = url.find('?', authority_end);
  size_t query_end = std::min(url.find('#', authority_end), url.size());
  for (size_t start = query; start != std::string::npos && start < query_end;) {
    size_t end = std::min(url.find('&', start + 1), query_end);
    size_t equals = url.find('=', start + 1);
    if (equals < end && is_password_key(url.substr(start + 1, equals - start - 1)))
      spans.push_back({equals + 1, end});
    start = end < query_end ? end : std::string::npos;
  }
  return spans;
}

void replace_every(std::string& text, const std::string& secret, const std::string& shown) {
  if (secret.empty())
    return;
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + shown.size()))
    text.replace(at, secret.size(), shown);
}

} // namespace

bool is_store_url(const std::string& location) {
  size_t scheme_end = location.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0)
    return false;
  return std::all_of(location.begin(), location.begin() + static_cast<long>(scheme_end),
                     [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-'; });
}

std::string redacted_location(const std::string& location) {
  if (!is_store_url(location))
    return location;
  auto spans = secret_spans(location);
  std::string out = location;
  for (auto span = spans.rbegin(); span != spans.rend(); ++span) // from the end: offsets hold
    out.replace(span->begin, span->end - span->begin, kMask);
  return out;
}

std::string redact_location_in(std::string text, const std::string& location) {
  if (!is_store_url(location))
    return text;
  replace_every(text, location, redacted_location(location));
  for (const auto& span : secret_spans(location)) // a driver may quote a password alone
    replace_every(text, location.substr(span.begin, span.end - span.begin), kMask);
  return text;
}

bool same_store(const std::string& a, const std::string& b) {
  if (is_store_url(a) || is_store_url(b))
    return a == b;
  std::error_code ec_a, ec_b;
  if (std::filesystem::equivalent(a, b, ec_a))
    return true;
  auto canonical_a = std::filesystem::weakly_canonical(a, ec_a);
  auto canonical_b = std::filesystem::weakly_canonical(b, ec_b);
  return !ec_a && !ec_b && canonical_a == canonical_b; // neither exists yet: the same spelling
}

} // namespace ciperf
