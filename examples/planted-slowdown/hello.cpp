// Compiled by the "compile" phase of the planted-slowdown example.
#include <map>
#include <string>
#include <vector>

int count_words(const std::vector<std::string>& words) {
  std::map<std::string, int> seen;
  for (const auto& w : words)
    ++seen[w];
  return static_cast<int>(seen.size());
}
