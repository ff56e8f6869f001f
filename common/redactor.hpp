#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

// Replaces every occurrence of a secret value with `***`. Secrets may overlap or contain each
// other (`ABCDEF` and `DEFGHIJKLMNOP` in `ABCDEFGHIJKLMNOP`): every occurrence of every secret
// is found in the original text first, and the union of those byte ranges is masked, one `***`
// per run of secret bytes. Masking one secret at a time would leave the second's remainder.
class Redactor {
public:
  struct Range {
    size_t begin;
    size_t end;
  };

  Redactor() = default;
  explicit Redactor(std::vector<std::string> secret_values);

  std::string apply(std::string_view text) const;
  // The byte ranges of `text` that are secret, sorted, with overlapping and touching ones merged.
  std::vector<Range> secret_ranges(std::string_view text) const;
  // `text` with each of `ranges` (from secret_ranges) replaced by the mask.
  static std::string mask(std::string_view text, const std::vector<Range>& ranges);
  bool empty() const { return secrets_.empty(); }
  // The longest secret: a stream must hold back this many bytes minus one between chunks.
  size_t longest() const { return secrets_.empty() ? 0 : secrets_.front().size(); }

private:
  std::vector<std::string> secrets_; // sorted longest first
};

// Redacts a byte stream delivered in arbitrary chunks, so that a secret split across two reads is
// still caught. Holds back the last `longest() - 1` bytes unredacted (plus, at most, one run of
// secret bytes that reaches into them), so that a secret which overlaps one already seen is
// still masked whole; memory stays bounded whatever the volume.
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
