#pragma once
// Gitea's (and Forgejo's) REST API, the calls `ciperf publish` makes: a commit status, and
// one PR comment kept in place. The comment is the token's user's (`GET /user`) whose body
// begins with the hidden marker, found on
// every page of the PR's comments (bounded by kMaxCommentPages); after posting a new
// one, the list is read again, and when two publishers raced, every marked comment but the
// oldest is deleted and the oldest gets this publisher's body, so one comment remains.
// Errors carry the HTTP status and the server's message, with the token masked.
#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ciperf {

struct HttpReply;

struct ForgeRepo {
  std::string url;   // https://gitea.example.com (a trailing / or /api/v1 is dropped)
  std::string owner; // OWNER of OWNER/NAME
  std::string name;
  std::string token;                         // sent as "Authorization: token …", never printed
  std::chrono::milliseconds timeout{30'000}; // the longest any one call may take
};

// Comments asked for per page (Gitea's default cap of a page), and the pages read at most.
inline constexpr int kCommentsPerPage = 50;
inline constexpr int kMaxCommentPages = 100;

struct CommitStatusPost {
  std::string sha;
  std::string state; // pending, success, failure, error
  std::string context;
  std::string description;
  std::string target_url; // empty: none
};

// A failed call: "POST …/statuses/abc: HTTP 401: user does not exist" (the token masked).
class ForgeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct CommentResult {
  long id = 0;
  std::string html_url;
  bool created = false; // a new comment (else the earlier one was updated in place)
  int duplicates = 0;   // marked comments deleted after a race
};

class GiteaClient {
public:
  explicit GiteaClient(ForgeRepo repo);

  void post_status(const CommitStatusPost& status);
  // The comment of issue/PR `number` whose body holds `marker`, updated to `body`, or a new one.
  CommentResult upsert_comment(int number, const std::string& marker, const std::string& body);

private:
  struct Comment {
    long id = 0;
    std::string html_url;
  };
  // `path` is under api_, unless it is a whole URL.
  HttpReply send(const std::string& method, const std::string& path, const std::string& body);
  ForgeError failure(const std::string& method, const std::string& path,
                     const HttpReply& reply) const;
  std::string call(const std::string& method, const std::string& path, const std::string& body,
                   long expected);
  std::string own_login();
  nlohmann::json comment_page(int number, int page);
  std::vector<Comment> marked_comments(int number, const std::string& marker);
  Comment edit(long id, const std::string& body);

  ForgeRepo repo_;
  std::string root_; // …/api/v1
  std::string api_;  // …/api/v1/repos/OWNER/NAME
  std::optional<std::string> login_;
};

// Parses OWNER/NAME; throws UsageError otherwise.
void split_repo(const std::string& full, ForgeRepo& repo);

} // namespace ciperf
