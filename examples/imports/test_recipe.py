"""A small pytest suite in the shape of cc-ci's per-tier tests, run against a local
http.server, to show `ciperf import` on real `pytest --junitxml` output:

    python3 -m pytest examples/imports/test_recipe.py --junitxml=pytest-junit.xml
    build/ciperf import pytest-junit.xml && build/ciperf report --pipeline pytest
"""
import http.client
import socket
import subprocess
import sys
import time

import pytest


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text("<h1>ok</h1>")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "--directory", str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.01)
    yield port
    proc.terminate()
    proc.wait()


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def test_home_page(server):
    status, body = get(server, "/")
    assert status == 200 and b"ok" in body


def test_health_endpoint(server):
    # http.server has no /healthz: this one fails, as a recipe with a broken probe would
    status, _ = get(server, "/healthz")
    assert status == 200


def test_slow_warmup(server):
    time.sleep(0.3)
    assert get(server, "/")[0] == 200


@pytest.mark.skip(reason="backups need an S3 bucket")
def test_backup_restore(server):
    pass
