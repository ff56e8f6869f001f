#include "common/text_escape.hpp"

#include <cstdint>
#include <utility>

namespace ciperf {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length of the valid UTF-8 sequence at s[i], or 0 when it is not valid (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF).
size_t sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b = byte(i);
  if (b < 0x80)
    return 1;
  size_t n = b >= 0xC2 && b <= 0xDF   ? 2
             : b >= 0xE0 && b <= 0xEF ? 3
             : b >= 0xF0 && b <= 0xF4 ? 4
                                      : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80)
      return 0;
  uint8_t second = byte(i + 1);
  if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) ||
      (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F))
    return 0;
  return n;
}

bool is_xml_illegal_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

// `prefix` and `value` as `digits` lowercase hexadecimal digits: "\x1b", "\u202e".
std::string fmt_hex(const char* prefix, uint32_t value, int digits) {
  static const char* const hex = "0123456789abcdef";
  std::string out = prefix;
  for (int d = digits - 1; d >= 0; --d)
    out += hex[(value >> (4 * d)) & 15];
  return out;
}

} // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = sequence_length(s, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

namespace {

// `s` made valid UTF-8, each byte replaced by what `special` makes of it (nullptr keeps the
// byte), and the control characters no format carries replaced by U+FFFD.
template <typename Special> std::string escape_each(std::string_view s, Special special) {
  std::string clean = valid_utf8(s);
  std::string out;
  out.reserve(clean.size() + 16);
  for (char c : clean) {
    if (const char* replacement = special(c))
      out += replacement;
    else if (is_xml_illegal_control(static_cast<unsigned char>(c)))
      out += kReplacement;
    else
      out += c;
  }
  return out;
}

const char* markup(char c) {
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  default:
    return nullptr;
  }
}

} // namespace

std::string xml_escape(std::string_view s) {
  return escape_each(s, [](char c) -> const char* {
    if (c == '"')
      return "&quot;";
    if (c == '\'')
      return "&#39;";
    return markup(c);
  });
}

std::string markdown_escape(std::string_view s) {
  return escape_each(s, [](char c) -> const char* {
    switch (c) {
    case '\n':
    case '\r':
    case '\t':
      return " ";
    case '|':
      return "\\|";
    case '\\':
      return "\\\\";
    case '`':
      return "\\`";
    case '*':
      return "\\*";
    case '_':
      return "\\_";
    case '[':
      return "\\[";
    case ']':
      return "\\]";
    case '#':
      return "\\#";
    case '~':
      return "\\~";
    case '@':
      return "&#64;";
    default:
      return markup(c);
    }
  });
}

std::string truncate_utf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes)
    return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;
  return std::string(s.substr(0, cut)) + "…";
}

void append_json_string(std::string& out, std::string_view s) {
  static const char* const hex = "0123456789abcdef";
  std::string clean;
  bool ascii = true;
  for (char c : s)
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (!ascii) {
    clean = valid_utf8(s);
    s = clean;
  }
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

namespace {

// The code point of the UTF-8 sequence at s[i] (valid, as valid_utf8 made it) and its length.
std::pair<uint32_t, size_t> decode(std::string_view s, size_t i) {
  auto b = static_cast<uint8_t>(s[i]);
  size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  uint32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
  return {cp, n};
}

// Characters a terminal acts on, or that reorder what it shows (Trojan Source).
bool acts_on_terminal(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool starts_workflow_command(std::string_view s) {
  size_t first = s.find_first_not_of(" \t");
  return first != std::string_view::npos && s.substr(first, 2) == "::";
}

} // namespace

std::string terminal_escape(std::string_view s) {
  std::string clean = valid_utf8(s);
  std::string_view text = clean;
  std::string out;
  out.reserve(clean.size());
  bool leading_colons = starts_workflow_command(text);
  for (size_t i = 0; i < text.size();) {
    auto [cp, n] = decode(text, i);
    std::string_view rest = text.substr(i);
    if (acts_on_terminal(cp))
      out += cp < 0x100 ? fmt_hex("\\x", cp, 2) : fmt_hex("\\u", cp, 4);
    else if (leading_colons && cp == ':') {
      out += "\\x3a";
      leading_colons = false;
    } else if (cp == '#' && (rest.substr(0, 3) == "##[" || rest.substr(0, 6) == "##vso["))
      out += "\\x23";
    else
      out.append(rest.substr(0, n));
    i += n;
  }
  return out;
}

std::string csv_field(std::string_view s) {
  std::string clean = escape_each(s, [](char) -> const char* { return nullptr; });
  if (!clean.empty() && std::string_view("=+-@\t\r").find(clean[0]) != std::string_view::npos)
    clean.insert(0, 1, '\'');
  if (clean.find_first_of(",\"\n\r") == std::string::npos)
    return clean;
  std::string out = "\"";
  for (char c : clean) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

} // namespace ciperf
