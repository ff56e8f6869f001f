#include "runner/forge_env.hpp"

#include <cstdlib>

namespace ciperf {
namespace {

std::string get(const EnvLookup& env, const std::string& name) {
  return env(name).value_or("");
}

std::optional<int> pr_number(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int n = std::stoi(text);
  return n > 0 ? std::optional<int>(n) : std::nullopt;
}

// DRONE_REPO_LINK is the forge's page of the repository: the forge is what precedes /OWNER/NAME.
std::string forge_of(const std::string& repo_link, const std::string& repo) {
  std::string suffix = "/" + repo;
  if (!repo.empty() && repo_link.size() > suffix.size() &&
      repo_link.compare(repo_link.size() - suffix.size(), suffix.size(), suffix) == 0)
    return repo_link.substr(0, repo_link.size() - suffix.size());
  return "";
}

PublishDefaults from_drone(const EnvLookup& env) {
  PublishDefaults d;
  d.source = "drone";
  d.repo = get(env, "DRONE_REPO");
  d.sha = get(env, "DRONE_COMMIT_SHA");
  d.pr = pr_number(get(env, "DRONE_PULL_REQUEST"));
  d.url = forge_of(get(env, "DRONE_REPO_LINK"), d.repo);
  d.target_url = get(env, "DRONE_BUILD_LINK");
  std::string host = get(env, "DRONE_SYSTEM_HOST"), build = get(env, "DRONE_BUILD_NUMBER");
  if (d.target_url.empty() && !host.empty() && !d.repo.empty() && !build.empty()) {
    std::string proto = get(env, "DRONE_SYSTEM_PROTO");
    d.target_url = (proto.empty() ? "https" : proto) + "://" + host + "/" + d.repo + "/" + build;
  }
  return d;
}

// refs/pull/7/head (pull_request events) → 7
std::optional<int> pr_of_ref(const std::string& ref) {
  const std::string prefix = "refs/pull/";
  if (ref.rfind(prefix, 0) != 0)
    return std::nullopt;
  return pr_number(ref.substr(prefix.size(), ref.find('/', prefix.size()) - prefix.size()));
}

PublishDefaults from_gitea_actions(const EnvLookup& env) {
  PublishDefaults d;
  d.source = "gitea-actions";
  d.url = get(env, "GITHUB_SERVER_URL");
  d.repo = get(env, "GITHUB_REPOSITORY");
  d.sha = get(env, "GITHUB_SHA");
  d.pr = pr_of_ref(get(env, "GITHUB_REF"));
  // Gitea's run pages are numbered by the run's index in the repository: GITHUB_RUN_NUMBER.
  std::string run = get(env, "GITHUB_RUN_NUMBER");
  if (!d.url.empty() && !d.repo.empty() && !run.empty())
    d.target_url = d.url + "/" + d.repo + "/actions/runs/" + run;
  return d;
}

} // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v || !*v)
      return std::nullopt;
    return std::string(v);
  };
}

PublishDefaults publish_defaults(const EnvLookup& env) {
  if (get(env, "DRONE") == "true" || !get(env, "DRONE_REPO").empty())
    return from_drone(env);
  if (get(env, "GITEA_ACTIONS") == "true" || get(env, "FORGEJO_ACTIONS") == "true")
    return from_gitea_actions(env);
  return {};
}

std::optional<PublishToken> publish_token(const EnvLookup& env) {
  for (const char* name : {"CIPERF_PUBLISH_TOKEN", "GITEA_TOKEN", "FORGEJO_TOKEN"})
    if (auto v = env(name))
      return PublishToken{name, *v};
  return std::nullopt;
}

} // namespace ciperf
