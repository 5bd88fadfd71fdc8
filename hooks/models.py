"""Repository webhooks, the events they are sent, and every attempt to deliver one."""

import uuid

from django.db import models
from django.utils import timezone

from gitforge.repositories.models import Repository

JSON = "json"
FORM = "form"
CONTENT_TYPES = {JSON: "application/json", FORM: "application/x-www-form-urlencoded"}


class Hook(models.Model):
    """A URL that is sent the repository's events it subscribes to (`*` for all)."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="hooks")
    url = models.TextField()
    content_type = models.CharField(
        max_length=8, choices=[(JSON, JSON), (FORM, FORM)], default=FORM
    )
    secret = models.CharField(max_length=255, blank=True, help_text="Write-only.")
    insecure_ssl = models.BooleanField(default=False)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The worker delivering to this hook holds it until then, so one hook's deliveries go out
    # one at a time, in order; a worker that dies lets go when the time passes.
    busy_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_status_code = models.IntegerField(null=True, blank=True, editable=False)
    last_status = models.CharField(max_length=16, default="unused", editable=False)
    last_message = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.repository} → {self.url}"

    def wants(self, event):
        return self.active and ("*" in self.events or event in self.events)


class Event(models.Model):
    """Something that happened in a repository, with the exact JSON body its hooks are sent."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    action = models.CharField(max_length=40, blank=True, default="")
    body = models.TextField()
    # When it happened (deliveries go out in this order), not when the worker wrote it down.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.name}.{self.action}" if self.action else self.name


class Delivery(models.Model):
    """One event sent to one hook: pending until a 2xx answer, failed after the last retry."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"

    hook = models.ForeignKey(Hook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    guid = models.UUIDField(default=uuid.uuid4, db_index=True)
    redelivery = models.BooleanField(default=False)
    content_type = models.CharField(max_length=8, default=FORM)
    state = models.CharField(
        max_length=10,
        choices=[(PENDING, PENDING), (DELIVERED, DELIVERED), (FAILED, FAILED)],
        default=PENDING,
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    status_code = models.IntegerField(default=0)
    status = models.CharField(max_length=200, default="pending")
    duration = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["hook", "state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.guid} ({self.state})"


class Attempt(models.Model):
    """One HTTP request of a delivery and what came back (bodies truncated)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration = models.FloatField()
    request_headers = models.JSONField(default=dict)
    status_code = models.IntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"attempt {self.number} of {self.delivery_id}"
