#pragma once
#include <cstdint>
#include <string>

namespace ciperf {

std::string human_seconds(double s); // 0.31s, 12.3s, 4m05s
std::string human_bytes(int64_t b);  // 512B, 12.4MiB

} // namespace ciperf
