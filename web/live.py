"""The validator of a pull request page's live part (checks box and merge box).

The page refreshes that part every few seconds while a check is pending. Each refresh presents
the ETag it last got, and the refresh URL carries a signed token naming the repository, the pull
request and the viewer. When nothing the part is drawn from has changed, the answer is a 304
that costs one query, no session lookup and no rendering. The ETag (an HMAC under SECRET_KEY)
covers the pull request row and its auto-merge, the latest status of each context of its head,
the repository's protection rules and required contexts, its last push (so the branch tips),
and what decides the viewer's access (the repository's visibility and owner, the viewer's
collaborator level and superuser flag). So a 304 only ever answers someone who got that ETag
from a page they were allowed to see, and any change to their access sends them through the
full, authorized path.
"""

from django.core import signing
from django.db import connection
from django.utils.crypto import salted_hmac

from gitforge.accounts.models import User
from gitforge.repositories.models import Collaborator, Repository
from gitforge.rows import hot_cursor
from protection.models import ProtectedBranch
from pulls.models import AutoMerge, PullRequest
from statuses.models import LatestCommitStatus

# Bump when the live part's template changes, so pages opened before a deploy refresh once.
TEMPLATE_VERSION = "1"
SALT = "gitforge.web.live"
TOKEN_AGE = 24 * 3600  # seconds; an older token only loses the shortcut


def _version_sql() -> str:
    pulls = PullRequest._meta.db_table
    latest = LatestCommitStatus._meta.db_table
    rules = ProtectedBranch._meta.db_table
    repositories = Repository._meta.db_table
    collaborators = Collaborator._meta.db_table
    users = User._meta.db_table
    auto_merges = AutoMerge._meta.db_table
    mine = "repository_id = p.repository_id"
    return f"""
        SELECT p.id, p.state, p.updated_at, p.head_ref, p.head_sha, p.base_ref,
            g.private, g.owner_id,
            (SELECT COUNT(s.status_id) || ':' || COALESCE(MAX(s.status_id), 0) FROM {latest} s
             WHERE s.{mine} AND s.sha = p.head_sha),
            (SELECT COUNT(*) || ':' || COALESCE(CAST(MAX(r.updated_at) AS TEXT), '')
             FROM {rules} r WHERE r.{mine}),  -- the services save the rule with its contexts
            (SELECT k.permission FROM {collaborators} k WHERE k.{mine} AND k.user_id = %s),
            (SELECT u.is_superuser FROM {users} u WHERE u.id = %s),
            (SELECT a.id || ':' || CAST(a.updated_at AS TEXT) FROM {auto_merges} a
             WHERE a.pull_id = p.id),
            g.pushed_at
        FROM {pulls} p JOIN {repositories} g ON g.id = p.repository_id
        WHERE p.repository_id = %s AND p.number = %s
    """


def live_etag(*, repository_id: int, number: int, user_id: int | None) -> str | None:
    """The live part's current ETag for this viewer, or None when there is no such pull
    request. Branch tips are covered by the repository's `pushed_at`, which every ref change
    gitforge makes (push, merge, commit, new branch) moves, so no git read is needed."""
    with hot_cursor(connection) as cursor:
        cursor.execute(_version_sql(), [user_id, user_id, repository_id, number])
        row = cursor.fetchone()
    if row is None:
        return None
    parts = [TEMPLATE_VERSION, user_id, *row]
    digest = salted_hmac(SALT, repr(parts), algorithm="sha256").hexdigest()[:32]
    return f'W/"{digest}"'


def viewer_id(user) -> int | None:
    return user.pk if user.is_authenticated else None


def refresh_token(*, repository_id: int, number: int, user_id: int | None) -> str:
    """What the refresh URL carries so that a 304 needs no session lookup."""
    return signing.dumps([repository_id, number, user_id], salt=SALT, compress=False)


def not_modified_etag(request, number: int, token: str | None) -> str | None:
    """The ETag when the refresh URL's token is good and If-None-Match is current, else None."""
    if not token or not request.META.get("HTTP_IF_NONE_MATCH"):
        return None
    try:
        repository_id, token_number, user_id = signing.loads(token, salt=SALT, max_age=TOKEN_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if token_number != number:
        return None
    etag = live_etag(repository_id=repository_id, number=number, user_id=user_id)
    return etag if is_presented(request, etag) else None


def is_presented(request, etag: str | None) -> bool:
    """Whether the request's If-None-Match names `etag`."""
    presented = request.META.get("HTTP_IF_NONE_MATCH", "")
    return etag is not None and etag in (tag.strip() for tag in presented.split(","))
