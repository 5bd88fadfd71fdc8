"""One HTTP POST of a delivery: signed headers, the vetted address, and what came back.

The request goes to the address `addresses.allowed_address` checked (the Host header and TLS
name stay the URL's), redirects are not followed, and every wait is bounded by the timeout.
"""

import hashlib
import hmac
import http.client
import socket
import ssl
import time
from base64 import b64encode
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings

from hooks.addresses import AddressRefused, allowed_address
from hooks.models import CONTENT_TYPES, FORM

USER_AGENT = "GitHub-Hookshot/gitforge"
MAX_RESPONSE_BODY = 64 * 1024


def request_body(payload_text: str, content_type: str) -> bytes:
    if content_type == FORM:
        return urlencode({"payload": payload_text}).encode()
    return payload_text.encode()


def signed_headers(*, body: bytes, content_type, secret, event, guid, hook_id, repository_id):
    headers = {
        "Accept": "*/*",
        "Content-Type": CONTENT_TYPES[content_type],
        "User-Agent": USER_AGENT,
        "X-GitHub-Delivery": str(guid),
        "X-GitHub-Event": event,
        "X-GitHub-Hook-ID": str(hook_id),
        "X-GitHub-Hook-Installation-Target-ID": str(repository_id),
        "X-GitHub-Hook-Installation-Target-Type": "repository",
    }
    if secret:
        key = secret.encode()
        headers["X-Hub-Signature"] = "sha1=" + hmac.new(key, body, hashlib.sha1).hexdigest()
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    return headers


@dataclass
class Outcome:
    duration: float
    status_code: int | None = None
    headers: dict = field(default_factory=dict)
    body: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def summary(self) -> str:
        if self.ok:
            return "OK"
        if self.status_code is not None:
            return f"Invalid HTTP Response: {self.status_code}"
        return self.error


def post(url: str, headers: dict, body: bytes, *, insecure_ssl: bool) -> Outcome:
    started = time.monotonic()
    try:
        response = _post(url, headers, body, insecure_ssl=insecure_ssl)
    except AddressRefused as refused:
        return Outcome(time.monotonic() - started, error=str(refused))
    except (OSError, http.client.HTTPException) as error:
        return Outcome(time.monotonic() - started, error=_describe(error))
    status, response_headers, response_body = response
    return Outcome(
        time.monotonic() - started,
        status_code=status,
        headers=response_headers,
        body=response_body.decode("utf-8", "replace"),
    )


def _post(url, headers, body, *, insecure_ssl):
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    address = allowed_address(host, port)
    if parts.username is not None:  # https://user:password@host/ means HTTP basic auth
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers = {**headers, "Authorization": "Basic " + b64encode(credentials.encode()).decode()}
    timeout = settings.GITFORGE_WEBHOOK_TIMEOUT
    if https:
        context = ssl.create_default_context()
        if insecure_ssl:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = _PinnedHTTPS(
            host, port, address=address, timeout=timeout, context=context
        )
    else:
        connection = _PinnedHTTP(host, port, address=address, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    deadline = time.monotonic() + timeout
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        chunks, size = [], 0
        while size < MAX_RESPONSE_BODY and time.monotonic() < deadline:
            chunk = response.read1(MAX_RESPONSE_BODY - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return response.status, dict(response.getheaders()), b"".join(chunks)
    finally:
        connection.close()


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.tls = context

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _describe(error: Exception) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "failed to connect to host"
    if isinstance(error, socket.gaierror):
        return "could not resolve host"
    return str(error) or type(error).__name__
