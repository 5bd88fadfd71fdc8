"""Opening a pull request from /{owner}/{repo}/compare."""

from django.test import Client

from pulls.models import PullRequest
from tests.helpers import signed_in


def test_anonymous_visitors_are_sent_to_sign_in(public_repo, anonymous):
    response = anonymous.get("/alice/project/compare")

    assert response.status_code == 302
    assert response["Location"] == "/login?next=/alice/project/compare"


def test_form_lists_branches_and_defaults_to_the_default_branch(public_repo, bob):
    page = signed_in(bob).get("/alice/project/compare?head=feature").content.decode()

    assert '<select name="base" id="base"><option value="feature" >feature</option>' in page
    assert '<option value="main" selected>main</option>' in page
    assert '<option value="feature" selected>feature</option>' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_creates_the_pull_request_and_redirects_to_it(public_repo, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    client.get("/alice/project/compare")
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/alice/project/compare",
        {
            "base": "main",
            "head": "feature",
            "title": "Print two",
            "body": "Because.",
            "csrfmiddlewaretoken": token,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/alice/project/pull/1"
    pull = PullRequest.objects.get()
    assert (pull.title, pull.body, pull.author, pull.head_ref, pull.base_ref) == (
        "Print two",
        "Because.",
        bob,
        "feature",
        "main",
    )


def test_posting_without_csrf_token_is_refused(public_repo, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)

    response = client.post(
        "/alice/project/compare", {"base": "main", "head": "feature", "title": "x"}
    )

    assert response.status_code == 403
    assert not PullRequest.objects.exists()


def test_errors_are_shown_and_input_kept(public_repo, bob):
    response = signed_in(bob).post(
        "/alice/project/compare",
        {"base": "main", "head": "main", "title": "<i>Same</i>", "body": "kept body"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "No commits between main and main" in page
    assert 'value="&lt;i&gt;Same&lt;/i&gt;"' in page
    assert ">kept body</textarea>" in page
    assert not PullRequest.objects.exists()


def test_a_missing_title_is_an_error(public_repo, bob):
    page = (
        signed_in(bob)
        .post("/alice/project/compare", {"base": "main", "head": "feature", "title": " "})
        .content.decode()
    )

    assert '<p class="error">title is missing_field</p>' in page
    assert not PullRequest.objects.exists()


def test_private_repository_compare_is_404_to_strangers(private_repo, bob, charlie):
    assert signed_in(charlie).get("/alice/secret/compare").status_code == 404
    assert signed_in(bob).get("/alice/secret/compare").status_code == 200
