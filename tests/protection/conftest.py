import pytest

from protection.services import save_protection


@pytest.fixture
def protected_main(public_repo):
    """main requires ci/tests and ci/lint, strictly."""
    return save_protection(
        repository=public_repo,
        pattern="main",
        require_status_checks=True,
        strict=True,
        contexts=["ci/tests", "ci/lint"],
    )
