#include "common/redactor.hpp"

#include <algorithm>

namespace ciperf {
namespace {
constexpr std::string_view kMask = "***";
}

Redactor::Redactor(std::vector<std::string> secret_values) {
  for (auto& value : secret_values)
    if (!value.empty())
      secrets_.push_back(std::move(value));
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const auto& secret : secrets_) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), kMask);
      pos += kMask.size();
    }
  }
  return out;
}

std::string StreamRedactor::feed(std::string_view chunk) {
  if (redactor_.empty())
    return std::string(chunk);
  pending_.append(chunk);
  size_t keep = redactor_.longest() - 1;
  if (pending_.size() <= keep)
    return {};
  // Only the tail that could be the start of a secret is held back. A secret that straddles the
  // cut point is still whole in `pending_` at this moment, so redact first, then cut: the cut
  // moves left past any mask so a secret is never emitted half-replaced.
  std::string redacted = redactor_.apply(pending_);
  if (redacted.size() <= keep) { // masks are shorter than what they hide
    pending_ = std::move(redacted);
    return {};
  }
  size_t cut = redacted.size() - keep;
  std::string out = redacted.substr(0, cut);
  pending_ = redacted.substr(cut);
  return out;
}

std::string StreamRedactor::finish() {
  std::string out = redactor_.apply(pending_);
  pending_.clear();
  return out;
}

} // namespace ciperf
