#!/usr/bin/python3
"""A service that takes a while to boot, like most apps behind a CI deploy: it opens its port
after BOOT seconds, answers 503 while it warms up for WARM more seconds, then 200 on /health.
It writes "worker started" to LOG when its background worker is up.

    slow-service.py PORT LOG [BOOT] [WARM]
"""
import http.server
import sys
import threading
import time

port, log = int(sys.argv[1]), sys.argv[2]
boot = float(sys.argv[3]) if len(sys.argv) > 3 else 0.8
warm = float(sys.argv[4]) if len(sys.argv) > 4 else 0.6
time.sleep(boot)
ready_at = time.monotonic() + warm


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ready = time.monotonic() >= ready_at
        self.send_response(200 if ready else 503)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok\n" if ready else b"warming up\n")

    def log_message(self, *args):
        pass


def worker():
    time.sleep(warm / 2)
    with open(log, "a") as f:
        f.write("worker started\n")


threading.Thread(target=worker, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
