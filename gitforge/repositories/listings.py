"""Which of a user's repositories another user may see, for their profile page and
GET /users/{username}/repos."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from gitforge.repositories.models import Collaborator, Repository

SORTS = {
    "full_name": "name",
    "created": "created_at",
    "updated": "updated_at",
    "pushed": "pushed_at",
}


def repositories_visible_to(viewer, *, owner, private=True) -> QuerySet[Repository]:
    """`owner`'s repositories that `viewer` (perhaps anonymous) may read: the public ones, and
    private ones `viewer` owns, administers as a superuser or collaborates on, unless
    `private` is False (a token without the `repo` scope)."""
    repositories = Repository.objects.select_related("owner").filter(owner=owner)
    if not private or not viewer.is_authenticated:
        return repositories.filter(private=False)
    if viewer.pk == owner.pk or viewer.is_superuser:
        return repositories
    collaborates = Exists(Collaborator.objects.filter(repository=OuterRef("pk"), user=viewer))
    return repositories.filter(Q(private=False) | collaborates)


def sorted_repositories(repositories, *, sort="full_name", direction=None):
    """GitHub's `sort` (full_name, created, updated, pushed) and `direction` (asc by default
    for full_name, desc otherwise); unknown values fall back to the defaults."""
    field = SORTS.get(sort, "name")
    descending = direction == "desc" if direction in ("asc", "desc") else field != "name"
    order = f"-{field}" if descending else field
    return repositories.order_by(order, "name" if field != "name" else "id")
