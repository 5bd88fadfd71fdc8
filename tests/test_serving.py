"""A few slow clients cannot stall the site: gunicorn, started with scripts/serve's configuration,
keeps answering while twenty clients trickle their request headers one byte a second."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

CONFIG = "gitforge/gunicorn.conf.py"  # what scripts/serve passes to gunicorn with -c
SLOW_CLIENTS = 20
ANSWER_WITHIN = 1.0  # seconds
PATIENCE = 5.0  # how long the test waits for an answer before calling it stalled


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_api_root(port):
    """(status, seconds) of one `GET /api/` on a new connection; status None when stalled."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
    try:
        conn.request("GET", "/api/")
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    except OSError:
        return None, time.perf_counter() - start
    finally:
        conn.close()


@pytest.fixture
def server(db, tmp_path):
    """gunicorn with scripts/serve's configuration, on a free port, against the test database."""
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GITFORGE_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "GITFORGE_REPOS_ROOT": str(settings.GITFORGE_REPOS_ROOT),
        "GITFORGE_CACHE_PREFIX": f"test-serving-{uuid.uuid4().hex}",
        "GITFORGE_API_ANONYMOUS_RATE_LIMIT": "100000/h",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", CONFIG],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while get_api_root(port)[0] != 200:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        for _ in range(30):  # every worker past its first, slower, request
            get_api_root(port)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class SlowClients:
    """Connections that send a request line, then one header byte a second, never finishing."""

    def __init__(self, port, count):
        self.sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self):
        for sock in self.sockets:
            sock.sendall(b"GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.thread.start()
        return self

    def _trickle(self):
        while not self.stop.wait(1.0):
            for sock in self.sockets:
                with contextlib.suppress(OSError):  # the server may have given up on it
                    sock.sendall(b"x")

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def test_twenty_slow_clients_do_not_delay_an_ordinary_request(server):
    with SlowClients(server, SLOW_CLIENTS):
        time.sleep(2.5)  # every slow client accepted and a few bytes into its headers
        answers = [get_api_root(server) for _ in range(5)]

    slowest = max(seconds for _, seconds in answers)
    print(f"GET /api/ beside {SLOW_CLIENTS} slow clients: slowest of 5 took {slowest:.3f} s")
    assert [status for status, _ in answers] == [200] * 5
    assert slowest < ANSWER_WITHIN
