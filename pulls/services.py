"""Pull request rules: opening, editing, closing and reopening, merging, and recording pushes.

A merge builds commits with pygit2, then moves the base branch by compare-and-swap inside the
transaction that marks the pull merged, so a racing push or merge makes it fail cleanly (409)
and a failed merge changes nothing in the database or in git.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gitforge.errors import Conflict, Forbidden, InvalidInput, NotMergeable, field_error
from gitforge.repositories.git import GitRepository
from gitforge.repositories.models import Repository
from gitforge.repositories.selectors import repository_permission
from gitforge.repositories.services import git_identity, mark_pushed
from hooks import events
from hooks.payloads import ZERO_SHA
from protection.gate import check_status_checks, merge_refusal
from pulls.models import CLOSED, MERGE_METHODS, OPEN, AutoMerge, PullRequest
from pulls.payloads import pull_request_event
from pulls.permissions import PUSH_ACCESS_REQUIRED, pull_abilities
from pulls.selectors import change_size

MAX_TITLE = PullRequest._meta.get_field("title").max_length or 256
PUSHED_WITHOUT_ACCESS = "Commits were pushed by a user without push access."
DISABLED_BY_USER = "Disabled by a user."
MAX_BODY = 65536  # GitHub's limit; also what bounds the cost of rendering the Markdown


def _title_errors(title):
    """GitHub's entries for a title that is empty or longer than the column holds."""
    if not isinstance(title, str) or not title.strip():
        return [field_error("PullRequest", "title", "missing_field")]
    if len(title.strip()) > MAX_TITLE:
        message = f"title is too long (maximum is {MAX_TITLE} characters)"
        return [field_error("PullRequest", "title", "custom", message)]
    return []


def _body_errors(body):
    if isinstance(body, str) and len(body) > MAX_BODY:
        message = f"body is too long (maximum is {MAX_BODY} characters)"
        return [field_error("PullRequest", "body", "custom", message)]
    return []


def open_pull_request(*, repository, author, title, head, base, body=""):
    errors = _title_errors(title) + _body_errors(body)
    git = GitRepository(repository.id)
    head_commit = git.branch_sha(head) if isinstance(head, str) else None
    base_commit = git.branch_sha(base) if isinstance(base, str) else None
    if head_commit is None:
        errors.append(field_error("PullRequest", "head", "invalid"))
    if base_commit is None:
        errors.append(field_error("PullRequest", "base", "invalid"))
    if errors or head_commit is None or base_commit is None:
        raise InvalidInput("Validation Failed", errors)
    if head == base or git.contains(base_commit, head_commit):
        raise InvalidInput(
            "Validation Failed",
            [field_error("PullRequest", "head", "custom", f"No commits between {base} and {head}")],
        )
    with transaction.atomic():
        Repository.objects.select_for_update().filter(pk=repository.pk).first()
        if PullRequest.objects.filter(
            repository=repository, head_ref=head, base_ref=base, state=OPEN
        ).exists():
            raise InvalidInput(
                "Validation Failed",
                [
                    field_error(
                        "PullRequest",
                        "head",
                        "custom",
                        f"A pull request already exists for {repository.owner.username}:{head}.",
                    )
                ],
            )
        last = PullRequest.objects.filter(repository=repository).aggregate(Max("number"))
        pull = PullRequest.objects.create(
            repository=repository,
            number=(last["number__max"] or 0) + 1,
            title=title.strip(),
            body=body or "",
            author=author,
            head_ref=head,
            base_ref=base,
            head_sha=head_commit,
        )
        record_pull_event(pull, "opened", author)
    return pull


def update_pull_request(*, pull, user, permission, title=None, body=None, state=None, base=None):
    """Edit title, body or base, close, or reopen a pull request, as `user` with `permission`."""
    if not pull_abilities(pull=pull, user=user, permission=permission).edit:
        raise Forbidden(PUSH_ACCESS_REQUIRED)
    if title is not None and not title.strip():
        raise InvalidInput("Validation Failed", [field_error("PullRequest", "title", "invalid")])
    if body is not None and (errors := _body_errors(body)):
        raise InvalidInput("Validation Failed", errors)
    if title is not None and (errors := _title_errors(title)):
        raise InvalidInput("Validation Failed", errors)
    if base is not None and GitRepository(pull.repository_id).branch_sha(base) is None:
        raise InvalidInput("Validation Failed", [field_error("PullRequest", "base", "invalid")])
    if base is not None and base == pull.head_ref:
        message = f"The base branch cannot be the head branch ({base})"
        raise InvalidInput(
            "Validation Failed", [field_error("PullRequest", "base", "invalid", message)]
        )
    if state == OPEN and pull.merged:
        raise InvalidInput(
            "Validation Failed",
            [field_error("PullRequest", "state", "custom", "Cannot reopen a merged pull request")],
        )
    changes = {}
    if title is not None and title.strip() != pull.title:
        changes["title"] = {"from": pull.title}
        pull.title = title.strip()
    if body is not None and body != pull.body:
        changes["body"] = {"from": pull.body}
        pull.body = body
    if base is not None and base != pull.base_ref:
        old_base = GitRepository(pull.repository_id).branch_sha(pull.base_ref)
        changes["base"] = {"ref": {"from": pull.base_ref}, "sha": {"from": old_base or ZERO_SHA}}
        pull.base_ref = base
    action = None
    if state is not None and state != pull.state:
        pull.state = state
        pull.closed_at = timezone.now() if state == CLOSED else None
        action = "closed" if state == CLOSED else "reopened"
    with transaction.atomic():
        pull.save()
        if changes:
            record_pull_event(pull, "edited", user, changes=changes)
        if action:
            record_pull_event(pull, action, user)
        if action == "closed":
            AutoMerge.objects.filter(pull=pull).delete()
    return pull


@dataclass(frozen=True)
class MergeResult:
    sha: str
    merged: bool = True
    message: str = "Pull Request successfully merged"


def merge_pull_request(
    *, pull, user, permission, method="merge", sha=None, commit_title=None, commit_message=None
):
    """Merge `pull` into its base if the rules allow it; return a MergeResult.

    Raises Forbidden (no push access), NotMergeable (closed, blocked by required checks,
    conflicts), Conflict (`sha` is not the head, or the base moved meanwhile) or InvalidInput
    (unknown method).
    """
    if not pull_abilities(pull=pull, user=user, permission=permission).merge:
        raise Forbidden(PUSH_ACCESS_REQUIRED)
    if method not in MERGE_METHODS:
        raise InvalidInput(
            "Validation Failed", [field_error("PullRequest", "merge_method", "invalid")]
        )
    if pull.state != OPEN or pull.merged:
        raise NotMergeable("Pull Request is not mergeable")
    git = GitRepository(pull.repository_id)
    head = git.branch_sha(pull.head_ref)
    base = git.branch_sha(pull.base_ref)
    if head is None or base is None:
        raise NotMergeable("Pull Request is not mergeable")
    if pull.head_ref == pull.base_ref or head == base:
        # A merge commit would have the same commit twice as its parents.
        raise NotMergeable("Pull Request is not mergeable: the base and head are the same commit")
    if sha is not None and sha != head:
        raise Conflict("Head branch was modified. Review and try the merge again.")
    decision = check_status_checks(
        repository=pull.repository, base_branch=pull.base_ref, head_sha=head, git=git
    )
    if refusal := merge_refusal(decision, method=method, permission=permission):
        raise NotMergeable(refusal)
    new_sha = git.merge(
        base_sha=base,
        head_sha=head,
        method=method,
        message=_merge_message(pull, method, commit_title, commit_message),
        author=git_identity(pull.author),
        committer=git_identity(user),
    )
    size = change_size(git, base, head)
    with transaction.atomic():
        locked = PullRequest.objects.select_for_update().get(pk=pull.pk)
        if locked.merged or locked.state != OPEN:
            raise NotMergeable("Pull Request is not mergeable")
        now = timezone.now()
        PullRequest.objects.filter(pk=pull.pk).update(
            merged=True,
            merged_by=user,
            merged_at=now,
            merge_commit_sha=new_sha,
            merge_base_sha=base,
            head_sha=head,
            merged_commits=size.commits,
            merged_additions=size.additions,
            merged_deletions=size.deletions,
            merged_changed_files=size.changed_files,
            state=CLOSED,
            closed_at=now,
            updated_at=now,
        )
        AutoMerge.objects.filter(pull=pull).delete()  # done: by hand, or by auto-merge itself
        git.move_branch(pull.base_ref, new_sha, expected_sha=base)
        pull.refresh_from_db()
        record_pull_event(pull, "closed", user)
        record_push(
            repository=pull.repository,
            pusher=user,
            updates=[(base, new_sha, f"refs/heads/{pull.base_ref}")],
        )
    return MergeResult(sha=new_sha)


def _merge_message(pull, method, title, message):
    if method == "squash":
        title = title or f"{pull.title} (#{pull.number})"
    else:
        owner = pull.repository.owner.username
        title = title or f"Merge pull request #{pull.number} from {owner}/{pull.head_ref}"
        message = pull.title if message is None else message
    return f"{title}\n\n{message}\n" if message else f"{title}\n"


def record_push(*, repository, pusher, updates):
    """After refs moved (a push, or a merge): update pushed_at and the head of open pulls whose
    head branch moved, and queue the events (`create`/`push`/`delete`, `synchronize`).

    `updates` holds (before, after, full ref name) with the zero SHA for a created or deleted ref.
    """
    git = GitRepository(repository.id)
    with transaction.atomic():
        mark_pushed(repository=repository)
        for before, after, ref in updates:
            events.record_ref_update(
                repository=repository, pusher=pusher, ref=ref, before=before, after=after, git=git
            )
            if ref.startswith("refs/heads/") and after != ZERO_SHA:
                _synchronize(repository, ref.removeprefix("refs/heads/"), before, after, pusher)


def _synchronize(repository, branch, before, after, pusher):
    moved = PullRequest.objects.filter(repository=repository, head_ref=branch, state=OPEN)
    moved = moved.exclude(head_sha=after).select_related(
        "repository__owner", "author", "auto_merge"
    )
    for pull in moved:
        pull.head_sha = after
        pull.save(update_fields=["head_sha", "updated_at"])
        record_pull_event(pull, "synchronize", pusher, before=before, after=after)
        if getattr(pull, "auto_merge", None) is not None:
            disable_after_push(pull=pull, pusher=pusher)


def record_pull_event(pull, action, sender, **fields):
    """Queue the `pull_request` event `action` for the repository's hooks."""
    events.record(
        repository=pull.repository,
        name="pull_request",
        action=action,
        build=pull_request_event(pull, **fields),
        sender=sender,
    )


def disable_auto_merge(*, pull, user, permission=None, reason=DISABLED_BY_USER, check=True):
    """Turn auto-merge off; True when it was on. With `check`, only someone who could merge
    (or who enabled it) may."""
    with transaction.atomic():
        auto_merge = AutoMerge.objects.select_for_update().filter(pull=pull).first()
        if auto_merge is None:
            return False
        may_merge = pull_abilities(pull=pull, user=user, permission=permission).merge
        if check and not may_merge and auto_merge.enabled_by_id != user.pk:
            raise Forbidden(PUSH_ACCESS_REQUIRED)
        auto_merge.delete()
        pull.auto_merge = None
        record_pull_event(pull, "auto_merge_disabled", user, reason=reason)
    return True


def disable_after_push(*, pull, pusher):
    """A push of new commits by someone without push access turns auto-merge off."""
    permission = repository_permission(pusher, pull.repository)
    if not pull_abilities(pull=pull, user=pusher, permission=permission).merge:
        disable_auto_merge(pull=pull, user=pusher, reason=PUSHED_WITHOUT_ACCESS, check=False)
