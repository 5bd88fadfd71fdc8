from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from gitforge.repositories import permissions


class Repository(models.Model):
    """A repository; its git data is a bare repository on disk addressed by id, not name."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repositories"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    private = models.BooleanField(default=False)
    default_branch = models.CharField(max_length=255, default="main")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    # The events the repository's active webhooks subscribe to, kept by the hooks app, so the
    # services that cause events know from the row they already hold whether anyone listens.
    hook_events = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "repositories"
        ordering = ["owner__username", "name"]
        constraints = [
            models.UniqueConstraint(
                "owner", Lower("name"), name="repositories_repository_owner_name_ci_unique"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.owner.username}/{self.name}"


class Collaborator(models.Model):
    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="collaborators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborations"
    )
    permission = models.CharField(
        max_length=10, choices=permissions.CHOICES, default=permissions.PUSH
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "user"], name="repositories_collaborator_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.repository} ({self.permission})"
