#pragma once
// Paths that come from files ciperf did not write (an imported results.json's `log` field) are
// confined to the folder they claim to be relative to: no absolute paths, no `..`, no symlink
// that leads out, nothing but a regular file.
#include <filesystem>
#include <optional>
#include <string_view>

namespace ciperf {

// True for a non-empty relative path without a `..` component.
bool stays_inside(std::string_view relative);

// dir/relative, when it is a regular file whose real location lies inside dir's real location.
std::optional<std::filesystem::path> file_inside(const std::filesystem::path& dir,
                                                 std::string_view relative);

} // namespace ciperf
