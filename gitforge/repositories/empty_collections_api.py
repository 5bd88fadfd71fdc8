"""Collections a repository links to that gitforge keeps nothing in (stars, watchers, forks,
labels, releases, comments, ...): each answers GitHub's empty list, behind the same
authorization as the repository, so clients following the representation's URLs find them."""

from django.urls import path
from rest_framework.response import Response

from gitforge.api.permissions import SignedIn
from gitforge.repositories import permissions
from gitforge.repositories.authorization import RepositoryAPIView, RepositoryPermission

DOCS = "https://docs.github.com/rest/"


class EmptyCollectionView(RepositoryAPIView):
    """A repository's collection that is always empty."""

    def get(self, request, owner, repo, **kwargs):
        return Response([])


def empty_collection(route, docs, **options):
    return path(route, EmptyCollectionView.as_view(documentation_url=DOCS + docs, **options))


def empty_collection_urlpatterns(repo):
    """The routes, under `repo` (the /repos/{owner}/{repo} pattern)."""
    return [
        empty_collection(f"{repo}/stargazers", "activity/starring#list-stargazers"),
        empty_collection(f"{repo}/subscribers", "activity/watching#list-watchers"),
        empty_collection(f"{repo}/forks", "repos/forks#list-forks"),
        empty_collection(f"{repo}/labels", "issues/labels#list-labels-for-a-repository"),
        empty_collection(f"{repo}/milestones", "issues/milestones#list-milestones"),
        empty_collection(f"{repo}/releases", "releases/releases#list-releases"),
        empty_collection(f"{repo}/deployments", "deployments/deployments#list-deployments"),
        empty_collection(f"{repo}/downloads", "repos/repos"),
        empty_collection(f"{repo}/events", "activity/events#list-repository-events"),
        empty_collection(
            f"{repo}/issues/comments", "issues/comments#list-issue-comments-for-a-repository"
        ),
        empty_collection(
            f"{repo}/issues/events", "issues/events#list-issue-events-for-a-repository"
        ),
        empty_collection(
            f"{repo}/comments", "commits/comments#list-commit-comments-for-a-repository"
        ),
        empty_collection(
            f"{repo}/commits/<path:ref>/comments", "commits/comments#list-commit-comments"
        ),
        empty_collection(
            f"{repo}/pulls/comments", "pulls/comments#list-review-comments-in-a-repository"
        ),
        empty_collection(f"{repo}/teams", "repos/repos#list-repository-teams"),
        empty_collection(
            f"{repo}/keys",
            "deploy-keys/deploy-keys#list-deploy-keys",
            required_permission={"GET": permissions.ADMIN},
        ),
        empty_collection(
            f"{repo}/notifications",
            "activity/notifications#list-repository-notifications-for-the-authenticated-user",
            permission_classes=[RepositoryPermission, SignedIn],
        ),
    ]
