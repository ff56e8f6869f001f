#pragma once
// Run ids for imported files that carry none: derived from the file's content, so the same file
// imported twice gets the same id and is stored once.
#include <cstdint>
#include <iosfwd>
#include <string>

namespace ciperf {

// A hex digest of everything `in` yields (read in chunks; the stream is left at its end).
std::string content_identity(std::istream& in);
// A 12-hex-digit run id (the width of ciperf's own) for the n-th run of that content.
std::string run_id_for(const std::string& identity, int n);

} // namespace ciperf
