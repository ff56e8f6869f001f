#pragma once
// The host a run runs on, read once per run: the fingerprint that puts runs into host classes
// (model/run_record.hpp host_class).
#include "model/run_record.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace ciperf {

// The hostname is $CIPERF_HOST_NAME when set and not empty, else gethostname().
HostInfo read_host_info();

// The first `model name` of /proc/cpuinfo's text (ARM kernels without one: `Hardware`, else the
// CPU part), with runs of spaces folded; "" when there is none.
std::string cpu_model_from(std::string_view cpuinfo);

// What the machine under `root` (/ in production) runs inside: `container` (a Docker or Podman
// marker file, or a container= in PID 1's environment), else the hypervisor the DMI vendor or
// /sys/hypervisor names (kvm, qemu, vmware, hyper-v, xen, …), else `vm` when the CPU flags say
// `hypervisor`, else `none`.
std::string virtualization_under(const std::filesystem::path& root);

} // namespace ciperf
