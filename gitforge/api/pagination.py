"""GitHub pagination: `per_page` (default 30, max 100), `page`, and an RFC 8288 Link header."""

from django.db.models.query import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def _positive_int(value, default):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 1 else default


class GitHubPagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        """Return one page of `queryset` (a QuerySet or a list) and remember the Link header."""
        self.request = request
        self.per_page = min(
            _positive_int(request.query_params.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE
        )
        self.page = _positive_int(request.query_params.get("page"), 1)
        self.count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        start = (self.page - 1) * self.per_page
        if start >= self.count:
            return []  # past the end; also keeps an offset beyond SQL's integers out of queries
        return list(queryset[start : start + self.per_page])

    @property
    def last_page(self):
        return max(1, -(-self.count // self.per_page))

    def link_header(self):
        url = self.request.build_absolute_uri()
        links = []
        if self.page < self.last_page:
            links.append(("next", self.page + 1))
            links.append(("last", self.last_page))
        if self.page > 1:
            links.append(("first", 1))
            links.append(("prev", min(self.page - 1, self.last_page)))
        return ", ".join(
            f'<{replace_query_param(url, "page", number)}>; rel="{rel}"' for rel, number in links
        )

    def get_paginated_response(self, data):
        link = self.link_header()
        return Response(data, headers={"Link": link} if link else None)
