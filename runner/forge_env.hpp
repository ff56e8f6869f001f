#pragma once
// Where `ciperf publish` finds its defaults when a CI runs it: Drone's DRONE_* variables, else
// Gitea (or Forgejo) Actions' GITHUB_*-compatible ones (only under GITEA_ACTIONS=true or
// FORGEJO_ACTIONS=true, so a GitHub runner's are never taken for a Gitea's). Flags win over
// both. A pure function of an environment lookup, so tests hand it a map.
#include <functional>
#include <optional>
#include <string>

namespace ciperf {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env(); // getenv; an empty variable counts as unset

struct PublishDefaults {
  std::string source; // "drone", "gitea-actions" or "" (none)
  std::string url;    // the forge: https://gitea.example.com
  std::string repo;   // OWNER/NAME
  std::string sha;
  std::optional<int> pr;
  std::string target_url; // the CI build's page
};

PublishDefaults publish_defaults(const EnvLookup& env);

// The first of these that is set, and its name: CIPERF_PUBLISH_TOKEN, GITEA_TOKEN, FORGEJO_TOKEN.
struct PublishToken {
  std::string name;
  std::string value;
};
std::optional<PublishToken> publish_token(const EnvLookup& env);

} // namespace ciperf
