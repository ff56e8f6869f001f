#pragma once
// Writing a file so that readers see the old one or the whole new one, never a torn one: into a
// temporary beside it, then renamed over it. A failed write removes the temporary.
#include <functional>
#include <iosfwd>
#include <string>

namespace ciperf {

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

} // namespace ciperf
