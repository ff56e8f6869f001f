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

std::vector<Redactor::Range> Redactor::secret_ranges(std::string_view text) const {
  std::vector<Range> found;
  for (const auto& secret : secrets_) // every start, so "aa" is found twice in "aaa"
    for (size_t pos = text.find(secret); pos != std::string_view::npos;
         pos = text.find(secret, pos + 1))
      found.push_back({pos, pos + secret.size()});
  std::sort(found.begin(), found.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  std::vector<Range> merged;
  for (const auto& r : found) {
    if (!merged.empty() && r.begin <= merged.back().end)
      merged.back().end = std::max(merged.back().end, r.end);
    else
      merged.push_back(r);
  }
  return merged;
}

std::string Redactor::mask(std::string_view text, const std::vector<Range>& ranges) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (const auto& r : ranges) {
    out.append(text.substr(at, r.begin - at));
    out.append(kMask);
    at = r.end;
  }
  out.append(text.substr(at));
  return out;
}

std::string Redactor::apply(std::string_view text) const {
  if (secrets_.empty())
    return std::string(text);
  return mask(text, secret_ranges(text));
}

std::string StreamRedactor::feed(std::string_view chunk) {
  if (redactor_.empty())
    return std::string(chunk);
  pending_.append(chunk);
  size_t keep = redactor_.longest() - 1;
  if (pending_.size() <= keep)
    return {};
  // Bytes before the cut cannot begin a secret that is still incomplete. `pending_` stays raw,
  // so a secret that overlaps one already seen is found whole on the next feed; a run of secret
  // bytes that straddles the cut moves the cut to its start, so a mask is never emitted in part.
  size_t cut = pending_.size() - keep;
  std::vector<Redactor::Range> ranges = redactor_.secret_ranges(pending_);
  while (!ranges.empty() && ranges.back().begin >= cut)
    ranges.pop_back();
  if (!ranges.empty() && ranges.back().end > cut) {
    cut = ranges.back().begin;
    ranges.pop_back();
  }
  std::string out = Redactor::mask(std::string_view(pending_).substr(0, cut), ranges);
  pending_.erase(0, cut);
  return out;
}

std::string StreamRedactor::finish() {
  std::string out = redactor_.apply(pending_);
  pending_.clear();
  return out;
}

} // namespace ciperf
