#!/usr/bin/python3
"""A recorded-API stand-in for Gitea/Forgejo on loopback, for `ciperf publish` tests.

    gitea_server.py STATE_DIR --token TOKEN [--hold-lists N] [--echo-token]

No Gitea or Forgejo server is packaged in Debian 12 or npm, so this implements the endpoints
ciperf calls with the JSON shapes Gitea 1.20+ answers (api/v1 CommitStatus, Comment, APIError),
keeps their state in memory, and checks the `Authorization: token …` header like Gitea: any
other token gets 401 {"message": "user does not exist [uid: 0, name: , keyid: 0]", "url": …}.

    POST   /api/v1/repos/{o}/{r}/statuses/{sha}           201 CommitStatus
    GET    /api/v1/repos/{o}/{r}/statuses/{sha}           200 [CommitStatus], newest first
    GET    /api/v1/repos/{o}/{r}/issues/{n}/comments      200 [Comment], oldest first
    POST   /api/v1/repos/{o}/{r}/issues/{n}/comments      201 Comment
    PATCH  /api/v1/repos/{o}/{r}/issues/comments/{id}     200 Comment
    DELETE /api/v1/repos/{o}/{r}/issues/comments/{id}     204, or 404 when it is gone

Only repository `ciperf/demo` exists (404 otherwise, as Gitea's "The target couldn't be found.").
`--hold-lists N` holds the first N comment listings until N have arrived, so N publishers all
see no comment and all post one: the race ciperf must clean up. `--echo-token` makes the 401
message quote the token it got (a careless proxy), to check that ciperf masks it.
It writes STATE_DIR/port once it listens, and STATE_DIR/state.json (statuses, comments, the
requests as "METHOD PATH") before it answers each request.
"""
import argparse
import datetime
import json
import pathlib
import re
import threading
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
    a = p.parse_args()
    a.state.mkdir(parents=True, exist_ok=True)
    lock = threading.RLock()  # reply() saves the state, sometimes under the handlers' lock
    data = {"statuses": {}, "comments": {}, "requests": []}
    ids = {"status": 0, "comment": 0}
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

        def reply(self, status, doc=None):
            # Saved before the answer leaves: once a client has its answer, a test reading the
            # state sees what that request did.
            self.save_state()
            body = b"" if doc is None else json.dumps(doc).encode()
            self.send_response(status)
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

        def comment_doc(self, number, cid, body, created, updated):
            repo = self.base() + "/ciperf/demo"
            return {"id": cid, "html_url": f"{repo}/pulls/{number}#issuecomment-{cid}",
                    "pull_request_url": f"{repo}/pulls/{number}", "issue_url": "",
                    "user": USER, "original_author": "", "original_author_id": 0,
                    "body": body, "assets": [], "created_at": created, "updated_at": updated}

        def handle_api(self, method):
            path = self.path.split("?", 1)[0]
            with lock:
                data["requests"].append(f"{method} {path}")
            if not self.authorised():
                return
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
                    return self.reply(200, [self.comment_doc(number, **c)
                                            for c in data["comments"].get(number, [])])
            if method != "POST":
                return self.error(405, "method not allowed")
            body = self.body().get("body", "")
            with lock:
                ids["comment"] += 1
                t = now()
                c = {"cid": ids["comment"], "body": body, "created": t, "updated": t}
                data["comments"].setdefault(number, []).append(c)
            self.reply(201, self.comment_doc(number, **c))

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

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    (a.state / "port.tmp").write_text(str(server.server_address[1]))
    (a.state / "port.tmp").replace(a.state / "port")
    server.serve_forever()


if __name__ == "__main__":
    main()
