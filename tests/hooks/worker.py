"""Run the task queue in the test's own process, with django-tasks-db's own Worker.

`manage.py db_worker` closes the database connection between tasks, which would end a test's
transaction; this loop claims and runs tasks the same way without doing that.
"""

import time

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from hooks.models import Delivery

WORKER = Worker(
    queue_names=["*"],
    interval=0,
    batch=True,
    backend_name="default",
    startup_delay=False,
    max_tasks=None,
    worker_id="tests",
    excluded_queue_names=[],
)


def run_ready_tasks(task_path=None):
    """Run every task that is ready (only those of `task_path`, e.g. "hooks.tasks.store_event",
    when given)."""
    while True:
        ready = DBTaskResult.objects.ready()
        if task_path is not None:
            ready = ready.filter(task_path=task_path)
        with transaction.atomic():
            task = ready.get_locked()
            if task is not None:
                task.claim(WORKER.worker_id)
        if task is None:
            return
        WORKER.run_task(task)


def run_queue(*, timeout=15.0):
    """Run queued tasks until no delivery is pending (waiting out retries); return the
    deliveries, newest first."""
    deadline = time.monotonic() + timeout
    while True:
        run_ready_tasks()
        if not Delivery.objects.filter(state=Delivery.PENDING).exists():
            return list(Delivery.objects.select_related("event"))
        if time.monotonic() > deadline:
            raise AssertionError("deliveries still pending after the timeout")
        time.sleep(0.05)
