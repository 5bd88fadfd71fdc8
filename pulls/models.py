from django.conf import settings
from django.db import models

from gitforge.repositories.models import Repository

OPEN = "open"
CLOSED = "closed"
MERGE_METHODS = ("merge", "squash", "rebase")


class PullRequest(models.Model):
    """A request to merge `head_ref` into `base_ref` of the same repository.

    The head SHA is the head branch's current commit; `head_sha` keeps the last one seen, for
    when the branch is gone.
    """

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="pull_requests"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=256)
    body = models.TextField(blank=True, default="")
    body_html = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="The body as sanitized HTML, rendered from the body of SHA-256 body_html_digest.",
    )
    body_html_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pull_requests"
    )
    head_ref = models.CharField(max_length=255)
    base_ref = models.CharField(max_length=255)
    head_sha = models.CharField(max_length=40)
    state = models.CharField(max_length=6, choices=[(OPEN, OPEN), (CLOSED, CLOSED)], default=OPEN)
    merged = models.BooleanField(default=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    merge_commit_sha = models.CharField(max_length=40, blank=True, default="")
    merge_base_sha = models.CharField(
        max_length=40, blank=True, default="", help_text="The base branch's tip when merged."
    )
    # The size of the change when merged; the branches no longer tell it afterwards (null for
    # pulls merged before gitforge kept it: read from merge_base_sha..head_sha then).
    merged_commits = models.PositiveIntegerField(null=True, blank=True)
    merged_additions = models.PositiveIntegerField(null=True, blank=True)
    merged_deletions = models.PositiveIntegerField(null=True, blank=True)
    merged_changed_files = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "number"], name="pull_number_unique")
        ]

    def __str__(self):
        return f"{self.repository}#{self.number}: {self.title}"


class AutoMerge(models.Model):
    """A request to merge the pull request as soon as the base branch's required checks pass,
    as the user who asked, with their method and message. Deleted when disabled or merged."""

    pull = models.OneToOneField(PullRequest, on_delete=models.CASCADE, related_name="auto_merge")
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    merge_method = models.CharField(max_length=6)
    commit_title = models.CharField(max_length=256, blank=True, default="")
    commit_message = models.TextField(blank=True, default="")
    waiting_reason = models.TextField(
        blank=True, default="", help_text="Why the last attempt could not merge yet."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"auto-merge of {self.pull}"
