#!/usr/bin/env python3
"""A stand-in for a shared CI service such as an SSO server: it takes BOOT_S seconds of CPU to
boot (a JVM's warm-up, a schema migration), answers /health and /login (each login hashes a
password), and while up it spends a steady share of a core on housekeeping (a session sweep
every 100 ms), which is what keeping it always on costs.
    python3 service.py PORT
"""
import hashlib
import http.server
import os
import sys
import threading
import time

BOOT_S = float(os.environ.get("BOOT_S", "1.0"))
SWEEP_S = float(os.environ.get("SWEEP_S", "0.01"))  # CPU per 100 ms sweep: 10% of a core


def burn(seconds):
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        hashlib.sha256(b"x" * 4096).digest()


def sweep_forever():
    while True:
        time.sleep(0.1)
        burn(SWEEP_S)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/login":
            hashlib.pbkdf2_hmac("sha256", b"secret", b"salt", 20000)
        elif self.path != "/health":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    burn(BOOT_S)
    threading.Thread(target=sweep_forever, daemon=True).start()
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
