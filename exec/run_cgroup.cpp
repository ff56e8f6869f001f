#include "exec/run_cgroup.hpp"

#include "exec/cgroup_worker.hpp"
#include "exec/phase_cgroup.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace ciperf {
namespace fs = std::filesystem;
namespace {

// --- Raw helpers: system calls and fixed buffers only (see kill_cgroup_tree). ---

bool join(char (&out)[PATH_MAX], const char* dir, const char* name) {
  size_t a = std::strlen(dir), b = std::strlen(name);
  if (a + 1 + b + 1 > sizeof out)
    return false;
  std::memcpy(out, dir, a);
  out[a] = '/';
  std::memcpy(out + a + 1, name, b + 1);
  return true;
}

struct Dirent64 { // the kernel's struct linux_dirent64
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[1];
};

// Calls `visit(child_dir)` for each child cgroup (subdirectory) of `dir`.
template <typename Visit> void for_each_child(const char* dir, Visit visit) {
  int fd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  alignas(8) char buf[4096];
  long n;
  while ((n = ::syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
    for (long at = 0; at < n;) {
      auto* entry = reinterpret_cast<Dirent64*>(buf + at);
      at += entry->reclen;
      char child[PATH_MAX];
      if (entry->type == DT_DIR && std::strcmp(entry->name, ".") != 0 &&
          std::strcmp(entry->name, "..") != 0 && join(child, dir, entry->name))
        visit(child);
    }
  ::close(fd);
}

// SIGKILL to each pid in `dir`/cgroup.procs: for kernels without cgroup.kill. Racy against
// forks, which is why the caller repeats it until the cgroup is empty.
void kill_listed(const char* dir) {
  char path[PATH_MAX];
  if (!join(path, dir, "cgroup.procs"))
    return;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  char buf[4096];
  long pid = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] >= '0' && buf[i] <= '9') {
        pid = pid * 10 + (buf[i] - '0');
      } else {
        if (pid > 0)
          ::kill(static_cast<pid_t>(pid), SIGKILL);
        pid = 0;
      }
    }
  if (pid > 0)
    ::kill(static_cast<pid_t>(pid), SIGKILL);
  ::close(fd);
}

void kill_tree(const char* dir) {
  char path[PATH_MAX];
  if (join(path, dir, "cgroup.kill")) {
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    bool killed = fd >= 0 && ::write(fd, "1", 1) == 1; // reaches the children too
    if (fd >= 0)
      ::close(fd);
    if (killed)
      return;
  }
  kill_listed(dir);
  for_each_child(dir, [](const char* child) { kill_tree(child); });
}

bool remove_tree(const char* dir) {
  for_each_child(dir, [](const char* child) { remove_tree(child); });
  return ::rmdir(dir) == 0 || errno == ENOENT;
}

bool tree_populated(const char* dir) {
  char path[PATH_MAX];
  if (!join(path, dir, "cgroup.events"))
    return false;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char buf[256];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  return std::strstr(buf, "populated 1") != nullptr; // counts the children's processes too
}

// --- Discovery, with the standard library: ciperf's own process only. ---

// The mount point and root of the cgroup2 file system, from /proc/self/mountinfo.
std::optional<std::pair<std::string, std::string>> cgroup2_mount() {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0)
      continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, device, root, mount_point;
    if (fields >> id >> parent >> device >> root >> mount_point)
      return std::pair{mount_point, root};
  }
  return std::nullopt;
}

// ciperf's cgroup in the cgroup v1 memory hierarchy, when there is one: the mount whose super
// options name `memory`, joined with the `N:memory:/path` line of /proc/self/cgroup.
std::optional<fs::path> own_memory_v1() {
  std::optional<std::string> mount_point;
  std::ifstream mounts("/proc/self/mountinfo");
  std::string line;
  while (!mount_point && std::getline(mounts, line)) {
    auto dash = line.find(" - cgroup ");
    if (dash == std::string::npos)
      continue;
    std::istringstream options(line.substr(dash + 10));
    std::string source, super;
    options >> source >> super;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, device, root, point;
    if ((',' + super + ',').find(",memory,") != std::string::npos &&
        fields >> id >> parent >> device >> root >> point && root == "/")
      mount_point = point;
  }
  if (!mount_point)
    return std::nullopt;
  std::ifstream groups("/proc/self/cgroup");
  while (std::getline(groups, line)) {
    auto first = line.find(':');
    auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos)
      continue;
    std::string controllers = ',' + line.substr(first + 1, second - first - 1) + ',';
    if (controllers.find(",memory,") != std::string::npos)
      return fs::path(*mount_point) / fs::path(line.substr(second + 1)).relative_path();
  }
  return std::nullopt;
}

// The `0::/path` line of /proc/self/cgroup: ciperf's cgroup in the v2 hierarchy.
std::optional<std::string> own_v2_path() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("0::", 0) == 0)
      return line.substr(3);
  return std::nullopt;
}

} // namespace

void kill_cgroup_tree(const char* dir, int patience_ms) {
  const timespec tick{0, 10'000'000};
  for (int waited = 0;; waited += 10) {
    kill_tree(dir); // again each round: without cgroup.kill, a fork may outrun the listing
    if (!tree_populated(dir) && remove_tree(dir))
      return;
    if (waited >= patience_ms)
      return;
    ::nanosleep(&tick, nullptr);
  }
}

void remove_cgroup_dirs(const char* dir, int patience_ms) {
  const timespec tick{0, 10'000'000};
  for (int waited = 0; !remove_tree(dir) && waited < patience_ms; waited += 10)
    ::nanosleep(&tick, nullptr);
}

std::optional<fs::path> RunCgroup::own_cgroup(std::string& why) {
  auto mount = cgroup2_mount();
  if (!mount) {
    why = "no cgroup v2 file system is mounted";
    return std::nullopt;
  }
  auto path = own_v2_path();
  if (!path) {
    why = "/proc/self/cgroup has no cgroup v2 line";
    return std::nullopt;
  }
  const auto& [mount_point, root] = *mount;
  if (root != "/" && path->rfind(root, 0) != 0) {
    why = "ciperf's cgroup " + *path + " is outside the mounted cgroup v2 tree";
    return std::nullopt;
  }
  std::string relative = root == "/" ? *path : path->substr(root.size());
  return fs::path(mount_point) / fs::path(relative).relative_path();
}

std::unique_ptr<RunCgroup> RunCgroup::create(const std::string& name, std::string& why) {
  auto own = own_cgroup(why);
  if (!own)
    return nullptr;
  fs::path dir = *own / name;
  if (::mkdir(dir.c_str(), 0755) != 0) {
    why = "cannot create " + dir.string() + ": " + std::strerror(errno);
    return nullptr;
  }
  int fd = ::open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    why = "cannot open " + (dir / "cgroup.procs").string() + ": " + std::strerror(errno);
    ::rmdir(dir.c_str());
    return nullptr;
  }
  auto run = std::unique_ptr<RunCgroup>(new RunCgroup(dir, fd));
  if (auto memory = own_memory_v1(); memory && ::mkdir((*memory / name).c_str(), 0755) == 0)
    run->memory_v1_ = *memory / name;
  return run;
}

RunCgroup::RunCgroup(fs::path path, int procs_fd)
    : path_(std::move(path)), procs_fd_(procs_fd),
      dir_fd_(::open(path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) {
  try {
    worker_ = std::make_unique<CgroupWorker>();
  } catch (const std::system_error&) {
    // No thread to be had (a process limit reached): cgroups are made and removed in line.
  }
}

RunCgroup::~RunCgroup() {
  worker_.reset();
  ::close(procs_fd_);
  if (dir_fd_ >= 0)
    ::close(dir_fd_);
  if (!removed_)
    kill_cgroup_tree(path_.c_str(), 5000);
  if (memory_v1_) // its processes are those of the v2 tree, all gone now
    remove_cgroup_dirs(memory_v1_->c_str(), 1000);
}

std::optional<fs::path> RunCgroup::memory_dir(const std::string& name) const {
  if (!memory_v1_)
    return std::nullopt;
  return *memory_v1_ / name;
}

std::unique_ptr<PhaseCgroup> RunCgroup::create_phase(const std::string& name) {
  if (auto prepared = worker_ ? worker_->take(path_ / name) : nullptr)
    return prepared;
  return std::make_unique<PhaseCgroup>(path_ / name, memory_dir(name));
}

void RunCgroup::prepare_phase(const std::string& name) {
  if (worker_)
    worker_->prepare(path_ / name, memory_dir(name));
}

void RunCgroup::retire_phase(std::unique_ptr<PhaseCgroup> phase) {
  if (worker_)
    worker_->retire(std::move(phase));
}

namespace {

// Writes each pid listed in `from`/cgroup.procs into `to`/cgroup.procs, a few times over: a
// process may fork while it is being moved.
void move_processes(const fs::path& from, const fs::path& to) {
  for (int pass = 0; pass < 10; ++pass) {
    std::ifstream listed(from / "cgroup.procs");
    std::vector<std::string> pids;
    for (std::string pid; listed >> pid;)
      pids.push_back(pid);
    if (pids.empty())
      return;
    for (const auto& pid : pids)
      std::ofstream(to / "cgroup.procs") << pid << std::flush; // one pid per write
  }
}

} // namespace

void RunCgroup::adopt_out(const PhaseCgroup& phase) const {
  move_processes(phase.path(), path_.parent_path());
  if (phase.memory_path())
    move_processes(*phase.memory_path(), phase.memory_path()->parent_path().parent_path());
}

void RunCgroup::kill_all() const {
  if (worker_)
    worker_->drain(); // no cgroup is made or removed under the walk
  kill_tree(path_.c_str());
}

bool RunCgroup::populated() const {
  return tree_populated(path_.c_str());
}

bool RunCgroup::remove() {
  if (worker_)
    worker_->drain();
  removed_ = removed_ || remove_tree(path_.c_str());
  return removed_;
}

} // namespace ciperf
