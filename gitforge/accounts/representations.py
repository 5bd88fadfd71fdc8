"""GitHub's user representations: `simple-user`, `public-user` and `private-user`."""

from gitforge.api.representations import api_base, node_id, timestamp


def user_json(user, request):
    """The `simple-user` representation."""
    api = api_base(request)
    url = f"{api}/users/{user.username}"
    return {
        "login": user.username,
        "id": user.id,
        "node_id": node_id("User", user.id),
        "avatar_url": request.build_absolute_uri(f"/avatars/{user.username}"),
        "gravatar_id": "",
        "url": url,
        "html_url": request.build_absolute_uri(f"/{user.username}"),
        "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events",
        "type": "User",
        "user_view_type": "public",
        "site_admin": user.is_superuser,
    }


def public_user_json(user, request, *, public_repos):
    """The `public-user` representation of GET /users/{username}."""
    return {
        **user_json(user, request),
        "name": user.get_full_name() or None,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "public_repos": public_repos,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": timestamp(user.date_joined),
        "updated_at": timestamp(user.date_joined),
    }


def private_user_json(user, request, *, public_repos, private_repos):
    """The `private-user` representation of GET /user."""
    return {
        **public_user_json(user, request, public_repos=public_repos),
        "user_view_type": "private",
        "email": user.email or None,
        "private_gists": 0,
        "total_private_repos": private_repos,
        "owned_private_repos": private_repos,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": False,
    }
