"""A worker killed in the middle of a delivery loses nothing: the delivery is sent again."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from hooks.models import Attempt, Delivery
from statuses.services import create_commit_status
from tests.helpers import bare_sha
from tests.webhooks import Receiver


@pytest.fixture(autouse=True)
def live_database(transactional_db):
    """The worker runs in another process: rows must be committed."""


def start_worker():
    env = {
        **os.environ,
        "GITFORGE_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "GITFORGE_WEBHOOK_ALLOWED_HOSTS": "loopback",
        "GITFORGE_WEBHOOK_TIMEOUT": str(settings.GITFORGE_WEBHOOK_TIMEOUT),
        "GITFORGE_REPOS_ROOT": str(settings.GITFORGE_REPOS_ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_delivery_cut_off_by_a_killed_worker_is_sent_again(
    public_repo, alice, make_hook, deliver
):
    with Receiver(delay=[60, 0]) as stuck_once:
        hook = make_hook(stuck_once.url, events=["status"])
        create_commit_status(
            repository=public_repo,
            sha=bare_sha(public_repo),
            state="success",
            context="ci/build",
            creator=alice,
        )
        worker = start_worker()
        try:
            assert stuck_once.first_request_started.wait(30), "the worker never sent it"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        delivery = Delivery.objects.get(hook=hook)
        assert (delivery.state, delivery.attempts) == (Delivery.PENDING, 0)

        deliver(timeout=30)  # another worker, once the dead one's hold on the hook expires

        received = stuck_once.wait_for(2)
    assert received[0].header("X-GitHub-Delivery") == received[1].header("X-GitHub-Delivery")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.status_code) == (Delivery.DELIVERED, 200)
    assert Attempt.objects.filter(delivery=delivery).count() == 1
