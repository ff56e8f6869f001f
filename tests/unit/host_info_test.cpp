// The host fingerprint read from files laid out as /proc and /sys lay them out, under a root the
// test makes.
#include "runner/host_info.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace ciperf {
namespace {

void write(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

} // namespace

TEST_CASE("the CPU model comes from the first model name of /proc/cpuinfo", "[host]") {
  CHECK(cpu_model_from("processor\t: 0\nmodel name\t: AMD  EPYC   7B13\nflags\t: fpu\n"
                       "processor\t: 1\nmodel name\t: other\n") == "AMD EPYC 7B13");
  CHECK(cpu_model_from("processor\t: 0\nCPU part\t: 0xd0c\n") == "0xd0c"); // ARM, no model name
  CHECK(cpu_model_from("") == "");
}

TEST_CASE("virtualization is a container marker or else DMI or else the hypervisor flag",
          "[host]") {
  test::TempDir root;
  write(root / "proc/cpuinfo", "flags\t\t: fpu vme hypervisor lm\n");
  CHECK(virtualization_under(root.path()) == "vm");
  write(root / "sys/class/dmi/id/sys_vendor", "QEMU\n");
  CHECK(virtualization_under(root.path()) == "qemu");
  write(root / ".dockerenv", "");
  CHECK(virtualization_under(root.path()) == "container");

  test::TempDir bare;
  write(bare / "proc/cpuinfo", "flags\t\t: fpu vme hypervisorx lm\n"); // a word, not a prefix
  CHECK(virtualization_under(bare.path()) == "none");
}

TEST_CASE("CIPERF_HOST_NAME names the runner and, unset or empty, the hostname does", "[host]") {
  char name[256] = {};
  REQUIRE(::gethostname(name, sizeof name - 1) == 0);
  ::setenv("CIPERF_HOST_NAME", "runner-7", 1);
  CHECK(read_host_info().hostname == "runner-7");
  ::setenv("CIPERF_HOST_NAME", "", 1);
  CHECK(read_host_info().hostname == name);
  ::unsetenv("CIPERF_HOST_NAME");
  CHECK(read_host_info().hostname == name);
}

} // namespace ciperf
