"""A user's profile page (`/{username}`, the `html_url` of the user representations): their
repositories that the viewer may see."""

from django.http import Http404
from django.shortcuts import render

from gitforge.accounts.selectors import find_active_user
from gitforge.repositories.listings import repositories_visible_to, sorted_repositories


def user_profile(request, username):
    user = find_active_user(username)
    if user is None:
        raise Http404("No such user")
    repositories = sorted_repositories(repositories_visible_to(request.user, owner=user))
    return render(request, "web/user.html", {"profile": user, "repositories": repositories})
