from rest_framework.renderers import JSONRenderer


class GitHubJSONRenderer(JSONRenderer):
    """Plain JSON as GitHub sends it (`application/json; charset=utf-8`)."""

    charset = "utf-8"
