from django.db import models
from django.db.models.functions import Lower

from gitforge.repositories.models import Repository


class ProtectedBranch(models.Model):
    """A protection rule for the branches whose names match `pattern` (a name or a glob)."""

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="protected_branches"
    )
    pattern = models.CharField(max_length=255, help_text="A branch name, or a glob: release/*")
    require_status_checks = models.BooleanField(
        default=False, help_text="Require every required context to be success before merging."
    )
    strict = models.BooleanField(
        default=False, help_text="Require branches to be up to date before merging."
    )
    enforce_admins = models.BooleanField(
        default=False, help_text="Apply the rule to repository administrators too."
    )
    allow_force_pushes = models.BooleanField(default=False)
    allow_deletions = models.BooleanField(default=False)
    required_linear_history = models.BooleanField(
        default=False,
        help_text="Refuse merge commits: pull requests merge by squash or rebase, and pushes "
        "that bring in merge commits are refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "protected branches"
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "pattern"], name="protected_branch_unique"
            )
        ]

    def __str__(self):
        return f"{self.repository}: {self.pattern}"


class RequiredContext(models.Model):
    """A status context, or a glob of contexts, that must be success. Case-insensitive."""

    protected_branch = models.ForeignKey(
        ProtectedBranch, on_delete=models.CASCADE, related_name="required_contexts"
    )
    context = models.CharField(max_length=255)
    context_key = models.GeneratedField(
        expression=Lower("context"),
        output_field=models.CharField(max_length=255),
        db_persist=True,
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protected_branch", "context_key"], name="required_context_unique"
            )
        ]

    def __str__(self):
        return self.context
