"""A user's collections that gitforge keeps nothing in (followers, gists, organisations, stars,
events, ...): each answers GitHub's empty list for a user who exists, 404 otherwise."""

from django.urls import path
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.accounts.selectors import find_active_user
from gitforge.api.views import GitHubAPIView

DOCS = "https://docs.github.com/rest/"


class EmptyUserCollectionView(GitHubAPIView):
    """A user's collection that is always empty."""

    def get(self, request, username, **kwargs):
        if find_active_user(username) is None:
            raise NotFound()
        return Response([])


def empty_collection(route, docs):
    return path(route, EmptyUserCollectionView.as_view(documentation_url=DOCS + docs))


USER = "users/<str:username>"

empty_collection_urlpatterns = [
    empty_collection(f"{USER}/followers", "users/followers#list-followers-of-a-user"),
    empty_collection(f"{USER}/following", "users/followers#list-the-people-a-user-follows"),
    empty_collection(f"{USER}/gists", "gists/gists#list-gists-for-a-user"),
    empty_collection(f"{USER}/orgs", "orgs/orgs#list-organizations-for-a-user"),
    empty_collection(f"{USER}/starred", "activity/starring#list-repositories-starred-by-a-user"),
    empty_collection(
        f"{USER}/subscriptions", "activity/watching#list-repositories-watched-by-a-user"
    ),
    empty_collection(f"{USER}/events", "activity/events#list-events-for-the-authenticated-user"),
    empty_collection(f"{USER}/events/public", "activity/events#list-public-events-for-a-user"),
    empty_collection(
        f"{USER}/received_events",
        "activity/events#list-events-received-by-the-authenticated-user",
    ),
]
