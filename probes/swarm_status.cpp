#include "probes/swarm_status.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace ciperf {
namespace {

// "2/3", "1/1 (max 1 per node)", "0/1 (1/1 completed)": running and desired replicas.
bool replicas_settled(const std::string& replicas) {
  size_t slash = replicas.find('/');
  if (slash == std::string::npos)
    throw std::runtime_error("unexpected Replicas value '" + replicas + "'");
  size_t end = replicas.find_first_not_of("0123456789", slash + 1);
  std::string running = replicas.substr(0, slash);
  std::string desired =
      replicas.substr(slash + 1, end == std::string::npos ? end : end - slash - 1);
  if (running.empty() || desired.empty())
    throw std::runtime_error("unexpected Replicas value '" + replicas + "'");
  return running == desired;
}

// Service name → update state, for the services that have one.
std::map<std::string, std::string> update_states(const std::string& inspect) {
  std::map<std::string, std::string> states;
  if (inspect.find_first_not_of(" \n\r\t") == std::string::npos)
    return states;
  auto doc = nlohmann::json::parse(inspect);
  if (!doc.is_array())
    throw std::runtime_error("docker service inspect did not print a JSON array");
  for (const auto& service : doc) {
    std::string name = service.at("Spec").at("Name").get<std::string>();
    if (service.contains("UpdateStatus") && service["UpdateStatus"].contains("State"))
      states[name] = service["UpdateStatus"]["State"].get<std::string>();
  }
  return states;
}

bool update_in_progress(const std::string& state) {
  return state == "updating" || state == "rollback_started";
}

} // namespace

SwarmStatus parse_swarm_status(const std::string& ls_lines, const std::string& inspect) {
  SwarmStatus status;
  std::map<std::string, std::string> states;
  try {
    states = update_states(inspect);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("cannot read docker service inspect output: ") + e.what());
  }
  std::istringstream lines(ls_lines);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \r\t") == std::string::npos)
      continue;
    nlohmann::json service;
    try {
      service = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error("cannot read docker service ls output: " + line.substr(0, 80));
    }
    std::string name = service.value("Name", "?");
    std::string replicas = service.value("Replicas", "");
    ++status.services;
    bool settled = replicas_settled(replicas);
    auto state = states.find(name);
    bool updating = state != states.end() && update_in_progress(state->second);
    if (settled && !updating) {
      ++status.settled;
      continue;
    }
    if (!status.reason.empty())
      status.reason += ", ";
    status.reason += name + " " + (settled ? state->second : replicas);
  }
  status.converged = status.services > 0 && status.settled == status.services;
  if (status.services == 0)
    status.reason = "the stack has no services";
  return status;
}

bool valid_stack_name(const std::string& stack) {
  if (stack.empty())
    return false;
  for (char c : stack)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

std::string swarm_status_command(const std::string& stack) {
  std::string filter = "--filter label=com.docker.stack.namespace=" + stack;
  return "docker service ls " + filter + " --format '{{json .}}' && echo ---ciperf--- && " +
         "ids=$(docker service ls -q " + filter + ") && { [ -z \"$ids\" ] || " +
         "docker service inspect $ids; }";
}

} // namespace ciperf
