from django.conf import settings
from django.db import models
from django.utils import timezone

from gitforge.repositories.models import Repository
from statuses.states import State


class CommitStatus(models.Model):
    """One status report for a commit and context. Statuses are immutable history."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="statuses")
    sha = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices)
    context = models.CharField(max_length=255)
    context_key = models.CharField(max_length=255, help_text="The context, lower-cased.")
    description = models.CharField(max_length=140, null=True, blank=True)  # noqa: DJ001 (GitHub: null ≠ "")
    target_url = models.TextField(null=True, blank=True)  # noqa: DJ001
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "commit statuses"
        indexes = [models.Index(fields=["repository", "sha", "-id"], name="status_commit_idx")]

    def __str__(self):
        return f"{self.context}: {self.state} on {self.sha[:7]}"


class LatestCommitStatus(models.Model):
    """The latest status of each (repository, sha, context), so combining costs O(contexts).

    It repeats the latest status's fields so that reading them touches only this small table.
    Its row is also the lock that serializes posts for one context, and it counts them.
    """

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    sha = models.CharField(max_length=40)
    context_key = models.CharField(max_length=255)
    status = models.ForeignKey(CommitStatus, null=True, on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, blank=True, db_default="")
    context = models.CharField(max_length=255, blank=True, db_default="")
    description = models.CharField(max_length=140, null=True, blank=True)  # noqa: DJ001
    target_url = models.TextField(null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(null=True, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "sha", "context_key"], name="latest_status_unique"
            )
        ]

    def __str__(self):
        return f"{self.context_key} on {self.sha[:7]}"
