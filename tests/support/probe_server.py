#!/usr/bin/python3
"""A loopback server for probe tests and benchmarks that becomes ready at a known instant.

    probe_server.py MODE PORT STATE_DIR [--ready-after SECONDS] [--cert FILE --key FILE]

It writes STATE_DIR/ready_at (time.monotonic(), the same clock as C++'s steady_clock on Linux)
the moment it becomes ready, STATE_DIR/listening once it accepts connections, and appends one
line per HTTP request (the monotonic time) to STATE_DIR/requests.

Modes: listen (the port opens when ready), flip (503 until ready, then 200), hang (accepts and
never answers), garbage (answers bytes that are not HTTP), bigbody (200 with a 1 GB body),
bigheaders (1 MB of headers), redirect (redirects to itself forever), ok (200 at once),
longbody (200 with --body-bytes of 'x' followed by "ready"), hostile (503 whose reason phrase
holds terminal escapes and a CI workflow command).
"""
import argparse
import os
import pathlib
import socket
import ssl
import threading
import time

CHUNK = b"x" * 65536


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    p.add_argument("port", type=int)
    p.add_argument("state", type=pathlib.Path)
    p.add_argument("--ready-after", type=float, default=0.0)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--body-bytes", type=int, default=0)
    # flip: count --ready-after from the first request rather than from the server's start, so
    # that how long the prober took to start (longer under sanitizers) does not matter.
    p.add_argument("--from-first-request", action="store_true")
    a = p.parse_args()
    a.state.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    clock = {"ready_at": float("inf") if a.from_first_request else start + a.ready_after}
    first_request = threading.Event()
    first_lock = threading.Lock()
    requests = open(a.state / "requests", "a", buffering=1)

    def mark_ready():
        (a.state / "ready_at").write_text(f"{time.monotonic():.6f}\n")

    if a.mode == "listen":
        time.sleep(max(0.0, clock["ready_at"] - time.monotonic()))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", a.port))
    listener.listen(128)
    if a.mode == "listen":
        mark_ready()
    (a.state / "listening").write_text("1\n")
    context = None
    if a.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(a.cert, a.key)
    def flip():
        if a.from_first_request:
            first_request.wait()
        time.sleep(max(0.0, clock["ready_at"] - time.monotonic()))
        mark_ready()

    if a.mode == "flip":
        threading.Thread(target=flip, daemon=True).start()

    def serve(conn):
        try:
            if context:
                conn = context.wrap_socket(conn, server_side=True)
            if a.mode == "hang":
                time.sleep(3600)
            data = b""
            while b"\r\n\r\n" not in data:
                more = conn.recv(4096)
                if not more:
                    return
                data += more
            requests.write(f"{time.monotonic():.6f}\n")
            if a.from_first_request and not first_request.is_set():
                with first_lock:
                    if not first_request.is_set():
                        clock["ready_at"] = time.monotonic() + a.ready_after
                        first_request.set()
            if data.startswith(b"HEAD "):
                conn = HeadersOnly(conn)
            respond(conn, a.mode, clock["ready_at"], a.body_bytes)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    accepts = open(a.state / "accepts", "a", buffering=1)
    while True:
        conn, _ = listener.accept()
        accepts.write(f"{time.monotonic():.6f}\n")
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


class HeadersOnly:
    """A HEAD response has no body: pass on bytes up to the blank line, drop the rest."""

    def __init__(self, conn):
        self.conn, self.seen = conn, b""

    def sendall(self, data):
        if b"\r\n\r\n" in self.seen:
            return
        self.seen += data
        end = self.seen.find(b"\r\n\r\n")
        if end >= 0:
            self.conn.sendall(data[:len(data) - (len(self.seen) - end - 4)])
        else:
            self.conn.sendall(data)

    def close(self):
        self.conn.close()


def respond(conn, mode, ready_at, body_bytes):
    if mode == "garbage":
        conn.sendall(b"\x00\x01garbage, not HTTP at all\r\n\r\n")
    elif mode == "flip" and time.monotonic() < ready_at:
        conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\n"
                     b"Connection: close\r\n\r\nnot ready")
    elif mode == "bigbody":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n")
        for _ in range(1073741824 // len(CHUNK)):
            conn.sendall(CHUNK)
    elif mode == "bigheaders":
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for i in range(1024):
            conn.sendall(b"X-Filler-%d: " % i + b"y" * 1000 + b"\r\n")
        conn.sendall(b"Content-Length: 2\r\nConnection: close\r\n\r\nok")
    elif mode == "longbody":
        body = b"x" * body_bytes + b"ready\n"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                     % len(body) + body)
    elif mode == "hostile":
        conn.sendall(b"HTTP/1.1 503 \x1b]0;owned\x07\x1b[2J::error::x\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n")
    elif mode == "redirect":
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n")
    else:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nready\n")


if __name__ == "__main__":
    main()
