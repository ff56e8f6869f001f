#include "exec/phase_env.hpp"

#include <cstring>
#include <unistd.h>

extern char** environ;

namespace ciperf {

EnvMap process_environment() {
  EnvMap env;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq)
      env[std::string(*e, static_cast<size_t>(eq - *e))] = eq + 1;
  }
  return env;
}

EnvMap merge_env(const EnvMap& base, std::initializer_list<const EnvMap*> layers) {
  EnvMap merged = base;
  for (const EnvMap* layer : layers)
    for (const auto& [key, value] : *layer)
      merged[key] = value;
  return merged;
}

std::vector<std::string> build_env(const EnvMap& base,
                                   std::initializer_list<const EnvMap*> layers) {
  EnvMap merged = merge_env(base, layers);
  std::vector<std::string> out;
  out.reserve(merged.size());
  for (const auto& [key, value] : merged)
    out.push_back(key + "=" + value);
  return out;
}

} // namespace ciperf
