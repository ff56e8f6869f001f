#include "imports/run_identity.hpp"

#include <fmt/format.h>
#include <istream>
#include <vector>

namespace ciperf {
namespace {

// Two independent FNV-1a lanes: 128 bits, enough that different files never share an id.
struct Fnv {
  uint64_t a = 1469598103934665603ULL, b = 0x84222325CBF29CE4ULL;
  void add(const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      auto c = static_cast<unsigned char>(data[i]);
      a = (a ^ c) * 1099511628211ULL;
      b = (b ^ c ^ 0x5A) * 0x100000001B3ULL + 0x9E3779B97F4A7C15ULL;
    }
  }
};

} // namespace

std::string content_identity(std::istream& in) {
  Fnv h;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
    h.add(buffer.data(), static_cast<size_t>(in.gcount()));
  return fmt::format("{:016x}{:016x}", h.a, h.b);
}

std::string run_id_for(const std::string& identity, int n) {
  Fnv h;
  std::string seed = identity + "/" + std::to_string(n);
  h.add(seed.data(), seed.size());
  return fmt::format("{:012x}", h.a & 0xFFFFFFFFFFFFULL);
}

} // namespace ciperf
