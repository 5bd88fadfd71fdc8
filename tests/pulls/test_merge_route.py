"""The merge route answers GET and PUT only: other methods are GitHub's JSON 404 and change
nothing."""

import pytest

from pulls.models import PullRequest
from tests.helpers import send


@pytest.mark.parametrize("method", ["patch", "post", "delete"])
def test_other_methods_on_the_merge_route_are_404_and_change_nothing(owner, pull, method):
    response = send(owner, method, "/api/repos/alice/project/pulls/1/merge", {"title": "Hijacked"})

    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"
    stored = PullRequest.objects.get(pk=pull.pk)
    assert (stored.title, stored.merged) == ("Change app", False)
