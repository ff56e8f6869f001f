#pragma once
// A JSON document read as a stream of small values: the elements of the arrays named in
// `streamed` (paths such as "phases" or "stages[].tests") are handed over one at a time as they
// end and are not kept; everything else is built up as the document's "rest", handed over at
// the end. A results.json with a million phases is read in the memory of one phase.
#include <functional>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>

namespace ciperf {

struct JsonStreamHandlers {
  // An element of a streamed array: the array's path, the element's index, the element.
  std::function<void(const std::string& path, size_t index, nlohmann::json& element)> element;
};

// Returns the rest of the document. Throws ImportError "NAME: invalid JSON at line L, column C:
// …" for malformed input, and for nesting deeper than 64.
nlohmann::json stream_json(std::istream& in, const std::string& name,
                           const std::set<std::string>& streamed,
                           const JsonStreamHandlers& handlers);

} // namespace ciperf
