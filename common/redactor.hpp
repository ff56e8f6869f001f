#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

// Replaces every occurrence of a secret value with `***`. Longer secrets are matched first so
// that a secret containing another is hidden whole.
class Redactor {
public:
  Redactor() = default;
  explicit Redactor(std::vector<std::string> secret_values);

  std::string apply(std::string_view text) const;
  bool empty() const { return secrets_.empty(); }
  // The longest secret: a stream must hold back this many bytes minus one between chunks.
  size_t longest() const { return secrets_.empty() ? 0 : secrets_.front().size(); }

private:
  std::vector<std::string> secrets_; // sorted longest first
};

// Redacts a byte stream delivered in arbitrary chunks, so that a secret split across two reads is
// still caught. Holds back at most `longest() - 1` bytes; memory stays bounded whatever the volume.
class StreamRedactor {
public:
  explicit StreamRedactor(const Redactor& redactor) : redactor_(redactor) {}

  // Returns the bytes that are safe to emit now.
  std::string feed(std::string_view chunk);
  // Returns whatever was held back; call once at end of stream.
  std::string finish();
  // True when there is nothing to redact: callers may skip feed() and its copy.
  bool passes_through() const { return redactor_.empty(); }

private:
  const Redactor& redactor_;
  std::string pending_;
};

} // namespace ciperf
