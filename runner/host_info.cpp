#include "runner/host_info.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/utsname.h>
#include <unistd.h>

namespace ciperf {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string folded(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (space && (out.empty() || out.back() == ' '))
      continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The value of the first `key : value` line of /proc/cpuinfo whose key is `key`.
std::string cpuinfo_value(std::string_view cpuinfo, std::string_view key) {
  std::istringstream lines{std::string(cpuinfo)};
  for (std::string line; std::getline(lines, line);) {
    auto colon = line.find(':');
    if (colon != std::string::npos && folded(line.substr(0, colon)) == key)
      return folded(line.substr(colon + 1));
  }
  return {};
}

bool in_container(const fs::path& root) {
  std::error_code ec;
  if (fs::exists(root / ".dockerenv", ec) || fs::exists(root / "run/.containerenv", ec))
    return true;
  std::string environ = read_text(root / "proc/1/environ"); // NUL-separated; root only
  return environ.rfind("container=", 0) == 0 ||
         environ.find(std::string("\0container=", 11)) != std::string::npos;
}

// The hypervisor a DMI vendor or product string names, or "".
std::string hypervisor_named(const std::string& dmi) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kNames = {{
      {"kvm", "kvm"},
      {"qemu", "qemu"},
      {"vmware", "vmware"},
      {"virtualbox", "virtualbox"},
      {"innotek", "virtualbox"},
      {"xen", "xen"},
      {"microsoft corporation", "hyper-v"},
      {"amazon ec2", "amazon"},
      {"google", "google"},
  }};
  std::string text = lowered(dmi);
  for (const auto& [needle, name] : kNames)
    if (text.find(needle) != std::string::npos)
      return std::string(name);
  return {};
}

} // namespace

std::string cpu_model_from(std::string_view cpuinfo) {
  for (std::string_view key : {"model name", "Hardware", "CPU part"})
    if (auto value = cpuinfo_value(cpuinfo, key); !value.empty())
      return value;
  return {};
}

std::string virtualization_under(const fs::path& root) {
  if (in_container(root))
    return "container";
  for (const char* file :
       {"sys/class/dmi/id/sys_vendor", "sys/class/dmi/id/product_name", "sys/hypervisor/type"})
    if (auto name = hypervisor_named(read_text(root / file)); !name.empty())
      return name;
  std::istringstream flags(cpuinfo_value(read_text(root / "proc/cpuinfo"), "flags"));
  for (std::string flag; flags >> flag;)
    if (flag == "hypervisor")
      return "vm";
  return "none";
}

HostInfo read_host_info() {
  HostInfo host;
  // CIPERF_HOST_NAME names the runner where the hostname does not: containers that get a
  // random one per job would otherwise make every run a host of its own (attribute --by host).
  const char* chosen = std::getenv("CIPERF_HOST_NAME");
  char name[256] = {};
  if (chosen && *chosen)
    host.hostname = chosen;
  else if (::gethostname(name, sizeof name - 1) == 0)
    host.hostname = name;
  host.cpus = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  host.memory_bytes = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
  utsname u{};
  if (::uname(&u) == 0)
    host.kernel = std::string(u.sysname) + " " + u.release;
  host.cpu_model = cpu_model_from(read_text("/proc/cpuinfo"));
  host.virtualization = virtualization_under("/");
  return host;
}

} // namespace ciperf
