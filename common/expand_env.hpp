#pragma once
#include <functional>
#include <optional>
#include <string>

namespace ciperf {

// Expands `$NAME` and `${NAME}` the way a shell would for plain words: an unset variable
// becomes empty. A `$` not followed by a name is kept.
std::string expand_env(const std::string& text,
                       const std::function<std::optional<std::string>(const std::string&)>& lookup);

} // namespace ciperf
