#!/usr/bin/python3
"""A recorded-API stand-in for Gitea/Forgejo on loopback, for `ciperf publish` tests.

    gitea_server.py STATE_DIR --token TOKEN [--hold-lists N] [--echo-token] [--seed PR:N]
                    [--no-paging] [--hostile MODE]

No Gitea or Forgejo server is packaged in Debian 12 or npm, so this implements the endpoints
ciperf calls with the JSON shapes Gitea 1.20+ answers (api/v1 CommitStatus, Comment, APIError),
keeps their state in memory, and checks the `Authorization: token …` header like Gitea: any
other token gets 401 {"message": "user does not exist [uid: 0, name: , keyid: 0]", "url": …}.

    POST   /api/v1/repos/{o}/{r}/statuses/{sha}           201 CommitStatus
    GET    /api/v1/user                                   200 User (the token's: ciperf-bot)
    GET    /api/v1/repos/{o}/{r}/statuses/{sha}           200 [CommitStatus], newest first
    GET    /api/v1/repos/{o}/{r}/issues/{n}/comments      200 [Comment], oldest first, paged
    POST   /api/v1/repos/{o}/{r}/issues/{n}/comments      201 Comment
    PATCH  /api/v1/repos/{o}/{r}/issues/comments/{id}     200 Comment
    DELETE /api/v1/repos/{o}/{r}/issues/comments/{id}     204, or 404 when it is gone

Only repository `ciperf/demo` exists (404 otherwise, as Gitea's "The target couldn't be found.").
`--hold-lists N` holds the first N comment listings until N have arrived, so N publishers all
see no comment and all post one: the race ciperf must clean up. `--echo-token` makes the 401
message and every comment's html_url quote the token it got (a careless proxy), to check that
ciperf masks it.
The comment list pages as Gitea's API does: `page` from 1 (0 or less is 1), `limit` of at most
50 (MAX_RESPONSE_ITEMS), 30 when absent or 0 or less (DEFAULT_PAGING_NUM), with the total in
X-Total-Count; `--no-paging` answers every comment whatever the parameters (a server that
ignores them). `--seed PR:N` starts PR with N comments by another user, HTML in their bodies,
every tenth quoting `<!-- ciperf:pub-demo -->` after a `> `, the third beginning with it.
`--hostile MODE` answers every request badly: `not-json` (200/201 with an HTML page), `huge` (a
200 whose body never ends: 64 MiB), `500` (an HTML error page that quotes the token it got),
`hang` (reads the request, never answers), `redirect` (302 to the same path on another host,
127.0.0.2, whose requests are recorded as "elsewhere" with the Authorization they carried).
It writes STATE_DIR/port once it listens, and STATE_DIR/state.json (statuses, comments, the
requests as "METHOD PATH") before it answers each request.
"""
import argparse
import datetime
import json
import pathlib
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USER = {"id": 1, "login": "ciperf-bot", "full_name": "", "email": "bot@example.invalid",
        "avatar_url": "", "language": "", "is_admin": False, "username": "ciperf-bot"}


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("state", type=pathlib.Path)
    p.add_argument("--token", required=True)
    p.add_argument("--hold-lists", type=int, default=0)
    p.add_argument("--echo-token", action="store_true")
    p.add_argument("--seed", default="")
    p.add_argument("--no-paging", action="store_true")
    p.add_argument("--hostile", choices=["not-json", "huge", "500", "hang", "redirect"])
    a = p.parse_args()
    a.state.mkdir(parents=True, exist_ok=True)
    lock = threading.RLock()  # reply() saves the state, sometimes under the handlers' lock
    data = {"statuses": {}, "comments": {}, "requests": [], "elsewhere": []}
    ids = {"status": 0, "comment": 0}
    if a.seed:
        pr, count = (int(x) for x in a.seed.split(":"))
        # Every tenth quotes a ciperf marker after its start, as a reply quoting ciperf would;
        # the third begins with one, copied by another user.
        data["comments"][pr] = [
            {"cid": i, "body": ("> <!-- ciperf:pub-demo -->\n" if i % 10 == 0 else
                                "<!-- ciperf:pub-demo -->\ncopied " if i == 3 else "")
             + f"<b>review {i}</b> <script>x()</script> <!-- ciperf:other -->",
             "created": now(), "updated": now(), "login": "reviewer"} for i in range(1, count + 1)]
        ids["comment"] = count
    other = {"port": 0}
    hold = {"barrier": threading.Barrier(a.hold_lists) if a.hold_lists > 1 else None,
            "left": a.hold_lists}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def base(self):
            return f"http://{self.headers.get('Host', '127.0.0.1')}"

        def save_state(self):
            with lock:
                (a.state / "state.tmp").write_text(json.dumps(
                    {k: {str(n): v for n, v in d.items()} if isinstance(d, dict) else d
                     for k, d in data.items()}))
                (a.state / "state.tmp").replace(a.state / "state.json")

        def reply(self, status, doc=None, headers=None):
            # Saved before the answer leaves: once a client has its answer, a test reading the
            # state sees what that request did.
            self.save_state()
            body = b"" if doc is None else json.dumps(doc).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if doc is not None:
                self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def error(self, status, message):
            self.reply(status, {"message": message, "url": self.base() + "/api/swagger"})

        def body(self):
            n = int(self.headers.get("Content-Length", "0"))
            return json.loads(self.rfile.read(n) or b"{}")

        def authorised(self):
            header = self.headers.get("Authorization", "")
            given = header.split(" ", 1)[1] if " " in header else ""
            if header.split(" ", 1)[0].lower() in ("token", "bearer") and given == a.token:
                return True
            self.error(401, f"invalid token {given}" if a.echo_token
                       else "user does not exist [uid: 0, name: , keyid: 0]")
            return False

        def comment_doc(self, number, cid, body, created, updated, login=None):
            repo = self.base() + "/ciperf/demo"
            user = dict(USER, login=login, username=login) if login else USER
            given = self.headers.get("Authorization", "").partition(" ")[2]
            echo = f"?seen={given}" if a.echo_token else ""
            return {"id": cid, "html_url": f"{repo}/pulls/{number}{echo}#issuecomment-{cid}",
                    "pull_request_url": f"{repo}/pulls/{number}", "issue_url": "",
                    "user": user, "original_author": "", "original_author_id": 0,
                    "body": body, "assets": [], "created_at": created, "updated_at": updated}

        def hostile(self, method):
            """Answers as a broken or malicious server would; True when it did."""
            given = self.headers.get("Authorization", "")
            if a.hostile == "not-json":
                return self.raw(201 if method == "POST" else 200, b"<html>Welcome!</html>")
            if a.hostile == "500":
                page = f"<html><h1>500</h1><pre>auth was {given}</pre></html>".encode()
                return self.raw(500, page)
            if a.hostile == "hang":
                threading.Event().wait(120)
                return True
            if a.hostile == "redirect":
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.2:{other['port']}{self.path}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return True
            if a.hostile == "huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(64 << 20))
                self.end_headers()
                chunk = b"[" + b" " * 65535
                try:
                    for _ in range(1024):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return True
            return False

        def raw(self, status, body):
            self.save_state()
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return True

        def handle_api(self, method):
            path, _, query = self.path.partition("?")
            with lock:
                data["requests"].append(f"{method} {self.path if query else path}")
            if a.hostile and self.hostile(method):
                return
            if not self.authorised():
                return
            if path == "/api/v1/user" and method == "GET":
                return self.reply(200, USER)
            m = re.fullmatch(r"/api/v1/repos/([^/]+)/([^/]+)(/.*)", path)
            if not m or (m.group(1), m.group(2)) != ("ciperf", "demo"):
                return self.error(404, "The target couldn't be found.")
            rest = m.group(3)
            if (s := re.fullmatch(r"/statuses/([0-9a-fA-F]+)", rest)):
                return self.statuses(method, s.group(1))
            if (s := re.fullmatch(r"/issues/(\d+)/comments", rest)):
                return self.issue_comments(method, int(s.group(1)))
            if (s := re.fullmatch(r"/issues/comments/(\d+)", rest)):
                return self.one_comment(method, int(s.group(1)))
            self.error(404, "The target couldn't be found.")

        def statuses(self, method, sha):
            if method == "GET":
                with lock:
                    return self.reply(200, list(reversed(data["statuses"].get(sha, []))))
            if method != "POST":
                return self.error(405, "method not allowed")
            doc = self.body()
            if doc.get("state") not in ("pending", "success", "error", "failure", "warning"):
                return self.error(422, "[State]: Required")
            with lock:
                ids["status"] += 1
                t = now()
                status = {"id": ids["status"], "state": doc["state"],
                          "target_url": doc.get("target_url", ""),
                          "description": doc.get("description", ""),
                          "url": f"{self.base()}/api/v1/repos/ciperf/demo/statuses/{sha}",
                          "context": doc.get("context", ""), "creator": USER,
                          "created_at": t, "updated_at": t}
                data["statuses"].setdefault(sha, []).append(status)
            self.reply(201, status)

        def issue_comments(self, method, number):
            if method == "GET":
                barrier = None
                with lock:
                    if hold["left"] > 0:
                        hold["left"] -= 1
                        barrier = hold["barrier"]
                if barrier:
                    barrier.wait(timeout=20)
                with lock:
                    every = data["comments"].get(number, [])
                    shown = every if a.no_paging else self.page_of(every)
                    return self.reply(200, [self.comment_doc(number, **c) for c in shown],
                                      {"X-Total-Count": str(len(every))})
            if method != "POST":
                return self.error(405, "method not allowed")
            body = self.body().get("body", "")
            with lock:
                ids["comment"] += 1
                t = now()
                c = {"cid": ids["comment"], "body": body, "created": t, "updated": t}
                data["comments"].setdefault(number, []).append(c)
            self.reply(201, self.comment_doc(number, **c))

        def page_of(self, items):
            query = urllib.parse.parse_qs(self.path.partition("?")[2])

            def number(key):
                try:
                    return int(query.get(key, ["0"])[0])
                except ValueError:
                    return 0
            page, limit = max(number("page"), 1), number("limit")
            limit = 30 if limit <= 0 else min(limit, 50)
            return items[(page - 1) * limit:page * limit]

        def one_comment(self, method, cid):
            with lock:
                found = [(n, c) for n, cs in data["comments"].items() for c in cs
                         if c["cid"] == cid]
                if not found:
                    return self.error(404, "comment does not exist [id: %d]" % cid)
                number, c = found[0]
                if method == "DELETE":
                    data["comments"][number].remove(c)
                    return self.reply(204)
                if method != "PATCH":
                    return self.error(405, "method not allowed")
            body = self.body().get("body", "")
            with lock:
                c["body"], c["updated"] = body, now()
                doc = self.comment_doc(number, **c)
            self.reply(200, doc)

        def dispatch(self, method):
            self.handle_api(method)

        def do_GET(self):
            self.dispatch("GET")

        def do_POST(self):
            self.dispatch("POST")

        def do_PATCH(self):
            self.dispatch("PATCH")

        def do_DELETE(self):
            self.dispatch("DELETE")

    class Elsewhere(BaseHTTPRequestHandler):
        """The host a redirect points to: records what reached it, answers 200 []."""
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def record(self):
            with lock:
                data["elsewhere"].append({"path": self.path,
                                          "authorization": self.headers.get("Authorization")})
            Handler.save_state(self)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"[]")

        do_GET = do_POST = do_PATCH = do_DELETE = record

    if a.hostile == "redirect":
        away = ThreadingHTTPServer(("127.0.0.2", 0), Elsewhere)
        other["port"] = away.server_address[1]
        threading.Thread(target=away.serve_forever, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    (a.state / "port.tmp").write_text(str(server.server_address[1]))
    (a.state / "port.tmp").replace(a.state / "port")
    server.serve_forever()


if __name__ == "__main__":
    main()
