"""The one signal receiver of the repositories app: a deleted repository's git data goes too.

A receiver rather than a service because most deletions never pass through a service: deleting
a user cascades to their repositories inside Django's collector, and so do the admin's delete
page and bulk action. post_delete sees every one of them.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from gitforge.repositories.models import Repository
from gitforge.repositories.services import delete_git_data


@receiver(post_delete, sender=Repository, dispatch_uid="repositories.delete_git_data")
def delete_git_data_after_commit(sender, instance, using, **kwargs):
    """Only once the deletion commits: a rolled-back deletion keeps its repository whole."""
    repository_id = instance.pk
    transaction.on_commit(
        lambda: delete_git_data(repository_id=repository_id), using=using, robust=True
    )
