"""Run the task queue in the test's own process, as `manage.py db_worker --batch` does."""

import time

from django.core.management import call_command

from hooks.models import Delivery


def run_queue(*, until_settled=True, timeout=15.0):
    """Run queued tasks until no delivery is pending (retries included), or once.

    Returns the deliveries, newest first.
    """
    deadline = time.monotonic() + timeout
    while True:
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=0,
        )
        pending = Delivery.objects.filter(state=Delivery.PENDING).exists()
        if not until_settled or not pending:
            return list(Delivery.objects.select_related("event"))
        if time.monotonic() > deadline:
            raise AssertionError("deliveries still pending after the timeout")
        time.sleep(0.05)
