"""Check webhook deliveries from the receiving end: payloads against GitHub's webhook description
in tests/spec/, a live HTTP receiver with a scripted behaviour, and an independent signature check.

Nothing here imports gitforge, so a bug in the sender cannot hide in a shared helper.
"""

import hashlib
import hmac
import json
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parent / "spec" / "github-webhooks-subset.json"
SPEC_URI = "urn:github-webhooks-subset"


# Payloads ------------------------------------------------------------------------------------


@cache
def _spec():
    return json.loads(SPEC_PATH.read_text())


@cache
def _registry():
    """OpenAPI 3.1 schemas are JSON Schema 2020-12; the registry resolves `#/components/...`."""
    return Registry().with_resource(SPEC_URI, Resource.from_contents(_spec(), DRAFT202012))


@cache
def _validator(key):
    if key not in _spec()["webhooks"]:
        raise ValueError(f"no webhook schema {key!r}; known: {', '.join(_spec()['webhooks'])}")
    pointer = f"/webhooks/{key}/post/requestBody/content/application~1json/schema"
    return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry())


def assert_valid_payload(event, payload, action=None):
    """Assert a decoded payload matches the schema GitHub documents for the event.

    `event` is the `X-GitHub-Event` value; `pull_request` payloads are described per action, which
    defaults to the payload's own `action` (pass it to also pin the action sent).
    """
    if event == "pull_request":
        action = action or payload.get("action")
        if not action:
            raise ValueError("pull_request payloads are described per action: give one")
    key = event.replace("_", "-") + (f"-{action.replace('_', '-')}" if action else "")
    errors = sorted(_validator(key).iter_errors(payload), key=lambda error: error.json_path)
    assert not errors, "\n".join(
        [
            f"{len(errors)} schema error(s) in the {key} payload:",
            *(f"{error.json_path}: {error.message[:300]}" for error in errors[:10]),
            *(["..."] if len(errors) > 10 else []),
        ]
    )


# Signatures ----------------------------------------------------------------------------------


def verify_signatures(secret, received):
    """Assert both GitHub signature headers are the HMAC of the exact body bytes under `secret`."""
    key = secret.encode() if isinstance(secret, str) else secret
    for header, prefix, digest in (
        ("X-Hub-Signature-256", "sha256=", hashlib.sha256),
        ("X-Hub-Signature", "sha1=", hashlib.sha1),
    ):
        expected = prefix + hmac.new(key, received.body, digest).hexdigest()
        sent = received.header(header)
        assert sent is not None, f"{header} missing; headers: {received.headers}"
        assert hmac.compare_digest(sent, expected), f"{header} is {sent!r}, expected {expected!r}"


# Receiver ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One request as the receiver read it; `headers` keeps the names as sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name):
        """The header's value, matched case-insensitively as HTTP does; None when absent."""
        values = [value for key, value in self.headers.items() if key.lower() == name.lower()]
        return ", ".join(values) if values else None

    def json(self):
        """The payload: the body itself for JSON, the `payload` field of a form."""
        content_type = (self.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/json":
            return json.loads(self.body)
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(self.body.decode(), keep_blank_values=True, strict_parsing=True)
            assert list(form) == ["payload"], f"form fields {list(form)}, expected only payload"
            return json.loads(form["payload"][0])
        raise AssertionError(f"unexpected Content-Type {content_type!r}")


def _nth(script, index):
    """A script answers its entries in order, then repeats the last one."""
    if not isinstance(script, Sequence):
        return script
    return script[min(index, len(script) - 1)]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def _answer(self):
        receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        index = receiver._record(Received(self.command, self.path, headers, body))
        delay = _nth(receiver.delay, index)
        if delay and receiver._stopping.wait(delay):
            # Stopped mid-delay: drop the connection unanswered, as a dead receiver would.
            self.close_connection = True
            return
        self.send_response(_nth(receiver.responses, index))
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    def __init__(self, receiver):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.receiver = receiver

    def handle_error(self, request, client_address):
        """A sender that gave up waiting (timed out) is not the receiver's error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records every request and answers from a script.

    `responses` and `delay` (seconds before answering) are single values or sequences; a
    sequence applies to requests in order and then its last entry applies forever. Every answer's
    body is `ok`. `first_request_started` is set once a request is read and recorded, before its
    delay, so a test can act mid-delivery (e.g. stop the worker sending it). `url` is set by
    start(). Use as a context manager, or call start() and stop().
    """

    def __init__(self, responses=200, delay=0):
        self.responses = responses
        self.delay = delay
        self.requests = []
        self.first_request_started = threading.Event()
        self._received = threading.Condition()
        self._stopping = threading.Event()
        self.url = None
        self._server = None
        self._thread = None

    def start(self):
        self._stopping.clear()
        self._server = _Server(self)
        self.url = f"http://127.0.0.1:{self._server.server_port}/hook"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        """Stop serving; handlers still delaying wake up and drop their connections."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _record(self, received):
        """Record a request (before any delay, so a test sees it mid-delivery); its index."""
        with self._received:
            self.requests.append(received)
            self._received.notify_all()
            self.first_request_started.set()
            return len(self.requests) - 1

    def wait_for(self, count, timeout=10):
        """Block until at least `count` requests arrived; the requests so far."""
        with self._received:
            if not self._received.wait_for(lambda: len(self.requests) >= count, timeout):
                seen = "\n".join(
                    f"  {r.method} {r.path} {r.header('X-GitHub-Event')} {r.body[:200]!r}"
                    for r in self.requests
                )
                raise AssertionError(
                    f"expected {count} request(s) within {timeout}s, got {len(self.requests)}:\n"
                    + (seen or "  (none)")
                )
            return list(self.requests)
