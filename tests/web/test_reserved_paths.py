"""Top-level paths that user pages would otherwise take still lead where they did."""

import pytest
from django.test import Client


@pytest.mark.parametrize("path, target", [("/admin", "/admin/"), ("/api", "/api/")])
def test_bare_paths_redirect_to_their_slash(db, path, target):
    response = Client().get(path)

    assert response.status_code == 301
    assert response["Location"] == target
