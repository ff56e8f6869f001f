#pragma once
// A regex written by the user (`--body`, `log:`, `match:`) searched in text nobody controls: an
// HTTP body, a log line. PCRE2 behind this one interface, because std::regex recurses once per
// byte of the subject and a long enough body or line overflows the stack. PCRE2 keeps its
// backtracking on the heap, and the limits set here bound both its memory and its time: a
// search that reaches them counts as no match, and note() says so.
#include <memory>
#include <string>
#include <string_view>

namespace ciperf {

class UserRegex {
public:
  // Throws UsageError("bad regex 'PATTERN': why, at offset N") when the pattern does not compile.
  explicit UserRegex(std::string_view pattern);
  ~UserRegex();
  UserRegex(UserRegex&&) noexcept;
  UserRegex& operator=(UserRegex&&) noexcept;

  // True when the pattern matches anywhere in `text`. False when it does not, or when the search
  // gave up at a limit: then note() says so until the next search.
  bool search(std::string_view text) const;
  const std::string& note() const { return note_; }
  const std::string& pattern() const { return pattern_; }

private:
  struct Compiled;
  std::string pattern_;
  std::unique_ptr<Compiled> compiled_;
  mutable std::string note_;
};

} // namespace ciperf
