"""Which addresses webhooks may reach (SSRF): the policy refuses internal addresses when a hook
is saved and again at each delivery, sends to the address it checked, and follows no redirect."""

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from hooks.addresses import AddressRefused, allowed_address, parse_policy
from hooks.models import Attempt, Delivery, Event, Hook
from tests.helpers import assert_error, send
from tests.webhooks import Receiver

HOOKS = "/api/repos/alice/project/hooks"
PUBLIC = "93.184.215.14"


@pytest.fixture
def dns(monkeypatch):
    """Fake DNS for the names put in the returned dict; every other name resolves for real.

    A value is a list of addresses, an exception to raise, or a callable returning either
    (called at each lookup, so a name can answer differently over time).
    """
    answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        key = host.lower().rstrip(".") if isinstance(host, str) else host
        if key not in answers:
            return real(host, port, family, type, proto, flags)
        found = answers[key]
        found = found() if callable(found) else found
        if isinstance(found, Exception):
            raise found
        port = int(port or 0)
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, port, 0, 0))
            if ":" in a
            else (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, port))
            for a in found
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def answers_in_turn(*answers):
    """A DNS answer that changes at each lookup; the last one repeats."""
    remaining = list(answers)

    def next_answer():
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return next_answer


class TinyServer:
    """An HTTP server on `host`:`port` that records requests and answers each with `status`
    and `headers` (the shared Receiver can neither redirect nor listen beyond 127.0.0.1)."""

    def __init__(self, host="127.0.0.1", port=0, status=200, headers=()):
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.requests.append((self.path, dict(self.headers), body))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.port = self.httpd.server_port
        self.url = f"http://{host}:{self.port}/hook"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def refusal_messages(response):
    return [error.get("message", "") for error in response.json().get("errors", [])]


# Refused when a hook is saved ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://[fd00::1]/",
        "http://100.64.0.1/",
        "http://0.0.0.0:8080/",
        "http://[::]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://2130706433/",
        "http://127.1/",
        "https://127.0.0.1:8443/hook",
    ],
)
def test_the_default_policy_refuses_internal_addresses(owner, public_repo, settings, url):
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"

    response = send(owner, "post", HOOKS, {"config": {"url": url, "content_type": "json"}})

    body = assert_error(response, 422, "Validation Failed")
    (error,) = body["errors"]
    assert (error["resource"], error["field"], error["code"]) == ("Hook", "url", "custom")
    assert error["message"].startswith("URL is not allowed"), error
    assert "may not reach" in error["message"]
    assert Hook.objects.count() == 0
    assert Event.objects.count() == 0


def test_the_default_policy_admits_a_public_address(owner, public_repo, settings, dns):
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    dns["hooks.example"] = [PUBLIC]

    response = send(owner, "post", HOOKS, {"config": {"url": "https://hooks.example/x"}})

    assert response.status_code == 201, response.content
    assert Hook.objects.get().url == "https://hooks.example/x"


def test_a_name_resolving_to_a_private_address_is_refused(owner, public_repo, settings, dns):
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    dns["internal.example"] = ["10.0.0.7"]

    response = send(owner, "post", HOOKS, {"config": {"url": "http://internal.example/hook"}})

    assert_error(response, 422, "Validation Failed")
    (message,) = refusal_messages(response)
    assert "internal.example" in message and "10.0.0.7" in message, message
    assert Hook.objects.count() == 0


def test_a_name_mixing_public_and_private_addresses_is_refused(owner, public_repo, settings, dns):
    """Every address must be admitted: a public first answer does not vouch for the rest."""
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    dns["mixed.example"] = [PUBLIC, "127.0.0.1"]

    response = send(owner, "post", HOOKS, {"config": {"url": "http://mixed.example/"}})

    assert_error(response, 422, "Validation Failed")
    assert "127.0.0.1" in refusal_messages(response)[0]
    assert Hook.objects.count() == 0


def test_editing_a_hook_to_an_internal_address_is_refused(owner, public_repo, settings, dns):
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    dns["hooks.example"] = [PUBLIC]
    created = send(owner, "post", HOOKS, {"config": {"url": "https://hooks.example/x"}})
    hook_url = f"{HOOKS}/{created.json()['id']}"

    by_config = send(owner, "patch", f"{hook_url}/config", {"url": "http://169.254.169.254/"})
    by_hook = send(owner, "patch", hook_url, {"config": {"url": "http://[::1]:8080/"}})

    for response in (by_config, by_hook):
        assert_error(response, 422, "Validation Failed")
        assert "may not reach" in refusal_messages(response)[0]
    assert Hook.objects.get().url == "https://hooks.example/x"


# Refused when a delivery is sent ---------------------------------------------------------------


def test_dns_rebinding_to_loopback_is_refused_at_delivery(
    owner, public_repo, settings, dns, receiver, deliver
):
    """The name is public when the hook is saved and loopback when the ping is sent."""
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    dns["rebind.example"] = [PUBLIC]
    url = receiver.url.replace("127.0.0.1", "rebind.example")
    created = send(owner, "post", HOOKS, {"config": {"url": url, "content_type": "json"}})
    assert created.status_code == 201, created.content

    dns["rebind.example"] = ["127.0.0.1"]
    deliver()

    assert receiver.requests == []
    delivery = Delivery.objects.get()
    attempts = list(Attempt.objects.filter(delivery=delivery))
    assert len(attempts) == 1 + len(settings.GITFORGE_WEBHOOK_RETRY_DELAYS)
    for attempt in attempts:
        assert attempt.status_code is None
        assert "127.0.0.1" in attempt.error and "may not reach" in attempt.error, attempt.error
    assert delivery.state == Delivery.FAILED
    assert "127.0.0.1" in delivery.status
    listed = owner.get(f"{HOOKS}/{created.json()['id']}/deliveries").json()
    assert [(item["state"], item["status_code"]) for item in listed] == [("failed", 0)]


def test_the_request_goes_to_the_address_that_was_checked(settings, dns, make_hook, deliver):
    """A name that rebinds between the check and the connection gains nothing: the connection
    goes to the checked address (here 127.0.0.2), with the URL's Host header."""
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "127.0.0.2/32"
    with Receiver() as loopback:
        port = urlsplit(loopback.url).port
        with TinyServer("127.0.0.2", port) as checked:
            dns["pinned.example"] = ["127.0.0.2"]
            hook = make_hook(f"http://pinned.example:{port}/hook", keep_ping=True)
            # The delivery's own check sees 127.0.0.2; any later lookup, 127.0.0.1.
            dns["pinned.example"] = answers_in_turn(["127.0.0.2"], ["127.0.0.1"])

            deliver()

    assert loopback.requests == []
    ((path, headers, _),) = checked.requests
    assert path == "/hook"
    assert headers["Host"] == f"pinned.example:{checked.port}"
    assert headers["X-GitHub-Event"] == "ping"
    assert Delivery.objects.get(hook=hook).state == Delivery.DELIVERED


def test_a_name_that_does_not_resolve_is_saved_and_its_deliveries_fail(
    owner, public_repo, settings, dns, deliver
):
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    settings.GITFORGE_WEBHOOK_RETRY_DELAYS = []
    dns["later.example"] = socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    created = send(owner, "post", HOOKS, {"config": {"url": "http://later.example/"}})
    assert created.status_code == 201, created.content
    deliver()

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.status) == ("failed", "could not resolve host")


@pytest.mark.parametrize("status", [302, 307, 308])
def test_redirects_are_not_followed(settings, make_hook, deliver, status):
    settings.GITFORGE_WEBHOOK_RETRY_DELAYS = [0.05]
    with Receiver() as target:
        redirect_to = target.url
        with TinyServer(status=status, headers=[("Location", redirect_to)]) as redirector:
            hook = make_hook(redirector.url, keep_ping=True)
            deliver()
        assert len(redirector.requests) == 2  # the first attempt and its one retry
        assert target.requests == []
    delivery = Delivery.objects.get(hook=hook)
    assert (delivery.state, delivery.status_code) == ("failed", status)
    assert delivery.status == f"Invalid HTTP Response: {status}"
    first = Attempt.objects.filter(delivery=delivery).first()
    assert first.response_headers["Location"] == redirect_to
    hook.refresh_from_db()
    assert (hook.last_status, hook.last_status_code) == ("failed", status)


# The policy itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "address", "admitted"),
    [
        ("loopback", "127.0.0.1", True),
        ("loopback", "127.8.9.10", True),
        ("loopback", "::1", True),
        ("loopback", "::ffff:127.0.0.1", True),
        ("loopback", "10.0.0.1", False),
        ("loopback", PUBLIC, False),
        ("private", "10.0.0.1", True),
        ("private", "10.255.255.255", True),
        ("private", "172.16.0.1", True),
        ("private", "172.31.255.254", True),
        ("private", "172.32.0.1", False),
        ("private", "192.168.0.1", True),
        ("private", "fc00::1", True),
        ("private", "fdff:ffff::1", True),
        ("private", "127.0.0.1", False),
        ("private", "169.254.169.254", False),
        ("private", PUBLIC, False),
        ("external", PUBLIC, True),
        ("external", "2606:2800:220:1:248:1893:25c8:1946", True),
        ("external", "169.254.169.254", False),
        ("external", "100.64.0.1", False),
        ("external", "::ffff:127.0.0.1", False),
        ("external", "::ffff:10.0.0.1", False),
        ("external", "127.0.0.1", False),
        ("external", "10.0.0.1", False),
        ("external", "fe80::1", False),
        ("external", "224.0.0.1", False),
        ("external", "0.0.0.0", False),
        ("*", "169.254.169.254", True),
        ("*", "127.0.0.1", True),
        ("*", "10.0.0.1", True),
        ("*", PUBLIC, True),
        ("192.168.5.0/24", "192.168.5.77", True),
        ("192.168.5.0/24", "192.168.6.1", False),
        ("192.168.5.0/24", "127.0.0.1", False),
        ("169.254.169.254/32", "169.254.169.254", True),
        ("loopback,private", "10.0.0.1", True),
        ("loopback,private", PUBLIC, False),
    ],
)
def test_policy_admits(policy, address, admitted):
    assert parse_policy(policy).admits(ipaddress.ip_address(address)) is admitted


def test_policy_lists_trim_spaces_and_ignore_case():
    policy = parse_policy(" Loopback , PRIVATE,, *.CI.Internal ,192.168.5.0/24 ")

    assert policy.categories == frozenset({"loopback", "private"})
    assert policy.names == ("*.ci.internal",)
    assert policy.networks == (ipaddress.ip_network("192.168.5.0/24"),)
    assert policy.admits(ipaddress.ip_address("::1"))
    assert not policy.admits(ipaddress.ip_address(PUBLIC))
    assert parse_policy("").categories == frozenset()
    assert not parse_policy("").admits(ipaddress.ip_address(PUBLIC))


def test_a_host_glob_admits_matching_names_whatever_they_resolve_to(dns):
    policy = parse_policy("external, *.ci.internal")
    dns["runner.ci.internal"] = ["10.0.0.5"]
    dns["ci.internal"] = ["10.0.0.6"]
    dns["runner.ci.internal.attacker.example"] = ["10.0.0.7"]

    assert allowed_address("runner.ci.internal", 80, policy) == "10.0.0.5"
    assert allowed_address("Runner.CI.Internal", 80, policy) == "10.0.0.5"
    for host in ("ci.internal", "runner.ci.internal.attacker.example"):
        with pytest.raises(AddressRefused):
            allowed_address(host, 80, policy)


def test_allowed_address_uses_the_setting_by_default(settings, dns):
    dns["internal.example"] = ["10.0.0.7"]
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "external"
    with pytest.raises(AddressRefused, match="10.0.0.7"):
        allowed_address("internal.example", 443)
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "private"
    assert allowed_address("internal.example", 443) == "10.0.0.7"
