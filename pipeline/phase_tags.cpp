#include "pipeline/phase_tags.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>

namespace ciperf {
namespace {

constexpr size_t kMaxTagLength = 64;

void add_list(const std::string& list, std::set<std::string>& out) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string tag = list.substr(start, comma - start);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (!tag.empty()) {
      if (!valid_tag(tag))
        throw UsageError("'" + tag + "' is not a tag (1 to 64 letters, digits, '_', '.' or '-')");
      out.insert(tag);
    }
    start = comma + 1;
  }
}

bool selected(const PhaseSpec& phase, const std::set<std::string>& tags) {
  return phase.tags.empty() || std::any_of(phase.tags.begin(), phase.tags.end(),
                                           [&](auto& t) { return tags.count(t) > 0; });
}

} // namespace

bool valid_tag(const std::string& tag) {
  return !tag.empty() && tag.size() <= kMaxTagLength &&
         std::all_of(tag.begin(), tag.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '.' || c == '-';
         });
}

std::set<std::string> selected_tags(const std::vector<std::string>& flags) {
  std::set<std::string> out;
  if (flags.empty()) {
    if (const char* env = std::getenv("CIPERF_TAGS"))
      add_list(env, out);
    return out;
  }
  for (const auto& flag : flags)
    add_list(flag, out);
  return out;
}

TagSelection select_phases(const Pipeline& pipeline, const std::set<std::string>& tags) {
  TagSelection s;
  s.pipeline = pipeline;
  s.pipeline.phases.clear();
  std::set<std::string> carried;
  for (const auto& phase : pipeline.phases) {
    if (!selected(phase, tags)) {
      ++s.left_out;
      s.left_out_tags.insert(phase.tags.begin(), phase.tags.end());
      continue;
    }
    for (const auto& t : phase.tags)
      if (tags.count(t))
        carried.insert(t);
    s.pipeline.phases.push_back(phase);
  }
  s.tag_set = fmt::format("{}", fmt::join(carried, ","));
  for (const auto& t : tags)
    if (!carried.count(t))
      s.unused.push_back(t);
  if (s.pipeline.phases.empty())
    throw UsageError(fmt::format("no phase of {} is left to run with tags '{}'",
                                 pipeline.file.string(), fmt::join(tags, ",")));
  return s;
}

void explain_selection(const TagSelection& s, const Redactor& redactor) {
  // Tags, not phase names: names can be long, and tags are what the user selects by.
  if (s.left_out > 0)
    std::cerr << terminal_escape(redactor.apply(fmt::format(
                     "ciperf: left out {} phase{} tagged {}: --tags or CIPERF_TAGS "
                     "runs them",
                     s.left_out, s.left_out == 1 ? "" : "s", fmt::join(s.left_out_tags, ", "))))
              << "\n";
  if (!s.unused.empty())
    std::cerr << terminal_escape(
                     redactor.apply(fmt::format("ciperf: warning: no phase of {} is tagged {}",
                                                s.pipeline.name, fmt::join(s.unused, ", "))))
              << "\n";
}

} // namespace ciperf
