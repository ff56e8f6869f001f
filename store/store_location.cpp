#include "store/store_location.hpp"

#include <array>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

namespace ciperf {
namespace {

bool starts_with_word(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// libpq's connection keywords (its documentation's list): a string that starts with one of them
// and `=` is a connection string, not a file name.
constexpr std::array<std::string_view, 30> kKeywords = {"host",
                                                        "hostaddr",
                                                        "port",
                                                        "dbname",
                                                        "user",
                                                        "password",
                                                        "passfile",
                                                        "connect_timeout",
                                                        "options",
                                                        "application_name",
                                                        "sslmode",
                                                        "sslcert",
                                                        "sslkey",
                                                        "sslrootcert",
                                                        "sslcrl",
                                                        "sslpassword",
                                                        "service",
                                                        "target_session_attrs",
                                                        "keepalives",
                                                        "client_encoding",
                                                        "gssencmode",
                                                        "krbsrvname",
                                                        "require_auth",
                                                        "channel_binding",
                                                        "sslcompression",
                                                        "sslsni",
                                                        "load_balance_hosts",
                                                        "requirepeer",
                                                        "fallback_application_name",
                                                        "tcp_user_timeout"};

// The value after `password=` in a keyword string ends at unquoted white space; a quoted one at
// its closing quote (backslash escapes).
size_t value_end(std::string_view s, size_t from) {
  if (from < s.size() && s[from] == '\'') {
    for (size_t i = from + 1; i < s.size(); ++i) {
      if (s[i] == '\\')
        ++i;
      else if (s[i] == '\'')
        return i + 1;
    }
    return s.size();
  }
  size_t i = from;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
  return i;
}

std::string redact_keywords(std::string_view s, std::vector<std::string>& secrets) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t at = s.find("password", i);
    if (at == std::string_view::npos)
      break;
    bool word_start = at == 0 || std::isspace(static_cast<unsigned char>(s[at - 1]));
    size_t eq = at + 8;
    while (eq < s.size() && s[eq] == ' ')
      ++eq;
    if (!word_start || eq >= s.size() || s[eq] != '=') {
      out.append(s.substr(i, at + 8 - i));
      i = at + 8;
      continue;
    }
    size_t value = eq + 1;
    while (value < s.size() && s[value] == ' ')
      ++value;
    out.append(s.substr(i, value - i)).append("***");
    i = value_end(s, value);
    std::string_view secret = s.substr(value, i - value);
    if (secret.size() >= 2 && secret.front() == '\'')
      secret = secret.substr(1, secret.size() - 2);
    secrets.emplace_back(secret);
  }
  out.append(s.substr(i));
  return out;
}

// postgresql://user:secret@host/db?password=secret&sslmode=require
std::string redact_url(std::string_view s, std::vector<std::string>& secrets) {
  std::string out(s);
  size_t scheme = out.find("://");
  size_t authority = scheme + 3;
  size_t end = out.find_first_of("/?", authority);
  size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
  if (at != std::string::npos && at >= authority) {
    size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) {
      secrets.push_back(out.substr(colon + 1, at - colon - 1));
      out.replace(colon, at - colon, ":***");
    }
  }
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p)) {
    bool parameter = p > 0 && (out[p - 1] == '?' || out[p - 1] == '&');
    p += 9;
    if (!parameter)
      continue;
    size_t stop = out.find('&', p);
    secrets.push_back(out.substr(p, (stop == std::string::npos ? out.size() : stop) - p));
    out.replace(p, (stop == std::string::npos ? out.size() : stop) - p, "***");
  }
  return out;
}

} // namespace

bool is_postgres_location(std::string_view location) {
  if (starts_with_word(location, "postgresql://") || starts_with_word(location, "postgres://"))
    return true;
  size_t i = 0;
  while (i < location.size() && std::isspace(static_cast<unsigned char>(location[i])))
    ++i;
  size_t word = i;
  while (i < location.size() &&
         (std::isalnum(static_cast<unsigned char>(location[i])) || location[i] == '_'))
    ++i;
  std::string_view keyword = location.substr(word, i - word);
  while (i < location.size() && location[i] == ' ')
    ++i;
  if (i >= location.size() || location[i] != '=')
    return false;
  for (auto k : kKeywords)
    if (k == keyword)
      return true;
  return false;
}

namespace {

std::string redact(std::string_view location, std::vector<std::string>& secrets) {
  if (!is_postgres_location(location))
    return std::string(location);
  if (starts_with_word(location, "postgresql://") || starts_with_word(location, "postgres://"))
    return redact_url(location, secrets);
  return redact_keywords(location, secrets);
}

} // namespace

std::string redact_location(std::string_view location) {
  std::vector<std::string> secrets;
  return redact(location, secrets);
}

std::vector<std::string> location_secrets(std::string_view location) {
  std::vector<std::string> secrets;
  redact(location, secrets);
  // A URL's secret may be percent-encoded; the decoded form is what libpq could echo.
  std::vector<std::string> decoded;
  for (const auto& s : secrets) {
    std::string plain;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        plain += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        plain += s[i];
      }
    }
    if (plain != s)
      decoded.push_back(plain);
  }
  secrets.insert(secrets.end(), decoded.begin(), decoded.end());
  std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
  return secrets;
}

namespace {

void replace_every(std::string& text, const std::string& secret, const std::string& shown) {
  if (secret.empty())
    return;
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + shown.size()))
    text.replace(at, secret.size(), shown);
}

} // namespace

std::string redact_location_in(std::string text, const std::string& location) {
  if (!is_postgres_location(location))
    return text;
  replace_every(text, location, redact_location(location));
  for (const auto& secret : location_secrets(location))
    replace_every(text, secret, "***");
  return text;
}

bool same_store(const std::string& a, const std::string& b) {
  if (is_postgres_location(a) || is_postgres_location(b))
    return a == b;
  std::error_code ec_a, ec_b;
  if (std::filesystem::equivalent(a, b, ec_a))
    return true;
  auto canonical_a = std::filesystem::weakly_canonical(a, ec_a);
  auto canonical_b = std::filesystem::weakly_canonical(b, ec_b);
  return !ec_a && !ec_b && canonical_a == canonical_b; // neither exists yet: the same spelling
}

} // namespace ciperf
