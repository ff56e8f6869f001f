#include "common/confined_path.hpp"

#include <algorithm>

namespace ciperf {
namespace fs = std::filesystem;

bool stays_inside(std::string_view relative) {
  if (relative.empty() || relative.find('\0') != std::string_view::npos)
    return false;
  fs::path path(relative);
  if (path.is_absolute() || path.has_root_name() || path.has_root_directory())
    return false;
  return std::none_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
}

std::optional<fs::path> file_inside(const fs::path& dir, std::string_view relative) {
  if (!stays_inside(relative))
    return std::nullopt;
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec)
    return std::nullopt;
  fs::path file = fs::canonical(root / relative, ec);
  if (ec || !fs::is_regular_file(file, ec))
    return std::nullopt;
  auto [root_end, file_at] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (root_end != root.end())
    return std::nullopt;
  return file;
}

} // namespace ciperf
