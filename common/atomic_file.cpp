#include "common/atomic_file.hpp"

#include "common/errors.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

std::runtime_error write_error(const std::string& path, int error) {
  return std::runtime_error("cannot write " + path + ": " + std::strerror(error));
}

// The file a write to `path` lands in: a symlink is followed to its target (as `>` in a shell
// would), so the link stays a link. A FIFO, device, socket or directory is never replaced by a
// regular file: as root that would have destroyed /dev/full.
fs::path write_target(const fs::path& path) {
  std::error_code ec;
  fs::path target = path;
  for (int hops = 0; fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
    if (hops == 40)
      throw std::runtime_error("cannot write " + path.string() + ": too many symlinks");
    fs::path next = fs::read_symlink(target, ec);
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  auto status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw UsageError("refusing to write " + path.string() +
                     ": it is not a regular file (a directory, FIFO, socket or device)");
  fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (!fs::is_directory(folder, ec))
    throw UsageError("cannot write " + path.string() + ": the folder " + folder.string() +
                     " does not exist");
  return target;
}

} // namespace

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  fs::path target = write_target(path);
  std::string temp = target.string() + ".tmp." + std::to_string(::getpid());
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out)
        throw write_error(temp, errno);
      write(out);
      if (!out.flush())
        throw write_error(temp, errno ? errno : EIO);
    }
    struct stat existing {};
    if (::stat(target.c_str(), &existing) == 0) // keep the permissions of the file replaced
      ::chmod(temp.c_str(), existing.st_mode & 07777);
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec)
      throw std::runtime_error("cannot write " + target.string() + ": " + ec.message());
  } catch (...) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw;
  }
}

} // namespace ciperf
