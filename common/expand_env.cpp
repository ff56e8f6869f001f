#include "common/expand_env.hpp"

#include <cctype>

namespace ciperf {
namespace {

bool name_char(char c, bool first) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

} // namespace

std::string
expand_env(const std::string& text,
           const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    bool braced = text[i + 1] == '{';
    size_t start = i + 1 + (braced ? 1 : 0), end = start;
    while (end < text.size() && name_char(text[end], end == start))
      ++end;
    if (end == start || (braced && (end == text.size() || text[end] != '}'))) {
      out += text[i]; // not a variable reference
      continue;
    }
    out += lookup(text.substr(start, end - start)).value_or("");
    i = braced ? end : end - 1;
  }
  return out;
}

} // namespace ciperf
