"""Fixtures for webhooks: a real receiver on 127.0.0.1, hooks on alice/project, and a worker
that runs the queue in this process."""

import pytest

from hooks.models import Delivery
from hooks.services import HookConfig, create_hook
from tests.hooks.worker import run_queue
from tests.webhooks import Receiver

SECRET = "It's a Secret to Everybody"


@pytest.fixture(autouse=True)
def hook_settings(settings):
    """Receivers here listen on loopback, which the default policy refuses; retries come fast."""
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "loopback"
    settings.GITFORGE_WEBHOOK_RETRY_DELAYS = [0.1, 0.1, 0.1]
    settings.GITFORGE_WEBHOOK_TIMEOUT = 2
    settings.GITFORGE_EXTERNAL_URL = "http://gitforge.test"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def make_hook(public_repo, alice):
    """Add a hook to alice/project (its ping already delivered and forgotten by default)."""

    def make(url, *, events=("*",), content_type="json", secret=SECRET, keep_ping=False):
        hook = create_hook(
            repository=public_repo,
            user=alice,
            config=HookConfig(url=url, content_type=content_type, secret=secret),
            events_=list(events),
        )
        if not keep_ping:
            Delivery.objects.filter(hook=hook).delete()
        return hook

    return make


@pytest.fixture
def deliver():
    return run_queue
