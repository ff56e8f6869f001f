#include "common/atomic_file.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace ciperf {

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out)
        throw std::runtime_error("cannot write " + temp);
      write(out);
      if (!out.flush())
        throw std::runtime_error("cannot write " + temp);
    }
    std::filesystem::rename(temp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    throw;
  }
}

} // namespace ciperf
