"""PyGithub, unmodified, protects a branch, opens a pull request and merges it once CI is green."""

import pytest
from github import Auth, Github, GithubException

from gitforge.accounts.services import create_personal_access_token
from gitforge.repositories import permissions
from gitforge.repositories.git import GitRepository
from gitforge.repositories.services import set_collaborator

pytestmark = pytest.mark.django_db(transaction=True)


def github_for(live_server, user, scopes=("repo",)):
    _, secret = create_personal_access_token(user=user, name="pygithub", scopes=list(scopes))
    return Github(auth=Auth.Token(secret), base_url=live_server.url + "/api/v3", retry=None)


def test_protect_open_and_merge_after_ci(live_server, alice, bob, public_repo):
    set_collaborator(repository=public_repo, user=bob, permission=permissions.PUSH)
    admin_repo = github_for(live_server, alice).get_repo("alice/project")
    repo = github_for(live_server, bob).get_repo("alice/project")

    admin_repo.get_branch("main").edit_protection(strict=True, contexts=["ci/tests"])

    branch = admin_repo.get_branch("main")
    assert branch.protected is True
    checks = branch.get_required_status_checks()
    assert checks.contexts == ["ci/tests"]
    assert checks.strict is True

    pull = repo.create_pull(title="Change app", body="Please", head="feature", base="main")
    assert pull.number == 1
    assert pull.head.sha == GitRepository(public_repo.id).branch_sha("feature")
    assert pull.mergeable_state == "blocked"

    with pytest.raises(GithubException) as refused:
        pull.merge()
    assert refused.value.status == 405
    assert "ci/tests" in refused.value.data["message"]
    assert repo.get_pull(1).merged is False

    repo.get_commit(pull.head.sha).create_status(
        state="success",
        target_url="https://ci.example.com/1",
        description="all green",
        context="CI/Tests",
    )
    assert repo.get_pull(1).mergeable_state == "clean"

    status = pull.merge(commit_message="Ship it")

    assert status.merged is True
    assert status.sha == GitRepository(public_repo.id).branch_sha("main")
    merged = repo.get_pull(1)
    assert merged.merged is True
    assert merged.state == "closed"
    assert merged.merged_by.login == "bob"
    assert merged.merge_commit_sha == status.sha
    assert pull.is_merged() is True


def test_stale_sha_is_refused_with_409(live_server, alice, public_repo):
    repo = github_for(live_server, alice).get_repo("alice/project")
    pull = repo.create_pull(title="Change app", body="", head="feature", base="main")
    main = GitRepository(public_repo.id).branch_sha("main")

    with pytest.raises(GithubException) as refused:
        pull.merge(sha=main)

    assert refused.value.status == 409
    assert repo.get_pull(pull.number).merged is False
    assert GitRepository(public_repo.id).branch_sha("main") == main


def test_repo_status_token_cannot_merge_or_protect(live_server, alice, public_repo):
    full = github_for(live_server, alice).get_repo("alice/project")
    pull = full.create_pull(title="Change app", body="", head="feature", base="main")
    limited = github_for(live_server, alice, scopes=["repo:status"]).get_repo("alice/project")

    with pytest.raises(GithubException) as merge_refused:
        limited.get_pull(pull.number).merge()
    with pytest.raises(GithubException) as protect_refused:
        limited.get_branch("main").edit_protection(strict=True, contexts=["ci/tests"])

    assert merge_refused.value.status in (403, 404)
    assert protect_refused.value.status in (403, 404)
    assert full.get_pull(pull.number).merged is False
    assert full.get_branch("main").protected is False
