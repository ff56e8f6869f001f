#pragma once
// Writing a file so that readers see the old one or the whole new one, never a torn one: into a
// temporary beside it, then renamed over it. A failed write removes the temporary and throws
// with the system's reason (ENOSPC: "No space left on device"). A symlink is written through to
// its target; anything that is not a regular file (FIFO, device, directory), or a path in a
// missing folder, is refused with UsageError.
#include <functional>
#include <iosfwd>
#include <string>

namespace ciperf {

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

} // namespace ciperf
