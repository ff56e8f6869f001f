#include "probes/command_probe.hpp"

#include <utility>

namespace ciperf {

void CommandProbe::begin() {
  try {
    exec_.start(command_, output_limit_, spec_.env, spec_.workdir);
  } catch (const std::exception& e) {
    failure_ = e.what();
  }
}

std::optional<Attempt> CommandProbe::advance(const std::vector<pollfd>& fds) {
  if (!failure_.empty())
    return Attempt{false, false, std::exchange(failure_, "")};
  auto r = exec_.advance(fds);
  if (!r)
    return std::nullopt;
  return judge(*r);
}

} // namespace ciperf
