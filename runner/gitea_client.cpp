#include "runner/gitea_client.hpp"

#include "common/errors.hpp"
#include "common/redactor.hpp"
#include "probes/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

namespace ciperf {
namespace {

// Owner and repository names go into the path: anything but Gitea's name characters is
// percent-encoded, so a name cannot add a path segment or a query.
std::string path_segment(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    bool plain = std::isalnum(c) || c == '-' || c == '_' || c == '.';
    out += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

std::string api_root(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  if (url.size() >= 7 && url.compare(url.size() - 7, 7, "/api/v1") == 0)
    url.resize(url.size() - 7);
  return url + "/api/v1";
}

// The server's own words: Gitea's {"message": …}, else the start of the body.
std::string server_message(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("message") && doc["message"].is_string())
    return doc["message"].get<std::string>();
  std::string text = body.substr(0, 300);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? "(no message)" : text;
}

// A field the server should have sent as a string; anything else counts as empty.
std::string string_field(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

} // namespace

void split_repo(const std::string& full, ForgeRepo& repo) {
  auto slash = full.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == full.size() ||
      full.find('/', slash + 1) != std::string::npos)
    throw UsageError("--repo must be OWNER/NAME, got '" + full + "'");
  repo.owner = full.substr(0, slash);
  repo.name = full.substr(slash + 1);
}

GiteaClient::GiteaClient(ForgeRepo repo) : repo_(std::move(repo)) {
  if (repo_.url.rfind("http://", 0) != 0 && repo_.url.rfind("https://", 0) != 0)
    throw UsageError("--url must start with http:// or https://, got '" + repo_.url + "'");
  root_ = api_root(repo_.url);
  api_ = root_ + "/repos/" + path_segment(repo_.owner) + "/" + path_segment(repo_.name);
}

HttpReply GiteaClient::send(const std::string& method, const std::string& path,
                            const std::string& body) {
  HttpCall c;
  c.method = method;
  c.url = path.starts_with("http") ? path : api_ + path;
  c.headers = {"Authorization: token " + repo_.token, "Accept: application/json"};
  if (!body.empty())
    c.headers.push_back("Content-Type: application/json");
  c.body = body;
  c.timeout = repo_.timeout;
  return http_call(c);
}

ForgeError GiteaClient::failure(const std::string& method, const std::string& path,
                                const HttpReply& reply) const {
  Redactor mask(repo_.token.empty() ? std::vector<std::string>{}
                                    : std::vector<std::string>{repo_.token});
  std::string where = fmt::format("{} {}{}", method, api_, path);
  if (reply.status == 0)
    return ForgeError(mask.apply(fmt::format("{}: {}", where, reply.error)));
  return ForgeError(
      mask.apply(fmt::format("{}: HTTP {}: {}", where, reply.status, server_message(reply.body))));
}

std::string GiteaClient::call(const std::string& method, const std::string& path,
                              const std::string& body, long expected) {
  HttpReply reply = send(method, path, body);
  if (reply.status != expected)
    throw failure(method, path, reply);
  return reply.body;
}

void GiteaClient::post_status(const CommitStatusPost& s) {
  nlohmann::json doc = {{"state", s.state}, {"context", s.context}, {"description", s.description}};
  if (!s.target_url.empty())
    doc["target_url"] = s.target_url;
  call("POST", "/statuses/" + path_segment(s.sha), doc.dump(), 201);
}

// One page of an issue's comments, as Gitea pages them: `limit` (the server caps it, at 50 by
// default) and `page` from 1.
nlohmann::json GiteaClient::comment_page(int number, int page) {
  std::string path = fmt::format("/issues/{}/comments", number);
  auto doc = nlohmann::json::parse(
      call("GET", fmt::format("{}?limit={}&page={}", path, kCommentsPerPage, page), "", 200),
      nullptr, false);
  if (!doc.is_array())
    throw ForgeError(fmt::format("GET {}{}: the answer is not a JSON array", api_, path));
  return doc;
}

// The token's own user, whose comments alone can be ciperf's; empty when the server does not say
// (a token scoped to the repository may not read /user): then the marker alone decides.
std::string GiteaClient::own_login() {
  if (!login_) {
    HttpReply reply = send("GET", root_ + "/user", "");
    auto doc = nlohmann::json::parse(reply.body, nullptr, false);
    login_ = reply.status == 200 && doc.is_object() ? string_field(doc, "login") : "";
  }
  return *login_;
}

// Every page until an empty one, or one that brings no comment not already seen (a server that
// ignores `page` answers the same list again). Bounded: past kMaxCommentPages it stops with an
// error rather than post a second comment because the first was on a page it did not read.
std::vector<GiteaClient::Comment> GiteaClient::marked_comments(int number,
                                                               const std::string& marker) {
  std::vector<Comment> out;
  std::set<long> seen;
  std::string login = own_login();
  for (int page = 1;; ++page) {
    if (page > kMaxCommentPages)
      throw ForgeError(fmt::format("GET {}/issues/{}/comments: more than {} pages of comments; "
                                   "ciperf stops rather than risk a duplicate comment",
                                   api_, number, kMaxCommentPages));
    bool news = false;
    for (const auto& c : comment_page(number, page)) {
      if (!c.is_object() || !c.contains("id") || !c["id"].is_number_integer())
        continue;
      long id = c["id"].get<long>();
      if (!seen.insert(id).second)
        continue;
      news = true;
      // Ours begins with the marker and is by the token's user; a comment that quotes it, or
      // another user's that copies it (which ciperf could not edit), is someone else's.
      bool by_us = login.empty() || (c.contains("user") && c["user"].is_object() &&
                                     string_field(c["user"], "login") == login);
      if (by_us && string_field(c, "body").rfind(marker, 0) == 0)
        out.push_back({id, string_field(c, "html_url")});
    }
    if (!news)
      break;
  }
  // Ids grow with time: the oldest is the one every publisher keeps.
  std::sort(out.begin(), out.end(), [](const Comment& a, const Comment& b) { return a.id < b.id; });
  return out;
}

GiteaClient::Comment GiteaClient::edit(long id, const std::string& body) {
  auto doc = nlohmann::json::parse(call("PATCH", fmt::format("/issues/comments/{}", id),
                                        nlohmann::json{{"body", body}}.dump(), 200),
                                   nullptr, false);
  return {id, doc.is_object() ? string_field(doc, "html_url") : ""};
}

CommentResult GiteaClient::upsert_comment(int number, const std::string& marker,
                                          const std::string& body) {
  auto existing = marked_comments(number, marker);
  if (!existing.empty()) {
    Comment kept = edit(existing.front().id, body);
    return {kept.id, kept.html_url, false, 0};
  }
  auto posted = nlohmann::json::parse(call("POST", fmt::format("/issues/{}/comments", number),
                                           nlohmann::json{{"body", body}}.dump(), 201),
                                      nullptr, false);
  CommentResult result;
  result.created = true;
  bool has_id = posted.is_object() && posted.contains("id") && posted["id"].is_number_integer();
  result.id = has_id ? posted["id"].get<long>() : 0;
  result.html_url = posted.is_object() ? string_field(posted, "html_url") : "";
  // Another publisher may have posted between our read and our post: the oldest stays.
  auto now = marked_comments(number, marker);
  if (now.size() <= 1)
    return result;
  for (size_t i = 1; i < now.size(); ++i) {
    std::string path = fmt::format("/issues/comments/{}", now[i].id);
    HttpReply reply = send("DELETE", path, "");
    if (reply.status == 204)
      ++result.duplicates;
    else if (reply.status != 404) // 404: the other publisher deleted it first
      throw failure("DELETE", path, reply);
  }
  Comment kept = now.front().id == result.id ? now.front() : edit(now.front().id, body);
  result.created = now.front().id == result.id;
  result.id = kept.id;
  result.html_url = kept.html_url.empty() ? now.front().html_url : kept.html_url;
  return result;
}

} // namespace ciperf
